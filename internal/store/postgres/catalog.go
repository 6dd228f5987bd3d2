package postgres

import (
	"context"
	"fmt"

	"openhall/internal/apperr"
	"openhall/internal/catalog"
	"openhall/internal/store/sqlcommon"
)

// CatalogStore implements catalog.Store.
type CatalogStore struct{ db *DB }

// Catalog returns the catalogue store.
func (db *DB) Catalog() *CatalogStore { return &CatalogStore{db} }

const itemColumns = sqlcommon.ItemColumns

const itemFrom = sqlcommon.ItemFrom

// itemConflict names the field a unique violation is about.
func itemConflict(err error, it *catalog.Item) error {
	if !isUnique(err) {
		return mapError(err)
	}
	if constraint(err) == "catalog_items_impl_code_key" {
		return apperr.Field("impl_code", "实施编码 "+it.ImplCode+" 已存在")
	}
	return apperr.Field("code", "基本编码 "+it.Code+" 在该区域已有事项使用")
}

// CreateItem inserts it.
func (s *CatalogStore) CreateItem(ctx context.Context, it *catalog.Item) error {
	err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO catalog_items (code, impl_code, region_id, department_id,
		status, status_reason, status_date, published_id, name, type, level, audiences, for_person, for_legal, themes,
		kind, promised_n, promised_unit, online, search_name, search_text, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
		RETURNING id`, append([]any{it.Code, it.ImplCode, it.RegionID, it.DepartmentID}, itemValues(it)...)...).Scan(&it.ID)
	if err != nil {
		return itemConflict(err, it)
	}
	return nil
}

// itemValues are the columns from status to updated_at, in table order.
func itemValues(it *catalog.Item) []any {
	person, legal := catalog.AudienceFlags(it.Audiences)
	return []any{it.Status, it.StatusReason, catalog.DateText(it.StatusDate), it.PublishedID, it.Name, it.Type, it.Level,
		catalog.JoinList(it.Audiences), person, legal, catalog.JoinList(it.Themes), it.Kind,
		it.Promised.N, it.Promised.Unit, it.Online, it.SearchName, it.SearchText, it.CreatedAt, it.UpdatedAt}
}

// UpdateItem saves the status and listing columns.
func (s *CatalogStore) UpdateItem(ctx context.Context, it *catalog.Item) error {
	_, err := s.db.q(ctx).Exec(ctx, `UPDATE catalog_items SET status = $1, status_reason = $2, status_date = $3,
		published_id = $4, name = $5, type = $6, level = $7, audiences = $8, for_person = $9, for_legal = $10, themes = $11,
		kind = $12, promised_n = $13, promised_unit = $14, online = $15, search_name = $16, search_text = $17,
		created_at = $18, updated_at = $19 WHERE id = $20`, append(itemValues(it), it.ID)...)
	return mapError(err)
}

// FindItemByID returns one item.
func (s *CatalogStore) FindItemByID(ctx context.Context, id int64) (*catalog.Item, error) {
	it, err := scanItem(s.db.q(ctx).QueryRow(ctx, `SELECT `+itemColumns+itemFrom+` WHERE i.id = $1`, id))
	return it, notFound(err, "事项不存在")
}

// FindItemByImplCode returns the item with a 实施编码.
func (s *CatalogStore) FindItemByImplCode(ctx context.Context, code string) (*catalog.Item, error) {
	it, err := scanItem(s.db.q(ctx).QueryRow(ctx, `SELECT `+itemColumns+itemFrom+` WHERE i.impl_code = $1`, code))
	return it, notFound(err, "实施编码为 "+code+" 的事项不存在")
}

// FindItemStamp returns the id and last change of the item with a 实施编码.
func (s *CatalogStore) FindItemStamp(ctx context.Context, code string) (catalog.Stamp, error) {
	var st catalog.Stamp
	err := s.db.q(ctx).QueryRow(ctx, `SELECT id, updated_at FROM catalog_items WHERE impl_code = $1`, code).Scan(&st.ID, &st.UpdatedAt)
	st.UpdatedAt = st.UpdatedAt.UTC()
	return st, notFound(err, "实施编码为 "+code+" 的事项不存在")
}

// CatalogueStamp returns the number of items, the highest id and a
// checksum of the items' UpdatedAt: any item created or stamped anew
// changes it.
func (s *CatalogStore) CatalogueStamp(ctx context.Context) (string, error) {
	var n, top, sum int64
	err := s.db.q(ctx).QueryRow(ctx, `SELECT count(*), COALESCE(max(id), 0),
		COALESCE(sum((extract(epoch FROM updated_at) * 1000000)::bigint % 2147483647), 0)::bigint
		FROM catalog_items`).Scan(&n, &top, &sum)
	return fmt.Sprintf("%d:%d:%d", n, top, sum), mapError(err)
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
	if err := s.db.q(ctx).QueryRow(ctx, `SELECT count(*)`+itemFrom+` WHERE `+w.SQL(), w.Args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	ord := order(w)
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+itemColumns+itemFrom+` WHERE `+w.SQL()+` ORDER BY `+ord+
		` LIMIT `+w.Arg(f.Limit)+` OFFSET `+w.Arg(f.Offset), w.Args...)
	items, err := collect(rows, err, scanItem)
	return items, total, err
}

var scanItem = shared(sqlcommon.ScanItem)
