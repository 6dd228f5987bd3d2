package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"openhall/internal/app"
	"openhall/internal/config"
)

// cmdBackup writes a backup archive while the server runs.
func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := config.Default()
	fs := flagSet("backup", stderr)
	dbFlags(fs, &cfg)
	out := fs.String("out", "", "备份文件（不可已存在），如 /backup/openhall-20260318.tar")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return usagef("用法：openhall backup --out 文件 [--data 目录] [--db postgres://…]")
	}
	start := time.Now()
	m, err := app.Backup(ctx, cfg, *out)
	if err != nil {
		return err
	}
	size := int64(0)
	if st, err := os.Stat(*out); err == nil {
		size = st.Size()
	}
	what := "数据库与"
	if !m.Database {
		what = "（PostgreSQL：数据库请用 pg_dump 备份）"
	}
	fmt.Fprintf(stdout, "已备份%s %d 个材料（%.1f MB）到 %s：共 %.1f MB，用时 %s\n", what, m.Blobs, float64(m.BlobBytes)/(1<<20),
		*out, float64(size)/(1<<20), time.Since(start).Round(time.Millisecond))
	return nil
}

// cmdRestore unpacks a backup archive into a new data directory.
func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := config.Default()
	fs := flagSet("restore", stderr)
	dbFlags(fs, &cfg)
	from := fs.String("from", "", "openhall backup 写的备份文件")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" || fs.NArg() > 0 {
		return usagef("用法：openhall restore --from 备份文件 --data 新的数据目录")
	}
	start := time.Now()
	m, err := app.Restore(ctx, cfg, *from)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已从 %s（%s 备份于 %s）恢复 %d 个材料%s到 %s，用时 %s\n", *from, m.Backend,
		m.CreatedAt.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04:05"), m.Blobs,
		map[bool]string{true: "与数据库", false: ""}[m.Database], cfg.DataDir, time.Since(start).Round(time.Millisecond))
	if !m.Database {
		fmt.Fprintln(stdout, "数据库请用 pg_restore 从 pg_dump 的备份恢复。")
	}
	fmt.Fprintln(stdout, "证照签名私钥的加密密钥（--cert-kek 或数据目录中的 cert-kek）不在备份中，请另行恢复。")
	restoredBlobsNote(stdout, cfg)
	return nil
}

// restoredBlobsNote says where the restored materials are when the
// deployment keeps its materials elsewhere (--blobs).
func restoredBlobsNote(w io.Writer, cfg config.Config) {
	local := filepath.Join(cfg.DataDir, "blobs")
	switch {
	case cfg.BlobsInS3():
		fmt.Fprintf(w, "材料恢复在 %s；本部署的材料在对象存储中，请用 openhall migrate-blobs --from %s --to %s --s3-endpoint %s 复制过去。\n",
			local, local, cfg.Blobs, cfg.S3Endpoint)
	case cfg.Blobs != "" && filepath.Clean(cfg.Blobs) != local:
		fmt.Fprintf(w, "材料恢复在 %s；本部署的材料目录为 %s，请把它们移过去。\n", local, cfg.Blobs)
	}
}
