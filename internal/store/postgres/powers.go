package postgres

import (
	"context"
	"encoding/json"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/powers"

	"github.com/jackc/pgx/v5"
)

// PowersStore implements powers.Store.
type PowersStore struct{ db *DB }

// Powers returns the power list store.
func (db *DB) Powers() *PowersStore { return &PowersStore{db} }

const powerColumns = `p.id, p.department_id, p.code, p.published_id, p.name, p.type, p.search_text, p.created_at, p.updated_at,
	d.name, d.region_id, r.path`

const powerFrom = ` FROM powers p JOIN departments d ON d.id = p.department_id JOIN regions r ON r.id = d.region_id`

// CreatePower inserts p.
func (s *PowersStore) CreatePower(ctx context.Context, p *powers.Power) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO powers (department_id, code, published_id, name, type, search_text,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, p.DepartmentID, p.Code, p.PublishedID,
			p.Name, p.Type, p.SearchText, p.CreatedAt, p.UpdatedAt).Scan(&p.ID)
		if isUnique(err) {
			return apperr.Field("code", "职权编码 "+p.Code+" 在本部门已使用")
		}
		return mapError(err)
	})
}

// UpdatePower saves the listing columns of p.
func (s *PowersStore) UpdatePower(ctx context.Context, p *powers.Power) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).Exec(ctx, `UPDATE powers SET published_id = $1, name = $2, type = $3, search_text = $4,
			updated_at = $5 WHERE id = $6`, p.PublishedID, p.Name, p.Type, p.SearchText, p.UpdatedAt, p.ID)
		return mapError(err)
	})
}

// FindPower returns one power.
func (s *PowersStore) FindPower(ctx context.Context, id int64) (*powers.Power, error) {
	p, err := scanPower(s.db.q(ctx).QueryRow(ctx, `SELECT `+powerColumns+powerFrom+` WHERE p.id = $1`, id))
	return p, notFound(err, "职权不存在")
}

// FindPowers lists powers by department and code, with the total.
func (s *PowersStore) FindPowers(ctx context.Context, f powers.Filter) ([]*powers.Power, int, error) {
	w := powerWhere(f)
	cond := ` WHERE ` + w.sql()
	var total int
	if err := s.db.q(ctx).QueryRow(ctx, `SELECT count(*)`+powerFrom+cond, w.args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	page := ` LIMIT ` + w.arg(limitOf(f.Limit)) + ` OFFSET ` + w.arg(f.Offset)
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+powerColumns+powerFrom+cond+` ORDER BY r.path, d.name, p.code`+page, w.args...)
	out, err := collect(rows, err, scanPower)
	return out, total, err
}

func powerWhere(f powers.Filter) *where {
	w := newWhere()
	add := w.add
	if f.DepartmentID != 0 {
		add("p.department_id = ?", f.DepartmentID)
	}
	if f.Code != "" {
		add("p.code = ?", f.Code)
	}
	if f.PathPrefix != "" {
		add("r.path LIKE ?", likePrefix(f.PathPrefix))
	}
	if f.Type != "" {
		add("p.type = ?", f.Type)
	}
	if f.Published {
		add("p.published_id IS NOT NULL")
	}
	for _, t := range f.Terms {
		add("strpos(p.search_text, ?) > 0", t)
	}
	if f.ItemID != 0 {
		add("p.id IN (SELECT power_id FROM power_items WHERE item_id = ?)", f.ItemID)
	}
	return w
}

func scanPower(r pgx.Row) (*powers.Power, error) {
	var p powers.Power
	err := r.Scan(&p.ID, &p.DepartmentID, &p.Code, &p.PublishedID, &p.Name, &p.Type, &p.SearchText, &p.CreatedAt, &p.UpdatedAt,
		&p.DeptName, &p.RegionID, &p.RegionPath)
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return &p, err
}

// SetPowerItems replaces the service items a power links.
func (s *PowersStore) SetPowerItems(ctx context.Context, powerID int64, itemIDs []int64) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.db.q(ctx).Exec(ctx, `DELETE FROM power_items WHERE power_id = $1`, powerID); err != nil {
			return mapError(err)
		}
		for _, id := range itemIDs {
			if _, err := s.db.q(ctx).Exec(ctx, `INSERT INTO power_items (power_id, item_id) VALUES ($1, $2)
				ON CONFLICT DO NOTHING`, powerID, id); err != nil {
				return mapError(err)
			}
		}
		return nil
	})
}

const powerVersionColumns = `id, power_id, number, state, content, note, created_by, reviewed_by, published_at, created_at, updated_at`

// CreateVersion inserts v.
func (s *PowersStore) CreateVersion(ctx context.Context, v *powers.Version) error {
	content, err := json.Marshal(v.Content)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO power_versions (power_id, number, state, content, note, created_by,
			reviewed_by, published_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			v.PowerID, v.Number, v.State, content, v.Note, v.CreatedBy, v.ReviewedBy, nullTime(v.PublishedAt),
			v.CreatedAt, v.UpdatedAt).Scan(&v.ID)
		if isUnique(err) {
			return apperr.New(apperr.Conflict, "该职权的第 %d 版已存在，请刷新后重试", v.Number)
		}
		return mapError(err)
	})
}

// UpdateVersion saves a version that is not published.
func (s *PowersStore) UpdateVersion(ctx context.Context, v *powers.Version) error {
	content, err := json.Marshal(v.Content)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		tag, err := s.db.q(ctx).Exec(ctx, `UPDATE power_versions SET state = $1, content = $2, note = $3, reviewed_by = $4,
			published_at = $5, updated_at = $6 WHERE id = $7 AND state <> 'published'`, v.State, content, v.Note, v.ReviewedBy,
			nullTime(v.PublishedAt), v.UpdatedAt, v.ID)
		if err != nil {
			return mapError(err)
		}
		if tag.RowsAffected() != 1 {
			return apperr.New(apperr.Conflict, "已发布的版本不能修改")
		}
		return nil
	})
}

// SupersedeVersion marks a published version as replaced.
func (s *PowersStore) SupersedeVersion(ctx context.Context, id int64, at time.Time) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).Exec(ctx, `UPDATE power_versions SET state = 'superseded', updated_at = $1
			WHERE id = $2 AND state = 'published'`, at, id)
		return mapError(err)
	})
}

// FindVersion returns one version.
func (s *PowersStore) FindVersion(ctx context.Context, id int64) (*powers.Version, error) {
	v, err := scanPowerVersion(s.db.q(ctx).QueryRow(ctx, `SELECT `+powerVersionColumns+` FROM power_versions WHERE id = $1`, id))
	return v, notFound(err, "版本不存在")
}

// FindVersions lists a power's versions newest first.
func (s *PowersStore) FindVersions(ctx context.Context, powerID int64) ([]*powers.Version, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+powerVersionColumns+` FROM power_versions WHERE power_id = $1
		ORDER BY number DESC`, powerID)
	return collect(rows, err, scanPowerVersion)
}

func scanPowerVersion(r pgx.Row) (*powers.Version, error) {
	var v powers.Version
	var content []byte
	var published *time.Time
	err := r.Scan(&v.ID, &v.PowerID, &v.Number, &v.State, &content, &v.Note, &v.CreatedBy, &v.ReviewedBy, &published, &v.CreatedAt, &v.UpdatedAt)
	if err != nil {
		return nil, err
	}
	v.PublishedAt, v.CreatedAt, v.UpdatedAt = derefTime(published), v.CreatedAt.UTC(), v.UpdatedAt.UTC()
	return &v, json.Unmarshal(content, &v.Content)
}
