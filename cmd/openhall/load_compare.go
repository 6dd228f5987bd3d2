package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"openhall/internal/loadgen"
	"openhall/internal/store/dbbench"

	"github.com/jackc/pgx/v5"
)

// compareRun is one server binary measured once: the raw insert rate of the
// database right before and right after submissions and transitions.
type compareRun struct {
	label               string
	rawBefore, rawAfter float64 // rows/s, 1 row per transaction
	sub, tr             loadgen.CaseReport
}

// raw is the baseline of the run's ratios: the mean of the raw rates
// measured on either side of the load, so that a slow spell of the machine
// during the run weighs on both sides of a ratio.
func (r compareRun) raw() float64 { return (r.rawBefore + r.rawAfter) / 2 }

// loadCompare measures two builds of openhall on the same machine in one
// run, alternating them: each measurement starts a fresh server with the
// demo data (a new SQLite directory, or a new PostgreSQL database) and is
// framed by `load db`'s single-row rate, the baseline of its ratios.
func loadCompare(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("load compare", stderr)
	baseline := fs.String("baseline", "", "对照的 openhall 可执行文件（例如改动前构建的版本）")
	current := fs.String("current", "", "被测的 openhall 可执行文件；留空为本程序")
	db := fs.String("db", "", "PostgreSQL 连接串（有权建库的账号）；留空测量 SQLite")
	runs := fs.Int("runs", 2, "每个版本测量的次数（两版本交替进行）")
	d := fs.Duration("duration", 20*time.Second, "提交与办理各阶段的时长")
	raw := fs.Duration("raw", 5*time.Second, "每次测量前 load db 的时长")
	conc := fs.Int("concurrency", 64, "并发连接数")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *baseline == "" {
		return usagef("请用 --baseline 指定对照版本的 openhall 可执行文件")
	}
	if *current == "" {
		self, err := os.Executable()
		if err != nil {
			return err
		}
		*current = self
	}
	c := comparer{db: *db, duration: *d, raw: *raw, conc: *conc, log: stderr, leftovers: &[]func(){}}
	defer c.removeLeftovers()
	var results []compareRun
	for i := 1; i <= *runs; i++ {
		order := []string{*baseline, *current}
		if i%2 == 0 {
			order = []string{*current, *baseline}
		}
		for _, bin := range order {
			label := fmt.Sprintf("before#%d", i)
			if bin == *current {
				label = fmt.Sprintf("after#%d", i)
			}
			r, err := c.measure(ctx, bin, label)
			if err != nil {
				return fmt.Errorf("%s（%s）：%w", label, bin, err)
			}
			results = append(results, r)
		}
	}
	printComparison(stdout, results, *db != "")
	printMedians(stdout, results)
	return nil
}

type comparer struct {
	db       string
	duration time.Duration
	raw      time.Duration
	conc     int
	log      io.Writer
	// leftovers remove each measurement's data directory and database,
	// once every measurement is done: a directory of tens of thousands of
	// uploads removed between two measurements made creating files slower
	// in the next, so that later measurements paid for earlier ones.
	leftovers *[]func()
}

func (c comparer) removeLeftovers() {
	for _, fn := range *c.leftovers {
		fn()
	}
}

// measure runs one binary once on fresh data.
func (c comparer) measure(ctx context.Context, bin, label string) (compareRun, error) {
	r := compareRun{label: label}
	dir, err := os.MkdirTemp("", "openhall-compare-")
	if err != nil {
		return r, err
	}
	*c.leftovers = append(*c.leftovers, func() { os.RemoveAll(dir) })
	dbURL, drop, err := c.freshDatabase(ctx)
	if err != nil {
		return r, err
	}
	*c.leftovers = append(*c.leftovers, drop)
	fmt.Fprintf(c.log, "== %s: %s\n", label, bin)
	srv, err := startServer(ctx, bin, dir, dbURL)
	if err != nil {
		return r, err
	}
	defer srv.stop()
	if r.rawBefore, err = c.rawRate(ctx, filepath.Join(dir, "raw-before"), dbURL); err != nil {
		return r, err
	}
	if r.sub, r.tr, err = c.caseLoad(ctx, srv.base, dbURL); err != nil {
		return r, err
	}
	r.rawAfter, err = c.rawRate(ctx, filepath.Join(dir, "raw-after"), dbURL)
	return r, err
}

