package web

import (
	"strings"
	"testing"

	"openhall/internal/mailbox"
)

// TestMailboxOverdueBadge: a letter due on a Friday is overdue on the
// Saturday, before any working day past its due date is used; its badge
// then says 已超期 without "0 个工作日".
func TestMailboxOverdueBadge(t *testing.T) {
	s := &Server{}
	s.tpl = mustParseTemplates(s.dateFuncs())
	for _, tc := range []struct {
		left      int
		want, not string
	}{
		{0, "已超期</span>", "个工作日"},
		{-2, "已超期 2 个工作日</span>", ""},
	} {
		b, err := s.fragment("participate/desk", "p-level", mailbox.Clock{Level: mailbox.LevelOverdue, Left: tc.left})
		if err != nil {
			t.Fatal(err)
		}
		if got := string(b); !strings.Contains(got, tc.want) || tc.not != "" && strings.Contains(got, tc.not) {
			t.Errorf("left %d: %q, want %q without %q", tc.left, got, tc.want, tc.not)
		}
	}
}
