package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/blob"
	"openhall/internal/config"
)

// migrateProgressEvery is how often migrate-blobs reports how far it got.
const migrateProgressEvery = 500

// cmdMigrateBlobs copies a local blob store into an S3 bucket. It can be
// run again at any time: what is already in the bucket and confirmed there
// is skipped, so an interrupted or failed run resumes where it stopped.
func cmdMigrateBlobs(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := config.Default()
	fs := flagSet("migrate-blobs", stderr)
	from := fs.String("from", "", "本地材料目录（如 data/blobs）")
	fs.StringVar(&cfg.Blobs, "to", "", "目标对象存储 s3://存储桶/前缀（存储桶须已存在）")
	s3Flags(fs, &cfg)
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" || !cfg.BlobsInS3() || fs.NArg() > 0 {
		return usagef("用法：openhall migrate-blobs --from 本地材料目录 --to s3://存储桶/前缀 --s3-endpoint http(s)://主机:端口（密钥用环境变量 OPENHALL_S3_ACCESS_KEY、OPENHALL_S3_SECRET_KEY）")
	}
	if _, _, err := blob.ParseS3URL(cfg.Blobs); err != nil {
		return usagef("--to %q 无效：%s", cfg.Blobs, apperr.MessageOf(err))
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	src, dst, err := openMigration(ctx, *from, cfg)
	if err != nil {
		return err
	}
	start := time.Now()
	s, err := blob.Migrate(ctx, src, dst, migrateReporter(stdout))
	fmt.Fprintf(stdout, "材料迁移到 %s：复制 %d 个（%.1f MB），已存在并核对无误 %d 个，失败 %d 个，用时 %s\n",
		cfg.Blobs, s.Copied, float64(s.CopiedBytes)/(1<<20), s.Skipped, s.Failed, time.Since(start).Round(time.Millisecond))
	switch {
	case errors.Is(err, context.Canceled):
		return errors.New("迁移被中断；重新运行同一命令即可继续（已复制的材料会核对后跳过）")
	case err != nil:
		return fmt.Errorf("无法列出 %s 中的材料：%w", *from, err)
	case s.Failed > 0:
		return fmt.Errorf("有 %d 个材料未能复制（见上）；处理后重新运行同一命令即可补齐", s.Failed)
	}
	return nil
}

// openMigration opens the local store, which must exist and be a store
// rather than the data directory holding one, and the bucket.
func openMigration(ctx context.Context, from string, cfg config.Config) (*blob.Store, *blob.S3, error) {
	if st, err := os.Stat(from); err != nil || !st.IsDir() {
		return nil, nil, usagef("--from %q 不是已有的目录", from)
	}
	if st, err := os.Stat(filepath.Join(from, "blobs")); err == nil && st.IsDir() {
		// A data directory: its materials are in blobs/, and a store opened
		// on it would find none and report success.
		return nil, nil, usagef("--from %q 是数据目录，材料在其中的 blobs 目录：请用 --from %s", from, filepath.Join(from, "blobs"))
	}
	// The store's path is recorded with the markers it copies: whole, so
	// that it says where the materials came from.
	from, err := filepath.Abs(from)
	if err != nil {
		return nil, nil, err
	}
	src, err := blob.New(from)
	if err != nil {
		return nil, nil, err
	}
	c := cfg.S3()
	c.URLFlag = "to"
	dst, err := blob.NewS3(ctx, c)
	return src, dst, err
}

// migrateReporter prints every failure and, now and then, how far it got.
func migrateReporter(w io.Writer) func(string, blob.Outcome, error) {
	n := 0
	return func(sum string, o blob.Outcome, err error) {
		n++
		if o == blob.Failed {
			fmt.Fprintf(w, "失败 %s：%s\n", sum, apperr.MessageOf(err))
		}
		if n%migrateProgressEvery == 0 {
			fmt.Fprintf(w, "已处理 %d 个材料……\n", n)
		}
	}
}
