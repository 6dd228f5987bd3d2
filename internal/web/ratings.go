package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/certs"
	"openhall/internal/complaint"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/rating"
)

// registerRatingRoutes lists the pages of 好差评: rating a case from its
// page, the QR code and SMS link pages, the rater's own ratings, the
// counter tablet, the tickets of bad reviews, the figures and the national
// exchange.
func (s *Server) registerRatingRoutes() {
	s.mux.HandleFunc("POST /cases/{id}/rating", s.requireLogin(s.handleRateCase))
	s.mux.HandleFunc("GET /rate/{token}", s.h(s.handleRateLink))
	s.mux.HandleFunc("POST /rate/{token}", s.h(s.handleRateLinkPost))
	s.mux.HandleFunc("GET /rate/{token}/qr.png", s.h(s.handleRateQR))
	s.mux.HandleFunc("GET /ratings", s.requireLogin(s.handleMyRatings))
	s.mux.HandleFunc("GET /ratings/{id}", s.requireLogin(s.handleMyRating))
	s.mux.HandleFunc("POST /ratings/{id}/again", s.requireLogin(s.handleRateAgain))
	s.registerCounterRoutes()
	s.registerTicketRoutes()
	s.registerRatingReportRoutes()
}

// caseFeedback is the ratings block and, for the desk, the complaints of
// a case page. A failure here only hides the block: the case page must
// still show.
func (s *Server) caseFeedback(ctx context.Context, a *identity.Actor, c *cases.Case) (*rating.CaseState, []complaint.Item) {
	st, err := s.svc.Ratings.ForCase(ctx, a, c.ID)
	if err != nil {
		s.log.Warn("ratings of a case", "case", c.ID, "err", err)
		return nil, nil
	}
	cs, err := s.svc.Complaints.ForCase(ctx, a, c.ID)
	if err != nil {
		s.log.Warn("complaints of a case", "case", c.ID, "err", err)
	}
	return st, cs
}

// ratingInput reads the rating form: level, indicators, comment, anonymity.
func ratingInput(r *http.Request) (rating.Input, error) {
	v := r.PostForm
	in := rating.Input{Comment: v.Get("comment"), Anonymous: v.Get("anonymous") == "1", Channel: channelOf(r),
		Indicators: map[rating.Indicator]rating.Level{}}
	var f apperr.Fields
	if s := v.Get("level"); s != "" {
		n, err := strconv.Atoi(s)
		f.Check(err != nil, "level", "请选择满意度")
		in.Level = rating.Level(n)
	}
	for k, vals := range v {
		name, ok := strings.CutPrefix(k, "indicators.")
		if !ok || len(vals) == 0 || vals[0] == "" {
			continue
		}
		n, err := strconv.Atoi(vals[0])
		f.Check(err != nil, k, "满意度无效")
		in.Indicators[rating.Indicator(name)] = rating.Level(n)
	}
	return in, f.Err()
}

// channelOf tells the mobile site from the computer's by the browser.
func channelOf(r *http.Request) rating.Channel {
	ua := r.UserAgent()
	if strings.Contains(ua, "Mobile") || strings.Contains(ua, "Android") || strings.Contains(ua, "iPhone") {
		return rating.ChannelMobile
	}
	return rating.ChannelPC
}

// handleRateCase records the applicant's rating from the case page.
func (s *Server) handleRateCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	in, err := ratingInput(r)
	if err == nil {
		var got *rating.Rating
		if got, err = s.svc.Ratings.RateCase(r.Context(), httpkit.ActorFrom(r.Context()), id, in); err == nil {
			return s.redirect(w, r, fmt.Sprintf("/cases/%d#rating", id), ratedMessage(got, "回到本办件页面的“服务评价”"))
		}
	}
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		r.PostForm.Set("kind", "rating")
		return s.casePage(w, r, httpkit.WriteStatus(w, err), newForm(r.PostForm, err))
	}
	return err
}

// ratedMessage thanks the rater; a bad review no one can be told the
// handling of says where to see the feedback: back where it was given
// (seeAt: the case page, or the link).
func ratedMessage(r *rating.Rating, seeAt string) string {
	switch {
	case r.Level.Bad() && r.RaterUserID == 0 && (r.VisitID == 0 || r.Anonymous):
		// No account and no phone to tell (rating.Service.sendFeedback):
		// the link, or the case page, shows the feedback and takes the
		// second rating.
		return "评价已提交（" + r.Level.Label() + "）。已转交责任部门整改；本次为匿名评价，处理结果不另行通知，请稍后" + seeAt + "查看反馈并再次评价。"
	case r.Level.Bad():
		return "评价已提交（" + r.Level.Label() + "）。已转交责任部门回访整改，处理结果会通知您，届时可再次评价。"
	}
	return "评价已提交（" + r.Level.Label() + "），感谢您的评价。"
}

