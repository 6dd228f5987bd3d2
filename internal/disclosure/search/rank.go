package search

import (
	"container/heap"
	"context"
	"slices"
	"strings"

	"openhall/internal/apperr"
)

func isNotFound(err error) bool { return apperr.Is(err, apperr.NotFound) }

// Verification bounds: terms the index cannot confirm (a 文号, a quoted
// phrase, a longer term as written) are checked against the stored text,
// best candidates first, in batches, at most maxVerify candidates a search.
const (
	verifyBatch = 128
	maxVerify   = 1024
)

// Search runs q.
func (e *Engine) Search(ctx context.Context, q Query) (*Result, error) {
	if q.Limit <= 0 || q.Limit > 50 {
		q.Limit = 20
	}
	q.Offset = min(max(q.Offset, 0), MaxCount)
	parsed := parseTerms(q.Text)
	res := &Result{}
	for _, t := range parsed {
		res.Terms = append(res.Terms, t.text)
	}
	if len(parsed) == 0 {
		return res, nil
	}
	if err := e.fresh(ctx); err != nil {
		return nil, err
	}
	terms := make([]*term, len(parsed))
	for i, t := range parsed {
		terms[i] = analyze(t)
	}
	r := &run{e: e, q: q, terms: terms}
	r.order()
	r.page(res)
	return res, nil
}

// run is one search under way.
type run struct {
	e      *Engine
	q      Query
	terms  []*term
	ranked []cand // the result order, as far as the page needs it
	total  int
	capped bool
}

// order finds the candidates and puts the first offset+limit in order.
func (r *run) order() {
	need := r.q.Offset + r.q.Limit
	verify := r.checked()
	switch {
	case len(verify) > 0 && !r.allLoose():
		r.confirmed(r.collect(), need)
	case len(verify) > 0 && r.q.Sort != ByDate:
		r.tiered(need)
	case r.q.Sort == ByDate:
		r.ranked = r.byDate(need)
	default:
		r.ranked = r.stream(max(need, headRerank), byScore)
		r.proximity()
	}
}

// collect returns every candidate.
func (r *run) collect() []cand {
	var cands []cand
	r.e.mu.RLock()
	defer r.e.mu.RUnlock()
	r.e.ix.candidates(r.terms, r.e.ix.filterOf(r.q), func(c cand) { cands = append(cands, c) })
	return cands
}

// byDate keeps the newest n candidates; for one exact term it scans from
// the newest items and counts the rest from the list's live counts.
func (r *run) byDate(n int) []cand {
	r.e.mu.RLock()
	fast := len(r.terms) == 1 && r.terms[0].exact && r.e.ix.filterOf(r.q).all()
	r.e.mu.RUnlock()
	if !fast {
		return r.stream(n, byDate)
	}
	r.e.mu.RLock()
	defer r.e.mu.RUnlock()
	ix := r.e.ix
	tl, ok := ix.lists(r.terms)
	if !ok {
		return nil
	}
	h := &candHeap{less: byDate, cs: make([]cand, 0, n)}
	low := func() (int64, bool) {
		if h.Len() < n {
			return 0, false
		}
		return h.cs[0].key, true
	}
	ix.newest(tl[0], ix.filterOf(r.q), low, func(c cand) { h.offer(c, n) })
	r.total = histSum(ix.liveHist(ix.grams[r.terms[0].need[0]]))
	return h.sorted()
}

// stream keeps the best n candidates as they come, and counts them (up to
// countCap where the walk may stop early).
func (r *run) stream(n int, less func(a, b cand) bool) []cand {
	h := &candHeap{less: less, cs: make([]cand, 0, n)}
	if len(r.terms) > 1 || !r.terms[0].exact {
		r.total = r.top(&topWalk{h: h, n: n}, r.q.Sort == ByDate)
		return h.sorted()
	}
	r.e.mu.RLock()
	ix := r.e.ix
	f := ix.filterOf(r.q)
	defer r.e.mu.RUnlock()
	if r.q.Sort == ByDate || !f.all() || ix.dirty {
		r.total = ix.candidates(r.terms, f, func(c cand) { h.offer(c, n) })
		return h.sorted()
	}
	if tl, ok := ix.lists(r.terms); ok {
		w := &topWalk{ix: ix, tl: tl, f: f, h: h, n: n}
		r.total = w.single(ix.floorFor(r.terms, f, n))
	}
	return h.sorted()
}

// top runs a top-n walk (see prune.go), filling in the index's side, and
// returns its count.
func (r *run) top(w *topWalk, newest bool) int {
	r.e.mu.RLock()
	defer r.e.mu.RUnlock()
	ix := r.e.ix
	f := ix.filterOf(r.q)
	tl, ok := ix.lists(r.terms)
	if !ok || f.none {
		return 0
	}
	w.ix, w.tl, w.f = ix, tl, f
	if newest {
		return w.newest()
	}
	return w.byScore()
}

// checked are the terms the index alone cannot confirm as written.
func (r *run) checked() []*term {
	var out []*term
	for _, t := range r.terms {
		if !t.exact {
			out = append(out, t)
		}
	}
	return out
}

func (r *run) allLoose() bool {
	for _, t := range r.checked() {
		if !t.loose {
			return false
		}
	}
	return true
}

