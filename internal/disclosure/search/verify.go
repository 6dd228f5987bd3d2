package search

import (
	"slices"
	"strings"
)

// confirmed orders a search with terms that must occur as written: the
// candidates are checked against the text, best (or newest) first, until
// MaxCount+1 matches are confirmed; loose terms found as written put a
// match in the first tier.
func (r *run) confirmed(cands []cand, need int) {
	less := byScore
	if r.q.Sort == ByDate {
		less = byDate
	}
	pool := top(cands, maxVerify, less)
	var exact, loose []cand
	for start := 0; start < len(pool) && len(exact)+len(loose) <= MaxCount; start += verifyBatch {
		ex, lo := r.check(pool[start:min(start+verifyBatch, len(pool))])
		exact, loose = append(exact, ex...), append(loose, lo...)
	}
	n := len(exact) + len(loose)
	r.total, r.capped = min(n, MaxCount), n > MaxCount || (len(pool) < len(cands) && n == 0)
	if r.q.Sort == ByDate {
		r.ranked = top(append(exact, loose...), need, byDate)
		return
	}
	r.ranked = append(exact, loose...)
}

// check verifies candidates: all must-terms present (else dropped), and
// whether the loose terms occur as written (exact) or only apart (loose).
func (r *run) check(cs []cand) (exact, loose []cand) {
	verify := r.checked()
	texts := make([]string, len(verify))
	for i, t := range verify {
		texts[i] = t.text
	}
	ids := make([]uint32, len(cs))
	for i, c := range cs {
		ids[i] = c.id
	}
	masks := r.holds(ids, texts)
	for j, c := range cs {
		m, asWritten := masks[j], true
		ok := true
		for i, t := range verify {
			has := m&(1<<i) != 0
			ok = ok && (has || t.loose)
			asWritten = asWritten && has
		}
		switch {
		case !ok:
		case asWritten:
			exact = append(exact, c)
		default:
			loose = append(loose, c)
		}
	}
	return exact, loose
}

// tiered orders a search whose longer terms may match apart: candidates
// that can hold every term as written are checked, best first, until the
// page is filled with exact matches; then come the others by score. The
// total is counted up to MaxCount+1, like every count.
func (r *run) tiered(need int) {
	r.e.mu.RLock()
	r.total = r.e.ix.countUpTo(r.terms, r.e.ix.filterOf(r.q), countCap)
	r.e.mu.RUnlock()
	exact := r.exactFirst(need)
	r.ranked = exact
	if len(exact) >= need {
		return
	}
	isExact := map[uint32]bool{}
	for _, c := range exact {
		isExact[c.id] = true
	}
	rest := &candHeap{less: byScore}
	r.top(&topWalk{skip: func(id uint32) bool { return isExact[id] }, h: rest, n: need - len(exact), uncounted: true}, false)
	r.ranked = append(r.ranked, rest.sorted()...)
}

// exactFirst checks the candidates that may hold every term as written,
// best first, until need hold them: the best need+8 (usually enough: an
// item holding every gram of 政府信息 mostly holds it as written), then,
// only if not, the best maxVerify in batches. The first pool is the
// second's start, so nothing is checked twice.
func (r *run) exactFirst(need int) []cand {
	var exact []cand
	checked := 0
	for _, size := range []int{need + 8, maxVerify} {
		h := &candHeap{less: byScore}
		r.top(&topWalk{possibleOnly: true, h: h, n: size, uncounted: true}, false)
		pool := h.sorted()
		for checked < len(pool) && len(exact) < need {
			end := min(checked+verifyBatch, len(pool))
			ex, _ := r.check(pool[checked:end])
			exact, checked = append(exact, ex...), end
		}
		if len(exact) >= need || len(pool) < size {
			break
		}
	}
	return exact
}

// proximity boosts, among the best headRerank, the items holding the terms
// together as typed ("公开 预算" → 公开预算). Only the items that can reach
// the page with the boost are looked at, and of them only those holding
// the grams where the terms meet are checked against the text.
func (r *run) proximity() {
	if len(r.terms) < 2 || len(r.ranked) == 0 {
		return
	}
	head := r.ranked[:min(len(r.ranked), headRerank)]
	var joined []string
	for _, t := range r.terms {
		joined = append(joined, t.text)
	}
	keys := r.meeting(r.reachable(head))
	ids := make([]uint32, len(keys))
	for i, c := range keys {
		ids[i] = c.id
	}
	masks := r.holds(ids, []string{strings.Join(joined, "")})
	for i, c := range keys {
		if masks[i] != 0 {
			c.score *= proxBoost
		}
	}
	slices.SortFunc(head, func(a, b cand) int {
		if byScore(a, b) {
			return -1
		}
		return 1
	})
}

// reachable returns the first items of head, sorted by score, that could
// be on the page with the proximity boost: those past the page whose
// boosted score would still be below the page's last are left out.
func (r *run) reachable(head []cand) []cand {
	need := r.q.Offset + r.q.Limit
	if len(head) <= need {
		return head
	}
	floor, n := head[need-1].score, need
	for n < len(head) && head[n].score*proxBoost >= floor {
		n++
	}
	return head[:n]
}

// holds reports, per item, which terms its stored text holds (bit i
// for terms[i]). The entries are taken under the lock and searched after:
// an entry is never changed once stored.
func (r *run) holds(ids []uint32, terms []string) []uint64 {
	entries := make([]*Entry, len(ids))
	r.e.mu.RLock()
	for i, id := range ids {
		entries[i] = r.e.ix.entries[id]
	}
	r.e.mu.RUnlock()
	masks := make([]uint64, len(ids))
	for i, en := range entries {
		for j, t := range terms {
			if en != nil && strings.Contains(en.Text, t) {
				masks[i] |= 1 << j
			}
		}
	}
	return masks
}

// meeting returns the items of head holding every gram where one term
// ends and the next begins.
func (r *run) meeting(head []cand) []*cand {
	var juncs []*postings
	r.e.mu.RLock()
	defer r.e.mu.RUnlock()
	for i := 0; i+1 < len(r.terms); i++ {
		a, b := []rune(r.terms[i].text), []rune(r.terms[i+1].text)
		if !indexable(a[len(a)-1]) || !indexable(b[0]) {
			return nil
		}
		pl := r.e.ix.grams[string([]rune{a[len(a)-1], b[0]})]
		if pl == nil {
			return nil
		}
		juncs = append(juncs, pl)
	}
	var keys []*cand
	for i, c := range head {
		ok := true
		for _, pl := range juncs {
			cur := cursor{p: pl.p, dense: pl.dense}
			_, has := cur.seek(c.id)
			ok = ok && has
		}
		if ok {
			keys = append(keys, &head[i])
		}
	}
	return keys
}
