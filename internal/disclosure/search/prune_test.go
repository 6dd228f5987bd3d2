package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// randomIndex builds an index of n items written from a small alphabet, so
// that grams are shared widely, with some items replaced (dead postings
// until compact) and keys mostly, not always, rising with the ids.
// With denseMin > 0, lists of that many postings keep dense bands, made
// as lists get there or, with bulk, at the end (as a server's first load).
func randomIndex(rng *rand.Rand, n int, keyOf func(i int) int64, denseMin int, bulk bool) *memIndex {
	const alphabet = "政府信息公开预算就业补贴安全生产监督"
	rs := []rune(alphabet)
	words := func(k int) string {
		var b strings.Builder
		for range k {
			b.WriteRune(rs[rng.IntN(len(rs))])
			if rng.IntN(6) == 0 {
				b.WriteRune('，')
			}
		}
		return b.String()
	}
	ix := newMemIndex()
	if denseMin > 0 {
		ix.denseMin = denseMin
	}
	if bulk {
		defer ix.bulk()()
	}
	var tk tokenizer
	used := map[int64]bool{} // keys are unique, as the store makes them
	for i := range n {
		ref := int64(i)
		if i > 0 && rng.IntN(10) == 0 {
			ref = int64(rng.IntN(i)) // a replacement: the old item's postings die
		}
		validity := []string{"valid", "expired", "amended"}[rng.IntN(3)]
		text := words(4+rng.IntN(8)) + "\n\n" + words(rng.IntN(20)) + "\n" + words(10+rng.IntN(300))
		key := keyOf(i)
		for used[key] {
			key++
		}
		used[key] = true
		e := &Entry{Key: key, Kind: KindDocument, Ref: ref, Scope: int64(1 + rng.IntN(3)), Validity: validity, Text: text}
		ix.add(e, tk.gramsOf(e.Text, e.Validity))
	}
	return ix
}

// fullWalk is the reference: every candidate looked at, the best n kept.
func fullWalk(ix *memIndex, terms []*term, f filterIDs, possibleOnly bool, skip func(uint32) bool, less func(a, b cand) bool, n int) ([]cand, int) {
	h := &candHeap{less: less}
	visit := func(c cand) {
		if skip == nil || !skip(c.id) {
			h.offer(c, n)
		}
	}
	var count int
	if possibleOnly {
		tl, ok := ix.lists(terms)
		if ok && !f.none {
			count = ix.walk(tl, f, shortest(tl, true), true, -1, visit)
		}
	} else {
		count = ix.candidates(terms, f, visit)
	}
	return h.sorted(), count
}

func TestTopWalksKeepWhatAFullWalkKeeps(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	keyOrders := []struct {
		name  string
		keyOf func(i int) int64
	}{
		// Keys mostly rising with the ids, as when the index is built;
		// some a little below an earlier item's, some far above later ones.
		{"mostly", func(i int) int64 {
			key := int64(i*10 + rng.IntN(25))
			if rng.IntN(4) == 0 {
				key += int64(rng.IntN(5000))
			}
			return key
		}},
		{"nearly", func(i int) int64 { return int64(i*10 + rng.IntN(40)) }}, // neighbours swap
		{"random", func(int) int64 { return int64(rng.IntN(1 << 30)) }},     // items added in any order
	}
	for _, o := range keyOrders {
		for _, dense := range []int{0, 64} { // 0: no list keeps dense bands; 64: most do
			ix := randomIndex(rng, 3000, o.keyOf, dense, false)
			for _, compacted := range []bool{false, true} {
				if compacted {
					ix.compact()
				}
				checkTopWalks(t, fmt.Sprintf("%s/dense%d/compacted=%v", o.name, dense, compacted), ix, rng)
			}
		}
	}
}

// TestDenseBandsChangeNothing builds one index twice, with and without
// dense bands, and compares every full walk and every list's dense bands
// with its postings, before and after compact.
func TestDenseBandsChangeNothing(t *testing.T) {
	keyOf := func(i int) int64 { return int64(i * 10) }
	plain := randomIndex(rand.New(rand.NewPCG(5, 6)), 2000, keyOf, 0, false)
	for _, bulk := range []bool{false, true} {
		dense := randomIndex(rand.New(rand.NewPCG(5, 6)), 2000, keyOf, 32, bulk)
		checkDenseIndex(t, plain, dense, bulk)
	}
}

func checkDenseIndex(t *testing.T, plain, dense *memIndex, bulk bool) {
	t.Helper()
	for _, compacted := range []bool{false, true} {
		if compacted {
			plain.compact()
			dense.compact()
		}
		withDense := 0
		for g, pl := range dense.grams {
			if pl.dense == nil {
				continue
			}
			withDense++
			checkDense(t, g, pl)
		}
		if withDense == 0 {
			t.Fatal("no list keeps dense bands")
		}
		for _, q := range []string{"政府信息", "公开 预算", "安全生产 监督", "监", "府信 开预 算就"} {
			var terms []*term
			for _, p := range parseTerms(q) {
				terms = append(terms, analyze(p))
			}
			a, na := fullWalk(plain, terms, filterIDs{}, false, nil, byScore, 50)
			b, nb := fullWalk(dense, terms, filterIDs{}, false, nil, byScore, 50)
			if na != nb || !slices.Equal(a, b) {
				t.Fatalf("%q (bulk=%v, compacted=%v): dense bands change the walk: %d vs %d matches", q, bulk, compacted, na, nb)
			}
		}
	}
}

