package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"openhall/internal/config"
	"openhall/internal/loadgen"
	"openhall/internal/store/dbbench"
)

// cmdLoad measures throughput: `load db` the raw insert rates of the
// database, `load cases` the case workflow over HTTP against a running
// server with the demo data.
func cmdLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("用法：openhall load db [--data DIR | --db URL] | openhall load cases --url URL | openhall load lookup [--data DIR | --db URL] [--cases N] | openhall load supervision [--data DIR | --db URL] [--cases N] [--open N] | openhall load counter [--data DIR | --db URL] | openhall load ratings-report [--ratings N] | openhall load opendata [--data DIR | --db URL] | openhall load compare --baseline BIN [--db URL] | openhall load cluster --db URL [--data DIR] [--blobs URL] | openhall load backup [--data DIR | --db URL] [--cases N]")
	}
	switch args[0] {
	case "db":
		return loadDB(ctx, args[1:], stdout, stderr)
	case "cases":
		return loadCases(ctx, args[1:], stdout, stderr)
	case "lookup":
		return loadLookup(ctx, args[1:], stdout, stderr)
	case "compare":
		return loadCompare(ctx, args[1:], stdout, stderr)
	case "supervision":
		return loadSupervision(ctx, args[1:], stdout, stderr)
	case "counter":
		return loadCounter(ctx, args[1:], stdout, stderr)
	case "ratings-report":
		return loadRatingsReport(ctx, args[1:], stdout, stderr)
	case "opendata":
		return loadOpenData(ctx, args[1:], stdout, stderr)
	case "cluster":
		return loadCluster(ctx, args[1:], stdout, stderr)
	case "backup":
		return loadBackup(ctx, args[1:], stdout, stderr)
	}
	return usagef("未知的 load 子命令 %q", args[0])
}

func loadDB(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := config.Default()
	fs := flagSet("load db", stderr)
	dbFlags(fs, &cfg)
	d := fs.Duration("duration", 5*time.Second, "每项测量的时长")
	if err := parse(fs, args); err != nil {
		return err
	}
	var res []dbbench.Result
	var err error
	if cfg.IsPostgres() {
		res, err = dbbench.Postgres(ctx, cfg.DB, *d)
	} else {
		res, err = dbbench.SQLite(ctx, cfg.DataDir, *d)
	}
	for _, r := range res {
		fmt.Fprintln(stdout, r)
	}
	return err
}

func loadCases(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flagSet("load cases", stderr)
	cfg := config.Default()
	cfg.DataDir = "" // --embedded: a temporary directory unless given
	dbFlags(fs, &cfg)
	embedded := fs.Bool("embedded", false, "自行在 --data 或 --db 上启动服务，轮流测量不启用与启用电子监察时的状态变更成本（不用 --url）")
	rounds := fs.Int("rounds", 2, "--embedded 时测量的轮数")
	base := fs.String("url", "http://127.0.0.1:8080", "服务地址")
	item := fs.String("item", "特种设备使用登记", "申请的演示事项名称")
	steps := fs.String("steps", "clerk,approver,depthead", "依次办理的账号：受理的窗口人员，然后各审批环节的人员")
	conc := fs.Int("concurrency", 64, "并发连接数")
	d := fs.Duration("duration", 20*time.Second, "每个阶段的时长")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *embedded {
		l := loadgen.CaseLoad{Password: "demo2026", Applicant: "citizen", Steps: strings.Split(*steps, ","), Concurrency: *conc, Duration: *d}
		return loadCasesEmbedded(ctx, cfg, l, *item, *rounds, stdout)
	}
	version, err := itemVersionByName(*base, *item)
	if err != nil {
		return err
	}
	meter, err := newMeter(ctx, *base, cfg.DB)
	if err != nil {
		return err
	}
	defer meter.Close()
	l := loadgen.CaseLoad{BaseURL: *base, ItemVersion: version, Password: "demo2026", Applicant: "citizen",
		Steps: strings.Split(*steps, ","), Concurrency: *conc, Duration: *d, Meter: meter.Meter}
	sub, tr, err := runCaseLoad(ctx, l, meter)
	if err != nil {
		return err
	}
	printCaseLoad(stdout, sub, tr)
	meter.printTop(ctx, stdout)
	return nil
}

// runCaseLoad runs submissions, then transitions of the cases filed.
func runCaseLoad(ctx context.Context, l loadgen.CaseLoad, m *meter) (sub, tr loadgen.CaseReport, err error) {
	if err = m.reset(ctx); err != nil {
		return
	}
	if sub, err = l.RunSubmissions(ctx); err != nil {
		return
	}
	tr, err = l.RunTransitions(ctx, sub.Cases)
	return
}

func printCaseLoad(w io.Writer, sub, tr loadgen.CaseReport) {
	fmt.Fprintf(w, "submissions: %d: %.0f/s, p50 %v, p99 %v, %d errors %s\n", sub.Submissions, sub.SubmitRate,
		sub.SubmitP50.Round(time.Microsecond), sub.SubmitP99.Round(time.Microsecond), sub.SubmitErrors, sub.FirstErr)
	if sub.Cost.Ops > 0 {
		fmt.Fprintf(w, "  %s\n", sub.Cost)
	}
	fmt.Fprintf(w, "transitions: %d: %.0f/s, p99 %v, %d errors %s\n", tr.Transitions, tr.TransitionRate,
		tr.TransitionP99.Round(time.Microsecond), tr.TransitionErrs, tr.FirstErr)
	if tr.Cost.Ops > 0 {
		fmt.Fprintf(w, "  %s\n", tr.Cost)
	}
}

// itemVersionByName finds the published version of a catalogue item.
func itemVersionByName(base, name string) (int64, error) {
	var list struct {
		Items []struct {
			Name     string `json:"name"`
			ImplCode string `json:"impl_code"`
		} `json:"items"`
	}
	if err := getJSON(base+"/api/v1/items?limit=50&q="+url.QueryEscape(name), &list); err != nil {
		return 0, err
	}
	for _, it := range list.Items {
		if it.Name == name {
			var detail struct {
				Version struct {
					ID int64 `json:"id"`
				} `json:"version"`
			}
			err := getJSON(base+"/api/v1/items/"+url.PathEscape(it.ImplCode), &detail)
			return detail.Version.ID, err
		}
	}
	return 0, fmt.Errorf("事项“%s”不存在（服务需以 --demo 启动）", name)
}

func getJSON(u string, out any) error {
	res, err := http.Get(u)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", u, res.Status)
	}
	return json.NewDecoder(res.Body).Decode(out)
}
