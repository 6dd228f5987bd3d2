package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"sync"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/certs"
	"openhall/internal/identity"
)

var testKEK = bytes.Repeat([]byte{0x5a}, certs.KEKSize)

// certsFixture is a certificate service over one test database.
type certsFixture struct {
	sv    *Services
	tr    *Tree
	certs *certs.Service
	b     Backend
	today time.Time
}

func newCertsFixture(t *testing.T, b Backend) *certsFixture {
	now := func() time.Time { return time.Date(2026, 6, 1, 2, 3, 4, 567891234, time.UTC) }
	sv := NewServices(b.Open(t, now), now)
	f := &certsFixture{sv: sv, tr: BuildTree(t, sv), b: b, today: now()}
	f.certs = f.service(t, testKEK, nil)
	return f
}

func (f *certsFixture) service(t *testing.T, kek []byte, auth certs.Authorizer) *certs.Service {
	s, err := certs.NewService(f.sv.Stores.Certs, f.sv.Org, f.sv.Stores, f.sv.Audit,
		certs.Options{KEK: kek, Now: func() time.Time { return f.today }, Authorize: auth})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// certData is a food business licence for holder n.
func certData(n int) certs.Data {
	to := calendar.NewDate(2031, 5, 31)
	return certs.Data{Name: "食品经营许可证", Holder: certs.Holder{Name: "张三丰", IDType: certs.IDResident, IDNumber: IDNumber(n)},
		ItemName: "食品经营许可", ItemCode: "XK00001000", ValidFrom: calendar.NewDate(2026, 6, 1), ValidTo: &to,
		IssuerName: "西湖区市场监督管理局", IssuerCreditCode: CreditCode(1), IssueDate: calendar.NewDate(2026, 6, 1),
		CaseNumber: fmt.Sprintf("XH2026-%05d", n), Fields: map[string]string{"经营项目": "预包装食品销售", "经营场所": "文三路 1 号"}}
}

func (f *certsFixture) issue(t *testing.T, n int, holder int64) *certs.Certificate {
	t.Helper()
	c, err := f.certs.Issue(context.Background(), identity.SystemActor(), certs.IssueInput{CentreID: f.tr.Centre.ID, HolderUserID: holder, Data: certData(n)})
	if err != nil {
		t.Fatalf("issue: %v", err)
	}
	return c
}

func (f *certsFixture) status(t *testing.T, number string) certs.Status {
	t.Helper()
	r, err := f.certs.Verify(context.Background(), number)
	if err != nil {
		t.Fatalf("verify %s: %v", number, err)
	}
	if r.Valid != (r.Status == certs.StatusValid) || r.Revoked != (r.Certificate.Revoked()) {
		t.Fatalf("inconsistent result %+v", r)
	}
	return r.Status
}

func TestCerts(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		t.Run("IssueAndVerify", func(t *testing.T) { issueAndVerify(t, newCertsFixture(t, b)) })
		t.Run("Rotation", func(t *testing.T) { rotation(t, newCertsFixture(t, b)) })
		t.Run("Revoke", func(t *testing.T) { revoke(t, newCertsFixture(t, b)) })
		t.Run("Tampering", func(t *testing.T) { tampering(t, newCertsFixture(t, b)) })
		t.Run("WrongKEK", func(t *testing.T) { wrongKEK(t, newCertsFixture(t, b)) })
		t.Run("Validity", func(t *testing.T) { validity(t, newCertsFixture(t, b)) })
		t.Run("Validation", func(t *testing.T) { certValidation(t, newCertsFixture(t, b)) })
		t.Run("View", func(t *testing.T) { certView(t, newCertsFixture(t, b)) })
		t.Run("ConcurrentFirstUse", func(t *testing.T) { concurrentFirstUse(t, newCertsFixture(t, b)) })
	})
}

var numberPattern = regexp.MustCompile(`^DZ20260601-\d{4,}-[2-9A-HJ-NP-Z]{8}$`)

