package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"strings"

	"openhall/internal/app"
	"openhall/internal/config"
	"openhall/internal/identity"
)

// openApp opens the database for a one-off command: no background workers,
// logs only warnings.
func openApp(ctx context.Context, cfg config.Config, stderr io.Writer) (*app.App, error) {
	cfg.LogLevel = "warn"
	return app.Open(ctx, cfg, newLogger(stderr, "warn"), app.Options{})
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := config.Default()
	fs := flagSet("migrate", stderr)
	dbFlags(fs, &cfg)
	if err := parse(fs, args); err != nil {
		return err
	}
	applied, st, err := app.Migrate(ctx, cfg)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "无待执行的迁移；"+st.Describe())
		return nil
	}
	fmt.Fprintf(stdout, "已执行迁移 %v；%s\n", applied, st.Describe())
	return nil
}

func cmdUser(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usagef("用法：openhall user create --username U --name 姓名 --role 角色 [--org 区划代码或部门统一社会信用代码] [--password P]")
	}
	cfg := config.Default()
	fs := flagSet("user create", stderr)
	dbFlags(fs, &cfg)
	username := fs.String("username", "", "登录名（必填）")
	name := fs.String("name", "", "姓名（必填）")
	role := fs.String("role", "", "角色："+roleList())
	orgRef := fs.String("org", "", "授权范围：区域的区划代码，或部门的统一社会信用代码；系统管理员留空表示全部区域")
	password := fs.String("password", "", "初始密码；留空则随机生成并打印（也可用 OPENHALL_PASSWORD）")
	phone := fs.String("phone", "", "手机号码")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *username == "" || *name == "" || *role == "" {
		return usagef("--username、--name、--role 均为必填")
	}
	if !identity.Role(*role).Grantable() {
		return usagef("未知角色 %q，可选：%s", *role, roleList())
	}
	a, err := openApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	pw, generated := *password, false
	if pw == "" {
		pw, generated = randomPassword(), true
	}
	grant, err := scopeOf(ctx, a, *orgRef, identity.Role(*role))
	if err != nil {
		return err
	}
	return createStaff(ctx, a, stdout, identity.UserInput{Kind: identity.KindStaff, Username: *username, Name: *name, Phone: *phone, Password: pw}, grant, generated)
}

func roleList() string {
	var names []string
	for _, r := range identity.StaffRoles {
		names = append(names, string(r)+"（"+r.Label()+"）")
	}
	return strings.Join(names, "、")
}

// scopeOf resolves --org into the scope of the grant.
func scopeOf(ctx context.Context, a *app.App, ref string, role identity.Role) (identity.GrantInput, error) {
	g := identity.GrantInput{Role: string(role)}
	switch {
	case ref == "":
		return g, nil
	case len(ref) == 18:
		d, err := a.Services.Org.DepartmentByCreditCode(ctx, strings.ToUpper(ref))
		if err != nil {
			return g, err
		}
		g.DepartmentID = &d.ID
	default:
		r, err := a.Services.Org.RegionByCode(ctx, ref)
		if err != nil {
			return g, err
		}
		g.RegionID = &r.ID
	}
	return g, nil
}

func createStaff(ctx context.Context, a *app.App, stdout io.Writer, in identity.UserInput, g identity.GrantInput, generated bool) error {
	sys := identity.SystemActor()
	u, err := a.Services.Identity.CreateUser(ctx, sys, in)
	if err != nil {
		return err
	}
	g.UserID = u.ID
	if _, err := a.Services.Identity.GrantRole(ctx, sys, g); err != nil {
		return fmt.Errorf("账号 %s 已创建，但授予角色失败：%w", u.Username, err)
	}
	fmt.Fprintf(stdout, "已创建工作人员账号 %s（%s），角色：%s\n", u.Username, u.Name, identity.Role(g.Role).Label())
	if generated {
		fmt.Fprintf(stdout, "初始密码：%s （请登录后立即修改）\n", in.Password)
	}
	return nil
}

func randomPassword() string {
	const letters = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
	const digits = "23456789"
	b := make([]byte, 12)
	rand.Read(b)
	out := make([]byte, len(b))
	for i, x := range b {
		set := letters
		if i%3 == 2 {
			set = digits
		}
		out[i] = set[int(x)%len(set)]
	}
	return string(out)
}

func cmdAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return usagef("用法：openhall audit verify")
	}
	cfg := config.Default()
	fs := flagSet("audit verify", stderr)
	dbFlags(fs, &cfg)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	if _, err := a.Services.Audit.Seal(ctx); err != nil {
		return err
	}
	r, err := a.Services.Audit.Verify(ctx)
	if err != nil {
		return err
	}
	if !r.OK {
		if r.BadSeq > 0 {
			return fmt.Errorf("审计日志校验失败：第 %d 条记录（行号 %d）：%s；此前 %d 条完好", r.BadSeq, r.BadID, r.Problem, r.Checked)
		}
		return fmt.Errorf("审计日志校验失败：%s；已校验 %d 条", r.Problem, r.Checked)
	}
	fmt.Fprintf(stdout, "审计日志校验通过：%d 条记录，链尾序号 %d，哈希 %x\n", r.Checked, r.Head.Seq, r.Head.Hash)
	return nil
}
