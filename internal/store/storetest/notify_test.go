package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/identity"
	"openhall/internal/notify"
)

// recorder stands in for the job queue, the mail server and the SMS gateway.
type recorder struct {
	mu       sync.Mutex
	queued   []notify.Delivery
	mails    []notify.Mail
	sms      []string
	mailFail error
}

func (r *recorder) Enqueue(_ context.Context, ds []notify.Delivery) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queued = append(r.queued, ds...)
	return nil
}

func (r *recorder) Send(_ context.Context, m notify.Mail) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.mailFail != nil {
		return r.mailFail
	}
	r.mails = append(r.mails, m)
	return nil
}

type smsRecorder struct{ r *recorder }

func (g smsRecorder) Send(_ context.Context, phone, text string) error {
	g.r.mu.Lock()
	defer g.r.mu.Unlock()
	g.r.sms = append(g.r.sms, phone+" "+text)
	return nil
}

type notifyFixture struct {
	sv  *Services
	rec *recorder
	n   *notify.Service
}

func newNotifyFixture(t *testing.T, b Backend) *notifyFixture {
	now := func() time.Time { return time.Date(2026, 6, 1, 8, 0, 0, 123456789, time.UTC) }
	sv := NewServices(b.Open(t, now), now)
	rec := &recorder{}
	n := notify.NewService(sv.Stores.Notify, sv.Stores.Identity, sv.Stores, rec,
		notify.Options{Mail: rec, SMS: smsRecorder{rec}, BaseURL: "https://zw.example.gov.cn/", Now: now})
	return &notifyFixture{sv: sv, rec: rec, n: n}
}

func msg(user int64, title string) notify.Message {
	return notify.Message{UserID: user, Kind: "case.accepted", Title: title, Body: "您的申请已受理。", Link: "/cases/1", Email: true, SMS: true}
}

func TestNotify(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		t.Run("Inbox", func(t *testing.T) { inbox(t, newNotifyFixture(t, b)) })
		t.Run("Transaction", func(t *testing.T) { notifyTransaction(t, newNotifyFixture(t, b)) })
		t.Run("Deliver", func(t *testing.T) { deliver(t, newNotifyFixture(t, b)) })
		t.Run("DeliverRetry", func(t *testing.T) { deliverRetry(t, newNotifyFixture(t, b)) })
		t.Run("Validation", func(t *testing.T) { notifyValidation(t, newNotifyFixture(t, b)) })
	})
}

func inbox(t *testing.T, f *notifyFixture) {
	ctx := context.Background()
	_, me := Citizen(t, f.sv, "reader", "读者", 1, "", "")
	_, other := Citizen(t, f.sv, "other1", "他人", 2, "", "")
	var ids []int64
	for i := 0; i < 5; i++ {
		n, err := f.n.Notify(ctx, msg(me.UserID, fmt.Sprintf("消息 %d", i)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, n.ID)
	}
	foreign, _ := f.n.Notify(ctx, msg(other.UserID, "别人的消息"))
	list, err := f.n.Inbox(ctx, me, notify.Filter{Limit: 3})
	if err != nil || len(list) != 3 || list[0].ID != ids[4] || list[0].Title != "消息 4" || list[0].Read() {
		t.Fatalf("first page: %+v %v", list, err)
	}
	if !list[0].CreatedAt.Equal(time.Date(2026, 6, 1, 8, 0, 0, 123456000, time.UTC)) {
		t.Fatalf("created at %v, want microsecond precision", list[0].CreatedAt)
	}
	page2, _ := f.n.Inbox(ctx, me, notify.Filter{BeforeID: list[2].ID})
	if len(page2) != 2 || page2[0].ID != ids[1] {
		t.Fatalf("second page: %+v", page2)
	}
	if n, _ := f.n.Unread(ctx, me); n != 5 {
		t.Fatalf("unread %d, want 5", n)
	}
	markRead(t, f, me, other, ids, foreign.ID)
}

func markRead(t *testing.T, f *notifyFixture, me, other *identity.Actor, ids []int64, foreign int64) {
	ctx := context.Background()
	n, err := f.n.MarkRead(ctx, me, ids[0])
	if err != nil || !n.Read() {
		t.Fatalf("mark read: %+v %v", n, err)
	}
	if _, err := f.n.MarkRead(ctx, me, ids[0]); err != nil {
		t.Fatalf("marking again: %v", err)
	}
	if _, err := f.n.MarkRead(ctx, me, foreign); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("marking someone else's: %v", err)
	}
	unread, _ := f.n.Inbox(ctx, me, notify.Filter{UnreadOnly: true})
	if c, _ := f.n.Unread(ctx, me); c != 4 || len(unread) != 4 {
		t.Fatalf("unread %d (%d listed), want 4", c, len(unread))
	}
	if c, err := f.n.MarkAllRead(ctx, me); err != nil || c != 4 {
		t.Fatalf("mark all read: %d %v", c, err)
	}
	if c, _ := f.n.Unread(ctx, me); c != 0 {
		t.Fatalf("unread after mark all: %d", c)
	}
	if c, _ := f.n.Unread(ctx, other); c != 1 {
		t.Fatalf("other user's unread: %d, want 1", c)
	}
	if _, err := f.n.Inbox(ctx, nil, notify.Filter{}); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("anonymous inbox: %v", err)
	}
}

