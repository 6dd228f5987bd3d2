package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"openhall/internal/config"
	"openhall/internal/demo"
	"openhall/internal/loadgen"
)

// clusterOptions configure a two-node run: both nodes serve one
// PostgreSQL database and one blob location.
type clusterOptions struct {
	Bin         string        // the openhall binary the nodes run
	DB          string        // PostgreSQL, migrated by the run
	Data        string        // the data directory every node shares (blobs, key file)
	Blobs       string        // passed to every node as --blobs when set (an object store)
	S3          config.Config // its --s3-* settings, given to every node in its environment
	Item        string
	Concurrency int
	Phase       time.Duration // the length of each measured window
	Progress    io.Writer
}

// clusterReport is what a run saw and what its checks found.
type clusterReport struct {
	Windows  []window
	Acks     []loadgen.Ack
	Failures []loadgen.Failure
	Killed   time.Time
	Jobs     jobSummary
	Problems []string // failed checks: each is a bug
	Notes    []string
}

// window is the load acknowledged in one period of the run.
type window struct {
	Name        string
	From, To    time.Time
	Submissions int
	Transitions int
}

func (w window) rate() float64 {
	return float64(w.Submissions+w.Transitions) / w.To.Sub(w.From).Seconds()
}

func (r *clusterReport) problem(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

func (r *clusterReport) note(format string, args ...any) {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
}

// runCluster starts two nodes, checks that a session and the login
// throttle are shared, runs the case load on one node, then on both, kills
// the second with SIGKILL mid-load, lets the first carry the load, restarts
// the second, and finally checks the database against what the load saw.
func runCluster(ctx context.Context, o clusterOptions) (*clusterReport, error) {
	if err := migrateCluster(ctx, o); err != nil {
		return nil, err
	}
	fmt.Fprintln(o.Progress, "database migrated")
	nodes := [2]*node{newNode(o, "A"), newNode(o, "B")}
	defer func() {
		for _, n := range nodes {
			n.stop()
		}
	}()
	if err := nodes[0].start(ctx, "--demo"); err != nil {
		return nil, err
	}
	if err := nodes[1].start(ctx); err != nil {
		return nil, err
	}
	fmt.Fprintf(o.Progress, "nodes A (%s, demo data loaded) and B (%s) ready\n", nodes[0].addr, nodes[1].addr)
	rep := &clusterReport{}
	checkSharedSession(rep, nodes[0].url(), nodes[1].url())
	checkSharedThrottle(rep, nodes[0].url(), nodes[1].url())
	if err := runClusterLoad(ctx, o, nodes, rep); err != nil {
		return rep, err
	}
	err := checkCluster(ctx, o, nodes, rep)
	fmt.Fprintln(o.Progress, "database checked")
	return rep, err
}

// migrateCluster brings the schema up to date once, as a deployment does
// before it starts (or upgrades) its nodes.
func migrateCluster(ctx context.Context, o clusterOptions) error {
	cmd := commandContext(ctx, o.Bin, "migrate", "--db", o.DB)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("migrate: %v\n%s", err, out)
	}
	return nil
}

// runClusterLoad runs the load through the four windows.
func runClusterLoad(ctx context.Context, o clusterOptions, nodes [2]*node, rep *clusterReport) error {
	version, err := itemVersionByName(nodes[0].url(), o.Item)
	if err != nil {
		return err
	}
	l := &loadgen.ClusterLoad{Nodes: []string{nodes[0].url(), nodes[1].url()}, ItemVersion: version,
		Password: demo.Password, Applicant: "citizen", Steps: []string{"clerk", "approver", "depthead"}, Concurrency: o.Concurrency}
	if err := l.Start(ctx); err != nil {
		return err
	}
	defer l.Stop()
	l.SetUp(1, false)
	time.Sleep(o.Phase / 4) // warm-up: connections, caches
	mark := markWindows(o, rep)
	mark("one node (A)", o.Phase)
	l.SetUp(1, true)
	mark("two nodes (A+B)", o.Phase)
	if err := nodes[1].kill(); err != nil {
		return err
	}
	// Taken once B is gone: a job B fetched in its last instant was
	// attempted before this, and counts as left running by the killed node.
	rep.Killed = time.Now()
	mark("A alone after B was killed", o.Phase)
	if err := nodes[1].start(ctx); err != nil {
		return fmt.Errorf("restart after the kill: %w", err)
	}
	l.SetUp(1, true)
	mark("A+B after B's restart", o.Phase/2)
	l.Stop()
	rep.Acks, rep.Failures = l.Acks(), l.Failures()
	return nil
}

