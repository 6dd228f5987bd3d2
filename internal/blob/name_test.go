package blob_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"openhall/internal/blob"
)

func TestCleanName(t *testing.T) {
	long := strings.Repeat("营业执照", 1000) + ".pdf"
	for _, tt := range []struct{ in, want string }{
		{"营业执照.pdf", "营业执照.pdf"},
		{"  申请书.docx ", "申请书.docx"},
		{`C:\Users\张三\身份证.jpg`, "身份证.jpg"},
		{`a/b\c.pdf`, "c.pdf"},
		{"../../etc/passwd", "passwd"},
		{"x\u202egpj.pdf", "xgpj.pdf"},
		{"\u2066报告\u2069.pdf", "报告.pdf"},
		{"tab\there\x1b.pdf", "tabhere.pdf"},
		{"\u202e\u200f", ""},
		{"", ""},
		{"bad\xffbyte.pdf", "badbyte.pdf"},
	} {
		if got := blob.CleanName(tt.in); got != tt.want {
			t.Errorf("CleanName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	got := blob.CleanName(long)
	if utf8.RuneCountInString(got) != blob.MaxNameRunes || !strings.HasSuffix(got, ".pdf") || !strings.HasPrefix(got, "营业执照") {
		t.Errorf("a long name is cut to %d runes: %q…", utf8.RuneCountInString(got), got[:30])
	}
	if n := blob.NameOr("\u202e", blob.Blob{Kind: blob.KindPDF}); n != "未命名文件.pdf" {
		t.Errorf("NameOr of nothing = %q", n)
	}
}
