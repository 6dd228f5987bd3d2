package web

import (
	"fmt"
	"net/http"
	"net/url"

	"openhall/internal/apperr"
	"openhall/internal/hall"
	"openhall/internal/httpkit"
)

// registerHallRoutes serves favourites, appointments and 一件事.
func (s *Server) registerHallRoutes() {
	s.mux.HandleFunc("POST /items/{code}/favourite", s.requireLogin(s.handleFavourite))
	s.mux.HandleFunc("POST /items/{code}/appointments", s.requireLogin(s.handleAppointment))
	s.mux.HandleFunc("GET /appointments", s.requireLogin(s.handleMyAppointments))
	s.mux.HandleFunc("POST /appointments/{id}/cancel", s.requireLogin(s.handleCancelAppointment))
	s.mux.HandleFunc("GET /staff/appointments", s.requireStaff(s.handleAppointmentQueue))
	s.mux.HandleFunc("POST /staff/appointments/{id}/answer", s.requireStaff(s.handleAnswerAppointment))
	s.mux.HandleFunc("GET /staff/fees", s.requireStaff(s.handleFeeQueue))
	s.registerBundleRoutes()
}

// handleFavourite adds the item to the favourites or removes it.
func (s *Server) handleFavourite(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	on, err := s.svc.Hall.ToggleFavourite(r.Context(), httpkit.ActorFrom(r.Context()), code)
	if err != nil {
		return err
	}
	msg := "已取消收藏"
	if on {
		msg = "已收藏，可在“我的办件”中找到"
	}
	return s.redirect(w, r, "/items/"+url.PathEscape(code), msg)
}

// handleAppointment records a request to come to the window.
func (s *Server) handleAppointment(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("code")
	a := httpkit.ActorFrom(r.Context())
	in := hall.AppointmentInput{ImplCode: code, Day: r.PostFormValue("day"), Slot: r.PostFormValue("slot"), Note: r.PostFormValue("note")}
	ap, err := s.svc.Hall.RequestAppointment(r.Context(), a, in)
	if apperr.Is(err, apperr.Invalid) {
		return s.guideWithForm(w, r, code, newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/appointments", fmt.Sprintf("已提交预约：%s %s %s，等待窗口确认", ap.ItemName, ap.Day, ap.SlotLabel()))
}

// guideWithForm shows a guide page again with its appointment form's errors.
func (s *Server) guideWithForm(w http.ResponseWriter, r *http.Request, code string, f form) error {
	view, err := s.svc.Catalog.PublicGuide(r.Context(), code)
	if err != nil {
		return err
	}
	abs := absoluteURL(r, "/items/"+view.Item.ImplCode)
	body, err := s.fragment("catalog/guide", "guide-body", guideBody{Item: view.Item, Version: view.Version, G: &view.Version.Guide,
		History: view.History, URL: abs})
	if err != nil {
		return err
	}
	ga, err := s.actionsFor(r.Context(), httpkit.ActorFrom(r.Context()), view.Item, view.Version, abs)
	if err != nil {
		return err
	}
	p := guidePage{Page: s.page(w, r, view.Version.Guide.Name), Body: toHTML(body)}
	ga.CSRF, ga.Form = p.CSRF(), f
	if p.Actions, err = s.renderActions(ga); err != nil {
		return err
	}
	return s.render(w, http.StatusUnprocessableEntity, "catalog/guide", p)
}

type appointmentsPage struct {
	Page
	Appointments []*hall.Appointment
	Queue        bool
	Form         form
	FormID       int64 // the appointment the form's errors belong to
}

func (s *Server) handleMyAppointments(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Hall.MyAppointments(r.Context(), httpkit.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "hall/appointments", appointmentsPage{Page: s.page(w, r, "我的预约"), Appointments: list, Form: newForm(nil, nil)})
}

func (s *Server) handleCancelAppointment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	if _, err := s.svc.Hall.CancelAppointment(r.Context(), httpkit.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	return s.redirect(w, r, "/appointments", "已取消预约")
}

func (s *Server) appointmentQueue(w http.ResponseWriter, r *http.Request, status int, f form, id int64) error {
	list, err := s.svc.Hall.AppointmentQueue(r.Context(), httpkit.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	return s.render(w, status, "hall/appointments", appointmentsPage{Page: s.page(w, r, "预约申请"), Appointments: list, Queue: true, Form: f, FormID: id})
}

func (s *Server) handleAppointmentQueue(w http.ResponseWriter, r *http.Request) error {
	return s.appointmentQueue(w, r, http.StatusOK, newForm(nil, nil), 0)
}

func (s *Server) handleAnswerAppointment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	confirm := r.PostFormValue("decision") == "confirm"
	_, err = s.svc.Hall.AnswerAppointment(r.Context(), httpkit.ActorFrom(r.Context()), id, confirm, r.PostFormValue("answer"))
	if apperr.Is(err, apperr.Invalid) {
		return s.appointmentQueue(w, r, http.StatusUnprocessableEntity, newForm(r.PostForm, err), id)
	}
	if err != nil {
		return err
	}
	msg := "已确认预约，并已通知申请人"
	if !confirm {
		msg = "已告知申请人未能安排"
	}
	return s.redirect(w, r, "/staff/appointments", msg)
}

type feesPage struct {
	Page
	Due, Refunds []*caseRow
}

// handleFeeQueue lists what the windows collect and pay back.
func (s *Server) handleFeeQueue(w http.ResponseWriter, r *http.Request) error {
	due, refunds, err := s.svc.Cases.FeeQueue(r.Context(), httpkit.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "cases/fees", feesPage{Page: s.page(w, r, "收费与退费"), Due: s.rowsOf(due), Refunds: s.rowsOf(refunds)})
}
