package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/supervision"
)

func (s *Server) registerSupervisionEvalRoutes() {
	s.mux.HandleFunc("GET /supervision/evaluation", s.requireStaff(s.handleEvaluation))
	s.mux.HandleFunc("GET /supervision/evaluation.xlsx", s.requireStaff(s.handleEvaluationXLSX))
	s.mux.HandleFunc("POST /supervision/evaluation/freeze", s.requireStaff(s.handleFreeze))
	s.mux.HandleFunc("GET /supervision/rules", s.requireStaff(s.handleRules))
	s.mux.HandleFunc("POST /supervision/rules", s.requireStaff(s.handleSaveRules))
}

type evaluationPage struct {
	Page
	Centres    []*org.Centre
	Centre     int64
	Period     string
	E          *supervision.Evaluation
	Trend      chart
	ByDept     chart
	Weeks      chart
	Ended      bool
	CanFreeze  bool
	Query      template.URL
	Indicators [][2]string
}

// evaluationTarget reads the centre (default: the first in scope) and the
// period (default: this month) of an evaluation request.
func (s *Server) evaluationTarget(r *http.Request, sv *supervision.Service) ([]*org.Centre, int64, supervision.Period, error) {
	a := httpkit.ActorFrom(r.Context())
	centres, err := sv.Centres(r.Context(), a)
	if err != nil {
		return nil, 0, supervision.Period{}, err
	}
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.PostForm
	}
	centre, _ := strconv.ParseInt(q.Get("centre"), 10, 64)
	if centre == 0 && len(centres) > 0 {
		centre = centres[0].ID
	}
	if centre == 0 {
		return centres, 0, supervision.Period{}, apperr.New(apperr.NotFound, "您的监察范围内没有服务中心")
	}
	p := supervision.MonthPeriod(sv.Now())
	if v := strings.TrimSpace(q.Get("period")); v != "" {
		if p, err = supervision.ParsePeriod(v); err != nil {
			return centres, centre, p, err
		}
	}
	return centres, centre, p, nil
}

func (s *Server) handleEvaluation(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	centres, centre, p, err := s.evaluationTarget(r, sv)
	if err != nil {
		return err
	}
	ev, err := sv.Evaluate(r.Context(), a, centre, p)
	if err != nil {
		return err
	}
	trend, err := sv.Trend(r.Context(), a, centre, 12)
	if err != nil {
		return err
	}
	weeks, err := sv.CardsByWeek(r.Context(), a, 0, 12)
	if err != nil {
		return err
	}
	page := evaluationPage{Page: s.page(w, r, "绩效评估"), Centres: centres, Centre: centre, Period: p.String(), E: ev,
		Trend: trendChart(trend), ByDept: deptChart(ev), Weeks: weeksChart(weeks), Ended: !sv.Now().Before(p.End()),
		Query: template.URL(url.Values{"centre": {strconv.FormatInt(centre, 10)}, "period": {p.String()}}.Encode()), Indicators: ev.Indicators}
	page.CanFreeze = !ev.Frozen && page.Ended && (a.Has(identity.RoleSupervisor) || a.Has(identity.RoleSysAdmin))
	return s.render(w, http.StatusOK, "supervision/evaluation", page)
}

func trendChart(ps []supervision.MonthPoint) chart {
	c := chart{Title: "近 12 个月按时办结率", Line: true, Percent: true, Series: []series{{Name: "按时办结率", Colour: "#1a5fb4"}}}
	for _, p := range ps {
		c.Labels = append(c.Labels, p.Month[2:])
		c.Series[0].Values = append(c.Series[0].Values, p.OnTimeRate())
	}
	return c
}

func deptChart(ev *supervision.Evaluation) chart {
	c := chart{Title: "各部门收件与办结", Series: []series{{Name: "办结", Colour: "#2e7d32"}, {Name: "在办及其他", Colour: "#9e9e9e"}}}
	for _, r := range ev.Depts {
		c.Labels = append(c.Labels, shortName(r.Name))
		c.Series[0].Values = append(c.Series[0].Values, float64(r.Counts.Decided))
		c.Series[1].Values = append(c.Series[1].Values, float64(max(r.Counts.Received-r.Counts.Decided, 0)))
	}
	return c
}

