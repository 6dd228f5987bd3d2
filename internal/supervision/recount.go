package supervision

import (
	"context"
	"fmt"
	"time"
)

// Recount counts the evaluation figures again from every case's events
// (and the 督办 and entered cards), and replaces the monthly counts with
// the result. The counts are normally kept incrementally; a recount is for
// cases from before supervision existed, or inserted behind its back (the
// capacity measurements seed them so). progress, if not nil, hears the
// number of cases counted so far.
func (s *Service) Recount(ctx context.Context, progress func(done int)) (int, error) {
	now := s.d.Now()
	dir, err := s.dir.get(ctx, now)
	if err != nil {
		return 0, err
	}
	sums := map[statKey]*Counts{}
	done := 0
	for after := int64(0); ; {
		batch, err := s.d.Store.AllHistories(ctx, after, 2000)
		if err != nil || len(batch) == 0 {
			if err != nil {
				return done, err
			}
			break
		}
		tallies, err := s.recountBatch(ctx, batch, dir, now)
		if err != nil {
			return done, err
		}
		add(sums, expand(tallies, dir))
		done += len(batch)
		after = batch[len(batch)-1].CaseID
		if progress != nil {
			progress(done)
		}
	}
	extra, err := s.d.Store.ExtraTallies(ctx)
	if err != nil {
		return done, err
	}
	add(sums, expand(extra, dir))
	return done, s.d.Tx.InTx(ctx, func(ctx context.Context) error { return s.d.Store.ReplaceStats(ctx, flatten(sums)) })
}

// recountBatch evaluates cases from their first event, in parallel.
func (s *Service) recountBatch(ctx context.Context, batch []*Watched, dir *directory, now time.Time) ([]Tally, error) {
	outs := make([][]Tally, len(batch))
	errs := make([]error, len(batch))
	s.parallel(len(batch), func(i int) {
		w := batch[i]
		cal, err := s.d.Calendars.ForRegion(w.Procedure.RegionPath)
		if err != nil {
			errs[i] = err
			return
		}
		rules, err := s.rules.get(ctx, dir.deptCentre[w.Procedure.DepartmentID], now)
		if err != nil {
			errs[i] = err
			return
		}
		out, err := Evaluate(Input{CaseID: w.CaseID, Number: w.Number, Procedure: w.Procedure, Events: w.Events, Rules: rules,
			Calendar: cal, Hours: s.d.Hours, Online: s.itemOnline(ctx, w.Procedure.ItemVersionID), Now: now})
		outs[i], errs[i] = out.Tallies, err
	})
	var all []Tally
	for i := range batch {
		if errs[i] != nil {
			return nil, fmt.Errorf("recount case %d: %w", batch[i].CaseID, errs[i])
		}
		all = append(all, outs[i]...)
	}
	return all, nil
}

type statKey struct {
	month  string
	centre int64
	dim    Dimension
	id     int64
}

func add(sums map[statKey]*Counts, ds []StatDelta) {
	for _, d := range ds {
		k := statKey{d.Month, d.CentreID, d.Dim, d.DimID}
		if sums[k] == nil {
			sums[k] = &Counts{}
		}
		sums[k].Add(d.Counts)
	}
}

func flatten(sums map[statKey]*Counts) []StatDelta {
	out := make([]StatDelta, 0, len(sums))
	for k, c := range sums {
		out = append(out, StatDelta{Month: k.month, CentreID: k.centre, Dim: k.dim, DimID: k.id, Counts: *c})
	}
	return SumDeltas(out)
}

// ExtraTally is the count of a 督办 (colour None) or of a card kept
// outside a case's evaluation state.
func ExtraTally(at time.Time, dept, user int64, c Colour) Tally {
	if c == None {
		return Tally{At: at, Dept: dept, Counts: Counts{Orders: 1}}
	}
	return Tally{At: at, Dept: dept, User: user, Counts: cardCounts(c)}
}
