package budget

import (
	"context"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// View is a set with its Art 14 clock.
type View struct {
	*Set
	Clock Clock
}

func (s *Service) view(set *Set) (*View, error) {
	cal, err := s.d.Calendars.ForRegion(set.RegionPath)
	if err != nil {
		return nil, err
	}
	c, err := ComputeClock(cal, set.ApprovedOn, set.PublishedOn, s.Today())
	if err != nil {
		return nil, err
	}
	return &View{Set: set, Clock: c}, nil
}

// Set returns a set to its staff (any state) or, once published, to anyone.
func (s *Service) Set(ctx context.Context, a *identity.Actor, id int64) (*View, error) {
	set, ag, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !set.Published() {
		if err := CanView(a, ag); err != nil {
			return nil, err
		}
	}
	return s.view(set)
}

// PublishedSet returns a published set by agency, year and kind.
func (s *Service) PublishedSet(ctx context.Context, agencyID int64, year int, kind Kind) (*View, error) {
	set, err := s.d.Store.FindSet(ctx, agencyID, year, kind)
	if err != nil {
		return nil, err
	}
	if !set.Published() {
		return nil, apperr.New(apperr.NotFound, "%d 年%s尚未公开", year, kind.Label())
	}
	if set, err = s.d.Store.FindSetByID(ctx, set.ID); err != nil {
		return nil, err
	}
	return s.view(set)
}

// Published lists published sets (newest year first).
func (s *Service) Published(ctx context.Context, f SetFilter) ([]*View, error) {
	f.Published = true
	return s.views(ctx, f)
}

// Staff lists the sets an actor may see before publication: those of the
// agencies in the region subtree, filtered by CanView.
func (s *Service) Staff(ctx context.Context, a *identity.Actor, f SetFilter) ([]*View, error) {
	all, err := s.views(ctx, f)
	if err != nil {
		return nil, err
	}
	var out []*View
	for _, v := range all {
		ag, err := s.agency(ctx, "", v.AgencyID)
		if err != nil {
			return nil, err
		}
		if CanView(a, ag) == nil {
			out = append(out, v)
		}
	}
	return out, nil
}

func (s *Service) views(ctx context.Context, f SetFilter) ([]*View, error) {
	sets, err := s.d.Store.FindSets(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]*View, 0, len(sets))
	for _, set := range sets {
		v, err := s.view(set)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Timeliness counts sets against Art 14.
type Timeliness struct {
	Total, OnTime, Late, Overdue, Pending int
}

// Timeliness counts the sets of agencies under pathPrefix for budget year
// year (a final account of 2025 counts in 2025, whenever approved): the
// public figures. The supervision figures (Watch) count by approval year.
func (s *Service) Timeliness(ctx context.Context, pathPrefix string, year int) (Timeliness, error) {
	var t Timeliness
	vs, err := s.views(ctx, SetFilter{PathPrefix: pathPrefix, Year: year})
	if err != nil {
		return t, err
	}
	for _, v := range vs {
		t.add(v.Clock)
	}
	return t, nil
}

// YearTimeliness is Timeliness of the sets of one year.
type YearTimeliness struct {
	Year int
	Timeliness
}

// RecentTimeliness is Timeliness for this year (China time) and the two
// before it, newest first.
func (s *Service) RecentTimeliness(ctx context.Context, pathPrefix string) ([]YearTimeliness, error) {
	this := calendar.DateOf(s.now()).Year()
	out := make([]YearTimeliness, 0, 3)
	for y := this; y > this-3; y-- {
		t, err := s.Timeliness(ctx, pathPrefix, y)
		if err != nil {
			return nil, err
		}
		out = append(out, YearTimeliness{Year: y, Timeliness: t})
	}
	return out, nil
}

// Agencies lists the agencies whose budgets the actor prepares.
func (s *Service) Agencies(ctx context.Context, a *identity.Actor, all []*disclosure.Agency) []*disclosure.Agency {
	var out []*disclosure.Agency
	for _, ag := range all {
		if CanPrepare(a, ag) == nil {
			out = append(out, ag)
		}
	}
	return out
}
