package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"sync"
	"syscall"
	"time"

	"openhall/internal/app"
	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/config"
	"openhall/internal/demo"
	"openhall/internal/loadgen"

	"github.com/jackc/pgx/v5"
)

// lookupKey is the setting that remembers the seeded cases of a database.
const lookupKey = "load.lookup"

// lookupState is what a run leaves for the next one on the same database.
type lookupState struct {
	Number string `json:"number"` // the template case
	Code   string `json:"code"`   // its 查询密码, which opens every copy
	First  int64  `json:"first"`  // id range of the copies
	Last   int64  `json:"last"`
}

func (s lookupState) copies() int {
	if s.First == 0 {
		return 0
	}
	return int(s.Last - s.First + 1)
}

// loadLookup measures the public progress lookup against a hello-world
// server in the same run, on a database holding many cases, and then how
// fast a restarted server on that database is ready.
func loadLookup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := config.Default()
	cfg.DataDir, cfg.Migrate, cfg.LogLevel = "", "yes", "warn"
	fs := flagSet("load lookup", stderr)
	dbFlags(fs, &cfg)
	n := fs.Int("cases", 1000000, "数据库中（复制生成的）办件数")
	conc := fs.Int("concurrency", 64, "并发连接数")
	d := fs.Duration("duration", 10*time.Second, "每项测量的时长（另有 2 秒预热）")
	starts := fs.Int("starts", 3, "冷启动测量次数")
	profile := fs.String("cpuprofile", "", "把进度查询测量期间的 CPU 剖析写入此文件")
	if err := parse(fs, args); err != nil {
		return err
	}
	if cfg.DataDir == "" {
		dir, err := os.MkdirTemp("", "openhall-lookup-")
		if err != nil {
			return err
		}
		cfg.DataDir = dir
	}
	tuneRuntime(cfg)
	fmt.Fprintf(stdout, "数据：%s（GOMAXPROCS %d）\n", backendLabel(cfg), runtime.GOMAXPROCS(0))
	run := lookupRun{cfg: cfg, cases: *n, profile: *profile, out: stdout,
		load: loadgen.Options{Concurrency: *conc, Duration: *d, Warmup: 2 * time.Second}}
	if err := run.phase(ctx); err != nil {
		return err
	}
	printDBSize(ctx, cfg, stdout)
	return coldStarts(ctx, cfg, *starts, stdout)
}

// lookupRun is one run of the measurement.
type lookupRun struct {
	cfg     config.Config
	cases   int
	profile string
	load    loadgen.Options
	out     io.Writer
}

