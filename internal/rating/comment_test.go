package rating

import (
	"strings"
	"testing"

	"openhall/internal/apperr"
)

// TestCommentReadable: a comment with a NUL, another control character or
// broken UTF-8 is refused on its field, by every channel, before it
// reaches a database (PostgreSQL refuses a NUL, and refused a whole batch
// of tablet ratings with it); line breaks and tabs are kept.
func TestCommentReadable(t *testing.T) {
	for _, tc := range []struct {
		comment string
		bad     bool
	}{
		{"窗口人员很耐心", false},
		{"第一行\n第二行\r\n\t缩进", false},
		{"a\x00b", true},
		{"响铃\x07", true},
		{"a\xff\xfeb", true},
		{"上一行\u0085下一行", true}, // a C1 control character
		{strings.Repeat("长", 500), false},
	} {
		in := Input{Level: Satisfied, Comment: tc.comment}
		err := in.validate(ChannelTablet, false)
		if got := apperr.FieldsOf(err)["comment"] != ""; got != tc.bad {
			t.Errorf("%q: %v, want refused %v", tc.comment, err, tc.bad)
		}
	}
}
