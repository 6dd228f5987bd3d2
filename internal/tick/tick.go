// Package tick runs a node's periodic upkeep (refreshing caches, folding
// counts) on a ticker until its context ends.
package tick

import (
	"context"
	"time"
)

// Every runs run every interval until ctx ends. Its errors go to onErr (if
// not nil), unless ctx has ended; the next tick tries again.
func Every(ctx context.Context, interval time.Duration, run func(context.Context) error, onErr func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := run(ctx); err != nil && ctx.Err() == nil && onErr != nil {
			onErr(err)
		}
	}
}