// markWindows returns a function that lets the load run for d and records
// that period as a window.
func markWindows(o clusterOptions, rep *clusterReport) func(name string, d time.Duration) {
	return func(name string, d time.Duration) {
		from := time.Now()
		time.Sleep(d)
		rep.Windows = append(rep.Windows, window{Name: name, From: from, To: time.Now()})
		fmt.Fprintf(o.Progress, "%s: %v\n", name, d)
	}
}

// countWindows fills each window's counts from the acknowledgments.
func countWindows(rep *clusterReport) {
	for i := range rep.Windows {
		w := &rep.Windows[i]
		for _, a := range rep.Acks {
			if a.At.Before(w.From) || !a.At.Before(w.To) {
				continue
			}
			if a.Op == "submit" {
				w.Submissions++
			} else {
				w.Transitions++
			}
		}
	}
}

// printCluster writes the report.
func printCluster(w io.Writer, rep *clusterReport) {
	countWindows(rep)
	base := 0.0
	for i, win := range rep.Windows {
		if i == 0 {
			base = win.rate()
		}
		fmt.Fprintf(w, "%-28s %5d submissions, %5d transitions: %6.1f ops/s (%.2f× one node)\n",
			win.Name+":", win.Submissions, win.Transitions, win.rate(), win.rate()/base)
	}
	fmt.Fprintf(w, "acknowledged: %d operations; unacknowledged: %d\n", len(rep.Acks), len(rep.Failures))
	fmt.Fprintf(w, "jobs: %s\n", rep.Jobs)
	for _, n := range rep.Notes {
		fmt.Fprintln(w, "note:", n)
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(w, "PROBLEM:", p)
	}
}

// loadCluster is `openhall load cluster`.
func loadCluster(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("load cluster", stderr)
	o := clusterOptions{Item: "特种设备使用登记", Progress: stderr}
	fs.StringVar(&o.DB, "db", "", "PostgreSQL 连接串（必填；请用专供测量的空库或测试库：会载入演示数据）")
	fs.StringVar(&o.Data, "data", "", "各节点共用的数据目录（上传材料、密钥文件）；留空使用临时目录")
	fs.StringVar(&o.Blobs, "blobs", "", "各节点共用的对象存储（原样传给每个节点的 serve --blobs）；留空则材料存于 --data")
	s3Flags(fs, &o.S3)
	fs.StringVar(&o.Bin, "bin", "", "节点运行的 openhall 程序；留空为本程序")
	fs.IntVar(&o.Concurrency, "concurrency", 32, "并发客户端数")
	fs.DurationVar(&o.Phase, "phase", 15*time.Second, "每个测量阶段的时长")
	if err := parse(fs, args); err != nil {
		return err
	}
	if !strings.HasPrefix(o.DB, "postgres") {
		return usagef("load cluster 需要 --db postgres://…（多个节点共用一个 PostgreSQL）")
	}
	if err := emptyDatabase(ctx, o.DB); err != nil {
		return err
	}
	temporary := o.Data == ""
	if err := clusterDefaults(&o); err != nil {
		return err
	}
	if temporary {
		defer os.RemoveAll(o.Data)
	}
	rep, err := runCluster(ctx, o)
	if rep != nil {
		printCluster(stdout, rep)
	}
	if err == nil && len(rep.Problems) > 0 {
		err = fmt.Errorf("集群检查发现 %d 个问题", len(rep.Problems))
	}
	return err
}

// clusterDefaults fills the binary and the shared data directory.
func clusterDefaults(o *clusterOptions) error {
	var err error
	if o.Bin == "" {
		if o.Bin, err = os.Executable(); err != nil {
			return err
		}
	}
	if o.Data == "" {
		o.Data, err = os.MkdirTemp("", "openhall-cluster-")
	}
	return err
}

// emptyDatabase refuses a database that already holds tables: the run loads
// the demo data under a key-encryption key of its own and leaves login
// locks behind, so a second run on the same database fails halfway.
func emptyDatabase(ctx context.Context, url string) error {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("连接 --db 失败：%w", err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()`).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return usagef("load cluster 需要一个空的 PostgreSQL 数据库，每次运行用一个新库：--db 所指的库中已有 %d 张表（例如上一次运行留下的）", n)
	}
	return nil
}
