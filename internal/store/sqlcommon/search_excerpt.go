package sqlcommon

import (
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
// start without one).
func Excerpt(piece, needle string, runes int) string {
	for piece != "" && !utf8.RuneStart(piece[0]) {
		piece = piece[1:]
	}
	from := 0
	if at := strings.Index(piece, needle); at > 0 {
		from = at
		for range ExcerptBefore {
			if from == 0 {
				break
			}
			_, size := utf8.DecodeLastRuneInString(piece[:from])
			from -= size
		}
	}
	to := from
	for n := 0; n < runes && to < len(piece); n++ {
		r, size := utf8.DecodeRuneInString(piece[to:])
		if r == utf8.RuneError && !utf8.FullRuneInString(piece[to:]) {
			break // a character cut at the piece's end
		}
		to += size
	}
	return strings.Clone(piece[from:to])
}
