package hall_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"openhall/internal/apptest"
	"openhall/internal/cases"
	"openhall/internal/demo"
	"openhall/internal/hall"
	"openhall/internal/identity"
)

// BenchmarkBundleSubmission files a 5-item 一件事 (the four items of
// 新生儿出生 and the first of 失业人员就业服务, all for persons, online, of
// 西湖区) through the service and, in the same run, the first of those items
// alone. The 5-item filing should take at most three times the single one:
// compare the ns/op of Bundle5 with Single.
//
//	go test -run '^$' -bench BundleSubmission -count 3 ./internal/hall
func BenchmarkBundleSubmission(b *testing.B) {
	now := func() time.Time { return time.Date(2026, 3, 9, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)) }
	a := apptest.New(b, "sqlite", apptest.Options{NoTree: true, Now: now})
	ctx := context.Background()
	if _, err := demo.Load(ctx, a.Stores, a.Services); err != nil {
		b.Fatal(err)
	}
	citizen := login(b, a, "citizen")
	form := fiveItemForm(b, a)
	b.Run("Single", func(b *testing.B) {
		in := singleFiling(form.Items[0])
		for i := 0; b.Loop(); i++ {
			in.Key = "single-" + strconv.Itoa(i)
			if _, err := a.Services.Cases.File(ctx, citizen, in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Bundle5", func(b *testing.B) {
		in := bundleFiling(form)
		for i := 0; b.Loop(); i++ {
			in.Key = "bundle-" + strconv.Itoa(i)
			filed, err := a.Services.Hall.FileBundle(ctx, citizen, in)
			if err != nil || len(filed.Application.Members) != 5 {
				b.Fatalf("%+v %v", filed, err)
			}
		}
	})
}

// fiveItemForm defines and activates the 5-item bundle and returns its
// combined form.
func fiveItemForm(b *testing.B, a *apptest.App) *hall.Form {
	ctx, sys := context.Background(), identity.SystemActor()
	born, jobs := bundleNamed(b, a, "新生儿出生"), bundleNamed(b, a, "失业人员就业服务")
	in := hall.BundleInput{RegionID: born.RegionID, Name: "五项联办（性能测试）", Audience: hall.ForPerson}
	for _, it := range append(born.Items[:4:4], jobs.Items[0]) {
		in.Items = append(in.Items, hall.BundleItem{ImplCode: it.ImplCode})
	}
	saved, err := a.Services.Hall.SaveBundle(ctx, sys, 0, in)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := a.Services.Hall.SetBundleStatus(ctx, sys, saved.ID, hall.BundleActive); err != nil {
		b.Fatal(err)
	}
	form, err := a.Services.Hall.Form(ctx, nil, saved.ID)
	if err != nil || len(form.Items) != 5 {
		b.Fatalf("the 5-item form: %+v %v", form, err)
	}
	return form
}

// singleFiling is a complete application for one item of the form.
func singleFiling(it hall.FormItem) cases.FileInput {
	in := cases.FileInput{ItemVersionID: it.VersionID, Form: map[string]string{"summary": "性能测试"}}
	for _, fd := range it.Procedure.Fields {
		in.Form[fd.Name] = valueFor(fd)
	}
	for _, m := range it.Procedure.Materials {
		f := pdf(m.Name)
		f.Code = m.Code
		in.Materials = append(in.Materials, f)
	}
	return in
}

// bundleFiling is a complete filing of the form.
func bundleFiling(form *hall.Form) hall.Filing {
	in := hall.Filing{BundleID: form.Bundle.ID, Note: "性能测试", Shared: map[string]string{},
		Own: map[string]map[string]string{}, Files: map[string]cases.MaterialFile{}}
	for _, it := range form.Items {
		own := map[string]string{}
		for _, fd := range it.Own {
			own[fd.Name] = valueFor(fd)
		}
		in.Own[it.ImplCode] = own
	}
	for _, g := range form.Uploads() {
		in.Files[g.Key] = pdf(g.Name)
	}
	return in
}

// valueFor is a valid answer to a form field of any type.
func valueFor(fd cases.Field) string {
	switch fd.Type {
	case cases.FieldNumber:
		if fd.MinValue != nil {
			return fmt.Sprint(*fd.MinValue)
		}
		return "1"
	case cases.FieldDate:
		return "2026-03-01"
	case cases.FieldChoice:
		return fd.Choices[0]
	case cases.FieldEmail:
		return "zhang@example.cn"
	case cases.FieldPhone:
		return "13987654321"
	}
	return "测试"
}
