package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/mailbox"
	"openhall/internal/org"
	"openhall/internal/pii"
)

func (s *Server) registerMailboxRoutes() {
	s.mux.HandleFunc("GET /participate/mailboxes/{id}", s.h(s.handleMailbox))
	s.mux.HandleFunc("GET /participate/mailboxes/{id}/write", s.requireLogin(s.handleLetterNew))
	s.mux.HandleFunc("POST /participate/mailboxes/{id}/letters", s.requireLogin(s.handleLetterWrite))
	s.mux.HandleFunc("GET /participate/letters/{id}", s.h(s.handleMailLetter))
	s.mux.HandleFunc("POST /participate/letters/{id}/{action}", s.requireLogin(s.handleLetterAction))
	s.mux.HandleFunc("GET /participate/my/letters", s.requireLogin(s.handleMyLetters))
	s.mux.HandleFunc("GET /staff/mailboxes/new", s.requireStaff(s.handleMailboxForm))
	s.mux.HandleFunc("GET /staff/mailboxes/{id}/edit", s.requireStaff(s.handleMailboxForm))
	s.mux.HandleFunc("POST /staff/mailboxes", s.requireStaff(s.handleMailboxSave))
	s.mux.HandleFunc("POST /staff/mailboxes/{id}", s.requireStaff(s.handleMailboxSave))
}

type mailboxPage struct {
	Page
	M          *mailbox.Mailbox
	Letters    []mailbox.PublicLetter
	Stats      mailbox.MonthStats
	Prev, Next string
	// NoWrite says why the account signed in cannot write here (a staff
	// account), in place of the link to the letter form.
	NoWrite string
}

// handleMailbox shows a mailbox: what it is for, this month's figures and
// the letters answered and published.
func (s *Server) handleMailbox(w http.ResponseWriter, r *http.Request) error {
	m, err := s.mailboxFromPath(r)
	if err != nil {
		return err
	}
	offset := atoiDefault(r.URL.Query().Get("offset"), 0)
	p := mailboxPage{Page: s.page(w, r, m.Name), M: m}
	if a := actorOf(r); a != nil {
		p.NoWrite = refusal(mailbox.CanWrite(a))
	}
	var n int
	if p.Letters, n, err = s.svc.Mailbox.PublishedLetters(r.Context(), m.ID, offset, 20); err != nil {
		return err
	}
	p.Prev, p.Next = offsetLinks(r.URL.Query(), offset, 20, offset+20 < n)
	today := s.svc.Mailbox.Today()
	stats, err := s.svc.Mailbox.Statistics(r.Context(), mailbox.StatsQuery{AgencyID: m.AgencyID, Year: today.Year(), Month: today.Month(), Months: 1})
	if err != nil {
		return err
	}
	p.Stats = stats[0]
	return s.render(w, http.StatusOK, "participate/mailbox", p)
}

func (s *Server) mailboxFromPath(r *http.Request) (*mailbox.Mailbox, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return s.svc.Mailbox.Mailbox(r.Context(), id)
}

type letterFormPage struct {
	Page
	M      *mailbox.Mailbox
	Form   form
	Topics []option
}

func (s *Server) handleLetterNew(w http.ResponseWriter, r *http.Request) error {
	v := url.Values{}
	if a := httpkit.ActorFrom(r.Context()); a.Account() != nil {
		v.Set("phone", a.Account().Phone)
	}
	return s.letterForm(w, r, http.StatusOK, newForm(v, nil))
}

func (s *Server) letterForm(w http.ResponseWriter, r *http.Request, status int, f form) error {
	m, err := s.mailboxFromPath(r)
	if err != nil {
		return err
	}
	if err := mailbox.CanWrite(httpkit.ActorFrom(r.Context())); err != nil {
		return err
	}
	p := letterFormPage{Page: s.page(w, r, "写信："+m.Name), M: m, Form: f}
	for _, t := range mailbox.Topics {
		p.Topics = append(p.Topics, option{t, t})
	}
	return s.render(w, status, "participate/letter_form", p)
}

