// Command openhall is the OpenHall server and its administration commands.
//
//	openhall serve [--addr] [--data DIR] [--db URL] [--demo]
//	openhall migrate
//	openhall user create --username U --name N --role R [--org REGION_CODE | --dept DEPT_ID] [--password P]
//	openhall audit verify
//	openhall backup --out FILE | openhall restore --from FILE --data NEWDIR
//	openhall calendar add-workdays DATE N
//	openhall calendar workdays-between FROM TO
//	openhall calendar import FILE [--year Y]
//	openhall load db | openhall load cases --url URL
//	openhall import-docs DIR --org AGENCY [--limit N]
//	openhall bench-disclosure [--docs N] [--laws DIR] [--requests N]
//	openhall supervision recount
//	openhall migrate-blobs --from DIR --to s3://BUCKET/PREFIX --s3-endpoint URL
//
// Every flag can also be set with an OPENHALL_* environment variable
// (--data → OPENHALL_DATA, --sqlite-sync → OPENHALL_SQLITE_SYNC).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `用法：openhall <命令> [参数]

命令：
  serve                          启动服务（默认 SQLite，数据在 ./data）
  migrate                        执行数据库迁移
  user create                    创建工作人员账号并授予角色
  audit verify                   校验审计日志哈希链
  backup --out 文件              在线备份：数据库（SQLite）与其引用的全部材料
  restore --from 文件 --data 目录 把备份恢复到新的数据目录
  calendar add-workdays DATE N   计算 DATE 起第 N 个工作日
  calendar workdays-between A B  计算 A 之后至 B（含）的工作日数
  calendar import FILE           导入节假日安排（JSON 或 ICS）
  load db | load cases           测量数据库写入能力与办件全流程吞吐
  load lookup                    百万办件下测量进度查询吞吐与重启就绪时间
  import-docs DIR --org 机关     把法律法规库格式的 Markdown 文件导入为该机关已发布的公开信息
  bench-disclosure               政务公开检索与年度报告的性能测量（构建一次索引后测量）
  supervision recount            按全部办件的事件重新统计电子监察绩效数据
  load supervision               百万办件下测量监察工作台、红黄牌重新评估与季度考评
  migrate-blobs --from 目录 --to s3://… 把本地材料复制到对象存储（可续传，逐个核对哈希）

各命令的参数见 openhall <命令> -h；参数也可用 OPENHALL_* 环境变量设置。
`

// run executes one command and returns the process exit code: 0 success,
// 1 failure, 2 bad usage.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "serve":
		err = cmdServe(ctx, rest, stdout, stderr)
	case "migrate":
		err = cmdMigrate(ctx, rest, stdout, stderr)
	case "user":
		err = cmdUser(ctx, rest, stdout, stderr)
	case "audit":
		err = cmdAudit(ctx, rest, stdout, stderr)
	case "calendar":
		err = cmdCalendar(ctx, rest, stdout, stderr)
	case "backup":
		err = cmdBackup(ctx, rest, stdout, stderr)
	case "restore":
		err = cmdRestore(ctx, rest, stdout, stderr)
	case "load":
		err = cmdLoad(ctx, rest, stdout, stderr)
	case "import-docs":
		err = cmdImportDocs(ctx, rest, stdout, stderr)
	case "bench-disclosure":
		err = cmdBenchDisclosure(ctx, rest, stdout, stderr)
	case "supervision":
		err = cmdSupervision(ctx, rest, stdout, stderr)
	case "migrate-blobs":
		err = cmdMigrateBlobs(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "未知命令 %q\n\n%s", cmd, usage)
		return 2
	}
	return exitCode(err, stderr)
}
