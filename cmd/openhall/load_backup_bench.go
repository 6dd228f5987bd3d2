package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/sys/unix"

	"openhall/internal/app"
	"openhall/internal/config"
)

// backupBench times backups and restores of one deployment next to tar
// copying the same files, run by run.
type backupBench struct {
	cfg   config.Config
	runs  int
	pgBin string
	out   io.Writer
	work  string
}

// backupTimes is one run's measurements.
type backupTimes struct {
	rawCreate, rawExtract time.Duration // tar of the same files, synced
	dump, backup          time.Duration // pg_dump (PostgreSQL only); openhall backup
	pgRestore, restore    time.Duration // pg_restore (PostgreSQL only); openhall restore
	archive, dumpBytes    int64
}

func (b backupBench) run(ctx context.Context, work string) error {
	if work == "" {
		dir, err := os.MkdirTemp(filepath.Dir(filepath.Clean(b.cfg.DataDir)), "openhall-backup-work-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		work = dir
	}
	b.work = work
	if err := b.printSizes(ctx); err != nil {
		return err
	}
	var all []backupTimes
	for i := range b.runs {
		t, err := b.once(ctx, i)
		if err != nil {
			return err
		}
		b.printRun(i, t)
		all = append(all, t)
	}
	b.printSummary(all)
	return nil
}

// printSizes prints what there is to back up.
func (b backupBench) printSizes(ctx context.Context) error {
	files, bytes, disk, err := dirUsage(b.blobDir())
	if err != nil {
		return err
	}
	db, err := dbSize(ctx, b.cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(b.out, "材料：%d 个文件，%s（占用磁盘 %s）；数据库：%s；合计 %s\n", files, mb(bytes), mb(disk), mb(db), mb(bytes+db))
	return nil
}

func (b backupBench) blobDir() string { return filepath.Join(b.cfg.DataDir, "blobs") }

// once is one run: tar of the same files into an archive and back out
// (the baseline), then backup, restore and the checks of the restore.
func (b backupBench) once(ctx context.Context, i int) (t backupTimes, err error) {
	if t.rawCreate, t.rawExtract, err = b.rawCopy(ctx); err != nil {
		return t, err
	}
	archive := filepath.Join(b.work, fmt.Sprintf("backup-%d.tar", i))
	dump := filepath.Join(b.work, fmt.Sprintf("db-%d.dump", i))
	defer os.Remove(archive)
	defer os.Remove(dump)
	if b.cfg.IsPostgres() {
		if t.dump, err = timed(func() error { return b.pg(ctx, "pg_dump", "-Fc", "-f", dump, "-d", b.cfg.DB) }); err != nil {
			return t, err
		}
		t.dumpBytes = fileSize(dump)
	}
	if t.backup, err = timed(func() error { _, err := app.Backup(ctx, b.cfg, archive); return err }); err != nil {
		return t, fmt.Errorf("备份：%w", err)
	}
	t.archive = fileSize(archive)
	restored := b.cfg
	restored.DataDir = filepath.Join(b.work, fmt.Sprintf("restored-%d", i))
	defer os.RemoveAll(restored.DataDir)
	if b.cfg.IsPostgres() {
		var drop func()
		if restored.DB, drop, err = b.newDatabase(ctx, fmt.Sprintf("openhall_restore_%d_%d", os.Getpid(), i)); err != nil {
			return t, err
		}
		defer drop()
		if t.pgRestore, err = timed(func() error { return b.pg(ctx, "pg_restore", "--no-owner", "-d", restored.DB, dump) }); err != nil {
			return t, err
		}
	}
	if t.restore, err = timed(func() error { _, err := app.Restore(ctx, restored, archive); return err }); err != nil {
		return t, fmt.Errorf("恢复：%w", err)
	}
	return t, b.verify(ctx, restored)
}

// rawCopy tars the database file (SQLite) and the materials into one
// archive in the work directory and extracts it again, syncing the
// filesystem after each, as the backup and the restore do.
func (b backupBench) rawCopy(ctx context.Context) (create, extract time.Duration, err error) {
	tarFile, dir := filepath.Join(b.work, "raw.tar"), filepath.Join(b.work, "raw")
	defer os.Remove(tarFile)
	defer os.RemoveAll(dir)
	what := []string{"blobs"}
	if !b.cfg.IsPostgres() {
		what = append(what, filepath.Base(b.cfg.SQLitePath()))
	}
	create, err = timed(func() error {
		return b.syncAfter(exec.CommandContext(ctx, "tar", append([]string{"-cf", tarFile, "-C", b.cfg.DataDir}, what...)...))
	})
	if err != nil {
		return 0, 0, fmt.Errorf("tar -c：%w", err)
	}
	if err := os.Mkdir(dir, 0o750); err != nil {
		return 0, 0, err
	}
	extract, err = timed(func() error { return b.syncAfter(exec.CommandContext(ctx, "tar", "-xf", tarFile, "-C", dir)) })
	return create, extract, err
}

// syncAfter runs cmd, then syncs the work directory's filesystem.
func (b backupBench) syncAfter(cmd *exec.Cmd) error {
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	d, err := os.Open(b.work)
	if err != nil {
		return err
	}
	defer d.Close()
	return unix.Syncfs(int(d.Fd()))
}

// pg runs a PostgreSQL client program.
func (b backupBench) pg(ctx context.Context, name string, args ...string) error {
	if b.pgBin != "" {
		name = filepath.Join(b.pgBin, name)
	}
	if out, err := exec.CommandContext(ctx, name, args...).CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %v: %s", filepath.Base(name), err, out)
	}
	return nil
}

// newDatabase creates an empty database beside the measured one and
// returns its URL and a function that drops it.
func (b backupBench) newDatabase(ctx context.Context, name string) (string, func(), error) {
	conn, err := pgx.Connect(ctx, b.cfg.DB)
	if err != nil {
		return "", nil, err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	u, err := url.Parse(b.cfg.DB)
	if err != nil {
		conn.Close(ctx)
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), func() {
		conn.Exec(context.WithoutCancel(ctx), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
		conn.Close(context.WithoutCancel(ctx))
	}, nil
}

// verify checks the restored deployment beyond what restore checked
// itself (every material's hash; on SQLite the database's integrity and
// every table's row count): its audit chain, and on PostgreSQL that the
// restored database holds as many cases and materials as the original.
func (b backupBench) verify(ctx context.Context, restored config.Config) error {
	a, err := app.Open(ctx, restored, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	r, err := a.Services.Audit.Verify(ctx)
	if err != nil {
		return err
	}
	if !r.OK {
		return fmt.Errorf("恢复后的审计日志校验失败：%s", r.Problem)
	}
	if restored.IsPostgres() {
		return sameCounts(ctx, b.cfg.DB, restored.DB)
	}
	return nil
}

// sameCounts compares the case and material counts of two databases.
func sameCounts(ctx context.Context, a, b string) error {
	var counts [2][2]int64
	for i, u := range []string{a, b} {
		conn, err := pgx.Connect(ctx, u)
		if err != nil {
			return err
		}
		err = conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM case_materials)`).Scan(&counts[i][0], &counts[i][1])
		conn.Close(ctx)
		if err != nil {
			return err
		}
	}
	if counts[0] != counts[1] {
		return fmt.Errorf("恢复的数据库有 %d 件办件、%d 份材料，原库为 %d 件、%d 份", counts[1][0], counts[1][1], counts[0][0], counts[0][1])
	}
	return nil
}

func (b backupBench) printRun(i int, t backupTimes) {
	fmt.Fprintf(b.out, "第 %d 次：tar 打包同样的文件 %s，openhall backup %s（%s，为 tar 的 %.2f 倍）", i+1, secs(t.rawCreate), secs(t.backup),
		mb(t.archive), t.backup.Seconds()/t.rawCreate.Seconds())
	if t.dump > 0 {
		fmt.Fprintf(b.out, "，另 pg_dump -Fc %s（%s）", secs(t.dump), mb(t.dumpBytes))
	}
	fmt.Fprintf(b.out, "；tar 解包 %s，openhall restore %s（为 tar 的 %.2f 倍）", secs(t.rawExtract), secs(t.restore), t.restore.Seconds()/t.rawExtract.Seconds())
	if t.pgRestore > 0 {
		fmt.Fprintf(b.out, "，另 pg_restore %s", secs(t.pgRestore))
	}
	fmt.Fprintln(b.out, "；恢复校验通过（材料哈希、审计日志链、行数）")
}

func (b backupBench) printSummary(all []backupTimes) {
	ratio := func(f func(backupTimes) float64) string {
		var v []float64
		for _, t := range all {
			v = append(v, f(t))
		}
		slices.Sort(v)
		return fmt.Sprintf("中位数 %.2f 倍（%.2f–%.2f）", v[len(v)/2], v[0], v[len(v)-1])
	}
	fmt.Fprintf(b.out, "备份 / tar 打包：%s；恢复 / tar 解包：%s\n",
		ratio(func(t backupTimes) float64 { return t.backup.Seconds() / t.rawCreate.Seconds() }),
		ratio(func(t backupTimes) float64 { return t.restore.Seconds() / t.rawExtract.Seconds() }))
}

func timed(f func() error) (time.Duration, error) {
	start := time.Now()
	err := f()
	return time.Since(start), err
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// diskBytes is the disk a file takes up.
func diskBytes(info os.FileInfo) int64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return st.Blocks * 512
	}
	return info.Size()
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2fs", d.Seconds()) }
func mb(n int64) string           { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }
