package opendata

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// AppStatus is where an application for conditional access stands.
type AppStatus string

// Application statuses.
const (
	AppPending  AppStatus = "pending"  // 待审核
	AppApproved AppStatus = "approved" // 已批准
	AppRefused  AppStatus = "refused"  // 不予批准
)

// Label is the Chinese name.
func (s AppStatus) Label() string {
	return map[AppStatus]string{AppPending: "待审核", AppApproved: "已批准", AppRefused: "不予批准"}[s]
}

// Application asks for a conditional dataset: what for, which fields, for
// how long.
type Application struct {
	ID          int64
	DatasetID   int64
	UserID      int64
	Applicant   string // the account's name as shown to the publisher
	Purpose     string
	Fields      []string // column names wanted
	PeriodFrom  calendar.Date
	PeriodTo    calendar.Date
	Status      AppStatus
	SubmittedOn calendar.Date
	DecidedOn   calendar.Date
	DecidedBy   int64
	Reason      string // why refused, or the approval's conditions
	RateLimit   int    // calls per minute granted
	CreatedAt   time.Time
	UpdatedAt   time.Time

	DatasetName  string // filled when loaded
	DatasetTitle string
	PublisherID  int64
}

// ApplicationFilter selects applications; zero fields do not filter.
type ApplicationFilter struct {
	UserID     int64
	DatasetID  int64
	PathPrefix string // datasets of publishers in a region subtree
	Status     AppStatus
}

// Key is an API key for one approved application. Only its SHA-256 is
// kept; the key itself is shown once, when made.
type Key struct {
	ID            int64
	ApplicationID int64
	Prefix        string // first characters, to tell keys apart
	Hash          []byte
	RevokedAt     time.Time
	RevokedBy     int64
	LastUsedAt    time.Time
	CreatedAt     time.Time
}

// Active reports whether the key has not been revoked.
func (k *Key) Active() bool { return k.RevokedAt.IsZero() }

// KeyUse is one call made with a key: the usage log.
type KeyUse struct {
	KeyID    int64
	At       time.Time
	Endpoint string
	Rows     int
	Status   int // HTTP status: 200, or 429 when over the limit
}

// AccessStore keeps applications, keys and their usage.
type AccessStore interface {
	CreateApplication(ctx context.Context, a *Application) error
	UpdateApplication(ctx context.Context, a *Application) error
	FindApplicationByID(ctx context.Context, id int64) (*Application, error)
	FindApplications(ctx context.Context, f ApplicationFilter) ([]*Application, error) // newest first
	CreateKey(ctx context.Context, k *Key) error
	UpdateKey(ctx context.Context, k *Key) error
	FindKeyByHash(ctx context.Context, hash []byte) (*Key, error)
	FindKeys(ctx context.Context, applicationID int64) ([]*Key, error)
	// UseKey logs a call and reports whether it is within limit: fewer
	// than limit successful calls of the key since since. A refused call
	// is logged with status 429. Concurrent calls of one key are
	// serialised so none slips past the limit.
	UseKey(ctx context.Context, u KeyUse, limit int, since time.Time) (bool, error)
	FindKeyUses(ctx context.Context, applicationID int64, limit int) ([]KeyUse, error) // newest first
}

// decideWorkdays is the publisher's period to decide an application. No
// national rule fixes it; 10 working days follows local open-data rules
// such as 上海市公共数据开放暂行办法 (2019) as recalled in the reference
// research, not verified against their text (unverified).
const decideWorkdays = 10

// Rate limits a publisher may grant, calls per minute.
const (
	DefaultRateLimit = 60
	MaxRateLimit     = 6000
)

// ApplicationInput is an application.
type ApplicationInput struct {
	Purpose    string
	Fields     []string
	PeriodFrom string
	PeriodTo   string
}

