package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/complaint"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/rating"
)

func (s *Server) registerRatingReportRoutes() {
	s.mux.HandleFunc("GET /staff/ratings/report", s.requireStaff(s.handleRatingReport))
	s.mux.HandleFunc("GET /staff/ratings/report.xlsx", s.requireStaff(s.handleRatingReportXLSX))
	s.mux.HandleFunc("GET /staff/ratings/exchange", s.requireStaff(s.handleRatingExchange))
	s.mux.HandleFunc("GET /staff/ratings/export.json", s.requireStaff(s.handleRatingExport))
	s.mux.HandleFunc("POST /staff/ratings/import", s.requireStaff(s.handleRatingImport))
	s.mux.HandleFunc("GET /admin/rating-limits", s.requireRole(identity.RoleSysAdmin, s.handleLimits))
	s.mux.HandleFunc("POST /admin/rating-limits", s.requireRole(identity.RoleSysAdmin, s.handleLimitsSave))
}

// reportQuery reads the report's filters; the period defaults to this
// month so far.
func (s *Server) reportQuery(r *http.Request) (rating.FigureQuery, error) {
	q := r.URL.Query()
	today := s.svc.Ratings.Today()
	fq := rating.FigureQuery{By: rating.Dimension(q.Get("by")), From: calendar.NewDate(today.Year(), today.Month(), 1), To: today,
		RegionPath: q.Get("region")}
	if fq.By == "" {
		fq.By = rating.ByDepartment
	}
	var f apperr.Fields
	f.Check(!fq.By.Valid(), "by", "请选择统计维度：部门、窗口、工作人员或事项")
	for _, d := range []struct {
		name, label string
		dst         *calendar.Date
	}{{"from", "开始日期", &fq.From}, {"to", "结束日期", &fq.To}} {
		if v := q.Get(d.name); v != "" {
			// ParseDate's message names what is wrong: the format
			// (应为 YYYY-MM-DD) or a day that does not exist (2026-02-30).
			got, err := calendar.ParseDate(v)
			if err != nil {
				f.Add(d.name, d.label+"："+err.Error())
				continue
			}
			*d.dst = got
		}
	}
	return fq, f.Err()
}

// reportValues are the report form's values: what was typed, and the
// period's default dates where nothing was.
func reportValues(r *http.Request, q rating.FigureQuery) url.Values {
	v := r.URL.Query()
	for name, d := range map[string]calendar.Date{"from": q.From, "to": q.To} {
		if v.Get(name) == "" {
			v.Set(name, d.String())
		}
	}
	return v
}

type ratingReportPage struct {
	Page
	Query      rating.FigureQuery
	Figures    *rating.Figures
	Complaints *complaint.Figures
	Dimensions []rating.Dimension
	Regions    []*org.Region
	Form       form
	XLSX       string
}

// handleRatingReport shows satisfaction and complaint figures per
// department, window, person or item over a period.
func (s *Server) handleRatingReport(w http.ResponseWriter, r *http.Request) error {
	q, err := s.reportQuery(r)
	p := ratingReportPage{Page: s.page(w, r, "评价与投诉统计"), Query: q, Dimensions: []rating.Dimension{rating.ByDepartment, rating.ByWindow, rating.ByStaff, rating.ByItem},
		Form: newForm(reportValues(r, q), err), XLSX: "/staff/ratings/report.xlsx?" + r.URL.RawQuery}
	p.Regions, _ = s.svc.Org.SupervisedRegions(r.Context(), httpkit.ActorFrom(r.Context()))
	if err == nil {
		p.Figures, p.Complaints, err = s.figures(r, q)
	}
	if apperr.Is(err, apperr.Invalid) {
		p.Form = newForm(reportValues(r, q), err)
		return s.render(w, http.StatusUnprocessableEntity, "ratings/report", p)
	}
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "ratings/report", p)
}

