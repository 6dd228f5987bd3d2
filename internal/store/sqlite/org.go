package sqlite

import (
	"context"
	"fmt"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/org"
	"openhall/internal/store/sqlcommon"
)

// OrgStore implements org.Store.
type OrgStore struct{ db *DB }

// Org returns the organisation store.
func (db *DB) Org() *OrgStore { return &OrgStore{db} }

const regionColumns = sqlcommon.RegionColumns

// CreateRegion inserts r and sets its path from its parent's.
func (s *OrgStore) CreateRegion(ctx context.Context, r *org.Region) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		res, err := q.ExecContext(ctx, `INSERT INTO regions (parent_id, code, name, level, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, nullID(r.ParentID), r.Code, r.Name, r.Level, micro(r.CreatedAt), micro(r.UpdatedAt))
		if isUnique(err) {
			return apperr.Field("code", "区划代码 "+r.Code+" 已存在")
		}
		if err != nil {
			return mapError(err)
		}
		if r.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		err = q.QueryRowContext(ctx, `UPDATE regions SET path = IFNULL((SELECT path FROM regions WHERE id = ?), '/') || id || '/'
			WHERE id = ? RETURNING path`, nullID(r.ParentID), r.ID).Scan(&r.Path)
		return mapError(err)
	})
}

// UpdateRegion saves the code and name.
func (s *OrgStore) UpdateRegion(ctx context.Context, r *org.Region) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE regions SET code = ?, name = ?, updated_at = ? WHERE id = ?`,
			r.Code, r.Name, micro(r.UpdatedAt), r.ID)
		if isUnique(err) {
			return apperr.Field("code", "区划代码 "+r.Code+" 已存在")
		}
		return mapError(err)
	})
}

// FindRegionByID returns one region.
func (s *OrgStore) FindRegionByID(ctx context.Context, id int64) (*org.Region, error) {
	r, err := scanRegion(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+regionColumns+` FROM regions WHERE id = ?`, id))
	return r, notFound(err, "区域不存在")
}

// FindRegions lists regions by level and code.
func (s *OrgStore) FindRegions(ctx context.Context, f org.RegionFilter) ([]*org.Region, error) {
	w := sqlcommon.RegionWhere(dialect, f)
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+regionColumns+` FROM regions WHERE `+w.SQL()+` ORDER BY level, code`, w.Args...)
	return collect(rows, err, scanRegion)
}

// CountRegionChildren counts direct children.
func (s *OrgStore) CountRegionChildren(ctx context.Context, id int64) (int, error) {
	var n int
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT count(*) FROM regions WHERE parent_id = ?`, id).Scan(&n)
	return n, mapError(err)
}

var scanRegion = shared(sqlcommon.ScanRegion)

const centreColumns = sqlcommon.CentreColumns

// CreateCentre inserts c.
func (s *OrgStore) CreateCentre(ctx context.Context, c *org.Centre) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO centres (region_id, name, kind, address, phone, hours, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.RegionID, c.Name, c.Kind, c.Address, c.Phone, c.Hours, micro(c.CreatedAt), micro(c.UpdatedAt))
		if isUnique(err) {
			return apperr.Field("name", "该区域已有同名服务中心")
		}
		if err != nil {
			return mapError(err)
		}
		c.ID, err = res.LastInsertId()
		return err
	})
}

// UpdateCentre saves c.
func (s *OrgStore) UpdateCentre(ctx context.Context, c *org.Centre) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE centres SET region_id = ?, name = ?, kind = ?, address = ?, phone = ?, hours = ?, updated_at = ?
			WHERE id = ?`, c.RegionID, c.Name, c.Kind, c.Address, c.Phone, c.Hours, micro(c.UpdatedAt), c.ID)
		if isUnique(err) {
			return apperr.Field("name", "该区域已有同名服务中心")
		}
		return mapError(err)
	})
}

// FindCentreByID returns one centre.
func (s *OrgStore) FindCentreByID(ctx context.Context, id int64) (*org.Centre, error) {
	c, err := scanCentre(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+centreColumns+`
		FROM centres c JOIN regions r ON r.id = c.region_id WHERE c.id = ?`, id))
	return c, notFound(err, "服务中心不存在")
}

// FindCentres lists centres.
func (s *OrgStore) FindCentres(ctx context.Context, f org.CentreFilter) ([]*org.Centre, error) {
	w := sqlcommon.CentreWhere(dialect, f)
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+centreColumns+sqlcommon.CentreFrom+` WHERE `+w.SQL()+` ORDER BY r.path, c.name`, w.Args...)
	return collect(rows, err, scanCentre)
}

var scanCentre = shared(sqlcommon.ScanCentre)

// StaffKinds returns the kind of each existing user id.
func (s *OrgStore) StaffKinds(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.db.q(ctx).QueryContext(ctx, fmt.Sprintf(`SELECT id, kind FROM users WHERE id IN (%s)`,
		strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")), args...)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind string
		if err := rows.Scan(&id, &kind); err != nil {
			return nil, err
		}
		out[id] = kind
	}
	return out, mapError(rows.Err())
}
