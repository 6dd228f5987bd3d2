package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/hall"
)

// HallStore implements hall.Store.
type HallStore struct{ db *DB }

// Hall returns the hall store.
func (db *DB) Hall() *HallStore { return &HallStore{db} }

const bundleSelect = `SELECT b.id, b.region_id, r.path, r.name, b.name, b.audience, b.status, b.definition, b.created_at, b.updated_at
	FROM bundles b JOIN regions r ON r.id = b.region_id`

// CreateBundle inserts a bundle.
func (s *HallStore) CreateBundle(ctx context.Context, b *hall.Bundle) error {
	def, err := json.Marshal(b.Definition)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO bundles (region_id, name, audience, status, definition, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, b.RegionID, b.Name, b.Audience, b.Status, string(def), micro(b.CreatedAt), micro(b.UpdatedAt))
		if isUnique(err) {
			return apperr.Field("name", "该区域已有名为“"+b.Name+"”的一件事")
		}
		if err != nil {
			return mapError(err)
		}
		b.ID, err = res.LastInsertId()
		return err
	})
}

// UpdateBundle saves a bundle.
func (s *HallStore) UpdateBundle(ctx context.Context, b *hall.Bundle) error {
	def, err := json.Marshal(b.Definition)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE bundles SET region_id = ?, name = ?, audience = ?, status = ?, definition = ?,
			updated_at = ? WHERE id = ?`, b.RegionID, b.Name, b.Audience, b.Status, string(def), micro(b.UpdatedAt), b.ID)
		if isUnique(err) {
			return apperr.Field("name", "该区域已有名为“"+b.Name+"”的一件事")
		}
		return mapError(err)
	})
}

func scanBundle(r scanner) (*hall.Bundle, error) {
	var b hall.Bundle
	var def string
	var created, updated int64
	if err := r.Scan(&b.ID, &b.RegionID, &b.RegionPath, &b.RegionName, &b.Name, &b.Audience, &b.Status, &def, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(def), &b.Definition); err != nil {
		return nil, fmt.Errorf("decode bundle %d: %w", b.ID, err)
	}
	b.CreatedAt, b.UpdatedAt = fromMicro(created), fromMicro(updated)
	return &b, nil
}

// FindBundle returns one bundle.
func (s *HallStore) FindBundle(ctx context.Context, id int64) (*hall.Bundle, error) {
	b, err := scanBundle(s.db.q(ctx).QueryRowContext(ctx, bundleSelect+` WHERE b.id = ?`, id))
	return b, notFound(err, "一件事不存在")
}

// FindBundles lists bundles by region path and name.
func (s *HallStore) FindBundles(ctx context.Context, f hall.BundleFilter) ([]*hall.Bundle, error) {
	where, args := []string{"1 = 1"}, []any{}
	if len(f.Statuses) > 0 {
		where = append(where, "b.status IN ("+placeholders(len(f.Statuses))+")")
		for _, st := range f.Statuses {
			args = append(args, string(st))
		}
	}
	if len(f.RegionPaths) > 0 {
		where = append(where, "r.path IN ("+placeholders(len(f.RegionPaths))+")")
		for _, p := range f.RegionPaths {
			args = append(args, p)
		}
	}
	if f.PathPrefix != "" {
		where, args = append(where, "substr(r.path, 1, ?) = ?"), append(args, len(f.PathPrefix), f.PathPrefix)
	}
	rows, err := s.db.q(ctx).QueryContext(ctx, bundleSelect+` WHERE `+strings.Join(where, " AND ")+` ORDER BY r.path, b.id`, args...)
	return collect(rows, err, scanBundle)
}

// CreateApplication inserts an application and its cases.
func (s *HallStore) CreateApplication(ctx context.Context, app *hall.Application) error {
	form, err := json.Marshal(app.Form)
	if err != nil {
		return err
	}
	return s.db.InTx(ctx, func(ctx context.Context) error {
		q := s.db.q(ctx)
		res, err := q.ExecContext(ctx, `INSERT INTO bundle_applications (bundle_id, number, name, applicant_user_id, agent_id,
			applicant_name, form, query_code_hash, query_code, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			app.BundleID, app.Number, app.Name, nullable(app.ApplicantUserID), nullable(app.AgentID), app.ApplicantName, string(form),
			app.QueryCodeHash, app.QueryCode, app.Key, micro(app.CreatedAt))
		if isUnique(err) {
			return apperr.New(apperr.Conflict, "该申请已经提交过")
		}
		if err != nil {
			return mapError(err)
		}
		if app.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		args := make([]any, 0, 4*len(app.Members))
		for i, m := range app.Members {
			args = append(args, app.ID, i, m.CaseID, m.ImplCode)
		}
		_, err = q.ExecContext(ctx, `INSERT INTO bundle_cases (application_id, position, case_id, impl_code) VALUES `+
			tuples(len(app.Members), 4), args...)
		return mapError(err)
	})
}