func (s *Server) figures(r *http.Request, q rating.FigureQuery) (*rating.Figures, *complaint.Figures, error) {
	a := httpkit.ActorFrom(r.Context())
	f, err := s.svc.Ratings.Figures(r.Context(), a, q)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.svc.Complaints.Figures(r.Context(), a, complaint.FigureQuery{By: string(q.By), From: q.From, To: q.To, RegionPath: q.RegionPath})
	return f, c, err
}

// handleRatingReportXLSX downloads the report as a workbook.
// A query it cannot answer shows the report page with the fields named.
func (s *Server) handleRatingReportXLSX(w http.ResponseWriter, r *http.Request) error {
	q, err := s.reportQuery(r)
	var f *rating.Figures
	var c *complaint.Figures
	if err == nil {
		f, c, err = s.figures(r, q)
	}
	if apperr.Is(err, apperr.Invalid) {
		return s.handleRatingReport(w, r)
	}
	if err != nil {
		return err
	}
	title := fmt.Sprintf("评价与投诉统计 %s 至 %s", q.From, q.To)
	b, err := rating.WorkbookXLSX(title, rating.FigureSheet(f), complaintSheet(c))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", rating.XLSXType)
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(title+".xlsx"))
	_, err = w.Write(b)
	return err
}

func complaintSheet(c *complaint.Figures) rating.Sheet {
	s := rating.Sheet{Name: "投诉统计", Header: []string{"对象", "收到", "不予受理", "已答复", "答复已评价", "答复满意", "满意率(%)", "重新办理"}}
	for _, r := range append(append([]complaint.FigureRow(nil), c.Rows...), c.Sum) {
		s.Rows = append(s.Rows, []any{r.Label, r.Received, r.Refused, r.Answered, r.Rated, r.Satisfied, rating.RateCell(r.SatisfiedRate(), r.Rated), r.Reopened})
	}
	return s
}

// canExchangeAnywhere reports whether the actor may export or import in
// some region.
func canExchangeAnywhere(a *identity.Actor) bool {
	return a.Has(identity.RoleSupervisor) || a.Has(identity.RoleSysAdmin)
}

type exchangePage struct {
	Page
	Regions []*org.Region
	From    string
	To      string
	Result  *rating.ImportResult
	Form    form
}

func (s *Server) exchangeRegions(r *http.Request) []*org.Region {
	a := httpkit.ActorFrom(r.Context())
	var out []*org.Region
	for _, g := range a.Grants {
		if (g.Role == identity.RoleSupervisor || g.Role == identity.RoleSysAdmin) && g.RegionID != nil {
			if reg, err := s.svc.Org.Region(r.Context(), *g.RegionID); err == nil {
				out = append(out, reg)
			}
		}
	}
	return out
}

// handleRatingExchange shows the export and import forms of the national format.
func (s *Server) handleRatingExchange(w http.ResponseWriter, r *http.Request) error {
	if !canExchangeAnywhere(httpkit.ActorFrom(r.Context())) {
		return apperr.New(apperr.Forbidden, "只有监察人员或系统管理员可以导出、导入评价数据")
	}
	today := s.svc.Ratings.Today()
	p := exchangePage{Page: s.page(w, r, "好差评数据交换"), Regions: s.exchangeRegions(r), From: calendar.NewDate(today.Year(), today.Month(), 1).String(),
		To: today.String(), Form: newForm(nil, nil)}
	return s.render(w, http.StatusOK, "ratings/exchange", p)
}

// handleRatingExport downloads the ratings of a period as national records.
func (s *Server) handleRatingExport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	from, err1 := calendar.ParseDate(q.Get("from"))
	to, err2 := calendar.ParseDate(q.Get("to"))
	if err1 != nil || err2 != nil {
		return apperr.Field("from", "请选择导出期间（日期格式 2026-03-01）")
	}
	recs, err := s.svc.Ratings.Export(r.Context(), httpkit.ActorFrom(r.Context()), rating.ExportQuery{From: from, To: to, RegionPath: q.Get("region")})
	if err != nil {
		return err
	}
	name := fmt.Sprintf("haochaping-%s-%s.json", from, to)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", "attachment; filename="+name)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	return enc.Encode(recs)
}