// rawRate is `load db`'s single-row rate on the database under test.
func (c comparer) rawRate(ctx context.Context, dir, dbURL string) (float64, error) {
	var res []dbbench.Result
	var err error
	if dbURL != "" {
		res, err = dbbench.Postgres(ctx, dbURL, c.raw)
	} else {
		res, err = dbbench.SQLite(ctx, dir, c.raw)
	}
	if err != nil || len(res) == 0 {
		return 0, err
	}
	fmt.Fprintln(c.log, res[0])
	return res[0].RowsPerSec(), nil
}

func (c comparer) caseLoad(ctx context.Context, base, dbURL string) (sub, tr loadgen.CaseReport, err error) {
	version, err := itemVersionByName(base, "特种设备使用登记")
	if err != nil {
		return
	}
	m, err := newMeter(ctx, base, dbURL)
	if err != nil {
		return
	}
	defer m.Close()
	l := loadgen.CaseLoad{BaseURL: base, ItemVersion: version, Password: "demo2026", Applicant: "citizen",
		Steps: []string{"clerk", "approver", "depthead"}, Concurrency: c.conc, Duration: c.duration, Meter: m.Meter}
	sub, tr, err = runCaseLoad(ctx, l, m)
	if err == nil {
		printCaseLoad(c.log, sub, tr)
	}
	return
}

// freshDatabase creates a database for one measurement on the server of
// c.db; on SQLite it returns "".
func (c comparer) freshDatabase(ctx context.Context) (string, func(), error) {
	if c.db == "" {
		return "", func() {}, nil
	}
	conn, err := pgx.Connect(ctx, c.db)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 4)
	rand.Read(b)
	name := "openhall_compare_" + hex.EncodeToString(b)
	if _, err := conn.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	u, _ := url.Parse(c.db)
	u.Path = "/" + name
	drop := func() {
		conn.Exec(context.WithoutCancel(ctx), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
		conn.Close(context.WithoutCancel(ctx))
	}
	return u.String(), drop, nil
}

// server is an `openhall serve --demo` started for a measurement.
type server struct {
	cmd  *exec.Cmd
	base string
}

func startServer(ctx context.Context, bin, dir, dbURL string) (*server, error) {
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	args := []string{"serve", "--demo", "--addr", addr, "--data", filepath.Join(dir, "data"), "--log-level", "warn"}
	if dbURL != "" {
		args = append(args, "--db", dbURL, "--migrate", "yes")
	}
	s := &server{cmd: exec.Command(bin, args...), base: "http://" + addr}
	logFile, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		return nil, err
	}
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	if err := waitReady(ctx, s.base, 2*time.Minute); err != nil {
		s.stop()
		return nil, fmt.Errorf("%w (log: %s)", err, tail(logFile.Name()))
	}
	return s, nil
}

// stop ends the server with SIGTERM, then SIGKILL after 30 s.
func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