const applicationSelect = `SELECT id, bundle_id, number, name, IFNULL(applicant_user_id, 0), IFNULL(agent_id, 0), applicant_name,
	form, query_code_hash, query_code, idempotency_key, created_at FROM bundle_applications`

func (s *HallStore) findApplication(ctx context.Context, where string, arg any) (*hall.Application, error) {
	var app hall.Application
	var form string
	var created int64
	err := s.db.q(ctx).QueryRowContext(ctx, applicationSelect+` WHERE `+where, arg).Scan(&app.ID, &app.BundleID, &app.Number,
		&app.Name, &app.ApplicantUserID, &app.AgentID, &app.ApplicantName, &form, &app.QueryCodeHash, &app.QueryCode, &app.Key, &created)
	if err != nil {
		return nil, notFound(err, "一件事申请不存在")
	}
	if err := json.Unmarshal([]byte(form), &app.Form); err != nil {
		return nil, fmt.Errorf("decode bundle application %d: %w", app.ID, err)
	}
	app.CreatedAt = fromMicro(created)
	app.Members, err = s.members(ctx, app.ID)
	return &app, err
}

func (s *HallStore) members(ctx context.Context, id int64) ([]hall.Member, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT m.case_id, m.impl_code, IFNULL(c.number, ''), c.item_name
		FROM bundle_cases m JOIN cases c ON c.id = m.case_id WHERE m.application_id = ? ORDER BY m.position`, id)
	return collect(rows, err, func(r scanner) (hall.Member, error) {
		var m hall.Member
		err := r.Scan(&m.CaseID, &m.ImplCode, &m.Number, &m.ItemName)
		return m, err
	})
}

// FindApplication returns an application by id.
func (s *HallStore) FindApplication(ctx context.Context, id int64) (*hall.Application, error) {
	return s.findApplication(ctx, `id = ?`, id)
}

// FindApplicationByNumber returns an application by number.
func (s *HallStore) FindApplicationByNumber(ctx context.Context, number string) (*hall.Application, error) {
	return s.findApplication(ctx, `number = ?`, number)
}

// FindApplicationByKey returns the application created with a key.
func (s *HallStore) FindApplicationByKey(ctx context.Context, key string) (*hall.Application, error) {
	return s.findApplication(ctx, `idempotency_key = ?`, key)
}

// FindApplicationOfCase returns the application a case belongs to.
func (s *HallStore) FindApplicationOfCase(ctx context.Context, caseID int64) (*hall.Application, error) {
	return s.findApplication(ctx, `id = (SELECT application_id FROM bundle_cases WHERE case_id = ?)`, caseID)
}

// FindApplications lists a user's applications, newest first.
func (s *HallStore) FindApplications(ctx context.Context, userID int64, limit int) ([]*hall.Application, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT id FROM bundle_applications WHERE applicant_user_id = ? OR agent_id = ?
		ORDER BY created_at DESC, id DESC LIMIT ?`, userID, userID, limit)
	ids, err := collect(rows, err, func(r scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return nil, err
	}
	out := make([]*hall.Application, 0, len(ids))
	for _, id := range ids {
		app, err := s.FindApplication(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, app)
	}
	return out, nil
}

// CreateAppointment inserts a request.
func (s *HallStore) CreateAppointment(ctx context.Context, ap *hall.Appointment) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO appointments (item_id, region_path, department_id, user_id, day, slot,
			note, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, ap.ItemID, ap.RegionPath, ap.DepartmentID, ap.UserID,
			ap.Day.String(), ap.Slot, ap.Note, ap.Status, micro(ap.CreatedAt))
		if err != nil {
			return mapError(err)
		}
		ap.ID, err = res.LastInsertId()
		return err
	})
}

// UpdateAppointment saves the status and answer if the status is still from.
func (s *HallStore) UpdateAppointment(ctx context.Context, ap *hall.Appointment, from hall.AppointmentStatus) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `UPDATE appointments SET status = ?, answer = ?, decided_by = ?, decided_at = ?
			WHERE id = ? AND status = ?`, ap.Status, ap.Answer, nullable(ap.DecidedBy), micro(ap.DecidedAt), ap.ID, from)
		if err != nil {
			return mapError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.New(apperr.Conflict, "该预约已被他人处理，请刷新后重试")
		}
		return nil
	})
}

