package api

import (
	"net/http"
	"time"

	"openhall/internal/notify"
)

// registerNotifyRoutes serves the caller's inbox.
func (s *Server) registerNotifyRoutes() {
	s.handle("GET /api/v1/notifications", s.handleNotifications)
	s.handle("POST /api/v1/notifications/{id}/read", s.handleNotificationRead)
	s.handle("POST /api/v1/notifications/read-all", s.handleNotificationsReadAll)
}

// notificationJSON is one message of the inbox.
type notificationJSON struct {
	ID        int64      `json:"id"`
	Kind      string     `json:"kind"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

func toNotification(n *notify.Notification) notificationJSON {
	out := notificationJSON{ID: n.ID, Kind: n.Kind, Title: n.Title, Body: n.Body, Link: n.Link, CreatedAt: n.CreatedAt}
	if n.Read() {
		out.ReadAt = &n.ReadAt
	}
	return out
}

// notificationListJSON is a page of the inbox with the unread count.
type notificationListJSON struct {
	Items  []notificationJSON `json:"items"`
	Unread int                `json:"unread"`
}

func (s *Server) handleNotifications(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	q := newQuery(r)
	f := notify.Filter{UnreadOnly: q.flag("unread"), Limit: q.int("limit", 50, 1, 200)}
	if before := q.id("before_id"); before != nil {
		f.BeforeID = *before
	}
	if err := q.err(); err != nil {
		return err
	}
	ns, err := s.svc.Notify.Inbox(r.Context(), a, f)
	if err != nil {
		return err
	}
	unread, err := s.svc.Notify.Unread(r.Context(), a)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, notificationListJSON{Items: listOf(ns, toNotification).Items, Unread: unread})
}

func (s *Server) handleNotificationRead(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	n, err := s.svc.Notify.MarkRead(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toNotification(n))
}

// readAllJSON says how many messages were marked read.
type readAllJSON struct {
	Marked int64 `json:"marked"`
}

func (s *Server) handleNotificationsReadAll(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	n, err := s.svc.Notify.MarkAllRead(r.Context(), a)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, readAllJSON{Marked: n})
}
