package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"openhall/internal/app"
	"openhall/internal/apperr"
	"openhall/internal/config"
	"openhall/internal/demo"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
	"openhall/internal/loadgen"
	"openhall/internal/opendata"
)

// opendataRun is one run of `openhall load opendata`: the regeneration of
// the case dataset over many cases, package_search over a large catalogue,
// and the memory of large CSV downloads, each beside a baseline measured in
// the same run.
type opendataRun struct {
	cfg      config.Config
	cases    int
	datasets int
	rows     int
	runs     int
	profile  string // CPU profile of the package_search measurements
	load     loadgen.Options
	out      io.Writer
}

func loadOpenData(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := config.Default()
	cfg.DataDir, cfg.Migrate, cfg.LogLevel = "", "yes", "warn"
	fs := flagSet("load opendata", stderr)
	dbFlags(fs, &cfg)
	n := fs.Int("cases", 1000000, "数据库中（复制生成的）办件数")
	ds := fs.Int("datasets", 10000, "目录中的数据集数")
	rows := fs.Int("rows", 50000, "下载测量所用数据集的行数")
	runs := fs.Int("runs", 3, "每项测量的次数")
	conc := fs.Int("concurrency", 16, "检索测量的并发连接数")
	d := fs.Duration("duration", 10*time.Second, "每次检索测量的时长（另有 2 秒预热）")
	profile := fs.String("cpuprofile", "", "把 package_search 测量期间的 CPU 剖析写入此文件")
	if err := parse(fs, args); err != nil {
		return err
	}
	if cfg.DataDir == "" {
		dir, err := os.MkdirTemp("", "openhall-opendata-")
		if err != nil {
			return err
		}
		cfg.DataDir = dir
	}
	tuneRuntime(cfg)
	fmt.Fprintf(stdout, "数据：%s（GOMAXPROCS %d）\n", backendLabel(cfg), runtime.GOMAXPROCS(0))
	r := opendataRun{cfg: cfg, cases: *n, datasets: *ds, rows: *rows, runs: *runs, profile: *profile, out: stdout,
		load: loadgen.Options{Concurrency: *conc, Duration: *d, Warmup: 2 * time.Second}}
	return r.phase(ctx)
}

