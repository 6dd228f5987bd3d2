package mailbox

import (
	"context"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

// LetterInput is a letter as written on the portal.
type LetterInput struct {
	MailboxID int64
	Topic     string
	Subject   string
	Content   string
	Phone     string // optional contact number
	Consent   bool   // may be published with personal data removed
}

func (in *LetterInput) validate() error {
	var f apperr.Fields
	in.Subject, in.Content, in.Phone = strings.TrimSpace(in.Subject), strings.TrimSpace(in.Content), strings.TrimSpace(in.Phone)
	f.Check(!validTopic(in.Topic), "topic", "请选择来信类别")
	checkLen(&f, "subject", "标题", in.Subject, maxSubject, true)
	checkLen(&f, "content", "来信内容", in.Content, maxContent, true)
	if in.Phone != "" {
		f.AddErr("phone", pii.CheckMobile(in.Phone))
	}
	return f.Err()
}

func validTopic(t string) bool {
	for _, x := range Topics {
		if x == t {
			return true
		}
	}
	return false
}

// Write records a citizen's letter; the answer is due DefaultDays (the
// mailbox's limit) working days after the day of receipt.
func (s *Service) Write(ctx context.Context, a *identity.Actor, in LetterInput) (*Letter, error) {
	if err := CanWrite(a); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	l := func(m *Mailbox, now time.Time) *Letter {
		return &Letter{MailboxID: m.ID, Source: SourceWeb, UserID: a.UserID, WriterName: a.Name, WriterPhone: in.Phone,
			Topic: in.Topic, Subject: in.Subject, Content: in.Content, Consent: in.Consent, Status: StatusReceived,
			Days: m.Days, ReceivedAt: now, UpdatedAt: now}
	}
	return s.receive(ctx, a, in.MailboxID, l)
}

// receive inserts a new letter built by build for the mailbox, with its
// receipt event, in one transaction.
func (s *Service) receive(ctx context.Context, a *identity.Actor, mailboxID int64, build func(*Mailbox, time.Time) *Letter) (*Letter, error) {
	var l *Letter
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		m, err := s.d.Store.FindMailbox(ctx, mailboxID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.Field("mailbox_id", "所选信箱不存在")
		}
		if err != nil {
			return err
		}
		if !m.Active {
			return apperr.New(apperr.Conflict, "%s已暂停受理来信", m.Name)
		}
		now := s.d.Now()
		l = build(m, now)
		ev := Event{Kind: EventReceived, At: now, ActorID: a.UserID, ActorLabel: a.Audit().Label}
		if err := s.d.Store.CreateLetter(ctx, l, []Event{ev}); err != nil {
			return err
		}
		l.MailboxName, l.AgencyID, l.AgencyName, l.AgencyDept, l.RegionPath = m.Name, m.AgencyID, m.AgencyName, m.AgencyDeptID, m.RegionPath
		l.Events = []Event{ev}
		return s.record(ctx, a, m.RegionPath, "mailbox.letter.receive", "letter", l.ID,
			map[string]any{"mailbox": m.ID, "source": l.Source, "ticket": l.TicketNo, "subject": pii.Redact(l.Subject)})
	})
	return l, err
}

// TicketInput is a 12345 hotline ticket handed over to a mailbox.
type TicketInput struct {
	MailboxID  int64
	TicketNo   string
	Topic      string
	Subject    string
	Content    string
	CallerName string
	Phone      string
	Consent    bool
}

// ReceiveTicket registers a letter handed over from the 12345 hotline. It
// is idempotent on the ticket number: handing the same ticket over twice
// returns the letter made the first time.
func (s *Service) ReceiveTicket(ctx context.Context, a *identity.Actor, in TicketInput) (*Letter, error) {
	in.TicketNo = strings.TrimSpace(in.TicketNo)
	li := LetterInput{MailboxID: in.MailboxID, Topic: in.Topic, Subject: in.Subject, Content: in.Content, Phone: in.Phone}
	var f apperr.Fields
	checkLen(&f, "ticket_no", "工单号", in.TicketNo, 64, true)
	for k, v := range apperr.FieldsOf(li.validate()) {
		f.Add(k, v)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if l, err := s.d.Store.FindLetterByTicket(ctx, in.TicketNo); err == nil {
		return l, nil
	}
	m, err := s.d.Store.FindMailbox(ctx, in.MailboxID)
	if err != nil {
		return nil, err
	}
	if err := CanReceiveTicket(a, m); err != nil {
		return nil, err
	}
	return s.receive(ctx, a, in.MailboxID, func(m *Mailbox, now time.Time) *Letter {
		return &Letter{MailboxID: m.ID, Source: SourceHotline, TicketNo: in.TicketNo, WriterName: strings.TrimSpace(in.CallerName),
			WriterPhone: li.Phone, Topic: in.Topic, Subject: li.Subject, Content: li.Content, Consent: in.Consent,
			Status: StatusReceived, Days: m.Days, ReceivedAt: now, UpdatedAt: now}
	})
}
