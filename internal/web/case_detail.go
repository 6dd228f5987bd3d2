package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/complaint"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/pii"
	"openhall/internal/rating"
)

type casePage struct {
	Page
	Case      *cases.Case
	Clocks    cases.Clocks
	Options   []cases.Option
	Form      form
	Applicant string // masked unless the viewer owns the case or filed it
	IDNumber  string
	Phone     string
	CanSee    bool
	// Rating and Complaints are the case's ratings block and, for the
	// complaint desk, the complaints about it.
	Rating     *rating.CaseState
	Complaints []complaint.Item
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request, status int, f form) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	c, cl, err := s.svc.Cases.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := casePage{Page: s.page(w, r, "办件 "+c.Number), Case: c, Clocks: cl, Options: cases.Options(a, c), Form: f}
	fillApplicant(&p, a, c)
	p.Rating, p.Complaints = s.caseFeedback(r.Context(), a, c)
	return s.render(w, status, "cases/case", p)
}

// fillApplicant shows the applicant's personal data in full to the owner,
// the person who filed the case and the staff handling it, masked otherwise.
func fillApplicant(p *casePage, a *identity.Actor, c *cases.Case) {
	app := c.Applicant
	p.CanSee = a.UserID == app.UserID || a.UserID == c.AgentID || a.IsStaff()
	p.Applicant, p.IDNumber, p.Phone = app.Name, app.IDNumber, app.Phone
	if !p.CanSee {
		p.Applicant, p.IDNumber, p.Phone = pii.MaskName(app.Name), pii.MaskIDNumber(app.IDNumber), pii.MaskMobile(app.Phone)
	}
}

func (s *Server) handleCase(w http.ResponseWriter, r *http.Request) error {
	return s.casePage(w, r, http.StatusOK, newForm(nil, nil))
}

// handleCaseAction performs one command from the case page.
func (s *Server) handleCaseAction(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	act, err := actionOf(r.PostForm)
	if err == nil {
		_, err = s.svc.Cases.Act(r.Context(), httpkit.ActorFrom(r.Context()), id, act)
	}
	switch apperr.CodeOf(err) {
	case "":
		return s.redirect(w, r, fmt.Sprintf("/cases/%d", id), "已办理："+actionLabel(act.Kind))
	case apperr.Invalid, apperr.Conflict:
		return s.casePage(w, r, httpkit.StatusOf(apperr.CodeOf(err)), newForm(r.PostForm, err))
	}
	return err
}

// actionOf reads a command from a posted form.
func actionOf(v map[string][]string) (cases.Action, error) {
	get := func(k string) string { return first(v, k) }
	act := cases.Action{Command: cases.Command{Kind: cases.CommandKind(get("kind")), Reason: get("reason"), Code: get("code"),
		Decision: cases.Decision(get("decision")), Items: strings.Split(get("items"), "\n")}}
	var f apperr.Fields
	nums := map[string]*int{"branch": &act.Branch, "to_step": &act.ToStep, "days": &act.Days, "version": &act.Version}
	for k, dst := range nums {
		if s := get(k); s != "" {
			n, err := strconv.Atoi(s)
			f.Check(err != nil, k, "请输入整数")
			*dst = n
		}
	}
	if s := get("amount"); s != "" {
		yuan, err := strconv.ParseFloat(s, 64)
		f.Check(err != nil || yuan < 0, "amount", "请输入金额（元）")
		act.AmountFen = int64(yuan*100 + 0.5)
	}
	return act, f.Err()
}

func actionLabel(k cases.CommandKind) string { return cases.CommandLabel(k) }

// handleSupplement stores the materials of a 补正 and answers it.
func (s *Server) handleSupplement(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	if r.MultipartForm == nil {
		return apperr.New(apperr.Invalid, "请使用页面上的表单上传补正材料")
	}
	ms, err := s.storeUploads(r, r.MultipartForm.File)
	if err == nil {
		act, aerr := actionOf(r.MultipartForm.Value)
		act.Materials, err = ms, aerr
		if err == nil {
			_, err = s.svc.Cases.Act(r.Context(), httpkit.ActorFrom(r.Context()), id, act)
		}
	}
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.casePage(w, r, httpkit.StatusOf(apperr.CodeOf(err)), newForm(r.MultipartForm.Value, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, fmt.Sprintf("/cases/%d", id), "补正材料已提交")
}

// handleMaterial sends a material to someone allowed to see the case.
func (s *Server) handleMaterial(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	seq, err := strconv.Atoi(r.PathValue("seq"))
	if err != nil {
		return apperr.New(apperr.NotFound, "材料不存在")
	}
	m, err := s.svc.Cases.Material(r.Context(), httpkit.ActorFrom(r.Context()), id, seq)
	if err != nil {
		return err
	}
	return s.svc.Blobs.Serve(w, r, m.SHA256, m.FileName)
}