func (in *ApplicationInput) validate(d *Dataset, today calendar.Date) (calendar.Date, calendar.Date, error) {
	var f apperr.Fields
	in.Purpose = strings.TrimSpace(in.Purpose)
	f.Check(utf8.RuneCountInString(in.Purpose) < 10, "purpose", "请具体说明数据用途（至少 10 个字）")
	f.Check(utf8.RuneCountInString(in.Purpose) > 2000, "purpose", "用途说明不能超过 2000 个字")
	f.Check(len(in.Fields) == 0, "fields", "请选择需要的字段")
	for _, name := range in.Fields {
		f.Check(len(columnIndexes(d.Columns, []string{name})) == 0, "fields", "所选字段“"+name+"”不在该数据集中")
	}
	from := optionalDate(&f, "period_from", "使用期限起", in.PeriodFrom)
	to := optionalDate(&f, "period_to", "使用期限止", in.PeriodTo)
	f.Check(from == (calendar.Date{}), "period_from", "请填写使用期限起")
	f.Check(to == (calendar.Date{}), "period_to", "请填写使用期限止")
	f.Check(to != (calendar.Date{}) && to.Before(today), "period_to", "使用期限止不能早于今天")
	f.Check(to != (calendar.Date{}) && from != (calendar.Date{}) && (to.Before(from) || to.Sub(from) > 3*366), "period_to",
		"使用期限止须在起之后，且不超过三年")
	return from, to, f.Err()
}

// Apply files an application for a published conditional dataset.
func (s *Service) Apply(ctx context.Context, a *identity.Actor, name string, in ApplicationInput) (*Application, error) {
	if err := CanApply(a); err != nil {
		return nil, err
	}
	var app *Application
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		d, err := s.Dataset(ctx, a, name)
		if err != nil {
			return err
		}
		if d.Tier != TierConditional || d.Status != StatusPublished {
			return apperr.New(apperr.Conflict, "“%s”不是有条件开放的数据集，无需申请", d.Title)
		}
		from, to, err := in.validate(d, s.Today())
		if err != nil {
			return err
		}
		now := s.now()
		app = &Application{DatasetID: d.ID, UserID: a.UserID, Applicant: a.Name, Purpose: in.Purpose, Fields: in.Fields,
			PeriodFrom: from, PeriodTo: to, Status: AppPending, SubmittedOn: s.Today(), CreatedAt: now, UpdatedAt: now,
			DatasetName: d.Name, DatasetTitle: d.Title, PublisherID: d.PublisherID}
		if err := s.d.Store.CreateApplication(ctx, app); err != nil {
			return err
		}
		ag, err := s.publisher(ctx, "", d.PublisherID)
		if err != nil {
			return err
		}
		return s.record(ctx, a, ag, "opendata.application.submit", "opendata_application", app.ID,
			map[string]any{"dataset": d.Name, "fields": in.Fields, "from": from, "to": to})
	})
	return app, err
}

// AppClock is an application's deadline for a decision.
type AppClock struct {
	Due         calendar.Date
	Provisional int // first year without an imported schedule; 0 = official
	Overdue     bool
	DaysLeft    int // working days left, 0 when due today or past
}

// Note is the 暂定 wording to show with the due date.
func (c AppClock) Note() string { return calendar.ProvisionalNote(c.Provisional) }

// ComputeAppClock is the decision deadline of an application submitted on
// submitted, seen on today: decideWorkdays working days after the day of
// submission (the day itself does not count).
func ComputeAppClock(cal *calendar.Calendar, submitted, today calendar.Date) (AppClock, error) {
	due, err := cal.AddWorkdays(submitted, decideWorkdays)
	if err != nil {
		return AppClock{}, err
	}
	c := AppClock{Due: due, Provisional: cal.Provisional(submitted, due), Overdue: today.After(due)}
	if !c.Overdue {
		c.DaysLeft, err = cal.WorkdaysBetween(today, due)
	}
	return c, err
}

