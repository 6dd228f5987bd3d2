package web

import (
	"fmt"
	"net/http"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/rating"
)

func (s *Server) registerTicketRoutes() {
	s.mux.HandleFunc("GET /staff/ratings", s.requireStaff(s.handleTickets))
	s.mux.HandleFunc("GET /staff/ratings/tickets/{id}", s.requireStaff(s.handleTicket))
	s.mux.HandleFunc("POST /staff/ratings/tickets/{id}/actions", s.requireStaff(s.handleTicketAction))
	s.mux.HandleFunc("POST /staff/ratings/tickets/{id}/phone", s.requireStaff(s.handleTicketPhone))
}

type ticketsPage struct {
	Page
	Tickets    []*rating.TicketView
	All        bool
	Figures    bool // the actor may see the figures
	Exchange   bool
	SetsLimits bool
	Decides    bool // an appeal waits for the actor's decision (listed first)
}

// handleTickets lists the bad reviews the actor handles or supervises,
// the most urgent first.
func (s *Server) handleTickets(w http.ResponseWriter, r *http.Request) error {
	a := httpkit.ActorFrom(r.Context())
	all := r.URL.Query().Get("all") == "1"
	list, err := s.svc.Ratings.Tickets(r.Context(), a, !all)
	if err != nil {
		return err
	}
	p := ticketsPage{Page: s.page(w, r, "差评整改"), Tickets: list, All: all, Figures: rating.CanSeeFigures(a) == nil,
		Exchange: canExchangeAnywhere(a), SetsLimits: a.Has(identity.RoleSysAdmin)}
	for _, v := range list {
		p.Decides = p.Decides || v.Decide
	}
	return s.render(w, http.StatusOK, "ratings/tickets", p)
}

type ticketPage struct {
	Page
	View    *rating.TicketView
	Options []rating.TicketCommandKind
	Form    form
}

func (s *Server) handleTicket(w http.ResponseWriter, r *http.Request) error {
	return s.ticketPage(w, r, http.StatusOK, newForm(nil, nil))
}

func (s *Server) ticketPage(w http.ResponseWriter, r *http.Request, status int, f form) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := s.svc.Ratings.Ticket(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return s.renderTicket(w, r, status, v, f)
}

func (s *Server) renderTicket(w http.ResponseWriter, r *http.Request, status int, v *rating.TicketView, f form) error {
	p := ticketPage{Page: s.page(w, r, "差评整改工单"), View: v, Options: rating.TicketOptions(httpkit.ActorFrom(r.Context()), v.Ticket), Form: f}
	return s.render(w, status, "ratings/ticket", p)
}

// handleTicketPhone shows the ticket with the rater's phone in full, for
// the call back, once the service has recorded the showing.
func (s *Server) handleTicketPhone(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := s.svc.Ratings.ShowTicketPhone(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return s.renderTicket(w, r, http.StatusOK, v, newForm(nil, nil))
}

// handleTicketAction takes one step of a ticket.
func (s *Server) handleTicketAction(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	v := r.PostForm
	cmd := rating.TicketCommand{Kind: rating.TicketCommandKind(v.Get("kind")), Code: v.Get("code"), Reason: v.Get("reason")}
	// The page's form always sends the version it shows: a step without
	// one would skip the check that nobody took a step meanwhile. The
	// message names no field, the version being no field of the page.
	version, err := strconv.Atoi(v.Get("version"))
	if err != nil || version < 1 {
		err = apperr.New(apperr.Invalid, "缺少版本号，请刷新页面后重试")
	} else {
		_, err = s.svc.Ratings.ActTicket(r.Context(), httpkit.ActorFrom(r.Context()), id, cmd, version)
	}
	switch apperr.CodeOf(err) {
	case "":
		return s.redirect(w, r, fmt.Sprintf("/staff/ratings/tickets/%d", id), "已"+cmd.Kind.Label())
	case apperr.Invalid, apperr.Conflict:
		return s.ticketPage(w, r, httpkit.WriteStatus(w, err), newForm(v, err))
	}
	return err
}
