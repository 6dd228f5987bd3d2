package sqlcommon

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Search excerpts: the database cuts a piece of an entry's body around the
// first occurrence of the needle (or returns the body when the needle is
// not near its start), and Go trims it to whole characters.

// ExcerptBefore is how many characters of a search excerpt come before
// the needle.
const ExcerptBefore = 40

// Excerpt trims a piece of an entry's text, cut by the database (SQLite
// cuts bytes), to whole characters and to runes characters, starting
// ExcerptBefore characters before needle's first occurrence (the piece's
// start without one). The piece may be the driver's bytes of a whole body:
// only the excerpt is copied.
func Excerpt[T string | []byte](piece T, needle string, runes int) string {
	for len(piece) > 0 && !utf8.RuneStart(piece[0]) {
		piece = piece[1:]
	}
	from := 0
	if at := index(piece, needle); at > 0 {
		from = at
		for k := 0; k < ExcerptBefore && from > 0; k++ {
			from = runeBefore(piece, from)
		}
	}
	to := from
	for n := 0; n < runes && to < len(piece); n++ {
		next := to + 1
		for next < len(piece) && !utf8.RuneStart(piece[next]) {
			next++
		}
		if next == len(piece) && !fullRune(piece[to:next]) {
			break // a character cut at the piece's end
		}
		to = next
	}
	return strings.Clone(string(piece[from:to]))
}

func index[T string | []byte](piece T, needle string) int {
	switch p := any(piece).(type) {
	case string:
		return strings.Index(p, needle)
	case []byte:
		return bytes.Index(p, []byte(needle))
	}
	return -1
}

// runeBefore is where the character before byte at starts.
func runeBefore[T string | []byte](piece T, at int) int {
	at--
	for at > 0 && !utf8.RuneStart(piece[at]) {
		at--
	}
	return at
}

func fullRune[T string | []byte](b T) bool {
	var buf [utf8.UTFMax]byte
	return utf8.FullRune(buf[:copy(buf[:], b)])
}
