package bench

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"openhall/internal/disclosure/search"
)

// Transactor runs fn in one transaction.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// batchSize is how many documents one transaction indexes while building.
const batchSize = 500

// Index indexes docs in transactions of batchSize and reports progress to
// w (nil for none).
func Index(ctx context.Context, tx Transactor, s search.Searcher, docs []search.Doc, w io.Writer) error {
	for start := 0; start < len(docs); start += batchSize {
		batch := docs[start:min(start+batchSize, len(docs))]
		err := tx.InTx(ctx, func(ctx context.Context) error {
			for _, d := range batch {
				if err := s.Index(ctx, d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if w != nil && (start/batchSize)%40 == 39 {
			fmt.Fprintf(w, "  已索引 %d\n", start+len(batch))
		}
	}
	return nil
}

// Class is a kind of query the issue sets a target for.
type Class struct {
	Name    string
	Queries []search.Query
}

// Classes are the measured queries: one-, two- and four-character words
// from common to rare, two words together, and 文号 looked up in the
// brackets people type.
func Classes(docs int) []Class {
	words := func(ws ...string) []search.Query {
		var qs []search.Query
		for _, w := range ws {
			qs = append(qs, search.Query{Text: w}, search.Query{Text: w, Sort: search.ByDate})
		}
		return qs
	}
	var numbers []search.Query
	for i := 1; i <= 10; i++ {
		n := []rune(DocNo(i * docs / 11))
		// 〔2017〕 typed as [2017], (2017), 【2017】 …
		brackets := [][2]rune{{'[', ']'}, {'(', ')'}, {'【', '】'}, {'（', '）'}, {'〔', '〕'}}[i%5]
		for k, r := range n {
			switch r {
			case '〔':
				n[k] = brackets[0]
			case '〕':
				n[k] = brackets[1]
			}
		}
		numbers = append(numbers, search.Query{Text: string(n)})
	}
	return []Class{
		{"一字", words("税", "公", "费", "桥", "令")},
		{"二字", words("公开", "预算", "就业", "补贴", "泵站")},
		{"四字", words("政府信息", "安全生产", "行政许可", "社会救助", "紫金港路")},
		{"两词", words("公开 预算", "就业 补贴", "安全生产 监督", "个人所得税 申请", "西溪 驿站")},
		{"文号", numbers},
	}
}

// Pick returns the classes named in a comma-separated list, in the order
// of all; an empty list picks every class, an unknown name is an error.
func Pick(all []Class, names string) ([]Class, error) {
	if strings.TrimSpace(names) == "" {
		return all, nil
	}
	want := map[string]bool{}
	for n := range strings.SplitSeq(names, ",") {
		want[strings.TrimSpace(n)] = true
	}
	var out []Class
	for _, c := range all {
		if want[c.Name] {
			out = append(out, c)
			delete(want, c.Name)
		}
	}
	for n := range want {
		return nil, fmt.Errorf("没有名为 %q 的检索类别（可选：一字、二字、四字、两词、文号）", n)
	}
	return out, nil
}

// Stats are latency percentiles of a set of timings.
type Stats struct {
	N             int
	P50, P95, Max time.Duration
}

func statsOf(ds []time.Duration) Stats {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	at := func(p float64) time.Duration { return ds[min(int(p*float64(len(ds))), len(ds)-1)] }
	return Stats{N: len(ds), P50: at(0.50), P95: at(0.95), Max: ds[len(ds)-1]}
}

// String formats the stats in milliseconds.
func (s Stats) String() string {
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return fmt.Sprintf("n=%d p50=%.2fms p95=%.2fms max=%.2fms", s.N, ms(s.P50), ms(s.P95), ms(s.Max))
}

// Measure runs every query of the class rounds times (after one warm-up
// round) and returns the latencies and the hits of the first round.
func Measure(ctx context.Context, s search.Searcher, c Class, rounds int) (Stats, []int, error) {
	var ds []time.Duration
	var hits []int
	for round := -1; round < rounds; round++ {
		for _, q := range c.Queries {
			start := time.Now()
			res, err := s.Search(ctx, q)
			if err != nil {
				return Stats{}, nil, err
			}
			if round >= 0 {
				ds = append(ds, time.Since(start))
			}
			if round == 0 {
				hits = append(hits, res.Total)
			}
		}
	}
	return statsOf(ds), hits, nil
}

// Time runs fn n times and returns the latency stats.
func Time(n int, fn func() error) (Stats, error) {
	ds := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		start := time.Now()
		if err := fn(); err != nil {
			return Stats{}, err
		}
		ds = append(ds, time.Since(start))
	}
	return statsOf(ds), nil
}
