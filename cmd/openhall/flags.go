package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/config"
)

// usageError is a command-line mistake; it exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// exitCode prints err and maps it to an exit status.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintln(stderr, "参数错误：", ue.msg)
		return 2
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		fmt.Fprintln(stderr, "错误：", ae.Message)
		for k, v := range ae.Fields {
			fmt.Fprintf(stderr, "  %s：%s\n", k, v)
		}
		return 1
	}
	fmt.Fprintln(stderr, "错误：", err)
	return 1
}

// flagSet returns a FlagSet that reports errors instead of exiting.
func flagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// dbFlags registers the flags every command that opens the database shares.
func dbFlags(fs *flag.FlagSet, cfg *config.Config) {
	fs.StringVar(&cfg.DataDir, "data", cfg.DataDir, "数据目录（SQLite 数据库、上传文件）")
	fs.StringVar(&cfg.DB, "db", cfg.DB, "PostgreSQL 连接串 postgres://…；留空使用数据目录中的 SQLite")
	fs.StringVar(&cfg.Migrate, "migrate", cfg.Migrate, "启动时是否迁移：auto（SQLite 迁移，PostgreSQL 不迁移）、yes、no")
	fs.StringVar(&cfg.SQLiteSync, "sqlite-sync", cfg.SQLiteSync, "SQLite 同步级别：full（每次提交落盘）或 normal")
	fs.StringVar(&cfg.LogLevel, "log-level", cfg.LogLevel, "日志级别：debug、info、warn、error")
	fs.IntVar(&cfg.Procs, "procs", cfg.Procs, "同时运行 Go 代码的处理器数（GOMAXPROCS）；0 为自动：SQLite 取 CPU 数的两倍，PostgreSQL 取 CPU 数")
	blobFlags(fs, cfg)
}

// blobFlags registers where uploaded materials are kept.
func blobFlags(fs *flag.FlagSet, cfg *config.Config) {
	fs.StringVar(&cfg.Blobs, "blobs", cfg.Blobs, "材料文件存放处：留空为数据目录下的 blobs/，或另一目录，或 s3://存储桶/前缀（S3 兼容的对象存储，多节点共用）")
	fs.StringVar(&cfg.BlobsFallback, "blobs-fallback", cfg.BlobsFallback, "材料迁入对象存储期间的旧材料目录（migrate-blobs 的 --from）：对象存储中没有的材料从这里读取、核对后复制进对象存储；须含本部署的部署标识，迁移完成后去掉")
	s3Flags(fs, cfg)
}

// s3Flags registers the object store's address and credentials; the keys
// are best given as OPENHALL_S3_ACCESS_KEY and OPENHALL_S3_SECRET_KEY.
func s3Flags(fs *flag.FlagSet, cfg *config.Config) {
	fs.StringVar(&cfg.S3Endpoint, "s3-endpoint", cfg.S3Endpoint, "对象存储地址 http(s)://主机:端口（https 即用 TLS）")
	fs.StringVar(&cfg.S3CA, "s3-ca", cfg.S3CA, "校验 https 对象存储证书所用的 CA 证书文件（PEM）；留空用系统的")
	fs.StringVar(&cfg.S3Region, "s3-region", cfg.S3Region, "对象存储区域；留空为 us-east-1")
	fs.StringVar(&cfg.S3AccessKey, "s3-access-key", cfg.S3AccessKey, "对象存储访问密钥 ID（建议用环境变量 OPENHALL_S3_ACCESS_KEY）")
	fs.StringVar(&cfg.S3SecretKey, "s3-secret-key", cfg.S3SecretKey, "对象存储私有访问密钥（建议用环境变量 OPENHALL_S3_SECRET_KEY；不会写入日志）")
	fs.DurationVar(&cfg.S3Timeout, "s3-timeout", cfg.S3Timeout, "对象存储每次应答的时限（另按内容每 MB 加 1 秒），超时的上传、下载失败并提示稍后再试；1s–10m")
}

// tuneRuntime applies the configured GOMAXPROCS, unless the GOMAXPROCS
// environment variable already set it, and lets the heap grow to five
// times its live size between collections unless GOGC is set: the server
// keeps little live data, and collecting it four times less often leaves
// more CPU for requests.
func tuneRuntime(cfg config.Config) {
	if os.Getenv("GOMAXPROCS") == "" || cfg.Procs != 0 {
		runtime.GOMAXPROCS(cfg.GoProcs(runtime.NumCPU()))
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}

// parse applies OPENHALL_* environment variables, then the command line.
func parse(fs *flag.FlagSet, args []string) error {
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		name := "OPENHALL_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(name); ok && envErr == nil {
			if err := f.Value.Set(v); err != nil {
				envErr = usagef("环境变量 %s=%q 无效：%v", name, v, err)
			}
		}
	})
	if envErr != nil {
		return envErr
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}
