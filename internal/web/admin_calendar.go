package web

import (
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
)

func (s *Server) registerCalendarRoutes() {
	admin := func(fn handlerFunc) http.HandlerFunc { return s.requireRole(identity.RoleSysAdmin, fn) }
	s.mux.HandleFunc("GET /admin/calendar", admin(s.handleCalendar))
	s.mux.HandleFunc("POST /admin/calendar/import", admin(s.handleCalendarImport))
	s.mux.HandleFunc("POST /admin/calendar/schedules", admin(s.handleScheduleEnter))
	s.mux.HandleFunc("POST /admin/calendar/overrides", admin(s.handleOverrideAdd))
	s.mux.HandleFunc("POST /admin/calendar/overrides/{id}/delete", admin(s.handleOverrideDelete))
}

type calendarPage struct {
	Page
	MissingYear int  // next year's schedule is not imported (from 1 November)
	Global      bool // an administrator of the whole deployment, who alone imports or enters schedules
	Years       []int
	Overrides   []*calendar.StoredOverride
	Regions     []option
	ImportForm  form
	AddForm     form
	CalcForm    form
	CalcResult  string
	EnterForm   form
	Holidays    []int // the rows of the hand-entry form
	MakeUps     []int
}

// holidayNames prefill the hand-entry form's rows in the order of a notice.
var holidayNames = []string{"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}

// enterForm is the hand-entry form, its holiday rows named.
func enterForm(v url.Values, err error) form {
	if v == nil {
		v = url.Values{}
		for i, n := range holidayNames {
			v.Set("holidays."+strconv.Itoa(i)+".name", n)
		}
	}
	return newForm(v, err)
}

func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request, status int, p calendarPage) error {
	up, err := s.unitPage(w, r, "工作日历", newForm(nil, nil))
	if err != nil {
		return err
	}
	p.Page, p.Regions = up.Page, up.Regions
	p.Global = httpkit.ActorFrom(r.Context()).IsGlobalAdmin()
	p.Years = s.svc.Calendar.National().Years()
	if year, missing := s.svc.Calendar.MissingNextYear(); missing {
		p.MissingYear = year
	}
	if p.EnterForm.Values == nil {
		p.EnterForm = enterForm(nil, nil)
	}
	p.Holidays, p.MakeUps = rows(9), rows(8)
	if p.Overrides, err = s.svc.Calendar.Overrides(r.Context()); err != nil {
		return err
	}
	return s.render(w, status, "admin/calendar", p)
}

// handleCalendar shows the calendar and, when asked, computes a deadline.
func (s *Server) handleCalendar(w http.ResponseWriter, r *http.Request) error {
	p := calendarPage{ImportForm: newForm(nil, nil), AddForm: newForm(nil, nil), CalcForm: newForm(r.URL.Query(), nil)}
	status := http.StatusOK
	if q := r.URL.Query(); q.Get("from") != "" {
		res, err := s.calculate(q)
		if err != nil {
			p.CalcForm, status = newForm(q, err), http.StatusUnprocessableEntity
		}
		p.CalcResult = res
	}
	return s.calendarPage(w, r, status, p)
}

// calculate answers the two questions of the calculator.
func (s *Server) calculate(q url.Values) (string, error) {
	cal := s.svc.Calendar.National()
	from, err := calendar.ParseDate(strings.TrimSpace(q.Get("from")))
	if err != nil {
		return "", apperr.Field("from", apperr.MessageOf(apperr.Wrap(err, apperr.Invalid, err.Error())))
	}
	if to := strings.TrimSpace(q.Get("to")); to != "" {
		toDate, err := calendar.ParseDate(to)
		if err != nil {
			return "", apperr.Field("to", err.Error())
		}
		n, err := cal.WorkdaysBetween(from, toDate)
		if err != nil {
			return "", apperr.Field("to", err.Error())
		}
		return from.String() + " 之后至 " + toDate.String() + "（含）共 " + strconv.Itoa(n) + " 个工作日" +
			calendar.ProvisionalNote(cal.Provisional(from, toDate)), nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(q.Get("n")))
	if err != nil || n < 0 || n > 3650 {
		return "", apperr.Field("n", "请填写 0–3650 之间的工作日数")
	}
	due, err := cal.AddWorkdays(from, n)
	if err != nil {
		return "", apperr.Field("n", err.Error())
	}
	return from.String() + " 起算 " + strconv.Itoa(n) + " 个工作日，期满日为 " + due.String() + "（" + weekday(due) + "）" +
		calendar.ProvisionalNote(cal.Provisional(from, due)), nil
}

