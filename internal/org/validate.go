package org

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/pii"
)

// RegionInput creates or edits a region.
type RegionInput struct {
	ParentID *int64
	Code     string
	Name     string
	Level    Level
}

// CentreInput creates or edits a centre.
type CentreInput struct {
	RegionID int64
	Name     string
	Kind     CentreKind
	Address  string
	Phone    string
	Hours    string
}

// DepartmentInput creates or edits a department.
type DepartmentInput struct {
	RegionID   int64
	CentreID   *int64
	Name       string
	CreditCode string
	Phone      string
}

// WindowInput creates or edits a window.
type WindowInput struct {
	CentreID      int64
	Number        string
	Name          string
	Kind          WindowKind
	DepartmentIDs []int64
	StaffIDs      []int64
}

var (
	digits         = regexp.MustCompile(`^[0-9]+$`)
	windowNumber   = regexp.MustCompile(`^[A-Za-z0-9-]{1,10}$`)
	officePhone    = regexp.MustCompile(`^[0-9+() -]{5,30}$`)
	codeLenByLevel = map[Level]int{LevelNation: 6, LevelProvince: 6, LevelCity: 6, LevelCounty: 6, LevelTownship: 9, LevelVillage: 12}
)

// significant is how many leading digits of a region's code its descendants
// share: 2 for a province (33xxxx), 4 for a city, 6 for a county, 9 for a
// township (统计用区划代码).
func significant(l Level) int {
	switch l {
	case LevelProvince:
		return 2
	case LevelCity:
		return 4
	case LevelCounty:
		return 6
	case LevelTownship:
		return 9
	}
	return 0
}

func checkText(f *apperr.Fields, field, label, v string, max int, required bool) {
	n := utf8.RuneCountInString(v)
	f.Check(required && n == 0, field, "请填写"+label)
	f.Check(n > max, field, fmt.Sprintf("%s不能超过 %d 个字", label, max))
}

func (in *RegionInput) normalize() {
	in.Code, in.Name = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name)
}

// validate checks the region against its parent (nil for a root).
func (in *RegionInput) validate(parent *Region) error {
	var f apperr.Fields
	checkText(&f, "name", "区域名称", in.Name, 50, true)
	if !in.Level.Valid() {
		f.Add("level", "请选择有效的行政层级（1 国家 至 6 村/社区）")
	} else if want := codeLenByLevel[in.Level]; len(in.Code) != want || !digits.MatchString(in.Code) {
		f.Add("code", fmt.Sprintf("%s的区划代码应为 %d 位数字", in.Level.Label(), want))
	}
	if parent != nil && in.Level.Valid() {
		f.Check(in.Level <= parent.Level, "level", fmt.Sprintf("下级区域的层级须低于上级（上级为%s）", parent.Level.Label()))
		if n := significant(parent.Level); n > 0 && len(in.Code) >= n && in.Code[:n] != parent.Code[:n] {
			f.Add("code", fmt.Sprintf("区划代码须以上级区域代码的前 %d 位 %s 开头", n, parent.Code[:n]))
		}
	}
	return f.Err()
}

func (in *CentreInput) normalize() {
	in.Name, in.Address = strings.TrimSpace(in.Name), strings.TrimSpace(in.Address)
	in.Phone, in.Hours = strings.TrimSpace(in.Phone), strings.TrimSpace(in.Hours)
}

func (in *CentreInput) validate(region *Region) error {
	var f apperr.Fields
	checkText(&f, "name", "中心名称", in.Name, 100, true)
	checkText(&f, "address", "地址", in.Address, 200, false)
	checkText(&f, "hours", "办公时间", in.Hours, 200, false)
	f.Check(in.Phone != "" && !officePhone.MatchString(in.Phone), "phone", "联系电话格式不正确")
	switch {
	case !in.Kind.Valid():
		f.Add("kind", "请选择服务中心类型")
	case region != nil && !in.Kind.FitsLevel(region.Level):
		f.Add("kind", fmt.Sprintf("%s不能设在%s区域（政务服务中心设在省、市、县，便民服务中心设在乡镇街道，便民服务站和代办点设在村社区）", in.Kind.Label(), region.Level.Label()))
	}
	return f.Err()
}

func (in *DepartmentInput) normalize() {
	in.Name, in.Phone = strings.TrimSpace(in.Name), strings.TrimSpace(in.Phone)
	in.CreditCode = pii.NormalizeCreditCode(in.CreditCode)
}

func (in *DepartmentInput) validate(centre *Centre) error {
	var f apperr.Fields
	checkText(&f, "name", "部门名称", in.Name, 100, true)
	if in.CreditCode == "" {
		f.Add("credit_code", "请填写统一社会信用代码")
	} else {
		f.AddErr("credit_code", pii.CheckCreditCode(in.CreditCode))
	}
	f.Check(in.Phone != "" && !officePhone.MatchString(in.Phone), "phone", "联系电话格式不正确")
	f.Check(centre != nil && centre.RegionID != in.RegionID, "centre_id", "进驻的服务中心须在部门所属区域内")
	return f.Err()
}

func (in *WindowInput) normalize() {
	in.Number, in.Name = strings.ToUpper(strings.TrimSpace(in.Number)), strings.TrimSpace(in.Name)
	in.DepartmentIDs, in.StaffIDs = uniqueIDs(in.DepartmentIDs), uniqueIDs(in.StaffIDs)
}

func (in *WindowInput) validate() error {
	var f apperr.Fields
	f.Check(!windowNumber.MatchString(in.Number), "number", "窗口编号须为 1–10 位字母、数字或 -，如 A01")
	checkText(&f, "name", "窗口名称", in.Name, 50, true)
	switch in.Kind {
	case WindowDedicated:
		f.Check(len(in.DepartmentIDs) != 1, "department_ids", "专窗须且只能服务一个部门")
	case WindowComprehensive:
		f.Check(len(in.DepartmentIDs) == 0, "department_ids", "综合窗口须至少服务一个部门")
	default:
		f.Add("kind", "请选择窗口类型（专窗或综合窗口）")
	}
	return f.Err()
}

func uniqueIDs(ids []int64) []int64 {
	seen := map[int64]bool{}
	out := ids[:0:0]
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
