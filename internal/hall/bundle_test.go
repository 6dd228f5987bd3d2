package hall_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/apptest"
	"openhall/internal/cases"
	"openhall/internal/demo"
	"openhall/internal/hall"
	"openhall/internal/identity"
)

func login(t testing.TB, a *apptest.App, user string) *identity.Actor {
	t.Helper()
	_, actor, err := a.Services.Identity.Login(context.Background(), identity.LoginInput{Username: user, Password: demo.Password})
	if err != nil {
		t.Fatal(err)
	}
	return actor
}

func bundleNamed(t testing.TB, a *apptest.App, name string) *hall.Bundle {
	t.Helper()
	bs, err := a.Services.Hall.Bundles(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		if b.Name == name {
			return b
		}
	}
	t.Fatalf("no demo bundle %s", name)
	return nil
}

func pdf(name string) cases.MaterialFile {
	return cases.MaterialFile{FileName: name + ".pdf", SHA256: strings.Repeat("0", 63) + string(rune('a'+len(name)%6)), Size: 100, MIME: "application/pdf"}
}

// restaurant is a complete filing of 开办餐饮店.
func restaurant(t *testing.T, a *apptest.App, key, drains string) hall.Filing {
	form, err := a.Services.Hall.Form(context.Background(), nil, bundleNamed(t, a, "开办餐饮店").ID)
	if err != nil {
		t.Fatal(err)
	}
	in := hall.Filing{BundleID: form.Bundle.ID, Key: key, Note: "开一家小吃店",
		Shared: map[string]string{"店铺名称": "张三小吃店", "经营场所": "西湖区文三路 100 号", "是否向市政管网排放污水": drains},
		Own:    map[string]map[string]string{}, Files: map[string]cases.MaterialFile{}}
	for _, it := range form.Items {
		own := map[string]string{}
		for _, f := range it.Own {
			own[f.Name] = map[string]string{"经营范围": "小吃", "从业人数": "3", "经营面积（平方米）": "40", "主体业态": "餐饮服务经营者",
				"日排水量（立方米）": "1.5"}[f.Name]
		}
		in.Own[it.ImplCode] = own
	}
	for _, g := range form.Uploads() {
		in.Files[g.Key] = pdf(g.Name)
	}
	return in
}

// TestFileBundle: one combined form, one transaction, one case per item
// included, a shared material attached to every case needing it, one
// number and 查询密码 for the public lookup, on both backends.
func TestFileBundle(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		now := func() time.Time { return time.Date(2026, 3, 9, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)) }
		a := apptest.New(t, backend, apptest.Options{NoTree: true, Now: now})
		ctx := context.Background()
		if _, err := demo.Load(ctx, a.Stores, a.Services); err != nil {
			t.Fatal(err)
		}
		citizen := login(t, a, "citizen")
		filed, err := a.Services.Hall.FileBundle(ctx, citizen, restaurant(t, a, "b-1", "是"))
		if err != nil {
			t.Fatal(err)
		}
		app := filed.Application
		if len(app.Members) != 3 || !strings.HasPrefix(app.Number, "YJS") || len(filed.QueryCode) != 6 {
			t.Fatalf("filed: %+v", app)
		}
		again, err := a.Services.Hall.FileBundle(ctx, citizen, restaurant(t, a, "b-1", "是"))
		if err != nil || !again.Repeated || again.Application.ID != app.ID {
			t.Fatalf("a retry returns the first application: %+v %v", again, err)
		}
		checkMembers(t, a, citizen, app)
		v, err := a.Services.Hall.Lookup(ctx, app.Number, filed.QueryCode, "10.1.1.1")
		if err != nil || len(v.Cases) != 3 || v.Application.ApplicantName == "张三" || v.Cases[0].ID != 0 {
			t.Fatalf("public lookup: %+v %v", v, err)
		}
		if _, err := a.Services.Hall.Lookup(ctx, app.Number, "000000", "10.1.1.1"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("a wrong code: %v", err)
		}
		skip, err := a.Services.Hall.FileBundle(ctx, citizen, restaurant(t, a, "b-2", "否"))
		if err != nil || len(skip.Application.Members) != 2 {
			t.Fatalf("without drainage the 排水许可 is skipped: %+v %v", skip, err)
		}
	})
}

// checkMembers: the applicant sees every case; the shared 经营场所 reached
// each item's own field; the shared material is on both cases.
func checkMembers(t *testing.T, a *apptest.App, citizen *identity.Actor, app *hall.Application) {
	t.Helper()
	v, err := a.Services.Hall.Application(context.Background(), citizen, app.ID)
	if err != nil || v.QueryCode == "" || len(v.Cases) != 3 || v.Open != 3 {
		t.Fatalf("the applicant's view: %+v %v", v, err)
	}
	holders := 0
	for _, cv := range v.Cases {
		c, _, err := a.Services.Cases.Get(context.Background(), citizen, cv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(c.Form["summary"], "【一件事·开办餐饮店】") {
			t.Errorf("%s summary: %q", c.Procedure.ItemName, c.Form["summary"])
		}
		for _, m := range c.Materials {
			if m.FileName == "经营场所使用证明.pdf" {
				holders++
			}
		}
		if addr := c.Form["经营场所"] + c.Form["排水地址"]; addr != "西湖区文三路 100 号" {
			t.Errorf("%s: the shared address reached its field: %q", c.Procedure.ItemName, addr)
		}
	}
	if holders != 2 {
		t.Errorf("the shared material is attached to the 2 cases needing it, got %d", holders)
	}
}

// requiredUpload is the key of the first material of a bundle's form that
// every item asking for it requires unconditionally.
func requiredUpload(t *testing.T, a *apptest.App, bundleID int64) string {
	t.Helper()
	form, err := a.Services.Hall.Form(context.Background(), nil, bundleID)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range form.Uploads() {
		always := g.Required
		for _, u := range g.Uses {
			always = always && u.Required && u.Condition == ""
		}
		if always {
			return g.Key
		}
	}
	t.Fatal("the bundle's form requires no material unconditionally")
	return ""
}

// TestFileBundleRefusals: the combined form names its own fields; a
// company cannot file a person's bundle.
func TestFileBundleRefusals(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{NoTree: true})
	ctx := context.Background()
	if _, err := demo.Load(ctx, a.Stores, a.Services); err != nil {
		t.Fatal(err)
	}
	in := restaurant(t, a, "bad-1", "是")
	in.Shared["经营场所"] = ""
	for code := range in.Own {
		delete(in.Own[code], "从业人数")
		delete(in.Own[code], "经营面积（平方米）")
	}
	delete(in.Files, requiredUpload(t, a, in.BundleID))
	_, err := a.Services.Hall.FileBundle(ctx, login(t, a, "citizen"), in)
	fields := apperr.FieldsOf(err)
	var own, files int
	for k := range fields {
		own += b2i(strings.HasPrefix(k, "own."))
		files += b2i(strings.HasPrefix(k, "file."))
	}
	if fields["shared.经营场所"] == "" || own != 2 || files != 1 {
		t.Fatalf("errors by the combined form's fields: %v", fields)
	}
	if _, err := a.Services.Hall.FileBundle(ctx, login(t, a, "company"), restaurant(t, a, "bad-2", "是")); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a company filing a person's bundle: %v", err)
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
