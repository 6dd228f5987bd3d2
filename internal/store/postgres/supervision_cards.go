package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/supervision"

	"github.com/jackc/pgx/v5"
)

const cardColumns = `id, number, case_id, case_number, subject, rule, kind, colour, arose_at, provisional, region_path, department_id,
	department_name, user_id, user_label, role, detail, cleared_at, outcome, manual, created_by, resolved_at, resolved_by, resolution, confirmed`

func scanCard(sc pgx.Row) (*supervision.Card, error) {
	var c supervision.Card
	var cleared, resolved *time.Time
	err := sc.Scan(&c.ID, &c.Number, &c.CaseID, &c.CaseNumber, &c.Subject, &c.Rule, &c.Kind, &c.Colour, &c.AroseAt, &c.Provisional,
		&c.RegionPath, &c.DeptID, &c.DeptName, &c.UserID, &c.UserLabel, &c.Role, &c.Detail, &cleared, &c.Outcome, &c.Manual,
		&c.CreatedBy, &resolved, &c.ResolvedBy, &c.Resolution, &c.Confirmed)
	c.AroseAt, c.ClearedAt, c.ResolvedAt = c.AroseAt.UTC(), tz(cleared), tz(resolved)
	return &c, err
}

// InsertCards inserts cards, numbering each from the id it gets. A card
// already recorded (same case, subject, colour and time: a manual card
// sent twice within the clock's resolution) is a conflict.
func (s *SupervisionStore) InsertCards(ctx context.Context, cs []*supervision.Card) error {
	err := s.db.InTx(ctx, func(ctx context.Context) error { return s.insertCards(ctx, cs, false) })
	if isUnique(err) {
		return apperr.New(apperr.Conflict, "该红黄牌已经录入，请勿重复提交")
	}
	return err
}

