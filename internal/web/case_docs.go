package web

import (
	"net/http"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/httpkit"
)

// caseDocs are the printable documents of a case and the event each prints.
var caseDocs = map[string]struct {
	title string
	event cases.EventKind
}{
	"receipt":    {"受理通知书", cases.EventAccepted},
	"refusal":    {"不予受理通知书", cases.EventRefused},
	"supplement": {"补正材料通知书（一次性告知）", cases.EventSupplementRequested},
	"correction": {"补正通知书", cases.EventReturnedToApplicant},
	"decision":   {"行政审批决定书", cases.EventDecided},
}

type caseDocPage struct {
	Page
	Doc    string
	Case   *cases.Case
	Clocks cases.Clocks
	Event  cases.Event
	Centre string
	Remedy bool
	RateQR string // the receipt's QR code for rating the case
}

// handleCaseDoc renders a document of the case for printing: the latest
// event it records (the latest 补正 notice, for instance).
func (s *Server) handleCaseDoc(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	doc, ok := caseDocs[r.PathValue("doc")]
	if !ok {
		return apperr.New(apperr.NotFound, "没有这种文书")
	}
	c, cl, err := s.svc.Cases.Get(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	e, ok := lastEvent(c, doc.event)
	if !ok {
		return apperr.New(apperr.NotFound, "该办件尚未产生%s", doc.title)
	}
	p := caseDocPage{Page: s.page(w, r, doc.title), Doc: r.PathValue("doc"), Case: c, Clocks: cl, Event: e,
		Remedy: e.Kind == cases.EventRefused || (e.Kind == cases.EventDecided && e.Decision == cases.DecisionDenied)}
	if p.Doc == "receipt" || p.Doc == "decision" {
		p.RateQR = s.svc.Ratings.CaseLink(c.ID) + "/qr.png"
	}
	return s.render(w, http.StatusOK, "cases/doc", p)
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
}

func (s *Server) handleProgressForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "cases/progress", progressPage{Page: s.page(w, r, "办件进度查询"), Form: newForm(nil, nil)})
}

// handleProgress looks a case up by its number and 查询密码, without login.
func (s *Server) handleProgress(w http.ResponseWriter, r *http.Request) error {
	p, err := s.svc.Cases.Lookup(r.Context(), r.PostFormValue("number"), r.PostFormValue("code"), httpkit.ClientAddr(r))
	page := progressPage{Page: s.page(w, r, "办件进度查询"), Progress: p}
	r.PostForm.Del("code")
	if err != nil {
		code := apperr.CodeOf(err)
		if code != apperr.Invalid && code != apperr.NotFound && code != apperr.TooMany {
			return err
		}
		page.Form = newForm(r.PostForm, err)
		return s.render(w, httpkit.StatusOf(code), "cases/progress", page)
	}
	page.Form = newForm(r.PostForm, nil)
	return s.render(w, http.StatusOK, "cases/progress", page)
}
