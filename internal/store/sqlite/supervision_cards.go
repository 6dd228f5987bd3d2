package sqlite

import (
	"context"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/supervision"
)

const cardColumns = `id, number, case_id, case_number, subject, rule, kind, colour, arose_at, provisional, region_path, department_id,
	department_name, user_id, user_label, role, detail, cleared_at, outcome, manual, created_by, resolved_at, resolved_by, resolution, confirmed`

func scanCard(sc scanner) (*supervision.Card, error) {
	var c supervision.Card
	var arose, cleared, resolved int64
	var manual, confirmed int
	err := sc.Scan(&c.ID, &c.Number, &c.CaseID, &c.CaseNumber, &c.Subject, &c.Rule, &c.Kind, &c.Colour, &arose, &c.Provisional,
		&c.RegionPath, &c.DeptID, &c.DeptName, &c.UserID, &c.UserLabel, &c.Role, &c.Detail, &cleared, &c.Outcome, &manual,
		&c.CreatedBy, &resolved, &c.ResolvedBy, &c.Resolution, &confirmed)
	c.AroseAt, c.ClearedAt, c.ResolvedAt = fromMicro(arose), fromMicro(cleared), fromMicro(resolved)
	c.Manual, c.Confirmed = manual != 0, confirmed != 0
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

// insertCards takes the next ids (the writer holds SQLite's write lock, so
// no one else takes them) and inserts the cards in one statement; with
// ignore, a card already recorded (same case, subject, colour and time)
// is skipped.
func (s *SupervisionStore) insertCards(ctx context.Context, cs []*supervision.Card, ignore bool) error {
	const perStatement = 1000 // 25 values each, under SQLite's 32766 variables
	for len(cs) > perStatement {
		if err := s.insertCards(ctx, cs[:perStatement], ignore); err != nil {
			return err
		}
		cs = cs[perStatement:]
	}
	if len(cs) == 0 {
		return nil
	}
	q := s.db.q(ctx)
	var next int64
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM supervision_cards`).Scan(&next); err != nil {
		return mapError(err)
	}
	args := make([]any, 0, 25*len(cs))
	for i, c := range cs {
		c.ID = next + int64(i)
		c.Number = supervision.CardNumber(c)
		args = append(args, c.ID, c.Number, c.CaseID, c.CaseNumber, c.Subject, c.Rule, c.Kind, c.Colour, micro(c.AroseAt),
			c.Provisional, c.RegionPath, c.DeptID, c.DeptName, c.UserID, c.UserLabel, c.Role, c.Detail, micro(c.ClearedAt), c.Outcome,
			boolInt(c.Manual), c.CreatedBy, micro(c.ResolvedAt), c.ResolvedBy, c.Resolution, boolInt(c.Confirmed))
	}
	verb := "INSERT"
	if ignore {
		verb = "INSERT OR IGNORE"
	}
	_, err := q.ExecContext(ctx, verb+` INTO supervision_cards (`+cardColumns+`) VALUES `+tuples(len(cs), 25), args...)
	return mapError(err)
}

// FindCard returns one card.
func (s *SupervisionStore) FindCard(ctx context.Context, id int64) (*supervision.Card, error) {
	c, err := scanCard(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+cardColumns+` FROM supervision_cards WHERE id = ?`, id))
	return c, notFound(err, "红黄牌不存在")
}

// cardFilter is the WHERE clause of a card filter.
func cardFilter(f supervision.CardFilter) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, vals ...any) {
		where, args = append(where, cond), append(args, vals...)
	}
	switch {
	case f.Mine != 0:
		cond, a := mineWhere(f)
		add(cond, a...)
	case f.CaseID != 0:
		add("case_id = ?", f.CaseID)
	case len(f.CaseIDs) > 0:
		add("case_id IN ("+placeholders(len(f.CaseIDs))+")", int64Args(f.CaseIDs)...)
	default:
		cond, a := scopeWhere(f.Scope, "", "")
		add(cond, a...)
	}
	if f.UserID != 0 {
		add("user_id = ?", f.UserID)
	}
	if f.Colour != supervision.None {
		add("colour = ?", f.Colour)
	}
	if f.Kind != "" {
		add("kind = ?", f.Kind)
	}
	if f.InForce {
		add("cleared_at = 0")
	}
	if f.From != "" {
		add("arose_at >= ?", micro(dayStart(f.From)))
	}
	if f.To != "" {
		add("arose_at < ?", micro(dayStart(f.To).AddDate(0, 0, 1)))
	}
	return strings.Join(where, " AND "), args
}

// mineWhere selects a staff member's cards: naming them, or in force on a
// step or intake their roles hold.
func mineWhere(f supervision.CardFilter) (string, []any) {
	ors := []string{"user_id = ?"}
	args := []any{f.Mine}
	for i, a := range f.Pools {
		cond := "cleared_at = 0 AND region_path >= ? AND region_path < ?"
		vals := []any{a.RegionPath, a.RegionPath + "\U0010FFFF"}
		switch f.Roles[i] {
		case "window_clerk":
			cond += " AND role = 'window_clerk'"
		case "approver":
			cond += " AND role = 'approver'"
		default:
			cond += " AND role IN ('approver', 'dept_head')"
		}
		if a.DeptID != 0 {
			cond, vals = cond+" AND department_id = ?", append(vals, a.DeptID)
		}
		ors, args = append(ors, "("+cond+")"), append(args, vals...)
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// FindCards lists cards, in force first, newest first.
func (s *SupervisionStore) FindCards(ctx context.Context, f supervision.CardFilter) ([]*supervision.Card, int, error) {
	where, args := cardFilter(f)
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+cardColumns+`, count(*) OVER () FROM supervision_cards WHERE `+where+`
		ORDER BY cleared_at <> 0, arose_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, f.Limit, f.Offset)...)
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
	sc    scanner
	total *int
}

