package calendar

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/identity"
)

// OverrideInput asks for a region-level adjustment.
type OverrideInput struct {
	RegionID int64
	Date     string
	IsOffDay bool
	Name     string
}

// AddOverride records a local holiday or make-up working day for a region.
func (s *Service) AddOverride(ctx context.Context, a *identity.Actor, in OverrideInput) (*StoredOverride, error) {
	var f apperr.Fields
	d, err := ParseDate(strings.TrimSpace(in.Date))
	f.AddErr("date", err)
	in.Name = strings.TrimSpace(in.Name)
	f.Check(in.Name == "", "name", "请填写调整事由，如“三月三”")
	f.Check(utf8.RuneCountInString(in.Name) > 50, "name", "事由不能超过 50 个字")
	if err == nil && !s.National().Covers(d.Year()) {
		f.Add("date", (&NoDataError{Year: d.Year()}).Error())
	}
	path, perr := s.regions.RegionPath(ctx, in.RegionID)
	f.Check(perr != nil, "region_id", "所选区域不存在")
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := canAdjust(a, path); err != nil {
		return nil, err
	}
	o := &StoredOverride{RegionID: in.RegionID, RegionPath: path, Override: Override{Date: d, IsOffDay: in.IsOffDay, Name: in.Name},
		CreatedAt: s.now().UTC()}
	var saved *StoredOverride
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		saved = nil
		fresh := *o // the first run's insert must not leave its ID on o
		if err := s.store.CreateOverride(ctx, &fresh); err != nil {
			return err
		}
		if err := s.recordOverride(ctx, a, "calendar.override.create", &fresh); err != nil {
			return err
		}
		if err := s.changed(ctx, fresh.Date); err != nil {
			return err
		}
		saved, err = s.store.FindOverrideByID(ctx, fresh.ID) // with the region's name
		return err
	})
	if err != nil {
		return nil, err
	}
	return saved, s.Reload(ctx)
}

// DeleteOverride removes a region adjustment.
func (s *Service) DeleteOverride(ctx context.Context, a *identity.Actor, id int64) error {
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		o, err := s.store.FindOverrideByID(ctx, id)
		if err != nil {
			return err
		}
		if err := canAdjust(a, o.RegionPath); err != nil {
			return err
		}
		if err := s.store.DeleteOverride(ctx, id); err != nil {
			return err
		}
		if err := s.recordOverride(ctx, a, "calendar.override.delete", o); err != nil {
			return err
		}
		return s.changed(ctx, o.Date)
	})
	if err != nil {
		return err
	}
	return s.Reload(ctx)
}

func (s *Service) recordOverride(ctx context.Context, a *identity.Actor, action string, o *StoredOverride) error {
	return s.audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + o.RegionPath, Action: action,
		ObjectType: "calendar_override", ObjectID: strconv.FormatInt(o.ID, 10),
		Change: map[string]any{"region_id": o.RegionID, "date": o.Date.String(), "is_off_day": o.IsOffDay, "name": o.Name}})
}

// canAdjust: a system administrator of the region may adjust its calendar.
func canAdjust(a *identity.Actor, regionPath string) error {
	if a.HasIn(identity.RoleSysAdmin, regionPath, 0) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有该区域的系统管理员可以调整其工作日历")
}
