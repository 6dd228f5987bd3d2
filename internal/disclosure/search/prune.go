package search

import (
	"slices"
	"sort"
)

// Top-n walks. A search shows a page of the best (or newest) items and a
// count that stops at MaxCount+1, so once that many matches are counted
// and the kept set is full, an item that cannot enter it need not be
// looked at:
//
//   - by score (MaxScore on the driving list): a posting's band bounds its
//     term's part of the score, the other terms' highest bands bound the
//     rest; a posting whose bound is below the worst kept score is passed
//     over without seeking the other lists or reading the item;
//   - newest first: the driving list is walked from its highest id down,
//     and the walk stops where no lower id holds a key above the worst kept
//     (items are numbered in key order when the index is built, so this is
//     usually right after the page).
//
// Both keep exactly the items a full walk would keep, in the same order.

// topWalk is one top-n walk.
type topWalk struct {
	ix           *memIndex
	tl           []termLists
	f            filterIDs
	possibleOnly bool                 // keep only items that may hold every term as written
	skip         func(id uint32) bool // items not to keep (still counted); nil for none
	h            *candHeap
	n            int     // how many to keep
	uncounted    bool    // the count is not wanted: passing over may start as soon as n are kept
	drv          *cursor // the driving list's cursor, when it has block maxima
}

// countCap is how far a walk counts: the count shown stops at MaxCount.
const countCap = MaxCount + 1

// byScore walks the driving list from its highest id down, keeping the
// best n by score, and returns the matches counted (exact below countCap).
// Scores come in few distinct values (bands), so many items tie with the
// worst kept; walking down, a tied item is newer than none kept once no
// lower id holds a higher key, and is passed over too.
func (w *topWalk) byScore() int {
	p, owner := driver(w.tl, w.possibleOnly)
	w.backward()
	w.drv = w.blocksOf(p, owner)
	filtered := w.filtered()
	count, blk, low := 0, -1, uint8(0)
	var caps []uint8
	for i := len(p) - 1; i >= 0; i-- {
		id, b := p[i]>>bandBits, uint8(p[i]&bandMask)
		if w.counted(count) && w.full() {
			if k := i / blockSize; w.drv != nil && k != blk {
				blk, caps = k, w.blockCaps(caps, owner, w.drv.first[k], id)
				if low = w.lowestBand(caps, owner, id); low > w.drv.bmax[k] {
					i = k * blockSize // the whole block is passed over
					continue
				}
			}
			if b < low || w.beaten(w.bound(owner, b, id), id) {
				continue
			}
		}
		c, ok := scoreOne(w.tl, id)
		if !ok || (w.possibleOnly && !c.possible) || (filtered && !w.f.keep(&w.ix.docs[id])) {
			continue
		}
		count++
		w.offer(c)
	}
	return count
}

// counted reports whether the walk has counted as far as it must.
func (w *topWalk) counted(count int) bool { return w.uncounted || count >= countCap }

// beaten reports whether an item of id scoring at most bound cannot pass
// the worst kept: a lower score, or the same and no newer key.
func (w *topWalk) beaten(bound float64, id uint32) bool {
	worst := w.h.cs[0]
	return bound < worst.score || (bound == worst.score && w.ix.upTo[id] < worst.key)
}

// bound is the highest score item id can have, its driving posting having
// band b: each term at the lowest of its needed grams' caps there (capAt)
// (the owner also at b), summed in the order scoreOne sums, so that a score
// is never above its bound (rounding is monotone). Block-max bounds, not
// whole-list ones: with two terms, the other term's best band anywhere
// would let almost every item through.
func (w *topWalk) bound(owner int, b uint8, id uint32) float64 {
	var sum float64
	for i, t := range w.tl {
		top := uint8(bands - 1)
		if i == owner {
			top = b
		}
		for _, c := range t.need {
			if c != w.drv { // the driving posting's own band b is below its block's
				top = min(top, c.capAt(id))
			}
		}
		sum += t.idf * bandValue(top)
	}
	return sum
}

// capAt bounds id's band in the list: exact in a dense list (0 where id is
// absent, as it then does not match), else its block's highest.
func (c *cursor) capAt(id uint32) uint8 {
	if c.dense != nil {
		b, _ := c.seek(id)
		return b
	}
	return c.blockMax(id)
}

// blocksOf returns the cursor of the owner's list p (needed or extra:
// either way a posting's band is at least its term's), whose blocks the
// walk may pass over whole; nil if p has no block maxima.
func (w *topWalk) blocksOf(p []uint32, owner int) *cursor {
	for _, c := range slices.Concat(w.tl[owner].need, w.tl[owner].extra) {
		if len(c.p) == len(p) && len(p) > 0 && &c.p[0] == &p[0] && len(c.first) == (len(p)+blockSize-1)/blockSize {
			return c
		}
	}
	return nil
}

