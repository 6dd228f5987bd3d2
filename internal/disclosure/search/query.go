package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// term is a query term as the index answers it.
type term struct {
	text  string
	need  []string // grams every match must hold
	extra []string // further grams of a loose term: holding them too makes an exact match possible
	exact bool     // holding need means holding the term as written (a one- or two-character term)
	loose bool     // a longer Chinese term, also found as separate words (食品 … 经营), ranked lower
}

// analyze turns a parsed term into the grams the index is asked for. A
// one- or two-character term is one gram: exact. A longer term made only
// of Chinese characters, unless quoted, matches when its two-character
// pieces all occur (食品经营 → 食品, 经营), as written or apart; any other
// term (a 文号, a phrase in quotes, words with digits or Latin letters)
// must hold every bigram and is then checked as written.
func analyze(t parsedTerm) *term {
	runs := indexableRuns(t.text)
	out := &term{text: t.text}
	if len(runs) == 1 && runs[0] == t.text && utf8.RuneCountInString(t.text) <= 2 {
		out.need, out.exact = []string{t.text}, true
		return out
	}
	all := distinct(runGrams(runs))
	if !t.quoted && len(runs) == 1 && runs[0] == t.text && allHan(t.text) {
		out.loose, out.need = true, distinct(chunks(t.text))
		for _, g := range all {
			if !contains(out.need, g) {
				out.extra = append(out.extra, g)
			}
		}
		return out
	}
	out.need = all
	return out
}

// indexableRuns splits s into its runs of indexable runes.
func indexableRuns(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !indexable(r) })
}

// runGrams are the bigrams of each run, or the rune of a one-rune run.
func runGrams(runs []string) []string {
	var out []string
	for _, r := range runs {
		rs := []rune(r)
		if len(rs) == 1 {
			out = append(out, r)
			continue
		}
		for i := 0; i+1 < len(rs); i++ {
			out = append(out, string(rs[i:i+2]))
		}
	}
	return out
}

// chunks covers a term with two-character pieces, from the start; an odd
// term's last piece overlaps the one before (个人所得税 → 个人, 所得, 得税).
func chunks(s string) []string {
	rs := []rune(s)
	var out []string
	for i := 0; i+1 < len(rs); i += 2 {
		out = append(out, string(rs[i:i+2]))
	}
	if len(rs)%2 == 1 {
		out = append(out, string(rs[len(rs)-2:]))
	}
	return out
}

