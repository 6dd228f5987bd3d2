package publicity

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
	"openhall/internal/powers"
)

// Periods are the publication periods of penalty decisions, in months from
// publication, per penalty kind; an entry stays public for the longest
// period of its kinds. A fine up to LowFine counts as a 较低数额罚款.
//
// The defaults follow 市场监督管理行政处罚信息公示规定 (2021) Art 13: 通报批评
// or a low fine 3 months, any other penalty 3 years; "较低数额" is set by
// each province (Art 13 ¶2), so LowFine's default of 10,000 yuan is a
// placeholder to be configured, unverified. Warnings are not published
// under Art 2 of that rule; other sectors publish them, so they get 3
// months here. Administrators change the periods for their deployment.
type Periods struct {
	Months  map[string]int `json:"months"`   // per penalty kind
	LowFine int64          `json:"low_fine"` // fen
}

// DefaultPeriods are the periods before an administrator sets any.
func DefaultPeriods() Periods {
	m := map[string]int{}
	for _, k := range powers.PenaltyKinds {
		m[k] = 36
	}
	m["警告"], m["通报批评"] = 3, 3
	return Periods{Months: m, LowFine: 10000_00}
}

// MaxPeriodMonths bounds a configured period (限制从业 may run for years).
const MaxPeriodMonths = 240

// Validate checks every kind has a period of 1–240 months.
func (p Periods) Validate() error {
	var f apperr.Fields
	for _, k := range powers.PenaltyKinds {
		m, ok := p.Months[k]
		f.Check(!ok || m < 1 || m > MaxPeriodMonths, "months."+k, fmt.Sprintf("“%s”的公示期应为 1–%d 个月", k, MaxPeriodMonths))
	}
	for k := range p.Months {
		f.Check(!slices.Contains(powers.PenaltyKinds, k), "months", "未知的处罚种类“"+k+"”")
	}
	f.Check(p.LowFine < 0, "low_fine", "较低数额罚款的上限不能为负数")
	return f.Err()
}

// MonthsFor is how long a penalty with these kinds and fine stays public.
func (p Periods) MonthsFor(kinds []string, fine int64) int {
	months := 0
	for _, k := range kinds {
		m := p.Months[k]
		if k == powers.Fine && fine <= p.LowFine {
			m = min(m, 3) // 较低数额罚款: 3 months (Art 13)
		}
		months = max(months, m)
	}
	return months
}

// Until is the last day a penalty published on day stays public: the day
// matching the publication day after the period's months (民法典 Art 202;
// the month's last day when it has no such day).
func Until(published calendar.Date, months int) calendar.Date {
	y, m, d := published.Year(), published.Month(), published.Day()
	first := time.Date(y, m+time.Month(months), 1, 12, 0, 0, 0, time.UTC)
	last := time.Date(first.Year(), first.Month()+1, 0, 12, 0, 0, 0, time.UTC).Day()
	return calendar.NewDate(first.Year(), first.Month(), min(d, last))
}

const periodsKey = "publicity.periods"

// Periods returns the configured publication periods.
func (s *Service) Periods(ctx context.Context) (Periods, error) {
	v, err := s.d.Settings.Setting(ctx, periodsKey)
	if apperr.Is(err, apperr.NotFound) {
		return DefaultPeriods(), nil
	}
	if err != nil {
		return Periods{}, err
	}
	var p Periods
	if err := json.Unmarshal([]byte(v), &p); err != nil {
		return Periods{}, fmt.Errorf("read publication periods: %w", err)
	}
	return p, nil
}

// SetPeriods configures the publication periods; only a system
// administrator of the whole deployment may. Entries already published keep
// their end date.
func (s *Service) SetPeriods(ctx context.Context, a *identity.Actor, p Periods) error {
	if !a.IsGlobalAdmin() {
		return apperr.New(apperr.Forbidden, "只有全局系统管理员可以设置行政处罚信息公示期")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.d.Settings.PutSetting(ctx, periodsKey, string(b)); err != nil {
			return err
		}
		return s.record(ctx, a, "", "publicity.periods", "settings", 0, p)
	})
}