// phase opens the app, serves it on loopback, prepares the cases and
// measures; the app is closed when it returns. The server's log goes to
// load-lookup.log in the data directory.
func (r lookupRun) phase(ctx context.Context) error {
	if err := os.MkdirAll(r.cfg.DataDir, 0o750); err != nil {
		return err
	}
	logPath := filepath.Join(r.cfg.DataDir, "load-lookup.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	fmt.Fprintf(r.out, "服务日志：%s\n", logPath)
	a, err := app.Open(ctx, r.cfg, newLogger(logFile, r.cfg.LogLevel), app.Options{Workers: true})
	if err != nil {
		return err
	}
	defer a.Close()
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
	base := "http://" + ln.Addr().String()
	st, err := prepareLookup(ctx, a, base, r.cases, r.out)
	if err != nil {
		return err
	}
	return r.measure(ctx, a, base, st)
}

// prepareLookup returns the remembered template and copies, filing the
// template and seeding the missing copies first when needed.
func prepareLookup(ctx context.Context, a *app.App, base string, n int, stdout io.Writer) (lookupState, error) {
	var st lookupState
	raw, err := a.Stores.Settings.Setting(ctx, lookupKey)
	switch {
	case err == nil:
		if err := json.Unmarshal([]byte(raw), &st); err != nil {
			return st, fmt.Errorf("设置 %s 无法解析：%w", lookupKey, err)
		}
		fmt.Fprintf(stdout, "沿用先前生成的办件：模板 %s，%d 件\n", st.Number, st.copies())
	case apperr.Is(err, apperr.NotFound):
		if st, err = fileTemplate(base); err != nil {
			return st, err
		}
		fmt.Fprintf(stdout, "已提交并受理模板办件 %s\n", st.Number)
	default:
		return st, err
	}
	if more := n - st.copies(); more > 0 {
		if st, err = seedMore(ctx, a, st, more, stdout); err != nil {
			return st, err
		}
	}
	return st, nil
}

// fileTemplate files and accepts the demo application every copy repeats.
func fileTemplate(base string) (lookupState, error) {
	version, err := itemVersionByName(base, "特种设备使用登记")
	if err != nil {
		return lookupState{}, err
	}
	c, err := loadgen.FileAccepted(base, version, demo.Password, "citizen", "clerk")
	if err != nil {
		return lookupState{}, fmt.Errorf("提交模板办件失败：%w", err)
	}
	return lookupState{Number: c.Number, Code: c.Code}, nil
}

// seedMore inserts more copies right after the existing ones and records
// the new range.
func seedMore(ctx context.Context, a *app.App, st lookupState, more int, stdout io.Writer) (lookupState, error) {
	fmt.Fprintf(stdout, "生成办件 %d 件……\n", more)
	start := time.Now()
	first, last, err := a.SeedCases(ctx, st.Number, more, func(done int) {
		if done%100000 == 0 || done == more {
			fmt.Fprintf(stdout, "  已生成 %d 件（%s）\n", done, time.Since(start).Round(time.Second))
		}
	})
	if err != nil {
		return st, fmt.Errorf("生成办件失败：%w", err)
	}
	elapsed := time.Since(start)
	fmt.Fprintf(stdout, "生成办件 %d 件用时 %s（%.0f 件/秒）\n", more, elapsed.Round(time.Millisecond), float64(more)/elapsed.Seconds())
	if st.First == 0 {
		st.First = first
	} else if first != st.Last+1 {
		return st, fmt.Errorf("新生成的办件编号 %d 与先前的 %d–%d 不连续", first, st.First, st.Last)
	}
	st.Last = last
	b, _ := json.Marshal(st)
	return st, a.Stores.Settings.PutSetting(ctx, lookupKey, string(b))
}

// lookupNumbers lists the numbers of the copies.
func lookupNumbers(ctx context.Context, a *app.App, st lookupState) ([]string, error) {
	tpl, _, err := a.Stores.Cases.FindCaseByNumber(ctx, st.Number)
	if err != nil {
		return nil, fmt.Errorf("模板办件 %s：%w", st.Number, err)
	}
	out := make([]string, 0, st.copies())
	for id := st.First; id <= st.Last; id++ {
		out = append(out, cases.FormatNumber(tpl.Procedure.RegionCode, tpl.CreatedAt, id))
	}
	return out, nil
}

// measure runs the hello-world baseline, then the lookup, and prints both
// with their ratio.
func (r lookupRun) measure(ctx context.Context, a *app.App, base string, st lookupState) error {
	o, stdout := r.load, r.out
	numbers, err := lookupNumbers(ctx, a, st)
	if err != nil {
		return err
	}
	if len(numbers) == 0 {
		return errors.New("没有可查询的办件（--cases 须大于 0）")
	}
	r.warmCache()
	req, err := loadgen.Lookup(base, st.Code, numbers)
	if err != nil {
		return err
	}
	if err := checkLookup(req); err != nil {
		return err
	}
	hello, stopHello := loadgen.HelloServer()
	h := loadgen.Run(ctx, loadgen.Get(hello+"/"), o)
	stopHello()
	fmt.Fprintf(stdout, "hello-world 基线（%d 并发）：%s\n", o.Concurrency, h)
	o.Check = wantOK
	stopProfile, err := startProfile(r.profile)
	if err != nil {
		return err
	}
	l := loadgen.Run(ctx, req, o)
	stopProfile()
	fmt.Fprintf(stdout, "办件进度查询（%d 件中随机）：%s\n", len(numbers), l)
	if l.FirstErr != nil {
		fmt.Fprintf(stdout, "  首个错误：%v\n", l.FirstErr)
	}
	ratio := l.RPS() / h.RPS()
	fmt.Fprintf(stdout, "进度查询 / 基线 = %.1f%%（要求 ≥ 30%%：%s）；p50 %v，p95 %v，p99 %v（要求 ≤ 25ms：%s）\n",
		ratio*100, verdict(ratio >= 0.30), ms(l.P50), ms(l.P95), ms(l.P99), verdict(l.P99 <= 25*time.Millisecond && l.Errors == 0))
	return nil
}

// warmCache reads the SQLite file once, so that it sits in the system's
// page cache as it does on a server that has been running a while: the
// lookups then measure the server, not the disk.
func (r lookupRun) warmCache() {
	if r.cfg.IsPostgres() {
		return
	}
	start := time.Now()
	f, err := os.Open(r.cfg.SQLitePath())
	if err != nil {
		return
	}
	defer f.Close()
	n, _ := io.Copy(io.Discard, f)
	fmt.Fprintf(r.out, "预读数据库文件 %.0f MB 到系统页缓存：%s\n", float64(n)/(1<<20), time.Since(start).Round(time.Millisecond))
}

// checkLookup sends one lookup and requires it to succeed.
func checkLookup(req loadgen.Request) error {
	r, err := req(0, 0)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 500))
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("进度查询失败：%s %s", res.Status, body)
	}
	return nil
}

