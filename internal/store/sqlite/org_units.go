package sqlite

import (
	"context"

	"openhall/internal/apperr"
	"openhall/internal/org"
	"openhall/internal/store/sqlcommon"
)

const departmentColumns = sqlcommon.DepartmentColumns
const departmentFrom = sqlcommon.DepartmentFrom

// departmentConflict names the field a unique violation is about; self is
// the department being updated (0 for a new one).
func (s *OrgStore) departmentConflict(ctx context.Context, err error, d *org.Department, self int64) error {
	if !isUnique(err) {
		return mapError(err)
	}
	taken, err := s.db.taken(ctx, `SELECT 1 FROM departments WHERE credit_code = ? AND id <> ?`, d.CreditCode, self)
	if err != nil {
		return err
	}
	if taken {
		return apperr.Field("credit_code", "统一社会信用代码 "+d.CreditCode+" 已被其他部门使用")
	}
	return apperr.Field("name", "该区域已有同名部门")
}

// CreateDepartment inserts d.
func (s *OrgStore) CreateDepartment(ctx context.Context, d *org.Department) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO departments (region_id, centre_id, name, credit_code, phone, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, d.RegionID, nullID(d.CentreID), d.Name, d.CreditCode, d.Phone, micro(d.CreatedAt), micro(d.UpdatedAt))
		if err != nil {
			return s.departmentConflict(ctx, err, d, 0)
		}
		d.ID, err = res.LastInsertId()
		return err
	})
}

// UpdateDepartment saves d.
func (s *OrgStore) UpdateDepartment(ctx context.Context, d *org.Department) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE departments SET region_id = ?, centre_id = ?, name = ?, credit_code = ?, phone = ?, updated_at = ?
			WHERE id = ?`, d.RegionID, nullID(d.CentreID), d.Name, d.CreditCode, d.Phone, micro(d.UpdatedAt), d.ID)
		if err != nil {
			return s.departmentConflict(ctx, err, d, d.ID)
		}
		return nil
	})
}

// FindDepartmentByID returns one department.
func (s *OrgStore) FindDepartmentByID(ctx context.Context, id int64) (*org.Department, error) {
	d, err := scanDepartment(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+departmentColumns+departmentFrom+` WHERE d.id = ?`, id))
	return d, notFound(err, "部门不存在")
}

// FindDepartments lists departments.
func (s *OrgStore) FindDepartments(ctx context.Context, f org.DepartmentFilter) ([]*org.Department, error) {
	w := sqlcommon.DepartmentWhere(dialect, f)
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+departmentColumns+departmentFrom+` WHERE `+w.SQL()+` ORDER BY r.path, d.name`, w.Args...)
	return collect(rows, err, scanDepartment)
}

var scanDepartment = shared(sqlcommon.ScanDepartment)

const windowColumns = `w.id, w.centre_id, w.number, w.name, w.kind, c.name, w.created_at, w.updated_at`

// CreateWindow inserts w with its departments and staff.
func (s *OrgStore) CreateWindow(ctx context.Context, w *org.Window) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO windows (centre_id, number, name, kind, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, w.CentreID, w.Number, w.Name, w.Kind, micro(w.CreatedAt), micro(w.UpdatedAt))
		if isUnique(err) {
			return apperr.Field("number", "该服务中心已有编号为 "+w.Number+" 的窗口")
		}
		if err != nil {
			return mapError(err)
		}
		if w.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return s.saveWindowLinks(ctx, w)
	})
}

// UpdateWindow saves w and replaces its departments and staff.
func (s *OrgStore) UpdateWindow(ctx context.Context, w *org.Window) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE windows SET centre_id = ?, number = ?, name = ?, kind = ?, updated_at = ? WHERE id = ?`,
			w.CentreID, w.Number, w.Name, w.Kind, micro(w.UpdatedAt), w.ID)
		if isUnique(err) {
			return apperr.Field("number", "该服务中心已有编号为 "+w.Number+" 的窗口")
		}
		if err != nil {
			return mapError(err)
		}
		return s.saveWindowLinks(ctx, w)
	})
}

