package postgres

import (
	"context"
	"encoding/json"
	"time"

	"openhall/internal/consult"

	"github.com/jackc/pgx/v5"
)

// ConsultStore implements consult.Store.
type ConsultStore struct{ db *DB }

// Consult returns the consultation and survey store.
func (db *DB) Consult() *ConsultStore { return &ConsultStore{db} }

const consultationColumns = `c.id, c.agency_id, c.title, c.draft, c.sections, c.explanation, c.channels, c.days, c.short_reason,
	c.real_name, c.status, c.opens_on, c.decision, c.result_doc_id, c.feedback_on, c.created_by, c.created_at, c.updated_at,
	a.name, r.path`

const consultationFrom = ` FROM consultations c JOIN disclosure_agencies a ON a.id = c.agency_id JOIN regions r ON r.id = a.region_id`

// CreateConsultation inserts c.
func (s *ConsultStore) CreateConsultation(ctx context.Context, c *consult.Consultation) error {
	sections, err := json.Marshal(c.Sections)
	if err != nil {
		return err
	}
	return mapError(s.db.q(ctx).QueryRow(ctx, `INSERT INTO consultations (agency_id, title, draft, sections, explanation,
		channels, days, short_reason, real_name, status, opens_on, decision, result_doc_id, feedback_on, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
		c.AgencyID, c.Title, c.Draft, sections, c.Explanation, c.Channels, c.Days, c.ShortReason, c.RealName,
		c.Status, dateText(c.OpensOn), c.Decision, c.ResultDocID, dateText(c.FeedbackOn), c.CreatedBy,
		c.CreatedAt, c.UpdatedAt).Scan(&c.ID))
}

// UpdateConsultation saves c.
func (s *ConsultStore) UpdateConsultation(ctx context.Context, c *consult.Consultation) error {
	sections, err := json.Marshal(c.Sections)
	if err != nil {
		return err
	}
	_, err = s.db.q(ctx).Exec(ctx, `UPDATE consultations SET title = $1, draft = $2, sections = $3, explanation = $4,
		channels = $5, days = $6, short_reason = $7, real_name = $8, status = $9, opens_on = $10, decision = $11, result_doc_id = $12,
		feedback_on = $13, updated_at = $14 WHERE id = $15`,
		c.Title, c.Draft, sections, c.Explanation, c.Channels, c.Days, c.ShortReason, c.RealName, c.Status,
		dateText(c.OpensOn), c.Decision, c.ResultDocID, dateText(c.FeedbackOn), c.UpdatedAt, c.ID)
	return mapError(err)
}

// FindConsultation returns one consultation.
func (s *ConsultStore) FindConsultation(ctx context.Context, id int64) (*consult.Consultation, error) {
	c, err := scanConsultation(s.db.q(ctx).QueryRow(ctx, `SELECT `+consultationColumns+consultationFrom+` WHERE c.id = $1`, id))
	return c, notFound(err, "意见征集不存在")
}

// FindConsultations lists consultations newest first, with the total.
func (s *ConsultStore) FindConsultations(ctx context.Context, f consult.Filter) ([]*consult.Consultation, int, error) {
	w := newWhere()
	add := w.add
	if f.AgencyID != 0 {
		add("c.agency_id = ?", f.AgencyID)
	}
	if f.PathPrefix != "" {
		add("r.path LIKE ?", likePrefix(f.PathPrefix))
	}
	if f.Public {
		add("c.status IN ('open', 'concluded')")
	}
	if f.Status != "" {
		add("c.status = ?", f.Status)
	}
	cond := ` WHERE ` + w.sql()
	var total int
	if err := s.db.q(ctx).QueryRow(ctx, `SELECT count(*)`+consultationFrom+cond, w.args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	page := ` LIMIT ` + w.arg(limitOf(f.Limit)) + ` OFFSET ` + w.arg(f.Offset)
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+consultationColumns+consultationFrom+cond+
		` ORDER BY c.opens_on DESC, c.id DESC`+page, w.args...)
	out, err := collect(rows, err, scanConsultation)
	return out, total, err
}

// limitOf defaults a list's limit.
func limitOf(n int) int {
	if n <= 0 {
		return 50
	}
	return n
}

func scanConsultation(r pgx.Row) (*consult.Consultation, error) {
	var c consult.Consultation
	var sections []byte
	var opens, feedback string
	err := r.Scan(&c.ID, &c.AgencyID, &c.Title, &c.Draft, &sections, &c.Explanation, &c.Channels, &c.Days, &c.ShortReason,
		&c.RealName, &c.Status, &opens, &c.Decision, &c.ResultDocID, &feedback, &c.CreatedBy, &c.CreatedAt, &c.UpdatedAt,
		&c.AgencyName, &c.RegionPath)
	if err != nil {
		return nil, err
	}
	c.OpensOn, c.FeedbackOn = textDate(opens), textDate(feedback)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, json.Unmarshal(sections, &c.Sections)
}

const commentColumns = `id, consultation_id, seq, section, COALESCE(user_id, 0), author, body, status, hidden_reason, verdict,
	reason, answered_by, answered_at, created_at`

// CreateComment inserts a comment with the next 序号 of its consultation;
// the counter's row lock orders concurrent comments.
func (s *ConsultStore) CreateComment(ctx context.Context, c *consult.Comment) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		err := q.QueryRow(ctx, `UPDATE consultations SET comments = comments + 1 WHERE id = $1 RETURNING comments`, c.ConsultationID).Scan(&c.Seq)
		if err != nil {
			return notFound(err, "意见征集不存在")
		}
		return mapError(q.QueryRow(ctx, `INSERT INTO consultation_comments (consultation_id, seq, section, user_id, author,
			body, status, hidden_reason, verdict, reason, answered_by, answered_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			c.ConsultationID, c.Seq, c.Section, nullable(c.UserID), c.Author, c.Body, c.Status, c.HiddenReason, c.Verdict, c.Reason,
			c.AnsweredBy, nullTime(c.AnsweredAt), c.CreatedAt).Scan(&c.ID))
	})
}

