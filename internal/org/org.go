// Package org owns the administrative structure: regions from province to
// village (GB/T 39046 A.2 levels), the service centres in them, the
// departments stationed in the centres (进驻部门) and the windows (专窗,
// 综合窗口) that serve those departments.
package org

import (
	"context"
	"time"

	"openhall/internal/audit"
)

// Level is an administrative level per GB/T 39046-2020 A.2 (行使层级).
type Level int

// Levels.
const (
	LevelNation   Level = 1 // 国家
	LevelProvince Level = 2 // 省
	LevelCity     Level = 3 // 市
	LevelCounty   Level = 4 // 县
	LevelTownship Level = 5 // 镇（乡、街道）
	LevelVillage  Level = 6 // 村（社区）
)

// Levels lists every level in order.
var Levels = []Level{LevelNation, LevelProvince, LevelCity, LevelCounty, LevelTownship, LevelVillage}

// Label is the level's name in GB/T 39046.
func (l Level) Label() string {
	switch l {
	case LevelNation:
		return "国家级"
	case LevelProvince:
		return "省级"
	case LevelCity:
		return "市级"
	case LevelCounty:
		return "县级"
	case LevelTownship:
		return "乡镇（街道）级"
	case LevelVillage:
		return "村（社区）级"
	}
	return "未知层级"
}

// Valid reports whether l is a known level.
func (l Level) Valid() bool { return l >= LevelNation && l <= LevelVillage }

// Region is one administrative region.
type Region struct {
	ID        int64
	ParentID  *int64
	Code      string // 行政区划代码: 6 digits (to county), 9 (township), 12 (village)
	Name      string
	Level     Level
	Path      string // "/1/4/9/": ids from the root, for subtree checks
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CentreKind is the kind of a service centre.
type CentreKind string

// Centre kinds.
const (
	CentreGovService  CentreKind = "gov_service_centre"  // 政务服务中心 (province, city, county)
	CentreConvenience CentreKind = "convenience_centre"  // 便民服务中心 (township)
	CentreStation     CentreKind = "convenience_station" // 便民服务站 (village)
	CentreProxyPoint  CentreKind = "proxy_point"         // 代办点 (village)
)

// CentreKinds lists the kinds in display order.
var CentreKinds = []CentreKind{CentreGovService, CentreConvenience, CentreStation, CentreProxyPoint}

// Label is the kind's Chinese name.
func (k CentreKind) Label() string {
	switch k {
	case CentreGovService:
		return "政务服务中心"
	case CentreConvenience:
		return "便民服务中心"
	case CentreStation:
		return "便民服务站"
	case CentreProxyPoint:
		return "代办点"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k CentreKind) Valid() bool {
	for _, c := range CentreKinds {
		if c == k {
			return true
		}
	}
	return false
}

// FitsLevel reports whether a centre of kind k may stand in a region of level l.
func (k CentreKind) FitsLevel(l Level) bool {
	switch k {
	case CentreGovService:
		return l >= LevelProvince && l <= LevelCounty
	case CentreConvenience:
		return l == LevelTownship
	case CentreStation, CentreProxyPoint:
		return l == LevelVillage
	}
	return false
}

// Centre is a service centre.
type Centre struct {
	ID         int64
	RegionID   int64
	Name       string
	Kind       CentreKind
	Address    string
	Phone      string
	Hours      string // opening hours as shown to the public
	RegionName string // filled when loaded
	RegionPath string // filled when loaded
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Department is a government department.
type Department struct {
	ID         int64
	RegionID   int64
	CentreID   *int64 // the centre it is stationed in (进驻), if any
	Name       string
	CreditCode string // 统一社会信用代码, GB 32100
	Phone      string
	RegionName string // filled when loaded
	CentreName string // filled when loaded
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// WindowKind is the kind of a window.
type WindowKind string

// Window kinds.
const (
	WindowDedicated     WindowKind = "dedicated"     // 专窗: one department
	WindowComprehensive WindowKind = "comprehensive" // 综合窗口: several departments (一窗受理)
)

// Label is the kind's Chinese name.
func (k WindowKind) Label() string {
	switch k {
	case WindowDedicated:
		return "专窗"
	case WindowComprehensive:
		return "综合窗口"
	}
	return string(k)
}

// Window is a service window in a centre.
type Window struct {
	ID            int64
	CentreID      int64
	Number        string // "A01"
	Name          string
	Kind          WindowKind
	DepartmentIDs []int64
	StaffIDs      []int64
	CentreName    string // filled when loaded
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Store is what org needs from storage. Methods join the transaction in ctx.
type Store interface {
	CreateRegion(ctx context.Context, r *Region) error // Conflict on a duplicate code
	UpdateRegion(ctx context.Context, r *Region) error
	FindRegionByID(ctx context.Context, id int64) (*Region, error) // NotFound
	FindRegions(ctx context.Context, f RegionFilter) ([]*Region, error)
	CountRegionChildren(ctx context.Context, id int64) (int, error)

	CreateCentre(ctx context.Context, c *Centre) error
	UpdateCentre(ctx context.Context, c *Centre) error
	FindCentreByID(ctx context.Context, id int64) (*Centre, error)
	FindCentres(ctx context.Context, f CentreFilter) ([]*Centre, error)

	CreateDepartment(ctx context.Context, d *Department) error // Conflict on a duplicate credit code or name
	UpdateDepartment(ctx context.Context, d *Department) error
	FindDepartmentByID(ctx context.Context, id int64) (*Department, error)
	FindDepartments(ctx context.Context, f DepartmentFilter) ([]*Department, error)

	CreateWindow(ctx context.Context, w *Window) error // Conflict on a duplicate number in the centre
	UpdateWindow(ctx context.Context, w *Window) error // replaces departments and staff
	FindWindowByID(ctx context.Context, id int64) (*Window, error)
	FindWindows(ctx context.Context, f WindowFilter) ([]*Window, error)
	// StaffKinds returns the account kind of each user id that exists.
	StaffKinds(ctx context.Context, userIDs []int64) (map[int64]string, error)
}

// RegionFilter selects regions; zero fields do not filter.
type RegionFilter struct {
	ParentID   *int64
	Roots      bool   // only regions without a parent
	PathPrefix string // only a subtree
	MaxLevel   Level
	Code       string // one region by its 区划代码
}

// CentreFilter selects centres.
type CentreFilter struct {
	RegionID   *int64
	PathPrefix string
}

// DepartmentFilter selects departments.
type DepartmentFilter struct {
	RegionID   *int64
	CentreID   *int64
	PathPrefix string
	CreditCode string
}

// WindowFilter selects windows.
type WindowFilter struct {
	CentreID   *int64
	PathPrefix string
}

// Transactor runs fn in one transaction.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Auditor appends to the audit log inside the caller's transaction.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) error
}
