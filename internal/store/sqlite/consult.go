package sqlite

import (
	"context"
	"encoding/json"
	"strings"

	"openhall/internal/consult"
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
	return s.db.InTx(ctx, func(ctx context.Context) error {
		sections, err := json.Marshal(c.Sections)
		if err != nil {
			return err
		}
		return mapError(s.db.q(ctx).QueryRowContext(ctx, `INSERT INTO consultations (agency_id, title, draft, sections, explanation,
			channels, days, short_reason, real_name, status, opens_on, decision, result_doc_id, feedback_on, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.AgencyID, c.Title, c.Draft, string(sections), c.Explanation, c.Channels, c.Days, c.ShortReason, boolInt(c.RealName),
			c.Status, dateText(c.OpensOn), c.Decision, nullID(c.ResultDocID), dateText(c.FeedbackOn), c.CreatedBy,
			micro(c.CreatedAt), micro(c.UpdatedAt)).Scan(&c.ID))
	})
}

// UpdateConsultation saves c.
func (s *ConsultStore) UpdateConsultation(ctx context.Context, c *consult.Consultation) error {
	sections, err := json.Marshal(c.Sections)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE consultations SET title = ?, draft = ?, sections = ?, explanation = ?,
			channels = ?, days = ?, short_reason = ?, real_name = ?, status = ?, opens_on = ?, decision = ?, result_doc_id = ?,
			feedback_on = ?, updated_at = ? WHERE id = ?`,
			c.Title, c.Draft, string(sections), c.Explanation, c.Channels, c.Days, c.ShortReason, boolInt(c.RealName), c.Status,
			dateText(c.OpensOn), c.Decision, nullID(c.ResultDocID), dateText(c.FeedbackOn), micro(c.UpdatedAt), c.ID)
		return mapError(err)
	})
}

// FindConsultation returns one consultation.
func (s *ConsultStore) FindConsultation(ctx context.Context, id int64) (*consult.Consultation, error) {
	c, err := scanConsultation(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+consultationColumns+consultationFrom+` WHERE c.id = ?`, id))
	return c, notFound(err, "意见征集不存在")
}

// FindConsultations lists consultations newest first, with the total.
func (s *ConsultStore) FindConsultations(ctx context.Context, f consult.Filter) ([]*consult.Consultation, int, error) {
	where, args := []string{"1 = 1"}, []any{}
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if f.AgencyID != 0 {
		add("c.agency_id = ?", f.AgencyID)
	}
	if f.PathPrefix != "" {
		add("substr(r.path, 1, ?) = ?", len(f.PathPrefix), f.PathPrefix)
	}
	if f.Public {
		add("c.status IN ('open', 'concluded')")
	}
	if f.Status != "" {
		add("c.status = ?", f.Status)
	}
	cond := ` WHERE ` + strings.Join(where, " AND ")
	var total int
	if err := s.db.q(ctx).QueryRowContext(ctx, `SELECT count(*)`+consultationFrom+cond, args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+consultationColumns+consultationFrom+cond+
		` ORDER BY c.opens_on DESC, c.id DESC LIMIT ? OFFSET ?`, append(args, limitOf(f.Limit), f.Offset)...)
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

func scanConsultation(r scanner) (*consult.Consultation, error) {
	var c consult.Consultation
	var sections, opens, feedback string
	var realName int
	var created, updated int64
	err := r.Scan(&c.ID, &c.AgencyID, &c.Title, &c.Draft, &sections, &c.Explanation, &c.Channels, &c.Days, &c.ShortReason,
		&realName, &c.Status, &opens, &c.Decision, &c.ResultDocID, &feedback, &c.CreatedBy, &created, &updated,
		&c.AgencyName, &c.RegionPath)
	if err != nil {
		return nil, err
	}
	c.RealName, c.OpensOn, c.FeedbackOn = realName == 1, textDate(opens), textDate(feedback)
	c.CreatedAt, c.UpdatedAt = fromMicro(created), fromMicro(updated)
	return &c, json.Unmarshal([]byte(sections), &c.Sections)
}

const commentColumns = `id, consultation_id, seq, section, user_id, author, body, status, hidden_reason, verdict, reason,
	answered_by, answered_at, created_at`

// CreateComment inserts a comment with the next 序号 of its consultation.
func (s *ConsultStore) CreateComment(ctx context.Context, c *consult.Comment) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		err := q.QueryRowContext(ctx, `UPDATE consultations SET comments = comments + 1 WHERE id = ? RETURNING comments`,
			c.ConsultationID).Scan(&c.Seq)
		if err != nil {
			return notFound(err, "意见征集不存在")
		}
		var uid any
		if c.UserID != 0 {
			uid = c.UserID
		}
		return mapError(q.QueryRowContext(ctx, `INSERT INTO consultation_comments (consultation_id, seq, section, user_id, author,
			body, status, hidden_reason, verdict, reason, answered_by, answered_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.ConsultationID, c.Seq, c.Section, uid, c.Author, c.Body, c.Status, c.HiddenReason, c.Verdict, c.Reason,
			c.AnsweredBy, micro(c.AnsweredAt), micro(c.CreatedAt)).Scan(&c.ID))
	})
}

// UpdateComment saves the moderation and answer of a comment.
func (s *ConsultStore) UpdateComment(ctx context.Context, c *consult.Comment) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE consultation_comments SET status = ?, hidden_reason = ?, verdict = ?,
			reason = ?, answered_by = ?, answered_at = ? WHERE id = ?`,
			c.Status, c.HiddenReason, c.Verdict, c.Reason, c.AnsweredBy, micro(c.AnsweredAt), c.ID)
		return mapError(err)
	})
}

// FindComment returns one comment.
func (s *ConsultStore) FindComment(ctx context.Context, id int64) (*consult.Comment, error) {
	c, err := scanComment(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+commentColumns+` FROM consultation_comments WHERE id = ?`, id))
	return c, notFound(err, "意见不存在")
}

// FindComments returns a page of a consultation's comments in order.
func (s *ConsultStore) FindComments(ctx context.Context, f consult.CommentFilter) ([]*consult.Comment, error) {
	where, args := "consultation_id = ?", []any{f.ConsultationID}
	if f.Section != nil {
		where, args = where+" AND section = ?", append(args, *f.Section)
	}
	if f.Unanswered {
		where += " AND status = 'published' AND verdict = ''"
	}
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+commentColumns+` FROM consultation_comments WHERE `+where+
		` ORDER BY seq LIMIT ? OFFSET ?`, append(args, limitOf(f.Limit), f.Offset)...)
	return collect(rows, err, scanComment)
}

// CountComments counts a consultation's comments by section, status and
// verdict, from the counts the triggers keep.
func (s *ConsultStore) CountComments(ctx context.Context, id int64) (consult.Counts, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT section, status, verdict, n FROM consultation_comment_counts
		WHERE consultation_id = ? AND n > 0`, id)
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

func scanComment(r scanner) (*consult.Comment, error) {
	var c consult.Comment
	var uid *int64
	var answered, created int64
	err := r.Scan(&c.ID, &c.ConsultationID, &c.Seq, &c.Section, &uid, &c.Author, &c.Body, &c.Status, &c.HiddenReason,
		&c.Verdict, &c.Reason, &c.AnsweredBy, &answered, &created)
	if uid != nil {
		c.UserID = *uid
	}
	c.AnsweredAt, c.CreatedAt = fromMicro(answered), fromMicro(created)
	return &c, err
}