func (r opendataRun) phase(ctx context.Context) error {
	logFile, err := os.Create(filepath.Join(r.cfg.DataDir, "load-opendata.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	a, err := app.Open(ctx, r.cfg, newLogger(logFile, r.cfg.LogLevel), app.Options{})
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
	for _, step := range []func(context.Context, *app.App, string) error{r.regeneration, r.search, r.downloads} {
		if err := step(ctx, a, base); err != nil {
			return err
		}
	}
	printDBSize(ctx, r.cfg, r.out)
	return nil
}

// regeneration seeds the cases as `load lookup` does (sharing its seeded
// copies), spreads them over departments, months and outcomes, and times
// the case dataset's regeneration against a count(*) of the same table.
func (r opendataRun) regeneration(ctx context.Context, a *app.App, base string) error {
	st, err := prepareLookup(ctx, a, base, r.cases, r.out)
	if err != nil {
		return err
	}
	if err := r.spread(ctx, a, st); err != nil {
		return err
	}
	var counts, regens []time.Duration
	for i := 0; i < r.runs; i++ {
		t0 := time.Now()
		n, err := a.CountCases(ctx)
		if err != nil {
			return err
		}
		counts = append(counts, time.Since(t0))
		t0 = time.Now()
		res, err := a.Services.OpenData.Regenerate(ctx, "cases.monthly", true)
		if err != nil {
			return err
		}
		regens = append(regens, time.Since(t0))
		fmt.Fprintf(r.out, "  第 %d 次：count(*) %d 件 %s；重新生成办件量数据集 %s（新版本 %d）\n", i+1, n, ms(counts[i]), ms(regens[i]), res.Versions)
	}
	d, err := a.Services.OpenData.Dataset(ctx, nil, "case-volumes-monthly")
	if err != nil {
		return err
	}
	fmt.Fprintf(r.out, "办件量数据集重新生成（%d 件办件 → %d 行）：中位数 %s（%s–%s），count(*) 基线中位数 %s，比值 %.1f×；要求 ≤ 10s：%s\n",
		st.copies()+1, d.RowCount, ms(median(regens)), ms(minD(regens)), ms(maxD(regens)), ms(median(counts)),
		float64(median(regens))/float64(max(median(counts), 1)), verdict(maxD(regens) <= 10*time.Second))
	return nil
}

const spreadKey = "load.opendata.spread"

func (r opendataRun) spread(ctx context.Context, a *app.App, st lookupState) error {
	done, err := a.Stores.Settings.Setting(ctx, spreadKey)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	from := st.First
	if v, err := strconv.ParseInt(done, 10, 64); err == nil {
		from = v + 1
	}
	if from > st.Last || st.First == 0 {
		return nil
	}
	t0 := time.Now()
	fmt.Fprintf(r.out, "把办件 %d–%d 分散到各部门、两年的月份和办结情况……\n", from, st.Last)
	err = a.SpreadSeededCases(ctx, from, st.Last, func(n int64) {
		if n%200000 == 0 {
			fmt.Fprintf(r.out, "  已处理 %d 件（%s）\n", n, time.Since(t0).Round(time.Second))
		}
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(r.out, "分散用时 %s\n", time.Since(t0).Round(time.Second))
	return a.Stores.Settings.PutSetting(ctx, spreadKey, strconv.FormatInt(st.Last, 10))
}

// search fills the catalogue to the wanted size and measures CKAN
// package_search against the hello-world baseline and /healthz.
func (r opendataRun) search(ctx context.Context, a *app.App, base string) error {
	if err := r.fillCatalogue(ctx, a); err != nil {
		return err
	}
	queries := []string{"q=*:*", "q=统计", "q=预算", "q=办件&sort=name+asc", "fq=organization:agency-2", "q=*:*&sort=id+asc"}
	req := func(worker, n int) (*http.Request, error) {
		q := queries[(worker+n)%len(queries)]
		return http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/3/action/package_search?rows=20&start=%d&%s", base, (n*20)%2000, q), nil)
	}
	o := r.load
	o.Check = wantOK
	for i := 0; i < r.runs; i++ {
		hello, stopHello := loadgen.HelloServer()
		h := loadgen.Run(ctx, loadgen.Get(hello+"/"), r.load)
		stopHello()
		hz := loadgen.Run(ctx, loadgen.Get(base+"/healthz"), r.load)
		stopProfile, err := startProfile(r.profile)
		if err != nil {
			return err
		}
		s := loadgen.Run(ctx, req, o)
		stopProfile()
		fmt.Fprintf(r.out, "  第 %d 次：hello-world %s\n           /healthz %s\n           package_search %s\n", i+1, h, hz, s)
		if s.FirstErr != nil {
			fmt.Fprintf(r.out, "  首个错误：%v\n", s.FirstErr)
		}
		fmt.Fprintf(r.out, "  package_search p95 %s（要求 ≤ 50ms：%s），吞吐为 hello-world 的 %.1f%%\n", ms(s.P95),
			verdict(s.P95 <= 50*time.Millisecond && s.Errors == 0), s.RPS()/h.RPS()*100)
	}
	return nil
}

func (r opendataRun) fillCatalogue(ctx context.Context, a *app.App) error {
	_, have, err := a.Services.OpenData.Search(ctx, opendata.DatasetFilter{Limit: 1})
	if err != nil {
		return err
	}
	if more := r.datasets - have; more > 0 {
		ags, err := a.Services.Disclosure.Agencies(ctx, disclosure.AgencyFilter{})
		if err != nil {
			return err
		}
		var ids []int64
		for _, ag := range ags {
			ids = append(ids, ag.ID)
		}
		t0 := time.Now()
		if err := a.SeedDatasets(ctx, fmt.Sprintf("perf%d", time.Now().Unix()), more, ids); err != nil {
			return err
		}
		fmt.Fprintf(r.out, "生成数据集 %d 个（%s）\n", more, time.Since(t0).Round(time.Millisecond))
		t0 = time.Now()
		if err := a.Stores.Analyze(ctx); err != nil { // as autovacuum would after a bulk import
			return err
		}
		fmt.Fprintf(r.out, "更新数据库统计信息（%s）\n", time.Since(t0).Round(time.Millisecond))
	}
	_, have, err = a.Services.OpenData.Search(ctx, opendata.DatasetFilter{Limit: 1})
	fmt.Fprintf(r.out, "目录中已发布的数据集：%d 个\n", have)
	return err
}

// downloads measures the resident memory of concurrent CSV downloads of
// datasets of r.rows/10, r.rows and 4×r.rows rows: streamed, it does not
// grow with the size of the file.
func (r opendataRun) downloads(ctx context.Context, a *app.App, base string) error {
	sizes := []int{max(r.rows/10, 1), r.rows, 4 * r.rows}
	for _, n := range sizes {
		name, err := r.csvDataset(ctx, a, n)
		if err != nil {
			return err
		}
		var rss []uint64
		var size int64
		for run := 0; run < r.runs; run++ {
			var peak uint64
			peak, size, err = downloadPeak(base+"/opendata/datasets/"+name+"/download.csv", 8, 3)
			if err != nil {
				return err
			}
			rss = append(rss, peak)
		}
		fmt.Fprintf(r.out, "CSV 下载 %d 行（%.1f MB），8 个并发 × 3 轮：进程 RSS 峰值高出下载前 %s（整份缓存则 8 个并发约需 %.0f MB）\n",
			n, float64(size)/(1<<20), mbList(rss), 8*float64(size)/(1<<20))
	}
	return nil
}

// csvDataset publishes an open dataset of n rows (once per database).
func (r opendataRun) csvDataset(ctx context.Context, a *app.App, n int) (string, error) {
	name := fmt.Sprintf("perf-csv-%d", n)
	if _, err := a.Services.OpenData.Dataset(ctx, nil, name); err == nil {
		return name, nil
	}
	_, officer, err := a.Services.Identity.Login(ctx, identity.LoginInput{Username: "officer", Password: demo.Password, Address: "127.0.0.1"})
	if err != nil {
		return "", err
	}
	ag, err := a.Services.Disclosure.AgencyByName(ctx, "西湖区人民政府")
	if err != nil {
		return "", err
	}
	od := a.Services.OpenData
	d, err := od.SaveDataset(ctx, officer, 0, opendata.DatasetInput{PublisherID: ag.ID, Name: name, Title: fmt.Sprintf("下载测量 %d 行", n),
		Description: "测量大文件下载的内存", Theme: "gov", Frequency: "irregular", License: "cc0-1.0", ContactName: "测试",
		ContactPhone: "0571-87061234", Tier: opendata.TierOpen, Columns: []opendata.Column{{Name: "id", Title: "序号", Type: opendata.TypeInteger},
			{Name: "name", Title: "名称", Type: opendata.TypeText}, {Name: "day", Title: "日期", Type: opendata.TypeDate},
			{Name: "amount", Title: "金额", Type: opendata.TypeDecimal}}})
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("序号,名称,日期,金额\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%d,西湖区测试记录第%d条（用于测量下载）,2026-%02d-%02d,%d.%02d\n", i, i, i%12+1, i%28+1, i*7%100000, i%100)
	}
	if _, err := od.Upload(ctx, officer, d.ID, name+".csv", []byte(b.String())); err != nil {
		return "", err
	}
	_, err = od.SetStatus(ctx, officer, d.ID, opendata.StatusPublished)
	return name, err
}

// downloadPeak downloads url conc at a time, rounds times, sampling the
// process's resident set size every 10 ms; it returns the peak above the
// level before, and the size of one download.
func downloadPeak(url string, conc, rounds int) (uint64, int64, error) {
	runtime.GC()
	idle := residentSet()
	var peak atomic.Uint64
	done, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		for {
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
				if r := residentSet(); r > idle && r-idle > peak.Load() {
					peak.Store(r - idle)
				}
			}
		}
	}()
	var n atomic.Int64
	var firstErr error
	var mu sync.Mutex
	for round := 0; round < rounds; round++ {
		var wg sync.WaitGroup
		for i := 0; i < conc; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := drain(url)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
				n.Store(got)
			}()
		}
		wg.Wait()
	}
	close(done)
	<-sampled
	return peak.Load(), n.Load(), firstErr
}

// residentSet is the process's resident set size (VmRSS), 0 if unknown.
func residentSet() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

func drain(url string) (int64, error) {
	res, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("下载 %s：%s", url, res.Status)
	}
	return io.Copy(io.Discard, res.Body)
}

// median is the middle of xs, the mean of the two middle ones for an even
// count; zero for none.
func median[T ~int64 | ~float64](xs []T) T {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}

func minD(ds []time.Duration) time.Duration { return slices.Min(ds) }
func maxD(ds []time.Duration) time.Duration { return slices.Max(ds) }

func mbList(xs []uint64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.1f MB", float64(x)/(1<<20))
	}
	return strings.Join(parts, "、")
}
