package org

import (
	"context"
	"fmt"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// Window returns one window.
func (s *Service) Window(ctx context.Context, id int64) (*Window, error) {
	return s.store.FindWindowByID(ctx, id)
}

// Windows lists windows.
func (s *Service) Windows(ctx context.Context, f WindowFilter) ([]*Window, error) {
	return s.store.FindWindows(ctx, f)
}

// SaveWindow creates a window (id 0) or edits one, with the departments it
// serves and the staff who sit at it.
func (s *Service) SaveWindow(ctx context.Context, a *identity.Actor, id int64, in WindowInput) (*Window, error) {
	in.normalize()
	var saved *Window
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		w := &Window{} // afresh on every run (see SaveCentre)
		saved = nil
		if id != 0 {
			var err error
			if w, err = s.store.FindWindowByID(ctx, id); err != nil {
				return err
			}
			if _, err := s.centreRegion(ctx, a, w.CentreID); err != nil {
				return err
			}
		}
		region, err := s.centreRegion(ctx, a, in.CentreID)
		if err != nil {
			return err
		}
		if err := s.validateWindow(ctx, in); err != nil {
			return err
		}
		w.CentreID, w.Number, w.Name, w.Kind = in.CentreID, in.Number, in.Name, in.Kind
		w.DepartmentIDs, w.StaffIDs = in.DepartmentIDs, in.StaffIDs
		if err := s.saveWindow(ctx, a, region, w); err != nil {
			return err
		}
		saved, err = s.store.FindWindowByID(ctx, w.ID)
		return err
	})
	return saved, err
}

// centreRegion loads a window's centre and checks the actor administers its region.
func (s *Service) centreRegion(ctx context.Context, a *identity.Actor, centreID int64) (*Region, error) {
	c, err := s.store.FindCentreByID(ctx, centreID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Field("centre_id", "所选服务中心不存在")
	}
	if err != nil {
		return nil, err
	}
	return s.regionFor(ctx, a, "centre_id", c.RegionID)
}

// validateWindow checks the fields, that every department is stationed in
// the window's centre and that every person is a staff member.
func (s *Service) validateWindow(ctx context.Context, in WindowInput) error {
	if err := in.validate(); err != nil {
		return err
	}
	var f apperr.Fields
	for _, id := range in.DepartmentIDs {
		d, err := s.store.FindDepartmentByID(ctx, id)
		if err != nil || d.CentreID == nil || *d.CentreID != in.CentreID {
			f.Add("department_ids", fmt.Sprintf("部门（编号 %d）未进驻该服务中心，不能在此设窗口", id))
		}
	}
	kinds, err := s.store.StaffKinds(ctx, in.StaffIDs)
	if err != nil {
		return err
	}
	for _, id := range in.StaffIDs {
		f.Check(kinds[id] != string(identity.KindStaff), "staff_ids", fmt.Sprintf("账号（编号 %d）不是工作人员", id))
	}
	return f.Err()
}

func (s *Service) saveWindow(ctx context.Context, a *identity.Actor, region *Region, w *Window) error {
	now := s.now().UTC()
	w.UpdatedAt = now
	action, err := "org.window.update", error(nil)
	if w.ID == 0 {
		w.CreatedAt, action = now, "org.window.create"
		err = s.store.CreateWindow(ctx, w)
	} else {
		err = s.store.UpdateWindow(ctx, w)
	}
	if err != nil {
		return err
	}
	return s.record(ctx, a, region.Path, action, "window", w.ID, w)
}
