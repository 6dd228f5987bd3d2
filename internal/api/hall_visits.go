package api

import (
	"net/http"
	"time"

	"openhall/internal/hall"
	"openhall/internal/pii"
)

// Appointments at the window and favourite items.

type appointmentJSON struct {
	ID          int64      `json:"id"`
	ImplCode    string     `json:"impl_code"`
	ItemName    string     `json:"item_name"`
	Applicant   string     `json:"applicant"` // masked
	Day         string     `json:"day"`
	Slot        string     `json:"slot"`
	Note        string     `json:"note"`
	Status      string     `json:"status"`
	StatusLabel string     `json:"status_label"`
	Answer      string     `json:"answer"`
	DecidedAt   *time.Time `json:"decided_at"`
	CreatedAt   time.Time  `json:"created_at"`
}

func toAppointment(ap *hall.Appointment) appointmentJSON {
	return appointmentJSON{ID: ap.ID, ImplCode: ap.ImplCode, ItemName: ap.ItemName, Applicant: pii.MaskName(ap.UserName),
		Day: ap.Day.String(), Slot: ap.Slot, Note: ap.Note, Status: string(ap.Status), StatusLabel: ap.Status.Label(), Answer: ap.Answer,
		DecidedAt: timePtr(ap.DecidedAt), CreatedAt: ap.CreatedAt}
}

func toAppointments(aps []*hall.Appointment) []appointmentJSON {
	out := []appointmentJSON{}
	for _, ap := range aps {
		out = append(out, toAppointment(ap))
	}
	return out
}

func (s *Server) handleAppointments(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	aps, err := s.svc.Hall.MyAppointments(r.Context(), a)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAppointments(aps))
}

type appointmentRequest struct {
	ImplCode string `json:"impl_code"`
	Day      string `json:"day"`
	Slot     string `json:"slot"`
	Note     string `json:"note"`
}

func (s *Server) handleAppointmentCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var in appointmentRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	ap, err := s.svc.Hall.RequestAppointment(r.Context(), a, hall.AppointmentInput{ImplCode: in.ImplCode, Day: in.Day, Slot: in.Slot, Note: in.Note})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toAppointment(ap))
}

func (s *Server) handleAppointmentQueue(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	aps, err := s.svc.Hall.AppointmentQueue(r.Context(), a)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAppointments(aps))
}

type appointmentAnswer struct {
	Confirm bool   `json:"confirm"`
	Answer  string `json:"answer"`
}

func (s *Server) handleAppointmentAnswer(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in appointmentAnswer
	if err := decode(r, &in); err != nil {
		return err
	}
	ap, err := s.svc.Hall.AnswerAppointment(r.Context(), a, id, in.Confirm, in.Answer)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAppointment(ap))
}

func (s *Server) handleAppointmentCancel(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ap, err := s.svc.Hall.CancelAppointment(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toAppointment(ap))
}

func (s *Server) handleFavourites(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	its, err := s.svc.Hall.Favourites(r.Context(), a)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toItemRefs(its))
}

type favouriteJSON struct {
	ImplCode  string `json:"impl_code"`
	Favourite bool   `json:"favourite"`
}

// handleFavourite adds (PUT) or removes (DELETE) a favourite; both are
// idempotent.
func (s *Server) handleFavourite(want bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := actor(r)
		if err != nil {
			return err
		}
		code := r.PathValue("code")
		it, err := s.svc.Catalog.ItemByCode(r.Context(), code)
		if err != nil {
			return err
		}
		on, err := s.svc.Hall.IsFavourite(r.Context(), a, it.ID)
		if err != nil {
			return err
		}
		if on != want {
			if on, err = s.svc.Hall.ToggleFavourite(r.Context(), a, code); err != nil {
				return err
			}
		}
		return writeJSON(w, http.StatusOK, favouriteJSON{ImplCode: code, Favourite: on})
	}
}