func allHan(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

func distinct(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// filterIDs is a Query's filter in the index's terms.
type filterIDs struct {
	kind, category, topic   uint16
	scope                   int64
	validity                string
	year                    int
	hasKind, hasCat, hasTop bool
	none                    bool // a filter value no item has: nothing matches
}

func (ix *memIndex) filterOf(q Query) filterIDs {
	f := filterIDs{scope: q.Scope, validity: q.Validity, year: q.Year}
	if q.Kind != "" {
		code, ok := kindCodes[q.Kind]
		f.kind, f.hasKind, f.none = uint16(code), true, !ok
	}
	if q.Category != "" {
		var ok bool
		f.category, ok = ix.names.lookup(q.Category)
		f.hasCat, f.none = true, f.none || !ok
	}
	if q.Topic != "" {
		var ok bool
		f.topic, ok = ix.names.lookup(q.Topic)
		f.hasTop, f.none = true, f.none || !ok
	}
	return f
}

// all reports whether the filter passes every item.
func (f filterIDs) all() bool {
	return !f.hasKind && f.scope == 0 && !f.hasCat && !f.hasTop && f.validity == "" && f.year == 0 && !f.none
}

func (f *filterIDs) keep(d *docMeta) bool {
	return !d.dead && (!f.hasKind || uint16(d.kind) == f.kind) && (f.scope == 0 || d.scope == f.scope) &&
		(!f.hasCat || d.category == f.category) && (!f.hasTop || d.topic == f.topic) &&
		(f.validity == "" || d.validity == f.validity) && (f.year == 0 || int(d.year) == f.year)
}

// cand is one matching item with its score.
type cand struct {
	id       uint32
	key      int64
	score    float64
	possible bool // every loose term's other grams are there too: it may hold them as written
}

// cursor walks a posting list to ids in ascending order (descending when
// back).
type cursor struct {
	p     []uint32
	i     int
	bmax  []uint8  // the list's highest band per block
	first []uint32 // the first id of each block
	k     int      // the block blockMax last looked in
	back  bool
	dense []uint8 // the list's bands by id, if it keeps them (postings.dense)
}

// blockMax is an upper bound of id's band in the list: the highest band of
// the block where id would be. Ids must come in descending order.
func (c *cursor) blockMax(id uint32) uint8 {
	for c.k > 0 && c.first[c.k] > id {
		c.k--
	}
	return c.bmax[c.k]
}

const bandMask = 1<<bandBits - 1

// seek moves to id and reports its band, false when the list lacks it: one
// read in a dense list; else it gallops, then halves the last step.
func (c *cursor) seek(id uint32) (uint8, bool) {
	if c.dense != nil {
		if int(id) < len(c.dense) && c.dense[id] != 0 {
			return c.dense[id] - 1, true
		}
		return 0, false
	}
	if c.back {
		return c.seekBack(id)
	}
	lo, step := c.i, 1
	for lo+step < len(c.p) && c.p[lo+step]>>bandBits < id {
		lo += step
		step *= 2
	}
	hi := min(lo+step, len(c.p)) // p[hi] ≥ id, or the end
	for lo < hi && c.p[lo]>>bandBits < id {
		mid := int(uint(lo+hi) / 2)
		if c.p[mid]>>bandBits < id {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	c.i = lo
	if lo < len(c.p) && c.p[lo]>>bandBits == id {
		return uint8(c.p[lo] & bandMask), true
	}
	return 0, false
}

// seekBack moves down to id, for a cursor walking downward: a few steps
// one by one (in a list denser than the driving one the next id is mostly
// a few postings away, and a short scan costs less than a gallop's
// mispredicted branches), then galloping.
func (c *cursor) seekBack(id uint32) (uint8, bool) {
	hi := min(c.i, len(c.p)-1)
	for n := 0; hi >= 0 && c.p[hi]>>bandBits > id; n++ {
		if n == scanSteps {
			hi = c.gallopBack(hi, id)
			break
		}
		hi--
	}
	c.i = hi
	if hi >= 0 && c.p[hi]>>bandBits == id {
		return uint8(c.p[hi] & bandMask), true
	}
	return 0, false
}

// scanSteps is how many postings seekBack steps over one by one.
const scanSteps = 8

// gallopBack returns the last index at or below hi whose id is at most id
// (-1 if none), p[hi]'s being above it: it gallops down, then halves the
// last step.
func (c *cursor) gallopBack(hi int, id uint32) int {
	step := 1
	for hi-step >= 0 && c.p[hi-step]>>bandBits > id {
		hi -= step
		step *= 2
	}
	lo := max(hi-step, -1) // p[lo] ≤ id, or before the start; p[hi] > id
	for lo < hi-1 {
		mid := int(uint(lo+hi) / 2)
		if c.p[mid]>>bandBits > id {
			hi = mid
		} else {
			lo = mid
		}
	}
	return lo
}

// termLists are a term's posting lists and weight.
type termLists struct {
	need, extra []*cursor
	idf         float64
}

// lists looks up the terms' grams; ok is false when a needed gram is
// absent, so that nothing matches.
func (ix *memIndex) lists(terms []*term) ([]termLists, bool) {
	out := make([]termLists, len(terms))
	for i, t := range terms {
		df := ix.live
		for _, g := range t.need {
			pl := ix.grams[g]
			if pl == nil {
				return nil, false
			}
			out[i].need = append(out[i].need, &cursor{p: pl.p, bmax: pl.bmax, first: pl.first, dense: pl.dense})
			df = min(df, histSum(ix.liveHist(pl)))
		}
		for _, g := range t.extra {
			if pl := ix.grams[g]; pl != nil {
				out[i].extra = append(out[i].extra, &cursor{p: pl.p, bmax: pl.bmax, first: pl.first, dense: pl.dense})
			} else {
				out[i].extra = append(out[i].extra, &cursor{})
			}
		}
		if df == 0 {
			return nil, false
		}
		// The rarest gram first: an item lacking it is passed over soonest.
		slices.SortStableFunc(out[i].need, func(a, b *cursor) int { return len(a.p) - len(b.p) })
		out[i].idf = idf(df, ix.live)
	}
	return out, true
}

// candidates calls visit with every live item holding all needed grams
// and passing the filter, scored: a term's band in an item is the lowest
// band among its grams there (a term occurs at most as often as each of
// its grams). It returns how many there are.
func (ix *memIndex) candidates(terms []*term, f filterIDs, visit func(cand)) int {
	tl, ok := ix.lists(terms)
	if !ok || f.none {
		return 0
	}
	if len(terms) == 1 && terms[0].exact {
		return ix.single(tl[0], f, visit)
	}
	return ix.walk(tl, f, shortest(tl, false), false, -1, visit)
}

// possibleOnes visits only the candidates that hold every gram of every
// term, driven by the rarest of all those grams (a loose term's middle
// gram, 府信 in 政府信息, is often far rarer than its pieces).
func (ix *memIndex) possibleOnes(terms []*term, f filterIDs, visit func(cand)) {
	tl, ok := ix.lists(terms)
	if !ok || f.none {
		return
	}
	ix.walk(tl, f, shortest(tl, true), true, -1, visit)
}

// countUpTo counts the candidates, stopping at limit.
func (ix *memIndex) countUpTo(terms []*term, f filterIDs, limit int) int {
	tl, ok := ix.lists(terms)
	if !ok || f.none {
		return 0
	}
	return ix.walk(tl, f, shortest(tl, false), false, limit, func(cand) {})
}

// walk visits the items of the driver list holding the terms' grams (all
// of them when possibleOnly), at most limit when limit ≥ 0.
func (ix *memIndex) walk(tl []termLists, f filterIDs, driver *cursor, possibleOnly bool, limit int, visit func(cand)) int {
	n := 0
	filtered := !f.all() || ix.dirty
	for _, x := range driver.p {
		if n == limit {
			break
		}
		id := x >> bandBits
		c, ok := scoreOne(tl, id)
		if !ok || (filtered && !f.keep(&ix.docs[id])) {
			continue
		}
		if c.possible || !possibleOnly {
			c.key = ix.keys[id]
			n++
			visit(c)
		}
	}
	return n
}

// newest visits one exact term's items from the highest id down, until no
// lower id can hold a key above the worst kept (low reports it): items are
// numbered in key order when the index is built, so a newest-first page
// usually stops after the page. It returns the count, -1 when it stopped
// early.
func (ix *memIndex) newest(t termLists, f filterIDs, low func() (int64, bool), visit func(cand)) int {
	p := t.need[0].p
	n := 0
	for i := len(p) - 1; i >= 0; i-- {
		id := p[i] >> bandBits
		if k, full := low(); full && ix.upTo[id] < k {
			return -1
		}
		d := &ix.docs[id]
		if !f.keep(d) {
			continue
		}
		n++
		visit(cand{id: id, key: ix.keys[id], score: t.idf * bandValue(uint8(p[i]&bandMask)), possible: true})
	}
	return n
}

// single is candidates for one exact term: one list, its bands the scores.
func (ix *memIndex) single(t termLists, f filterIDs, visit func(cand)) int {
	n := 0
	filtered := !f.all() || ix.dirty
	for _, x := range t.need[0].p {
		id := x >> bandBits
		if filtered && !f.keep(&ix.docs[id]) {
			continue
		}
		n++
		visit(cand{id: id, key: ix.keys[id], score: t.idf * bandValue(uint8(x&bandMask)), possible: true})
	}
	return n
}

// floorFor is the lowest band that can reach the first need items of one
// exact term's list (from its live counts; filters only make it lower).
func (ix *memIndex) floorFor(terms []*term, f filterIDs, need int) uint8 {
	if len(terms) != 1 || !terms[0].exact || !f.all() {
		return 0
	}
	pl := ix.grams[terms[0].need[0]]
	if pl == nil {
		return 0
	}
	h := ix.liveHist(pl)
	n := 0
	for b := bands - 1; b > 0; b-- {
		if n += int(h[b]); n >= need {
			return uint8(b)
		}
	}
	return 0
}

// shortest is the shortest needed list (or of all lists, with extra).
func shortest(tl []termLists, extra bool) *cursor {
	var best *cursor
	for _, t := range tl {
		cs := t.need
		if extra {
			cs = append(append([]*cursor{}, t.need...), t.extra...)
		}
		for _, c := range cs {
			if best == nil || len(c.p) < len(best.p) {
				best = c
			}
		}
	}
	return &cursor{p: best.p}
}

// scoreOne checks that item id holds every needed gram and scores it.
func scoreOne(tl []termLists, id uint32) (cand, bool) {
	c := cand{id: id, possible: true}
	for _, t := range tl {
		low := uint8(bands)
		for _, cur := range t.need {
			b, ok := cur.seek(id)
			if !ok {
				return c, false
			}
			low = min(low, b)
		}
		for _, cur := range t.extra {
			b, ok := cur.seek(id)
			if !ok {
				c.possible = false
				continue
			}
			low = min(low, b)
		}
		c.score += t.idf * bandValue(low)
	}
	return c, true
}
