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
		{"zero\u200bwidth\ufeff.pdf", "zerowidth.pdf"},
	} {
		if got := blob.CleanName(tt.in); got != tt.want {
			t.Errorf("CleanName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	got := blob.CleanName(long)
	if utf8.RuneCountInString(got) != blob.MaxNameRunes || !strings.HasSuffix(got, ".pdf") || !strings.HasPrefix(got, "营业执照") {
		t.Errorf("a long name is cut to %d runes: %q…", utf8.RuneCountInString(got), got[:30])
	}
	pdf := blob.Blob{Kind: blob.KindPDF}
	for in, want := range map[string]string{"\u202e": "未命名文件.pdf", "invoice.exe": "invoice.exe.pdf", "scan": "scan.pdf",
		"扫描件.PDF": "扫描件.PDF", "x\u202egpj.exe": "xgpj.exe.pdf", "照片.jpeg": "照片.jpeg.pdf", ".pdf": "未命名文件.pdf"} {
		if got := blob.NameOr(in, pdf); got != want {
			t.Errorf("NameOr(%q) for a PDF = %q, want %q", in, got, want)
		}
	}
	if got := blob.NameOr(strings.Repeat("长", 300)+".exe", pdf); utf8.RuneCountInString(got) != blob.MaxNameRunes || !strings.HasSuffix(got, ".pdf") {
		t.Errorf("a long name given to a PDF: %d runes, %q", utf8.RuneCountInString(got), got[len(got)-12:])
	}
}
