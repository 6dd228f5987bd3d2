package org

import (
	"context"

	"openhall/internal/apperr"
	"openhall/internal/identity"
	"openhall/internal/memo"
)

// regionFor loads a region named by a form field and checks the actor
// administers it.
func (s *Service) regionFor(ctx context.Context, a *identity.Actor, field string, id int64) (*Region, error) {
	r, err := s.store.FindRegionByID(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Field(field, "所选区域不存在")
	}
	if err != nil {
		return nil, err
	}
	return r, CanAdminister(a, r.Path)
}

// Centre returns one centre (kept for unitLife).
func (s *Service) Centre(ctx context.Context, id int64) (*Centre, error) {
	return kept(ctx, s.centres, id, s.store.FindCentreByID)
}

// kept returns a copy of the value c keeps for id, reading it with find
// when c has none.
func kept[T any](ctx context.Context, c *memo.Cache[int64, T], id int64, find func(context.Context, int64) (*T, error)) (*T, error) {
	v, err := c.Load(ctx, id, func() (T, error) {
		p, err := find(ctx, id)
		if err != nil {
			var zero T
			return zero, err
		}
		return *p, nil
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// Centres lists centres.
func (s *Service) Centres(ctx context.Context, f CentreFilter) ([]*Centre, error) {
	return s.store.FindCentres(ctx, f)
}

// SaveCentre creates a centre (id 0) or edits one.
func (s *Service) SaveCentre(ctx context.Context, a *identity.Actor, id int64, in CentreInput) (*Centre, error) {
	defer s.forgetUnits()
	in.normalize()
	var saved *Centre
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		// Built afresh on every run: a rerun must not find the ID the
		// first, rolled-back insert set and take the update path.
		c := &Centre{}
		saved = nil
		if id != 0 {
			var err error
			if c, err = s.store.FindCentreByID(ctx, id); err != nil {
				return err
			}
			if _, err := s.regionFor(ctx, a, "region_id", c.RegionID); err != nil {
				return err
			}
		}
		region, err := s.regionFor(ctx, a, "region_id", in.RegionID)
		if err != nil {
			return err
		}
		if err := in.validate(region); err != nil {
			return err
		}
		c.RegionID, c.Name, c.Kind, c.Address, c.Phone, c.Hours = in.RegionID, in.Name, in.Kind, in.Address, in.Phone, in.Hours
		if err := s.saveCentre(ctx, a, region, c); err != nil {
			return err
		}
		saved, err = s.store.FindCentreByID(ctx, c.ID)
		return err
	})
	return saved, err
}

func (s *Service) saveCentre(ctx context.Context, a *identity.Actor, region *Region, c *Centre) error {
	now := s.now().UTC()
	c.UpdatedAt = now
	action, err := "org.centre.update", error(nil)
	if c.ID == 0 {
		c.CreatedAt, action = now, "org.centre.create"
		err = s.store.CreateCentre(ctx, c)
	} else {
		err = s.store.UpdateCentre(ctx, c)
	}
	if err != nil {
		return err
	}
	return s.record(ctx, a, region.Path, action, "centre", c.ID, c)
}

// Department returns one department (kept for unitLife).
func (s *Service) Department(ctx context.Context, id int64) (*Department, error) {
	return kept(ctx, s.depts, id, s.store.FindDepartmentByID)
}

// Departments lists departments.
func (s *Service) Departments(ctx context.Context, f DepartmentFilter) ([]*Department, error) {
	return s.store.FindDepartments(ctx, f)
}

// SaveDepartment creates a department (id 0) or edits one.
func (s *Service) SaveDepartment(ctx context.Context, a *identity.Actor, id int64, in DepartmentInput) (*Department, error) {
	defer s.forgetUnits()
	in.normalize()
	var saved *Department
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		d := &Department{} // afresh on every run (see SaveCentre)
		saved = nil
		if id != 0 {
			var err error
			if d, err = s.store.FindDepartmentByID(ctx, id); err != nil {
				return err
			}
			if _, err := s.regionFor(ctx, a, "region_id", d.RegionID); err != nil {
				return err
			}
		}
		region, err := s.regionFor(ctx, a, "region_id", in.RegionID)
		if err != nil {
			return err
		}
		centre, err := s.centreOf(ctx, in.CentreID)
		if err != nil {
			return err
		}
		if err := in.validate(centre); err != nil {
			return err
		}
		d.RegionID, d.CentreID, d.Name, d.CreditCode, d.Phone = in.RegionID, in.CentreID, in.Name, in.CreditCode, in.Phone
		if err := s.saveDepartment(ctx, a, region, d); err != nil {
			return err
		}
		saved, err = s.store.FindDepartmentByID(ctx, d.ID)
		return err
	})
	return saved, err
}

func (s *Service) centreOf(ctx context.Context, id *int64) (*Centre, error) {
	if id == nil {
		return nil, nil
	}
	c, err := s.store.FindCentreByID(ctx, *id)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Field("centre_id", "所选服务中心不存在")
	}
	return c, err
}

func (s *Service) saveDepartment(ctx context.Context, a *identity.Actor, region *Region, d *Department) error {
	now := s.now().UTC()
	d.UpdatedAt = now
	action, err := "org.department.update", error(nil)
	if d.ID == 0 {
		d.CreatedAt, action = now, "org.department.create"
		err = s.store.CreateDepartment(ctx, d)
	} else {
		err = s.store.UpdateDepartment(ctx, d)
	}
	if err != nil {
		return err
	}
	return s.record(ctx, a, region.Path, action, "department", d.ID, d)
}