// byScore orders by score, then newest first; byDate newest first.
func byScore(a, b cand) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.key > b.key
}

func byDate(a, b cand) bool { return a.key > b.key }

// top returns the first n of cs in the order less, sorted: a bounded heap,
// so that a common word's hundred thousand candidates cost one pass.
func top(cs []cand, n int, less func(a, b cand) bool) []cand {
	if n <= 0 {
		return nil
	}
	h := &candHeap{less: less}
	for _, c := range cs {
		h.offer(c, n)
	}
	return h.sorted()
}

// offer keeps c if it is among the best n seen.
func (h *candHeap) offer(c cand, n int) {
	if h.Len() < n {
		heap.Push(h, c)
	} else if n > 0 && h.less(c, h.cs[0]) {
		h.cs[0] = c
		heap.Fix(h, 0)
	}
}

// sorted returns the kept candidates, best first.
func (h *candHeap) sorted() []cand {
	out := h.cs
	slices.SortFunc(out, func(a, b cand) int {
		if h.less(a, b) {
			return -1
		}
		if h.less(b, a) {
			return 1
		}
		return 0
	})
	return out
}

// candHeap keeps the worst of the best at its root.
type candHeap struct {
	cs   []cand
	less func(a, b cand) bool
}

func (h *candHeap) Len() int           { return len(h.cs) }
func (h *candHeap) Less(i, j int) bool { return h.less(h.cs[j], h.cs[i]) }
func (h *candHeap) Swap(i, j int)      { h.cs[i], h.cs[j] = h.cs[j], h.cs[i] }
func (h *candHeap) Push(x any)         { h.cs = append(h.cs, x.(cand)) }
func (h *candHeap) Pop() any {
	x := h.cs[len(h.cs)-1]
	h.cs = h.cs[:len(h.cs)-1]
	return x
}

// page makes the hits of the page, from the stored entries.
func (r *run) page(res *Result) {
	if r.total > MaxCount {
		r.total, r.capped = MaxCount, true
	}
	res.Total, res.Capped = r.total, r.capped
	if r.q.Offset >= len(r.ranked) {
		return
	}
	pg := r.ranked[r.q.Offset:min(len(r.ranked), r.q.Offset+r.q.Limit)]
	entries := make([]*Entry, len(pg))
	r.e.mu.RLock()
	for i, c := range pg {
		entries[i] = r.e.ix.entries[c.id]
	}
	r.e.mu.RUnlock()
	needle, marks := r.needle(), r.highlights()
	for _, en := range entries {
		if en != nil {
			res.Hits = append(res.Hits, hitOf(en, excerpt(body(en.Text), needle, excerptRunes), res.Terms, marks))
		}
	}
}

// needle is what the excerpt is cut around: the first term, or for a loose
// term its first piece.
func (r *run) needle() string {
	t := r.terms[0]
	if t.loose {
		return t.need[0]
	}
	return t.text
}

// highlights are the strings marked in titles and excerpts: the terms, and
// the pieces of loose terms.
func (r *run) highlights() []string {
	var out []string
	for _, t := range r.terms {
		out = append(out, t.text)
		if t.loose {
			out = append(out, t.need...)
		}
	}
	return out
}

func hitOf(en *Entry, excerpt string, terms, marks []string) Hit {
	title := Normalize(en.Title + "\n" + en.Number)
	return Hit{Kind: en.Kind, Ref: en.Ref, Scope: en.Scope, Title: Highlight(en.Title, marks), Number: en.Number,
		Category: en.Category, Validity: en.Validity, Date: en.Date, URL: en.URL,
		Snippet: Snippet(excerpt, marks, snippetRunes), InTitle: containsAll(title, terms)}
}

func containsAll(s string, terms []string) bool {
	for _, t := range terms {
		if !strings.Contains(s, t) {
			return false
		}
	}
	return true
}

// snippetRunes is the length of a result's text excerpt; excerptRunes,
// of the piece read to cut it from.
const (
	snippetRunes = 120
	excerptRunes = snippetRunes + snippetRunes/2
)

// SearchRefs returns the refs of the first n results of q (at most
// MaxCount), in order, and how many results there are (counted up to
// MaxCount+1 where counting is bounded): for a module that shows its own
// listing of the hits, such as the service catalogue.
func (e *Engine) SearchRefs(ctx context.Context, q Query, n int) ([]int64, int, error) {
	q.Offset, q.Limit = 0, min(max(n, 1), MaxCount)
	parsed := parseTerms(q.Text)
	if len(parsed) == 0 {
		return nil, 0, nil
	}
	if err := e.fresh(ctx); err != nil {
		return nil, 0, err
	}
	terms := make([]*term, len(parsed))
	for i, t := range parsed {
		terms[i] = analyze(t)
	}
	r := &run{e: e, q: q, terms: terms}
	r.order()
	refs := make([]int64, 0, min(len(r.ranked), q.Limit))
	e.mu.RLock()
	for _, c := range r.ranked[:min(len(r.ranked), q.Limit)] {
		refs = append(refs, e.ix.docs[c.id].ref)
	}
	e.mu.RUnlock()
	return refs, r.total, nil
}
