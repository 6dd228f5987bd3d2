package app

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"openhall/internal/cases"
)

// SeedShifted is SeedCases with copies spread over time: copy i repeats the
// template's events moved back by shift(i), so that measurements see cases
// filed, due and closed on many days. Its number carries its own filing
// date.
func (a *App) SeedShifted(ctx context.Context, template string, n int, shift func(i int) time.Duration, progress func(done int)) (first, last int64, err error) {
	tpl, hash, err := a.Stores.Cases.FindCaseByNumber(ctx, template)
	if err != nil {
		return 0, 0, err
	}
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	for done := 0; done < n; {
		size := min(seedBatch, n-done)
		var lo, hi int64
		err := a.Stores.InTx(ctx, func(ctx context.Context) error {
			lo, hi = 0, 0
			for i := done; i < done+size; i++ {
				c := shiftedCopy(tpl, i, shift(i))
				if err := a.Stores.Cases.CreateCase(ctx, c, "seed-"+run+"-"+strconv.Itoa(i), hash, nil); err != nil {
					return fmt.Errorf("seed case %d: %w", i, err)
				}
				if lo == 0 {
					lo = c.ID
				}
				hi = c.ID
			}
			return nil
		})
		if err != nil {
			return first, last, err
		}
		if first == 0 {
			first = lo
		}
		last, done = hi, done+size
		if progress != nil {
			progress(done)
		}
	}
	return first, last, nil
}

// shiftedCopy rebuilds copy i of a case from its events moved back by d.
func shiftedCopy(tpl *cases.Case, i int, d time.Duration) *cases.Case {
	c := &cases.Case{Procedure: tpl.Procedure, Applicant: tpl.Applicant, AgentID: tpl.AgentID, Channel: tpl.Channel, Form: tpl.Form}
	c.Applicant.UserID, c.Applicant.Name = 0, seedName(i)
	c.Fee.DueFen = tpl.Fee.DueFen
	for _, m := range tpl.Materials {
		m.Added = m.Added.Add(-d)
		c.Materials = append(c.Materials, m)
	}
	for _, e := range tpl.Events {
		e.At = e.At.Add(-d)
		c.Apply(e)
	}
	return c
}
