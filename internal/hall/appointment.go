package hall

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
	"openhall/internal/notify"
)

// Appointments at the window (预约到窗口): an applicant asks for a half day
// at the centre handling an item that allows appointments; a window clerk
// of that region confirms it (saying where and when exactly) or declines
// it with a reason; the applicant is told either way, and may cancel.

// AppointmentStatus is where a request stands.
type AppointmentStatus string

// Appointment statuses.
const (
	AppointmentRequested AppointmentStatus = "requested"
	AppointmentConfirmed AppointmentStatus = "confirmed"
	AppointmentDeclined  AppointmentStatus = "declined"
	AppointmentCancelled AppointmentStatus = "cancelled"
)

// Label is the status's Chinese name.
func (s AppointmentStatus) Label() string {
	switch s {
	case AppointmentRequested:
		return "待窗口确认"
	case AppointmentConfirmed:
		return "已确认"
	case AppointmentDeclined:
		return "未能安排"
	case AppointmentCancelled:
		return "已取消"
	}
	return string(s)
}

// Appointment is a request for a half day at the window.
type Appointment struct {
	ID           int64
	ItemID       int64
	ItemName     string // filled when loaded
	ImplCode     string // filled when loaded
	RegionPath   string
	DepartmentID int64
	UserID       int64
	UserName     string // filled when loaded
	Day          calendar.Date
	Slot         string // am or pm
	Note         string
	Status       AppointmentStatus
	Answer       string // where and when exactly, or why not
	DecidedBy    int64
	DecidedAt    time.Time
	CreatedAt    time.Time
}

// SlotLabel names the half day.
func (ap *Appointment) SlotLabel() string { return slotLabel(ap.Slot) }

func slotLabel(s string) string {
	if s == "pm" {
		return "下午"
	}
	return "上午"
}

// AppointmentInput asks for an appointment.
type AppointmentInput struct {
	ImplCode string
	Day      string // YYYY-MM-DD
	Slot     string
	Note     string
}

// maxAheadDays is how far ahead an appointment may be asked for.
const maxAheadDays = 30

// RequestAppointment records a request for the window to confirm.
func (s *Service) RequestAppointment(ctx context.Context, a *identity.Actor, in AppointmentInput) (*Appointment, error) {
	if !a.IsPublic() {
		return nil, apperr.New(apperr.Forbidden, "预约由申请人本人提出，请使用个人或法人账号")
	}
	it, err := s.d.Catalog.ItemByCode(ctx, strings.TrimSpace(in.ImplCode))
	if err != nil {
		return nil, err
	}
	v, err := s.d.Catalog.CurrentVersion(ctx, it.ID)
	if err != nil || !v.Guide.Appointment || !it.Accepting() {
		return nil, apperr.New(apperr.Conflict, "“%s”不支持预约办理", it.Name)
	}
	path, err := s.d.Orgs.RegionPath(ctx, it.RegionID)
	if err != nil {
		return nil, err
	}
	day, err := s.checkAppointment(path, in)
	if err != nil {
		return nil, err
	}
	ap := &Appointment{ItemID: it.ID, RegionPath: path, DepartmentID: it.DepartmentID, UserID: a.UserID, Day: day,
		Slot: in.Slot, Note: strings.TrimSpace(in.Note), Status: AppointmentRequested, CreatedAt: s.d.Now()}
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		ap.ID = 0
		if err := s.d.Store.CreateAppointment(ctx, ap); err != nil {
			return err
		}
		return s.record(ctx, a, "region:"+path, "hall.appointment.request", "appointment", ap.ID,
			map[string]any{"item": it.ImplCode, "day": day.String(), "slot": ap.Slot})
	})
	if err != nil {
		return nil, err
	}
	return s.d.Store.FindAppointment(ctx, ap.ID)
}

// checkAppointment: a working day of the item's region, from tomorrow on
// and at most 30 days ahead, in the morning or the afternoon.
func (s *Service) checkAppointment(path string, in AppointmentInput) (calendar.Date, error) {
	var f apperr.Fields
	today := calendar.DateOf(s.d.Now())
	day, err := calendar.ParseDate(strings.TrimSpace(in.Day))
	switch {
	case err != nil:
		f.Add("day", "请选择预约日期（如 2026-12-08）")
	case !day.After(today) || day.Sub(today) > maxAheadDays:
		f.Add("day", fmt.Sprintf("可预约明天起 %d 天内的工作日", maxAheadDays))
	default:
		cal, err := s.d.Calendars.ForRegion(path)
		if err != nil {
			return day, err
		}
		if ok, err := cal.IsWorkday(day); err != nil || !ok {
			f.Add("day", day.String()+" 不是工作日，请另选一天")
		}
	}
	f.Check(in.Slot != "am" && in.Slot != "pm", "slot", "请选择上午或下午")
	f.Check(utf8.RuneCountInString(in.Note) > 200, "note", "备注不能超过 200 个字")
	return day, f.Err()
}