func issueAndVerify(t *testing.T, f *certsFixture) {
	ctx := context.Background()
	c := f.issue(t, 1, 0)
	if !numberPattern.MatchString(c.Number()) || c.KeyID == 0 || len(c.Signature) == 0 {
		t.Fatalf("issued %+v", c)
	}
	r, err := f.certs.Verify(ctx, c.Number())
	if err != nil || !r.Valid || r.Status != certs.StatusValid || r.Key == nil || r.Key.ID != c.KeyID {
		t.Fatalf("verify: %+v %v", r, err)
	}
	got := r.Certificate
	if !got.IssuedAt.Equal(c.IssuedAt) || got.Data.Fields["经营项目"] != "预包装食品销售" || *got.Data.ValidTo != *c.Data.ValidTo {
		t.Fatalf("stored %+v, issued %+v", got, c)
	}
	if r, err := f.certs.VerifyID(ctx, c.ID); err != nil || !r.Valid {
		t.Fatalf("verify by id: %+v %v", r, err)
	}
	if _, err := f.certs.Verify(ctx, "DZ-NONE"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("unknown number: %v", err)
	}
	second := f.issue(t, 2, 0)
	if second.KeyID != c.KeyID {
		t.Fatalf("second certificate signed with key %d, first with %d: the key is made once per centre", second.KeyID, c.KeyID)
	}
	list, err := f.certs.Certificates(ctx, certs.CertificateFilter{CaseNumber: c.Data.CaseNumber})
	if err != nil || len(list) != 1 || list[0].ID != c.ID {
		t.Fatalf("by case number: %v %v", list, err)
	}
	dup := certData(3)
	dup.Number = c.Number()
	_, err = f.certs.Issue(ctx, identity.SystemActor(), certs.IssueInput{CentreID: f.tr.Centre.ID, Data: dup})
	if apperr.FieldsOf(err)["number"] == "" {
		t.Fatalf("duplicate number: %v", err)
	}
	assertAudited(t, f.sv, "certs.key.create", "certs.issue")
}

func assertAudited(t *testing.T, sv *Services, actions ...string) {
	t.Helper()
	for _, action := range actions {
		es, err := sv.Audit.Find(context.Background(), audit.Filter{Action: action})
		if err != nil || len(es) == 0 {
			t.Errorf("no audit entry %s: %v", action, err)
			continue
		}
		if bytes.Contains(es[0].Detail, []byte("张三丰")) || bytes.Contains(es[0].Detail, []byte(IDNumber(1))) {
			t.Errorf("audit entry %s holds unmasked personal data: %s", action, es[0].Detail)
		}
	}
}

func rotation(t *testing.T, f *certsFixture) {
	ctx := context.Background()
	old := f.issue(t, 1, 0)
	k, err := f.certs.Rotate(ctx, identity.SystemActor(), f.tr.Centre.ID)
	if err != nil || k.ID == old.KeyID || !k.Active() {
		t.Fatalf("rotate: %+v %v", k, err)
	}
	fresh := f.issue(t, 2, 0)
	if fresh.KeyID != k.ID {
		t.Fatalf("issued with key %d after rotation to %d", fresh.KeyID, k.ID)
	}
	if f.status(t, old.Number()) != certs.StatusValid || f.status(t, fresh.Number()) != certs.StatusValid {
		t.Fatal("a certificate of the retired key or of the new key does not verify")
	}
	keys, err := f.certs.Keys(ctx, identity.SystemActor())
	if err != nil || len(keys) != 1 || len(keys[0].Keys) != 2 || keys[0].Active().ID != k.ID || keys[0].Keys[1].Active() {
		t.Fatalf("keys: %+v %v", keys, err)
	}
	_, clerk := Staff(t, f.sv, "clerk1", identity.RoleWindowClerk, &f.tr.County.ID, nil)
	if _, err := f.certs.Rotate(ctx, clerk, f.tr.Centre.ID); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("rotate by a clerk: %v", err)
	}
	assertAudited(t, f.sv, "certs.key.rotate")
}