// blockCaps sets, per term, the highest band its needed lists (but the
// driving one) can have over the ids [lo, hi] of the driving list's block
// being walked: the caps of every item there.
func (w *topWalk) blockCaps(caps []uint8, owner int, lo, hi uint32) []uint8 {
	caps = caps[:0]
	for _, t := range w.tl {
		top := uint8(bands - 1)
		for _, c := range t.need {
			if c != w.drv {
				top = min(top, c.rangeMax(lo, hi))
			}
		}
		caps = append(caps, top)
	}
	return caps
}

// capped is the highest score of an item of the block whose driving
// posting has band b: like bound, with each term at its cap. Summed in
// scoreOne's order, it is at least the bound of every such item, so a
// posting it rules out costs no seek in the other lists.
func (w *topWalk) capped(caps []uint8, owner int, b uint8) float64 {
	var sum float64
	for i, t := range w.tl {
		top := caps[i]
		if i == owner {
			top = min(top, b)
		}
		sum += t.idf * bandValue(top)
	}
	return sum
}

// lowestBand is the lowest band a driving posting of the block (ids up to
// hi) must have to possibly pass the worst kept, bands if none can: below
// it, capped (which grows with the band) is beaten. As the worst kept only
// rises, it stays a safe threshold for the rest of the block.
func (w *topWalk) lowestBand(caps []uint8, owner int, hi uint32) uint8 {
	return uint8(sort.Search(bands, func(b int) bool { return !w.beaten(w.capped(caps, owner, uint8(b)), hi) }))
}

// rangeMax is the highest band the list's blocks holding ids in [lo, hi]
// can have. Like blockMax, hi must come in descending order; the cursor
// stays at hi's block.
func (c *cursor) rangeMax(lo, hi uint32) uint8 {
	m := c.blockMax(hi)
	for j := c.k; j > 0 && c.first[j] > lo; j-- {
		m = max(m, c.bmax[j-1])
	}
	return m
}

// backward sets every cursor to walk down from the end of its list.
func (w *topWalk) backward() {
	for _, t := range w.tl {
		for _, c := range t.need {
			c.back, c.i, c.k = true, len(c.p)-1, len(c.bmax)-1
		}
		for _, c := range t.extra {
			c.back, c.i = true, len(c.p)-1
		}
	}
}

// newest walks the driving list downward, keeping the newest n.
func (w *topWalk) newest() int {
	p, _ := driver(w.tl, w.possibleOnly)
	w.backward()
	filtered := w.filtered()
	count := 0
	for i := len(p) - 1; i >= 0; i-- {
		id := p[i] >> bandBits
		if w.counted(count) && w.full() && w.ix.upTo[id] <= w.h.cs[0].key {
			break
		}
		c, ok := scoreOne(w.tl, id)
		if !ok || (w.possibleOnly && !c.possible) || (filtered && !w.f.keep(&w.ix.docs[id])) {
			continue
		}
		count++
		w.offer(c)
	}
	return count
}

// single keeps the best n of one exact term's list when nothing filters
// and returns the list's length, its count. An item's score is its band's,
// so every item above the floor band (fewer than n) is kept, and of the
// floor band the newest: that band is walked from the highest id down, to
// where no lower id can hold a newer key.
func (w *topWalk) single(floor uint8) int {
	p, idf := w.tl[0].need[0].p, w.tl[0].idf
	for _, x := range p {
		if b := uint8(x & bandMask); b > floor {
			w.offer(cand{id: x >> bandBits, score: idf * bandValue(b), possible: true})
		}
	}
	low := idf * bandValue(floor)
	for i := len(p) - 1; i >= 0; i-- {
		id := p[i] >> bandBits
		if w.full() && (w.h.cs[0].score > low || w.ix.upTo[id] <= w.h.cs[0].key) {
			break
		}
		if uint8(p[i]&bandMask) == floor {
			w.offer(cand{id: id, score: low, possible: true})
		}
	}
	return len(p)
}

// filtered reports whether items must be read to be filtered: a filter is
// set, or removed items' postings are still in the lists.
func (w *topWalk) filtered() bool { return !w.f.all() || w.ix.dirty }

func (w *topWalk) full() bool { return w.h.Len() >= w.n }

// offer keeps c if it may be among the best n; the item's key is read only
// for the few that may.
func (w *topWalk) offer(c cand) {
	if w.n == 0 || (w.skip != nil && w.skip(c.id)) {
		return
	}
	if w.full() && w.h.less(w.h.cs[0], cand{score: c.score, key: 1<<63 - 1}) {
		return // even with the highest key it would not pass the worst kept
	}
	c.key = w.ix.keys[c.id]
	w.h.offer(c, w.n)
}

// driver is the shortest needed list (of all lists, with possibleOnly) and
// the index of the term it belongs to.
func driver(tl []termLists, withExtra bool) ([]uint32, int) {
	var best []uint32
	owner := -1
	for i, t := range tl {
		cs := t.need
		if withExtra {
			cs = append(append([]*cursor{}, t.need...), t.extra...)
		}
		for _, c := range cs {
			if owner < 0 || len(c.p) < len(best) {
				best, owner = c.p, i
			}
		}
	}
	return best, owner
}
