package postgres

import (
	"context"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/mailbox"

	"github.com/jackc/pgx/v5"
)

// MailboxStore implements mailbox.Store.
type MailboxStore struct{ db *DB }

// Mailbox returns the mailbox store.
func (db *DB) Mailbox() *MailboxStore { return &MailboxStore{db} }

const mailboxColumns = `m.id, m.agency_id, m.name, m.kind, m.intro, m.days, m.active, m.created_at, m.updated_at,
	a.name, COALESCE(a.department_id, 0), r.path`

const mailboxFrom = ` FROM mailboxes m JOIN disclosure_agencies a ON a.id = m.agency_id JOIN regions r ON r.id = a.region_id`

// CreateMailbox inserts m.
func (s *MailboxStore) CreateMailbox(ctx context.Context, m *mailbox.Mailbox) error {
	return mapError(s.db.q(ctx).QueryRow(ctx, `INSERT INTO mailboxes (agency_id, name, kind, intro, days, active,
		created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, m.AgencyID, m.Name, m.Kind, m.Intro, m.Days,
		m.Active, m.CreatedAt, m.UpdatedAt).Scan(&m.ID))
}

// UpdateMailbox saves m.
func (s *MailboxStore) UpdateMailbox(ctx context.Context, m *mailbox.Mailbox) error {
	_, err := s.db.q(ctx).Exec(ctx, `UPDATE mailboxes SET name = $1, kind = $2, intro = $3, days = $4, active = $5,
		updated_at = $6 WHERE id = $7`, m.Name, m.Kind, m.Intro, m.Days, m.Active, m.UpdatedAt, m.ID)
	return mapError(err)
}

// FindMailbox returns one mailbox.
func (s *MailboxStore) FindMailbox(ctx context.Context, id int64) (*mailbox.Mailbox, error) {
	m, err := scanMailbox(s.db.q(ctx).QueryRow(ctx, `SELECT `+mailboxColumns+mailboxFrom+` WHERE m.id = $1`, id))
	return m, notFound(err, "信箱不存在")
}

// FindMailboxes lists mailboxes by agency and name.
func (s *MailboxStore) FindMailboxes(ctx context.Context, f mailbox.MailboxFilter) ([]*mailbox.Mailbox, error) {
	w := newWhere()
	if f.AgencyID != 0 {
		w.add("m.agency_id = ?", f.AgencyID)
	}
	if f.PathPrefix != "" {
		w.add("r.path LIKE ?", likePrefix(f.PathPrefix))
	}
	if f.Active {
		w.add("m.active")
	}
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+mailboxColumns+mailboxFrom+` WHERE `+w.sql()+
		` ORDER BY r.path, m.agency_id, m.id`, w.args...)
	return collect(rows, err, scanMailbox)
}

func scanMailbox(r pgx.Row) (*mailbox.Mailbox, error) {
	var m mailbox.Mailbox
	err := r.Scan(&m.ID, &m.AgencyID, &m.Name, &m.Kind, &m.Intro, &m.Days, &m.Active, &m.CreatedAt, &m.UpdatedAt,
		&m.AgencyName, &m.AgencyDeptID, &m.RegionPath)
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	return &m, err
}

const letterColumns = `l.id, l.mailbox_id, l.source, COALESCE(l.ticket_no, ''), COALESCE(l.user_id, 0), l.writer_name, l.writer_phone,
	l.topic, l.subject, l.content, l.consent, l.status, l.days, COALESCE(l.dept_id, 0), l.draft, l.answer, l.answer_unit,
	l.public_text, l.published, l.rating, l.rating_note, l.received_at, l.answered_at, l.updated_at,
	m.name, m.agency_id, a.name, COALESCE(a.department_id, 0), r.path, COALESCE(d.name, ''), COALESCE(dr.path, '')`

const letterFrom = ` FROM letters l JOIN mailboxes m ON m.id = l.mailbox_id JOIN disclosure_agencies a ON a.id = m.agency_id
	JOIN regions r ON r.id = a.region_id LEFT JOIN departments d ON d.id = l.dept_id LEFT JOIN regions dr ON dr.id = d.region_id`

// CreateLetter inserts a letter and its first events.
func (s *MailboxStore) CreateLetter(ctx context.Context, l *mailbox.Letter, events []mailbox.Event) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO letters (mailbox_id, source, ticket_no, user_id, writer_name,
			writer_phone, topic, subject, content, consent, status, days, received_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			l.MailboxID, l.Source, nullText(l.TicketNo), nullable(l.UserID), l.WriterName, l.WriterPhone, l.Topic, l.Subject,
			l.Content, l.Consent, l.Status, l.Days, l.ReceivedAt, l.UpdatedAt).Scan(&l.ID)
		if isUnique(err) {
			return apperr.Field("ticket_no", "工单号 "+l.TicketNo+" 已转入过")
		}
		if err != nil {
			return mapError(err)
		}
		return s.appendEvents(ctx, l.ID, 0, events)
	})
}

// appendEvents inserts events after the letter's last seq.
func (s *MailboxStore) appendEvents(ctx context.Context, id int64, last int, events []mailbox.Event) error {
	for i, e := range events {
		_, err := s.db.q(ctx).Exec(ctx, `INSERT INTO letter_events (letter_id, seq, kind, at, actor_id, actor_label,
			dept_id, days, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			id, last+i+1, e.Kind, e.At, e.ActorID, e.ActorLabel, e.DeptID, e.Days, e.Note)
		if err != nil {
			return mapError(err)
		}
	}
	return nil
}

// SaveLetter writes a letter after events, refusing a stale write.
func (s *MailboxStore) SaveLetter(ctx context.Context, l *mailbox.Letter, updatedAt time.Time, events []mailbox.Event) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		tag, err := s.db.q(ctx).Exec(ctx, `UPDATE letters SET status = $1, days = $2, dept_id = $3, draft = $4, answer = $5,
			answer_unit = $6, public_text = $7, published = $8, rating = $9, rating_note = $10, answered_at = $11, updated_at = $12
			WHERE id = $13 AND updated_at = $14`,
			l.Status, l.Days, nullable(l.DeptID), l.Draft, l.Answer, l.AnswerUnit, l.PublicText, l.Published, l.Rating,
			l.RatingNote, nullTime(l.AnsweredAt), l.UpdatedAt, l.ID, updatedAt)
		if err != nil {
			return mapError(err)
		}
		if tag.RowsAffected() != 1 {
			return apperr.New(apperr.Conflict, "信件已被他人处理，请刷新后重试")
		}
		var last int
		if err := s.db.q(ctx).QueryRow(ctx, `SELECT COALESCE(max(seq), 0) FROM letter_events WHERE letter_id = $1`, l.ID).Scan(&last); err != nil {
			return mapError(err)
		}
		return s.appendEvents(ctx, l.ID, last, events)
	})
}

