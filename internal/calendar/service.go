package calendar

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/identity"
	"openhall/internal/tick"
)

// StoredSchedule is a year's schedule imported by an administrator.
type StoredSchedule struct {
	Year       int
	Data       []byte // holiday-cn JSON, whatever format it was imported from
	Source     string // file name or "ics:<name>"
	ImportedBy int64
	ImportedAt time.Time
}

// StoredOverride is a region-level adjustment.
type StoredOverride struct {
	ID         int64
	RegionID   int64
	RegionPath string // filled when loaded
	RegionName string // filled when loaded
	Override
	CreatedAt time.Time
}

// Store is what the calendar service needs from storage.
type Store interface {
	FindSchedules(ctx context.Context) ([]*StoredSchedule, error)
	PutSchedule(ctx context.Context, s *StoredSchedule) error // replaces the year
	FindOverrides(ctx context.Context) ([]*StoredOverride, error)
	FindOverrideByID(ctx context.Context, id int64) (*StoredOverride, error) // NotFound
	CreateOverride(ctx context.Context, o *StoredOverride) error             // Conflict on the same region and date
	DeleteOverride(ctx context.Context, id int64) error
	// Version is a number every change of the stored calendar raises
	// (BumpVersion, in the change's transaction): one cheap read tells a
	// node of a cluster whether another node changed the calendar.
	Version(ctx context.Context) (int64, error)
	BumpVersion(ctx context.Context) error
}

// ChangeHook runs inside the transaction of every change of the calendar,
// with the first day the change can affect: what was computed from the
// calendar and stored (due dates kept for queues) is recomputed from it.
type ChangeHook func(ctx context.Context, from Date) error

// Regions resolves region paths for scoping overrides.
type Regions interface {
	RegionPath(ctx context.Context, regionID int64) (string, error)
}

// Transactor runs fn in one transaction.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Auditor appends to the audit log inside the caller's transaction.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) error
}

// Service is the working-day calendar of a deployment: the schedules the
// program ships, the ones administrators imported, and region overrides
// (a region's calendar applies the overrides of the region and all its
// ancestors). Built calendars are cached until the data changes.
type Service struct {
	store   Store
	regions Regions
	tx      Transactor
	audit   Auditor
	now     func() time.Time

	hook ChangeHook

	mu        sync.RWMutex
	version   int64 // the stored version the calendars were built from
	schedules []Schedule
	national  *Calendar
	overrides []*StoredOverride
	byPath    map[string]*Calendar
	onChange  []func(ctx context.Context) error // see OnChange
}

// SetChangeHook sets what runs in the transaction of every change.
func (s *Service) SetChangeHook(h ChangeHook) { s.hook = h }

// changed records a change of the stored calendar inside its transaction:
// the version other nodes check, and the hook.
func (s *Service) changed(ctx context.Context, from Date) error {
	if err := s.store.BumpVersion(ctx); err != nil {
		return err
	}
	if err := s.notifyChange(ctx); err != nil {
		return err
	}
	if s.hook == nil {
		return nil
	}
	return s.hook(ctx, from)
}

// Refresh reloads the calendars when the stored version moved (another
// node imported a schedule or changed an adjustment); otherwise it costs
// one small read.
func (s *Service) Refresh(ctx context.Context) error {
	v, err := s.store.Version(ctx)
	if err != nil {
		return err
	}
	s.mu.RLock()
	same := v == s.version
	s.mu.RUnlock()
	if same {
		return nil
	}
	return s.Reload(ctx)
}

// Watch refreshes the calendars every interval until ctx ends, so that a
// node notices what another node changed within that time.
func (s *Service) Watch(ctx context.Context, every time.Duration, onErr func(error)) {
	tick.Every(ctx, every, s.Refresh, onErr)
}

// NewService returns a Service; call Reload before use.
func NewService(store Store, regions Regions, tx Transactor, auditor Auditor, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, regions: regions, tx: tx, audit: auditor, now: now}
}

// Reload rebuilds the calendars from the shipped and stored data.
func (s *Service) Reload(ctx context.Context) error {
	version, err := s.store.Version(ctx)
	if err != nil {
		return fmt.Errorf("read the calendar version: %w", err)
	}
	schedules := EmbeddedSchedules()
	stored, err := s.store.FindSchedules(ctx)
	if err != nil {
		return fmt.Errorf("load imported schedules: %w", err)
	}
	for _, st := range stored {
		sch, err := ParseScheduleJSON(bytes.NewReader(st.Data))
		if err != nil {
			return fmt.Errorf("stored schedule %d: %w", st.Year, err)
		}
		schedules = append(schedules, sch)
	}
	national, err := New(schedules, nil)
	if err != nil {
		return fmt.Errorf("build calendar: %w", err)
	}
	overrides, err := s.store.FindOverrides(ctx)
	if err != nil {
		return fmt.Errorf("load calendar overrides: %w", err)
	}
	s.mu.Lock()
	s.schedules, s.national, s.overrides, s.byPath = schedules, national, overrides, map[string]*Calendar{}
	s.version = version
	s.mu.Unlock()
	return nil
}

// National is the calendar without region overrides.
func (s *Service) National() *Calendar {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.national
}

// ForRegion is the calendar of a region (by path), with the overrides of the
// region and its ancestors.
func (s *Service) ForRegion(regionPath string) (*Calendar, error) {
	s.mu.RLock()
	c, ok := s.byPath[regionPath]
	s.mu.RUnlock()
	if ok {
		return c, nil
	}
	return s.buildFor(regionPath)
}

