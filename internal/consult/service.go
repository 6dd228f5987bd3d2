package consult

import (
	"context"
	"strconv"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/disclosure"
	"openhall/internal/disclosure/search"
	"openhall/internal/identity"
)

// Service runs consultations and surveys.
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

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func (s *Service) today() calendar.Date { return calendar.DateOf(s.d.Now()) }

// Today is the service's current date in China.
func (s *Service) Today() calendar.Date { return s.today() }

func (s *Service) record(ctx context.Context, a *identity.Actor, ag *disclosure.Agency, action, objType string, id int64, change any) error {
	return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + ag.RegionPath, Action: action,
		ObjectType: objType, ObjectID: itoa(id), Change: change})
}

// agency loads an agency, naming the field when it does not exist.
func (s *Service) agency(ctx context.Context, id int64) (*disclosure.Agency, error) {
	ag, err := s.d.Agencies.Agency(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Field("agency_id", "所选公开主体不存在")
	}
	return ag, err
}

// Period is the comment period of a published consultation on its region's
// calendar; a draft's is computed as if it were published today.
func (s *Service) Period(c *Consultation) (Period, error) {
	cal, err := s.d.Calendars.ForRegion(c.RegionPath)
	if err != nil {
		return Period{}, err
	}
	opens := c.OpensOn
	if c.Status == StatusDraft {
		opens = s.today()
	}
	return ComputePeriod(cal, opens, c.Days)
}

// Create writes a new draft consultation.
func (s *Service) Create(ctx context.Context, a *identity.Actor, in Input) (*Consultation, error) {
	in.normalize()
	if err := in.validate(); err != nil {
		return nil, err
	}
	ag, err := s.agency(ctx, in.AgencyID)
	if err != nil {
		return nil, err
	}
	if err := CanManage(a, ag); err != nil {
		return nil, err
	}
	var c *Consultation
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		now := s.d.Now()
		c = &Consultation{Status: StatusDraft, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now}
		fill(c, in, ag)
		if err := s.d.Store.CreateConsultation(ctx, c); err != nil {
			return err
		}
		return s.record(ctx, a, ag, "consult.create", "consultation", c.ID, map[string]any{"title": c.Title, "days": c.Days})
	})
	return c, err
}

func fill(c *Consultation, in Input, ag *disclosure.Agency) {
	c.AgencyID, c.Title, c.Draft, c.Explanation, c.Channels = in.AgencyID, in.Title, in.Draft, in.Explanation, in.Channels
	c.Days, c.ShortReason, c.RealName = in.Days, in.ShortReason, in.RealName
	c.Sections = ParseSections(in.Draft)
	c.AgencyName, c.RegionPath = ag.Name, ag.RegionPath
}

// Update edits a draft; a published draft never changes, since comments
// point at its articles.
func (s *Service) Update(ctx context.Context, a *identity.Actor, id int64, in Input) (*Consultation, error) {
	in.normalize()
	if err := in.validate(); err != nil {
		return nil, err
	}
	var c *Consultation
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		old, ag, err := s.managed(ctx, a, id)
		if err != nil {
			return err
		}
		if old.Status != StatusDraft {
			return apperr.New(apperr.Conflict, "征求意见稿已发布，不能再修改（意见针对已发布的条款）")
		}
		if in.AgencyID != old.AgencyID {
			return apperr.Field("agency_id", "已创建的征集不能更换公开主体")
		}
		c = old
		fill(c, in, ag)
		c.UpdatedAt = s.d.Now()
		if err := s.d.Store.UpdateConsultation(ctx, c); err != nil {
			return err
		}
		return s.record(ctx, a, ag, "consult.update", "consultation", c.ID, map[string]any{"title": c.Title, "days": c.Days})
	})
	return c, err
}

// managed loads a consultation the actor manages.
func (s *Service) managed(ctx context.Context, a *identity.Actor, id int64) (*Consultation, *disclosure.Agency, error) {
	c, err := s.d.Store.FindConsultation(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	ag, err := s.d.Agencies.Agency(ctx, c.AgencyID)
	if err != nil {
		return nil, nil, err
	}
	if err := CanManage(a, ag); err != nil {
		return nil, nil, err
	}
	return c, ag, nil
}

// Publish puts a draft out for comment from today and indexes it in the
// portal's search.
func (s *Service) Publish(ctx context.Context, a *identity.Actor, id int64) (*Consultation, error) {
	var c *Consultation
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var ag *disclosure.Agency
		var err error
		if c, ag, err = s.managed(ctx, a, id); err != nil {
			return err
		}
		if c.Status != StatusDraft {
			return apperr.New(apperr.Conflict, "该征集已发布")
		}
		c.Status, c.OpensOn, c.UpdatedAt = StatusOpen, s.today(), s.d.Now()
		p, err := s.Period(c)
		if err != nil {
			return err
		}
		if err := s.d.Store.UpdateConsultation(ctx, c); err != nil {
			return err
		}
		if err := s.index(ctx, c, ""); err != nil {
			return err
		}
		return s.record(ctx, a, ag, "consult.publish", "consultation", c.ID,
			map[string]any{"opens_on": c.OpensOn.String(), "last_day": p.Last.String(), "provisional_year": p.Provisional})
	})
	return c, err
}

// index puts a public consultation in the portal's one search box.
func (s *Service) index(ctx context.Context, c *Consultation, summary string) error {
	if summary == "" {
		summary = c.Explanation
	}
	return s.d.Search.Index(ctx, search.Doc{Kind: KindConsultation, Ref: c.ID, Scope: c.AgencyID, Title: c.Title,
		Number: "意见征集", Summary: summary, Body: c.Draft, Extra: c.Decision, Date: c.OpensOn, URL: URL(c.ID)})
}

// Get returns a consultation: public ones to anyone, drafts to those who
// manage them.
func (s *Service) Get(ctx context.Context, a *identity.Actor, id int64) (*Consultation, error) {
	c, err := s.d.Store.FindConsultation(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Status != StatusDraft || s.CanManage(ctx, a, c) {
		return c, nil
	}
	return nil, apperr.New(apperr.NotFound, "意见征集不存在或尚未发布")
}

// CanManage reports whether a manages c.
func (s *Service) CanManage(ctx context.Context, a *identity.Actor, c *Consultation) bool {
	if a == nil || !a.IsStaff() {
		return false
	}
	ag, err := s.d.Agencies.Agency(ctx, c.AgencyID)
	return err == nil && CanManage(a, ag) == nil
}

// List lists public consultations, newest first.
func (s *Service) List(ctx context.Context, f Filter) ([]*Consultation, int, error) {
	f.Public = true
	return s.d.Store.FindConsultations(ctx, f)
}

// Managed lists the consultations of one agency the actor manages.
func (s *Service) Managed(ctx context.Context, a *identity.Actor, agencyID int64, offset int) ([]*Consultation, int, error) {
	ag, err := s.agency(ctx, agencyID)
	if err != nil {
		return nil, 0, err
	}
	if err := CanManage(a, ag); err != nil {
		return nil, 0, err
	}
	return s.d.Store.FindConsultations(ctx, Filter{AgencyID: agencyID, Offset: offset, Limit: 50})
}

// Counts counts a consultation's comments.
func (s *Service) Counts(ctx context.Context, id int64) (Counts, error) {
	return s.d.Store.CountComments(ctx, id)
}
