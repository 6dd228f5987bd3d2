package sources

import (
	"context"
	"fmt"
	"time"

	"openhall/internal/opendata"
	"openhall/internal/org"
)

// CaseStat is one department's cases filed in one month: how many, how
// many of them are closed, and how many of those closed by the promised
// date (among those that had one: cases refused at intake have none).
type CaseStat struct {
	DepartmentID int64
	Month        string // YYYY-MM of submission, China time
	Submitted    int64
	Closed       int64
	OnTimeBase   int64 // closed cases that had a promised date
	OnTime       int64 // closed on or before it
}

// Cases is case volumes and on-time rates per department and month
// (办件量与按期办结率) for the whole deployment, published by the top-level
// government. The store computes it with one GROUP BY over an index that
// covers the columns it reads.
type Cases struct {
	Stats interface {
		CaseMonthlyStats(ctx context.Context) ([]CaseStat, error)
	}
	Departments interface {
		Department(ctx context.Context, id int64) (*org.Department, error)
	}
}

// Key implements opendata.Source.
func (Cases) Key() string { return "cases.monthly" }

// Every implements opendata.Source.
func (Cases) Every() time.Duration { return time.Hour }

var caseColumns = []opendata.Column{
	text("month", "月份"), text("department", "部门"), integer("submitted", "申请量"), integer("closed", "已办结"),
	integer("on_time", "按期办结"), decimal("on_time_rate", "按期办结率（%）"),
}

// Datasets implements opendata.Source.
func (Cases) Datasets(context.Context) ([]opendata.Spec, error) {
	return []opendata.Spec{{Name: "case-volumes-monthly", Title: "政务服务办件量与按期办结率（按部门、月份）",
		Description: "各部门每月收到的政务服务申请数量，其中已办结的数量，以及在承诺办结日期前办结的数量和比例（按申请提交月份统计；不予受理等无承诺日期的办件不计入按期办结率）。每小时更新。",
		Theme:       "gov", Keywords: []string{"办件量", "按期办结率", "政务服务"}, Frequency: "daily", Columns: caseColumns}}, nil
}

// Rows implements opendata.Source.
func (c Cases) Rows(ctx context.Context, _ opendata.Spec, emit func([]string) error) error {
	stats, err := c.Stats.CaseMonthlyStats(ctx)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, s := range stats {
		name, ok := names[s.DepartmentID]
		if !ok {
			name = fmt.Sprintf("部门 %d", s.DepartmentID)
			if d, err := c.Departments.Department(ctx, s.DepartmentID); err == nil {
				name = d.Name
			}
			names[s.DepartmentID] = name
		}
		if err := emit([]string{s.Month, name, itoa(s.Submitted), itoa(s.Closed), itoa(s.OnTime), rate(s.OnTime, s.OnTimeBase)}); err != nil {
			return err
		}
	}
	return nil
}

// rate is a percentage with one decimal, "" when there is nothing to rate.
func rate(n, base int64) string {
	if base == 0 {
		return ""
	}
	return fmt.Sprintf("%.1f", float64(n)*100/float64(base))
}
