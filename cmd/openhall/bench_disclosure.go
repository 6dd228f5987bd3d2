package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"openhall/internal/app"
	"openhall/internal/apperr"
	"openhall/internal/config"
	"openhall/internal/disclosure"
	"openhall/internal/disclosure/bench"
	"openhall/internal/identity"
	"openhall/internal/org"
)

// cmdBenchDisclosure builds the search index over the laws corpus and
// generated documents (once per database: a setting remembers it), then
// measures search latency per query class, the index size, the process's
// memory, and the annual report over generated requests. A primary-key
// read of one document is measured in the same run as the baseline.
func cmdBenchDisclosure(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := config.Default()
	fs := flagSet("bench-disclosure", stderr)
	dbFlags(fs, &cfg)
	docs := fs.Int("docs", 200000, "生成的文件数")
	laws := fs.String("laws", "", "法律法规库目录（可选）")
	requests := fs.Int("requests", 100000, "年度报告基准中一个机关一年的申请数")
	rounds := fs.Int("rounds", 20, "每个检索词的测量次数")
	var h httpBench
	fs.IntVar(&h.clients, "clients", 8, "JSON 接口测量的并发客户端数；0 表示不测量接口")
	fs.DurationVar(&h.duration, "duration", 5*time.Second, "JSON 接口每项测量的时长（另有 1 秒预热）")
	fs.StringVar(&h.profile, "cpuprofile", "", "把 JSON 接口检索测量期间的 CPU 剖析写入此文件")
	only := fs.String("classes", "", "只测量这些检索类别（逗号分隔，如 两词,四字）；留空测量全部")
	if err := parse(fs, args); err != nil {
		return err
	}
	classes, err := bench.Pick(bench.Classes(*docs), *only)
	if err != nil {
		return err
	}
	h.classes = classes
	a, err := openApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	fmt.Fprintf(stdout, "后端 %s，CPU %d 核\n", a.Stores.Backend.Backend(), runtime.NumCPU())
	b := &benchRun{a: a, out: stdout}
	if err := b.search(ctx, *docs, *laws, *rounds, classes); err != nil {
		return err
	}
	if h.clients > 0 {
		if err := h.run(ctx, b); err != nil {
			return err
		}
	}
	return b.report(ctx, *requests)
}

type benchRun struct {
	a   *app.App
	out io.Writer
}

// agency returns (creating once) a benchmark agency in a region of its own;
// its code goes into its request numbers.
func (b *benchRun) agency(ctx context.Context, name, code string) (*disclosure.Agency, error) {
	d := b.a.Services.Disclosure
	if ag, err := d.AgencyByName(ctx, name); err == nil || !apperr.Is(err, apperr.NotFound) {
		return ag, err
	}
	sys := identity.SystemActor()
	region, err := b.a.Services.Org.RegionByCode(ctx, "990000")
	if apperr.Is(err, apperr.NotFound) {
		region, err = b.a.Services.Org.CreateRegion(ctx, sys, org.RegionInput{Code: "990000", Name: "基准测试区", Level: org.LevelProvince})
	}
	if err != nil {
		return nil, err
	}
	return d.SaveAgency(ctx, sys, 0, disclosure.AgencyInput{RegionID: region.ID, Name: name, Code: code})
}

func (b *benchRun) search(ctx context.Context, docs int, laws string, rounds int, classes []bench.Class) error {
	key := "bench.search." + strconv.Itoa(docs) + "." + strconv.FormatBool(laws != "")
	if _, err := b.a.Stores.Settings.Setting(ctx, key); apperr.Is(err, apperr.NotFound) {
		if err := b.build(ctx, docs, laws); err != nil {
			return err
		}
		if err := b.a.Stores.Settings.PutSetting(ctx, key, time.Now().Format(time.RFC3339)); err != nil {
			return err
		}
	} else if err != nil {
		return err
	} else {
		fmt.Fprintln(b.out, "索引已存在（本数据库先前已构建），直接测量")
	}
	b.size(ctx)
	if err := b.loadIndex(ctx); err != nil {
		return err
	}
	b.memory("载入检索索引后")
	if err := b.baseline(ctx); err != nil {
		return err
	}
	for _, c := range classes {
		st, hits, err := bench.Measure(ctx, b.a.Services.Disclosure.Search(), c, rounds)
		if err != nil {
			return err
		}
		fmt.Fprintf(b.out, "检索 %-4s %s 命中数 %v\n", c.Name, st, hits)
	}
	b.memory("检索后")
	return nil
}

func (b *benchRun) build(ctx context.Context, docs int, laws string) error {
	ag, err := b.agency(ctx, "基准测试机关", "BENCH")
	if err != nil {
		return err
	}
	if laws != "" {
		start := time.Now()
		n, err := b.a.Services.Disclosure.ImportLaws(ctx, ag.ID, os.DirFS(laws), ".", 0, func(string, error) {})
		if err != nil {
			return err
		}
		fmt.Fprintf(b.out, "导入法律法规 %d 部：%s\n", n, time.Since(start).Round(time.Millisecond))
	}
	start := time.Now()
	for first := 1; first <= docs; first += 10000 {
		batch := bench.Docs(first, min(10000, docs-first+1), 2026)
		if err := bench.Index(ctx, b.a.Stores, b.a.Services.Disclosure.Search(), batch, nil); err != nil {
			return err
		}
		fmt.Fprintf(b.out, "  已索引生成文件 %d\n", first+len(batch)-1)
	}
	d := time.Since(start)
	fmt.Fprintf(b.out, "索引生成文件 %d 份：%s（%.0f 份/秒）\n", docs, d.Round(time.Millisecond), float64(docs)/d.Seconds())
	return b.maintain(ctx)
}

