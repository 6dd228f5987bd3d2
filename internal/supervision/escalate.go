package supervision

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// EscalateDue escalates every 督办 still without feedback past its
// deadline (one indexed read; the evaluator's periodic job runs it): it
// becomes a 二级督办, sent to the department's head and to the supervisors
// of the region above, with a new deadline of the same number of working
// days. It returns how many it escalated.
func (s *Service) EscalateDue(ctx context.Context) (int, error) {
	today := calendar.DateOf(s.d.Now()).String()
	due, err := s.d.Store.DueOrders(ctx, today)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, o := range due {
		if err := s.EscalateOrder(ctx, o.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// EscalateOrder escalates one 督办 if it is still open, without feedback,
// of the first level and past its deadline (recomputed, in case the
// calendar changed); otherwise it leaves it alone.
func (s *Service) EscalateOrder(ctx context.Context, id int64) error {
	_, err := s.changeOrder(ctx, id, func(ctx context.Context, o *Order) error {
		if o.Status != OrderOpen || o.Level >= 2 {
			return nil
		}
		if err := s.setDue(o, o.IssuedAt); err != nil {
			return err
		}
		now := s.d.Now()
		if now.Before(o.Deadline()) {
			return nil
		}
		return s.escalate(ctx, o, now)
	})
	return err
}

// RedateOrders recomputes the deadlines of the open 督办 on the current
// calendar (after a holiday schedule is imported or a region adjusted).
func (s *Service) RedateOrders(ctx context.Context) (int, error) {
	open, err := s.d.Store.DueOrders(ctx, "9999-12-31")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, o := range open {
		from := o.IssuedAt
		if !o.EscalatedAt.IsZero() {
			from = o.EscalatedAt
		}
		before, provisional := o.Due, o.Provisional
		if err := s.setDue(o, from); err != nil {
			return n, err
		}
		// The same date may become official: the mark must go too.
		if o.Due == before && o.Provisional == provisional {
			continue
		}
		change := map[string]any{"number": o.Number, "due_before": before.String(), "due": o.Due.String(), "provisional_year": o.Provisional}
		if err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
			if err := s.d.Store.SaveOrder(ctx, o); err != nil {
				return err
			}
			return s.record(ctx, identity.SystemActor(), "region:"+o.RegionPath, "order.redate", "supervision_order", o.ID, change)
		}); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func (s *Service) escalate(ctx context.Context, o *Order, now time.Time) error {
	up, upName, err := s.regionAbove(ctx, o.RegionPath)
	if err != nil {
		return err
	}
	o.Level, o.EscalatedAt, o.EscalatedTo = 2, now, o.DeptName+"负责人及"+upName+"监察人员"
	if err := s.setDue(o, now); err != nil {
		return err
	}
	heads, err := s.d.Store.StaffWith(ctx, string(identity.RoleDeptHead), o.RegionPath, o.DeptID)
	if err != nil {
		return err
	}
	sups, err := s.d.Store.StaffWith(ctx, string(identity.RoleSupervisor), up, 0)
	if err != nil {
		return err
	}
	body := fmt.Sprintf("督办“%s”逾期未反馈，已升级为二级督办，请于 %s 前反馈%s。", short(o.Content), o.Due, o.DueNote())
	if err := s.notifyUsers(ctx, append(append(heads, sups...), o.IssuedBy), o, "supervision.order.escalated", "二级督办 "+o.Number, body); err != nil {
		return err
	}
	return s.record(ctx, identity.SystemActor(), "region:"+o.RegionPath, "order.escalate", "supervision_order", o.ID,
		map[string]any{"number": o.Number, "to": o.EscalatedTo, "due": o.Due.String()})
}

// regionAbove is the path and name of the region above path (the region
// itself at the top).
func (s *Service) regionAbove(ctx context.Context, path string) (string, string, error) {
	ids := strings.Split(strings.Trim(path, "/"), "/")
	pick := len(ids) - 2
	if pick < 0 {
		pick = 0
	}
	id, err := strconv.ParseInt(ids[pick], 10, 64)
	if err != nil {
		return "", "", fmt.Errorf("region path %q: %w", path, err)
	}
	r, err := s.d.Directory.Region(ctx, id)
	if err != nil {
		return "", "", err
	}
	return r.Path, r.Name, nil
}