func weekday(d calendar.Date) string {
	return [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}[d.Weekday()]
}

// maxScheduleBytes bounds an uploaded holiday schedule.
const maxScheduleBytes = 1 << 20

func (s *Server) handleCalendarImport(w http.ResponseWriter, r *http.Request) error {
	ups, err := s.readUploads(r, 0, memoryFile("file", maxScheduleBytes))
	if err == nil && len(ups) == 0 {
		err = apperr.Field("file", "请选择要导入的文件（不超过 1 MB）")
	}
	if err != nil {
		return s.importFailed(w, r, err)
	}
	name := ups[0].Name
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
	year, _ := strconv.Atoi(r.PostForm.Get("year"))
	sch, err := s.svc.Calendar.ImportSchedule(r.Context(), httpkit.ActorFrom(r.Context()), format, name, year, ups[0].Data)
	if formError(err) {
		return s.importFailed(w, r, err)
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/admin/calendar", "已导入 "+strconv.Itoa(sch.Year)+" 年节假日安排（"+strconv.Itoa(len(sch.Days))+" 天调整），涉及的到期日正在自动更正")
}

func (s *Server) importFailed(w http.ResponseWriter, r *http.Request, err error) error {
	if apperr.FieldsOf(err) == nil {
		err = apperr.Field("file", apperr.MessageOf(err))
	}
	p := calendarPage{ImportForm: newForm(url.Values{"year": {r.PostForm.Get("year")}}, err), AddForm: newForm(nil, nil), CalcForm: newForm(nil, nil)}
	return s.calendarPage(w, r, http.StatusUnprocessableEntity, p)
}

func (s *Server) handleOverrideAdd(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	regionID, err := requiredID(v, "region_id", "区域")
	if err == nil {
		in := calendar.OverrideInput{RegionID: regionID, Date: v.Get("date"), IsOffDay: v.Get("is_off_day") == "1", Name: v.Get("name")}
		_, err = s.svc.Calendar.AddOverride(r.Context(), httpkit.ActorFrom(r.Context()), in)
	}
	if apperr.Is(err, apperr.Invalid) {
		p := calendarPage{ImportForm: newForm(nil, nil), AddForm: newForm(v, err), CalcForm: newForm(nil, nil)}
		return s.calendarPage(w, r, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/admin/calendar", "已添加工作日历调整："+v.Get("date"))
}

func (s *Server) handleOverrideDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.svc.Calendar.DeleteOverride(r.Context(), httpkit.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	return s.redirect(w, r, "/admin/calendar", "已删除该调整")
}

func rows(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// handleScheduleEnter stores a year's schedule typed from the notice.
func (s *Server) handleScheduleEnter(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	year, _ := strconv.Atoi(strings.TrimSpace(v.Get("notice_year")))
	in := calendar.ManualSchedule{Year: year, Paper: v.Get("notice_paper")}
	for i := 0; i < 20; i++ {
		k := "holidays." + strconv.Itoa(i) + "."
		if v.Has(k + "name") {
			in.Holidays = append(in.Holidays, calendar.HolidayBlock{Name: v.Get(k + "name"), From: v.Get(k + "from"), To: v.Get(k + "to")})
		}
		if k := "makeups." + strconv.Itoa(i) + "."; v.Has(k + "date") {
			in.MakeUps = append(in.MakeUps, calendar.MakeUpDay{Date: v.Get(k + "date"), Name: v.Get(k + "name")})
		}
	}
	sch, err := s.svc.Calendar.EnterSchedule(r.Context(), httpkit.ActorFrom(r.Context()), in)
	if apperr.Is(err, apperr.Invalid) {
		p := calendarPage{ImportForm: newForm(nil, nil), AddForm: newForm(nil, nil), CalcForm: newForm(nil, nil), EnterForm: enterForm(v, noticeErrors(err))}
		return s.calendarPage(w, r, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/admin/calendar", "已录入 "+strconv.Itoa(sch.Year)+" 年节假日安排（"+strconv.Itoa(len(sch.Days))+" 天调整），涉及的到期日正在自动更正")
}

// noticeErrors names the year and the notice as the hand-entry form does,
// apart from the import form's year on the same page.
func noticeErrors(err error) error {
	fs := apperr.FieldsOf(err)
	out := apperr.Fields{}
	for k, msg := range fs {
		if k == "year" || k == "paper" {
			k = "notice_" + k
		}
		out[k] = msg
	}
	return &apperr.Error{Code: apperr.Invalid, Message: apperr.MessageOf(err), Fields: out}
}
