package sqlite

import (
	"context"
	"fmt"
	"strings"

	"openhall/internal/calendar"
	"openhall/internal/disclosure"
)

const requestColumns = `q.id, q.agency_id, q.number, q.user_id, q.applicant_kind, q.applicant_type, q.name, q.id_type, q.id_number,
	q.phone, q.email, q.address, q.description, q.delivery, q.channel, q.submitted_at, q.received_on, q.status, q.answer, q.reason,
	q.answered_on, q.refer_to, q.answer_text, q.missing, q.created_at, q.updated_at, a.name`

// CreateRequest inserts r.
func (s *DisclosureStore) CreateRequest(ctx context.Context, r *disclosure.Request) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRowContext(ctx, `INSERT INTO disclosure_requests (agency_id, number, user_id, applicant_kind,
			applicant_type, name, id_type, id_number, phone, email, address, description, delivery, channel, submitted_at, status,
			missing, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			r.AgencyID, r.Number, r.UserID, r.ApplicantKind, r.ApplicantType, r.Name, r.IDType, r.IDNumber, r.Phone, r.Email,
			r.Address, r.Description, r.Delivery, r.Channel, micro(r.SubmittedAt), r.Status, strings.Join(r.Missing, "\n"),
			micro(r.CreatedAt), micro(r.UpdatedAt)).Scan(&r.ID)
		return mapError(err)
	})
}

// UpdateRequest saves the state of r.
func (s *DisclosureStore) UpdateRequest(ctx context.Context, r *disclosure.Request) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE disclosure_requests SET received_on = ?, status = ?, answer = ?, reason = ?,
			answered_on = ?, refer_to = ?, answer_text = ?, missing = ?, updated_at = ? WHERE id = ?`,
			dateText(r.ReceivedOn), r.Status, r.Answer, r.Reason, dateText(r.AnsweredOn), r.ReferTo, r.AnswerText,
			strings.Join(r.Missing, "\n"), micro(r.UpdatedAt), r.ID)
		return mapError(err)
	})
}

// FindRequestByID returns one request.
func (s *DisclosureStore) FindRequestByID(ctx context.Context, id int64) (*disclosure.Request, error) {
	r, err := scanRequest(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+requestColumns+`
		FROM disclosure_requests q JOIN disclosure_agencies a ON a.id = q.agency_id WHERE q.id = ?`, id))
	return r, notFound(err, "申请不存在")
}

// FindRequests lists requests: open ones first, by receipt, then the rest.
func (s *DisclosureStore) FindRequests(ctx context.Context, f disclosure.RequestFilter) ([]*disclosure.Request, int, error) {
	where, args := requestWhere(f)
	from := ` FROM disclosure_requests q JOIN disclosure_agencies a ON a.id = q.agency_id JOIN regions r ON r.id = a.region_id WHERE ` + where
	var total int
	q := s.db.q(ctx)
	if err := q.QueryRowContext(ctx, `SELECT count(*)`+from, args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	if f.Limit <= 0 {
		f.Limit = 100000
	}
	rows, err := q.QueryContext(ctx, `SELECT `+requestColumns+from+` ORDER BY q.answered_on <> '', q.received_on, q.id LIMIT ? OFFSET ?`,
		append(args, f.Limit, f.Offset)...)
	rs, err := collect(rows, err, scanRequest)
	return rs, total, err
}

func requestWhere(f disclosure.RequestFilter) (string, []any) {
	where, args := []string{"1 = 1"}, []any{}
	add := func(cond string, a ...any) { where, args = append(where, cond), append(args, a...) }
	if f.AgencyID != 0 {
		add("q.agency_id = ?", f.AgencyID)
	}
	if f.PathPrefix != "" {
		add("substr(r.path, 1, ?) = ?", len(f.PathPrefix), f.PathPrefix)
	}
	if f.UserID != 0 {
		add("q.user_id = ?", f.UserID)
	}
	if f.Open {
		add("q.status NOT IN ('answered', 'abandoned')")
	}
	if len(f.Statuses) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(f.Statuses)), ", ")
		for _, st := range f.Statuses {
			args = append(args, st)
		}
		where = append(where, "q.status IN ("+ph+")")
	}
	return strings.Join(where, " AND "), args
}

