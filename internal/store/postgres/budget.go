package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/budget"

	"github.com/jackc/pgx/v5"
)

// BudgetStore implements budget.Store.
type BudgetStore struct{ db *DB }

// Budget returns the budget store.
func (db *DB) Budget() *BudgetStore { return &BudgetStore{db} }

const setColumns = `s.id, s.agency_id, s.year, s.kind, s.approved_on, s.explanation, s.status, s.doc_id, s.imported_at,
	s.created_by, s.created_at, s.updated_at, a.name, r.path, COALESCE(d.published_on, '')`

const setFrom = ` FROM budget_sets s JOIN disclosure_agencies a ON a.id = s.agency_id JOIN regions r ON r.id = a.region_id
	LEFT JOIN disclosure_docs d ON d.id = s.doc_id AND d.status = 'published'`

func scanSet(sc pgx.Row) (*budget.Set, error) {
	var s budget.Set
	var approved, published string
	var imported *time.Time
	err := sc.Scan(&s.ID, &s.AgencyID, &s.Year, &s.Kind, &approved, &s.Explanation, &s.Status, &s.DocID, &imported,
		&s.CreatedBy, &s.CreatedAt, &s.UpdatedAt, &s.AgencyName, &s.RegionPath, &published)
	s.ApprovedOn, s.PublishedOn = textDate(approved), textDate(published)
	s.ImportedAt, s.CreatedAt, s.UpdatedAt = optTime(imported), s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	return &s, err
}

// CreateSet inserts a set.
func (s *BudgetStore) CreateSet(ctx context.Context, set *budget.Set) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO budget_sets (agency_id, year, kind, approved_on, explanation, status,
			doc_id, imported_at, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			set.AgencyID, set.Year, string(set.Kind), dateText(set.ApprovedOn), set.Explanation, string(set.Status), set.DocID,
			nullTime(set.ImportedAt), set.CreatedBy, set.CreatedAt, set.UpdatedAt).Scan(&set.ID)
		if isUnique(err) {
			return apperr.New(apperr.Conflict, "%s %d 年的%s已经建立，请在列表中打开它", set.AgencyName, set.Year, set.Kind.Label())
		}
		return mapError(err)
	})
}

// UpdateSet saves a set (not its lines).
func (s *BudgetStore) UpdateSet(ctx context.Context, set *budget.Set) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).Exec(ctx, `UPDATE budget_sets SET approved_on = $1, explanation = $2, status = $3, doc_id = $4,
			imported_at = $5, updated_at = $6 WHERE id = $7`, dateText(set.ApprovedOn), set.Explanation, string(set.Status), set.DocID,
			nullTime(set.ImportedAt), set.UpdatedAt, set.ID)
		return mapError(err)
	})
}

// ReplaceLines replaces a set's lines.
func (s *BudgetStore) ReplaceLines(ctx context.Context, setID int64, lines []budget.Line) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		if _, err := q.Exec(ctx, `DELETE FROM budget_lines WHERE set_id = $1`, setID); err != nil {
			return mapError(err)
		}
		for start := 0; start < len(lines); start += 100 {
			chunk := lines[start:min(start+100, len(lines))]
			args := make([]any, 0, 6*len(chunk))
			for _, l := range chunk {
				amts, err := json.Marshal(l.Amounts)
				if err != nil {
					return err
				}
				args = append(args, setID, l.Table, l.Seq, l.Code, l.Name, string(amts))
			}
			if _, err := q.Exec(ctx, `INSERT INTO budget_lines (set_id, tbl, seq, code, name, amounts) VALUES `+tuples(len(chunk), 6), args...); err != nil {
				return mapError(err)
			}
		}
		return nil
	})
}

// FindSetByID returns a set with its lines.
func (s *BudgetStore) FindSetByID(ctx context.Context, id int64) (*budget.Set, error) {
	set, err := scanSet(s.db.q(ctx).QueryRow(ctx, `SELECT `+setColumns+setFrom+` WHERE s.id = $1`, id))
	if err != nil {
		return nil, notFound(err, "预决算不存在")
	}
	rows, err := s.db.q(ctx).Query(ctx, `SELECT tbl, seq, code, name, amounts FROM budget_lines WHERE set_id = $1 ORDER BY tbl, seq`, id)
	set.Lines, err = collect(rows, err, scanLine)
	return set, err
}

func scanLine(sc pgx.Row) (budget.Line, error) {
	var l budget.Line
	var amts string
	if err := sc.Scan(&l.Table, &l.Seq, &l.Code, &l.Name, &amts); err != nil {
		return l, err
	}
	if err := json.Unmarshal([]byte(amts), &l.Amounts); err != nil {
		return l, fmt.Errorf("budget line %s/%d: %w", l.Table, l.Seq, err)
	}
	return l, nil
}

// FindSet returns an agency's set of a year and kind, without lines.
func (s *BudgetStore) FindSet(ctx context.Context, agencyID int64, year int, kind budget.Kind) (*budget.Set, error) {
	set, err := scanSet(s.db.q(ctx).QueryRow(ctx, `SELECT `+setColumns+setFrom+` WHERE s.agency_id = $1 AND s.year = $2 AND s.kind = $3`,
		agencyID, year, string(kind)))
	return set, notFound(err, fmt.Sprintf("%d 年%s不存在", year, kind.Label()))
}

// FindSets lists sets, newest year first.
func (s *BudgetStore) FindSets(ctx context.Context, f budget.SetFilter) ([]*budget.Set, error) {
	w := newWhere()
	add := w.add
	if f.AgencyID != 0 {
		add("s.agency_id = ?", f.AgencyID)
	}
	if f.PathPrefix != "" {
		add("r.path LIKE ?", likePrefix(f.PathPrefix))
	}
	if f.Year != 0 {
		add("s.year = ?", f.Year)
	}
	if f.Kind != "" {
		add("s.kind = ?", string(f.Kind))
	}
	if f.Published {
		add("d.id IS NOT NULL")
	}
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+setColumns+setFrom+` WHERE `+w.sql()+
		` ORDER BY s.year DESC, a.name, s.kind LIMIT 2000`, w.args...)
	return collect(rows, err, scanSet)
}
