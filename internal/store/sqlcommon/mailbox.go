package sqlcommon

import (
	"openhall/internal/mailbox"
)

// MailboxColumns are the columns ScanMailbox reads, from MailboxFrom.
const MailboxColumns = `m.id, m.agency_id, m.name, m.kind, m.intro, m.days, m.active, m.created_at, m.updated_at,
	a.name, COALESCE(a.department_id, 0), r.path`

// MailboxFrom joins a mailbox to its agency and region.
const MailboxFrom = ` FROM mailboxes m JOIN disclosure_agencies a ON a.id = m.agency_id JOIN regions r ON r.id = a.region_id`

// ScanMailbox reads MailboxColumns.
func ScanMailbox(r Scanner) (*mailbox.Mailbox, error) {
	var m mailbox.Mailbox
	err := r.Scan(&m.ID, &m.AgencyID, &m.Name, &m.Kind, &m.Intro, &m.Days, &m.Active, Time(&m.CreatedAt), Time(&m.UpdatedAt),
		&m.AgencyName, &m.AgencyDeptID, &m.RegionPath)
	return &m, err
}

// MailboxWhere is the WHERE clause of a mailbox list.
func MailboxWhere(d Dialect, f mailbox.MailboxFilter) *Where {
	w := NewWhere(d)
	if f.AgencyID != 0 {
		w.Add("m.agency_id = ?", f.AgencyID)
	}
	if f.PathPrefix != "" {
		w.Add(w.Prefix("r.path", f.PathPrefix))
	}
	if f.Active {
		w.Add("m.active = ?", true)
	}
	return w
}

// LetterColumns are the columns ScanLetter reads, from LetterFrom.
const LetterColumns = `l.id, l.mailbox_id, l.source, COALESCE(l.ticket_no, ''), COALESCE(l.user_id, 0), l.writer_name, l.writer_phone,
	l.topic, l.subject, l.content, l.consent, l.status, l.days, COALESCE(l.dept_id, 0), l.draft, l.answer, l.answer_unit,
	l.public_text, l.published, l.rating, l.rating_note, l.received_at, l.answered_at, l.updated_at,
	m.name, m.agency_id, a.name, COALESCE(a.department_id, 0), r.path, COALESCE(d.name, ''), COALESCE(dr.path, '')`

// LetterFrom joins a letter to its mailbox, agency, region and department.
const LetterFrom = ` FROM letters l JOIN mailboxes m ON m.id = l.mailbox_id JOIN disclosure_agencies a ON a.id = m.agency_id
	JOIN regions r ON r.id = a.region_id LEFT JOIN departments d ON d.id = l.dept_id LEFT JOIN regions dr ON dr.id = d.region_id`

// ScanLetter reads LetterColumns.
func ScanLetter(r Scanner) (*mailbox.Letter, error) {
	var l mailbox.Letter
	err := r.Scan(&l.ID, &l.MailboxID, &l.Source, &l.TicketNo, &l.UserID, &l.WriterName, &l.WriterPhone, &l.Topic, &l.Subject,
		&l.Content, &l.Consent, &l.Status, &l.Days, &l.DeptID, &l.Draft, &l.Answer, &l.AnswerUnit, &l.PublicText, &l.Published,
		&l.Rating, &l.RatingNote, Time(&l.ReceivedAt), Time(&l.AnsweredAt), Time(&l.UpdatedAt), &l.MailboxName, &l.AgencyID,
		&l.AgencyName, &l.AgencyDept, &l.RegionPath, &l.DeptName, &l.DeptPath)
	if err != nil {
		return nil, err
	}
	return &l, nil
}

// LetterWhere is the WHERE clause of a letter list.
func LetterWhere(d Dialect, f mailbox.LetterFilter) *Where {
	w := NewWhere(d)
	if f.MailboxID != 0 {
		w.Add("l.mailbox_id = ?", f.MailboxID)
	}
	if f.AgencyID != 0 {
		w.Add("m.agency_id = ?", f.AgencyID)
	}
	if len(f.DeptIDs) > 0 {
		w.Add(w.In("l.dept_id", f.DeptIDs))
	}
	if len(f.Statuses) > 0 {
		w.Add(w.InText("l.status", Texts(f.Statuses)))
	}
	if f.UserID != 0 {
		w.Add("l.user_id = ?", f.UserID)
	}
	if f.Published {
		w.Add("l.published = ?", true)
	}
	return w
}

// LetterStatsWhere is the WHERE clause of the letters a period's
// statistics count.
func LetterStatsWhere(d Dialect, f mailbox.StatsFilter) *Where {
	w := NewWhere(d)
	w.Add("l.received_at >= ? AND l.received_at < ?", w.Time(f.From), w.Time(f.To))
	if f.AgencyID != 0 {
		w.Add("m.agency_id = ?", f.AgencyID)
	}
	if f.PathPrefix != "" {
		w.Add(w.Prefix("r.path", f.PathPrefix))
	}
	return w
}

// LetterEventColumns are the columns ScanLetterEvent reads.
const LetterEventColumns = `seq, kind, at, actor_id, actor_label, dept_id, days, note`

// ScanLetterEvent reads LetterEventColumns.
func ScanLetterEvent(r Scanner) (mailbox.Event, error) {
	var e mailbox.Event
	return e, r.Scan(&e.Seq, &e.Kind, Time(&e.At), &e.ActorID, &e.ActorLabel, &e.DeptID, &e.Days, &e.Note)
}