func revoke(t *testing.T, f *certsFixture) {
	ctx := context.Background()
	c := f.issue(t, 1, 0)
	_, approver := Staff(t, f.sv, "appr1", identity.RoleApprover, &f.tr.County.ID, &f.tr.Department.ID)
	if _, err := f.certs.Revoke(ctx, approver, c.ID, "错误签发"); !apperr.Is(err, apperr.Forbidden) {
		t.Fatalf("revoke by an approver: %v", err)
	}
	_, head := Staff(t, f.sv, "head1", identity.RoleDeptHead, &f.tr.County.ID, &f.tr.Department.ID)
	if _, err := f.certs.Revoke(ctx, head, c.ID, "  "); apperr.FieldsOf(err)["reason"] == "" {
		t.Fatalf("revoke without a reason: %v", err)
	}
	if _, err := f.certs.Revoke(ctx, head, c.ID, "经营场所已变更"); err != nil {
		t.Fatal(err)
	}
	r, _ := f.certs.Verify(ctx, c.Number())
	if r.Status != certs.StatusRevoked || r.Valid || !r.Revoked || r.Certificate.RevokeReason != "经营场所已变更" {
		t.Fatalf("after revocation: %+v", r)
	}
	if _, err := f.certs.Revoke(ctx, head, c.ID, "再次"); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("second revocation: %v", err)
	}
	assertAudited(t, f.sv, "certs.revoke")
}

// tampering edits stored rows behind the service's back; each edit must
// make the certificate fail verification.
func tampering(t *testing.T, f *certsFixture) {
	edits := []struct {
		name string
		sql  string
		args func(c *certs.Certificate) []any
	}{
		{"HolderName", `UPDATE certificates SET data = replace(data, '张三丰', '李四') WHERE id = ?`, idArg},
		{"ValidTo", `UPDATE certificates SET data = replace(data, '2031-05-31', '2041-05-31') WHERE id = ?`, idArg},
		{"FreeField", `UPDATE certificates SET data = replace(data, '预包装食品销售', '散装食品销售') WHERE id = ?`, idArg},
		{"Signature", `UPDATE certificates SET signature = ? WHERE id = ?`, func(c *certs.Certificate) []any {
			sig := bytes.Clone(c.Signature)
			sig[len(sig)-1] ^= 1
			return []any{sig, c.ID}
		}},
		{"IssuedAt", `UPDATE certificates SET issued_at = issued_at + ? WHERE id = ?`, func(c *certs.Certificate) []any {
			return []any{f.issuedAtShift(), c.ID}
		}},
	}
	for i, e := range edits {
		t.Run(e.name, func(t *testing.T) {
			c := f.issue(t, 10+i, 0)
			f.b.Exec(t, f.sv.Stores, e.sql, e.args(c)...)
			if s := f.status(t, c.Number()); s != certs.StatusBadSignature {
				t.Fatalf("after editing %s: status %s, want %s", e.name, s, certs.StatusBadSignature)
			}
		})
	}
	t.Run("KeyID", func(t *testing.T) {
		c := f.issue(t, 20, 0)
		k, err := f.certs.Rotate(context.Background(), identity.SystemActor(), f.tr.Centre.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.b.Exec(t, f.sv.Stores, `UPDATE certificates SET key_id = ? WHERE id = ?`, k.ID, c.ID)
		if s := f.status(t, c.Number()); s != certs.StatusBadSignature {
			t.Fatalf("after pointing at another key: %s", s)
		}
	})
}

func idArg(c *certs.Certificate) []any { return []any{c.ID} }

// issuedAtShift is one second in the backend's representation of a time.
func (f *certsFixture) issuedAtShift() any {
	if f.b.Name == "postgres" {
		return time.Second
	}
	return int64(time.Second / time.Microsecond)
}

func wrongKEK(t *testing.T, f *certsFixture) {
	ctx := context.Background()
	c := f.issue(t, 1, 0)
	other := f.service(t, bytes.Repeat([]byte{0xa5}, certs.KEKSize), nil)
	_, err := other.Issue(ctx, identity.SystemActor(), certs.IssueInput{CentreID: f.tr.Centre.ID, Data: certData(2)})
	if !errors.Is(err, certs.ErrWrongKEK) || !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("issue under the wrong KEK: %v", err)
	}
	if err := other.CheckKEK(ctx); !errors.Is(err, certs.ErrWrongKEK) {
		t.Fatalf("check under the wrong KEK: %v", err)
	}
	if r, err := other.Verify(ctx, c.Number()); err != nil || !r.Valid {
		t.Fatalf("verification needs no private key, but: %+v %v", r, err)
	}
	if err := f.certs.CheckKEK(ctx); err != nil {
		t.Fatalf("check under the right KEK: %v", err)
	}
	if _, err := certs.NewService(f.sv.Stores.Certs, f.sv.Org, f.sv.Stores, f.sv.Audit, certs.Options{KEK: []byte("short")}); err == nil {
		t.Fatal("a 5-byte KEK was accepted")
	}
}