// maxImportBytes bounds an import file.
const maxImportBytes = 32 << 20

// handleRatingImport checks (and unless asked only to check, imports) a file of
// national records into a region.
func (s *Server) handleRatingImport(w http.ResponseWriter, r *http.Request) error {
	today := s.svc.Ratings.Today()
	p := exchangePage{Page: s.page(w, r, "好差评数据交换"), Regions: s.exchangeRegions(r), Form: newForm(nil, nil),
		From: calendar.NewDate(today.Year(), today.Month(), 1).String(), To: today.String()}
	up, err := s.uploaded(r, "file", maxImportBytes)
	p.Form = newForm(r.PostForm, nil)
	if err == nil {
		dry := first(r.PostForm, "dry_run") == "1"
		p.Result, err = s.svc.Ratings.Import(r.Context(), httpkit.ActorFrom(r.Context()), first(r.PostForm, "region"), up.Data, dry)
	}
	if formError(err) || apperr.Is(err, apperr.Conflict) {
		p.Form = newForm(r.PostForm, err)
		return s.render(w, http.StatusUnprocessableEntity, "ratings/exchange", p)
	}
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "ratings/exchange", p)
}

type limitsPage struct {
	Page
	Regions []regionLimits
	Form    form
}

type regionLimits struct {
	Region *org.Region
	Limits rating.Limits
	Own    bool // set for this region, not inherited
}

// handleLimits shows the rating periods of the regions the administrator
// administers.
func (s *Server) handleLimits(w http.ResponseWriter, r *http.Request) error {
	return s.limitsPage(w, r, http.StatusOK, newForm(nil, nil))
}

func (s *Server) limitsPage(w http.ResponseWriter, r *http.Request, status int, f form) error {
	regions, err := s.svc.Org.AdminRegions(r.Context(), httpkit.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	p := limitsPage{Page: s.page(w, r, "评价与整改时限"), Form: f}
	for _, reg := range regions {
		l, err := s.svc.Ratings.LimitsFor(r.Context(), reg.Path)
		if err != nil {
			return err
		}
		p.Regions = append(p.Regions, regionLimits{Region: reg, Limits: l, Own: l.RegionID == reg.ID})
		if f.Message != "" && f.Get("region_id") == strconv.FormatInt(reg.ID, 10) {
			// Every row has the same fields: the summary says whose failed.
			p.Form.Message = reg.Name + "的时限未保存：" + f.Message
		}
	}
	return s.render(w, status, "ratings/limits", p)
}

func (s *Server) handleLimitsSave(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	var f apperr.Fields
	num := func(k, label string) int {
		n, err := strconv.Atoi(strings.TrimSpace(v.Get(k)))
		f.Check(err != nil, k, label+"须填写整数（工作日数）")
		return n
	}
	in := rating.LimitsInput{CallbackDays: num("callback_days", "回访时限"), RectifyDays: num("rectify_days", "整改时限"),
		DefaultDays: num("default_days", "评价时效")}
	id, err := requiredID(v, "region_id", "地区")
	if err != nil { // a hidden field: nothing on the page to point at
		err = apperr.New(apperr.Invalid, "未指明地区：请在要设置的地区一行修改后点“保存”")
	}
	if err == nil { // a number that is not one is named as such, the others by their ranges
		for k, m := range apperr.FieldsOf(in.Validate()) {
			f.Add(k, m)
		}
		err = f.Err()
	}
	if err == nil {
		in.RegionID = id
		_, err = s.svc.Ratings.SetLimits(r.Context(), httpkit.ActorFrom(r.Context()), in)
	}
	if apperr.Is(err, apperr.Invalid) {
		return s.limitsPage(w, r, http.StatusUnprocessableEntity, newForm(v, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/admin/rating-limits", "时限已保存，此后生成的工单按新时限计算")
}