func (s *Service) buildFor(regionPath string) (*Calendar, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var mine []*StoredOverride
	for _, o := range s.overrides {
		if strings.HasPrefix(regionPath, o.RegionPath) {
			mine = append(mine, o)
		}
	}
	// Ancestors first: when two levels adjust the same day, the later
	// override (the more local region) wins.
	sort.SliceStable(mine, func(i, j int) bool { return len(mine[i].RegionPath) < len(mine[j].RegionPath) })
	own := make([]Override, len(mine))
	for i, o := range mine {
		own[i] = o.Override
	}
	c := s.national
	if len(own) > 0 {
		var err error
		if c, err = New(s.schedules, own); err != nil {
			return nil, err
		}
	}
	s.byPath[regionPath] = c
	return c, nil
}

// MissingNextYear reports the coming year when its holiday schedule is not
// imported yet and the year's end is near (from 1 November; the State
// Council usually publishes its notice in late October or November): due
// dates reaching it are provisional until it is imported.
func (s *Service) MissingNextYear() (int, bool) {
	now := DateOf(s.now())
	next := now.Year() + 1
	return next, now.Month() >= time.November && !s.National().Covers(next)
}

// ForRegionID is the calendar of a region given by id.
func (s *Service) ForRegionID(ctx context.Context, regionID int64) (*Calendar, error) {
	path, err := s.regions.RegionPath(ctx, regionID)
	if err != nil {
		return nil, err
	}
	return s.ForRegion(path)
}

// Overrides lists the region adjustments.
func (s *Service) Overrides(ctx context.Context) ([]*StoredOverride, error) {
	return s.store.FindOverrides(ctx)
}

// ImportSchedule stores a year's schedule given as holiday-cn JSON or as an
// ICS file (format "json" or "ics"; year is needed for ICS). Only an
// administrator of the whole deployment may do it: the State Council's
// schedule applies nationwide.
func (s *Service) ImportSchedule(ctx context.Context, a *identity.Actor, format, name string, year int, data []byte) (Schedule, error) {
	if !a.IsGlobalAdmin() {
		return Schedule{}, apperr.New(apperr.Forbidden, "只有全局系统管理员可以导入节假日安排")
	}
	sch, err := parseUpload(format, year, data)
	if err != nil {
		return Schedule{}, err
	}
	return sch, s.storeSchedule(ctx, a, sch, format+":"+name, "calendar.schedule.import")
}

// storeSchedule checks a year's schedule against the calendar, stores it
// (replacing the year), audits it and tells the hook, in one transaction,
// then reloads the calendars.
func (s *Service) storeSchedule(ctx context.Context, a *identity.Actor, sch Schedule, source, action string) error {
	if err := s.checkFits(sch); err != nil {
		return err
	}
	js, err := json.Marshal(scheduleJSON(sch))
	if err != nil {
		return err
	}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		st := &StoredSchedule{Year: sch.Year, Data: js, Source: source, ImportedBy: a.UserID, ImportedAt: s.now().UTC()}
		if err := s.store.PutSchedule(ctx, st); err != nil {
			return err
		}
		if err := s.audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "system", Action: action,
			ObjectType: "calendar_year", ObjectID: strconv.Itoa(sch.Year), Change: map[string]any{"source": source, "days": len(sch.Days)}}); err != nil {
			return err
		}
		// The notice for a year can govern the last days of December before it.
		return s.changed(ctx, NewDate(sch.Year-1, time.December, 1))
	})
	if err != nil {
		return err
	}
	return s.Reload(ctx)
}

func parseUpload(format string, year int, data []byte) (Schedule, error) {
	switch format {
	case "json":
		sch, err := ParseScheduleJSON(bytes.NewReader(data))
		if err != nil {
			return Schedule{}, apperr.Wrap(err, apperr.Invalid, "节假日安排文件无法解析："+err.Error())
		}
		return sch, nil
	case "ics":
		if year < 2000 || year > 2200 {
			return Schedule{}, apperr.Field("year", "导入 ICS 日历须指定年份")
		}
		sch, err := ParseScheduleICS(bytes.NewReader(data), year)
		if err != nil {
			return Schedule{}, apperr.Wrap(err, apperr.Invalid, "ICS 日历文件无法解析："+err.Error())
		}
		return sch, nil
	}
	return Schedule{}, apperr.Field("format", "请选择文件格式：JSON（holiday-cn 格式）或 ICS")
}

// checkFits builds a trial calendar so that a schedule that cannot be used
// is refused before it is stored.
func (s *Service) checkFits(sch Schedule) error {
	trial := append(EmbeddedSchedules(), sch)
	if _, err := New(trial, nil); err != nil {
		return apperr.Wrap(err, apperr.Invalid, "节假日安排无法使用："+err.Error())
	}
	return nil
}

type dayJSON struct {
	Name     string `json:"name"`
	Date     string `json:"date"`
	IsOffDay bool   `json:"isOffDay"`
}

type scheduleFile struct {
	Year   int       `json:"year"`
	Papers []string  `json:"papers"`
	Days   []dayJSON `json:"days"`
}

// scheduleJSON renders a schedule in the holiday-cn format it is stored in.
func scheduleJSON(sch Schedule) scheduleFile {
	f := scheduleFile{Year: sch.Year, Papers: sch.Papers, Days: []dayJSON{}}
	if f.Papers == nil {
		f.Papers = []string{}
	}
	for _, d := range sch.Days {
		f.Days = append(f.Days, dayJSON{Name: d.Name, Date: d.Date.String(), IsOffDay: d.IsOffDay})
	}
	return f
}
