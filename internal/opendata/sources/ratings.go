package sources

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"openhall/internal/identity"
	"openhall/internal/opendata"
	"openhall/internal/rating"
)

// Ratings is the 好差评 statistics per department and month: how many
// ratings, each of the five levels, the share of good ones, and how the
// bad ones were handled (国办发〔2019〕51号 asks for the figures to be
// published; the columns follow the platform's own figures page). The
// figures are those of the evaluation: appeals upheld are left out.
type Ratings struct {
	Figures interface {
		Figures(ctx context.Context, a *identity.Actor, q rating.FigureQuery) (*rating.Figures, error)
	}
	Now func() time.Time
}

// Key implements opendata.Source.
func (Ratings) Key() string { return "ratings.monthly" }

// Every implements opendata.Source.
func (Ratings) Every() time.Duration { return time.Hour }

var ratingColumns = []opendata.Column{
	text("month", "月份"), text("department", "部门"), integer("total", "评价数"), integer("very_satisfied", "非常满意"),
	integer("satisfied", "满意"), integer("basically_satisfied", "基本满意"), integer("dissatisfied", "不满意"),
	integer("very_dissatisfied", "非常不满意"), decimal("good_rate", "好评率（%）"), integer("bad", "差评数"),
	integer("tickets", "差评工单"), integer("rectified", "已整改或解释"), decimal("rectify_rate", "差评整改率（%）"),
}

// Datasets implements opendata.Source.
func (Ratings) Datasets(context.Context) ([]opendata.Spec, error) {
	return []opendata.Spec{{Name: "service-ratings-monthly", Title: "政务服务好差评统计（按部门、月份）",
		Description: "近 24 个月各部门每月收到的政务服务评价数量、五个评价等级的分布、好评率，以及差评工单的整改情况" +
			"（经申诉核实为恶意的差评不计入）。每小时更新。",
		Theme: "gov", Keywords: []string{"好差评", "满意度", "政务服务"}, Frequency: "daily", Columns: ratingColumns}}, nil
}

// Rows implements opendata.Source.
func (r Ratings) Rows(ctx context.Context, _ opendata.Spec, emit func([]string) error) error {
	for _, m := range recentMonths(r.Now()) {
		f, err := r.Figures.Figures(ctx, identity.SystemActor(), rating.FigureQuery{By: rating.ByDepartment, From: m.From, To: m.To})
		if err != nil {
			return err
		}
		for _, row := range f.Rows {
			if err := emit(ratingRow(m.Label, row)); err != nil {
				return err
			}
		}
	}
	return nil
}

func ratingRow(month string, r rating.FigureRow) []string {
	out := []string{month, r.Label, strconv.Itoa(r.Total)}
	for _, n := range r.Levels {
		out = append(out, strconv.Itoa(n))
	}
	return append(out, percentText(r.Good, r.Total), strconv.Itoa(r.Bad), strconv.Itoa(r.Tickets), strconv.Itoa(r.Rectified),
		percentText(r.Rectified, r.Tickets))
}

// percentText is n of base in percent with one decimal, "" when base is 0.
func percentText(n, base int) string {
	if base == 0 {
		return ""
	}
	return fmt.Sprintf("%.1f", float64(n)*100/float64(base))
}
