package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/disclosure"
)

// SetRequestTopic tags a request with a topic; an empty topic removes it.
func (s *DisclosureStore) SetRequestTopic(ctx context.Context, requestID, agencyID int64, topic string, at time.Time) error {
	if topic == "" {
		_, err := s.db.q(ctx).ExecContext(ctx, `DELETE FROM disclosure_request_topics WHERE request_id = ?`, requestID)
		return mapError(err)
	}
	_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO disclosure_request_topics (request_id, agency_id, topic, updated_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (request_id) DO UPDATE SET topic = excluded.topic, updated_at = excluded.updated_at`,
		requestID, agencyID, topic, micro(at))
	return mapError(err)
}

// RequestTopic returns a request's topic, "" when it has none.
func (s *DisclosureStore) RequestTopic(ctx context.Context, requestID int64) (string, error) {
	var topic string
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT topic FROM disclosure_request_topics WHERE request_id = ?`, requestID).Scan(&topic)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return topic, mapError(err)
}

// RepeatedTopics groups an agency's tagged requests received in [from, to]
// by topic: those with at least min requests, most requested first. An
// applicant is an account, or a name for requests registered at the desk.
func (s *DisclosureStore) RepeatedTopics(ctx context.Context, agencyID int64, from, to string, min int) ([]disclosure.RepeatedTopic, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT t.topic, count(*),
		count(DISTINCT CASE WHEN r.user_id > 0 THEN 'u' || r.user_id ELSE 'n' || r.name END),
		min(r.received_on), max(r.received_on), group_concat(r.number, char(9)), d.doc_id
		FROM disclosure_request_topics t JOIN disclosure_requests r ON r.id = t.request_id
		LEFT JOIN disclosure_repeat_drafts d ON d.agency_id = t.agency_id AND d.topic = t.topic
		WHERE t.agency_id = ? AND r.received_on <> '' AND r.received_on >= ? AND r.received_on <= ?
		GROUP BY t.topic, d.doc_id HAVING count(*) >= ? ORDER BY count(*) DESC, t.topic`, agencyID, from, to, min)
	return collect(rows, err, func(sc scanner) (disclosure.RepeatedTopic, error) {
		var t disclosure.RepeatedTopic
		var numbers string
		err := sc.Scan(&t.Topic, &t.Requests, &t.Applicants, &t.First, &t.Last, &numbers, &t.DocID)
		t.Numbers = strings.Split(numbers, "\t")
		return t, err
	})
}

// SaveRepeatDraft records the draft made for a topic, once per topic.
func (s *DisclosureStore) SaveRepeatDraft(ctx context.Context, agencyID int64, topic string, docID int64, at time.Time) error {
	res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO disclosure_repeat_drafts (agency_id, topic, doc_id, created_at)
		VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, agencyID, topic, docID, micro(at))
	if err != nil {
		return mapError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.Conflict, "“%s”已起草主动公开稿", topic)
	}
	return nil
}
