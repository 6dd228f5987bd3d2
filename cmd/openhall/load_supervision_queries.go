package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"openhall/internal/app"
	"openhall/internal/supervision"
)

// measureWorkbenchQueries times, without the workbench's short-lived cache,
// each query behind the workbench figures in the city supervisor's scope:
// the pages above may be served from that cache, these show what a miss
// costs and which query dominates it.
func (r supervisionRun) measureWorkbenchQueries(ctx context.Context, a *app.App) error {
	scope, err := supervision.SupervisorScope(demoActor(ctx, a, "supervisor"))
	if err != nil {
		return err
	}
	store := a.Stores.Supervision
	today := time.Now().In(chinaTime)
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	queries := []struct {
		name string
		run  func() error
	}{
		{"按状态和部门计数", func() error {
			_, err := store.WorkbenchCounts(ctx, scope, day(today), day(today.AddDate(0, 0, 6)))
			return err
		}},
		{"红黄牌计数", func() error { _, _, err := store.CardCounts(ctx, scope); return err }},
		{"督办计数", func() error { _, _, err := store.OrderCounts(ctx, scope, day(today)); return err }},
		{"近 12 周红黄牌", func() error { _, err := store.CardsByWeek(ctx, scope, today.AddDate(0, 0, -84)); return err }},
	}
	for _, q := range queries {
		times := make([]time.Duration, 0, r.runs)
		for i := 0; i < r.runs; i++ {
			start := time.Now()
			if err := q.run(); err != nil {
				return fmt.Errorf("%s: %w", q.name, err)
			}
			times = append(times, time.Since(start))
		}
		slices.Sort(times)
		fmt.Fprintf(r.out, "工作台查询（不经缓存）%s：中位数 %s，范围 %s–%s\n", q.name, ms(times[len(times)/2]), ms(times[0]),
			ms(times[len(times)-1]))
	}
	return nil
}

// chinaTime is China Standard Time, the day the workbench counts by.
var chinaTime = time.FixedZone("CST", 8*3600)