// MyAppointments lists an applicant's appointments, newest first.
func (s *Service) MyAppointments(ctx context.Context, a *identity.Actor) ([]*Appointment, error) {
	if a == nil {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	return s.d.Store.FindAppointments(ctx, AppointmentFilter{UserID: a.UserID, Limit: 50})
}

// AppointmentQueue lists the requests waiting at the windows a clerk serves.
func (s *Service) AppointmentQueue(ctx context.Context, a *identity.Actor) ([]*Appointment, error) {
	var prefixes []string
	for _, g := range a.Grants {
		if g.Role == identity.RoleWindowClerk {
			prefixes = append(prefixes, g.RegionPath)
		}
	}
	if len(prefixes) == 0 {
		return nil, apperr.New(apperr.Forbidden, "只有窗口人员处理预约")
	}
	return s.d.Store.FindAppointments(ctx, AppointmentFilter{Statuses: []AppointmentStatus{AppointmentRequested},
		RegionPrefixes: prefixes, Limit: 100})
}

// AnswerAppointment confirms a request (saying where and when exactly) or
// declines it (saying why); the applicant is told in the same transaction.
func (s *Service) AnswerAppointment(ctx context.Context, a *identity.Actor, id int64, confirm bool, answer string) (*Appointment, error) {
	answer = strings.TrimSpace(answer)
	if n := utf8.RuneCountInString(answer); n < 2 || n > 200 {
		what := "未能安排的原因"
		if confirm {
			what = "到窗口办理的具体时间和窗口（如“上午 9:30，A01 综合窗口”）"
		}
		return nil, apperr.Field("answer", "请填写"+what+"（不超过 200 字）")
	}
	to := AppointmentDeclined
	if confirm {
		to = AppointmentConfirmed
	}
	return s.moveAppointment(ctx, a, id, to, answer, func(ap *Appointment) error {
		if !a.HasIn(identity.RoleWindowClerk, ap.RegionPath, 0) && !a.HasIn(identity.RoleWindowClerk, ap.RegionPath, ap.DepartmentID) {
			return apperr.New(apperr.Forbidden, "只有该事项办理地的窗口人员可以确认预约")
		}
		return nil
	})
}

// CancelAppointment withdraws a request or a confirmed appointment.
func (s *Service) CancelAppointment(ctx context.Context, a *identity.Actor, id int64) (*Appointment, error) {
	return s.moveAppointment(ctx, a, id, AppointmentCancelled, "", func(ap *Appointment) error {
		if a == nil || ap.UserID != a.UserID {
			return apperr.New(apperr.NotFound, "预约不存在")
		}
		return nil
	})
}

func (s *Service) moveAppointment(ctx context.Context, a *identity.Actor, id int64, to AppointmentStatus, answer string,
	may func(*Appointment) error) (*Appointment, error) {
	var ap *Appointment
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if ap, err = s.d.Store.FindAppointment(ctx, id); err != nil {
			return err
		}
		if err := may(ap); err != nil {
			return err
		}
		from := ap.Status
		if from != AppointmentRequested && !(from == AppointmentConfirmed && to == AppointmentCancelled) {
			return apperr.New(apperr.Conflict, "该预约%s，不能再办理", from.Label())
		}
		ap.Status, ap.DecidedAt = to, s.d.Now()
		if to != AppointmentCancelled {
			ap.Answer, ap.DecidedBy = answer, a.UserID
		}
		if err := s.d.Store.UpdateAppointment(ctx, ap, from); err != nil {
			return err
		}
		if err := s.record(ctx, a, "region:"+ap.RegionPath, "hall.appointment."+string(to), "appointment", ap.ID,
			map[string]any{"from": from, "to": to}); err != nil {
			return err
		}
		return s.tellApplicant(ctx, ap, to)
	})
	return ap, err
}

func (s *Service) tellApplicant(ctx context.Context, ap *Appointment, to AppointmentStatus) error {
	if to == AppointmentCancelled {
		return nil
	}
	when := fmt.Sprintf("%s %s", ap.Day, ap.SlotLabel())
	body := fmt.Sprintf("您预约的“%s”（%s）已确认：%s。请携带申请材料原件按时到窗口办理。", ap.ItemName, when, ap.Answer)
	if to == AppointmentDeclined {
		body = fmt.Sprintf("您预约的“%s”（%s）未能安排：%s。您可以另选时间预约。", ap.ItemName, when, ap.Answer)
	}
	_, err := s.d.Notifier.Notify(ctx, notify.Message{UserID: ap.UserID, Kind: "hall.appointment." + string(to),
		Title: "预约" + to.Label(), Body: body, Link: "/appointments", Email: true, SMS: true})
	return err
}
