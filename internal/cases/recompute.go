package cases

import (
	"context"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
)

// Due dates are computed from a case's events every time they are shown,
// so they follow the calendar by themselves; only the copies kept on the
// rows for sorting queues are stored. When the calendar changes (a year's
// State Council schedule imported, a region's adjustment added or
// removed), RecomputeDues rewrites those copies for the open cases the
// change can reach.

// recomputeBatch is how many cases RecomputeDues reads per round.
const recomputeBatch = 200

// RecomputeDues rewrites the stored due dates of the open cases with a due
// date on or after from, and returns how many it rewrote.
func (s *Service) RecomputeDues(ctx context.Context, from calendar.Date) (int, error) {
	n := 0
	after := int64(0)
	for {
		ids, err := s.d.Store.FindOpenCaseIDs(ctx, from.String(), after, recomputeBatch)
		if err != nil || len(ids) == 0 {
			return n, err
		}
		for _, id := range ids {
			if err := s.recomputeOne(ctx, id); err != nil {
				return n, err
			}
			n++
		}
		after = ids[len(ids)-1]
	}
}

func (s *Service) recomputeOne(ctx context.Context, id int64) error {
	for try := 0; ; try++ {
		err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
			c, err := s.d.Store.LoadCase(ctx, id, true)
			if err != nil {
				return err
			}
			due, err := s.dues(c)
			if err != nil {
				return err
			}
			return s.d.Store.UpdateDues(ctx, c, due)
		})
		if !apperr.Is(err, apperr.Conflict) || try == 2 {
			return err
		}
	}
}
