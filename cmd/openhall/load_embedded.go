package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"openhall/internal/app"
	"openhall/internal/config"
	"openhall/internal/demo"
	"openhall/internal/loadgen"
)

// loadCasesEmbedded runs the case load against servers it starts itself on
// one database, alternately without and with electronic supervision (the
// cases watched and their cards evaluated by the background job), so that
// the cost supervision adds to a transition is measured in the same run.
func loadCasesEmbedded(ctx context.Context, cfg config.Config, l loadgen.CaseLoad, item string, rounds int, stdout io.Writer) error {
	if cfg.DataDir == "" {
		dir, err := os.MkdirTemp("", "openhall-cases-")
		if err != nil {
			return err
		}
		cfg.DataDir = dir
	}
	cfg.Migrate, cfg.LogLevel = "yes", "warn"
	tuneRuntime(cfg)
	fmt.Fprintf(stdout, "数据：%s；每轮先后测量不启用与启用电子监察（次轮顺序相反）\n", backendLabel(cfg))
	rates := map[bool][]float64{}
	for r := 0; r < rounds; r++ {
		order := []bool{false, true}
		if r%2 == 1 {
			order = []bool{true, false}
		}
		for _, on := range order {
			rate, err := embeddedPhase(ctx, cfg, l, item, on, stdout)
			if err != nil {
				return err
			}
			rates[on] = append(rates[on], rate)
		}
	}
	return printOverhead(rates, stdout)
}

// embeddedPhase opens the app with or without supervision, serves it and
// runs submissions then transitions; it returns the transition rate.
func embeddedPhase(ctx context.Context, cfg config.Config, l loadgen.CaseLoad, item string, supervised bool, stdout io.Writer) (float64, error) {
	logFile, err := os.OpenFile(filepath.Join(cfg.DataDir, "load-cases.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o640)
	if err != nil {
		return 0, err
	}
	defer logFile.Close()
	a, err := app.Open(ctx, cfg, newLogger(logFile, cfg.LogLevel), app.Options{Workers: true, NoSupervision: !supervised})
	if err != nil {
		return 0, err
	}
	defer a.Close()
	if _, err := demo.Load(ctx, a.Stores, a.Services); err != nil {
		return 0, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	srvCtx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- a.Run(srvCtx, ln, 5*time.Second) }()
	defer func() { stop(); <-served }()
	l.BaseURL = "http://" + ln.Addr().String()
	if l.ItemVersion, err = itemVersionByName(l.BaseURL, item); err != nil {
		return 0, err
	}
	sub, err := l.RunSubmissions(ctx)
	if err != nil {
		return 0, err
	}
	tr, err := l.RunTransitions(ctx, sub.Cases)
	if err != nil {
		return 0, err
	}
	label := map[bool]string{false: "不启用电子监察", true: "启用电子监察"}[supervised]
	fmt.Fprintf(stdout, "%s：提交 %.0f/s；状态变更 %d 次，%.0f/s，p99 %v，%d 个错误 %s\n", label, sub.SubmitRate, tr.Transitions,
		tr.TransitionRate, tr.TransitionP99.Round(time.Microsecond), tr.TransitionErrs, tr.FirstErr)
	return tr.TransitionRate, nil
}

// printOverhead prints the cost of a transition with supervision against
// without, from the median rates, with the spread of the rounds.
func printOverhead(rates map[bool][]float64, stdout io.Writer) error {
	off, on := slices.Clone(rates[false]), slices.Clone(rates[true])
	slices.Sort(off)
	slices.Sort(on)
	if len(off) == 0 || len(on) == 0 || on[len(on)/2] == 0 {
		return fmt.Errorf("没有测得状态变更")
	}
	medOff, medOn := off[len(off)/2], on[len(on)/2]
	extra := medOff/medOn - 1
	fmt.Fprintf(stdout, "状态变更吞吐：不启用 %s/s，启用 %s/s（中位数）；每次状态变更的成本增加 %.1f%%（要求 ≤ 15%%：%s）\n",
		list(off), list(on), extra*100, verdict(extra <= 0.15))
	return nil
}

func list(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.0f", x)
	}
	return strings.Join(parts, "、")
}
