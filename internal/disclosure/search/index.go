package search

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// memIndex is the in-memory inverted index a node answers searches from.
// The database holds the entries (the source of truth, shared by every
// node); each node builds this index from them and follows their change
// log. Items get internal ids in the order the node learns of them, so
// posting lists only ever grow at their end; a replaced or removed item's
// postings stay behind as dead ids until the next restart.
type memIndex struct {
	docs     []docMeta
	keys     []int64  // keys[id]: the item's sort key, apart from docs so that reading it touches little memory
	entries  []*Entry // entries[id]: the item as stored, for pages and checks as written; nil once removed
	upTo     []int64  // upTo[id]: the highest key among items 0 … id, for newest-first scans
	byRef    map[kindRef]uint32
	grams    map[string]*postings
	live     int
	removals uint32   // items removed so far: lists counted before are stale
	dirty    bool     // some list holds a removed item's postings (until compact)
	names    interner // categories and topics
	denseMin int      // how long a list must be to keep dense bands (denseMin; lowered in tests, raised by bulk)
}

type kindRef struct {
	kind string
	ref  int64
}

// docMeta is what filtering and ordering need of an item.
type docMeta struct {
	ref      int64
	scope    int64
	kind     uint8
	validity string
	category uint16
	topic    uint16
	year     uint16
	dead     bool
}

// postings lists the items holding a gram: id<<5 | band, ids ascending,
// with the number of live items per band.
type postings struct {
	p     []uint32
	bmax  []uint8      // bmax[k]: the highest band in p[k·blockSize:(k+1)·blockSize]
	first []uint32     // first[k]: the id of p[k·blockSize], kept apart so that a walk finds blocks without reading p
	hist  [bands]int32 // valid while epoch equals the index's removals
	epoch uint32
	dense []uint8 // for a list many items hold: dense[id] is id's band+1, 0 where absent (see denseMin)
}

// A list held by at least denseMin items (the index's denseMin), and by
// every denseShare-th item or more, also keeps its bands by id: looking an
// item up in it is one read instead of a seek. It costs one byte per item
// up to the list's last, at most half of what the list itself takes (four
// bytes a posting); only the grams most items hold get one (on the laws
// and 200,000 generated documents, 160 lists of 173,000, about 35 MB).
const (
	denseMin   = 4096
	denseShare = 2
)

// noteDense keeps dense current for a posting of id appended to the list,
// or makes it once the list is long and dense enough.
func (pl *postings) noteDense(id uint32, band uint8, least int) {
	switch {
	case pl.dense != nil:
		for len(pl.dense) < int(id) {
			pl.dense = append(pl.dense, 0)
		}
		pl.dense = append(pl.dense, band+1)
	case pl.qualifies(least):
		pl.makeDense()
	}
}

// qualifies reports whether the list should keep dense bands.
func (pl *postings) qualifies(least int) bool {
	return len(pl.p) >= least && len(pl.p)*denseShare > int(pl.p[len(pl.p)-1]>>bandBits)
}

// makeDense builds dense from the postings.
func (pl *postings) makeDense() {
	d := make([]uint8, pl.p[len(pl.p)-1]>>bandBits+1)
	for _, x := range pl.p {
		d[x>>bandBits] = uint8(x&bandMask) + 1
	}
	pl.dense = d
}

func histSum(h [bands]int32) int {
	n := 0
	for _, c := range h {
		n += int(c)
	}
	return n
}

const bandBits = 5

// blockSize is how many postings share one highest-band entry (bmax).
const blockSize = 64

// noteBand keeps bmax and first current for the posting at i.
func (pl *postings) noteBand(i int, band uint8) {
	if k := i / blockSize; k == len(pl.bmax) {
		pl.bmax = append(pl.bmax, band)
		pl.first = append(pl.first, pl.p[i]>>bandBits)
	} else {
		pl.bmax[k] = max(pl.bmax[k], band)
	}
}

func newMemIndex() *memIndex {
	return &memIndex{byRef: map[kindRef]uint32{}, grams: map[string]*postings{}, names: interner{m: map[string]uint16{}},
		denseMin: denseMin}
}

// interner gives short ids to the few distinct categories and topics.
type interner struct {
	m     map[string]uint16
	names []string
}

func (in *interner) id(s string) uint16 {
	if id, ok := in.m[s]; ok {
		return id
	}
	id := uint16(len(in.names))
	in.m[s], in.names = id, append(in.names, s)
	return id
}

// lookup returns the id of s and whether any item ever had it.
func (in *interner) lookup(s string) (uint16, bool) {
	id, ok := in.m[s]
	return id, ok
}

// add indexes an entry, replacing the item of the same kind and ref.
func (ix *memIndex) add(e *Entry, g entryGrams) {
	ix.remove(e.Kind, e.Ref)
	id := uint32(len(ix.docs))
	hi := e.Key
	if id > 0 {
		hi = max(hi, ix.upTo[id-1])
	}
	ix.upTo = append(ix.upTo, hi)
	ix.keys = append(ix.keys, e.Key)
	ix.entries = append(ix.entries, e)
	ix.docs = append(ix.docs, docMeta{ref: e.Ref, scope: e.Scope, kind: uint8(kindCodes[e.Kind]),
		validity: e.Validity, category: ix.names.id(e.Category), topic: ix.names.id(e.Topic), year: uint16(max(e.Year, 0))})
	ix.byRef[kindRef{e.Kind, e.Ref}] = id
	ix.live++
	for _, gb := range g {
		pl := ix.grams[gb.gram]
		if pl == nil {
			pl = &postings{epoch: ix.removals}
			ix.grams[strings.Clone(gb.gram)] = pl
		}
		pl.p = append(pl.p, id<<bandBits|uint32(gb.band))
		pl.noteBand(len(pl.p)-1, gb.band)
		pl.noteDense(id, gb.band, ix.denseMin)
		pl.hist[gb.band]++ // only meaningful while the epoch is current
	}
}

