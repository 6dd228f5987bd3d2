package supervision

import (
	"fmt"
	"time"

	"openhall/internal/calendar"
)

// Keys of the indicators the ratings and complaints modules contribute.
const (
	IndSatisfaction = "satisfaction" // 好评率，差评数
	IndComplaints   = "complaints"   // 投诉
	IndRectify      = "rectify"      // 差评整改率
)

// ComplaintPenalty is how many points the complaints indicator loses per
// complaint accepted against a subject and per complaint handled late. The weighting of complaints in a
// 绩效评估 is set locally; no national rule fixes it (unverified).
const ComplaintPenalty = 10

// SatisfactionValue is the 好评率 figure of good and bad ratings: the rate
// itself is the score. Nothing rated gives no figure.
func SatisfactionValue(good, bad int) (IndicatorValue, bool) {
	total := good + bad
	if total == 0 {
		return IndicatorValue{}, false
	}
	v := float64(good) / float64(total)
	return IndicatorValue{Value: v, Score: v * 100,
		Display: fmt.Sprintf("%.1f%%（%d/%d），差评 %d 件", v*100, good, total, bad)}, true
}

// RectifyValue is the 差评整改率 figure: of the bad reviews handled by a
// ticket, those rectified or explained (国办发〔2019〕51号 asks for every
// bad review to be rectified and the rate made public); the rate itself is
// the score. No ticket gives no figure.
func RectifyValue(rectified, tickets int) (IndicatorValue, bool) {
	if tickets == 0 {
		return IndicatorValue{}, false
	}
	v := float64(rectified) / float64(tickets)
	return IndicatorValue{Value: v, Score: v * 100, Display: fmt.Sprintf("%.1f%%（%d/%d）", v*100, rectified, tickets)}, true
}

// ComplaintValue is the complaints figure: received, of them accepted (not
// refused as outside the rules nor still waiting to be), answered, and
// late (a deadline missed). Each accepted complaint and each late one
// costs ComplaintPenalty points. Nothing received gives no figure.
func ComplaintValue(received, accepted, answered, late int) (IndicatorValue, bool) {
	if received == 0 {
		return IndicatorValue{}, false
	}
	return IndicatorValue{Value: float64(accepted), Score: float64(max(0, 100-(accepted+late)*ComplaintPenalty)),
		Display: fmt.Sprintf("收到 %d 件，受理 %d 件，已答复 %d 件，超期 %d 件", received, accepted, answered, late)}, true
}

// MonthsSpan is the first and last day of the months of a query ("2026-01"
// …, in any order), for modules counting by date. No months gives zero
// dates and false.
func MonthsSpan(months []string) (from, to calendar.Date, ok bool) {
	for _, m := range months {
		t, err := time.Parse("2006-01", m)
		if err != nil {
			continue
		}
		first := calendar.NewDate(t.Year(), t.Month(), 1)
		last := calendar.NewDate(t.Year(), t.Month()+1, 1).AddDays(-1)
		if !ok || first.Before(from) {
			from = first
		}
		if !ok || last.After(to) {
			to = last
		}
		ok = true
	}
	return from, to, ok
}

// IndicatorLabels lists every indicator an administrator weighs: the
// built-in ones, then those other modules contribute.
func (s *Service) IndicatorLabels() [][2]string { return s.indicatorColumns() }

// withDefaultWeights fills in the default weight of each contributed
// indicator a centre's policy does not name yet.
func (s *Service) withDefaultWeights(p Policy) Policy {
	w := make(map[string]int, len(p.Weights))
	for k, v := range p.Weights {
		w[k] = v
	}
	for _, ind := range s.Indicators.All() {
		if _, ok := w[ind.Key]; !ok {
			w[ind.Key] = ind.DefaultWeight
		}
	}
	p.Weights = w
	return p
}