func (s *OrgStore) saveWindowLinks(ctx context.Context, w *org.Window) error {
	q := s.db.q(ctx)
	for _, stmt := range []string{`DELETE FROM window_departments WHERE window_id = ?`, `DELETE FROM window_staff WHERE window_id = ?`} {
		if _, err := q.ExecContext(ctx, stmt, w.ID); err != nil {
			return mapError(err)
		}
	}
	for _, id := range w.DepartmentIDs {
		if _, err := q.ExecContext(ctx, `INSERT INTO window_departments (window_id, department_id) VALUES (?, ?)`, w.ID, id); err != nil {
			return mapError(err)
		}
	}
	for _, id := range w.StaffIDs {
		if _, err := q.ExecContext(ctx, `INSERT INTO window_staff (window_id, user_id) VALUES (?, ?)`, w.ID, id); err != nil {
			return mapError(err)
		}
	}
	return nil
}

// FindWindowByID returns one window with its departments and staff.
func (s *OrgStore) FindWindowByID(ctx context.Context, id int64) (*org.Window, error) {
	ws, err := s.findWindows(ctx, "w.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(ws) == 0 {
		return nil, apperr.New(apperr.NotFound, "窗口不存在")
	}
	return ws[0], nil
}

// FindWindows lists windows.
func (s *OrgStore) FindWindows(ctx context.Context, f org.WindowFilter) ([]*org.Window, error) {
	w := sqlcommon.WindowWhere(dialect, f)
	return s.findWindows(ctx, w.SQL(), w.Args...)
}

func (s *OrgStore) findWindows(ctx context.Context, where string, args ...any) ([]*org.Window, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+windowColumns+` FROM windows w
		JOIN centres c ON c.id = w.centre_id JOIN regions r ON r.id = c.region_id
		WHERE `+where+` ORDER BY r.path, c.name, w.number`, args...)
	if err != nil {
		return nil, mapError(err)
	}
	var out []*org.Window
	byID := map[int64]*org.Window{}
	for rows.Next() {
		var w org.Window
		var created, updated int64
		if err := rows.Scan(&w.ID, &w.CentreID, &w.Number, &w.Name, &w.Kind, &w.CentreName, &created, &updated); err != nil {
			rows.Close()
			return nil, err
		}
		w.CreatedAt, w.UpdatedAt = fromMicro(created), fromMicro(updated)
		out, byID[w.ID] = append(out, &w), &w
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapError(err)
	}
	return out, s.loadWindowLinks(ctx, byID)
}

// loadWindowLinks fills DepartmentIDs and StaffIDs.
func (s *OrgStore) loadWindowLinks(ctx context.Context, byID map[int64]*org.Window) error {
	if len(byID) == 0 {
		return nil
	}
	for _, l := range []struct {
		sql string
		add func(w *org.Window, id int64)
	}{
		{`SELECT window_id, department_id FROM window_departments ORDER BY department_id`, func(w *org.Window, id int64) { w.DepartmentIDs = append(w.DepartmentIDs, id) }},
		{`SELECT window_id, user_id FROM window_staff ORDER BY user_id`, func(w *org.Window, id int64) { w.StaffIDs = append(w.StaffIDs, id) }},
	} {
		if err := s.scanLinks(ctx, l.sql, byID, l.add); err != nil {
			return err
		}
	}
	return nil
}

func (s *OrgStore) scanLinks(ctx context.Context, query string, byID map[int64]*org.Window, add func(*org.Window, int64)) error {
	rows, err := s.db.q(ctx).QueryContext(ctx, query)
	if err != nil {
		return mapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var wid, id int64
		if err := rows.Scan(&wid, &id); err != nil {
			return err
		}
		if w := byID[wid]; w != nil {
			add(w, id)
		}
	}
	return mapError(rows.Err())
}