func (w withTotal) Scan(dest ...any) error { return w.sc.Scan(append(dest, w.total)...) }

// ResolveCard stores a supervisor's finding.
func (s *SupervisionStore) ResolveCard(ctx context.Context, c *supervision.Card) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE supervision_cards SET resolved_at = ?, resolved_by = ?, resolution = ?,
			confirmed = ?, cleared_at = ?, outcome = ? WHERE id = ?`, micro(c.ResolvedAt), c.ResolvedBy, c.Resolution,
			boolInt(c.Confirmed), micro(c.ClearedAt), c.Outcome, c.ID)
		return mapError(err)
	})
}

// CardCounts counts the cards in force in scope, by colour.
func (s *SupervisionStore) CardCounts(ctx context.Context, sc supervision.Scope) (int, int, error) {
	scope, args := scopeWhere(sc, "", "")
	var y, r int
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT IFNULL(sum(colour = 1), 0), IFNULL(sum(colour = 2), 0) FROM supervision_cards
		WHERE cleared_at = 0 AND `+scope, args...).Scan(&y, &r)
	return y, r, mapError(err)
}

// CardsByWeek counts the cards that arose in scope per week since from.
func (s *SupervisionStore) CardsByWeek(ctx context.Context, sc supervision.Scope, from time.Time) ([]supervision.WeekCount, error) {
	scope, args := scopeWhere(sc, "", "")
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT arose_at, colour FROM supervision_cards WHERE arose_at >= ? AND `+scope,
		append([]any{micro(from)}, args...)...)
	type one struct {
		at     int64
		colour supervision.Colour
	}
	list, err := collect(rows, err, func(sc scanner) (one, error) {
		var o one
		return o, sc.Scan(&o.at, &o.colour)
	})
	by := map[string]*supervision.WeekCount{}
	var out []supervision.WeekCount
	for _, o := range list {
		wk := supervision.WeekOf(fromMicro(o.at))
		if by[wk] == nil {
			by[wk] = &supervision.WeekCount{Week: wk}
		}
		if o.colour == supervision.Red {
			by[wk].Red++
		} else {
			by[wk].Yellow++
		}
	}
	for _, w := range by {
		out = append(out, *w)
	}
	return out, err
}
