package web_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"openhall/internal/apptest"
	"openhall/internal/calendar"
	"openhall/internal/certs"
	"openhall/internal/identity"
	"openhall/internal/store/storetest"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// issueLicence issues a certificate to holder (an account id, 0 for none).
func issueLicence(t *testing.T, a *apptest.App, holder int64) *certs.Certificate {
	t.Helper()
	to := calendar.NewDate(2099, 12, 31)
	c, err := a.Services.Certs.Issue(context.Background(), identity.SystemActor(), certs.IssueInput{
		CentreID: a.Tree.Centre.ID, HolderUserID: holder, Data: certs.Data{Name: "食品经营许可证",
			Holder:   certs.Holder{Name: "张三丰", IDType: certs.IDResident, IDNumber: storetest.IDNumber(7)},
			ItemName: "食品经营许可", ValidFrom: calendar.NewDate(2026, 1, 1), ValidTo: &to, IssuerName: "西湖区市场监督管理局",
			IssuerCreditCode: storetest.CreditCode(1), IssueDate: calendar.NewDate(2026, 1, 1), CaseNumber: "XH2026-00007",
			Fields: map[string]string{"经营项目": "预包装食品销售"}}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCertificatePages(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a := apptest.New(t, backend, apptest.Options{})
		holder := a.Citizen(t, "holder", "张三丰", 7, "", "")
		a.Citizen(t, "stranger", "李四", 8, "", "")
		c := issueLicence(t, a, holder.ID)
		t.Run("PublicVerification", func(t *testing.T) { publicVerification(t, a, c) })
		t.Run("QRCode", func(t *testing.T) { qrCode(t, a, c) })
		t.Run("PrintableView", func(t *testing.T) { printableView(t, a, c) })
		t.Run("Revoked", func(t *testing.T) {
			if _, err := a.Services.Certs.Revoke(context.Background(), identity.SystemActor(), c.ID, "许可已注销"); err != nil {
				t.Fatal(err)
			}
			p := newBrowser(t, a).get("/verify/" + url.PathEscape(c.Number()))
			if v := p.doc.Find(".verdict strong").Text(); v != "已撤销" || !strings.Contains(p.doc.Find(".verdict").Text(), "许可已注销") {
				t.Fatalf("verdict after revocation: %q", p.doc.Find(".verdict").Text())
			}
		})
		t.Run("Unknown", func(t *testing.T) {
			if p := newBrowser(t, a).get("/verify/DZ-NOPE"); p.status != http.StatusNotFound || !strings.Contains(p.body, "未找到编号为 DZ-NOPE") {
				t.Fatalf("unknown number: %d", p.status)
			}
		})
	})
}

func publicVerification(t *testing.T, a *apptest.App, c *certs.Certificate) {
	p := newBrowser(t, a).get("/verify/" + url.PathEscape(c.Number()))
	if p.status != http.StatusOK {
		t.Fatalf("status %d", p.status)
	}
	if v := p.doc.Find(".verdict.verdict-valid strong").Text(); v != "有效" {
		t.Fatalf("verdict %q", v)
	}
	if role, _ := p.doc.Find(".verdict").Attr("role"); role != "status" {
		t.Errorf("the verdict is not announced (role %q)", role)
	}
	if strings.Contains(p.body, "张三丰") || strings.Contains(p.body, storetest.IDNumber(7)) || !strings.Contains(p.body, "张**") {
		t.Fatal("the public page shows the holder unmasked")
	}
	if strings.Contains(p.body, "预包装食品销售") {
		t.Fatal("the public page shows the free fields")
	}
	if src, _ := p.doc.Find(".cert-qr img").Attr("src"); src != "/verify/"+url.PathEscape(c.Number())+"/qr.png" {
		t.Fatalf("QR image %q", src)
	}
}

// qrCode decodes the PNG and finds the absolute verification URL in it.
func qrCode(t *testing.T, a *apptest.App, c *certs.Certificate) {
	res, err := a.Client(t).Get(a.URL("/verify/" + url.PathEscape(c.Number()) + "/qr.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("status %d, type %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if got, want := decodeQR(t, body), a.URL("/verify/"+url.PathEscape(c.Number())); got != want {
		t.Fatalf("QR code says %q, want %q", got, want)
	}
	if res, _ := a.Client(t).Get(a.URL("/verify/DZ-NOPE/qr.png")); res.StatusCode != http.StatusNotFound {
		t.Fatalf("QR code of an unknown number: %d", res.StatusCode)
	}
}

func decodeQR(t *testing.T, data []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	return decodeImage(t, img)
}

func decodeImage(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	// The image is the code alone (a pure barcode): read it module by
	// module. Without the hint the reader's finder-pattern search misses on
	// about 1 in 500 perfectly valid codes.
	pure := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, pure)
	if err != nil {
		t.Fatalf("QR code does not decode: %v", err)
	}
	return res.GetText()
}

func printableView(t *testing.T, a *apptest.App, c *certs.Certificate) {
	path := "/certificates/" + url.PathEscape(c.Number())
	if p := newBrowser(t, a).get(path); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login") {
		t.Fatalf("anonymous: %d %s", p.status, p.location)
	}
	for _, tc := range []struct {
		user   string
		status int
	}{{"holder", http.StatusOK}, {"stranger", http.StatusForbidden}} {
		b := newBrowser(t, a)
		b.login(tc.user, "secret123")
		p := b.get(path)
		if p.status != tc.status {
			t.Fatalf("%s: status %d, want %d", tc.user, p.status, tc.status)
		}
		if tc.status != http.StatusOK {
			continue
		}
		if p.doc.Find("article.certificate h1").Text() != "食品经营许可证" || !strings.Contains(p.body, storetest.IDNumber(7)) || !strings.Contains(p.body, "预包装食品销售") {
			t.Fatalf("the holder's view lacks the full data: %s", p.doc.Find("article.certificate").Text())
		}
		if p.doc.Find(`link[href="/static/css/certs.css"]`).Length() != 1 || p.doc.Find(`link[media=print]`).Length() != 1 {
			t.Fatal("the certificate has no print stylesheet")
		}
	}
}

func TestCertKeysAdmin(t *testing.T) {
	a := apptest.New(t, "sqlite", apptest.Options{})
	a.Staff(t, "root", "sysadmin", nil, nil)
	a.Staff(t, "clerk", "window_clerk", &a.Tree.County.ID, nil)
	old := issueLicence(t, a, 0)
	b := newBrowser(t, a)
	b.login("root", "secret123")
	p := b.get("/admin/cert-keys")
	if p.status != http.StatusOK || !strings.Contains(p.doc.Find("tbody").Text(), a.Tree.Centre.Name) {
		t.Fatalf("keys page: %d", p.status)
	}
	before := p.doc.Find("tbody td .mono").First().Text()
	r := b.post("/admin/cert-keys", "/admin/cert-keys/"+idStr(a.Tree.Centre.ID)+"/rotate", url.Values{})
	if r.status != http.StatusSeeOther {
		t.Fatalf("rotate: %d %s", r.status, r.doc.Find(".error-message, main").Text())
	}
	after := b.get("/admin/cert-keys")
	if now := after.doc.Find("tbody td .mono").First().Text(); now == before || !strings.Contains(after.body, "停用于") {
		t.Fatalf("after rotation the active key is %s (was %s)", now, before)
	}
	if res, _ := a.Services.Certs.Verify(context.Background(), old.Number()); !res.Valid {
		t.Fatalf("a certificate of the rotated key: %+v", res)
	}
	c := newBrowser(t, a)
	c.login("clerk", "secret123")
	if p := c.get("/admin/cert-keys"); p.status != http.StatusForbidden {
		t.Fatalf("a clerk opens the keys page: %d", p.status)
	}
}
