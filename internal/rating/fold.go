package rating

import (
	"context"
	"time"

	"openhall/internal/tick"
)

// foldLimit is how many ratings one fold transaction takes.
const foldLimit = 10000

// FoldInterval is how often a serving node folds new ratings into the
// counts. Ratings not folded yet are counted one by one, so the figures
// are exact whenever they are read; the fold keeps that tail short.
const FoldInterval = time.Second

// FoldCounts folds every rating stored so far into the counts and returns
// how many it took.
func (s *Service) FoldCounts(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := s.d.Store.FoldCounts(ctx, foldLimit)
		total += n
		if err != nil || n < foldLimit {
			return total, err
		}
	}
}

// RunFolder folds new ratings into the counts every interval until ctx
// ends. Errors are reported to onErr and retried on the next tick.
//
// Folding in the background, not with each insert, keeps the counts'
// upserts off the path of a rating: under a hall's load one fold adds up
// thousands of ratings into a few hundred count rows.
func (s *Service) RunFolder(ctx context.Context, interval time.Duration, onErr func(error)) {
	tick.Every(ctx, interval, func(ctx context.Context) error {
		_, err := s.FoldCounts(ctx)
		return err
	}, onErr)
}
