package sqlite

import (
	"context"
	"encoding/json"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/catalog"
	"openhall/internal/store/sqlcommon"
)

const versionColumns = `id, item_id, number, state, guide, effective_date, changes, review_note, created_by, submitted_by,
	reviewed_by, created_at, updated_at, submitted_at, reviewed_at`

// CreateVersion inserts v.
func (s *CatalogStore) CreateVersion(ctx context.Context, v *catalog.Version) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		vals, err := versionValues(v)
		if err != nil {
			return err
		}
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO catalog_versions (item_id, number, state, guide, effective_date,
			changes, review_note, created_by, submitted_by, reviewed_by, created_at, updated_at, submitted_at, reviewed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append([]any{v.ItemID, v.Number}, vals...)...)
		if isUnique(err) {
			return apperr.New(apperr.Conflict, "该事项已有正在编辑或审核中的版本")
		}
		if err != nil {
			return mapError(err)
		}
		v.ID, err = res.LastInsertId()
		return err
	})
}

// versionValues are the columns from state to reviewed_at.
func versionValues(v *catalog.Version) ([]any, error) {
	guide, err := json.Marshal(v.Guide)
	if err != nil {
		return nil, err
	}
	changes, _ := json.Marshal(nonNil(v.Changes))
	created, _ := json.Marshal(v.CreatedBy)
	return []any{v.State, string(guide), catalog.DateText(v.EffectiveDate), string(changes), v.ReviewNote, string(created),
		personText(v.SubmittedBy), personText(v.ReviewedBy), micro(v.CreatedAt), micro(v.UpdatedAt),
		micro(v.SubmittedAt), micro(v.ReviewedAt)}, nil
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func personText(p *catalog.Person) string {
	if p == nil {
		return ""
	}
	b, _ := json.Marshal(p)
	return string(b)
}

// UpdateVersion saves an open version; the trigger refuses a published one.
func (s *CatalogStore) UpdateVersion(ctx context.Context, v *catalog.Version) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		vals, err := versionValues(v)
		if err != nil {
			return err
		}
		_, err = s.db.q(ctx).ExecContext(ctx, `UPDATE catalog_versions SET state = ?, guide = ?, effective_date = ?, changes = ?,
			review_note = ?, created_by = ?, submitted_by = ?, reviewed_by = ?, created_at = ?, updated_at = ?, submitted_at = ?,
			reviewed_at = ? WHERE id = ?`, append(vals, v.ID)...)
		if isRefusedByTrigger(err) { // catalog_versions_frozen
			return apperr.Wrap(err, apperr.Conflict, "已发布的版本不能修改；请新建草稿")
		}
		return mapError(err)
	})
}

// FindVersionByID returns one version.
func (s *CatalogStore) FindVersionByID(ctx context.Context, id int64) (*catalog.Version, error) {
	v, err := scanVersion(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+versionColumns+` FROM catalog_versions WHERE id = ?`, id))
	return v, notFound(err, "版本不存在")
}

// FindVersions lists an item's versions, newest first.
func (s *CatalogStore) FindVersions(ctx context.Context, itemID int64) ([]*catalog.Version, error) {
	return s.versions(ctx, `SELECT `+versionColumns+` FROM catalog_versions WHERE item_id = ? ORDER BY number DESC`, itemID)
}

// FindPublishedVersion returns the published version in effect on day.
func (s *CatalogStore) FindPublishedVersion(ctx context.Context, itemID int64, day calendar.Date) (*catalog.Version, error) {
	v, err := scanVersion(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+versionColumns+` FROM catalog_versions
		WHERE item_id = ? AND state = 'published' AND effective_date <= ? ORDER BY effective_date DESC, number DESC LIMIT 1`,
		itemID, day.String()))
	return v, notFound(err, "该事项在 "+day.String()+" 没有生效的办事指南")
}

