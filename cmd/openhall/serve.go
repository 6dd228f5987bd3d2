package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"

	"openhall/internal/app"
	"openhall/internal/config"
	"openhall/internal/demo"
)

// newLogger writes JSON lines; app.Open adds the redacting handler, so no
// ID number or phone number reaches a log even by mistake.
func newLogger(w io.Writer, level string) *slog.Logger {
	var lv slog.Level
	lv.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: lv}))
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := config.Default()
	fs := flagSet("serve", stderr)
	dbFlags(fs, &cfg)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "监听地址")
	fs.BoolVar(&cfg.Demo, "demo", cfg.Demo, "首次启动时载入演示数据并打印演示账号")
	fs.IntVar(&cfg.Workers, "workers", cfg.Workers, "本进程并发执行的后台任务数")
	fs.IntVar(&cfg.SupplementDays, "supplement-days", cfg.SupplementDays, "申请人补正的期限（工作日），逾期按补正超时办结")
	fs.StringVar(&cfg.SecureCookies, "secure-cookies", cfg.SecureCookies, "Cookie 的 Secure 标志：auto（经 HTTPS 访问时）、yes、no")
	fs.DurationVar(&cfg.SessionIdle, "session-idle", cfg.SessionIdle, "会话空闲超时")
	fs.DurationVar(&cfg.SessionAbsolute, "session-absolute", cfg.SessionAbsolute, "会话绝对超时")
	supportFlags(fs, &cfg)
	grace := fs.Duration("shutdown-grace", 20*time.Second, "收到停止信号后等待进行中请求完成的时间")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("serve 不接受位置参数：%v", fs.Args())
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	tuneRuntime(cfg)
	log := newLogger(stderr, cfg.LogLevel)
	a, err := app.Open(ctx, cfg, log, app.Options{Workers: true, Node: true})
	if err != nil {
		return err
	}
	defer a.Close()
	if cfg.Demo {
		if err := loadDemo(ctx, a, stdout); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("无法监听 %s：%w", cfg.Addr, err)
	}
	fmt.Fprintf(stdout, "阳光政务大厅已启动：http://%s/ （数据库：%s；材料：%s；按 Ctrl+C 停止）\n", ln.Addr(), backendLabel(cfg), servedBlobs(cfg))
	return a.Run(ctx, ln, *grace)
}

// servedBlobs names the materials' store in the start banner, with the
// directory read while materials move into the bucket.
func servedBlobs(cfg config.Config) string {
	if cfg.BlobsFallback == "" {
		return cfg.BlobLabel()
	}
	return cfg.BlobLabel() + "，存储桶中没有的从目录 " + cfg.BlobsFallback + " 读取并补入（迁移期间）"
}

// supportFlags registers the settings of certificates, links and email.
func supportFlags(fs *flag.FlagSet, cfg *config.Config) {
	fs.StringVar(&cfg.PublicURL, "public-url", cfg.PublicURL, "公众访问本系统的地址，如 https://zw.example.gov.cn（用于证照二维码与邮件中的链接）；留空取每个请求的主机名")
	fs.StringVar(&cfg.TrustedProxies, "trusted-proxies", cfg.TrustedProxies, "可信的反向代理（CIDR 网段或地址，逗号分隔；none 表示没有代理）：只有来自它们的请求，其 X-Forwarded-For 与 X-Forwarded-Proto 才被采信")
	fs.StringVar(&cfg.HSTS, "hsts", cfg.HSTS, "HTTPS 严格传输（HSTS）：auto（--public-url 为 https 时发送）或 no")
	fs.StringVar(&cfg.HotlineToken, "hotline-token", cfg.HotlineToken, "12345 热线系统调用交接接口的令牌（至少 16 个字符，建议用环境变量 OPENHALL_HOTLINE_TOKEN）；留空则关闭该接口")
	fs.StringVar(&cfg.CertKEK, "cert-kek", cfg.CertKEK, "电子证照签名私钥的加密密钥：32 位十六进制数字；生产环境必填（建议用环境变量 OPENHALL_CERT_KEK）")
	fs.StringVar(&cfg.SMTPHost, "smtp-host", cfg.SMTPHost, "发信 SMTP 服务器；留空则不发送邮件")
	fs.IntVar(&cfg.SMTPPort, "smtp-port", cfg.SMTPPort, "SMTP 端口（提交端口通常为 587）")
	fs.StringVar(&cfg.SMTPUser, "smtp-user", cfg.SMTPUser, "SMTP 登录名；留空则不认证")
	fs.StringVar(&cfg.SMTPPassword, "smtp-password", cfg.SMTPPassword, "SMTP 密码（建议用环境变量 OPENHALL_SMTP_PASSWORD）")
	fs.StringVar(&cfg.SMTPFrom, "smtp-from", cfg.SMTPFrom, "发件人，如 阳光政务大厅 <noreply@example.gov.cn>")
	fs.StringVar(&cfg.SMSGateway, "sms-gateway", cfg.SMSGateway, "短信网关：留空则不发送短信；log 把每条短信（号码打码）写入日志，供开发调试")
}

func backendLabel(cfg config.Config) string {
	if cfg.IsPostgres() {
		return "PostgreSQL " + cfg.Redacted()
	}
	return "SQLite " + cfg.SQLitePath()
}

// loadDemo loads the demo data once and prints the demo accounts.
func loadDemo(ctx context.Context, a *app.App, stdout io.Writer) error {
	loaded, err := demo.Load(ctx, a.Stores, a.Services)
	if err != nil {
		return fmt.Errorf("载入演示数据失败：%w", err)
	}
	if loaded {
		fmt.Fprintln(stdout, "已载入演示数据。")
	}
	fmt.Fprintln(stdout, "演示账号（密码均为 "+demo.Password+"）：")
	for _, acc := range demo.Accounts() {
		fmt.Fprintf(stdout, "  %-14s %s\n", acc.Username, acc.Description)
	}
	return nil
}