// FindLetter returns a letter with its events.
func (s *MailboxStore) FindLetter(ctx context.Context, id int64) (*mailbox.Letter, error) {
	l, err := scanLetter(s.db.q(ctx).QueryRow(ctx, `SELECT `+letterColumns+letterFrom+` WHERE l.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "信件不存在")
	}
	rows, err := s.db.q(ctx).Query(ctx, `SELECT seq, kind, at, actor_id, actor_label, dept_id, days, note
		FROM letter_events WHERE letter_id = $1 ORDER BY seq`, id)
	l.Events, err = collect(rows, err, func(r pgx.Row) (mailbox.Event, error) {
		var e mailbox.Event
		err := r.Scan(&e.Seq, &e.Kind, &e.At, &e.ActorID, &e.ActorLabel, &e.DeptID, &e.Days, &e.Note)
		e.At = e.At.UTC()
		return e, err
	})
	return l, err
}

// FindLetterByTicket returns the letter of a 12345 ticket.
func (s *MailboxStore) FindLetterByTicket(ctx context.Context, ticketNo string) (*mailbox.Letter, error) {
	l, err := scanLetter(s.db.q(ctx).QueryRow(ctx, `SELECT `+letterColumns+letterFrom+` WHERE l.ticket_no = $1`, ticketNo))
	return l, notFound(err, "工单不存在")
}

// FindLetters lists letters newest first, with the total.
func (s *MailboxStore) FindLetters(ctx context.Context, f mailbox.LetterFilter) ([]*mailbox.Letter, int, error) {
	w := letterWhere(f)
	cond := ` WHERE ` + w.sql()
	var total int
	if err := s.db.q(ctx).QueryRow(ctx, `SELECT count(*)`+letterFrom+cond, w.args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	order := ` ORDER BY l.id DESC`
	if f.Published {
		order = ` ORDER BY l.answered_at DESC, l.id DESC`
	}
	page := ` LIMIT ` + w.arg(limitOf(f.Limit)) + ` OFFSET ` + w.arg(f.Offset)
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+letterColumns+letterFrom+cond+order+page, w.args...)
	out, err := collect(rows, err, scanLetter)
	return out, total, err
}

func letterWhere(f mailbox.LetterFilter) *where {
	w := newWhere()
	add := w.add
	if f.MailboxID != 0 {
		add("l.mailbox_id = ?", f.MailboxID)
	}
	if f.AgencyID != 0 {
		add("m.agency_id = ?", f.AgencyID)
	}
	if len(f.DeptIDs) > 0 {
		add("l.dept_id = ANY(?)", f.DeptIDs)
	}
	if len(f.Statuses) > 0 {
		add("l.status = ANY(?)", textSlice(f.Statuses))
	}
	if f.UserID != 0 {
		add("l.user_id = ?", f.UserID)
	}
	if f.Published {
		add("l.published")
	}
	return w
}

// FindLettersForStats returns the letters received in a period under a
// region subtree or agency.
func (s *MailboxStore) FindLettersForStats(ctx context.Context, f mailbox.StatsFilter) ([]*mailbox.Letter, error) {
	w := newWhere()
	w.add("l.received_at >= ? AND l.received_at < ?", f.From, f.To)
	if f.AgencyID != 0 {
		w.add("m.agency_id = ?", f.AgencyID)
	}
	if f.PathPrefix != "" {
		w.add("r.path LIKE ?", likePrefix(f.PathPrefix))
	}
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+letterColumns+letterFrom+` WHERE `+w.sql()+
		` ORDER BY l.id`, w.args...)
	return collect(rows, err, scanLetter)
}

func scanLetter(r pgx.Row) (*mailbox.Letter, error) {
	var l mailbox.Letter
	var answered *time.Time
	err := r.Scan(&l.ID, &l.MailboxID, &l.Source, &l.TicketNo, &l.UserID, &l.WriterName, &l.WriterPhone, &l.Topic, &l.Subject,
		&l.Content, &l.Consent, &l.Status, &l.Days, &l.DeptID, &l.Draft, &l.Answer, &l.AnswerUnit, &l.PublicText, &l.Published,
		&l.Rating, &l.RatingNote, &l.ReceivedAt, &answered, &l.UpdatedAt, &l.MailboxName, &l.AgencyID, &l.AgencyName, &l.AgencyDept,
		&l.RegionPath, &l.DeptName, &l.DeptPath)
	if err != nil {
		return nil, err
	}
	l.ReceivedAt, l.AnsweredAt, l.UpdatedAt = l.ReceivedAt.UTC(), derefTime(answered), l.UpdatedAt.UTC()
	return &l, nil
}

// nullText stores "" as NULL, for optional unique columns.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
