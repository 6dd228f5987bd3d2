package postgres

import (
	"context"

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
		err := q.QueryRow(ctx, `INSERT INTO regions (parent_id, code, name, level, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, r.ParentID, r.Code, r.Name, r.Level, r.CreatedAt, r.UpdatedAt).Scan(&r.ID)
		if isUnique(err) {
			return apperr.Field("code", "区划代码 "+r.Code+" 已存在")
		}
		if err != nil {
			return mapError(err)
		}
		err = q.QueryRow(ctx, `UPDATE regions SET path = COALESCE((SELECT path FROM regions WHERE id = $1), '/') || id || '/'
			WHERE id = $2 RETURNING path`, r.ParentID, r.ID).Scan(&r.Path)
		return mapError(err)
	})
}

// UpdateRegion saves the code and name.
func (s *OrgStore) UpdateRegion(ctx context.Context, r *org.Region) error {
	_, err := s.db.q(ctx).Exec(ctx, `UPDATE regions SET code = $1, name = $2, updated_at = $3 WHERE id = $4`,
		r.Code, r.Name, r.UpdatedAt, r.ID)
	if isUnique(err) {
		return apperr.Field("code", "区划代码 "+r.Code+" 已存在")
	}
	return mapError(err)
}

// FindRegionByID returns one region.
func (s *OrgStore) FindRegionByID(ctx context.Context, id int64) (*org.Region, error) {
	r, err := scanRegion(s.db.q(ctx).QueryRow(ctx, `SELECT `+regionColumns+` FROM regions WHERE id = $1`, id))
	return r, notFound(err, "区域不存在")
}

// FindRegions lists regions by level and code.
func (s *OrgStore) FindRegions(ctx context.Context, f org.RegionFilter) ([]*org.Region, error) {
	w := sqlcommon.RegionWhere(dialect, f)
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+regionColumns+` FROM regions WHERE `+w.SQL()+` ORDER BY level, code`, w.Args...)
	return collect(rows, err, scanRegion)
}

// CountRegionChildren counts direct children.
func (s *OrgStore) CountRegionChildren(ctx context.Context, id int64) (int, error) {
	var n int
	err := s.db.q(ctx).QueryRow(ctx, `SELECT count(*) FROM regions WHERE parent_id = $1`, id).Scan(&n)
	return n, mapError(err)
}

var scanRegion = shared(sqlcommon.ScanRegion)

const centreColumns = sqlcommon.CentreColumns

// CreateCentre inserts c.
func (s *OrgStore) CreateCentre(ctx context.Context, c *org.Centre) error {
	err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO centres (region_id, name, kind, address, phone, hours, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, c.RegionID, c.Name, c.Kind, c.Address, c.Phone, c.Hours,
		c.CreatedAt, c.UpdatedAt).Scan(&c.ID)
	if isUnique(err) {
		return apperr.Field("name", "该区域已有同名服务中心")
	}
	return mapError(err)
}

// UpdateCentre saves c.
func (s *OrgStore) UpdateCentre(ctx context.Context, c *org.Centre) error {
	_, err := s.db.q(ctx).Exec(ctx, `UPDATE centres SET region_id = $1, name = $2, kind = $3, address = $4, phone = $5, hours = $6, updated_at = $7
		WHERE id = $8`, c.RegionID, c.Name, c.Kind, c.Address, c.Phone, c.Hours, c.UpdatedAt, c.ID)
	if isUnique(err) {
		return apperr.Field("name", "该区域已有同名服务中心")
	}
	return mapError(err)
}

// FindCentreByID returns one centre.
func (s *OrgStore) FindCentreByID(ctx context.Context, id int64) (*org.Centre, error) {
	c, err := scanCentre(s.db.q(ctx).QueryRow(ctx, `SELECT `+centreColumns+`
		FROM centres c JOIN regions r ON r.id = c.region_id WHERE c.id = $1`, id))
	return c, notFound(err, "服务中心不存在")
}

// FindCentres lists centres.
func (s *OrgStore) FindCentres(ctx context.Context, f org.CentreFilter) ([]*org.Centre, error) {
	w := sqlcommon.CentreWhere(dialect, f)
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+centreColumns+sqlcommon.CentreFrom+` WHERE `+w.SQL()+` ORDER BY r.path, c.name`, w.Args...)
	return collect(rows, err, scanCentre)
}

var scanCentre = shared(sqlcommon.ScanCentre)

// StaffKinds returns the kind of each existing user id.
func (s *OrgStore) StaffKinds(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db.q(ctx).Query(ctx, `SELECT id, kind FROM users WHERE id = ANY($1)`, ids)
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
