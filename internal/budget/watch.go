package budget

import (
	"context"
	"sort"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// Watch is what the supervision workbench shows of 预算法 Art 14 for the
// agencies in a supervisor's area: the sets approved this year counted
// against the clock, and every unpublished set within five days of its due date or
// past it, whatever its year, most urgent first.
type Watch struct {
	Year int
	Timeliness
	Attention []*View
}

// Watch returns the Art 14 figures of the sets the actor supervises.
func (s *Service) Watch(ctx context.Context, a *identity.Actor) (*Watch, error) {
	if !a.Has(identity.RoleSupervisor) && !a.Has(identity.RoleSysAdmin) {
		return nil, apperr.New(apperr.Forbidden, "只有监察人员可以查看预决算公开时效")
	}
	all, err := s.views(ctx, SetFilter{})
	if err != nil {
		return nil, err
	}
	w := &Watch{Year: s.Today().Year()}
	for _, v := range all {
		ag, err := s.agency(ctx, "", v.AgencyID)
		if err != nil {
			return nil, err
		}
		if !CanWatch(a, ag) {
			continue
		}
		if v.ApprovedOn.Year() == w.Year {
			w.Timeliness.add(v.Clock)
		}
		if v.Clock.Warn() {
			w.Attention = append(w.Attention, v)
		}
	}
	sort.SliceStable(w.Attention, func(i, j int) bool { return w.Attention[i].Clock.DaysLeft < w.Attention[j].Clock.DaysLeft })
	return w, nil
}

// add counts one set's clock.
func (t *Timeliness) add(c Clock) {
	t.Total++
	switch {
	case c.PublishedOn != (calendar.Date{}) && c.OnTime:
		t.OnTime++
	case c.PublishedOn != (calendar.Date{}):
		t.Late++
	case c.Overdue:
		t.Overdue++
	default:
		t.Pending++
	}
}
