package certs_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/certs"
)

func sample() *certs.Certificate {
	to := calendar.NewDate(2031, 5, 31)
	return &certs.Certificate{CentreID: 3, KeyID: 7, IssuedAt: time.Date(2026, 6, 1, 2, 3, 4, 567891000, time.UTC),
		Data: certs.Data{Number: "DZ20260601-0003-7K9QF2XA", Name: "食品经营许可证",
			Holder:   certs.Holder{Name: "张三", IDType: certs.IDResident, IDNumber: "11010519491231002X"},
			ItemName: "食品经营许可", ItemCode: "XK00001000", ValidFrom: calendar.NewDate(2026, 6, 1), ValidTo: &to,
			IssuerName: "西湖区市场监督管理局", IssuerCreditCode: "11330100000000001X", IssueDate: calendar.NewDate(2026, 6, 1),
			CaseNumber: "XH2026-00001", Fields: map[string]string{"经营项目": "预包装食品销售", "b": "x\ny"}}}
}

// TestSigningBytesGolden pins the canonical encoding: changing it would make
// every certificate issued so far fail verification.
func TestSigningBytesGolden(t *testing.T) {
	want := "OPENHALL-ECERT/1\n" +
		"number=24:DZ20260601-0003-7K9QF2XA\n" +
		"name=21:食品经营许可证\n" +
		"holder.name=6:张三\n" +
		"holder.id_type=11:resident_id\n" +
		"holder.id_number=18:11010519491231002X\n" +
		"item.name=18:食品经营许可\n" +
		"item.code=10:XK00001000\n" +
		"valid_from=10:2026-06-01\n" +
		"valid_to=10:2031-05-31\n" +
		"issuer.name=30:西湖区市场监督管理局\n" +
		"issuer.code=18:11330100000000001X\n" +
		"issue_date=10:2026-06-01\n" +
		"case_number=12:XH2026-00001\n" +
		"centre_id=1:3\n" +
		"key_id=1:7\n" +
		"issued_at=27:2026-06-01T02:03:04.567891Z\n" +
		"field.b=3:x\ny\n" +
		"field.经营项目=21:预包装食品销售\n"
	if got := string(certs.SigningBytes(sample())); got != want {
		t.Fatalf("canonical bytes changed:\n%s\nwant:\n%s", got, want)
	}
	open := sample()
	open.Data.ValidTo = nil
	if !strings.Contains(string(certs.SigningBytes(open)), "valid_to=0:\n") {
		t.Fatal("an open-ended validity is not an empty valid_to")
	}
}

// TestSigningBytesUnambiguous: moving text from one field to the next
// changes the bytes, thanks to the length prefixes.
func TestSigningBytesUnambiguous(t *testing.T) {
	a, b := sample(), sample()
	a.Data.ItemName, a.Data.ItemCode = "食品经营许可\nitem.code=10:X", "K00001000"
	b.Data.ItemName, b.Data.ItemCode = "食品经营许可", "\nitem.code=10:XK00001000"
	if bytes.Equal(certs.SigningBytes(a), certs.SigningBytes(b)) {
		t.Fatal("two different certificates encode to the same bytes")
	}
}

func TestSealer(t *testing.T) {
	s, _ := certs.NewSealer(bytes.Repeat([]byte{1}, certs.KEKSize))
	sealed := s.Seal([]byte("private"), []byte("public-1"))
	if got, err := s.Open(sealed, []byte("public-1")); err != nil || string(got) != "private" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := s.Open(sealed, []byte("public-2")); !errors.Is(err, certs.ErrWrongKEK) {
		t.Fatalf("moved to another key's row: %v", err)
	}
	other, _ := certs.NewSealer(bytes.Repeat([]byte{2}, certs.KEKSize))
	if _, err := other.Open(sealed, []byte("public-1")); !errors.Is(err, certs.ErrWrongKEK) || !strings.Contains(err.Error(), "--cert-kek") {
		t.Fatalf("wrong KEK: %v", err)
	}
	if bytes.Equal(sealed, s.Seal([]byte("private"), []byte("public-1"))) {
		t.Fatal("two seals of the same key are identical: the nonce is not random")
	}
}

func TestKEKFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cert-kek")
	kek, created, err := certs.LoadOrCreateKEKFile(path)
	if err != nil || !created || len(kek) != certs.KEKSize {
		t.Fatalf("create: %x %v %v", kek, created, err)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", info.Mode().Perm())
	}
	again, created, err := certs.LoadOrCreateKEKFile(path)
	if err != nil || created || !bytes.Equal(again, kek) {
		t.Fatalf("reload: %x %v %v", again, created, err)
	}
	os.WriteFile(path, []byte("not hex"), 0o600)
	if _, _, err := certs.LoadOrCreateKEKFile(path); err == nil {
		t.Fatal("a damaged KEK file was accepted")
	}
	if _, err := certs.ParseKEK("00112233445566778899aabbccddeeff"); err != nil {
		t.Fatal(err)
	}
	if _, err := certs.ParseKEK("0011"); err == nil {
		t.Fatal("a short KEK was accepted")
	}
}

func TestNewNumber(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		n := certs.NewNumber(calendar.NewDate(2026, 3, 15), 12)
		if !strings.HasPrefix(n, "DZ20260315-0012-") || len(n) != len("DZ20260315-0012-")+8 || strings.ContainsAny(n[16:], "01IO") || seen[n] {
			t.Fatalf("number %q", n)
		}
		seen[n] = true
	}
}

func TestQRCodePNG(t *testing.T) {
	png, err := certs.QRCodePNG("https://zw.example.gov.cn/verify/DZ20260315-0012-ABCDEFGH")
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("QR: %d bytes, %v", len(png), err)
	}
}