const appointmentSelect = `SELECT a.id, a.item_id, i.name, i.impl_code, a.region_path, a.department_id, a.user_id, u.name, a.day, a.slot,
	a.note, a.status, a.answer, IFNULL(a.decided_by, 0), a.decided_at, a.created_at
	FROM appointments a JOIN catalog_items i ON i.id = a.item_id JOIN users u ON u.id = a.user_id`

func scanAppointment(r scanner) (*hall.Appointment, error) {
	var ap hall.Appointment
	var day string
	var decided, created int64
	if err := r.Scan(&ap.ID, &ap.ItemID, &ap.ItemName, &ap.ImplCode, &ap.RegionPath, &ap.DepartmentID, &ap.UserID, &ap.UserName,
		&day, &ap.Slot, &ap.Note, &ap.Status, &ap.Answer, &ap.DecidedBy, &decided, &created); err != nil {
		return nil, err
	}
	d, err := calendar.ParseDate(day)
	ap.Day, ap.DecidedAt, ap.CreatedAt = d, fromMicro(decided), fromMicro(created)
	return &ap, err
}

// FindAppointment returns one appointment.
func (s *HallStore) FindAppointment(ctx context.Context, id int64) (*hall.Appointment, error) {
	ap, err := scanAppointment(s.db.q(ctx).QueryRowContext(ctx, appointmentSelect+` WHERE a.id = ?`, id))
	return ap, notFound(err, "预约不存在")
}

// FindAppointments lists appointments: a user's newest first, a queue by day.
func (s *HallStore) FindAppointments(ctx context.Context, f hall.AppointmentFilter) ([]*hall.Appointment, error) {
	where, args := []string{"1 = 1"}, []any{}
	order := "a.day, a.slot, a.id"
	if f.UserID != 0 {
		where, args, order = append(where, "a.user_id = ?"), append(args, f.UserID), "a.created_at DESC, a.id DESC"
	}
	if len(f.Statuses) > 0 {
		where = append(where, "a.status IN ("+placeholders(len(f.Statuses))+")")
		for _, st := range f.Statuses {
			args = append(args, string(st))
		}
	}
	if len(f.RegionPrefixes) > 0 {
		var ors []string
		for _, p := range f.RegionPrefixes {
			ors, args = append(ors, "substr(a.region_path, 1, ?) = ?"), append(args, len(p), p)
		}
		where = append(where, "("+strings.Join(ors, " OR ")+")")
	}
	rows, err := s.db.q(ctx).QueryContext(ctx, appointmentSelect+` WHERE `+strings.Join(where, " AND ")+` ORDER BY `+order+` LIMIT ?`,
		append(args, max(f.Limit, 1))...)
	return collect(rows, err, scanAppointment)
}

// PutFavourite adds a favourite.
func (s *HallStore) PutFavourite(ctx context.Context, userID, itemID int64, at time.Time) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO favourites (user_id, item_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT (user_id, item_id) DO NOTHING`, userID, itemID, micro(at))
		return mapError(err)
	})
}

// DeleteFavourite removes a favourite.
func (s *HallStore) DeleteFavourite(ctx context.Context, userID, itemID int64) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `DELETE FROM favourites WHERE user_id = ? AND item_id = ?`, userID, itemID)
		return mapError(err)
	})
}

// IsFavourite reports whether an item is a favourite of the user.
func (s *HallStore) IsFavourite(ctx context.Context, userID, itemID int64) (bool, error) {
	var n int
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT count(*) FROM favourites WHERE user_id = ? AND item_id = ?`, userID, itemID).Scan(&n)
	return n > 0, mapError(err)
}

// FindFavourites lists a user's favourite item ids, newest first.
func (s *HallStore) FindFavourites(ctx context.Context, userID int64) ([]int64, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT item_id FROM favourites WHERE user_id = ? ORDER BY created_at DESC`, userID)
	return collect(rows, err, func(r scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
}

// CountFiled counts the cases filed since a moment per item version.
func (s *HallStore) CountFiled(ctx context.Context, since time.Time, limit int) ([]hall.VersionCount, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT item_version_id, count(*) FROM cases WHERE created_at >= ? AND status <> 'draft'
		GROUP BY item_version_id ORDER BY count(*) DESC, item_version_id LIMIT ?`, micro(since), limit)
	return collect(rows, err, func(r scanner) (hall.VersionCount, error) {
		var c hall.VersionCount
		return c, r.Scan(&c.VersionID, &c.Count)
	})
}
