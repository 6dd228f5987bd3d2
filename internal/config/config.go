// Package config holds the server configuration as a value. It is built once
// in cmd/openhall from flags and OPENHALL_* environment variables and passed
// down to constructors; nothing reads it from a global.
package config

import (
	"encoding/hex"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"openhall/internal/httpkit"
)

// Config is the complete configuration of one openhall process.
type Config struct {
	Addr    string // listen address, host:port
	DataDir string // directory for the SQLite database, uploads and keys
	DB      string // "" for SQLite in DataDir, or a postgres:// URL
	Demo    bool   // load demo data once and print the demo accounts

	// Migrate decides whether serve applies pending migrations: "auto" applies
	// them on SQLite (one process owns the file) and refuses on PostgreSQL,
	// where several nodes share the schema and an operator runs
	// `openhall migrate` once; "yes" and "no" force the choice.
	Migrate string

	SQLiteSync string // "full" (default: a write is on disk before we answer) or "normal"

	SessionIdle     time.Duration // a session ends after this long without a request
	SessionAbsolute time.Duration // and in any case this long after login
	SecureCookies   string        // "auto" (when the request came over TLS), "yes", "no"

	// SupplementDays is how many working days an applicant has to answer a
	// 补正 notice before the case is closed as 补正超时.
	SupplementDays int

	LogLevel string // debug, info, warn, error
	Workers  int    // concurrent background jobs per process

	// Procs is how many goroutines run Go code at once (GOMAXPROCS); 0
	// chooses: twice the CPUs on SQLite, whose pure-Go driver waits in
	// file system calls that hold a processor until the runtime takes it
	// back, so spare processors keep the CPUs busy; the CPUs on PostgreSQL.
	Procs int

	// PublicURL is the address citizens reach the product at, for links
	// that leave it (certificate QR codes, email); "" takes each request's
	// own host.
	PublicURL string
	// TrustedProxies lists the reverse proxies (CIDR ranges or addresses,
	// comma-separated; "none" for no proxy) whose X-Forwarded-For and
	// X-Forwarded-Proto are believed.
	TrustedProxies string
	// HSTS is "auto" (send Strict-Transport-Security when PublicURL is
	// https) or "no".
	HSTS string
	// CertKEK is the key-encryption key of the certificate signing keys,
	// 32 hex digits; "" keeps a generated one in DataDir (development only).
	CertKEK string

	// HotlineToken is the bearer token of the 12345 hotline's system on the
	// hand-off interface (/api/v1/hotline/…); "" turns the interface off.
	HotlineToken string

	// Outgoing email; no SMTPHost means email is not sent.
	SMTPHost     string
	SMTPPort     int
	SMTPUser     string
	SMTPPassword string
	SMTPFrom     string

	// SMSGateway is how SMS leave: "" sends none (no SMS is queued), "log"
	// writes each to the log with the number masked (development).
	SMSGateway string

	// Blobs is where uploaded materials are kept: "" for the directory
	// blobs/ in DataDir, another directory, or s3://bucket/prefix for an
	// S3-compatible object store at S3Endpoint (http(s)://host:port).
	Blobs       string
	S3Endpoint  string
	S3Region    string // "" = us-east-1
	S3AccessKey string
	S3SecretKey string // never printed or logged
	S3CA        string // PEM file of the CAs of an https endpoint; "" = the system's
	// S3Timeout bounds one exchange with the object store, plus a second
	// per MB of content: one that stops answering fails the request.
	S3Timeout time.Duration
	// BlobsFallback is, while materials move into the bucket of an s3://
	// Blobs, the local directory they move from: a material the bucket
	// lacks is read from there and copied in. "" for none.
	BlobsFallback string
}

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		DataDir:         "data",
		Migrate:         "auto",
		SQLiteSync:      "full",
		SessionIdle:     30 * time.Minute,
		SessionAbsolute: 12 * time.Hour,
		SecureCookies:   "auto",
		LogLevel:        "info",
		SupplementDays:  10,
		Workers:         20,
		SMTPPort:        587,
		TrustedProxies:  httpkit.DefaultProxies,
		HSTS:            "auto",
		S3Timeout:       30 * time.Second,
	}
}

// GoProcs is the GOMAXPROCS the configuration asks for, given the CPUs
// the runtime found.
func (c Config) GoProcs(cpus int) int {
	switch {
	case c.Procs > 0:
		return c.Procs
	case c.IsPostgres():
		return cpus
	}
	return 2 * cpus
}

// SendHSTS reports whether responses carry Strict-Transport-Security: the
// product is public over https, and the operator did not turn it off.
func (c Config) SendHSTS() bool {
	return c.HSTS == "auto" && strings.HasPrefix(c.PublicURL, "https://")
}

// IsPostgres reports whether the configuration selects PostgreSQL.
func (c Config) IsPostgres() bool {
	return strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://")
}