// maintain runs the search maintenance job's step until it has no more to
// do, as the periodic job would over the following minutes.
func (b *benchRun) maintain(ctx context.Context) error {
	m, ok := b.a.Stores.Search.(interface {
		MaintainSearch(ctx context.Context) (bool, error)
	})
	if !ok {
		return nil
	}
	start, steps := time.Now(), 0
	for more := true; more; steps++ {
		var err error
		if more, err = m.MaintainSearch(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintf(b.out, "索引维护（%d 步）：%s\n", steps, time.Since(start).Round(time.Millisecond))
	return nil
}

// loadIndex builds the search engine's in-memory index, as a server does
// at start, and prints how long it took and how large it is.
func (b *benchRun) loadIndex(ctx context.Context) error {
	eng, ok := b.a.Services.Disclosure.Search().(interface {
		Ready(ctx context.Context) error
		Stats(ctx context.Context) (items, postings int, err error)
	})
	if !ok {
		return nil
	}
	start := time.Now()
	if err := eng.Ready(ctx); err != nil {
		return err
	}
	took := time.Since(start)
	items, postings, err := eng.Stats(ctx)
	fmt.Fprintf(b.out, "检索索引载入：%s（%d 条，%d 个倒排项）\n", took.Round(time.Millisecond), items, postings)
	return err
}

// size prints the search tables' sizes when the backend reports them.
func (b *benchRun) size(ctx context.Context) {
	s, ok := b.a.Stores.Search.(interface {
		SearchIndexSize(ctx context.Context) (map[string]int64, error)
	})
	if !ok {
		return
	}
	sizes, err := s.SearchIndexSize(ctx)
	if err != nil {
		fmt.Fprintf(b.out, "索引大小：无法读取（%v）\n", err)
		return
	}
	var parts []string
	for _, k := range []string{"entries", "grams", "title_grams", "other"} {
		parts = append(parts, fmt.Sprintf("%s %.1f MB", k, float64(sizes[k])/(1<<20)))
	}
	fmt.Fprintf(b.out, "索引大小：%s\n", strings.Join(parts, "，"))
}

func (b *benchRun) memory(when string) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	rss := "?"
	if data, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "VmRSS:") || strings.HasPrefix(line, "VmHWM:") {
				rss += " " + strings.Join(strings.Fields(line), " ")
			}
		}
	}
	fmt.Fprintf(b.out, "内存（%s）：Go 堆 %.1f MB，向系统申请 %.1f MB，进程%s\n", when, float64(m.HeapAlloc)/(1<<20),
		float64(m.Sys)/(1<<20), strings.TrimPrefix(rss, "?"))
}

// baseline measures reading one document by primary key.
func (b *benchRun) baseline(ctx context.Context) error {
	docs, _, err := b.a.Services.Disclosure.PublishedDocuments(ctx, disclosure.DocFilter{Limit: 1})
	if err != nil || len(docs) == 0 {
		return err
	}
	st, err := bench.Time(200, func() error {
		_, err := b.a.Services.Disclosure.Document(ctx, nil, docs[0].ID)
		return err
	})
	fmt.Fprintf(b.out, "基线：按编号读取一份文件 %s\n", st)
	return err
}

func (b *benchRun) report(ctx context.Context, n int) error {
	if n <= 0 {
		return nil
	}
	// One agency per request count: a second count on the same database
	// gets requests of its own instead of numbers the first already took.
	ag, err := b.agency(ctx, fmt.Sprintf("基准测试机关（年报 %d 件）", n), "BENCHR"+strconv.Itoa(n))
	if err != nil {
		return err
	}
	key := "bench.report.agency." + strconv.FormatInt(ag.ID, 10) // its requests are made
	if _, err := b.a.Stores.Settings.Setting(ctx, key); apperr.Is(err, apperr.NotFound) {
		start := time.Now()
		if err := bench.Requests(ctx, b.a.Stores, b.a.Stores.Disclosure, ag.ID, 2025, n, 2026); err != nil {
			return err
		}
		fmt.Fprintf(b.out, "生成申请 %d 件：%s\n", n, time.Since(start).Round(time.Millisecond))
		if err := b.a.Stores.Settings.PutSetting(ctx, key, "1"); err != nil {
			return err
		}
	}
	var tables *disclosure.Tables
	st, err := bench.Time(5, func() error {
		var err error
		_, tables, err = b.a.Services.Disclosure.AnnualReport(ctx, benchOfficer, ag.ID, 2025)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(b.out, "年度报告（%d 件申请）：%s；一 %d，二 %d，三（七）%d，四 %d；校验 %v\n", n, st, tables.Table3["1"][6],
		tables.Table3["2"][6], tables.Table3["3.7"][6], tables.Table3["4"][6], tables.Checks[0].OK)
	return nil
}

// benchOfficer reads the benchmark report: a 公开专员 over every region.
var benchOfficer = &identity.Actor{Kind: identity.KindStaff, Username: "bench", Name: "基准测试",
	Grants: []*identity.Grant{{Role: identity.RoleDisclosureOfficer}}}
