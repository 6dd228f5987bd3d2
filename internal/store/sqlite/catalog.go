package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"openhall/internal/apperr"
	"openhall/internal/catalog"
	"openhall/internal/store/sqlcommon"
)

// CatalogStore implements catalog.Store.
type CatalogStore struct {
	db *DB

	// stampOnce prepares the stamp lookup that every public guide request
	// makes, so that SQLite does not parse it again each time.
	stampOnce sync.Once
	stamp     *sql.Stmt
	stampErr  error
}

// Catalog returns the catalogue store.
func (db *DB) Catalog() *CatalogStore { return &CatalogStore{db: db} }

const itemColumns = sqlcommon.ItemColumns

const itemFrom = sqlcommon.ItemFrom

// itemConflict names the field a unique violation is about.
func (s *CatalogStore) itemConflict(ctx context.Context, err error, it *catalog.Item) error {
	if !isUnique(err) {
		return mapError(err)
	}
	taken, err := s.db.taken(ctx, `SELECT 1 FROM catalog_items WHERE impl_code = ?`, it.ImplCode)
	if err != nil {
		return err
	}
	if taken {
		return apperr.Field("impl_code", "实施编码 "+it.ImplCode+" 已存在")
	}
	return apperr.Field("code", "基本编码 "+it.Code+" 在该区域已有事项使用")
}

// CreateItem inserts it.
func (s *CatalogStore) CreateItem(ctx context.Context, it *catalog.Item) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO catalog_items (code, impl_code, region_id, department_id,
			status, status_reason, status_date, published_id, name, type, level, audiences, for_person, for_legal, themes,
			kind, promised_n, promised_unit, online, search_name, search_text, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			append([]any{it.Code, it.ImplCode, it.RegionID, it.DepartmentID}, itemValues(it)...)...)
		if err != nil {
			return s.itemConflict(ctx, err, it)
		}
		it.ID, err = res.LastInsertId()
		return err
	})
}

// itemValues are the columns from status to updated_at, in table order.
func itemValues(it *catalog.Item) []any {
	person, legal := catalog.AudienceFlags(it.Audiences)
	return []any{it.Status, it.StatusReason, catalog.DateText(it.StatusDate), nullID(it.PublishedID), it.Name, it.Type, it.Level,
		catalog.JoinList(it.Audiences), boolInt(person), boolInt(legal), catalog.JoinList(it.Themes), it.Kind,
		it.Promised.N, it.Promised.Unit, boolInt(it.Online), it.SearchName, it.SearchText, micro(it.CreatedAt), micro(it.UpdatedAt)}
}

// UpdateItem saves the status and listing columns.
func (s *CatalogStore) UpdateItem(ctx context.Context, it *catalog.Item) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `UPDATE catalog_items SET status = ?, status_reason = ?, status_date = ?,
			published_id = ?, name = ?, type = ?, level = ?, audiences = ?, for_person = ?, for_legal = ?, themes = ?,
			kind = ?, promised_n = ?, promised_unit = ?, online = ?, search_name = ?, search_text = ?, created_at = ?, updated_at = ?
			WHERE id = ?`, append(itemValues(it), it.ID)...)
		return mapError(err)
	})
}

// FindItemByID returns one item.
func (s *CatalogStore) FindItemByID(ctx context.Context, id int64) (*catalog.Item, error) {
	it, err := scanItem(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+itemColumns+itemFrom+` WHERE i.id = ?`, id))
	return it, notFound(err, "事项不存在")
}

// FindItemByImplCode returns the item with a 实施编码.
func (s *CatalogStore) FindItemByImplCode(ctx context.Context, code string) (*catalog.Item, error) {
	it, err := scanItem(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+itemColumns+itemFrom+` WHERE i.impl_code = ?`, code))
	return it, notFound(err, "实施编码为 "+code+" 的事项不存在")
}

// FindItemStamp returns the id and last change of the item with a 实施编码.
func (s *CatalogStore) FindItemStamp(ctx context.Context, code string) (catalog.Stamp, error) {
	const query = `SELECT id, updated_at FROM catalog_items WHERE impl_code = ?`
	var st catalog.Stamp
	var at int64
	var row *sql.Row
	if _, inTx := TxFromContext(ctx); inTx {
		row = s.db.q(ctx).QueryRowContext(ctx, query, code)
	} else {
		s.stampOnce.Do(func() { s.stamp, s.stampErr = s.db.read.PrepareContext(context.WithoutCancel(ctx), query) })
		if s.stampErr != nil {
			return st, mapError(s.stampErr)
		}
		row = s.stamp.QueryRowContext(ctx, code)
	}
	err := row.Scan(&st.ID, &at)
	st.UpdatedAt = fromMicro(at)
	return st, notFound(err, "实施编码为 "+code+" 的事项不存在")
}

// CatalogueStamp returns the number of items, the highest id and a
// checksum of the items' UpdatedAt: any item created or stamped anew
// changes it.
func (s *CatalogStore) CatalogueStamp(ctx context.Context) (string, error) {
	var n, top, sum int64
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT count(*), IFNULL(max(id), 0), IFNULL(sum(updated_at % 2147483647), 0)
		FROM catalog_items`).Scan(&n, &top, &sum)
	return fmt.Sprintf("%d:%d:%d", n, top, sum), mapError(err)
}

func anySlice[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// FindItems returns a page of items by name and the total.
func (s *CatalogStore) FindItems(ctx context.Context, f catalog.ItemFilter) ([]*catalog.Item, int, error) {
	return s.page(ctx, sqlcommon.ItemWhere(dialect, f), func(*sqlcommon.Where) string { return `i.name, i.id` }, f)
}

// SearchItems matches the folded query as a substring of each item's search
// text and ranks items whose name contains it first, earlier and shorter
// names before later and longer ones.
func (s *CatalogStore) SearchItems(ctx context.Context, q catalog.SearchQuery) ([]*catalog.Item, int, error) {
	w := sqlcommon.ItemWhere(dialect, q.ItemFilter)
	w.Add(w.Contains("i.search_text", q.Text))
	return s.page(ctx, w, func(w *sqlcommon.Where) string { return sqlcommon.ItemSearchOrder(w, q.Text) }, q.ItemFilter)
}

// page runs the count and the page query of a listing; order may add
// arguments after the filter's.
func (s *CatalogStore) page(ctx context.Context, w *sqlcommon.Where, order func(*sqlcommon.Where) string, f catalog.ItemFilter) ([]*catalog.Item, int, error) {
	var total int
	if err := s.db.q(ctx).QueryRowContext(ctx, `SELECT count(*)`+itemFrom+` WHERE `+w.SQL(), w.Args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	ord := order(w)
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+itemColumns+itemFrom+` WHERE `+w.SQL()+` ORDER BY `+ord+
		` LIMIT `+w.Arg(f.Limit)+` OFFSET `+w.Arg(f.Offset), w.Args...)
	items, err := collect(rows, err, scanItem)
	return items, total, err
}

var scanItem = shared(sqlcommon.ScanItem)