// UpdateComment saves the moderation and answer of a comment.
func (s *ConsultStore) UpdateComment(ctx context.Context, c *consult.Comment) error {
	_, err := s.db.q(ctx).Exec(ctx, `UPDATE consultation_comments SET status = $1, hidden_reason = $2, verdict = $3,
		reason = $4, answered_by = $5, answered_at = $6 WHERE id = $7`,
		c.Status, c.HiddenReason, c.Verdict, c.Reason, c.AnsweredBy, nullTime(c.AnsweredAt), c.ID)
	return mapError(err)
}

// FindComment returns one comment.
func (s *ConsultStore) FindComment(ctx context.Context, id int64) (*consult.Comment, error) {
	c, err := scanComment(s.db.q(ctx).QueryRow(ctx, `SELECT `+commentColumns+` FROM consultation_comments WHERE id = $1`, id))
	return c, notFound(err, "意见不存在")
}

// FindComments returns a page of a consultation's comments in order.
func (s *ConsultStore) FindComments(ctx context.Context, f consult.CommentFilter) ([]*consult.Comment, error) {
	w := newWhere()
	w.add("consultation_id = ?", f.ConsultationID)
	if f.Section != nil {
		w.add("section = ?", *f.Section)
	}
	if f.Unanswered {
		w.add("status = 'published' AND verdict = ''")
	}
	page := ` LIMIT ` + w.arg(limitOf(f.Limit)) + ` OFFSET ` + w.arg(f.Offset)
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+commentColumns+` FROM consultation_comments WHERE `+w.sql()+
		` ORDER BY seq`+page, w.args...)
	return collect(rows, err, scanComment)
}

// CountComments counts a consultation's comments by section, status and
// verdict (from the covering index).
func (s *ConsultStore) CountComments(ctx context.Context, id int64) (consult.Counts, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT section, status, verdict, count(*) FROM consultation_comments
		WHERE consultation_id = $1 GROUP BY section, status, verdict`, id)
	if err != nil {
		return consult.Counts{}, mapError(err)
	}
	defer rows.Close()
	n := consult.Counts{BySection: map[int]int{}}
	for rows.Next() {
		var section, count int
		var status consult.CommentStatus
		var verdict consult.Verdict
		if err := rows.Scan(&section, &status, &verdict, &count); err != nil {
			return n, mapError(err)
		}
		n.Add(section, status, verdict, count)
	}
	return n, mapError(rows.Err())
}

func scanComment(r pgx.Row) (*consult.Comment, error) {
	var c consult.Comment
	var answered *time.Time
	err := r.Scan(&c.ID, &c.ConsultationID, &c.Seq, &c.Section, &c.UserID, &c.Author, &c.Body, &c.Status, &c.HiddenReason,
		&c.Verdict, &c.Reason, &c.AnsweredBy, &answered, &c.CreatedAt)
	c.AnsweredAt, c.CreatedAt = derefTime(answered), c.CreatedAt.UTC()
	return &c, err
}
