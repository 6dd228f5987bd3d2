package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// cli runs one command with OPENHALL_DATA pointing at dir.
func cli(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	t.Setenv("OPENHALL_DATA", dir)
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCalendarCommands(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"calendar", "add-workdays", "2026-02-13", "1"}, 0, "2026-02-14\n"},
		{[]string{"calendar", "add-workdays", "2026-09-30", "1"}, 0, "2026-10-08\n"},
		{[]string{"calendar", "workdays-between", "2026-02-13", "2026-02-24"}, 0, "2\n"},
		{[]string{"calendar", "add-workdays", "2026-12-31", "1"}, 0, "2027-01-04（暂定：2027 年节假日安排尚未导入，暂按双休日和法定节日推算，导入后自动更正）\n"}, // 1 January: 元旦
		{[]string{"calendar", "add-workdays", "2099-12-31", "1"}, 1, ""},
		{[]string{"calendar", "add-workdays", "2026-02-30", "1"}, 2, ""},
		{[]string{"calendar", "add-workdays", "2026-02-13"}, 2, ""},
	}
	for _, c := range cases {
		code, out, errOut := cli(t, dir, c.args...)
		if code != c.code || (c.out != "" && out != c.out) {
			t.Errorf("%v: exit %d out %q err %q; want %d %q", c.args, code, out, errOut, c.code, c.out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "openhall.db")); err == nil {
		t.Error("a calendar calculation created a database")
	}
	if _, _, errOut := cli(t, dir, "calendar", "add-workdays", "2099-12-31", "1"); !strings.Contains(errOut, "2099") {
		t.Errorf("year out of range not named: %q", errOut)
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{}, {"frobnicate"}, {"serve", "--no-such-flag"}, {"serve", "extra"}, {"user", "create", "--role", "emperor", "--username", "a", "--name", "b"}} {
		if code, _, _ := cli(t, dir, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	t.Setenv("OPENHALL_WORKERS", "many")
	if code, _, errOut := cli(t, dir, "serve"); code != 2 || !strings.Contains(errOut, "OPENHALL_WORKERS") {
		t.Errorf("bad environment variable: %d %q", code, errOut)
	}
}

// TestLoadUsage defines every load command's flags (a flag defined twice
// panics) and refuses an unknown one.
func TestLoadUsage(t *testing.T) {
	dir := t.TempDir()
	for _, sub := range []string{"db", "cases", "lookup", "compare", "supervision", "counter", "ratings-report", "opendata", "cluster", "backup"} {
		if code, _, errOut := cli(t, dir, "load", sub, "--no-such-flag"); code != 2 || !strings.Contains(errOut, "no-such-flag") {
			t.Errorf("load %s: exit %d, %q", sub, code, errOut)
		}
	}
}

func TestBadConfiguration(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := cli(t, dir, "serve", "--addr", "not-an-address", "--sqlite-sync", "sometimes")
	if code != 1 || !strings.Contains(errOut, "--addr") || !strings.Contains(errOut, "--sqlite-sync") {
		t.Errorf("bad flags: %d %q", code, errOut)
	}
	code, _, errOut = cli(t, dir, "migrate", "--db", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2")
	if code != 1 || !strings.Contains(errOut, "无法连接 PostgreSQL") {
		t.Errorf("unreachable database: %d %q", code, errOut)
	}
}

func TestCorruptedDatabase(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "openhall.db"), bytes.Repeat([]byte("not a database "), 300), 0o600)
	code, _, errOut := cli(t, dir, "migrate")
	if code != 1 || !strings.Contains(errOut, "已损坏或不是 SQLite 数据库") {
		t.Errorf("corrupted file: %d %q", code, errOut)
	}
}

func TestMigrateUserAudit(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := cli(t, dir, "migrate"); code != 0 || !strings.Contains(out, "已执行迁移") {
		t.Fatalf("migrate: %d %q %q", code, out, errOut)
	}
	if code, out, _ := cli(t, dir, "migrate"); code != 0 || !strings.Contains(out, "无待执行的迁移") {
		t.Fatalf("second migrate: %d %q", code, out)
	}
	code, out, errOut := cli(t, dir, "user", "create", "--username", "boss", "--name", "王建国", "--role", "sysadmin")
	if code != 0 || !strings.Contains(out, "初始密码") {
		t.Fatalf("user create: %d %q %q", code, out, errOut)
	}
	code, _, errOut = cli(t, dir, "user", "create", "--username", "appr", "--name", "赵磊", "--role", "approver", "--org", "11330106002525810K")
	if code != 1 || !strings.Contains(errOut, "部门不存在") {
		t.Fatalf("grant on an unknown department: %d %q", code, errOut)
	}
	if code, out, errOut := cli(t, dir, "audit", "verify"); code != 0 || !strings.Contains(out, "校验通过") {
		t.Fatalf("audit verify: %d %q %q", code, out, errOut)
	}
	tamper(t, filepath.Join(dir, "openhall.db"), `UPDATE audit_log SET actor_label = '他人' WHERE id = (SELECT MIN(id) FROM audit_log)`)
	if code, _, errOut := cli(t, dir, "audit", "verify"); code != 1 || !strings.Contains(errOut, "第 1 条记录") {
		t.Fatalf("tampered log: %d %q", code, errOut)
	}
}

func tamper(t *testing.T, path, stmt string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(stmt); err != nil {
		t.Fatal(err)
	}
}

func TestCalendarImport(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "2027.json")
	os.WriteFile(file, []byte(`{"year":2027,"papers":[],"days":[{"name":"元旦","date":"2027-01-01","isOffDay":true}]}`), 0o600)
	if code, out, errOut := cli(t, dir, "calendar", "import", file); code != 0 || !strings.Contains(out, "2027") {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	if code, out, _ := cli(t, dir, "calendar", "add-workdays", "2026-12-31", "1"); code != 0 || out != "2027-01-04\n" {
		t.Fatalf("after import: %d %q", code, out)
	}
}
