package web

import (
	"net/http"
	"net/url"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/mailbox"
)

type mailboxFormPage struct {
	Page
	Form     form
	M        *mailbox.Mailbox
	Agencies []option
	Kinds    []option
}

// handleMailboxForm shows the form of a new or an existing mailbox.
func (s *Server) handleMailboxForm(w http.ResponseWriter, r *http.Request) error {
	v := url.Values{"days": {strconv.Itoa(mailbox.DefaultDays)}, "active": {"1"}, "kind": {string(mailbox.KindLeader)}}
	var m *mailbox.Mailbox
	if r.PathValue("id") != "" {
		var err error
		if m, err = s.mailboxFromPath(r); err != nil {
			return err
		}
		if err := mailbox.CanManageMailbox(httpkit.ActorFrom(r.Context()), m); err != nil {
			return err
		}
		v = url.Values{"agency_id": {idStr(m.AgencyID)}, "name": {m.Name}, "kind": {string(m.Kind)}, "intro": {m.Intro},
			"days": {strconv.Itoa(m.Days)}}
		if m.Active {
			v.Set("active", "1")
		}
	}
	return s.mailboxForm(w, r, http.StatusOK, m, newForm(v, nil))
}

func (s *Server) mailboxForm(w http.ResponseWriter, r *http.Request, status int, m *mailbox.Mailbox, f form) error {
	ags, err := s.managedAgencies(r)
	if err != nil {
		return err
	}
	p := mailboxFormPage{Page: s.page(w, r, "设置信箱"), Form: f, M: m, Agencies: ags,
		Kinds: []option{{string(mailbox.KindLeader), mailbox.KindLeader.Label()}, {string(mailbox.KindConsult), mailbox.KindConsult.Label()}}}
	return s.render(w, status, "participate/mailbox_form", p)
}

func (s *Server) handleMailboxSave(w http.ResponseWriter, r *http.Request) error {
	var id int64
	var err error
	if r.PathValue("id") != "" {
		if id, err = pathID(r.PathValue("id")); err != nil {
			return err
		}
	}
	v := r.PostForm
	agency, _ := strconv.ParseInt(v.Get("agency_id"), 10, 64)
	in := mailbox.MailboxInput{AgencyID: agency, Name: v.Get("name"), Kind: mailbox.Kind(v.Get("kind")), Intro: v.Get("intro"),
		Days: atoiDefault(v.Get("days"), 0), Active: v.Get("active") != ""}
	m, err := s.svc.Mailbox.SaveMailbox(r.Context(), httpkit.ActorFrom(r.Context()), id, in)
	if apperr.Is(err, apperr.Invalid) {
		return s.mailboxForm(w, r, http.StatusUnprocessableEntity, m, newForm(v, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/participate/mailboxes/"+idStr(m.ID), "已保存信箱："+m.Name)
}
