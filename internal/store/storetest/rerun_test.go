package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"openhall/internal/disclosure"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/store/sqlite"
)

// On SQLite a write transaction's function runs a second time whenever
// another function of its group fails. With every function run twice (the
// first run rolled back), each create still creates and answers with the
// record it made: a function that kept the first run's record would take the
// update path with the rolled-back ID and fail.
func TestCreatesSurviveRerun(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, sqlite.Options{Path: filepath.Join(t.TempDir(), "twice.db"), RunTwice: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	e := newDisclosureEnv(t, db.Stores(), nil) // regions, a centre, a department, an agency, staff
	sys := identity.SystemActor()
	w, err := e.sv.Org.SaveWindow(ctx, sys, 0, org.WindowInput{CentreID: e.tree.Centre.ID, Number: "A01", Name: "综合窗口",
		Kind: org.WindowComprehensive, DepartmentIDs: []int64{e.tree.Department.ID}})
	if err != nil || w.ID == 0 || w.Number != "A01" {
		t.Fatalf("create window: %+v %v", w, err)
	}
	d := e.draft(t, disclosure.DocInput{Title: "关于重跑事务的通知", Body: "正文"})
	if d.ID == 0 || d.Title != "关于重跑事务的通知" {
		t.Fatalf("draft: %+v", d)
	}
	r, err := e.d.SubmitRequest(ctx, e.drafter, disclosure.RequestInput{AgencyID: e.agency.ID, ApplicantType: disclosure.ApplicantPerson,
		Name: "张三", Phone: "13800138000", Description: "2025年老旧小区改造项目清单", Delivery: "电子邮件",
		Channel: disclosure.ChannelInPerson, ReceivedOn: "2026-03-18"})
	if err != nil || r.ID == 0 || r.Number == "" {
		t.Fatalf("register request: %+v %v", r, err)
	}
	centres, err1 := e.sv.Org.Centres(ctx, org.CentreFilter{})
	agencies, err2 := e.d.Agencies(ctx, disclosure.AgencyFilter{})
	if len(centres) != 1 || len(agencies) != 1 || err1 != nil || err2 != nil {
		t.Fatalf("%d centres, %d agencies after one create each (%v %v)", len(centres), len(agencies), err1, err2)
	}
}
