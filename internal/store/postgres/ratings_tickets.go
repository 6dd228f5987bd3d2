package postgres

import (
	"context"
	"encoding/json"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/rating"
	"openhall/internal/store/sqlcommon"
)

const ticketColumns = sqlcommon.TicketColumns

func ticketDetailOf(e rating.TicketEvent) []byte {
	b, _ := json.Marshal(sqlcommon.NewTicketDetail(e))
	return b
}

// CreateTicket inserts a ticket with its events.
func (s *RatingsStore) CreateTicket(ctx context.Context, t *rating.Ticket) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO rating_tickets (rating_id, status, region_path, region_code, department_id,
			department, window_id, staff_id, item_code, item_name, anonymous, callback_days, rectify_days, opened_at, version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`, t.RatingID, string(t.Status), t.RegionPath, t.RegionCode,
			t.DepartmentID, t.Department, t.WindowID, t.StaffID, t.ItemCode, t.ItemName, t.Anonymous, t.CallbackDays, t.RectifyDays,
			t.OpenedAt, t.Version).Scan(&t.ID)
		if isUnique(err) {
			return apperr.New(apperr.Conflict, "该评价已有整改工单")
		}
		if err != nil {
			return mapError(err)
		}
		return s.insertTicketEvents(ctx, t.ID, t.Events)
	})
}

func (s *RatingsStore) insertTicketEvents(ctx context.Context, id int64, evs []rating.TicketEvent) error {
	args := make([]any, 0, 7*len(evs))
	for _, e := range evs {
		args = append(args, id, e.Seq, string(e.Kind), e.At, e.ActorID, e.ActorLabel, ticketDetailOf(e))
	}
	_, err := s.db.q(ctx).Exec(ctx, `INSERT INTO rating_ticket_events (ticket_id, seq, kind, at, actor_id, actor_label, detail)
		VALUES `+tuples(len(evs), 7), args...)
	return mapError(err)
}

// LoadTicket returns a ticket with its events; with lock, its row is
// locked until the transaction ends.
func (s *RatingsStore) LoadTicket(ctx context.Context, id int64, lock bool) (*rating.Ticket, error) {
	q := `SELECT ` + ticketColumns + ` FROM rating_tickets WHERE id = $1`
	if lock {
		q += ` FOR UPDATE`
	}
	t, err := scanTicket(s.db.q(ctx).QueryRow(ctx, q, id))
	if err != nil {
		return nil, notFound(err, "整改工单不存在")
	}
	return t, s.loadTicketEvents(ctx, []*rating.Ticket{t})
}

// FindTicketByRating returns the ticket of a rating.
func (s *RatingsStore) FindTicketByRating(ctx context.Context, ratingID int64) (*rating.Ticket, error) {
	t, err := scanTicket(s.db.q(ctx).QueryRow(ctx, `SELECT `+ticketColumns+` FROM rating_tickets WHERE rating_id = $1`, ratingID))
	if err != nil {
		return nil, notFound(err, "整改工单不存在")
	}
	return t, s.loadTicketEvents(ctx, []*rating.Ticket{t})
}

func (s *RatingsStore) loadTicketEvents(ctx context.Context, ts []*rating.Ticket) error {
	if len(ts) == 0 {
		return nil
	}
	byID := map[int64]*rating.Ticket{}
	ids := make([]int64, len(ts))
	for i, t := range ts {
		byID[t.ID], ids[i] = t, t.ID
	}
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+sqlcommon.TicketEventColumns+` FROM rating_ticket_events
		WHERE ticket_id = ANY($1) ORDER BY ticket_id, seq`, ids)
	if err != nil {
		return mapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		tid, e, err := sqlcommon.ScanTicketEvent(rows)
		if err != nil {
			return mapError(err)
		}
		byID[tid].Events = append(byID[tid].Events, e)
	}
	return mapError(rows.Err())
}

// SaveTicket appends events and writes the projection, if unchanged since
// fromVersion.
func (s *RatingsStore) SaveTicket(ctx context.Context, t *rating.Ticket, fromVersion int, evs []rating.TicketEvent) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		tag, err := s.db.q(ctx).Exec(ctx, `UPDATE rating_tickets SET status = $1, called_back = $2, rectified = $3, appealed = $4,
			upheld = $5, outcome = $6, closed_at = $7, version = $8 WHERE id = $9 AND version = $10`, string(t.Status), t.CalledBack,
			t.Rectified, t.Appealed, t.Upheld, t.Outcome, nullTime(t.ClosedAt), t.Version, t.ID, fromVersion)
		if err != nil {
			return mapError(err)
		}
		if tag.RowsAffected() == 0 {
			return apperr.New(apperr.Conflict, "工单已被他人处理，请刷新后重试")
		}
		return s.insertTicketEvents(ctx, t.ID, evs)
	})
}

// FindTickets lists tickets with their events, oldest first.
func (s *RatingsStore) FindTickets(ctx context.Context, f rating.TicketFilter) ([]*rating.Ticket, error) {
	w := sqlcommon.TicketWhere(dialect, f)
	if w == nil {
		return nil, nil
	}
	query := `SELECT ` + ticketColumns + ` FROM rating_tickets WHERE ` + w.SQL() + ` ORDER BY opened_at, id LIMIT ` + w.Arg(max(f.Limit, 1))
	rows, err := s.db.q(ctx).Query(ctx, query, w.Args...)
	list, err := collect(rows, err, scanTicket)
	if err != nil {
		return nil, err
	}
	return list, s.loadTicketEvents(ctx, list)
}

// CountTickets counts the tickets of ratings given in a period (by the
// rating's time, as the ratings are counted: an imported rating's ticket
// opens at the import).
func (s *RatingsStore) CountTickets(ctx context.Context, f rating.FigureFilter) ([]rating.TicketCount, error) {
	col := rating.DimensionColumn(f.By)
	w := sqlcommon.NewWhere(dialect)
	cond := sqlcommon.RatingCountWhere(w, f, sqlcommon.TicketRatedAt, w.Time(f.From), w.Time(f.To))
	rows, err := s.db.q(ctx).Query(ctx, `SELECT CAST(`+col+` AS text), count(*) FILTER (WHERE NOT upheld),
		count(*) FILTER (WHERE NOT anonymous AND NOT upheld), count(*) FILTER (WHERE called_back AND NOT anonymous AND NOT upheld),
		count(*) FILTER (WHERE rectified AND NOT upheld), count(*) FILTER (WHERE status = 'closed' AND NOT upheld), count(*) FILTER (WHERE upheld)
		FROM rating_tickets WHERE `+cond+` GROUP BY `+col, w.Args...)
	return collect(rows, err, shared(sqlcommon.ScanTicketCount))
}

var scanTicket = shared(sqlcommon.ScanTicket)

const counterColumns = sqlcommon.CounterColumns

// StartCounter inserts a counter, ending any other running at its window.
func (s *RatingsStore) StartCounter(ctx context.Context, c *rating.Counter) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.db.q(ctx).Exec(ctx, `UPDATE rating_counters SET ended_at = $1 WHERE window_id = $2 AND ended_at IS NULL`,
			c.StartedAt, c.WindowID); err != nil {
			return mapError(err)
		}
		t := c.Target
		err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO rating_counters (token_hash, window_id, window_number, window_name, staff_id,
			staff_name, region_path, region_code, department_id, department, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			RETURNING id`, c.TokenHash, c.WindowID, c.WindowNumber, c.WindowName, c.StaffID, c.StaffName, t.RegionPath, t.RegionCode,
			t.DepartmentID, t.Department, c.StartedAt).Scan(&c.ID)
		return mapError(err)
	})
}

