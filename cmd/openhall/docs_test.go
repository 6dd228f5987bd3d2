package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"openhall/internal/app"
	"openhall/internal/config"
	"openhall/internal/disclosure"
	"openhall/internal/disclosure/search"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/testutil"
)

// withAgency creates the database in dir with a region and an agency.
func withAgency(t *testing.T, dir string) {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = dir
	ctx := context.Background()
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	sys := identity.SystemActor()
	r, err := a.Services.Org.CreateRegion(ctx, sys, org.RegionInput{Code: "330000", Name: "浙江省", Level: org.LevelProvince})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Services.Disclosure.SaveAgency(ctx, sys, 0, disclosure.AgencyInput{RegionID: r.ID, Name: "浙江省人民政府", Code: "002482050"}); err != nil {
		t.Fatal(err)
	}
}

func searchIn(t *testing.T, dir, q string) *search.Result {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = dir
	a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	res, err := a.Services.Disclosure.Search().Search(context.Background(), search.Query{Text: q})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestImportDocs(t *testing.T) {
	dir, laws := t.TempDir(), t.TempDir()
	withAgency(t, dir)
	os.MkdirAll(filepath.Join(laws, "行政法规"), 0o755)
	os.WriteFile(filepath.Join(laws, "行政法规", "示例条例(2019-04-03).md"),
		[]byte("# 中华人民共和国示例条例\n\n2019年4月3日 中华人民共和国国务院令第711号公布\n\n<!-- INFO END -->\n\n第一条 为了示例，制定本条例。\n"), 0o644)
	os.WriteFile(filepath.Join(laws, "README.md"), []byte("# 说明\n"), 0o644)
	if code, _, _ := cli(t, dir, "import-docs", laws); code != 2 {
		t.Fatalf("import-docs without --org: exit %d, want 2", code)
	}
	if code, _, errOut := cli(t, dir, "import-docs", laws, "--org", "不存在的机关"); code != 1 || !strings.Contains(errOut, "不存在") {
		t.Fatalf("unknown agency: exit %d %q", code, errOut)
	}
	code, out, errOut := cli(t, dir, "import-docs", laws, "--org", "浙江省人民政府")
	if code != 0 || !strings.Contains(out, "已导入 1 份") || !strings.Contains(errOut, "跳过") {
		t.Fatalf("import: exit %d out %q err %q", code, out, errOut)
	}
	res := searchIn(t, dir, "国务院令第711号")
	if res.Total != 1 || res.Hits[0].Number != "国务院令第711号" {
		t.Fatalf("imported regulation by its decree number: %+v", res)
	}
}

// TestImportDocs_WholeCorpus imports the laws corpus next to the repository
// and searches it.
func TestImportDocs_WholeCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("imports about 1,100 files")
	}
	laws := testutil.SharedDir(t, "corpus/laws")
	dir := t.TempDir()
	withAgency(t, dir)
	code, out, errOut := cli(t, dir, "import-docs", "--org", "浙江省人民政府", laws)
	if code != 0 || !strings.Contains(out, "已导入") {
		t.Fatalf("import: exit %d out %q err %.500q", code, out, errOut)
	}
	res := searchIn(t, dir, "政府信息公开条例")
	if res.Total == 0 || !strings.Contains(spansText(res.Hits[0].Title), "政府信息公开条例") {
		t.Fatalf("the regulation on information disclosure not found first: %+v", res)
	}
	if res := searchIn(t, dir, "税"); res.Total < 100 {
		t.Fatalf("one-character query over the corpus: %d hits", res.Total)
	}
}

func spansText(ss []search.Span) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(s.Text)
	}
	return b.String()
}