// checkDense compares a list's dense bands with its postings.
func checkDense(t *testing.T, g string, pl *postings) {
	t.Helper()
	want := make([]uint8, len(pl.dense))
	for _, x := range pl.p {
		want[x>>bandBits] = uint8(x&bandMask) + 1
	}
	if len(pl.dense) != int(pl.p[len(pl.p)-1]>>bandBits)+1 || !slices.Equal(pl.dense, want) {
		t.Fatalf("%q: dense bands differ from the postings", g)
	}
}

func checkTopWalks(t *testing.T, round string, ix *memIndex, rng *rand.Rand) {
	t.Helper()
	queries := []string{"政府信息", "公开 预算", "安全生产 监督", "就业补贴 政府", "信息公开预算", "监 督", "府信 开预 算就", "补贴", "监", "公开"}
	{
		for _, q := range queries {
			for _, scope := range []int64{0, 2} {
				for _, n := range []int{1, 20, 64, 1024} {
					name := fmt.Sprintf("%s/%s/scope%d/n%d", round, q, scope, n)
					checkTopWalk(t, name, ix, q, filterIDs{scope: scope}, n, rng)
				}
			}
		}
	}
}

func checkTopWalk(t *testing.T, name string, ix *memIndex, q string, f filterIDs, n int, rng *rand.Rand) {
	t.Helper()
	var terms []*term
	for _, p := range parseTerms(q) {
		terms = append(terms, analyze(p))
	}
	skipped := map[uint32]bool{}
	for range 50 {
		skipped[uint32(rng.IntN(len(ix.docs)))] = true
	}
	skip := func(id uint32) bool { return skipped[id] }
	for _, c := range []struct {
		kind         string
		possibleOnly bool
		skip         func(uint32) bool
		newest       bool
		uncounted    bool
	}{{"score", false, nil, false, false}, {"possible", true, nil, false, false}, {"skip", false, skip, false, false},
		{"newest", false, nil, true, false}, {"newest-possible", true, nil, true, false}, {"single", false, nil, false, false},
		{"possible-uncounted", true, nil, false, true}, {"skip-uncounted", false, skip, false, true}} {
		if c.kind == "single" && (len(terms) != 1 || !terms[0].exact || !f.all() || ix.dirty) {
			continue // the walk for one exact term when nothing filters
		}
		less := byScore
		if c.newest {
			less = byDate
		}
		want, wantCount := fullWalk(ix, terms, f, c.possibleOnly, c.skip, less, n)
		tl, ok := ix.lists(terms)
		if !ok {
			if len(want) > 0 {
				t.Fatalf("%s/%s: lists found nothing, a full walk %d", name, c.kind, len(want))
			}
			continue
		}
		h := &candHeap{less: less}
		w := &topWalk{ix: ix, tl: tl, f: f, possibleOnly: c.possibleOnly, skip: c.skip, h: h, n: n, uncounted: c.uncounted}
		var count int
		switch {
		case c.newest:
			count = w.newest()
		case c.kind == "single":
			count = w.single(ix.floorFor(terms, f, n))
		default:
			count = w.byScore()
		}
		got := h.sorted()
		if !slices.Equal(got, want) {
			t.Fatalf("%s/%s: kept %d, want %d; first difference at %d", name, c.kind, len(got), len(want), firstDiff(got, want))
		}
		if !c.uncounted && min(count, countCap) != min(wantCount, countCap) {
			t.Fatalf("%s/%s: counted %d, want %d (up to %d)", name, c.kind, count, wantCount, countCap)
		}
	}
}

func TestCursorSeeksBothWays(t *testing.T) {
	var p []uint32
	for id := uint32(0); id < 2000; id += 3 {
		p = append(p, id<<bandBits|id%bands)
	}
	up := &cursor{p: p}
	for id := uint32(0); id < 2000; id += 7 {
		b, ok := up.seek(id)
		if ok != (id%3 == 0) || (ok && b != uint8(id%bands)) {
			t.Fatalf("seek(%d) = %d, %v", id, b, ok)
		}
	}
	dense := make([]uint8, 1999)
	for _, x := range p {
		dense[x>>bandBits] = uint8(x&bandMask) + 1
	}
	for id := uint32(0); id < 2010; id++ {
		c := &cursor{p: p, dense: dense}
		b, ok := c.seek(id)
		if ok != (id%3 == 0 && id < 2000) || (ok && b != uint8(id%bands)) {
			t.Fatalf("dense seek(%d) = %d, %v", id, b, ok)
		}
	}
	down := &cursor{p: p, i: len(p) - 1, back: true}
	for id := 2010; id >= 0; id -= 5 {
		b, ok := down.seek(uint32(id))
		if ok != (id%3 == 0 && id < 2000) || (ok && b != uint8(id%bands)) {
			t.Fatalf("seek back(%d) = %d, %v", id, b, ok)
		}
	}
}

func firstDiff(a, b []cand) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
