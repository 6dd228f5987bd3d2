package postgres

import (
	"context"
	"encoding/json"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/catalog"
	"openhall/internal/store/sqlcommon"

	"github.com/jackc/pgx/v5"
)

const versionColumns = `id, item_id, number, state, guide, effective_date, changes, review_note, created_by, submitted_by,
	reviewed_by, created_at, updated_at, submitted_at, reviewed_at`

// CreateVersion inserts v.
func (s *CatalogStore) CreateVersion(ctx context.Context, v *catalog.Version) error {
	vals, err := versionValues(v)
	if err != nil {
		return err
	}
	err = s.db.q(ctx).QueryRow(ctx, `INSERT INTO catalog_versions (item_id, number, state, guide, effective_date,
		changes, review_note, created_by, submitted_by, reviewed_by, created_at, updated_at, submitted_at, reviewed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		append([]any{v.ItemID, v.Number}, vals...)...).Scan(&v.ID)
	if isUnique(err) {
		return apperr.New(apperr.Conflict, "该事项已有正在编辑或审核中的版本")
	}
	return mapError(err)
}

// versionValues are the columns from state to reviewed_at.
func versionValues(v *catalog.Version) ([]any, error) {
	guide, err := json.Marshal(v.Guide)
	if err != nil {
		return nil, err
	}
	changes := v.Changes
	if changes == nil {
		changes = []string{}
	}
	ch, _ := json.Marshal(changes)
	created, _ := json.Marshal(v.CreatedBy)
	return []any{v.State, string(guide), catalog.DateText(v.EffectiveDate), string(ch), v.ReviewNote, string(created),
		personJSON(v.SubmittedBy), personJSON(v.ReviewedBy), v.CreatedAt, v.UpdatedAt,
		nullTime(v.SubmittedAt), nullTime(v.ReviewedAt)}, nil
}

func personJSON(p *catalog.Person) any {
	if p == nil {
		return nil
	}
	b, _ := json.Marshal(p)
	return string(b)
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// UpdateVersion saves an open version; the trigger refuses a published one.
func (s *CatalogStore) UpdateVersion(ctx context.Context, v *catalog.Version) error {
	vals, err := versionValues(v)
	if err != nil {
		return err
	}
	_, err = s.db.q(ctx).Exec(ctx, `UPDATE catalog_versions SET state = $1, guide = $2, effective_date = $3, changes = $4,
		review_note = $5, created_by = $6, submitted_by = $7, reviewed_by = $8, created_at = $9, updated_at = $10,
		submitted_at = $11, reviewed_at = $12 WHERE id = $13`, append(vals, v.ID)...)
	if isRefusedByTrigger(err) { // catalog_versions_frozen
		return apperr.Wrap(err, apperr.Conflict, "已发布的版本不能修改；请新建草稿")
	}
	return mapError(err)
}

// FindVersionByID returns one version.
func (s *CatalogStore) FindVersionByID(ctx context.Context, id int64) (*catalog.Version, error) {
	v, err := scanVersion(s.db.q(ctx).QueryRow(ctx, `SELECT `+versionColumns+` FROM catalog_versions WHERE id = $1`, id))
	return v, notFound(err, "版本不存在")
}

// FindVersions lists an item's versions, newest first.
func (s *CatalogStore) FindVersions(ctx context.Context, itemID int64) ([]*catalog.Version, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+versionColumns+` FROM catalog_versions WHERE item_id = $1 ORDER BY number DESC`, itemID)
	return collect(rows, err, scanVersion)
}

// FindPublishedVersion returns the published version in effect on day.
func (s *CatalogStore) FindPublishedVersion(ctx context.Context, itemID int64, day calendar.Date) (*catalog.Version, error) {
	v, err := scanVersion(s.db.q(ctx).QueryRow(ctx, `SELECT `+versionColumns+` FROM catalog_versions
		WHERE item_id = $1 AND state = 'published' AND effective_date <= $2 ORDER BY effective_date DESC, number DESC LIMIT 1`,
		itemID, day.String()))
	return v, notFound(err, "该事项在 "+day.String()+" 没有生效的办事指南")
}

// FindOpenVersions lists versions under work, oldest change first.
func (s *CatalogStore) FindOpenVersions(ctx context.Context, f catalog.OpenFilter) ([]*catalog.Version, error) {
	w := sqlcommon.OpenVersionWhere(dialect, f)
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+versionColumns+` FROM catalog_versions WHERE `+w.SQL()+` ORDER BY updated_at, id`, w.Args...)
	return collect(rows, err, scanVersion)
}

func scanVersion(r pgx.Row) (*catalog.Version, error) {
	var v catalog.Version
	var guide, changes, created, submitted, reviewed []byte
	var eff string
	var sAt, rAt *time.Time
	err := r.Scan(&v.ID, &v.ItemID, &v.Number, &v.State, &guide, &eff, &changes, &v.ReviewNote, &created, &submitted,
		&reviewed, &v.CreatedAt, &v.UpdatedAt, &sAt, &rAt)
	if err != nil {
		return nil, err
	}
	v.CreatedAt, v.UpdatedAt = v.CreatedAt.UTC(), v.UpdatedAt.UTC()
	if sAt != nil {
		v.SubmittedAt = sAt.UTC()
	}
	if rAt != nil {
		v.ReviewedAt = rAt.UTC()
	}
	v.SubmittedBy, v.ReviewedBy = parsePerson(submitted), parsePerson(reviewed)
	if v.EffectiveDate, err = catalog.ParseDateText(eff); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(created, &v.CreatedBy); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(changes, &v.Changes); err != nil {
		return nil, err
	}
	return &v, json.Unmarshal(guide, &v.Guide)
}

func parsePerson(b []byte) *catalog.Person {
	if len(b) == 0 {
		return nil
	}
	var p catalog.Person
	if json.Unmarshal(b, &p) != nil {
		return nil
	}
	return &p
}

// AddEvent inserts a status event.
func (s *CatalogStore) AddEvent(ctx context.Context, e *catalog.Event) error {
	err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO catalog_events (item_id, kind, date, reason, actor, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, e.ItemID, e.Kind, e.Date.String(), e.Reason, personJSON(&e.Actor), e.CreatedAt).Scan(&e.ID)
	return mapError(err)
}

// FindEvents lists an item's status events, oldest first.
func (s *CatalogStore) FindEvents(ctx context.Context, itemID int64) ([]*catalog.Event, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT id, item_id, kind, date, reason, actor, created_at
		FROM catalog_events WHERE item_id = $1 ORDER BY id`, itemID)
	return collect(rows, err, func(r pgx.Row) (*catalog.Event, error) {
		var e catalog.Event
		var date string
		var actor []byte
		if err := r.Scan(&e.ID, &e.ItemID, &e.Kind, &date, &e.Reason, &actor, &e.CreatedAt); err != nil {
			return nil, err
		}
		d, err := calendar.ParseDate(date)
		e.Date, e.Actor, e.CreatedAt = d, *parsePerson(actor), e.CreatedAt.UTC()
		return &e, err
	})
}

// CreateFile stores a file.
func (s *CatalogStore) CreateFile(ctx context.Context, f *catalog.File) error {
	err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO catalog_files (name, content_type, data, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, f.Name, f.ContentType, f.Data, f.CreatedBy, f.CreatedAt).Scan(&f.ID)
	return mapError(err)
}

// FindFile returns a stored file.
func (s *CatalogStore) FindFile(ctx context.Context, id int64) (*catalog.File, error) {
	var f catalog.File
	err := s.db.q(ctx).QueryRow(ctx, `SELECT id, name, content_type, data, created_by, created_at FROM catalog_files WHERE id = $1`, id).
		Scan(&f.ID, &f.Name, &f.ContentType, &f.Data, &f.CreatedBy, &f.CreatedAt)
	if err != nil {
		return nil, notFound(err, "文件不存在")
	}
	f.CreatedAt = f.CreatedAt.UTC()
	return &f, nil
}
