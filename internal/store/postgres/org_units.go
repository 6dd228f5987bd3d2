package postgres

import (
	"context"

	"openhall/internal/apperr"
	"openhall/internal/org"
	"openhall/internal/store/sqlcommon"

	"github.com/jackc/pgx/v5"
)

const departmentColumns = sqlcommon.DepartmentColumns
const departmentFrom = sqlcommon.DepartmentFrom

func departmentConflict(err error, d *org.Department) error {
	if !isUnique(err) {
		return mapError(err)
	}
	if constraint(err) == "departments_credit_code_key" {
		return apperr.Field("credit_code", "统一社会信用代码 "+d.CreditCode+" 已被其他部门使用")
	}
	return apperr.Field("name", "该区域已有同名部门")
}

// CreateDepartment inserts d.
func (s *OrgStore) CreateDepartment(ctx context.Context, d *org.Department) error {
	err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO departments (region_id, centre_id, name, credit_code, phone, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, d.RegionID, d.CentreID, d.Name, d.CreditCode, d.Phone,
		d.CreatedAt, d.UpdatedAt).Scan(&d.ID)
	if err != nil {
		return departmentConflict(err, d)
	}
	return nil
}

// UpdateDepartment saves d.
func (s *OrgStore) UpdateDepartment(ctx context.Context, d *org.Department) error {
	_, err := s.db.q(ctx).Exec(ctx, `UPDATE departments SET region_id = $1, centre_id = $2, name = $3, credit_code = $4, phone = $5, updated_at = $6
		WHERE id = $7`, d.RegionID, d.CentreID, d.Name, d.CreditCode, d.Phone, d.UpdatedAt, d.ID)
	if err != nil {
		return departmentConflict(err, d)
	}
	return nil
}

// FindDepartmentByID returns one department.
func (s *OrgStore) FindDepartmentByID(ctx context.Context, id int64) (*org.Department, error) {
	d, err := scanDepartment(s.db.q(ctx).QueryRow(ctx, `SELECT `+departmentColumns+departmentFrom+` WHERE d.id = $1`, id))
	return d, notFound(err, "部门不存在")
}

// FindDepartments lists departments.
func (s *OrgStore) FindDepartments(ctx context.Context, f org.DepartmentFilter) ([]*org.Department, error) {
	w := sqlcommon.DepartmentWhere(dialect, f)
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+departmentColumns+departmentFrom+` WHERE `+w.SQL()+` ORDER BY r.path, d.name`, w.Args...)
	return collect(rows, err, scanDepartment)
}

var scanDepartment = shared(sqlcommon.ScanDepartment)

const windowColumns = `w.id, w.centre_id, w.number, w.name, w.kind, c.name, w.created_at, w.updated_at,
	ARRAY(SELECT department_id FROM window_departments WHERE window_id = w.id ORDER BY department_id),
	ARRAY(SELECT user_id FROM window_staff WHERE window_id = w.id ORDER BY user_id)`

// CreateWindow inserts w with its departments and staff.
func (s *OrgStore) CreateWindow(ctx context.Context, w *org.Window) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO windows (centre_id, number, name, kind, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, w.CentreID, w.Number, w.Name, w.Kind, w.CreatedAt, w.UpdatedAt).Scan(&w.ID)
		if isUnique(err) {
			return apperr.Field("number", "该服务中心已有编号为 "+w.Number+" 的窗口")
		}
		if err != nil {
			return mapError(err)
		}
		return s.saveWindowLinks(ctx, w)
	})
}

// UpdateWindow saves w and replaces its departments and staff.
func (s *OrgStore) UpdateWindow(ctx context.Context, w *org.Window) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).Exec(ctx, `UPDATE windows SET centre_id = $1, number = $2, name = $3, kind = $4, updated_at = $5 WHERE id = $6`,
			w.CentreID, w.Number, w.Name, w.Kind, w.UpdatedAt, w.ID)
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
	for _, stmt := range []string{`DELETE FROM window_departments WHERE window_id = $1`, `DELETE FROM window_staff WHERE window_id = $1`} {
		if _, err := q.Exec(ctx, stmt, w.ID); err != nil {
			return mapError(err)
		}
	}
	if _, err := q.Exec(ctx, `INSERT INTO window_departments (window_id, department_id) SELECT $1, unnest($2::bigint[])`, w.ID, w.DepartmentIDs); err != nil {
		return mapError(err)
	}
	_, err := q.Exec(ctx, `INSERT INTO window_staff (window_id, user_id) SELECT $1, unnest($2::bigint[])`, w.ID, w.StaffIDs)
	return mapError(err)
}

// FindWindowByID returns one window with its departments and staff.
func (s *OrgStore) FindWindowByID(ctx context.Context, id int64) (*org.Window, error) {
	w, err := scanWindow(s.db.q(ctx).QueryRow(ctx, `SELECT `+windowColumns+` FROM windows w
		JOIN centres c ON c.id = w.centre_id WHERE w.id = $1`, id))
	return w, notFound(err, "窗口不存在")
}

// FindWindows lists windows.
func (s *OrgStore) FindWindows(ctx context.Context, f org.WindowFilter) ([]*org.Window, error) {
	w := sqlcommon.WindowWhere(dialect, f)
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+windowColumns+` FROM windows w
		JOIN centres c ON c.id = w.centre_id JOIN regions r ON r.id = c.region_id
		WHERE `+w.SQL()+` ORDER BY r.path, c.name, w.number`, w.Args...)
	return collect(rows, err, scanWindow)
}

func scanWindow(r pgx.Row) (*org.Window, error) {
	var w org.Window
	err := r.Scan(&w.ID, &w.CentreID, &w.Number, &w.Name, &w.Kind, &w.CentreName, &w.CreatedAt, &w.UpdatedAt, &w.DepartmentIDs, &w.StaffIDs)
	if err != nil {
		return nil, err
	}
	w.CreatedAt, w.UpdatedAt = w.CreatedAt.UTC(), w.UpdatedAt.UTC()
	if len(w.StaffIDs) == 0 {
		w.StaffIDs = nil
	}
	if len(w.DepartmentIDs) == 0 {
		w.DepartmentIDs = nil
	}
	return &w, nil
}