// FindCounterByToken returns the counter of a token hash.
func (s *RatingsStore) FindCounterByToken(ctx context.Context, h []byte) (*rating.Counter, error) {
	c, err := scanCounter(s.db.q(ctx).QueryRow(ctx, `SELECT `+counterColumns+` FROM rating_counters WHERE token_hash = $1`, h))
	return c, notFound(err, "评价器不存在")
}

// FindCounterByID returns one counter.
func (s *RatingsStore) FindCounterByID(ctx context.Context, id int64) (*rating.Counter, error) {
	c, err := scanCounter(s.db.q(ctx).QueryRow(ctx, `SELECT `+counterColumns+` FROM rating_counters WHERE id = $1`, id))
	return c, notFound(err, "评价器不存在")
}

// EndCounter stops a counter.
func (s *RatingsStore) EndCounter(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.q(ctx).Exec(ctx, `UPDATE rating_counters SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL`, at, id)
	return mapError(err)
}

// FindCounters lists the counters running at the windows.
func (s *RatingsStore) FindCounters(ctx context.Context, windowIDs []int64) ([]*rating.Counter, error) {
	if len(windowIDs) == 0 {
		return nil, nil
	}
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+counterColumns+` FROM rating_counters
		WHERE ended_at IS NULL AND window_id = ANY($1) ORDER BY id`, windowIDs)
	return collect(rows, err, scanCounter)
}

var scanCounter = shared(sqlcommon.ScanCounter)
