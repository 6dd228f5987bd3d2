package web

import (
	"net/http"
	"net/url"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/powers"
	"openhall/internal/publicity"
)

type periodsPage struct {
	Page
	Form   form
	Kinds  []string
	Global bool // an administrator of the whole deployment, who alone sets the periods
}

// Field names the form field of a kind's period.
func (periodsPage) Field(kind string) string { return "months." + kind }

// handlePeriods shows the publication periods of penalty decisions.
func (s *Server) handlePeriods(w http.ResponseWriter, r *http.Request) error {
	p, err := s.svc.Publicity.Periods(r.Context())
	if err != nil {
		return err
	}
	v := url.Values{"low_fine": {powers.Yuan(p.LowFine)}}
	for k, m := range p.Months {
		v.Set("months."+k, strconv.Itoa(m))
	}
	return s.periodsForm(w, r, http.StatusOK, newForm(v, nil))
}

func (s *Server) periodsForm(w http.ResponseWriter, r *http.Request, status int, f form) error {
	return s.render(w, status, "publicity/periods", periodsPage{Page: s.page(w, r, "行政处罚信息公示期"), Form: f, Kinds: powers.PenaltyKinds,
		Global: actorOf(r).IsGlobalAdmin()})
}

func (s *Server) handlePeriodsSave(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	p := publicity.Periods{Months: map[string]int{}}
	for _, k := range powers.PenaltyKinds {
		p.Months[k] = atoiDefault(v.Get("months."+k), 0)
	}
	low, err := powers.ParseYuan(v.Get("low_fine"))
	if err != nil {
		err = apperr.Field("low_fine", "较低数额罚款："+err.Error())
	} else {
		p.LowFine = low
		err = s.svc.Publicity.SetPeriods(r.Context(), actorOf(r), p)
	}
	if apperr.Is(err, apperr.Invalid) {
		return s.periodsForm(w, r, http.StatusUnprocessableEntity, newForm(v, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/admin/publicity-periods", "已保存公示期")
}
