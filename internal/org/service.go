package org

import (
	"context"
	"strconv"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/identity"
	"openhall/internal/memo"
)

// Service manages the organisation structure.
type Service struct {
	store Store
	tx    Transactor
	audit Auditor
	now   func() time.Time
	// depts and centres keep departments and centres read by id for
	// unitLife: a decision reads its department and centre to sign the
	// certificate. Any change of a region, centre or department through
	// this process forgets them all; through another node, it shows here
	// within unitLife.
	depts   *memo.Cache[int64, Department]
	centres *memo.Cache[int64, Centre]
}

// unitLife is how long departments and centres read by id are kept.
const unitLife = 5 * time.Second

// NewService returns a Service.
func NewService(store Store, tx Transactor, auditor Auditor, now func() time.Time) *Service {
	return &Service{store: store, tx: tx, audit: auditor, now: clock(now),
		depts: memo.New[int64, Department](unitLife, 4096, nil), centres: memo.New[int64, Centre](unitLife, 4096, nil)}
}

// forgetUnits drops the departments and centres kept: a region's, a
// centre's or a department's change shows in them (names, centres).
func (s *Service) forgetUnits() {
	s.depts.Clear()
	s.centres.Clear()
}

// clock returns now at the microsecond precision both storage backends keep,
// so that a value read back equals the value written.
func clock(now func() time.Time) func() time.Time {
	if now == nil {
		now = time.Now
	}
	return func() time.Time { return now().UTC().Truncate(time.Microsecond) }
}

func (s *Service) record(ctx context.Context, a *identity.Actor, path, action, objType string, id int64, change any) error {
	return s.audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + path, Action: action,
		ObjectType: objType, ObjectID: strconv.FormatInt(id, 10), Change: change})
}

// RegionPath returns the path of a region (identity.Scopes).
func (s *Service) RegionPath(ctx context.Context, id int64) (string, error) {
	r, err := s.store.FindRegionByID(ctx, id)
	if err != nil {
		return "", err
	}
	return r.Path, nil
}

// DepartmentRegion returns a department's region and its path (identity.Scopes).
func (s *Service) DepartmentRegion(ctx context.Context, id int64) (int64, string, error) {
	d, err := s.store.FindDepartmentByID(ctx, id)
	if err != nil {
		return 0, "", err
	}
	path, err := s.RegionPath(ctx, d.RegionID)
	return d.RegionID, path, err
}

// Region returns one region.
func (s *Service) Region(ctx context.Context, id int64) (*Region, error) {
	return s.store.FindRegionByID(ctx, id)
}

// Regions lists regions.
func (s *Service) Regions(ctx context.Context, f RegionFilter) ([]*Region, error) {
	return s.store.FindRegions(ctx, f)
}

// CreateRegion adds a region under its parent.
func (s *Service) CreateRegion(ctx context.Context, a *identity.Actor, in RegionInput) (*Region, error) {
	defer s.forgetUnits()
	in.normalize()
	now := s.now().UTC()
	var saved *Region
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		saved = nil
		parent, err := s.parentOf(ctx, in.ParentID)
		if err != nil {
			return err
		}
		if err := CanAdminister(a, pathOf(parent)); err != nil {
			return err
		}
		if err := in.validate(parent); err != nil {
			return err
		}
		r := &Region{ParentID: in.ParentID, Code: in.Code, Name: in.Name, Level: in.Level, CreatedAt: now, UpdatedAt: now}
		if err := s.store.CreateRegion(ctx, r); err != nil {
			return err
		}
		saved = r
		return s.record(ctx, a, r.Path, "org.region.create", "region", r.ID, r)
	})
	return saved, err
}

func pathOf(r *Region) string {
	if r == nil {
		return ""
	}
	return r.Path
}

func (s *Service) parentOf(ctx context.Context, id *int64) (*Region, error) {
	if id == nil {
		return nil, nil
	}
	p, err := s.store.FindRegionByID(ctx, *id)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Field("parent_id", "上级区域不存在")
	}
	return p, err
}

// UpdateRegion renames a region or corrects its code; its place in the tree
// and its level do not change, so every scope granted on it stays valid.
func (s *Service) UpdateRegion(ctx context.Context, a *identity.Actor, id int64, in RegionInput) (*Region, error) {
	defer s.forgetUnits()
	in.normalize()
	var r *Region
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if r, err = s.store.FindRegionByID(ctx, id); err != nil {
			return err
		}
		if err := CanAdminister(a, r.Path); err != nil {
			return err
		}
		parent, err := s.parentOf(ctx, r.ParentID)
		if err != nil {
			return err
		}
		in.ParentID, in.Level = r.ParentID, r.Level
		if err := in.validate(parent); err != nil {
			return err
		}
		r.Code, r.Name, r.UpdatedAt = in.Code, in.Name, s.now().UTC()
		if err := s.store.UpdateRegion(ctx, r); err != nil {
			return err
		}
		return s.record(ctx, a, r.Path, "org.region.update", "region", r.ID, r)
	})
	return r, err
}

// RegionByCode returns the region with a 区划代码.
func (s *Service) RegionByCode(ctx context.Context, code string) (*Region, error) {
	rs, err := s.store.FindRegions(ctx, RegionFilter{Code: code})
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, apperr.New(apperr.NotFound, "区划代码为 %s 的区域不存在", code)
	}
	return rs[0], nil
}

// DepartmentByCreditCode returns the department with a 统一社会信用代码.
func (s *Service) DepartmentByCreditCode(ctx context.Context, code string) (*Department, error) {
	ds, err := s.store.FindDepartments(ctx, DepartmentFilter{CreditCode: code})
	if err != nil {
		return nil, err
	}
	if len(ds) == 0 {
		return nil, apperr.New(apperr.NotFound, "统一社会信用代码为 %s 的部门不存在", code)
	}
	return ds[0], nil
}
