package app

import (
	"context"
	"strconv"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/complaint"
	"openhall/internal/rating"
	"openhall/internal/supervision"
)

// registerContributedIndicators adds satisfaction (好评率, 差评数),
// 差评整改率 and complaints to the performance evaluation, its weighted
// score and frozen reports; 好评率 and 差评整改率 also to the public
// indicators. 差评整改率 weighs nothing by default (a centre may give it a
// weight): it is shown beside 好评率, whose score already counts the bad
// reviews.
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
	if err := sv.Indicators.Register(supervision.Indicator{Key: supervision.IndRectify, Label: "差评整改率",
		Public: true, Values: src.rectification}); err != nil {
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

// rectification is 差评整改率: of the tickets of bad reviews given in the
// period, those rectified or explained (appeals upheld left out).
func (s indicatorSource) rectification(ctx context.Context, q supervision.IndicatorQuery) (map[int64]supervision.IndicatorValue, error) {
	f, ok, err := s.scope(ctx, q)
	if !ok || err != nil {
		return nil, err
	}
	counts, err := s.a.Stores.Ratings.CountTickets(ctx, f)
	if err != nil {
		return nil, err
	}
	pick := wanted(q)
	tickets, rectified := map[int64]int{}, map[int64]int{}
	for _, c := range counts {
		if id, ok := pick(c.Key); ok {
			tickets[id] += c.Tickets
			rectified[id] += c.Rectified
		}
	}
	out := map[int64]supervision.IndicatorValue{}
	for id, n := range tickets {
		if v, ok := supervision.RectifyValue(rectified[id], n); ok {
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
	list, err := s.a.Stores.Complaints.ComplaintsSubmitted(ctx, complaint.FigureFilter{From: f.From, To: f.To, RegionPrefix: f.RegionPrefix})
	if err != nil {
		return nil, err
	}
	pick, now := wanted(q), s.a.Services.Supervision.Now()
	sums := map[int64]*complaintSum{}
	for _, c := range list {
		id, ok := pick(complaintKey(c, q.Dim))
		if !ok {
			continue
		}
		if sums[id] == nil {
			sums[id] = &complaintSum{}
		}
		if err := sums[id].add(c, s.a.Services.Calendar, now); err != nil {
			return nil, err
		}
	}
	out := map[int64]supervision.IndicatorValue{}
	for id, c := range sums {
		if v, ok := supervision.ComplaintValue(c.received, c.accepted, c.answered, c.late); ok {
			out[id] = v
		}
	}
	return out, nil
}

// complaintKey is the subject a complaint counts against in a dimension:
// the department it was assigned to, the window or the clerk complained of.
func complaintKey(c *complaint.Complaint, d supervision.Dimension) string {
	switch d {
	case supervision.DimWindow:
		return strconv.FormatInt(c.Subject.WindowID, 10)
	case supervision.DimUser:
		return strconv.FormatInt(c.Subject.StaffID, 10)
	}
	return strconv.FormatInt(c.DepartmentID, 10)
}

// complaintSum adds up a subject's complaints.
type complaintSum struct{ received, accepted, answered, late int }

func (s *complaintSum) add(c *complaint.Complaint, cals interface {
	ForRegion(string) (*calendar.Calendar, error)
}, now time.Time) error {
	cal, err := cals.ForRegion(c.RegionPath)
	if err != nil {
		return err
	}
	late, err := complaint.Late(c, cal, now)
	if err != nil {
		return err
	}
	s.received++
	if c.Status != complaint.StatusSubmitted && c.Status != complaint.StatusRefused {
		s.accepted++
	}
	if c.Status == complaint.StatusAnswered || c.Status == complaint.StatusClosed {
		s.answered++
	}
	if late {
		s.late++
	}
	return nil
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
