package web

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/rating"
)

// The counter tablet's live channel (GET /counter/live, a WebSocket). The
// tablet page's script keeps it open while the tablet stands at the
// window and sends each rating over it instead of posting the form, so a
// busy hall's ratings cost a message each rather than a page round trip.
// The page without script, or when the channel cannot be opened (a proxy
// that does not pass WebSockets), posts the form as before.
//
// The tablet sends one rating at a time and waits for its answer:
//
//	{"key":"<32 hex digits>","level":1,"indicators":{"service_efficiency":2},"comment":"…"}
//
// and the server answers once the rating is durably stored, or with the
// errors of its fields, named as the form names them:
//
//	{"key":"…","ok":true}
//	{"key":"…","message":"…","errors":{"level":"…"}}
//	{"ended":true,"message":"…"}   the tablet was stopped: the page reloads
//
// The key is drawn by the tablet for each rating. Sent again (the answer
// was lost with the connection), by the channel or the form, the rating
// is stored once (rating.Service.RateCounterOnce).

// liveLimit bounds a message: a rating with its 500-character comment and
// indicators fits in a quarter of it.
const liveLimit = 8 << 10

// liveCheck is how often an idle channel checks that its tablet still
// runs (a cached look-up), so that a tablet stopped is told within it,
// on the node where it was stopped, and within it and the tablets' cache
// life on the others.
const liveCheck = 5 * time.Second

// livePing is how often an idle channel checks that the other end still
// answers (and keeps proxies from closing it as idle).
const livePing = 20 * time.Second

// liveMessage is a rating sent over the channel.
type liveMessage struct {
	Key        string         `json:"key"`
	Level      int            `json:"level"`
	Indicators map[string]int `json:"indicators"`
	Comment    string         `json:"comment"`
}

// liveReply is the server's answer to a message, or its notice that the
// tablet was stopped.
type liveReply struct {
	Key     string            `json:"key,omitempty"`
	OK      bool              `json:"ok,omitempty"`
	Message string            `json:"message,omitempty"`
	Errors  map[string]string `json:"errors,omitempty"`
	Ended   bool              `json:"ended,omitempty"`
}

func (m liveMessage) input() rating.Input {
	in := rating.Input{Level: rating.Level(m.Level), Comment: m.Comment, Indicators: map[rating.Indicator]rating.Level{}}
	for k, v := range m.Indicators {
		in.Indicators[rating.Indicator(k)] = rating.Level(v)
	}
	return in
}

// handleCounterLive opens the live channel of the tablet the request
// comes from. Only pages of this site may open it (the Origin header is
// checked), as only they may post its form.
func (s *Server) handleCounterLive(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.counterOf(r); err != nil {
		return err
	}
	tok, _ := r.Cookie(CounterCookie)
	if err := s.live.reserve(tok.Value); err != nil {
		return err
	}
	defer s.live.release(tok.Value)
	conn, raw, err := acceptLive(w, r)
	if err != nil {
		return nil // Accept has answered (426, 403)
	}
	s.live.serve(r.Context(), conn, raw, func(ctx context.Context, data []byte) liveReply {
		return s.liveRate(ctx, tok.Value, data)
	}, func(ctx context.Context) *liveReply {
		return s.liveEnded(ctx, tok.Value)
	})
	return nil
}

// liveRate stores the rating of one message and returns the answer.
func (s *Server) liveRate(ctx context.Context, tok string, data []byte) liveReply {
	c, err := s.svc.Ratings.CounterByToken(ctx, tok)
	if apperr.Is(err, apperr.NotFound) {
		return liveReply{Ended: true, Message: apperr.MessageOf(err)}
	}
	var m liveMessage
	if err == nil && json.Unmarshal(data, &m) != nil {
		return liveReply{Message: "评价消息格式无效，请刷新评价器页面后重新评价"}
	}
	if err == nil {
		err = s.svc.Ratings.RateCounterOnce(ctx, c, m.Key, m.input())
	}
	if err == nil {
		return liveReply{Key: m.Key, OK: true}
	}
	if !apperr.Is(err, apperr.Invalid) {
		s.log.Error("counter live rating", "err", err)
	}
	return liveReply{Key: m.Key, Message: apperr.MessageOf(err), Errors: apperr.FieldsOf(err)}
}

// liveEnded is the notice for a tablet stopped meanwhile, or nil while it
// runs (or when that cannot be told now: the next check tells).
func (s *Server) liveEnded(ctx context.Context, tok string) *liveReply {
	_, err := s.svc.Ratings.CounterByToken(ctx, tok)
	if apperr.Is(err, apperr.NotFound) {
		return &liveReply{Ended: true, Message: apperr.MessageOf(err)}
	}
	return nil
}
