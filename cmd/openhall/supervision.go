package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"openhall/internal/config"
)

// cmdSupervision runs electronic supervision's maintenance: recount
// rebuilds the evaluation's monthly counts from every case's events (for
// cases from before supervision, which the migration watches only while
// open).
func cmdSupervision(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "recount" {
		return usagef("用法：openhall supervision recount [--data DIR | --db URL]")
	}
	cfg := config.Default()
	fs := flagSet("supervision recount", stderr)
	dbFlags(fs, &cfg)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	sv := a.Services.Supervision
	if sv == nil {
		return errors.New("电子监察未启用")
	}
	start := time.Now()
	watched, err := sv.WatchOpenCases(ctx)
	if err != nil {
		return err
	}
	n, err := sv.Recount(ctx, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已重新统计 %d 件办件（新纳入监察的在办件 %d 件），用时 %s\n", n, watched, time.Since(start).Round(time.Millisecond))
	return nil
}
