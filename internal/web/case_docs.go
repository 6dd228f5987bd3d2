package web

import (
	"net/http"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/hall"
	"openhall/internal/httpkit"
	"openhall/internal/rating"
)

// caseDocs are the printable documents of a case and the event each
// prints; a document is listed once its event happened.
var caseDocs = map[string]struct {
	title string
	event cases.EventKind
}{
	"filing":     {"申请材料接收凭证（收件回执）", cases.EventSubmitted},
	"receipt":    {"受理通知书（受理回执）", cases.EventAccepted},
	"refusal":    {"不予受理通知书", cases.EventRefused},
	"supplement": {"补正材料通知书（一次性告知）", cases.EventSupplementRequested},
	"correction": {"补正通知书", cases.EventReturnedToApplicant},
	"special":    {"特别程序告知书", cases.EventSpecialStarted},
	"fee":        {"缴费通知书", ""},
	"decision":   {"行政审批决定书", cases.EventDecided},
}

// docOrder is the order documents are listed in.
var docOrder = []string{"filing", "supplement", "receipt", "refusal", "correction", "special", "fee", "decision"}

// caseDoc is a document a case page links to.
type caseDoc struct{ Key, Title string }

// docsOf lists the documents a case has.
func docsOf(c *cases.Case) []caseDoc {
	var out []caseDoc
	for _, k := range docOrder {
		d := caseDocs[k]
		_, ok := lastEvent(c, d.event)
		if k == "fee" {
			ok = c.Fee.DueFen > 0 && c.Status != cases.StatusDraft
		}
		if ok {
			out = append(out, caseDoc{k, d.title})
		}
	}
	return out
}

type caseDocPage struct {
	Page
	Doc       string
	Case      *cases.Case
	Clocks    cases.Clocks
	Event     cases.Event
	Special   cases.SpecialKind
	Opinions  []cases.Event // the departments' 审查意见, for the decision
	QueryCode string        // on the receipts, for the applicant
	Centre    string
	Remedy    bool
	RateQR    string // the receipt's QR code for rating the case
}

// handleCaseDoc renders a document of the case for printing: the latest
// event it records (the latest 补正 notice, for instance). Every date on
// it comes from the clocks, with the 暂定 note where a year's holiday
// schedule is missing, and never as a zero date.
func (s *Server) handleCaseDoc(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	doc, ok := caseDocs[r.PathValue("doc")]
	if !ok {
		return apperr.New(apperr.NotFound, "没有这种文书")
	}
	a := httpkit.ActorFrom(r.Context())
	c, cl, err := s.svc.Cases.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	e, ok := lastEvent(c, doc.event)
	if r.PathValue("doc") == "fee" {
		e, ok = cases.Event{At: c.SubmittedAt, Ref: "缴费-" + c.Number}, c.Fee.DueFen > 0
	}
	if !ok {
		return apperr.New(apperr.NotFound, "该办件尚未产生%s", doc.title)
	}
	p := caseDocPage{Page: s.page(w, r, doc.title), Doc: r.PathValue("doc"), Case: c, Clocks: cl, Event: e,
		Remedy: e.Kind == cases.EventRefused || (e.Kind == cases.EventDecided && e.Decision == cases.DecisionDenied)}
	if p.Doc == "receipt" || p.Doc == "filing" {
		// The dates as the document stated them when issued, on today's calendar.
		if p.Clocks, err = s.svc.Cases.ClocksAsOf(c, e.Seq); err != nil {
			return err
		}
	}
	p.Special, _ = c.Procedure.AllowsSpecial(e.Code)
	p.Opinions = opinions(c)
	if (p.Doc == "filing" || p.Doc == "receipt") && cases.CanReadQueryCode(a, c) == nil {
		if p.QueryCode, err = s.svc.Cases.QueryCode(r.Context(), a, c); err != nil {
			return err
		}
	}
	if p.Doc == "receipt" || p.Doc == "decision" {
		p.RateQR = s.svc.Ratings.CaseLink(c.ID) + "/qr.png"
	}
	return s.render(w, http.StatusOK, "cases/doc", p)
}

// opinions are the steps' decisions with their 审查意见.
func opinions(c *cases.Case) []cases.Event {
	var out []cases.Event
	for _, e := range c.Events {
		if e.Kind == cases.EventStepPassed || e.Kind == cases.EventStepFailed {
			out = append(out, e)
		}
	}
	return out
}

func lastEvent(c *cases.Case, kind cases.EventKind) (cases.Event, bool) {
	for i := len(c.Events) - 1; i >= 0; i-- {
		if c.Events[i].Kind == kind {
			return c.Events[i], true
		}
	}
	return cases.Event{}, false
}

type progressPage struct {
	Page
	Form     form
	Progress *cases.Progress
	Rate     *rating.Offer // rating the case through its link, as its QR code lets whoever holds the documents
	Code     string        // the 查询密码 the visitor proved the case with, carried to the complaint form
	Bundle   *hall.View
}

func (s *Server) handleProgressForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "cases/progress", progressPage{Page: s.page(w, r, "办件进度查询"), Form: newForm(nil, nil)})
}

// handleProgress looks a case, or a 一件事 application, up by its number
// and 查询密码, without login.
func (s *Server) handleProgress(w http.ResponseWriter, r *http.Request) error {
	number, code, addr := r.PostFormValue("number"), r.PostFormValue("code"), httpkit.ClientAddr(r)
	page := progressPage{Page: s.page(w, r, "办件进度查询")}
	var err error
	if hall.IsApplicationNumber(number) && strings.TrimSpace(code) != "" {
		page.Bundle, err = s.svc.Hall.Lookup(r.Context(), number, code, addr)
	} else {
		page.Progress, err = s.svc.Cases.Lookup(r.Context(), number, code, addr)
	}
	r.PostForm.Del("code")
	if err != nil {
		code := apperr.CodeOf(err)
		if code != apperr.Invalid && code != apperr.NotFound && code != apperr.TooMany && code != apperr.Conflict {
			return err
		}
		page.Form = newForm(r.PostForm, err)
		return s.render(w, httpkit.WriteStatus(w, err), "cases/progress", page)
	}
	page.Form, page.Code = newForm(r.PostForm, nil), strings.TrimSpace(code)
	if page.Progress != nil && page.Progress.Status != cases.StatusDraft {
		if page.Rate, err = s.svc.Ratings.CaseOffer(r.Context(), httpkit.ActorFrom(r.Context()), page.Progress.CaseID); err != nil {
			return err
		}
	}
	return s.render(w, http.StatusOK, "cases/progress", page)
}