// Clock returns an application's decision clock on its publisher's
// calendar.
func (s *Service) Clock(ctx context.Context, app *Application) (AppClock, error) {
	ag, err := s.publisher(ctx, "", app.PublisherID)
	if err != nil {
		return AppClock{}, err
	}
	cal, err := s.d.Calendars.ForRegion(ag.RegionPath)
	if err != nil {
		return AppClock{}, err
	}
	return ComputeAppClock(cal, app.SubmittedOn, s.Today())
}

// DecisionInput approves or refuses an application.
type DecisionInput struct {
	Approve   bool
	Reason    string
	RateLimit int // calls per minute; 0 = DefaultRateLimit
}

// Decide records the publisher's decision on a pending application.
func (s *Service) Decide(ctx context.Context, a *identity.Actor, id int64, in DecisionInput) (*Application, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	if err := in.validate(); err != nil {
		return nil, err
	}
	var app *Application
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var ag *disclosure.Agency
		var err error
		if app, ag, err = s.applicationFor(ctx, id); err != nil {
			return err
		}
		if err := CanManage(a, ag); err != nil {
			return err
		}
		if app.Status != AppPending {
			return apperr.New(apperr.Conflict, "该申请已于 %s 处理（%s）", app.DecidedOn, app.Status.Label())
		}
		app.Status, app.Reason, app.DecidedOn, app.DecidedBy, app.UpdatedAt = AppRefused, in.Reason, s.Today(), a.UserID, s.now()
		if in.Approve {
			app.Status, app.RateLimit = AppApproved, max(in.RateLimit, 0)
			if app.RateLimit == 0 {
				app.RateLimit = DefaultRateLimit
			}
		}
		if err := s.d.Store.UpdateApplication(ctx, app); err != nil {
			return err
		}
		return s.record(ctx, a, ag, "opendata.application.decide", "opendata_application", app.ID,
			map[string]any{"status": app.Status, "rate_limit": app.RateLimit, "reason": app.Reason})
	})
	return app, err
}

func (in *DecisionInput) validate() error {
	var f apperr.Fields
	f.Check(!in.Approve && in.Reason == "", "reason", "不予批准须说明理由")
	f.Check(utf8.RuneCountInString(in.Reason) > 1000, "reason", "理由不能超过 1000 个字")
	f.Check(in.RateLimit < 0 || in.RateLimit > MaxRateLimit, "rate_limit", "调用频率限制应为每分钟 1 至 6000 次")
	return f.Err()
}

func (s *Service) applicationFor(ctx context.Context, id int64) (*Application, *disclosure.Agency, error) {
	app, err := s.d.Store.FindApplicationByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	ag, err := s.publisher(ctx, "", app.PublisherID)
	return app, ag, err
}

// Application returns an application to its applicant or the publisher.
func (s *Service) Application(ctx context.Context, a *identity.Actor, id int64) (*Application, error) {
	app, ag, err := s.applicationFor(ctx, id)
	if err != nil {
		return nil, err
	}
	return app, CanViewApplication(a, ag, app)
}

// MyApplications lists the actor's own applications.
func (s *Service) MyApplications(ctx context.Context, a *identity.Actor) ([]*Application, error) {
	if err := CanApply(a); err != nil {
		return nil, err
	}
	return s.d.Store.FindApplications(ctx, ApplicationFilter{UserID: a.UserID})
}

// Applications lists the applications for datasets the actor oversees.
func (s *Service) Applications(ctx context.Context, a *identity.Actor, f ApplicationFilter) ([]*Application, error) {
	all, err := s.d.Store.FindApplications(ctx, f)
	if err != nil {
		return nil, err
	}
	var out []*Application
	for _, app := range all {
		ag, err := s.publisher(ctx, "", app.PublisherID)
		if err != nil {
			return nil, err
		}
		if CanOversee(a, ag) == nil {
			out = append(out, app)
		}
	}
	return out, nil
}
