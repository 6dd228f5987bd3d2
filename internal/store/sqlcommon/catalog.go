package sqlcommon

import (
	"openhall/internal/catalog"
)

// ItemColumns are the columns ScanItem reads, from ItemFrom.
const ItemColumns = `i.id, i.code, i.impl_code, i.region_id, i.department_id, i.status, i.status_reason, i.status_date,
	i.published_id, i.name, i.type, i.level, i.audiences, i.themes, i.kind, i.promised_n, i.promised_unit, i.online,
	r.name, r.code, d.name, d.credit_code, i.created_at, i.updated_at`

// ItemFrom joins an item to its region and department.
const ItemFrom = ` FROM catalog_items i JOIN regions r ON r.id = i.region_id JOIN departments d ON d.id = i.department_id`

// ScanItem reads ItemColumns.
func ScanItem(r Scanner) (*catalog.Item, error) {
	var it catalog.Item
	var statusDate, audiences, themes string
	err := r.Scan(&it.ID, &it.Code, &it.ImplCode, &it.RegionID, &it.DepartmentID, &it.Status, &it.StatusReason, &statusDate,
		&it.PublishedID, &it.Name, &it.Type, &it.Level, &audiences, &themes, &it.Kind, &it.Promised.N, &it.Promised.Unit, &it.Online,
		&it.RegionName, &it.RegionCode, &it.DepartmentName, &it.DepartmentCode, Time(&it.CreatedAt), Time(&it.UpdatedAt))
	if err != nil {
		return nil, err
	}
	it.StatusDate, err = catalog.ParseDateText(statusDate)
	it.Audiences, it.Themes = catalog.SplitList[catalog.Audience](audiences), catalog.SplitList[string](themes)
	return &it, err
}

// ItemWhere is the WHERE clause of an item list.
func ItemWhere(d Dialect, f catalog.ItemFilter) *Where {
	w := NewWhere(d)
	if f.PublicOnly {
		w.Add("i.published_id IS NOT NULL")
	}
	if len(f.Statuses) > 0 {
		w.Add(w.InText("i.status", Texts(f.Statuses)))
	}
	for _, c := range []struct {
		cond string
		v    any
		set  bool
	}{
		{"i.department_id = ?", f.DepartmentID, f.DepartmentID != 0},
		{"i.region_id = ?", f.RegionID, f.RegionID != 0},
		{"i.level = ?", f.Level, f.Level != ""},
		{"i.for_legal = ?", true, f.Legal},
		{"i.type = ?", f.Type, f.Type != ""},
		{"i.code = ?", f.Code, f.Code != ""},
	} {
		if c.set {
			w.Add(c.cond, c.v)
		}
	}
	if f.PathPrefix != "" {
		w.Add(w.Prefix("r.path", f.PathPrefix))
	}
	if f.Audience != "" {
		w.Add(w.Contains("i.audiences", ","+string(f.Audience)+","))
	}
	if f.Theme != "" {
		w.Add(w.Contains("i.themes", ","+f.Theme+","))
	}
	return w
}

// ItemSearchOrder ranks items whose name contains q first, earlier and
// shorter names before later and longer ones; its arguments go to w.
func ItemSearchOrder(w *Where, q string) string {
	return w.Position("i.search_name", q) + ` = 0, ` + w.Position("i.search_name", q) + `, length(i.name), i.name, i.id`
}

// OpenVersionWhere is the WHERE clause of the versions under work.
func OpenVersionWhere(d Dialect, f catalog.OpenFilter) *Where {
	w := NewWhere(d)
	w.Add("state <> 'published'")
	if len(f.States) > 0 {
		w.Add(w.InText("state", Texts(f.States)))
	}
	if f.ItemID != 0 {
		w.Add("item_id = ?", f.ItemID)
	}
	return w
}
