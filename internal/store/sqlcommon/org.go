package sqlcommon

import (
	"openhall/internal/org"
)

// RegionColumns are the columns ScanRegion reads.
const RegionColumns = `id, parent_id, code, name, level, path, created_at, updated_at`

// ScanRegion reads RegionColumns.
func ScanRegion(r Scanner) (*org.Region, error) {
	var reg org.Region
	err := r.Scan(&reg.ID, &reg.ParentID, &reg.Code, &reg.Name, &reg.Level, &reg.Path, Time(&reg.CreatedAt), Time(&reg.UpdatedAt))
	if err != nil {
		return nil, err
	}
	return &reg, nil
}

// RegionWhere is the WHERE clause of a region list.
func RegionWhere(d Dialect, f org.RegionFilter) *Where {
	w := NewWhere(d)
	if f.ParentID != nil {
		w.Add("parent_id = ?", *f.ParentID)
	}
	if f.Roots {
		w.Add("parent_id IS NULL")
	}
	if f.PathPrefix != "" {
		w.Add(w.Prefix("path", f.PathPrefix))
	}
	if f.MaxLevel > 0 {
		w.Add("level <= ?", f.MaxLevel)
	}
	if f.Code != "" {
		w.Add("code = ?", f.Code)
	}
	return w
}

// CentreColumns are the columns ScanCentre reads, from CentreFrom.
const CentreColumns = `c.id, c.region_id, c.name, c.kind, c.address, c.phone, c.hours, r.name, r.path, c.created_at, c.updated_at`

// CentreFrom joins a centre to its region.
const CentreFrom = ` FROM centres c JOIN regions r ON r.id = c.region_id`

// ScanCentre reads CentreColumns.
func ScanCentre(r Scanner) (*org.Centre, error) {
	var c org.Centre
	err := r.Scan(&c.ID, &c.RegionID, &c.Name, &c.Kind, &c.Address, &c.Phone, &c.Hours, &c.RegionName, &c.RegionPath, Time(&c.CreatedAt), Time(&c.UpdatedAt))
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// CentreWhere is the WHERE clause of a centre list.
func CentreWhere(d Dialect, f org.CentreFilter) *Where {
	w := NewWhere(d)
	if f.RegionID != nil {
		w.Add("c.region_id = ?", *f.RegionID)
	}
	if f.PathPrefix != "" {
		w.Add(w.Prefix("r.path", f.PathPrefix))
	}
	return w
}

// DepartmentColumns are the columns ScanDepartment reads, from
// DepartmentFrom.
const DepartmentColumns = `d.id, d.region_id, d.centre_id, d.name, d.credit_code, d.phone, r.name, COALESCE(c.name, ''), d.created_at, d.updated_at`

// DepartmentFrom joins a department to its region and centre.
const DepartmentFrom = ` FROM departments d JOIN regions r ON r.id = d.region_id LEFT JOIN centres c ON c.id = d.centre_id`

// ScanDepartment reads DepartmentColumns.
func ScanDepartment(r Scanner) (*org.Department, error) {
	var d org.Department
	err := r.Scan(&d.ID, &d.RegionID, &d.CentreID, &d.Name, &d.CreditCode, &d.Phone, &d.RegionName, &d.CentreName,
		Time(&d.CreatedAt), Time(&d.UpdatedAt))
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// DepartmentWhere is the WHERE clause of a department list.
func DepartmentWhere(d Dialect, f org.DepartmentFilter) *Where {
	w := NewWhere(d)
	if f.RegionID != nil {
		w.Add("d.region_id = ?", *f.RegionID)
	}
	if f.CentreID != nil {
		w.Add("d.centre_id = ?", *f.CentreID)
	}
	if f.PathPrefix != "" {
		w.Add(w.Prefix("r.path", f.PathPrefix))
	}
	if f.CreditCode != "" {
		w.Add("d.credit_code = ?", f.CreditCode)
	}
	return w
}

// WindowWhere is the WHERE clause of a window list (windows w joined to
// their centre c and its region r).
func WindowWhere(d Dialect, f org.WindowFilter) *Where {
	w := NewWhere(d)
	if f.CentreID != nil {
		w.Add("w.centre_id = ?", *f.CentreID)
	}
	if f.PathPrefix != "" {
		w.Add(w.Prefix("r.path", f.PathPrefix))
	}
	return w
}