func waitReady(ctx context.Context, base string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("服务 %s 未就绪", base)
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// printComparison prints one column per measurement.
func printComparison(w io.Writer, rs []compareRun, postgres bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	defer tw.Flush()
	row := func(name string, f func(r compareRun) string) {
		cells := []string{name}
		for _, r := range rs {
			cells = append(cells, f(r))
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	row("", func(r compareRun) string { return r.label })
	row("raw 1-row inserts/s", func(r compareRun) string { return fmt.Sprintf("%.0f", r.raw()) })
	row("  before/after load", func(r compareRun) string { return fmt.Sprintf("%.0f/%.0f", r.rawBefore, r.rawAfter) })
	phase := func(name string, rate func(compareRun) float64, p99 func(compareRun) time.Duration, cost func(compareRun) loadgen.Cost) {
		row(name+"/s", func(r compareRun) string { return fmt.Sprintf("%.0f", rate(r)) })
		row("  × raw 1-row", func(r compareRun) string { return fmt.Sprintf("%.2f", rate(r)/r.raw()) })
		row("  p99 ms", func(r compareRun) string { return fmt.Sprintf("%.1f", millis(p99(r))) })
		costRows(row, cost, postgres)
	}
	phase("submissions", func(r compareRun) float64 { return r.sub.SubmitRate }, func(r compareRun) time.Duration { return r.sub.SubmitP99 },
		func(r compareRun) loadgen.Cost { return r.sub.Cost })
	phase("transitions", func(r compareRun) float64 { return r.tr.TransitionRate }, func(r compareRun) time.Duration { return r.tr.TransitionP99 },
		func(r compareRun) loadgen.Cost { return r.tr.Cost })
}

// costRows prints the cost of one operation of a phase.
func costRows(row func(string, func(compareRun) string), cost func(compareRun) loadgen.Cost, postgres bool) {
	f := func(name, format string, v func(loadgen.Cost) float64) {
		row(name, func(r compareRun) string { return fmt.Sprintf(format, v(cost(r))) })
	}
	f("  statements/op", "%.1f", func(c loadgen.Cost) float64 { return c.Statements })
	f("  round trips/op", "%.1f", func(c loadgen.Cost) float64 { return c.RoundTrips })
	f("  commits/op", "%.2f", func(c loadgen.Cost) float64 { return c.Commits })
	if postgres {
		f("  pg_stat_statements/op", "%.1f", func(c loadgen.Cost) float64 { return c.DBStatements })
		f("  statements planned/op", "%.2f", func(c loadgen.Cost) float64 { return c.DBPlans })
		f("  planning ms/op", "%.3f", func(c loadgen.Cost) float64 { return millis(c.DBPlanning) })
		f("  WAL bytes/op", "%.0f", func(c loadgen.Cost) float64 { return c.WALBytes })
		f("  WAL flushes/op", "%.2f", func(c loadgen.Cost) float64 { return c.WALSyncs })
		f("  database CPU ms/op", "%.3f", func(c loadgen.Cost) float64 { return millis(c.DBCPU) })
	} else {
		f("  bytes written/op", "%.0f", func(c loadgen.Cost) float64 { return c.WALBytes })
	}
	f("  server CPU ms/op", "%.3f", func(c loadgen.Cost) float64 { return millis(c.ServerCPU) })
	f("  load generator CPU ms/op", "%.3f", func(c loadgen.Cost) float64 { return millis(c.LoadCPU) })
}

func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// printMedians sums the table up per phase: each build's median ratio to
// the raw rate, with its range, and the after/before ratio of the medians.
func printMedians(w io.Writer, rs []compareRun) {
	for _, ph := range []struct {
		name string
		rate func(compareRun) float64
	}{{"submissions", func(r compareRun) float64 { return r.sub.SubmitRate }},
		{"transitions", func(r compareRun) float64 { return r.tr.TransitionRate }}} {
		ratios := map[string][]float64{}
		for _, r := range rs {
			build, _, _ := strings.Cut(r.label, "#")
			ratios[build] = append(ratios[build], ph.rate(r)/r.raw())
		}
		before, after := median(ratios["before"]), median(ratios["after"])
		fmt.Fprintf(w, "%s × raw 1-row: before %s, after %s, after/before %.2f\n", ph.name,
			spread(ratios["before"]), spread(ratios["after"]), after/before)
	}
}

// spread is a median with the range around it.
func spread(xs []float64) string {
	if len(xs) == 0 {
		return "-"
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return fmt.Sprintf("%.2f (%.2f–%.2f)", median(s), s[0], s[len(s)-1])
}
