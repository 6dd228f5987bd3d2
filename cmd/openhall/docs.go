package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/config"
	"openhall/internal/disclosure"
)

// cmdImportDocs loads laws and regulations in the laws-corpus Markdown
// format as published documents of one disclosure agency.
func cmdImportDocs(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := config.Default()
	fs := flagSet("import-docs", stderr)
	dbFlags(fs, &cfg)
	org := fs.String("org", "", "公开主体的名称或编号（必填）")
	limit := fs.Int("limit", 0, "最多导入的文件数；0 表示全部")
	dir, rest := splitDir(args)
	if err := parse(fs, rest); err != nil {
		return err
	}
	if dir == "" && fs.NArg() == 1 {
		dir = fs.Arg(0)
	}
	if dir == "" || *org == "" {
		return usagef("用法：openhall import-docs 目录 --org 公开主体名称或编号 [--limit N]")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return usagef("%s 不是目录", dir)
	}
	a, err := openApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	ag, err := findAgency(ctx, a.Services.Disclosure, *org)
	if err != nil {
		return err
	}
	start := time.Now()
	skipped := 0
	n, err := a.Services.Disclosure.ImportLaws(ctx, ag.ID, os.DirFS(dir), ".", *limit, func(name string, err error) {
		skipped++
		fmt.Fprintf(stderr, "跳过 %s：%v\n", name, err)
	})
	took := time.Since(start)
	fmt.Fprintf(stdout, "已导入 %d 份文件到“%s”，跳过 %d 份（原因见上），用时 %s（%.0f 份/秒）\n", n, ag.Name, skipped,
		took.Round(time.Millisecond), float64(n)/max(took.Seconds(), 0.001))
	// Skipped files are reported, not failures: only a real error (the
	// database, an unreadable folder) makes the command fail.
	return err
}

// splitDir takes a leading positional directory off args, so that both
// "import-docs DIR --org X" and "import-docs --org X DIR" work.
func splitDir(args []string) (string, []string) {
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		return args[0], args[1:]
	}
	return "", args
}

func findAgency(ctx context.Context, d *disclosure.Service, ref string) (*disclosure.Agency, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return d.Agency(ctx, id)
	}
	ag, err := d.AgencyByName(ctx, ref)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.New(apperr.NotFound, "公开主体“%s”不存在：请先在 公开工作台 → 公开主体 中创建", ref)
	}
	return ag, err
}
