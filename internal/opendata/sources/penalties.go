package sources

import (
	"context"
	"fmt"
	"strings"
	"time"

	"openhall/internal/opendata"
	"openhall/internal/publicity"
)

// Penalties is the 行政处罚 half of 双公示: the penalty decisions the
// 双公示 register shows today, as it shows them (a natural person's name
// masked, no identity number; an entry leaves when its publication period
// ends, and a revoked one stays marked 已撤销 — 行政处罚法 Art 48 ¶2).
// The column set follows the register's, which follows the 信用中国
// 行政处罚 data standard (that text was not read here: unverified).
type Penalties struct {
	Register interface {
		Search(ctx context.Context, q publicity.Search) (*publicity.Page, error)
	}
}

// Key implements opendata.Source.
func (Penalties) Key() string { return "publicity.penalties" }

// Every implements opendata.Source.
func (Penalties) Every() time.Duration { return time.Hour }

var penaltyColumns = []opendata.Column{
	text("decision_no", "行政处罚决定书文号"), text("offence", "违法行为类型"), text("holder", "行政相对人名称"),
	text("holder_kind", "行政相对人类别"), text("credit_code", "统一社会信用代码"), text("basis", "处罚依据"),
	text("kinds", "处罚类别"), text("content", "处罚内容"), decimal("fine_yuan", "罚款金额（元）"),
	date("decided_on", "处罚决定日期"), date("public_until", "公示截止期"), text("authority", "处罚机关"), text("status", "状态"),
}

// Datasets implements opendata.Source.
func (Penalties) Datasets(context.Context) ([]opendata.Spec, error) {
	return []opendata.Spec{{Name: "penalty-decisions", Title: "行政处罚决定（双公示）",
		Description: "双公示目录中正在公示的行政处罚决定：决定书文号、违法行为类型、行政相对人、处罚依据、类别和内容、罚款金额、" +
			"决定日期、公示截止期和处罚机关。自然人仅公示姓氏，不公示身份证件号码；公示期满的决定不再列出。每小时更新。",
		Theme: "market", Keywords: []string{"双公示", "行政处罚", "信用信息"}, Frequency: "daily", Columns: penaltyColumns}}, nil
}

// Rows implements opendata.Source: the register newest decision first,
// a page at a time.
func (p Penalties) Rows(ctx context.Context, _ opendata.Spec, emit func([]string) error) error {
	q := publicity.Search{Kind: publicity.KindPenalty, Limit: 100}
	for {
		page, err := p.Register.Search(ctx, q)
		if err != nil {
			return err
		}
		for _, e := range page.Entries {
			if err := emit(penaltyRow(e)); err != nil {
				return err
			}
		}
		if page.Next == 0 {
			return nil
		}
		q.Before = page.Next
	}
}

func penaltyRow(e *publicity.Entry) []string {
	fine := ""
	if e.FineFen > 0 {
		fine = fmt.Sprintf("%d.%02d", e.FineFen/100, e.FineFen%100)
	}
	return []string{e.Number, e.Title, e.HolderName, e.HolderKind.Label(), e.CreditCode, e.Basis, strings.Join(e.PenaltyKinds, "、"),
		e.Content, fine, dateText(e.DecidedOn), dateText(e.PublicUntil), e.DeptName, e.Status.Label()}
}
