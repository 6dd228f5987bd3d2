package sqlite

import (
	"context"
	"encoding/json"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/rating"
	"openhall/internal/store/sqlcommon"
)

const ticketColumns = sqlcommon.TicketColumns

func ticketDetailOf(e rating.TicketEvent) string {
	b, _ := json.Marshal(sqlcommon.NewTicketDetail(e))
	return string(b)
}

// CreateTicket inserts a ticket with its events.
func (s *RatingsStore) CreateTicket(ctx context.Context, t *rating.Ticket) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO rating_tickets (rating_id, status, region_path, region_code,
			department_id, department, window_id, staff_id, item_code, item_name, anonymous, callback_days, rectify_days, opened_at, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, t.RatingID, t.Status, t.RegionPath, t.RegionCode, t.DepartmentID,
			t.Department, t.WindowID, t.StaffID, t.ItemCode, t.ItemName, boolInt(t.Anonymous), t.CallbackDays, t.RectifyDays, micro(t.OpenedAt), t.Version)
		if isUnique(err) {
			return apperr.New(apperr.Conflict, "该评价已有整改工单")
		}
		if err != nil {
			return mapError(err)
		}
		if t.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return s.insertTicketEvents(ctx, t.ID, t.Events)
	})
}

func (s *RatingsStore) insertTicketEvents(ctx context.Context, id int64, evs []rating.TicketEvent) error {
	args := make([]any, 0, 7*len(evs))
	for _, e := range evs {
		args = append(args, id, e.Seq, e.Kind, micro(e.At), e.ActorID, e.ActorLabel, ticketDetailOf(e))
	}
	_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO rating_ticket_events (ticket_id, seq, kind, at, actor_id, actor_label, detail)
		VALUES `+tuples(len(evs), 7), args...)
	return mapError(err)
}

// LoadTicket returns a ticket with its events (the writer's transaction
// already excludes other writers, so lock needs nothing more).
func (s *RatingsStore) LoadTicket(ctx context.Context, id int64, lock bool) (*rating.Ticket, error) {
	t, err := scanTicket(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM rating_tickets WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "整改工单不存在")
	}
	return t, s.loadTicketEvents(ctx, []*rating.Ticket{t})
}

// FindTicketByRating returns the ticket of a rating.
func (s *RatingsStore) FindTicketByRating(ctx context.Context, ratingID int64) (*rating.Ticket, error) {
	t, err := scanTicket(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM rating_tickets WHERE rating_id = ?`, ratingID))
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
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+sqlcommon.TicketEventColumns+` FROM rating_ticket_events
		WHERE ticket_id IN (`+placeholders(len(ids))+`) ORDER BY ticket_id, seq`, int64Args(ids)...)
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
		res, err := s.db.q(ctx).ExecContext(ctx, `UPDATE rating_tickets SET status = ?, called_back = ?, rectified = ?, appealed = ?,
			upheld = ?, outcome = ?, closed_at = ?, version = ? WHERE id = ? AND version = ?`, t.Status, boolInt(t.CalledBack),
			boolInt(t.Rectified), boolInt(t.Appealed), boolInt(t.Upheld), t.Outcome, micro(t.ClosedAt), t.Version, t.ID, fromVersion)
		if err != nil {
			return mapError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
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
	rows, err := s.db.q(ctx).QueryContext(ctx, query, w.Args...)
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
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT CAST(`+col+` AS TEXT), SUM(1 - upheld), SUM(CASE WHEN anonymous = 0 AND upheld = 0 THEN 1 ELSE 0 END),
		SUM(CASE WHEN called_back = 1 AND anonymous = 0 AND upheld = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN rectified = 1 AND upheld = 0 THEN 1 ELSE 0 END),
		SUM(CASE WHEN status = 'closed' AND upheld = 0 THEN 1 ELSE 0 END), SUM(upheld)
		FROM rating_tickets WHERE `+cond+` GROUP BY `+col, w.Args...)
	return collect(rows, err, shared(sqlcommon.ScanTicketCount))
}

var scanTicket = shared(sqlcommon.ScanTicket)

const counterColumns = sqlcommon.CounterColumns

// StartCounter inserts a counter, ending any other running at its window.
func (s *RatingsStore) StartCounter(ctx context.Context, c *rating.Counter) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		if _, err := q.ExecContext(ctx, `UPDATE rating_counters SET ended_at = ? WHERE window_id = ? AND ended_at = 0`,
			micro(c.StartedAt), c.WindowID); err != nil {
			return mapError(err)
		}
		t := c.Target
		res, err := q.ExecContext(ctx, `INSERT INTO rating_counters (token_hash, window_id, window_number, window_name, staff_id,
			staff_name, region_path, region_code, department_id, department, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.TokenHash, c.WindowID, c.WindowNumber, c.WindowName, c.StaffID, c.StaffName, t.RegionPath, t.RegionCode,
			t.DepartmentID, t.Department, micro(c.StartedAt))
		if err != nil {
			return mapError(err)
		}
		c.ID, err = res.LastInsertId()
		return err
	})
}

// FindCounterByToken returns the counter of a token hash.
func (s *RatingsStore) FindCounterByToken(ctx context.Context, h []byte) (*rating.Counter, error) {
	c, err := scanCounter(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+counterColumns+` FROM rating_counters WHERE token_hash = ?`, h))
	return c, notFound(err, "评价器不存在")
}

// FindCounterByID returns one counter.
func (s *RatingsStore) FindCounterByID(ctx context.Context, id int64) (*rating.Counter, error) {
	c, err := scanCounter(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+counterColumns+` FROM rating_counters WHERE id = ?`, id))
	return c, notFound(err, "评价器不存在")
}

// EndCounter stops a counter.
func (s *RatingsStore) EndCounter(ctx context.Context, id int64, at time.Time) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE rating_counters SET ended_at = ? WHERE id = ? AND ended_at = 0`, micro(at), id)
		return mapError(err)
	})
}

// FindCounters lists the counters running at the windows.
func (s *RatingsStore) FindCounters(ctx context.Context, windowIDs []int64) ([]*rating.Counter, error) {
	if len(windowIDs) == 0 {
		return nil, nil
	}
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+counterColumns+` FROM rating_counters
		WHERE ended_at = 0 AND window_id IN (`+placeholders(len(windowIDs))+`) ORDER BY id`, int64Args(windowIDs)...)
	return collect(rows, err, scanCounter)
}

var scanCounter = shared(sqlcommon.ScanCounter)
