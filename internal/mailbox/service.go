package mailbox

import (
	"context"
	"strconv"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/identity"
)

// Service runs mailboxes and letters.
type Service struct{ d Deps }

// NewService returns a Service.
func NewService(d Deps) *Service {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	d.Now = func() time.Time { return now().UTC().Truncate(time.Microsecond) }
	return &Service{d: d}
}

// SetHotline connects the 12345 hotline's report of answers.
func (s *Service) SetHotline(h Hotline) { s.d.Hotline = h }

func (s *Service) record(ctx context.Context, a *identity.Actor, path, action, objType string, id int64, change any) error {
	return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + path, Action: action,
		ObjectType: objType, ObjectID: strconv.FormatInt(id, 10), Change: change})
}

// MailboxInput creates or edits a mailbox.
type MailboxInput struct {
	AgencyID int64
	Name     string
	Kind     Kind
	Intro    string
	Days     int
	Active   bool
}

func (in *MailboxInput) validate() error {
	var f apperr.Fields
	f.Check(in.AgencyID <= 0, "agency_id", "请选择所属公开主体")
	checkLen(&f, "name", "信箱名称", in.Name, 50, true)
	checkLen(&f, "intro", "信箱说明", in.Intro, 2000, false)
	f.Check(in.Kind != KindLeader && in.Kind != KindConsult, "kind", "请选择信箱类型：领导信箱或网上咨询")
	f.Check(in.Days < 1 || in.Days > MaxDays, "days", "答复时限应为 1–60 个工作日")
	return f.Err()
}

// SaveMailbox creates (id 0) or edits a mailbox.
func (s *Service) SaveMailbox(ctx context.Context, a *identity.Actor, id int64, in MailboxInput) (*Mailbox, error) {
	in.Name, in.Intro = strings.TrimSpace(in.Name), strings.TrimSpace(in.Intro)
	if err := in.validate(); err != nil {
		return nil, err
	}
	ag, err := s.d.Agencies.Agency(ctx, in.AgencyID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Field("agency_id", "所选公开主体不存在")
	}
	if err != nil {
		return nil, err
	}
	var m *Mailbox
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		now := s.d.Now()
		m = &Mailbox{CreatedAt: now}
		if id != 0 {
			old, err := s.d.Store.FindMailbox(ctx, id)
			if err != nil {
				return err
			}
			if old.AgencyID != in.AgencyID {
				return apperr.Field("agency_id", "信箱不能更换所属公开主体")
			}
			m = old
		}
		m.AgencyID, m.Name, m.Kind, m.Intro, m.Days, m.Active, m.UpdatedAt = in.AgencyID, in.Name, in.Kind, in.Intro, in.Days, in.Active, now
		m.AgencyName, m.RegionPath = ag.Name, ag.RegionPath
		if ag.DepartmentID != nil {
			m.AgencyDeptID = *ag.DepartmentID
		}
		if err := CanManageMailbox(a, m); err != nil {
			return err
		}
		if err := s.saveMailbox(ctx, m); err != nil {
			return err
		}
		return s.record(ctx, a, m.RegionPath, "mailbox.save", "mailbox", m.ID, map[string]any{"name": m.Name, "days": m.Days, "active": m.Active})
	})
	return m, err
}

func (s *Service) saveMailbox(ctx context.Context, m *Mailbox) error {
	if m.ID == 0 {
		return s.d.Store.CreateMailbox(ctx, m)
	}
	return s.d.Store.UpdateMailbox(ctx, m)
}

// Mailbox returns one mailbox.
func (s *Service) Mailbox(ctx context.Context, id int64) (*Mailbox, error) {
	return s.d.Store.FindMailbox(ctx, id)
}

// Mailboxes lists mailboxes.
func (s *Service) Mailboxes(ctx context.Context, f MailboxFilter) ([]*Mailbox, error) {
	return s.d.Store.FindMailboxes(ctx, f)
}

// Handled lists the mailboxes whose letters the actor handles.
func (s *Service) Handled(ctx context.Context, a *identity.Actor) ([]*Mailbox, error) {
	all, err := s.d.Store.FindMailboxes(ctx, MailboxFilter{})
	if err != nil {
		return nil, err
	}
	var out []*Mailbox
	for _, m := range all {
		if CanHandle(a, m) == nil {
			out = append(out, m)
		}
	}
	return out, nil
}
