package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/complaint"
	"openhall/internal/demo"
	"openhall/internal/org"
)

// TestComplaintPagePhoneMasked: the desk's complaint page shows the
// complainant's phone masked; 显示完整号码 shows it in full.
func TestComplaintPagePhoneMasked(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		const full, masked = "13800002222", "138****2222"
		a := ratingsAppOn(t, backend)
		ws, err := a.Services.Org.Windows(context.Background(), org.WindowFilter{})
		if err != nil || len(ws) < 2 {
			t.Fatal(ws, err)
		}
		filed, err := a.Services.Complaints.Submit(context.Background(), nil, complaint.Input{Kind: complaint.KindComplaint,
			Subject: complaint.SubjectWindow, WindowID: ws[1].ID, Content: "窗口无人值守很久", Name: "王五", Phone: full})
		if err != nil {
			t.Fatal(err)
		}
		page := fmt.Sprintf("/complaints/%d", filed.Complaint.ID)
		b := newBrowser(t, a)
		b.login("supervisor", demo.Password)
		checkPhoneReveal(t, b, page, masked, full)
	})
}

// checkPhoneReveal checks that page shows the phone masked with a
// 显示完整号码 button, and in full once it is pressed.
func checkPhoneReveal(t *testing.T, b *browser, page, masked, full string) {
	t.Helper()
	p := b.get(page)
	button := p.doc.Find(`form[action="` + page + `/phone"] button`)
	if txt := p.doc.Find("main").Text(); !strings.Contains(txt, masked) || strings.Contains(txt, full) || button.Text() != "显示完整号码" {
		t.Fatalf("%s: %d %s", page, p.status, txt)
	}
	if p := b.post(page, page+"/phone", url.Values{}); p.status != http.StatusOK || !strings.Contains(p.doc.Find("main").Text(), full) {
		t.Fatalf("显示完整号码: %d %s", p.status, p.doc.Find("main").Text())
	}
}