func validity(t *testing.T, f *certsFixture) {
	c := f.issue(t, 1, 0)
	f.today = time.Date(2031, 6, 1, 0, 0, 0, 0, time.UTC)
	if s := f.status(t, c.Number()); s != certs.StatusExpired {
		t.Fatalf("after its validity: %s", s)
	}
	f.today = time.Date(2026, 5, 31, 12, 0, 0, 0, time.UTC) // 20:00 in China, still 31 May
	if s := f.status(t, c.Number()); s != certs.StatusNotYetValid {
		t.Fatalf("before its validity: %s", s)
	}
	open := certData(2)
	open.ValidTo = nil
	f.today = time.Date(2060, 1, 1, 0, 0, 0, 0, time.UTC)
	lt, err := f.certs.Issue(context.Background(), identity.SystemActor(), certs.IssueInput{CentreID: f.tr.Centre.ID, Data: open})
	if err != nil || f.status(t, lt.Number()) != certs.StatusValid {
		t.Fatalf("long-term certificate: %v", err)
	}
}

func certValidation(t *testing.T, f *certsFixture) {
	ctx, sys := context.Background(), identity.SystemActor()
	bad := certData(1)
	bad.Name, bad.Holder.IDNumber, bad.IssuerCreditCode, bad.Number = "", "330106199001010000", "123", "有 空格"
	before := calendar.NewDate(2026, 1, 1)
	bad.ValidTo = &before
	bad.Fields["控制\x01字符"] = "x"
	_, err := f.certs.Issue(ctx, sys, certs.IssueInput{CentreID: f.tr.Centre.ID, Data: bad})
	for _, field := range []string{"name", "holder_id_number", "issuer_code", "number", "valid_to", "fields"} {
		if apperr.FieldsOf(err)[field] == "" {
			t.Errorf("no error on %s: %v", field, err)
		}
	}
	if _, err := f.certs.Issue(ctx, sys, certs.IssueInput{CentreID: 999999, Data: certData(1)}); apperr.FieldsOf(err)["centre_id"] == "" {
		t.Errorf("unknown centre: %v", err)
	}
	_, citizen := Citizen(t, f.sv, "citizen1", "王五", 5, "", "")
	if _, err := f.certs.Issue(ctx, citizen, certs.IssueInput{CentreID: f.tr.Centre.ID, Data: certData(1)}); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("issue by a citizen: %v", err)
	}
}

