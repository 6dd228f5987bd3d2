package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/complaint"
	"openhall/internal/hall"
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
	Applicant string // masked unless the viewer needs it for the case
	IDNumber  string
	Phone     string
	CanSee    bool   // the personal data is shown in full
	CanReveal bool   // a 监察人员 or administrator may open it, audited
	Revealed  bool   // opened in this response, after the audit entry
	QueryCode string // for the applicant and the person who filed it
	Bundle    *hall.Application
	Docs      []caseDoc
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
	return s.showCase(w, r, status, f, c, cl, false)
}

// showCase renders a case page; revealed is set only after Reveal recorded
// the opening of the personal data in the audit log.
func (s *Server) showCase(w http.ResponseWriter, r *http.Request, status int, f form, c *cases.Case, cl cases.Clocks, revealed bool) error {
	a := httpkit.ActorFrom(r.Context())
	p := casePage{Page: s.page(w, r, "办件 "+c.Number), Case: c, Clocks: cl, Options: cases.Options(a, c, cl), Form: f,
		Revealed: revealed, Docs: docsOf(c)}
	fillApplicant(&p, a, c, revealed)
	if cases.CanReadQueryCode(a, c) == nil {
		code, err := s.svc.Cases.QueryCode(r.Context(), a, c)
		if err != nil {
			return err
		}
		p.QueryCode = code
	}
	app, err := s.svc.Hall.ApplicationOfCase(r.Context(), c)
	if err == nil {
		p.Bundle = app
	} else if !apperr.Is(err, apperr.NotFound) {
		return err
	}
	p.Rating, p.Complaints = s.caseFeedback(r.Context(), a, c)
	return s.render(w, status, "cases/case", p)
}

// fillApplicant shows the applicant's personal data in full to those who
// need it for the case (the applicant, who filed it, the window and the
// approving departments), masked to everyone else unless just revealed.
func fillApplicant(p *casePage, a *identity.Actor, c *cases.Case, revealed bool) {
	app := c.Applicant
	p.CanSee = revealed || cases.NeedsPersonalData(a, c)
	p.CanReveal = !p.CanSee && cases.CanReveal(a, c) == nil
	p.Applicant, p.IDNumber, p.Phone = app.Name, app.IDNumber, app.Phone
	if !p.CanSee {
		p.Applicant, p.IDNumber, p.Phone = pii.MaskName(app.Name), pii.MaskIDNumber(app.IDNumber), pii.MaskMobile(app.Phone)
	}
	if app.CreditCode != "" {
		p.IDNumber = app.CreditCode // an organisation's code is public
	}
}

// handleReveal opens the masked personal data of a case for a stated
// reason, recorded in the audit log before the page shows it.
func (s *Server) handleReveal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	c, err := s.svc.Cases.Reveal(r.Context(), a, id, r.PostFormValue("reason"))
	if apperr.Is(err, apperr.Invalid) {
		return s.casePage(w, r, http.StatusUnprocessableEntity, newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	_, cl, err := s.svc.Cases.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	return s.showCase(w, r, http.StatusOK, newForm(nil, nil), c, cl, true)
}

// handleResetQueryCode gives the case a new 查询密码.
func (s *Server) handleResetQueryCode(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	code, err := s.svc.Cases.ResetQueryCode(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return s.redirect(w, r, fmt.Sprintf("/cases/%d", id), "查询密码已重置为 "+code+"，原密码即时失效")
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
		return s.casePage(w, r, httpkit.WriteStatus(w, err), newForm(r.PostForm, err))
	}
	return err
}

// actionOf reads a command from a posted form. A 补正 notice comes as
// rows: a material's checkbox with what is wrong with it, and statement
// items; a supplement as one statement per item of the notice.
func actionOf(v map[string][]string) (cases.Action, error) {
	get := func(k string) string { return first(v, k) }
	act := cases.Action{Command: cases.Command{Kind: cases.CommandKind(get("kind")), Reason: get("reason"), Code: get("code"),
		Decision: cases.Decision(get("decision"))}}
	act.Items, act.Needs = noticeRows(v)
	for i := 0; i < 50; i++ {
		if a, ok := v["answer."+strconv.Itoa(i)]; ok && len(a) > 0 {
			for len(act.Answers) < i {
				act.Answers = append(act.Answers, "")
			}
			act.Answers = append(act.Answers, strings.TrimSpace(a[0]))
		}
	}
	var f apperr.Fields
	nums := map[string]*int{"branch": &act.Branch, "to_step": &act.ToStep, "days": &act.Days, "version": &act.Version}
	for k, dst := range nums {
		if s := get(k); s != "" {
			n, err := strconv.Atoi(s)
			f.Check(err != nil, k, "请输入整数")
			*dst = n
		}
	}
	if s := get("refund"); s != "" {
		yuan, err := strconv.ParseFloat(s, 64)
		f.Check(err != nil || yuan < 0, "refund", "请输入退还金额（元）")
		act.AmountFen = int64(yuan*100 + 0.5)
	}
	if s := get("amount"); s != "" {
		yuan, err := strconv.ParseFloat(s, 64)
		f.Check(err != nil || yuan < 0, "amount", "请输入金额（元）")
		act.AmountFen = int64(yuan*100 + 0.5)
	}
	return act, f.Err()
}

func actionLabel(k cases.CommandKind) string { return cases.CommandLabel(k) }

// handleSupplement stores the files of a 补正 and answers it; a supplement
// refused for what it lacks comes back with its files kept.
func (s *Server) handleSupplement(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	c, _, err := s.svc.Cases.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	ups, err := s.readUploads(r, c.Procedure.UploadBytes(), materialRules(&c.Procedure, false))
	v := r.PostForm
	var ms []cases.MaterialFile
	for _, up := range ups {
		ms = append(ms, materialOf(up))
	}
	ms = s.withKept(r, "material.", ms)
	if err == nil {
		act, aerr := actionOf(v)
		act.Materials, err = ms, aerr
		if err == nil {
			_, err = s.svc.Cases.Act(r.Context(), a, id, act)
		}
	}
	if formError(err) || apperr.Is(err, apperr.Conflict) {
		kept := url.Values{}
		for k, x := range v {
			kept[k] = x
		}
		keepUploads(kept, "material.", ms)
		return s.casePage(w, r, httpkit.WriteStatus(w, err), newForm(kept, err))
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
	err = s.svc.Blobs.Serve(w, r, m.SHA256, m.FileName)
	if apperr.Is(err, apperr.NotFound) {
		// The case names the file, so a store without it has lost it: an
		// error for the operator, like a damaged file, not a bad address.
		return apperr.Wrap(fmt.Errorf("material %d of case %d: blob %s is missing from the store: %w", seq, id, m.SHA256, err),
			apperr.Unavailable, "该材料文件缺失，暂时无法下载；已记录此问题，请联系管理员从备份恢复")
	}
	return err
}

// noticeRows reads a 补正 notice's items: for each material ticked
// ("need.<code>") the defect written beside it ("defect.<code>"), then the
// statement items, one per line of "items".
func noticeRows(v map[string][]string) (items, needs []string) {
	for _, code := range v["need"] {
		defect := strings.TrimSpace(first(v, "defect."+code))
		if defect == "" {
			defect = "请补正该材料"
		}
		items, needs = append(items, defect), append(needs, code)
	}
	for _, line := range strings.Split(first(v, "items"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			items, needs = append(items, line), append(needs, cases.NeedStatement)
		}
	}
	return items, needs
}
