package rating

import (
	"context"
	"strconv"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/identity"
)

// Limits are a region's periods, in working days, for handling ratings.
// A region without its own uses its nearest ancestor's, and the defaults
// when none has any.
type Limits struct {
	RegionID   int64
	RegionPath string
	// CallbackDays is the period to call a bad reviewer back (回访). Local
	// plans require every real-name bad review to be called back (回访率
	// 100 %, reference §3.6); the period is this product's default, 2.
	CallbackDays int
	// RectifyDays is the period to rectify or explain and feed back (整改
	// and 反馈): 15 in the Sichuan plan (reference §3.6), the default; 5 in
	// Dezhou's.
	RectifyDays int
	// DefaultDays is how long after a case closes its applicant may still
	// rate it before the default rating is given (评价时效, GB/T 39734
	// §7.2, whose figure was not retrieved: unverified; 15 here).
	DefaultDays int
	UpdatedAt   time.Time
	UpdatedBy   string
}

// DefaultLimits are the limits of a region none of whose ancestors has any.
func DefaultLimits() Limits { return Limits{CallbackDays: 2, RectifyDays: 15, DefaultDays: 15} }

// LimitsInput sets a region's limits.
type LimitsInput struct {
	RegionID     int64
	CallbackDays int
	RectifyDays  int
	DefaultDays  int
}

// Validate checks the limits against their ranges.
func (in LimitsInput) Validate() error {
	var f apperr.Fields
	f.Check(in.CallbackDays < 1 || in.CallbackDays > 30, "callback_days", "回访时限须为 1–30 个工作日")
	f.Check(in.RectifyDays < 1 || in.RectifyDays > 60, "rectify_days", "整改时限须为 1–60 个工作日")
	f.Check(in.DefaultDays < 1 || in.DefaultDays > 60, "default_days", "评价时效须为 1–60 个工作日")
	f.Check(in.CallbackDays > in.RectifyDays && in.RectifyDays > 0, "callback_days", "回访时限不能长于整改时限")
	return f.Err()
}

// Regions resolves regions for the limits and checks who administers them.
type Regions interface {
	RegionPath(ctx context.Context, regionID int64) (string, error) // NotFound
}

// LimitsFor returns the limits that apply in the region at path (kept for
// limitsLife).
func (s *Service) LimitsFor(ctx context.Context, path string) (Limits, error) {
	all, err := s.limits.Load(ctx, struct{}{}, func() ([]*Limits, error) { return s.d.Store.FindLimits(ctx) })
	if err != nil {
		return Limits{}, err
	}
	best := DefaultLimits()
	for _, l := range all {
		if strings.HasPrefix(path, l.RegionPath) && len(l.RegionPath) > len(best.RegionPath) {
			best = *l
		}
	}
	return best, nil
}

// RegionLimits returns the limits that apply in a region, to anyone: they
// are public rules, the periods of the clocks citizens see. Who set them, a
// staff member's name, only the region's system administrators are told.
func (s *Service) RegionLimits(ctx context.Context, a *identity.Actor, regionID int64) (Limits, error) {
	path, err := s.d.Regions.RegionPath(ctx, regionID)
	if err != nil {
		return Limits{}, err
	}
	l, err := s.LimitsFor(ctx, path)
	if err != nil {
		return Limits{}, err
	}
	if !a.HasIn(identity.RoleSysAdmin, path, 0) {
		l.UpdatedBy = ""
	}
	return l, nil
}

// SetLimits sets a region's limits; a system administrator of the region
// does it.
func (s *Service) SetLimits(ctx context.Context, a *identity.Actor, in LimitsInput) (*Limits, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	path, err := s.d.Regions.RegionPath(ctx, in.RegionID)
	if err != nil {
		return nil, err
	}
	if !a.HasIn(identity.RoleSysAdmin, path, 0) {
		return nil, apperr.New(apperr.Forbidden, "只有该地区的系统管理员可以设置评价时限")
	}
	defer s.limits.Clear()
	var l *Limits
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		l = &Limits{RegionID: in.RegionID, RegionPath: path, CallbackDays: in.CallbackDays, RectifyDays: in.RectifyDays,
			DefaultDays: in.DefaultDays, UpdatedAt: s.d.Now(), UpdatedBy: a.Audit().Label}
		if err := s.d.Store.PutLimits(ctx, l); err != nil {
			return err
		}
		return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + path, Action: "rating.limits.set",
			ObjectType: "region", ObjectID: strconv.FormatInt(in.RegionID, 10),
			Change: map[string]int{"callback_days": l.CallbackDays, "rectify_days": l.RectifyDays, "default_days": l.DefaultDays}})
	})
	return l, err
}