func certView(t *testing.T, f *certsFixture) {
	ctx := context.Background()
	holder, holderActor := Citizen(t, f.sv, "holder1", "张三丰", 1, "", "")
	_, stranger := Citizen(t, f.sv, "stranger", "路人甲", 2, "", "")
	_, clerk := Staff(t, f.sv, "clerk9", identity.RoleWindowClerk, &f.tr.County.ID, nil)
	_, farClerk := Staff(t, f.sv, "clerk8", identity.RoleWindowClerk, &f.tr.OtherCounty.ID, nil)
	_, supervisor := Staff(t, f.sv, "super9", identity.RoleSupervisor, &f.tr.County.ID, nil)
	c := f.issue(t, 1, holder.ID)
	m := c.Data.Masked()
	for _, tc := range []struct {
		name   string
		actor  *identity.Actor
		code   apperr.Code
		masked bool // personal data is shown in full only to its owner and those who handle it
	}{
		{"Holder", holderActor, "", false}, {"StaffOfTheRegion", clerk, "", false}, {"SupervisorOfTheRegion", supervisor, "", true},
		{"Stranger", stranger, apperr.Forbidden, false}, {"StaffElsewhere", farClerk, apperr.Forbidden, false},
		{"Anonymous", nil, apperr.Unauthenticated, false},
	} {
		res, err := f.certs.View(ctx, tc.actor, c.Number())
		if apperr.CodeOf(err) != tc.code {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.code)
		}
		if err == nil && (res.Masked != tc.masked || (res.Certificate.Data.Holder == m.Holder) != tc.masked) {
			t.Errorf("%s: masked %v, holder %+v", tc.name, res.Masked, res.Certificate.Data.Holder)
		}
	}
	hooked := f.service(t, testKEK, func(_ context.Context, a *identity.Actor, got *certs.Certificate) (bool, error) {
		if a.UserID == stranger.UserID && got.ID == c.ID {
			return false, nil
		}
		return false, apperr.New(apperr.Forbidden, "no")
	})
	if res, err := hooked.View(ctx, stranger, c.Number()); err != nil || !res.Masked || res.Certificate.Data.Holder != m.Holder {
		t.Errorf("authorizer allowing masked: %v, %+v", err, res)
	}
	if _, err := hooked.View(ctx, holderActor, c.Number()); !apperr.Is(err, apperr.Forbidden) {
		t.Errorf("the authorizer replaces the default rule, but the holder got: %v", err)
	}
	f.certs.SetAuthorizer(func(context.Context, *identity.Actor, *certs.Certificate) (bool, error) { return true, nil })
	if _, err := f.certs.View(ctx, stranger, c.Number()); err != nil {
		t.Errorf("an authorizer set after construction is not used: %v", err)
	}
	if m.Holder.Name != "张**" || m.Holder.IDNumber != IDNumber(1)[:6]+"********"+IDNumber(1)[14:] {
		t.Errorf("masked holder: %+v", m.Holder)
	}
}

// concurrentFirstUse: several issues at once for a centre without a key
// create exactly one key, and every certificate is signed with it.
func concurrentFirstUse(t *testing.T, f *certsFixture) {
	var wg sync.WaitGroup
	issued := make([]*certs.Certificate, 8)
	errs := make([]error, 8)
	for i := range issued {
		wg.Add(1)
		go func() {
			defer wg.Done()
			issued[i], errs[i] = f.certs.Issue(context.Background(), identity.SystemActor(),
				certs.IssueInput{CentreID: f.tr.Centre.ID, Data: certData(100 + i)})
		}()
	}
	wg.Wait()
	keys, err := f.sv.Stores.Certs.FindKeys(context.Background())
	if err != nil || len(keys) != 1 {
		t.Fatalf("%d keys after concurrent first use, want 1 (%v)", len(keys), err)
	}
	for i, c := range issued {
		if errs[i] != nil || c.KeyID != keys[0].ID || f.status(t, c.Number()) != certs.StatusValid {
			t.Fatalf("certificate %d: %+v %v", i, c, errs[i])
		}
	}
}