// startProfile starts CPU profiling into path ("" profiles nothing).
func startProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func wantOK(res *http.Response) error {
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", res.StatusCode)
	}
	return nil
}

func verdict(ok bool) string {
	if ok {
		return "达到"
	}
	return "未达到"
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }

// printDBSize prints the size of the database (with SQLite's WAL file).
func printDBSize(ctx context.Context, cfg config.Config, stdout io.Writer) {
	size, err := dbSize(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stdout, "数据库大小：无法读取（%v）\n", err)
		return
	}
	fmt.Fprintf(stdout, "数据库大小：%.1f MB\n", float64(size)/(1<<20))
}

func dbSize(ctx context.Context, cfg config.Config) (int64, error) {
	if cfg.IsPostgres() {
		conn, err := pgx.Connect(ctx, cfg.DB)
		if err != nil {
			return 0, err
		}
		defer conn.Close(ctx)
		var n int64
		err = conn.QueryRow(ctx, `SELECT pg_database_size(current_database())`).Scan(&n)
		return n, err
	}
	var total int64
	for _, suffix := range []string{"", "-wal"} {
		fi, err := os.Stat(cfg.SQLitePath() + suffix)
		if err == nil {
			total += fi.Size()
		} else if suffix == "" {
			return 0, err
		}
	}
	return total, nil
}

// coldStarts starts `openhall serve` on the database several times (with
// its background workers, as in production) and prints how long each took
// from process start to the first ready answer, and the median.
func coldStarts(ctx context.Context, cfg config.Config, n int, stdout io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	var times []time.Duration
	for i := 1; i <= n; i++ {
		d, err := coldStart(ctx, exe, cfg)
		if err != nil {
			return fmt.Errorf("冷启动第 %d 次：%w", i, err)
		}
		fmt.Fprintf(stdout, "冷启动第 %d 次：%s 后就绪\n", i, ms(d))
		times = append(times, d)
	}
	if n > 0 {
		slices.Sort(times)
		med := times[len(times)/2]
		fmt.Fprintf(stdout, "冷启动中位数：%s（要求 ≤ 1s：%s）\n", ms(med), verdict(med <= time.Second))
	}
	return nil
}

// coldStart runs one serve until GET /readyz answers 200, then stops it
// as an operator would (SIGTERM).
func coldStart(ctx context.Context, exe string, cfg config.Config) (time.Duration, error) {
	addr, err := freeLoopback()
	if err != nil {
		return 0, err
	}
	args := []string{"serve", "--addr", addr, "--data", cfg.DataDir, "--sqlite-sync", cfg.SQLiteSync}
	if cfg.IsPostgres() {
		args = append(args, "--db", cfg.DB)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	logs := &tailBuffer{max: 4000}
	cmd.Stdout, cmd.Stderr = io.Discard, logs
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer stopChild(cmd, exited)
	d, err := pollReady(ctx, "http://"+addr+"/readyz", start, exited)
	if err != nil {
		return 0, fmt.Errorf("%w\n%s", err, logs)
	}
	return d, nil
}

// pollReady asks url every 10 ms until it answers 200.
func pollReady(ctx context.Context, url string, start time.Time, exited <-chan error) (time.Duration, error) {
	client := &http.Client{Timeout: 2 * time.Second}
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		if res, err := client.Get(url); err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return time.Since(start), nil
			}
		}
		select {
		case err := <-exited:
			return 0, fmt.Errorf("服务进程提前退出：%v", err)
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-tick.C:
			if time.Since(start) > time.Minute {
				return 0, errors.New("一分钟内未就绪")
			}
		}
	}
}

// stopChild asks the server to stop and kills it if it does not within
// half a minute.
func stopChild(cmd *exec.Cmd, exited <-chan error) {
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-exited
	}
}

func freeLoopback() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
