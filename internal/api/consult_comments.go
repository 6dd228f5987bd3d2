package api

import (
	"net/http"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/consult"
	"openhall/internal/httpkit"
)

type commentJSON struct {
	ID           int64                 `json:"id"`
	Seq          int                   `json:"seq"`
	Section      int                   `json:"section"`
	SectionLabel string                `json:"section_label"`
	Author       string                `json:"author"`
	Body         string                `json:"body"`
	Status       consult.CommentStatus `json:"status"`
	HiddenReason string                `json:"hidden_reason,omitempty"`
	Verdict      consult.Verdict       `json:"verdict"`
	Reason       string                `json:"reason,omitempty"`
	CreatedAt    time.Time             `json:"created_at"`
}

// toComment describes a comment; verdicts are public only once the feedback
// is published, and to the office before.
func toComment(c *consult.Consultation, cm *consult.Comment, office bool) commentJSON {
	j := commentJSON{ID: cm.ID, Seq: cm.Seq, Section: cm.Section, SectionLabel: c.SectionLabel(cm.Section), Author: cm.Author,
		Body: cm.Body, Status: cm.Status, HiddenReason: cm.HiddenReason, CreatedAt: cm.CreatedAt}
	if office || c.Status == consult.StatusConcluded {
		j.Verdict, j.Reason = cm.Verdict, cm.Reason
	}
	return j
}

func (s *Server) handleComments(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	q := newQuery(r)
	f := consult.CommentFilter{Offset: q.int("offset", 0, 0, 1<<30), Limit: q.int("limit", 20, 1, 200), Unanswered: q.flag("unanswered")}
	if q.str("section") != "" {
		n := q.int("section", 0, 0, 10000)
		f.Section = &n
	}
	if err := q.err(); err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	c, err := s.svc.Consult.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	cs, err := s.svc.Consult.Comments(r.Context(), a, c, f)
	if err != nil {
		return err
	}
	office := s.svc.Consult.CanManage(r.Context(), a, c)
	return writeJSON(w, http.StatusOK, listOf(cs, func(cm *consult.Comment) commentJSON { return toComment(c, cm, office) }))
}

type commentRequest struct {
	Section int    `json:"section"`
	Body    string `json:"body"`
}

// handleComment records a comment; an anonymous one is allowed where the
// consultation is not real-name.
func (s *Server) handleComment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req commentRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	cm, err := s.svc.Consult.Comment(r.Context(), a, id, consult.CommentInput(req))
	if err != nil {
		return err
	}
	c, err := s.svc.Consult.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toComment(c, cm, false))
}

type moderationRequest struct {
	Reason  string          `json:"reason"`
	Verdict consult.Verdict `json:"verdict"`
}

// commentAction hides, restores or answers a comment.
func (s *Server) commentAction(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, id, err := actorAndID(r)
		if err != nil {
			return err
		}
		var req moderationRequest
		if action != "restore" {
			if err := decode(r, &req); err != nil {
				return err
			}
		}
		var cm *consult.Comment
		switch action {
		case "hide":
			cm, err = s.svc.Consult.Hide(r.Context(), a, id, req.Reason)
		case "restore":
			cm, err = s.svc.Consult.Restore(r.Context(), a, id)
		case "answer":
			cm, err = s.svc.Consult.Answer(r.Context(), a, id, req.Verdict, req.Reason)
		default:
			err = apperr.New(apperr.NotFound, "没有这个操作")
		}
		if err != nil {
			return err
		}
		c, err := s.svc.Consult.Get(r.Context(), a, cm.ConsultationID)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, toComment(c, cm, true))
	}
}
