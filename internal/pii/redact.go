package pii

// maxRedactPasses bounds Redact's passes. Masking can leave a kept head or
// tail of digits next to other digit groups and so form a new number; each
// pass masks what the previous one exposed. Ordinary text needs one pass and
// one more to confirm; only crafted input needs more, and after this many
// Redact masks every digit rather than spend quadratic time.
const maxRedactPasses = 8

// Redact returns s with personal data masked, for logs. It masks:
//
//   - an ID number: 17 digits then a digit or X/x, not part of a longer run
//     of digits (the check character is not verified: a mistyped ID number
//     is still personal data) → 110105********002X;
//   - a credit code: a run of exactly 18 ASCII letters and digits, bounded by
//     other characters, that CheckCreditCode accepts in either case
//     → 913501********0Y43;
//   - a mobile number: digit groups, joined only by spaces or hyphens and
//     not part of a longer run of digits, that CheckMobile accepts
//     (13812345678, 138 1234 5678, +86-138-1234-5678, 008613812345678)
//     → 138****5678 with any prefix and separators kept.
//
// Letters do not extend a run of digits (tel13812345678 is masked), and a
// number that merely has the shape is masked too: an 18-digit order number,
// an 11-digit count starting 13–19, or space-separated small numbers that
// add up to such a count.
//
// Every other byte is left as it is; the result has the same length as s.
// The guarantee is that no substring of the result whose digits are not
// part of longer runs of digits is accepted by CheckIDNumber or CheckMobile.
// Text without candidates is returned as is, without allocating.
func Redact(s string) string {
	if !hasCandidate(s) {
		return s
	}
	b := []byte(s)
	for range maxRedactPasses {
		if !redactPass(b) {
			return string(b)
		}
	}
	for i, c := range b {
		if isDigit(c) {
			b[i] = '*'
		}
	}
	return string(b)
}

// hasCandidate reports whether Redact would change t.
func hasCandidate[T text](t T) bool {
	if !atLeastDigits(t, 6) { // a credit code has at least 6 digits, the others more
		return false
	}
	lo, _, _ := nextCandidate(t, 0)
	return lo >= 0
}

// redactPass masks every candidate found in b and reports whether there was
// any.
func redactPass(b []byte) bool {
	changed := false
	for lo, hi, mobile := nextCandidate(b, 0); lo >= 0; lo, hi, mobile = nextCandidate(b, hi) {
		if mobile {
			maskMobileDigits(b[lo:hi])
		} else {
			maskSpan(b[lo:hi], 6, 4)
		}
		changed = true
	}
	return changed
}

// maskSpan replaces all but the first head and last tail bytes of b by '*'.
func maskSpan(b []byte, head, tail int) {
	for i := head; i < len(b)-tail; i++ {
		b[i] = '*'
	}
}

// maskMobileDigits masks the 4th to 7th digits of b, which holds an 11-digit
// number possibly broken by separators.
func maskMobileDigits(b []byte) {
	n := 0
	for i, c := range b {
		if isDigit(c) {
			if n >= 3 && n < 7 {
				b[i] = '*'
			}
			n++
		}
	}
}

func atLeastDigits[T text](t T, n int) bool {
	for i := 0; i < len(t) && n > 0; i++ {
		if isDigit(t[i]) {
			n--
		}
	}
	return n == 0
}

// digitRunEnd returns the end of the run of digits at i.
func digitRunEnd[T text](t T, i int) int {
	for i < len(t) && isDigit(t[i]) {
		i++
	}
	return i
}

// alnumRunEnd returns the end of the run of ASCII letters and digits at i.
func alnumRunEnd[T text](t T, i int) int {
	for i < len(t) && isAlnum(t[i]) {
		i++
	}
	return i
}

// nextCandidate returns the bounds of the first candidate at or after from,
// or -1, -1, and whether it is a mobile number. It walks runs of ASCII
// letters and digits: a whole run of 18 may be a credit code, and the runs
// of digits inside it may be an ID number or start a mobile number. A scan
// that starts inside a run does not take it as a credit code, and skips the
// rest of a run of digits.
func nextCandidate[T text](t T, from int) (lo, hi int, mobile bool) {
	for i := from; i < len(t); {
		if !isAlnum(t[i]) {
			i++
			continue
		}
		j := alnumRunEnd(t, i)
		whole := i == 0 || !isAlnum(t[i-1])
		if whole && j-i == 18 && creditValid(t[i:j]) {
			return i, j, false
		}
		if lo, hi, mobile := digitCandidate(t, i, j); lo >= 0 {
			return lo, hi, mobile
		}
		i = j
	}
	return -1, -1, false
}

// digitCandidate looks for an ID number or the start of a mobile number in
// the runs of digits inside t[i:j]. An ID number is 18 digits, or 17 digits
// and an X, not part of a longer run of digits.
func digitCandidate[T text](t T, i, j int) (lo, hi int, mobile bool) {
	k := i
	if k > 0 && isDigit(t[k-1]) {
		k = digitRunEnd(t, k)
	}
	for k < j {
		if !isDigit(t[k]) {
			k++
			continue
		}
		e := digitRunEnd(t, k)
		switch {
		case e-k == 18:
			return k, e, false
		case e-k == 17 && e < len(t) && t[e]|0x20 == 'x':
			return k, e + 1, false
		}
		if lo, hi := mobileAt(t, k, e); lo >= 0 {
			return lo, hi, true
		}
		k = e
	}
	return -1, -1, false
}

// mobileAt tries the digit groups starting with the run t[i:e], joined by
// spaces and hyphens, as a mobile number with or without a prefix, and
// returns its bounds from its first digit after any 86 or 0086 prefix to
// the end of its last group. It stops after 15 digits, the longest form
// (0086 and 11 digits).
func mobileAt[T text](t T, i, e int) (int, int) {
	if e-i > 15 || (t[i] != '1' && t[i] != '8' && t[i] != '0') {
		return -1, -1
	}
	var d [15]byte
	n := 0
	for k := i; ; {
		for ; k < len(t) && isDigit(t[k]); k++ {
			if n == len(d) {
				return -1, -1
			}
			d[n] = t[k]
			n++
		}
		if off := mobileOffset(d[:n]); off >= 0 {
			return nthDigit(t, i, off), k
		}
		if k = nextGroup(t, k); k < 0 {
			return -1, -1
		}
	}
}

// nextGroup returns the start of the digit group that follows the
// separators at k, or -1 if there are no separators or no digit after them.
func nextGroup[T text](t T, k int) int {
	j := k
	for j < len(t) && isSep(t[j]) {
		j++
	}
	if j == k || j == len(t) || !isDigit(t[j]) {
		return -1
	}
	return j
}

// nthDigit returns the position of the n-th (0-based) digit at or after i;
// the caller knows it exists.
func nthDigit[T text](t T, i, n int) int {
	for ; ; i++ {
		if isDigit(t[i]) {
			if n == 0 {
				return i
			}
			n--
		}
	}
}
