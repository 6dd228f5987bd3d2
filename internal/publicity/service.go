package publicity

import (
	"context"
	"strconv"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/catalog"
	"openhall/internal/identity"
)

// DueWorkdays is how many working days after the decision an entry must be
// public (the 双公示 rule; unverified, see the package comment).
const DueWorkdays = 7

// Service keeps the register.
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

func (s *Service) today() calendar.Date { return calendar.DateOf(s.d.Now()) }

// Today is the service's current date in China.
func (s *Service) Today() calendar.Date { return s.today() }

func (s *Service) record(ctx context.Context, a *identity.Actor, path, action, objType string, id int64, change any) error {
	scope := "region:" + path
	if path == "" {
		scope = "system"
	}
	return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: scope, Action: action,
		ObjectType: objType, ObjectID: strconv.FormatInt(id, 10), Change: change})
}

// CanEnter: a department's approvers and head enter, correct and withdraw
// its decisions.
func CanEnter(a *identity.Actor, regionPath string, deptID int64) error {
	if a.HasIn(identity.RoleApprover, regionPath, deptID) || a.HasIn(identity.RoleDeptHead, regionPath, deptID) {
		return nil
	}
	return apperr.New(apperr.Forbidden, "只有本部门的审批人员或部门负责人可以录入和维护本部门的公示信息")
}

// Timeliness says whether an entry was published within DueWorkdays of the
// decision, on its department's calendar.
type Timeliness struct {
	Due         calendar.Date
	OnTime      bool
	Provisional int // the year whose holiday schedule is missing, 0 when official
}

// Note is the 暂定 wording when the due date is provisional.
func (t Timeliness) Note() string { return calendar.ProvisionalNote(t.Provisional) }

// Timeliness measures an entry.
func (s *Service) Timeliness(e *Entry) (Timeliness, error) {
	cal, err := s.d.Calendars.ForRegion(e.RegionPath)
	if err != nil {
		return Timeliness{}, err
	}
	return ComputeTimeliness(cal, e.DecidedOn, e.PublishedOn)
}

// ComputeTimeliness is the due date of a decision's publication and whether
// published (zero: not yet) met it.
func ComputeTimeliness(cal *calendar.Calendar, decided, published calendar.Date) (Timeliness, error) {
	due, err := cal.AddWorkdays(decided, DueWorkdays)
	if err != nil {
		return Timeliness{}, err
	}
	t := Timeliness{Due: due, Provisional: cal.Provisional(decided, due)}
	t.OnTime = published != (calendar.Date{}) && !published.After(due)
	return t, nil
}

// department loads a department with its region.
func (s *Service) department(ctx context.Context, id int64) (name, path string, err error) {
	d, err := s.d.Departments.Department(ctx, id)
	if apperr.Is(err, apperr.NotFound) || id <= 0 {
		return "", "", apperr.Field("department_id", "请选择作出决定的部门")
	}
	if err != nil {
		return "", "", err
	}
	_, path, err = s.d.Departments.DepartmentRegion(ctx, id)
	return d.Name, path, err
}

// PermitDecision is a licensing decision handed over by the cases module.
type PermitDecision struct {
	Source       string // the case number
	Number       string // 许可决定文书号
	ItemID       int64
	ItemName     string
	DepartmentID int64
	HolderKind   HolderKind
	HolderName   string // as the applicant gave it; masked here for natural persons
	CreditCode   string
	DecidedAt    time.Time
	ValidMonths  int    // 0 = no limit
	Content      string // the result, e.g. the certificate's name and number
	Basis        string
	// ItemVersionID is the item version decided under: when Basis is
	// empty, the basis is its legal bases.
	ItemVersionID int64
	// ItemType is that version's 事项类型; when empty, the item is read
	// for it.
	ItemType catalog.ItemType
}

// RecordPermit enters a licensing decision (准予) in the register. It is
// idempotent on the source: a repeated hand-over changes nothing. Decisions
// on items that are not 行政许可 are not part of the register and are
// skipped (nil entry).
func (s *Service) RecordPermit(ctx context.Context, d PermitDecision) (*Entry, error) {
	if d.ItemType == "" {
		it, err := s.d.Items.Item(ctx, d.ItemID)
		if err != nil {
			return nil, err
		}
		d.ItemType = it.Type
	}
	if d.ItemType != catalog.TypeLicence {
		return nil, nil
	}
	if d.Basis == "" && d.ItemVersionID != 0 {
		d.Basis = s.basisOf(ctx, d.ItemVersionID)
	}
	var e *Entry
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		e = nil
		if old, err := s.d.Store.FindEntryBySource(ctx, d.Source); err == nil {
			e = old
			return nil
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		var err error
		e, err = s.newPermit(ctx, d)
		if err != nil {
			return err
		}
		if err := s.d.Store.CreateEntry(ctx, e); err != nil {
			return err
		}
		return s.record(ctx, identity.SystemActor(), e.RegionPath, "publicity.permit.record", "publicity_entry", e.ID,
			map[string]any{"source": e.Source, "number": e.Number, "holder": e.HolderName})
	})
	return e, err
}

// basisOf lists an item version's legal bases ("法律第N条；…"); a version
// that cannot be read leaves the basis empty rather than the decision out
// of the register.
func (s *Service) basisOf(ctx context.Context, versionID int64) string {
	v, err := s.d.Items.Version(ctx, versionID)
	if err != nil {
		return ""
	}
	var out []string
	for _, b := range v.Guide.LegalBases {
		out = append(out, b.Law+b.Article)
	}
	return strings.Join(out, "；")
}

func (s *Service) newPermit(ctx context.Context, d PermitDecision) (*Entry, error) {
	name, path, err := s.department(ctx, d.DepartmentID)
	if err != nil {
		return nil, err
	}
	decided, now := calendar.DateOf(d.DecidedAt), s.d.Now()
	e := &Entry{Kind: KindPermit, DepartmentID: d.DepartmentID, Number: d.Number, Source: d.Source, Title: d.ItemName,
		HolderKind: d.HolderKind, HolderName: publishedName(d.HolderKind, strings.TrimSpace(d.HolderName)),
		DecidedOn: decided, ValidFrom: decided, Content: d.Content, Basis: d.Basis, Status: StatusPublished,
		PublishedOn: s.today(), CreatedAt: now, UpdatedAt: now, DeptName: name, RegionPath: path}
	if d.HolderKind != HolderPerson {
		e.CreditCode = d.CreditCode
	}
	if d.ValidMonths > 0 {
		e.ValidTo = Until(decided, d.ValidMonths).AddDays(-1)
	}
	return e, nil
}