// remove marks an item dead; removing an unknown item does nothing. Its
// postings stay in the lists (skipped as dead) until compact; the per-band
// counts of the lists holding it are recounted when next needed (liveHist).
func (ix *memIndex) remove(kind string, ref int64) {
	id, ok := ix.byRef[kindRef{kind, ref}]
	if !ok {
		return
	}
	delete(ix.byRef, kindRef{kind, ref})
	ix.docs[id].dead = true
	ix.entries[id] = nil
	ix.live--
	ix.removals++
	ix.dirty = true
}

// liveHist counts the live items of a list per band: the kept counts while
// nothing was removed since they were made, else a count over the list.
func (ix *memIndex) liveHist(pl *postings) [bands]int32 {
	if pl.epoch == ix.removals {
		return pl.hist
	}
	var h [bands]int32
	for _, x := range pl.p {
		if !ix.docs[x>>bandBits].dead {
			h[x&(1<<bandBits-1)]++
		}
	}
	return h
}

// trim gives every list exactly the room it uses, after a bulk build, and
// its dense bands if it qualifies (made here once, not grown item by item
// during the build: see bulk).
func (ix *memIndex) trim() {
	for _, pl := range ix.grams {
		if cap(pl.p) > len(pl.p) {
			pl.p = slices.Clip(append([]uint32(nil), pl.p...))
		}
		if pl.dense == nil && pl.qualifies(ix.denseMin) {
			pl.makeDense()
		}
	}
}

// bulk stops lists from making dense bands while an index is built from
// scratch; trim makes them at the end. It returns the function that ends
// the bulk build.
func (ix *memIndex) bulk() (done func()) {
	least := ix.denseMin
	ix.denseMin = math.MaxInt
	return func() {
		ix.denseMin = least
		ix.trim()
	}
}

// compact drops dead postings and makes every list's counts current.
func (ix *memIndex) compact() {
	for g, pl := range ix.grams {
		kept := pl.p[:0]
		var h [bands]int32
		for _, x := range pl.p {
			if !ix.docs[x>>bandBits].dead {
				kept = append(kept, x)
				h[x&(1<<bandBits-1)]++
			}
		}
		if len(kept) == 0 {
			delete(ix.grams, g)
			continue
		}
		pl.p, pl.hist, pl.epoch, pl.bmax, pl.first = kept, h, ix.removals, pl.bmax[:0], pl.first[:0]
		for i, x := range kept {
			pl.noteBand(i, uint8(x&bandMask))
		}
		if pl.dense != nil {
			pl.makeDense()
		}
	}
	ix.dirty = false
}

// entryGrams lists each gram of an entry with its band.
type entryGrams []gramBand

type gramBand struct {
	gram string // a substring of the entry's text: cloned when the index keeps it
	band uint8
}

// splitFields cuts an entry's text into title, number, summary and body.
func splitFields(text string) [numFields]string {
	var f [numFields]string
	for i := 0; i < numFields-1; i++ {
		var ok bool
		f[i], text, ok = strings.Cut(text, "\n")
		if !ok {
			return f
		}
	}
	f[numFields-1] = text
	return f
}

// tokenizer computes entries' grams, reusing its tables between entries.
type tokenizer struct {
	at     map[string]int32
	counts [][numFields]int
	order  []string
}

// gramsOf computes the band of every gram of an entry's text.
func (tk *tokenizer) gramsOf(text, validity string) entryGrams {
	if tk.at == nil {
		tk.at = map[string]int32{}
	}
	clear(tk.at)
	tk.counts, tk.order = tk.counts[:0], tk.order[:0]
	var lens [numFields]int
	for i, f := range splitFields(text) {
		lens[i] = utf8.RuneCountInString(f)
		countGrams(f, func(g string) {
			j, ok := tk.at[g]
			if !ok {
				j = int32(len(tk.counts))
				tk.at[g] = j
				tk.counts = append(tk.counts, [numFields]int{})
				tk.order = append(tk.order, g)
			}
			tk.counts[j][i]++
		})
	}
	vf := validityFactor(validity)
	out := make(entryGrams, len(tk.order))
	for j, g := range tk.order {
		out[j] = gramBand{g, bandOf(impact(tk.counts[j], lens, vf))}
	}
	return out
}

// countGrams calls fn for every occurrence of a unigram or bigram of
// indexable runes in s (the grams Grams lists, with repetitions).
func countGrams(s string, fn func(g string)) {
	prev := -1
	for i, r := range s {
		if !indexable(r) {
			prev = -1
			continue
		}
		size := utf8.RuneLen(r)
		fn(s[i : i+size])
		if prev >= 0 {
			fn(s[prev : i+size])
		}
		prev = i
	}
}
