package sources

import (
	"context"
	"strconv"
	"time"

	"openhall/internal/complaint"
	"openhall/internal/identity"
	"openhall/internal/opendata"
)

// Complaints is the complaint statistics per department (the one a
// complaint was assigned to) and month: received, refused, answered, and
// how the complainants rated the answers. It carries counts only, never a
// complaint's text or its complainant.
type Complaints struct {
	Figures interface {
		Figures(ctx context.Context, a *identity.Actor, q complaint.FigureQuery) (*complaint.Figures, error)
	}
	Now func() time.Time
}

// Key implements opendata.Source.
func (Complaints) Key() string { return "complaints.monthly" }

// Every implements opendata.Source.
func (Complaints) Every() time.Duration { return time.Hour }

var complaintColumns = []opendata.Column{
	text("month", "月份"), text("department", "部门"), integer("received", "收到投诉"), integer("refused", "不予受理"),
	integer("answered", "已答复"), integer("rated", "答复已评价"), integer("satisfied", "评价满意"),
	decimal("satisfied_rate", "答复满意率（%）"), integer("reopened", "重新办理"),
}

// Datasets implements opendata.Source.
func (Complaints) Datasets(context.Context) ([]opendata.Spec, error) {
	return []opendata.Spec{{Name: "complaints-monthly", Title: "政务服务投诉办理统计（按部门、月份）",
		Description: "近 24 个月各部门每月收到的政务服务投诉数量、不予受理和已答复的数量、投诉人对答复的评价及满意率、" +
			"重新办理的数量（仅统计数字，不含投诉内容和投诉人信息）。每小时更新。",
		Theme: "gov", Keywords: []string{"投诉", "政务服务", "监督"}, Frequency: "daily", Columns: complaintColumns}}, nil
}

// Rows implements opendata.Source.
func (c Complaints) Rows(ctx context.Context, _ opendata.Spec, emit func([]string) error) error {
	for _, m := range recentMonths(c.Now()) {
		f, err := c.Figures.Figures(ctx, identity.SystemActor(), complaint.FigureQuery{By: "department", From: m.From, To: m.To})
		if err != nil {
			return err
		}
		for _, r := range f.Rows {
			row := []string{m.Label, r.Label, strconv.Itoa(r.Received), strconv.Itoa(r.Refused), strconv.Itoa(r.Answered),
				strconv.Itoa(r.Rated), strconv.Itoa(r.Satisfied), percentText(r.Satisfied, r.Rated), strconv.Itoa(r.Reopened)}
			if err := emit(row); err != nil {
				return err
			}
		}
	}
	return nil
}
