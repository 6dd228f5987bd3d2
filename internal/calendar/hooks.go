package calendar

import "context"

// OnChange registers fn to run inside the transaction of every change of
// the working days (an imported schedule, a region adjustment added or
// removed), so that what was computed from them and stored is recomputed:
// fn typically enqueues that work in the same transaction. Register before
// serving; it is not safe to call concurrently with changes.
func (s *Service) OnChange(fn func(ctx context.Context) error) {
	s.onChange = append(s.onChange, fn)
}

func (s *Service) notifyChange(ctx context.Context) error {
	for _, fn := range s.onChange {
		if err := fn(ctx); err != nil {
			return err
		}
	}
	return nil
}