// handleLetterWrite records a letter; a refused one keeps what was typed.
func (s *Server) handleLetterWrite(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	v := r.PostForm
	l, err := s.svc.Mailbox.Write(r.Context(), httpkit.ActorFrom(r.Context()), mailbox.LetterInput{MailboxID: id, Topic: v.Get("topic"),
		Subject: v.Get("subject"), Content: v.Get("content"), Phone: v.Get("phone"), Consent: v.Get("consent") != ""})
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.letterForm(w, r, http.StatusUnprocessableEntity, newForm(v, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/participate/letters/"+idStr(l.ID), "来信已提交，信件编号 "+l.Number())
}

type mailLetterPage struct {
	Page
	V      *mailbox.View
	Public *mailbox.PublicLetter
	Form   form
	Depts  []option
	Action string // the action whose form failed
	Seen   string // the letter's version for the forms
	Rating []option
}

// handleMailLetter shows a letter to whoever may see it in full, with the
// forms of their part; anyone else sees the published version, if any.
func (s *Server) handleMailLetter(w http.ResponseWriter, r *http.Request) error {
	return s.showLetter(w, r, http.StatusOK, "", newForm(nil, nil))
}

func (s *Server) showLetter(w http.ResponseWriter, r *http.Request, status int, action string, f form) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	ctx := r.Context()
	v, err := s.svc.Mailbox.Get(ctx, httpkit.ActorFrom(ctx), id)
	if apperr.Is(err, apperr.NotFound) {
		pub, perr := s.svc.Mailbox.Published(ctx, id)
		if perr != nil {
			return perr
		}
		return s.render(w, http.StatusOK, "participate/letter", mailLetterPage{Page: s.page(w, r, pub.Subject), Public: &pub})
	}
	if err != nil {
		return err
	}
	p := mailLetterPage{Page: s.page(w, r, "来信 "+v.Letter.Number()), V: v, Form: f, Action: action,
		Seen: strconv.FormatInt(v.Letter.UpdatedAt.UnixMicro(), 10)}
	if err := s.fillLetterForms(r, &p); err != nil {
		return err
	}
	return s.render(w, status, "participate/letter", p)
}

func (s *Server) fillLetterForms(r *http.Request, p *mailLetterPage) error {
	l := p.V.Letter
	if p.Form.Values.Get("public_text") == "" {
		p.Form.Values.Set("public_text", pii.Redact(l.Content))
	}
	if p.Form.Values.Get("text") == "" {
		p.Form.Values.Set("text", l.Draft)
	}
	if p.Form.Values.Get("days") == "" {
		p.Form.Values.Set("days", strconv.Itoa(l.Days))
	}
	for _, rt := range mailbox.Ratings {
		p.Rating = append(p.Rating, option{strconv.Itoa(int(rt)), rt.Label()})
	}
	if !p.V.Handle {
		return nil
	}
	ds, err := s.svc.Org.Departments(r.Context(), org.DepartmentFilter{PathPrefix: l.RegionPath})
	for _, d := range ds {
		p.Depts = append(p.Depts, option{idStr(d.ID), d.Name})
	}
	return err
}

// handleLetterAction runs one step on a letter from its page.
func (s *Server) handleLetterAction(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	v, action := r.PostForm, r.PathValue("action")
	cmd := mailbox.Command{Kind: mailbox.CommandKind(action), Text: v.Get("text"), PublicText: v.Get("public_text"),
		Publish: v.Get("publish") != "", Note: v.Get("note")}
	if action == "return" || action == "reject" {
		cmd.Text = v.Get("reason")
	}
	cmd.DeptID, _ = strconv.ParseInt(v.Get("department_id"), 10, 64)
	cmd.Days = atoiDefault(v.Get("days"), 0)
	cmd.Rating = mailbox.Rating(atoiDefault(v.Get("rating"), 0))
	var seen time.Time
	if us, err := strconv.ParseInt(v.Get("seen"), 10, 64); err == nil {
		seen = time.UnixMicro(us).UTC()
	}
	_, err = s.svc.Mailbox.Act(r.Context(), httpkit.ActorFrom(r.Context()), id, cmd, seen)
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.showLetter(w, r, http.StatusUnprocessableEntity, action, newForm(v, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/participate/letters/"+idStr(id), letterMessages[action])
}

var letterMessages = map[string]string{"assign": "已分办", "draft": "已提交答复稿", "return": "已退回承办部门",
	"answer": "已答复来信人", "reject": "已作不予受理处理", "rate": "感谢您的评价"}

type myLettersPage struct {
	Page
	Rows []mailbox.Row
}

func (s *Server) handleMyLetters(w http.ResponseWriter, r *http.Request) error {
	rows, _, err := s.svc.Mailbox.Mine(r.Context(), httpkit.ActorFrom(r.Context()), 0)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "participate/my_letters", myLettersPage{Page: s.page(w, r, "我的来信"), Rows: rows})
}
