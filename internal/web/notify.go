package web

import (
	"fmt"
	"net/http"
	"strconv"

	"openhall/internal/httpkit"
	"openhall/internal/notify"
)

// registerNotifyRoutes serves the inbox (我的消息).
func (s *Server) registerNotifyRoutes() {
	s.mux.HandleFunc("GET /messages", s.requireLogin(s.handleMessages))
	s.mux.HandleFunc("POST /messages/{id}/read", s.requireLogin(s.handleMessageRead))
	s.mux.HandleFunc("POST /messages/read-all", s.requireLogin(s.handleMessagesReadAll))
}

// messagesPerPage is the length of one page of the inbox.
const messagesPerPage = 30

type messagesPage struct {
	Page
	Messages   []*notify.Notification
	UnreadOnly bool
	NextBefore int64 // id to page on from, 0 on the last page
}

func (s *Server) handleMessages(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	before, _ := strconv.ParseInt(q.Get("before"), 10, 64)
	f := notify.Filter{UnreadOnly: q.Get("unread") == "1", BeforeID: max(before, 0), Limit: messagesPerPage}
	ms, err := s.svc.Notify.Inbox(r.Context(), httpkit.ActorFrom(r.Context()), f)
	if err != nil {
		return err
	}
	p := messagesPage{Page: s.page(w, r, "我的消息"), Messages: ms, UnreadOnly: f.UnreadOnly}
	if len(ms) == messagesPerPage {
		p.NextBefore = ms[len(ms)-1].ID
	}
	return s.render(w, http.StatusOK, "messages", p)
}

// handleMessageRead marks one message read and goes on to its link when
// asked to open it, else back to the inbox.
func (s *Server) handleMessageRead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	n, err := s.svc.Notify.MarkRead(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	if r.PostForm.Get("open") == "1" && n.Link != "" {
		return s.redirect(w, r, safeNext(n.Link), "")
	}
	return s.redirect(w, r, "/messages", "已标为已读")
}

func (s *Server) handleMessagesReadAll(w http.ResponseWriter, r *http.Request) error {
	n, err := s.svc.Notify.MarkAllRead(r.Context(), httpkit.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/messages", fmt.Sprintf("已将 %d 条消息标为已读", n))
}
