package app

import (
	"context"
	"strconv"

	"openhall/internal/complaint"
	"openhall/internal/rating"
	"openhall/internal/supervision"
)

// registerContributedIndicators adds satisfaction (好评率, 差评数) and
// complaints to the performance evaluation, its weighted score and frozen
// reports; 好评率 also to the public indicators.
func (a *App) registerContributedIndicators() error {
	sv := a.Services.Supervision
	if sv == nil {
		return nil
	}
	src := indicatorSource{a}
	if err := sv.Indicators.Register(supervision.Indicator{Key: supervision.IndSatisfaction, Label: "好评率",
		Public: true, DefaultWeight: 10, Values: src.satisfaction}); err != nil {
		return err
	}
	return sv.Indicators.Register(supervision.Indicator{Key: supervision.IndComplaints, Label: "投诉",
		DefaultWeight: 5, Values: src.complaints})
}

// indicatorSource reads the ratings and complaints of a centre's region
// for a period, per department, window or staff member.
type indicatorSource struct{ a *App }

// dimension names supervision's dimension in the ratings' terms (the
// complaints' are the same words).
func dimension(d supervision.Dimension) rating.Dimension {
	switch d {
	case supervision.DimWindow:
		return rating.ByWindow
	case supervision.DimUser:
		return rating.ByStaff
	}
	return rating.ByDepartment
}

// scope is the region of the query's centre and its period as instants.
func (s indicatorSource) scope(ctx context.Context, q supervision.IndicatorQuery) (rating.FigureFilter, bool, error) {
	from, to, ok := supervision.MonthsSpan(q.Months)
	if !ok {
		return rating.FigureFilter{}, false, nil
	}
	c, err := s.a.Services.Org.Centre(ctx, q.CentreID)
	if err != nil {
		return rating.FigureFilter{}, false, err
	}
	r, err := s.a.Services.Org.Region(ctx, c.RegionID)
	if err != nil {
		return rating.FigureFilter{}, false, err
	}
	return rating.FigureFilter{By: dimension(q.Dim), From: from.Time(), To: to.AddDays(1).Time(), RegionPrefix: r.Path}, true, nil
}

// wanted maps the asked subjects' keys to their ids; for the centre as a
// whole, every key counts towards id 0.
func wanted(q supervision.IndicatorQuery) func(key string) (int64, bool) {
	if q.Whole {
		return func(string) (int64, bool) { return 0, true }
	}
	ids := make(map[int64]bool, len(q.IDs))
	for _, id := range q.IDs {
		ids[id] = true
	}
	return func(key string) (int64, bool) {
		id, err := strconv.ParseInt(key, 10, 64)
		return id, err == nil && ids[id]
	}
}

func (s indicatorSource) satisfaction(ctx context.Context, q supervision.IndicatorQuery) (map[int64]supervision.IndicatorValue, error) {
	f, ok, err := s.scope(ctx, q)
	if !ok || err != nil {
		return nil, err
	}
	counts, err := s.a.Stores.Ratings.CountRatings(ctx, f)
	if err != nil {
		return nil, err
	}
	pick := wanted(q)
	good, bad := map[int64]int{}, map[int64]int{}
	for _, c := range counts {
		id, ok := pick(c.Key)
		if !ok || !c.Level.Valid() {
			continue
		}
		if c.Level.Bad() {
			bad[id] += c.N
		} else {
			good[id] += c.N
		}
	}
	out := map[int64]supervision.IndicatorValue{}
	for id := range merge(good, bad) {
		if v, ok := supervision.SatisfactionValue(good[id], bad[id]); ok {
			out[id] = v
		}
	}
	return out, nil
}

func (s indicatorSource) complaints(ctx context.Context, q supervision.IndicatorQuery) (map[int64]supervision.IndicatorValue, error) {
	f, ok, err := s.scope(ctx, q)
	if !ok || err != nil {
		return nil, err
	}
	counts, err := s.a.Stores.Complaints.CountComplaints(ctx, complaint.FigureFilter{By: string(f.By), From: f.From, To: f.To, RegionPrefix: f.RegionPrefix})
	if err != nil {
		return nil, err
	}
	pick := wanted(q)
	sums := map[int64]*complaint.Count{}
	for _, c := range counts {
		if id, ok := pick(c.Key); ok {
			if sums[id] == nil {
				sums[id] = &complaint.Count{}
			}
			sums[id].Received += c.Received
			sums[id].Refused += c.Refused
			sums[id].Answered += c.Answered
		}
	}
	out := map[int64]supervision.IndicatorValue{}
	for id, c := range sums {
		if v, ok := supervision.ComplaintValue(c.Received, c.Refused, c.Answered); ok {
			out[id] = v
		}
	}
	return out, nil
}

func merge(a, b map[int64]int) map[int64]bool {
	out := map[int64]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
