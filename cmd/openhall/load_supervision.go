package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"openhall/internal/app"
	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/config"
	"openhall/internal/demo"
	"openhall/internal/identity"
	"openhall/internal/loadgen"
	"openhall/internal/supervision"
)

// supervisionKey is the setting that remembers the seeded cases.
const supervisionKey = "load.supervision"

// supervisionState is what a run leaves for the next one on the database.
type supervisionState struct {
	Closed    int  `json:"closed"` // copies of the decided template
	Open      int  `json:"open"`   // copies of the accepted one
	Recounted bool `json:"recounted"`
}

// loadSupervision measures electronic supervision on a database holding
// many cases, most of them closed: the workbench against a hello-world
// server, the re-evaluation of every open case (a calendar import) against
// a plain read of the same rows, and a quarter's evaluation.
func loadSupervision(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := config.Default()
	cfg.DataDir, cfg.Migrate, cfg.LogLevel = "", "yes", "warn"
	fs := flagSet("load supervision", stderr)
	dbFlags(fs, &cfg)
	total := fs.Int("cases", 1000000, "数据库中的办件总数")
	open := fs.Int("open", 100000, "其中在办件数")
	conc := fs.Int("concurrency", 16, "并发连接数")
	d := fs.Duration("duration", 10*time.Second, "每项吞吐测量的时长（另有 2 秒预热）")
	runs := fs.Int("runs", 3, "重新评估与季度考评各测量几次")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *open > *total || *open < 1 {
		return usagef("--open 须在 1 与 --cases 之间")
	}
	if cfg.DataDir == "" {
		dir, err := os.MkdirTemp("", "openhall-supervision-")
		if err != nil {
			return err
		}
		cfg.DataDir = dir
	}
	tuneRuntime(cfg)
	fmt.Fprintf(stdout, "数据：%s（GOMAXPROCS %d）\n", backendLabel(cfg), runtime.GOMAXPROCS(0))
	r := supervisionRun{cfg: cfg, total: *total, open: *open, runs: *runs, out: stdout,
		load: loadgen.Options{Concurrency: *conc, Duration: *d, Warmup: 2 * time.Second}}
	return r.phase(ctx)
}

// supervisionRun is one run of the measurement.
type supervisionRun struct {
	cfg         config.Config
	total, open int
	runs        int
	load        loadgen.Options
	out         io.Writer
}