// SQLitePath is the database file used when DB is empty.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "openhall.db") }

// ShouldMigrate resolves Migrate for the selected backend.
func (c Config) ShouldMigrate() bool {
	switch c.Migrate {
	case "yes":
		return true
	case "no":
		return false
	}
	return !c.IsPostgres()
}

// Validate checks every field and returns one error naming all bad ones.
func (c Config) Validate() error {
	var bad []string
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		bad = append(bad, fmt.Sprintf("--addr %q 不是 主机:端口 形式的监听地址", c.Addr))
	}
	if c.DB != "" && !c.IsPostgres() {
		bad = append(bad, fmt.Sprintf("--db %q 无法识别：留空使用内置 SQLite，或给出 postgres:// 开头的连接串", redactURL(c.DB)))
	}
	if c.DataDir == "" {
		bad = append(bad, "--data 不能为空")
	}
	bad = append(bad, checkChoice("--migrate", c.Migrate, "auto", "yes", "no")...)
	bad = append(bad, checkChoice("--sqlite-sync", c.SQLiteSync, "full", "normal")...)
	bad = append(bad, checkChoice("--secure-cookies", c.SecureCookies, "auto", "yes", "no")...)
	bad = append(bad, checkChoice("--log-level", c.LogLevel, "debug", "info", "warn", "error")...)
	bad = append(bad, checkChoice("--sms-gateway", c.SMSGateway, "", "log")...)
	bad = append(bad, checkChoice("--hsts", c.HSTS, "auto", "no")...)
	if _, err := httpkit.ParseProxies(c.TrustedProxies); err != nil {
		bad = append(bad, "--trusted-proxies："+err.Error())
	}
	if c.SessionIdle <= 0 || c.SessionAbsolute < c.SessionIdle {
		bad = append(bad, "会话超时设置无效：空闲超时须大于 0 且不大于绝对超时")
	}
	if c.SupplementDays < 1 || c.SupplementDays > 60 {
		bad = append(bad, fmt.Sprintf("--supplement-days %d 超出范围 1–60", c.SupplementDays))
	}
	if c.Workers < 1 || c.Workers > 1000 {
		bad = append(bad, fmt.Sprintf("--workers %d 超出范围 1–1000", c.Workers))
	}
	if c.Procs < 0 || c.Procs > 1024 {
		bad = append(bad, fmt.Sprintf("--procs %d 超出范围 0–1024（0 为自动）", c.Procs))
	}
	bad = append(bad, c.checkSupport()...)
	bad = append(bad, c.checkBlobs()...)
	if len(bad) > 0 {
		return fmt.Errorf("配置有误：\n  %s", strings.Join(bad, "\n  "))
	}
	return nil
}

// checkSupport checks the settings of certificates, links and email.
func (c Config) checkSupport() []string {
	var bad []string
	if c.HotlineToken != "" && len(c.HotlineToken) < 16 {
		bad = append(bad, "--hotline-token 至少 16 个字符")
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			bad = append(bad, fmt.Sprintf("--public-url %q 应为 http:// 或 https:// 开头的完整地址，不含查询参数", c.PublicURL))
		}
	}
	if k, err := hex.DecodeString(c.CertKEK); c.CertKEK != "" && (err != nil || len(k) != 16) {
		bad = append(bad, "--cert-kek 应为 32 位十六进制数字（16 字节的 SM4 密钥）")
	}
	if c.SMTPPort < 1 || c.SMTPPort > 65535 {
		bad = append(bad, fmt.Sprintf("--smtp-port %d 超出范围 1–65535", c.SMTPPort))
	}
	if c.SMTPHost == "" {
		return bad
	}
	if a, err := mail.ParseAddress(c.SMTPFrom); err != nil || a.Address == "" {
		bad = append(bad, fmt.Sprintf("--smtp-from %q 不是有效的发件地址（设置了 --smtp-host 时必填）", c.SMTPFrom))
	}
	if (c.SMTPUser == "") != (c.SMTPPassword == "") {
		bad = append(bad, "--smtp-user 与 --smtp-password 须同时设置或同时留空")
	}
	return bad
}

func checkChoice(flag, v string, allowed ...string) []string {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return []string{fmt.Sprintf("%s %q 无效，可选值：%s", flag, v, strings.Join(allowed, "、"))}
}

// redactURL hides a password in a connection string before it is printed.
func redactURL(s string) string {
	at := strings.LastIndex(s, "@")
	scheme := strings.Index(s, "://")
	if at < 0 || scheme < 0 || at < scheme {
		return s
	}
	cred := s[scheme+3 : at]
	if i := strings.Index(cred, ":"); i >= 0 {
		return s[:scheme+3] + cred[:i] + ":***" + s[at:]
	}
	return s
}

// Redacted returns the connection string with any password hidden.
func (c Config) Redacted() string { return redactURL(c.DB) }
