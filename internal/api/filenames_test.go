package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"openhall/internal/blob"
	"openhall/internal/demo"
)

// TestUploadedFileNames: a file's name is stored as staff will read it and
// as a download header can carry it: no direction overrides or control
// characters, at most 255 characters, and a name for a file sent without
// one; in an upload and in a filing that names an upload alike.
func TestUploadedFileNames(t *testing.T) {
	a := demoApp(t, "sqlite", newTestClock(cst(11, 2, 10)))
	c := loginWith(t, a, "citizen", demo.Password)
	long := strings.Repeat("营业执照副本", 500) + ".pdf"
	for _, tt := range []struct{ sent, want string }{
		{"x\u202egpj.pdf", "xgpj.pdf"},
		{"", "未命名文件.pdf"},
		{`C:\材料\申请书.pdf`, "申请书.pdf"},
		{"扫描件", "扫描件.pdf"},
	} {
		if u := c.upload(tt.sent, tinyPDF+"% "+tt.want+"\n"); u.FileName != tt.want {
			t.Errorf("uploaded as %q, stored as %q; want %q", tt.sent, u.FileName, tt.want)
		}
	}
	u := c.upload(long, tinyPDF+"% long\n")
	if utf8.RuneCountInString(u.FileName) != blob.MaxNameRunes || !strings.HasSuffix(u.FileName, ".pdf") {
		t.Errorf("a %d-character name is stored with %d", utf8.RuneCountInString(long), utf8.RuneCountInString(u.FileName))
	}
	var ms []map[string]string
	for i, code := range []string{"m1", "m3", "m4"} {
		up := c.upload(code+".pdf", tinyPDF+fmt.Sprintf("%% names %d\n", i))
		ms = append(ms, map[string]string{"code": code, "sha256": up.SHA256, "file_name": []string{long, "\u202e\u200f", "invoice\u202egpj.exe"}[i]})
	}
	body := map[string]any{"item_version_id": itemVersion(t, a, "食品经营许可"), "form": foodForm, "materials": ms}
	r := c.do("POST", "/api/v1/cases", body, func(req *http.Request) { req.Header.Set("Idempotency-Key", "names-1") })
	if r.status != http.StatusCreated {
		t.Fatalf("file: %d %s", r.status, r.body)
	}
	var v struct {
		Materials []struct {
			FileName string `json:"file_name"`
		} `json:"materials"`
	}
	jsonUnmarshal(t, r.body, &v)
	if len(v.Materials) != 3 || utf8.RuneCountInString(v.Materials[0].FileName) != blob.MaxNameRunes ||
		v.Materials[1].FileName != "未命名文件.pdf" || v.Materials[2].FileName != "invoicegpj.exe.pdf" {
		t.Fatalf("the filing's file names: %+v", v.Materials)
	}
}
