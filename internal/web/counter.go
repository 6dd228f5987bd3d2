package web

import (
	"fmt"
	"net/http"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/rating"
)

// CounterCookie holds the token of a counter tablet (评价器).
const CounterCookie = "oh_counter"

func (s *Server) registerCounterRoutes() {
	s.mux.HandleFunc("GET /counter", s.h(s.handleCounter))
	s.mux.HandleFunc("POST /counter/ratings", s.h(s.handleCounterRate))
	s.mux.HandleFunc("GET /counter/live", s.h(s.handleCounterLive))
	s.mux.HandleFunc("GET /staff/counter", s.requireRole(identity.RoleWindowClerk, s.handleCounterAdmin))
	s.mux.HandleFunc("POST /staff/counter/start", s.requireRole(identity.RoleWindowClerk, s.handleCounterStart))
	s.mux.HandleFunc("POST /staff/counter/{id}/end", s.requireRole(identity.RoleWindowClerk, s.handleCounterEnd))
	s.mux.HandleFunc("POST /staff/counter/sms", s.requireRole(identity.RoleWindowClerk, s.handleCounterSMS))
}

type counterPage struct {
	Page
	Counter    *rating.Counter
	Levels     []rating.Level
	Indicators []rating.Indicator
	Thanks     bool // just rated: thanked, without repeating the level on the shared screen
	Form       form
	Key        string // the next rating's key (rating.RateCounterOnce)
}

// counterOf is the tablet the request comes from, or nil.
func (s *Server) counterOf(r *http.Request) (*rating.Counter, error) {
	c, err := r.Cookie(CounterCookie)
	if err != nil {
		return nil, apperr.New(apperr.NotFound, "本设备尚未启用为窗口评价器：请窗口工作人员登录后在“窗口评价器”中启用")
	}
	return s.svc.Ratings.CounterByToken(r.Context(), c.Value)
}

// handleCounter is the counter tablet (评价器 mode): big buttons, no login,
// tied to the window and the clerk who started it. After a rating it
// thanks the visitor and returns to the buttons by itself.
func (s *Server) handleCounter(w http.ResponseWriter, r *http.Request) error {
	c, err := s.counterOf(r)
	if err != nil {
		return err
	}
	p := counterPage{Page: s.page(w, r, "服务评价"), Counter: c, Levels: rating.Levels, Indicators: rating.OfflineIndicators,
		Form: newForm(nil, nil), Key: rating.NewTabletKey()}
	p.Thanks = r.URL.Query().Get("thanks") != ""
	return s.render(w, http.StatusOK, "ratings/counter", p)
}

// handleCounterRate records a visitor's rating and returns to the buttons.
func (s *Server) handleCounterRate(w http.ResponseWriter, r *http.Request) error {
	c, err := s.counterOf(r)
	if err != nil {
		return err
	}
	in, err := ratingInput(r)
	key := r.PostForm.Get("key")
	if err == nil {
		if err = s.rateCounter(r, c, key, in); err == nil {
			http.Redirect(w, r, "/counter?thanks=1", http.StatusSeeOther)
			return nil
		}
	}
	if apperr.Is(err, apperr.Invalid) {
		p := counterPage{Page: s.page(w, r, "服务评价"), Counter: c, Levels: rating.Levels, Indicators: rating.OfflineIndicators,
			Form: newForm(r.PostForm, err), Key: key}
		return s.render(w, http.StatusUnprocessableEntity, "ratings/counter", p)
	}
	return err
}

// rateCounter stores a rating posted by the tablet's form: once under the
// key the page carried, or under a new one from a form without a key (or
// with a key altered into none: not the visitor's doing, nor theirs to fix).
func (s *Server) rateCounter(r *http.Request, c *rating.Counter, key string, in rating.Input) error {
	if !rating.IsTabletKey(key) {
		_, err := s.svc.Ratings.RateCounter(r.Context(), c, in)
		return err
	}
	return s.svc.Ratings.RateCounterOnce(r.Context(), c, key, in)
}

type counterAdminPage struct {
	Page
	Seats []rating.SeatedWindow
	NoSMS string // why visitors cannot be invited by SMS here; "" when they can
	Form  form
}

// handleCounterAdmin lists the windows the clerk sits at, with their
// tablets and the SMS invitation.
func (s *Server) handleCounterAdmin(w http.ResponseWriter, r *http.Request) error {
	return s.counterAdmin(w, r, http.StatusOK, newForm(nil, nil))
}

func (s *Server) counterAdmin(w http.ResponseWriter, r *http.Request, status int, f form) error {
	a := httpkit.ActorFrom(r.Context())
	var ids []int64
	for _, g := range a.Grants {
		if g.Role != identity.RoleWindowClerk {
			continue
		}
		ws, err := s.svc.Org.Windows(r.Context(), org.WindowFilter{PathPrefix: g.RegionPath})
		if err != nil {
			return err
		}
		for _, w := range ws {
			ids = append(ids, w.ID)
		}
	}
	seats, err := s.svc.Ratings.Seats(r.Context(), a, ids)
	if err != nil {
		return err
	}
	p := counterAdminPage{Page: s.page(w, r, "窗口评价器"), Seats: seats, Form: f}
	if err := s.svc.Ratings.CanInviteBySMS(); err != nil {
		p.NoSMS = apperr.MessageOf(err)
	}
	return s.render(w, status, "ratings/counter_admin", p)
}

// handleCounterStart starts a window's tablet. Started "on this device",
// the clerk is logged out here and the device becomes the tablet, so that
// visitors cannot reach the clerk's pages from it.
func (s *Server) handleCounterStart(w http.ResponseWriter, r *http.Request) error {
	id, err := requiredID(r.PostForm, "window_id", "窗口")
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	tok, c, err := s.svc.Ratings.StartCounter(r.Context(), a, id)
	if err != nil {
		return err
	}
	if err := s.svc.Identity.Logout(r.Context(), a, httpkit.SessionToken(r)); err != nil {
		return err
	}
	s.sessions.ClearSession(w, r)
	http.SetCookie(w, &http.Cookie{Name: CounterCookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: httpkit.IsTLS(r), MaxAge: int((24 * time.Hour).Seconds())})
	return s.redirect(w, r, "/counter", fmt.Sprintf("%s 窗口评价器已启用（工作人员：%s），本设备已退出登录", c.WindowNumber, c.StaffName))
}

// handleCounterEnd stops a tablet.
func (s *Server) handleCounterEnd(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.svc.Ratings.EndCounter(r.Context(), httpkit.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/counter", "评价器已停用")
}

// handleCounterSMS sends a visitor the rating link by SMS.
func (s *Server) handleCounterSMS(w http.ResponseWriter, r *http.Request) error {
	id, err := requiredID(r.PostForm, "window_id", "窗口")
	if err == nil {
		_, err = s.svc.Ratings.InviteVisit(r.Context(), httpkit.ActorFrom(r.Context()), id, r.PostForm.Get("phone"), r.PostForm.Get("case_number"))
		if err == nil {
			return s.redirect(w, r, "/staff/counter", "评价短信已发送")
		}
	}
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.counterAdmin(w, r, http.StatusUnprocessableEntity, newForm(r.PostForm, err))
	}
	return err
}