// shortName keeps a label short enough for a chart axis.
func shortName(s string) string {
	r := []rune(s)
	if len(r) > 6 {
		return string(r[len(r)-6:])
	}
	return s
}

func (s *Server) handleEvaluationXLSX(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	_, centre, p, err := s.evaluationTarget(r, sv)
	if err != nil {
		return err
	}
	ev, err := sv.Evaluate(r.Context(), httpkit.ActorFrom(r.Context()), centre, p)
	if err != nil {
		return err
	}
	data, err := supervision.EvaluationXLSX(ev)
	if err != nil {
		return err
	}
	return sendXLSX(w, ev.CentreName+p.String()+"绩效评估.xlsx", data)
}

func (s *Server) handleFreeze(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	_, centre, p, err := s.evaluationTarget(r, sv)
	if err != nil {
		return err
	}
	if _, err := sv.Freeze(r.Context(), httpkit.ActorFrom(r.Context()), centre, p); err != nil {
		return err
	}
	q := url.Values{"centre": {strconv.FormatInt(centre, 10)}, "period": {p.String()}}
	return s.redirect(w, r, "/supervision/evaluation?"+q.Encode(), p.Label()+"已关闭，考核结果不再改变")
}

type rulesPage struct {
	Page
	Centres []*org.Centre
	Centre  int64
	R       supervision.Rules
	Form    form
	CanEdit bool
	Labels  [][2]string
}

func (s *Server) rulesPage(w http.ResponseWriter, r *http.Request, status int, f form) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	centres, centre, _, err := s.evaluationTarget(r, sv)
	if err != nil {
		return err
	}
	rules, err := sv.RulesOf(r.Context(), a, centre)
	if err != nil {
		return err
	}
	return s.render(w, status, "supervision/rules", rulesPage{Page: s.page(w, r, "监察规则"), Centres: centres, Centre: centre,
		R: rules, Form: f, CanEdit: a.Has(identity.RoleSysAdmin), Labels: sv.IndicatorLabels()})
}

func (s *Server) handleRules(w http.ResponseWriter, r *http.Request) error {
	return s.rulesPage(w, r, http.StatusOK, newForm(nil, nil))
}

// handleSaveRules stores a centre's thresholds and evaluation policy.
func (s *Server) handleSaveRules(w http.ResponseWriter, r *http.Request) error {
	sv, err := s.supervision()
	if err != nil {
		return err
	}
	centre, _ := strconv.ParseInt(r.PostFormValue("centre"), 10, 64)
	rules, err := rulesOf(r.PostForm, sv.IndicatorLabels())
	if err == nil {
		_, err = sv.SaveRules(r.Context(), httpkit.ActorFrom(r.Context()), centre, rules)
	}
	if apperr.Is(err, apperr.Invalid) {
		return s.rulesPage(w, r, http.StatusUnprocessableEntity, newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/supervision/rules?centre="+strconv.FormatInt(centre, 10), "监察规则已保存，自各办件下次评估起适用")
}

// rulesOf reads the rules form; every number is checked for its field.
func rulesOf(v url.Values, labels [][2]string) (supervision.Rules, error) {
	var fs apperr.Fields
	num := func(name string) int {
		n, err := strconv.Atoi(strings.TrimSpace(v.Get(name)))
		fs.Check(err != nil, name, "请输入整数")
		return n
	}
	r := supervision.Rules{YellowPercent: num("yellow_percent"), YellowDays: num("yellow_days"), ReasonMinRunes: num("reason_min_runes"),
		BackfillMinutes: num("backfill_minutes"), Policy: supervision.Policy{Weights: map[string]int{}, Excellent: num("excellent"),
			Good: num("good"), Pass: num("pass"), YellowPenalty: num("yellow_penalty"), RedPenalty: num("red_penalty"),
			OrderPenalty: num("order_penalty")}}
	for _, l := range labels {
		r.Policy.Weights[l[0]] = num("weight." + l[0])
	}
	return r, fs.Err()
}
