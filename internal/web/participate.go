package web

import (
	"net/http"
	"strconv"

	"openhall/internal/consult"
	"openhall/internal/disclosure"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/mailbox"
)

// Public participation (互动交流): consultations on drafts, the leader's
// mailbox and online consultation, and surveys; and their staff pages.
func (s *Server) registerParticipationRoutes() {
	s.mux.HandleFunc("GET /participate", s.h(s.handleParticipate))
	s.registerConsultRoutes()
	s.registerMailboxRoutes()
	s.registerSurveyRoutes()
	s.mux.HandleFunc("GET /staff/participation", s.requireStaff(s.handleParticipationDesk))
}

type participatePage struct {
	Page
	Open, Concluded []*consult.Consultation
	Mailboxes       []*mailbox.Mailbox
	Surveys         []*consult.Survey
	Today           string
}

// handleParticipate is the hub: open and concluded consultations, the
// mailboxes and the surveys.
func (s *Server) handleParticipate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p := participatePage{Page: s.page(w, r, "互动交流"), Today: s.svc.Consult.Today().String()}
	var err error
	if p.Open, _, err = s.svc.Consult.List(ctx, consult.Filter{Status: consult.StatusOpen, Limit: 20}); err != nil {
		return err
	}
	if p.Concluded, _, err = s.svc.Consult.List(ctx, consult.Filter{Status: consult.StatusConcluded, Limit: 10}); err != nil {
		return err
	}
	if p.Mailboxes, err = s.svc.Mailbox.Mailboxes(ctx, mailbox.MailboxFilter{Active: true}); err != nil {
		return err
	}
	if p.Surveys, _, err = s.svc.Consult.Surveys(ctx, nil, consult.SurveyFilter{Public: true, Limit: 10}); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "participate/hub", p)
}

type deskPage struct {
	Page
	Agencies []*disclosure.Agency // the agencies whose consultations and mailboxes the actor manages
	Letters  []mailbox.Row
	Mine     map[int64][]*consult.Consultation
	Surveys  map[int64][]*consult.Survey
	Boxes    []*mailbox.Mailbox
}

// handleParticipationDesk is the staff workbench: letters to work on, most
// urgent first, and per managed agency its consultations and surveys.
func (s *Server) handleParticipationDesk(w http.ResponseWriter, r *http.Request) error {
	ctx, a := r.Context(), httpkit.ActorFrom(r.Context())
	p := deskPage{Page: s.page(w, r, "互动工作台"), Mine: map[int64][]*consult.Consultation{}, Surveys: map[int64][]*consult.Survey{}}
	var err error
	if p.Letters, err = s.svc.Mailbox.Queue(ctx, a); err != nil {
		return err
	}
	if p.Boxes, err = s.svc.Mailbox.Handled(ctx, a); err != nil {
		return err
	}
	ags, err := s.svc.Disclosure.Agencies(ctx, disclosure.AgencyFilter{})
	if err != nil {
		return err
	}
	for _, ag := range ags {
		if consult.CanManage(a, ag) != nil {
			continue
		}
		p.Agencies = append(p.Agencies, ag)
		p.Mine[ag.ID], _, _ = s.svc.Consult.Managed(ctx, a, ag.ID, 0)
		p.Surveys[ag.ID], _, _ = s.svc.Consult.Surveys(ctx, a, consult.SurveyFilter{AgencyID: ag.ID, Limit: 20})
	}
	return s.render(w, http.StatusOK, "participate/desk", p)
}

// managedAgencies are the agencies the actor manages, as form options.
func (s *Server) managedAgencies(r *http.Request) ([]option, error) {
	a := httpkit.ActorFrom(r.Context())
	ags, err := s.svc.Disclosure.Agencies(r.Context(), disclosure.AgencyFilter{})
	if err != nil {
		return nil, err
	}
	var out []option
	for _, ag := range ags {
		if consult.CanManage(a, ag) == nil {
			out = append(out, option{idStr(ag.ID), ag.Name})
		}
	}
	return out, nil
}

// atoiDefault parses a query number, def when absent or bad.
func atoiDefault(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return def
	}
	return n
}

func participationStaff(a *identity.Actor) bool {
	return a.Has(identity.RoleDisclosureOfficer) || a.Has(identity.RoleApprover) || a.Has(identity.RoleDeptHead)
}