// FindOpenVersions lists versions under work, oldest change first.
func (s *CatalogStore) FindOpenVersions(ctx context.Context, f catalog.OpenFilter) ([]*catalog.Version, error) {
	w := sqlcommon.OpenVersionWhere(dialect, f)
	return s.versions(ctx, `SELECT `+versionColumns+` FROM catalog_versions WHERE `+w.SQL()+` ORDER BY updated_at, id`, w.Args...)
}

func (s *CatalogStore) versions(ctx context.Context, query string, args ...any) ([]*catalog.Version, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []*catalog.Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, mapError(rows.Err())
}

func scanVersion(r scanner) (*catalog.Version, error) {
	var v catalog.Version
	var guide, eff, changes, created, submitted, reviewed string
	var cAt, uAt, sAt, rAt int64
	err := r.Scan(&v.ID, &v.ItemID, &v.Number, &v.State, &guide, &eff, &changes, &v.ReviewNote, &created, &submitted,
		&reviewed, &cAt, &uAt, &sAt, &rAt)
	if err != nil {
		return nil, err
	}
	v.CreatedAt, v.UpdatedAt, v.SubmittedAt, v.ReviewedAt = fromMicro(cAt), fromMicro(uAt), fromMicro(sAt), fromMicro(rAt)
	v.SubmittedBy, v.ReviewedBy = parsePerson(submitted), parsePerson(reviewed)
	if v.EffectiveDate, err = catalog.ParseDateText(eff); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(created), &v.CreatedBy); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(changes), &v.Changes); err != nil {
		return nil, err
	}
	return &v, json.Unmarshal([]byte(guide), &v.Guide)
}

func parsePerson(s string) *catalog.Person {
	if s == "" {
		return nil
	}
	var p catalog.Person
	if json.Unmarshal([]byte(s), &p) != nil {
		return nil
	}
	return &p
}

// AddEvent inserts a status event.
func (s *CatalogStore) AddEvent(ctx context.Context, e *catalog.Event) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO catalog_events (item_id, kind, date, reason, actor, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, e.ItemID, e.Kind, e.Date.String(), e.Reason, personText(&e.Actor), micro(e.CreatedAt))
		if err != nil {
			return mapError(err)
		}
		e.ID, err = res.LastInsertId()
		return err
	})
}

// FindEvents lists an item's status events, oldest first.
func (s *CatalogStore) FindEvents(ctx context.Context, itemID int64) ([]*catalog.Event, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT id, item_id, kind, date, reason, actor, created_at
		FROM catalog_events WHERE item_id = ? ORDER BY id`, itemID)
	if err != nil {
		return nil, mapError(err)
	}
	defer rows.Close()
	var out []*catalog.Event
	for rows.Next() {
		var e catalog.Event
		var date, actor string
		var at int64
		if err := rows.Scan(&e.ID, &e.ItemID, &e.Kind, &date, &e.Reason, &actor, &at); err != nil {
			return nil, err
		}
		if e.Date, err = calendar.ParseDate(date); err != nil {
			return nil, err
		}
		e.Actor, e.CreatedAt = *parsePerson(actor), fromMicro(at)
		out = append(out, &e)
	}
	return out, mapError(rows.Err())
}

// CreateFile stores a file.
func (s *CatalogStore) CreateFile(ctx context.Context, f *catalog.File) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO catalog_files (name, content_type, data, created_by, created_at)
			VALUES (?, ?, ?, ?, ?)`, f.Name, f.ContentType, f.Data, f.CreatedBy, micro(f.CreatedAt))
		if err != nil {
			return mapError(err)
		}
		f.ID, err = res.LastInsertId()
		return err
	})
}

// FindFile returns a stored file.
func (s *CatalogStore) FindFile(ctx context.Context, id int64) (*catalog.File, error) {
	var f catalog.File
	var at int64
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT id, name, content_type, data, created_by, created_at FROM catalog_files WHERE id = ?`, id).
		Scan(&f.ID, &f.Name, &f.ContentType, &f.Data, &f.CreatedBy, &at)
	f.CreatedAt = fromMicro(at)
	return &f, notFound(err, "文件不存在")
}
