package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"openhall/internal/app"
	"openhall/internal/apperr"
	"openhall/internal/blob"
	"openhall/internal/cases"
	"openhall/internal/config"
	"openhall/internal/demo"
)

// backupLoadKey is the setting that remembers the cases seeded for
// `load backup`, so that a later run with more cases only adds the rest.
const backupLoadKey = "load.backup"

type backupLoadState struct {
	Closed int `json:"closed"`
	Open   int `json:"open"`
}

// loadBackup measures `openhall backup` and `openhall restore` on a
// database of many cases, each with a small material of its own in the
// blob store, against copying the same bytes with tar in the same run.
func loadBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := config.Default()
	cfg.DataDir, cfg.Migrate, cfg.LogLevel = "", "yes", "warn"
	fs := flagSet("load backup", stderr)
	dbFlags(fs, &cfg)
	total := fs.Int("cases", 100000, "数据库中带材料的办件数（不足则补足）")
	openShare := fs.Float64("open", 0.1, "其中在办件的比例")
	size := fs.Int("material-bytes", 3000, "每件材料的大小（字节）")
	runs := fs.Int("runs", 2, "备份与恢复各测量几次")
	work := fs.String("work", "", "放备份文件与恢复结果的目录（默认在数据目录旁新建，测完删除）")
	pgBin := fs.String("pg-bin", os.Getenv("OPENHALL_PG_BINDIR"), "PostgreSQL：pg_dump 与 pg_restore 所在目录（默认在 PATH 中查找）")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *total < 1 || *openShare < 0 || *openShare >= 1 || *size < 256 || *runs < 1 {
		return usagef("--cases 须为正数，--open 在 0 与 1 之间，--material-bytes 不小于 256，--runs 不小于 1")
	}
	if cfg.DataDir == "" {
		dir, err := os.MkdirTemp("", "openhall-backup-load-")
		if err != nil {
			return err
		}
		cfg.DataDir = dir
	}
	tuneRuntime(cfg)
	fmt.Fprintf(stdout, "数据：%s\n", backendLabel(cfg))
	open := int(float64(*total) * *openShare)
	if err := seedBackupLoad(ctx, cfg, *total-open, open, *size, stdout); err != nil {
		return err
	}
	b := backupBench{cfg: cfg, runs: *runs, pgBin: *pgBin, out: stdout}
	return b.run(ctx, *work)
}

// seedBackupLoad brings the database up to closed and open seeded cases,
// each with a material of its own.
func seedBackupLoad(ctx context.Context, cfg config.Config, closed, open, size int, out io.Writer) error {
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return err
	}
	a, err := app.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := demo.Load(ctx, a.Stores, a.Services); err != nil {
		return fmt.Errorf("载入演示数据失败：%w", err)
	}
	var st backupLoadState
	if raw, err := a.Stores.Settings.Setting(ctx, backupLoadKey); err == nil {
		if err := json.Unmarshal([]byte(raw), &st); err != nil {
			return fmt.Errorf("设置 %s 无法解析：%w", backupLoadKey, err)
		}
	} else if !apperr.Is(err, apperr.NotFound) {
		return err
	}
	seed := uint64(time.Now().UnixNano())
	mat, err := putScan(ctx, a, seed, size)
	if err != nil {
		return err
	}
	closedTpl, openTpl, err := supervisionTemplates(ctx, a, "load-backup-", mat)
	if err != nil {
		return err
	}
	material := func(i int) app.SeedMaterial { return app.ScanMaterial(seed, i+1, size) }
	if err := seedMaterials(ctx, a, out, "已办结", closedTpl, closed-st.Closed, spreadClosed, material); err != nil {
		return err
	}
	openMaterial := func(i int) app.SeedMaterial { return app.ScanMaterial(seed, 1<<40+i, size) }
	if err := seedMaterials(ctx, a, out, "在办", openTpl, open-st.Open, spreadOpen, openMaterial); err != nil {
		return err
	}
	st = backupLoadState{Closed: max(st.Closed, closed), Open: max(st.Open, open)}
	raw, _ := json.Marshal(st)
	return a.Stores.Settings.PutSetting(ctx, backupLoadKey, string(raw))
}

// putScan uploads the templates' material through the upload checks, so
// that a generated file is known to pass them.
func putScan(ctx context.Context, a *app.App, seed uint64, size int) (cases.MaterialFile, error) {
	m := app.ScanMaterial(seed, 0, size)
	b, err := a.Services.Blobs.Put(ctx, bytes.NewReader(m.Content), blob.PutOptions{Name: m.Name})
	if err != nil {
		return cases.MaterialFile{}, fmt.Errorf("生成的材料未通过上传检查：%w", err)
	}
	return cases.MaterialFile{Code: "m4", FileName: m.Name, SHA256: b.SHA256, Size: b.Size, MIME: b.MIME}, nil
}

func seedMaterials(ctx context.Context, a *app.App, out io.Writer, what, template string, n int,
	shift func(int) time.Duration, material func(int) app.SeedMaterial) error {
	if n <= 0 {
		return nil
	}
	fmt.Fprintf(out, "生成%s办件 %d 件（每件一份材料）……\n", what, n)
	start := time.Now()
	return a.SeedWithMaterials(ctx, template, n, shift, material, func(done int) {
		if done%100000 == 0 || done == n {
			fmt.Fprintf(out, "  已生成 %d 件（%s）\n", done, time.Since(start).Round(time.Second))
		}
	})
}

// dirUsage counts the files under dir, their bytes and the disk they use.
func dirUsage(dir string) (files, bytes, disk int64, err error) {
	err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files++
		bytes += info.Size()
		disk += diskBytes(info)
		return nil
	})
	return
}
