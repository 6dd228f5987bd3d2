package notify

import (
	"context"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

// Options configure a Service.
type Options struct {
	Mail    Sender  // nil: email is not configured and no email is queued
	SMS     Gateway // nil: SMS are not configured and none is queued
	Log     *slog.Logger
	BaseURL string // absolute URL of the product, for links in email and SMS; "" = paths only
	Now     func() time.Time
}

// Service is the notifier and the inbox.
type Service struct {
	store   Store
	users   Users
	tx      Transactor
	enqueue Enqueuer
	mail    Sender
	sms     Gateway
	log     *slog.Logger
	baseURL string
	now     func() time.Time
}

// NewService returns a Service.
func NewService(store Store, users Users, tx Transactor, enq Enqueuer, o Options) *Service {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, users: users, tx: tx, enqueue: enq, mail: o.Mail, sms: o.SMS, log: o.Log,
		baseURL: strings.TrimRight(o.BaseURL, "/"), now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// Notify puts m in the user's inbox and enqueues its deliveries over the
// outside channels it asks for that are configured and reach the
// recipient (an email address, a mobile number), all in the transaction
// carried by ctx (or its own).
func (s *Service) Notify(ctx context.Context, m Message) (*Notification, error) {
	return s.notify(ctx, m, true)
}

// Post is Notify for a caller that does not need the notification back:
// one that no outside channel delivers is inserted without reading its ID,
// with the next statement or the commit of the transaction in ctx.
func (s *Service) Post(ctx context.Context, m Message) error {
	_, err := s.notify(ctx, m, false)
	return err
}

func (s *Service) notify(ctx context.Context, m Message, needID bool) (*Notification, error) {
	m = m.normalized()
	if err := m.validate(); err != nil {
		return nil, err
	}
	now := s.now()
	var n *Notification
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		n = &Notification{UserID: m.UserID, Kind: m.Kind, Title: m.Title, Body: m.Body, Link: m.Link, CreatedAt: now}
		chs, err := s.channels(ctx, m)
		if err != nil {
			return err
		}
		if len(chs) == 0 && !needID {
			return s.store.QueueNotification(ctx, n)
		}
		n.Email, n.SMS = slices.Contains(chs, ChannelEmail), slices.Contains(chs, ChannelSMS)
		if err := s.store.CreateNotification(ctx, n); err != nil {
			return err
		}
		if len(chs) == 0 {
			return nil
		}
		ds := make([]Delivery, len(chs))
		for i, ch := range chs {
			ds[i] = Delivery{NotificationID: n.ID, Channel: ch}
		}
		return s.enqueue.Enqueue(ctx, ds)
	})
	return n, err
}

// channels are the outside channels of m that exist for its recipient.
func (s *Service) channels(ctx context.Context, m Message) ([]Channel, error) {
	email, sms := m.Email && s.mail != nil, m.SMS && s.sms != nil
	if !email && !sms {
		return nil, nil
	}
	u, err := s.users.FindUserByID(ctx, m.UserID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Field("user_id", "接收人不存在")
	}
	if err != nil {
		return nil, err
	}
	var out []Channel
	if email && u.Email != "" {
		out = append(out, ChannelEmail)
	}
	if sms && pii.CheckMobile(u.Phone) == nil {
		out = append(out, ChannelSMS)
	}
	return out, nil
}

func (m Message) normalized() Message {
	m.Kind, m.Title, m.Body, m.Link = strings.TrimSpace(m.Kind), strings.TrimSpace(m.Title), strings.TrimSpace(m.Body), strings.TrimSpace(m.Link)
	return m
}

var kindPattern = regexp.MustCompile(`^[a-z0-9_]+(\.[a-z0-9_]+)*$`)

func (m Message) validate() error {
	var f apperr.Fields
	f.Check(m.UserID <= 0, "user_id", "请指定接收人")
	f.Check(len(m.Kind) > 64 || !kindPattern.MatchString(m.Kind), "kind", "消息类型应为小写字母、数字和点组成的标识，如 case.accepted")
	f.Check(m.Title == "" || utf8.RuneCountInString(m.Title) > 200, "title", "消息标题须为 1–200 个字符")
	f.Check(utf8.RuneCountInString(m.Body) > 4000, "body", "消息内容不能超过 4000 个字符")
	f.Check(!localLink(m.Link), "link", "链接须为本系统内以 / 开头的路径")
	return f.Err()
}

// localLink accepts only paths of this product, so a message can never send
// a user to another site or run a javascript: URL.
func localLink(l string) bool {
	if l == "" {
		return true
	}
	return strings.HasPrefix(l, "/") && !strings.HasPrefix(l, "//") && !strings.ContainsAny(l, "\\\r\n\t ") && len(l) <= 500
}

// Inbox lists the actor's notifications, newest first.
func (s *Service) Inbox(ctx context.Context, a *identity.Actor, f Filter) ([]*Notification, error) {
	if err := CanUseInbox(a); err != nil {
		return nil, err
	}
	f.UserID = a.UserID
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	return s.store.FindNotifications(ctx, f)
}

// Unread counts the actor's unread notifications; 0 for anonymous visitors.
func (s *Service) Unread(ctx context.Context, a *identity.Actor) (int, error) {
	if CanUseInbox(a) != nil {
		return 0, nil
	}
	return s.store.CountUnread(ctx, a.UserID)
}

// MarkRead marks one of the actor's notifications read and returns it.
func (s *Service) MarkRead(ctx context.Context, a *identity.Actor, id int64) (*Notification, error) {
	if err := CanUseInbox(a); err != nil {
		return nil, err
	}
	var n *Notification
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.MarkRead(ctx, a.UserID, id, s.now()); err != nil {
			return err
		}
		var err error
		n, err = s.store.FindNotificationByID(ctx, id)
		return err
	})
	return n, err
}

// MarkAllRead marks every unread notification of the actor read and says how many.
func (s *Service) MarkAllRead(ctx context.Context, a *identity.Actor) (int64, error) {
	if err := CanUseInbox(a); err != nil {
		return 0, err
	}
	var n int64
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		n, err = s.store.MarkAllRead(ctx, a.UserID, s.now())
		return err
	})
	return n, err
}

// CanUseInbox: every logged-in user has an inbox and sees only their own.
func CanUseInbox(a *identity.Actor) error {
	if a == nil || a.UserID == 0 {
		return apperr.New(apperr.Unauthenticated, "请先登录后查看消息")
	}
	return nil
}
