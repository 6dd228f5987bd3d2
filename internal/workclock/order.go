package workclock

// Before reports whether a thing whose running clocks are x, with warning
// wx, comes before one with clocks y and warning wy in a work queue: the
// more urgent warning first, and within one warning the clock due first,
// so that among the overdue the one overdue longest leads; things without
// a running clock come last.
func Before(wx Warning, x []Clock, wy Warning, y []Clock) bool {
	if rx, ry := wx.Rank(), wy.Rank(); rx != ry {
		return rx > ry
	}
	a, okx := pressing(x)
	b, oky := pressing(y)
	if okx != oky {
		return okx
	}
	return okx && a.Due.Before(b.Due)
}

// pressing is the running clock with a known due date that gives the
// warning: the most urgent, and among equally urgent ones the one due
// first.
func pressing(cs []Clock) (Clock, bool) {
	var out Clock
	found := false
	for _, x := range cs {
		if !x.Known() || x.Met {
			continue
		}
		if !found || x.Warning.Rank() > out.Warning.Rank() || x.Warning == out.Warning && x.Due.Before(out.Due) {
			out, found = x, true
		}
	}
	return out, found
}