func scanRequest(r scanner) (*disclosure.Request, error) {
	var q disclosure.Request
	var submitted, created, updated int64
	var received, answered, missing string
	err := r.Scan(&q.ID, &q.AgencyID, &q.Number, &q.UserID, &q.ApplicantKind, &q.ApplicantType, &q.Name, &q.IDType, &q.IDNumber,
		&q.Phone, &q.Email, &q.Address, &q.Description, &q.Delivery, &q.Channel, &submitted, &received, &q.Status, &q.Answer,
		&q.Reason, &answered, &q.ReferTo, &q.AnswerText, &missing, &created, &updated, &q.AgencyName)
	q.SubmittedAt, q.CreatedAt, q.UpdatedAt = fromMicro(submitted), fromMicro(created), fromMicro(updated)
	q.ReceivedOn, q.AnsweredOn = textDate(received), textDate(answered)
	if missing != "" {
		q.Missing = strings.Split(missing, "\n")
	}
	return &q, err
}

// CountApplicantRequests counts an applicant's requests to an agency
// received in [from, to], identified by ID number when there is one.
func (s *DisclosureStore) CountApplicantRequests(ctx context.Context, agencyID int64, name, idNumber string, from, to calendar.Date) (int, error) {
	key, value := "name", name
	if idNumber != "" {
		key, value = "id_number", idNumber
	}
	var n int
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT count(*) FROM disclosure_requests WHERE agency_id = ? AND `+key+` = ?
		AND received_on BETWEEN ? AND ?`, agencyID, value, from.String(), to.String()).Scan(&n)
	return n, mapError(err)
}

// NextNumberSeq returns the next sequence number of a request number
// prefix ("YSQ-<agency code>-<year>"): numbers sharing a prefix share one
// counter, so two agencies with the same code never issue the same number.
func (s *DisclosureStore) NextNumberSeq(ctx context.Context, prefix string) (int, error) {
	return s.nextSeq(ctx, `INSERT INTO disclosure_number_seq (prefix, last) VALUES (?, 1)
		ON CONFLICT (prefix) DO UPDATE SET last = last + 1 RETURNING last`, prefix)
}

// CreateEvent inserts a clock event.
func (s *DisclosureStore) CreateEvent(ctx context.Context, e *disclosure.Event) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRowContext(ctx, `INSERT INTO disclosure_events (request_id, kind, on_date, days, amount, pages, party, note,
			actor_id, actor_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, e.RequestID, e.Kind, dateText(e.On),
			e.Days, e.Amount, e.Pages, e.Party, e.Note, e.ActorID, e.ActorName, micro(e.CreatedAt)).Scan(&e.ID)
		return mapError(err)
	})
}

const eventColumns = `id, request_id, kind, on_date, days, amount, pages, party, note, actor_id, actor_name, created_at`

// FindEvents lists a request's events in the order they were recorded.
func (s *DisclosureStore) FindEvents(ctx context.Context, requestID int64) ([]*disclosure.Event, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+eventColumns+` FROM disclosure_events WHERE request_id = ? ORDER BY id`, requestID)
	return collect(rows, err, scanEvent)
}

// FindEventsOf lists the events of several requests.
func (s *DisclosureStore) FindEventsOf(ctx context.Context, ids []int64) (map[int64][]*disclosure.Event, error) {
	out := map[int64][]*disclosure.Event{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		rows, err := s.db.q(ctx).QueryContext(ctx, fmt.Sprintf(`SELECT `+eventColumns+` FROM disclosure_events WHERE request_id IN (%s) ORDER BY id`,
			strings.TrimSuffix(strings.Repeat("?,", n), ",")), args...)
		es, err := collect(rows, err, scanEvent)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			out[e.RequestID] = append(out[e.RequestID], e)
		}
		ids = ids[n:]
	}
	return out, nil
}

func scanEvent(r scanner) (*disclosure.Event, error) {
	var e disclosure.Event
	var on string
	var created int64
	err := r.Scan(&e.ID, &e.RequestID, &e.Kind, &on, &e.Days, &e.Amount, &e.Pages, &e.Party, &e.Note, &e.ActorID, &e.ActorName, &created)
	e.On, e.CreatedAt = textDate(on), fromMicro(created)
	return &e, err
}