type rateLinkPage struct {
	Page
	Token      string
	Subject    *rating.LinkSubject
	Indicators []rating.Indicator
	Levels     []rating.Level
	Form       form
	Applicant  bool // the logged-in applicant may rate under their name
}

// handleRateLink is the page a QR code on a receipt or an SMS link opens
// (no login needed).
func (s *Server) handleRateLink(w http.ResponseWriter, r *http.Request) error {
	return s.rateLinkPage(w, r, http.StatusOK, newForm(nil, nil))
}

func (s *Server) rateLinkPage(w http.ResponseWriter, r *http.Request, status int, f form) error {
	tok, a := r.PathValue("token"), httpkit.ActorFrom(r.Context())
	ls, err := s.svc.Ratings.LinkFor(r.Context(), a, tok)
	if err != nil {
		return err
	}
	p := rateLinkPage{Page: s.page(w, r, "服务评价"), Token: tok, Subject: ls, Indicators: rating.IndicatorsFor(ls.Channel),
		Levels: rating.Levels, Form: f, Applicant: ls.Case != nil && a != nil && a.UserID == ls.Case.ApplicantUserID}
	return s.render(w, status, "ratings/link", p)
}

// handleRateLinkPost records a first or a second evaluation given through
// a link.
func (s *Server) handleRateLinkPost(w http.ResponseWriter, r *http.Request) error {
	tok := r.PathValue("token")
	in, err := ratingInput(r)
	if err == nil {
		a := httpkit.ActorFrom(r.Context())
		var got *rating.Rating
		if r.PostForm.Get("again") == "1" {
			got, err = s.svc.Ratings.Again(r.Context(), a, 0, tok, in)
		} else {
			got, err = s.svc.Ratings.RateLink(r.Context(), a, tok, in)
		}
		if err == nil {
			return s.redirect(w, r, "/rate/"+url.PathEscape(tok), ratedMessage(got, "再次打开本评价链接"))
		}
	}
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.rateLinkPage(w, r, httpkit.WriteStatus(w, err), newForm(r.PostForm, err))
	}
	return err
}

// handleRateQR draws the QR code printed on a receipt: the case's rating
// link.
func (s *Server) handleRateQR(w http.ResponseWriter, r *http.Request) error {
	tok := r.PathValue("token")
	if _, err := s.svc.Ratings.Link(r.Context(), tok); err != nil {
		return err
	}
	png, err := certs.QRCodePNG(s.svc.Ratings.AbsoluteLink(httpkit.BaseURL(r), "/rate/"+tok))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=86400")
	_, err = w.Write(png)
	return err
}

type myRatingsPage struct {
	Page
	Ratings []*rating.Rating
}

func (s *Server) handleMyRatings(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.Ratings.Mine(r.Context(), httpkit.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "ratings/mine", myRatingsPage{Page: s.page(w, r, "我的评价"), Ratings: list})
}

type myRatingPage struct {
	Page
	View       *rating.RaterView
	Levels     []rating.Level
	Indicators []rating.Indicator
	Form       form
}

func (s *Server) handleMyRating(w http.ResponseWriter, r *http.Request) error {
	return s.myRatingPage(w, r, http.StatusOK, newForm(nil, nil))
}

func (s *Server) myRatingPage(w http.ResponseWriter, r *http.Request, status int, f form) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := s.svc.Ratings.RaterRating(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	p := myRatingPage{Page: s.page(w, r, "我的评价"), View: v, Levels: rating.Levels, Indicators: rating.IndicatorsFor(channelOf(r)), Form: f}
	return s.render(w, status, "ratings/rating", p)
}

// handleRateAgain records the rater's second evaluation.
func (s *Server) handleRateAgain(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	in, err := ratingInput(r)
	if err == nil {
		if _, err = s.svc.Ratings.Again(r.Context(), httpkit.ActorFrom(r.Context()), id, "", in); err == nil {
			return s.redirect(w, r, fmt.Sprintf("/ratings/%d", id), "二次评价已提交，感谢您的监督。")
		}
	}
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.myRatingPage(w, r, httpkit.WriteStatus(w, err), newForm(r.PostForm, err))
	}
	return err
}

// indicatorsFor are the indicators of an online or an offline rating.
func indicatorsFor(online bool) []rating.Indicator {
	if online {
		return rating.OnlineIndicators
	}
	return rating.OfflineIndicators
}