// phase opens the app (without background workers, so that nothing but the
// measured work runs), serves it on loopback, prepares the data and
// measures.
func (r supervisionRun) phase(ctx context.Context) error {
	if err := os.MkdirAll(r.cfg.DataDir, 0o750); err != nil {
		return err
	}
	logFile, err := os.Create(filepath.Join(r.cfg.DataDir, "load-supervision.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	a, err := app.Open(ctx, r.cfg, newLogger(logFile, r.cfg.LogLevel), app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	if a.Services.Supervision == nil {
		return errors.New("电子监察未启用")
	}
	if _, err := demo.Load(ctx, a.Stores, a.Services); err != nil {
		return fmt.Errorf("载入演示数据失败：%w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srvCtx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- a.Run(srvCtx, ln, 5*time.Second) }()
	defer func() { stop(); <-served }()
	if err := r.prepare(ctx, a); err != nil {
		return err
	}
	return r.measure(ctx, a, "http://"+ln.Addr().String())
}

// prepare seeds the closed and open copies the database lacks, watches
// the open ones, evaluates them once and recounts the figures.
func (r supervisionRun) prepare(ctx context.Context, a *app.App) error {
	var st supervisionState
	if raw, err := a.Stores.Settings.Setting(ctx, supervisionKey); err == nil {
		if err := json.Unmarshal([]byte(raw), &st); err != nil {
			return fmt.Errorf("设置 %s 无法解析：%w", supervisionKey, err)
		}
	} else if !apperr.Is(err, apperr.NotFound) {
		return err
	}
	fake := cases.MaterialFile{Code: "m4", FileName: "监督检验证书.pdf", SHA256: strings.Repeat("0", 64), Size: 1, MIME: "application/pdf"}
	closed, open, err := supervisionTemplates(ctx, a, "load-supervision-", fake)
	if err != nil {
		return err
	}
	wantClosed := r.total - r.open
	if err := r.seed(ctx, a, "已办结", closed, wantClosed-st.Closed, spreadClosed); err != nil {
		return err
	}
	if err := r.seed(ctx, a, "在办", open, r.open-st.Open, spreadOpen); err != nil {
		return err
	}
	changed := st.Closed != wantClosed || st.Open != r.open || !st.Recounted
	st = supervisionState{Closed: max(st.Closed, wantClosed), Open: max(st.Open, r.open), Recounted: true}
	if changed {
		if err := r.evaluateAll(ctx, a); err != nil {
			return err
		}
	}
	b, _ := json.Marshal(st)
	return a.Stores.Settings.PutSetting(ctx, supervisionKey, string(b))
}

// spreadClosed moves decided copies back over the last 180 days; open
// copies are filed over the last 16 days, so that some are due, some
// overdue.
func spreadClosed(i int) time.Duration {
	return time.Duration(i%180)*24*time.Hour + time.Duration(i%7)*time.Hour
}
func spreadOpen(i int) time.Duration {
	return time.Duration(i%16)*24*time.Hour + time.Duration(i%5)*time.Hour
}

func (r supervisionRun) seed(ctx context.Context, a *app.App, what, template string, n int, shift func(int) time.Duration) error {
	if n <= 0 {
		return nil
	}
	fmt.Fprintf(r.out, "生成%s办件 %d 件……\n", what, n)
	start := time.Now()
	_, _, err := a.SeedShifted(ctx, template, n, shift, func(done int) {
		if done%100000 == 0 || done == n {
			fmt.Fprintf(r.out, "  已生成 %d 件（%s）\n", done, time.Since(start).Round(time.Second))
		}
	})
	return err
}

// evaluateAll starts watching the seeded open cases, evaluates them once
// and recounts the figures from every case's events.
func (r supervisionRun) evaluateAll(ctx context.Context, a *app.App) error {
	sv := a.Services.Supervision
	n, err := sv.WatchOpenCases(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	written, err := sv.EvaluateDue(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(r.out, "纳入监察 %d 件在办件，首次评估（含全部历史事件）%d 件用时 %s\n", n, written, time.Since(start).Round(time.Millisecond))
	start = time.Now()
	counted, err := sv.Recount(ctx, func(done int) {
		if done%200000 == 0 {
			fmt.Fprintf(r.out, "  已重新统计 %d 件（%s）\n", done, time.Since(start).Round(time.Second))
		}
	})
	if err != nil {
		return err
	}
	el := time.Since(start)
	fmt.Fprintf(r.out, "按事件重新统计全部 %d 件办件：%s（%.0f 件/秒）\n", counted, el.Round(time.Millisecond), float64(counted)/el.Seconds())
	return nil
}

// supervisionTemplates files the two demo cases every copy repeats: one
// decided through both steps, one accepted and waiting, each with the
// material mat (code m4) and an idempotency key starting with keyPrefix.
func supervisionTemplates(ctx context.Context, a *app.App, keyPrefix string, mat cases.MaterialFile) (closed, open string, err error) {
	items, _, err := a.Services.Catalog.Search(ctx, catalog.SearchQuery{Text: "特种设备使用登记"})
	if err != nil || len(items) == 0 || items[0].PublishedID == nil {
		return "", "", fmt.Errorf("演示事项“特种设备使用登记”不存在：%v", err)
	}
	version := *items[0].PublishedID
	file := func(key string, steps ...[2]string) (string, error) {
		in := cases.FileInput{ItemVersionID: version, Key: keyPrefix + key, Form: map[string]string{"summary": "压力测试"},
			Materials: []cases.MaterialFile{mat}}
		filed, err := a.Services.Cases.File(ctx, demoActor(ctx, a, "citizen"), in)
		if err != nil {
			return "", err
		}
		for _, s := range steps {
			// A step's decision carries its 审查意见, as the hall requires.
			cmd := cases.Command{Kind: cases.CommandKind(s[1]), Reason: "材料齐全，符合条件"}
			if _, err := a.Services.Cases.Act(ctx, demoActor(ctx, a, s[0]), filed.Case.ID, cases.Action{Command: cmd}); err != nil && !apperr.Is(err, apperr.Conflict) {
				return "", err
			}
		}
		return filed.Case.Number, nil
	}
	if closed, err = file("closed", [2]string{"clerk", "accept"}, [2]string{"approver", "pass"}, [2]string{"depthead", "pass"}); err != nil {
		return "", "", err
	}
	open, err = file("open", [2]string{"clerk", "accept"})
	return closed, open, err
}

func demoActor(ctx context.Context, a *app.App, user string) *identity.Actor {
	_, actor, err := a.Services.Identity.Login(ctx, identity.LoginInput{Username: user, Password: demo.Password, Address: "127.0.0.1"})
	if err != nil {
		panic(fmt.Sprintf("演示账号 %s 无法登录：%v", user, err))
	}
	return actor
}

// measure runs the measurements and prints them with their baselines.
func (r supervisionRun) measure(ctx context.Context, a *app.App, base string) error {
	if err := r.measureWorkbench(ctx, base); err != nil {
		return err
	}
	if err := r.measureWorkbenchQueries(ctx, a); err != nil {
		return err
	}
	if err := r.measureReevaluation(ctx, a); err != nil {
		return err
	}
	return r.measureQuarter(ctx, a)
}

// measureWorkbench loads the workbench page and its JSON as the city's
// supervisor (every case in scope) next to a hello-world server.
func (r supervisionRun) measureWorkbench(ctx context.Context, base string) error {
	cookie, err := loadgen.SessionCookie(base, "supervisor", demo.Password)
	if err != nil {
		return err
	}
	hello, stopHello := loadgen.HelloServer()
	h := loadgen.Run(ctx, loadgen.Get(hello+"/"), r.load)
	stopHello()
	fmt.Fprintf(r.out, "hello-world 基线（%d 并发）：%s\n", r.load.Concurrency, h)
	o := r.load
	o.Check = wantOK
	for _, page := range []string{"/supervision", "/api/v1/supervision/workbench"} {
		res := loadgen.Run(ctx, loadgen.GetAs(base+page, cookie), o)
		fmt.Fprintf(r.out, "工作台 %s：%s；p95 %s（要求 ≤ 100ms：%s），为基线的 %.1f%%\n", page, res, ms(res.P95),
			verdict(res.P95 <= 100*time.Millisecond && res.Errors == 0), 100*res.RPS()/h.RPS())
		if res.FirstErr != nil {
			fmt.Fprintf(r.out, "  首个错误：%v\n", res.FirstErr)
		}
	}
	return nil
}

// measureReevaluation times the re-evaluation of every open case (what a
// calendar import triggers) against reading the same rows and histories
// in one goroutine without evaluating them, in wall-clock time and in the
// process's CPU time (the machine may be shared).
func (r supervisionRun) measureReevaluation(ctx context.Context, a *app.App) error {
	sv, store := a.Services.Supervision, a.Stores.Supervision
	var evals []time.Duration
	for i := 0; i < r.runs; i++ {
		start, cpu0 := time.Now(), cpuTime()
		rows := 0
		for after := int64(0); ; {
			batch, err := store.CasesBetween(ctx, after, math.MaxInt64, 2000)
			if err != nil {
				return err
			}
			if len(batch) == 0 {
				break
			}
			rows += len(batch)
			after = batch[len(batch)-1].CaseID
		}
		read, readCPU := time.Since(start), cpuTime()-cpu0
		start, cpu0 = time.Now(), cpuTime()
		written, err := sv.ReevaluateAll(ctx)
		if err != nil {
			return err
		}
		evals = append(evals, time.Since(start))
		fmt.Fprintf(r.out, "重新评估第 %d 次：只读取 %d 件在办件及其历史 %s（CPU %s）；读取并评估 %s（CPU %s，写入 %d 件有变化的），为只读取的 %.2f 倍\n",
			i+1, rows, ms(read), ms(readCPU), ms(evals[i]), ms(cpuTime()-cpu0), written, evals[i].Seconds()/read.Seconds())
	}
	slices.Sort(evals)
	fmt.Fprintf(r.out, "重新评估全部在办件：中位数 %s，范围 %s–%s（要求 ≤ 2s：%s）\n", ms(evals[len(evals)/2]), ms(evals[0]),
		ms(evals[len(evals)-1]), verdict(evals[len(evals)/2] <= 2*time.Second))
	return nil
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measureQuarter times a quarter's evaluation of the centre holding the
// cases, read from the monthly counts.
func (r supervisionRun) measureQuarter(ctx context.Context, a *app.App) error {
	sv := a.Services.Supervision
	admin := demoActor(ctx, a, "admin")
	centres, err := sv.Centres(ctx, admin)
	if err != nil {
		return err
	}
	centre := int64(0)
	for _, c := range centres {
		if c.Name == "西湖区政务服务中心" {
			centre = c.ID
		}
	}
	p := supervision.Period{Kind: "quarter", Year: time.Now().Year(), N: (int(time.Now().Month())-1)/3 + 1}
	var times []time.Duration
	var ev *supervision.Evaluation
	for i := 0; i < r.runs; i++ {
		start := time.Now()
		if ev, err = sv.Evaluate(ctx, admin, centre, p); err != nil {
			return err
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	fmt.Fprintf(r.out, "季度考评（%s，%s，合计办结 %d 件、收件 %d 件）：中位数 %s，范围 %s–%s（要求 ≤ 3s：%s）\n", ev.CentreName, p.Label(),
		ev.Total.Counts.Decided, ev.Total.Counts.Received, ms(times[len(times)/2]), ms(times[0]), ms(times[len(times)-1]),
		verdict(times[len(times)/2] <= 3*time.Second))
	return nil
}