// insertCards takes ids from the sequence, numbers the cards and inserts
// them in one round trip; with ignore, a card already recorded (same case,
// subject, colour and time) is skipped.
func (s *SupervisionStore) insertCards(ctx context.Context, cs []*supervision.Card, ignore bool) error {
	if len(cs) == 0 {
		return nil
	}
	rows, err := s.db.q(ctx).Query(ctx, `SELECT nextval(pg_get_serial_sequence('supervision_cards', 'id')) FROM generate_series(1, $1)`, len(cs))
	ids, err := collect(rows, err, func(sc pgx.Row) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	})
	if err != nil {
		return err
	}
	tail := ""
	if ignore {
		tail = " ON CONFLICT DO NOTHING"
	}
	b := &pgx.Batch{}
	for i, c := range cs {
		c.ID = ids[i]
		c.Number = supervision.CardNumber(c)
		b.Queue(`INSERT INTO supervision_cards (`+cardColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
			$15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)`+tail, c.ID, c.Number, c.CaseID, c.CaseNumber, c.Subject, c.Rule,
			c.Kind, c.Colour, c.AroseAt, c.Provisional, c.RegionPath, c.DeptID, c.DeptName, c.UserID, c.UserLabel, c.Role, c.Detail,
			nullTime(c.ClearedAt), c.Outcome, c.Manual, c.CreatedBy, nullTime(c.ResolvedAt), c.ResolvedBy, c.Resolution, c.Confirmed)
	}
	return s.sendBatch(ctx, b)
}

// FindCard returns one card.
func (s *SupervisionStore) FindCard(ctx context.Context, id int64) (*supervision.Card, error) {
	c, err := scanCard(s.db.q(ctx).QueryRow(ctx, `SELECT `+cardColumns+` FROM supervision_cards WHERE id = $1`, id))
	return c, notFound(err, "红黄牌不存在")
}

// cardFilter is the WHERE clause of a card filter.
func cardFilter(f supervision.CardFilter) *where {
	w := newWhere()
	switch {
	case f.Mine != 0:
		mineWhere(w, f)
	case f.CaseID != 0:
		w.add("case_id = ?", f.CaseID)
	case len(f.CaseIDs) > 0:
		w.add("case_id = ANY(?)", f.CaseIDs)
	default:
		addScope(w, f.Scope, "", "")
	}
	if f.UserID != 0 {
		w.add("user_id = ?", f.UserID)
	}
	if f.Colour != supervision.None {
		w.add("colour = ?", f.Colour)
	}
	if f.Kind != "" {
		w.add("kind = ?", f.Kind)
	}
	if f.InForce {
		w.add("cleared_at IS NULL")
	}
	if f.From != "" {
		w.add("arose_at >= ?", dayStart(f.From))
	}
	if f.To != "" {
		w.add("arose_at < ?", dayStart(f.To).AddDate(0, 0, 1))
	}
	return w
}

// mineWhere selects a staff member's cards: naming them, or in force on a
// step or intake their roles hold.
func mineWhere(w *where, f supervision.CardFilter) {
	ors := []string{"user_id = " + w.arg(f.Mine)}
	for i, a := range f.Pools {
		cond := "cleared_at IS NULL AND region_path LIKE " + w.arg(likePrefix(a.RegionPath))
		switch f.Roles[i] {
		case "window_clerk":
			cond += " AND role = 'window_clerk'"
		case "approver":
			cond += " AND role = 'approver'"
		default:
			cond += " AND role IN ('approver', 'dept_head')"
		}
		if a.DeptID != 0 {
			cond += " AND department_id = " + w.arg(a.DeptID)
		}
		ors = append(ors, "("+cond+")")
	}
	w.add("(" + strings.Join(ors, " OR ") + ")")
}

// FindCards lists cards, in force first, newest first.
func (s *SupervisionStore) FindCards(ctx context.Context, f supervision.CardFilter) ([]*supervision.Card, int, error) {
	w := cardFilter(f)
	q := `SELECT ` + cardColumns + `, count(*) OVER () FROM supervision_cards WHERE ` + w.sql() +
		` ORDER BY cleared_at IS NOT NULL, arose_at DESC, id DESC LIMIT ` + w.arg(f.Limit) + ` OFFSET ` + w.arg(f.Offset)
	rows, err := s.db.q(ctx).Query(ctx, q, w.args...)
	if err != nil {
		return nil, 0, mapError(err)
	}
	defer rows.Close()
	var out []*supervision.Card
	total := 0
	for rows.Next() {
		c, err := scanCard(withTotal{rows, &total})
		if err != nil {
			return nil, 0, mapError(err)
		}
		out = append(out, c)
	}
	return out, total, mapError(rows.Err())
}

// withTotal scans a row's columns and then a trailing count(*) OVER ().
type withTotal struct {
	sc    pgx.Row
	total *int
}

func (w withTotal) Scan(dest ...any) error { return w.sc.Scan(append(dest, w.total)...) }

// ResolveCard stores a supervisor's finding.
func (s *SupervisionStore) ResolveCard(ctx context.Context, c *supervision.Card) error {
	_, err := s.db.q(ctx).Exec(ctx, `UPDATE supervision_cards SET resolved_at = $1, resolved_by = $2, resolution = $3, confirmed = $4,
		cleared_at = $5, outcome = $6 WHERE id = $7`, nullTime(c.ResolvedAt), c.ResolvedBy, c.Resolution, c.Confirmed,
		nullTime(c.ClearedAt), c.Outcome, c.ID)
	return mapError(err)
}

// CardCounts counts the cards in force in scope, by colour.
func (s *SupervisionStore) CardCounts(ctx context.Context, sc supervision.Scope) (int, int, error) {
	w := newWhere()
	w.add("cleared_at IS NULL")
	addScope(w, sc, "", "")
	var y, r int
	err := s.db.q(ctx).QueryRow(ctx, `SELECT count(*) FILTER (WHERE colour = 1), count(*) FILTER (WHERE colour = 2)
		FROM supervision_cards WHERE `+w.sql(), w.args...).Scan(&y, &r)
	return y, r, mapError(err)
}

// CardsByWeek counts the cards that arose in scope per week since from.
func (s *SupervisionStore) CardsByWeek(ctx context.Context, sc supervision.Scope, from time.Time) ([]supervision.WeekCount, error) {
	w := newWhere()
	w.add("arose_at >= ?", from)
	addScope(w, sc, "", "")
	q := fmt.Sprintf(`SELECT to_char(date_trunc('week', arose_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD'),
		count(*) FILTER (WHERE colour = 1), count(*) FILTER (WHERE colour = 2) FROM supervision_cards WHERE %s GROUP BY 1`, w.sql())
	rows, err := s.db.q(ctx).Query(ctx, q, w.args...)
	return collect(rows, err, func(sc pgx.Row) (supervision.WeekCount, error) {
		var wc supervision.WeekCount
		return wc, sc.Scan(&wc.Week, &wc.Yellow, &wc.Red)
	})
}