// notifyTransaction: a notification made in a transaction that rolls back
// leaves no row; one that commits leaves its row and its delivery jobs.
func notifyTransaction(t *testing.T, f *notifyFixture) {
	ctx := context.Background()
	_, me := Citizen(t, f.sv, "txuser", "事务", 1, "13800138000", "a@example.com")
	boom := errors.New("the change fails")
	err := f.sv.Stores.InTx(ctx, func(ctx context.Context) error {
		if _, err := f.n.Notify(ctx, msg(me.UserID, "不会存在")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if c, _ := f.n.Unread(ctx, me); c != 0 {
		t.Fatalf("a rolled-back notification exists (%d unread)", c)
	}
	n, err := f.n.Notify(ctx, msg(me.UserID, "存在"))
	if err != nil {
		t.Fatal(err)
	}
	want := []notify.Delivery{{NotificationID: n.ID, Channel: notify.ChannelEmail}, {NotificationID: n.ID, Channel: notify.ChannelSMS}}
	if got := f.rec.queued[len(f.rec.queued)-2:]; got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("queued %v, want %v", got, want)
	}
}

func deliver(t *testing.T, f *notifyFixture) {
	ctx := context.Background()
	_, full := Citizen(t, f.sv, "full1", "全", 1, "138 0013 8000", "full@example.com")
	_, bare := Citizen(t, f.sv, "bare1", "空", 2, "", "")
	n, _ := f.n.Notify(ctx, msg(full.UserID, "已受理"))
	for i := 0; i < 2; i++ { // the second round is a retried job: nothing more is sent
		for _, ch := range []notify.Channel{notify.ChannelEmail, notify.ChannelSMS} {
			if err := f.n.Deliver(ctx, notify.Delivery{NotificationID: n.ID, Channel: ch}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(f.rec.mails) != 1 || len(f.rec.sms) != 1 {
		t.Fatalf("sent %d mails and %d SMS, want 1 each", len(f.rec.mails), len(f.rec.sms))
	}
	m := f.rec.mails[0]
	if m.To != "full@example.com" || m.Subject != "已受理" || m.Body != "您的申请已受理。\n\n详情：https://zw.example.gov.cn/cases/1" || m.MessageID != fmt.Sprintf("notification-%d", n.ID) {
		t.Fatalf("mail %+v", m)
	}
	if f.rec.sms[0] != "13800138000 【阳光政务大厅】已受理：您的申请已受理。 详情：https://zw.example.gov.cn/cases/1" {
		t.Fatalf("sms %q", f.rec.sms[0])
	}
	skipped, _ := f.n.Notify(ctx, msg(bare.UserID, "无联系方式"))
	for _, ch := range []notify.Channel{notify.ChannelEmail, notify.ChannelSMS} {
		if err := f.n.Deliver(ctx, notify.Delivery{NotificationID: skipped.ID, Channel: ch}); err != nil {
			t.Fatalf("a user without contact details: %v", err)
		}
		if o, _ := f.sv.Stores.Notify.DeliveryOutcome(ctx, skipped.ID, ch); o != notify.OutcomeSkipped {
			t.Fatalf("%s outcome %q, want skipped", ch, o)
		}
	}
	if len(f.rec.mails) != 1 || len(f.rec.sms) != 1 {
		t.Fatal("something was sent to a user without contact details")
	}
}

func deliverRetry(t *testing.T, f *notifyFixture) {
	ctx := context.Background()
	_, u := Citizen(t, f.sv, "retry1", "重试", 1, "", "r@example.com")
	n, _ := f.n.Notify(ctx, msg(u.UserID, "重试"))
	d := notify.Delivery{NotificationID: n.ID, Channel: notify.ChannelEmail}
	f.rec.mailFail = errors.New("451 try again")
	if err := f.n.Deliver(ctx, d); err == nil {
		t.Fatal("a failed send reported success")
	}
	if o, _ := f.sv.Stores.Notify.DeliveryOutcome(ctx, n.ID, notify.ChannelEmail); o != "" {
		t.Fatalf("a failed send was marked %q", o)
	}
	f.rec.mailFail = nil
	if err := f.n.Deliver(ctx, d); err != nil || len(f.rec.mails) != 1 {
		t.Fatalf("retry: %v, %d mails", err, len(f.rec.mails))
	}
}

func notifyValidation(t *testing.T, f *notifyFixture) {
	ctx := context.Background()
	_, u := Citizen(t, f.sv, "valid1", "校验", 1, "", "")
	for _, tc := range []struct {
		m     notify.Message
		field string
	}{
		{notify.Message{UserID: u.UserID, Kind: "x", Title: "t", Link: "//evil.example.com/"}, "link"},
		{notify.Message{UserID: u.UserID, Kind: "x", Title: "t", Link: "javascript:alert(1)"}, "link"},
		{notify.Message{UserID: u.UserID, Kind: "x", Title: " "}, "title"},
		{notify.Message{UserID: u.UserID, Kind: "Bad Kind", Title: "t"}, "kind"},
		{notify.Message{Kind: "x", Title: "t"}, "user_id"},
		{notify.Message{UserID: 999999, Kind: "x", Title: "t"}, "user_id"},
	} {
		if _, err := f.n.Notify(ctx, tc.m); apperr.FieldsOf(err)[tc.field] == "" {
			t.Errorf("%+v: %v, want an error on %s", tc.m, err, tc.field)
		}
	}
}
