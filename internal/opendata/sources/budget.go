package sources

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"openhall/internal/budget"
	"openhall/internal/disclosure"
	"openhall/internal/opendata"
)

// Budgets is each agency's published budgets and final accounts (部门预决算)
// as one dataset: every line of every table, one row per amount column.
type Budgets struct {
	Agencies Agencies
	Sets     interface {
		Published(ctx context.Context, f budget.SetFilter) ([]*budget.View, error)
		PublishedSet(ctx context.Context, agencyID int64, year int, kind budget.Kind) (*budget.View, error)
	}
}

// Key implements opendata.Source (budget.Source, so the budget service's
// change notices name it).
func (Budgets) Key() string { return budget.Source }

// Every implements opendata.Source.
func (Budgets) Every() time.Duration { return time.Hour }

var budgetColumns = []opendata.Column{
	integer("year", "年度"), text("kind", "类型"), text("table", "报表"), text("code", "科目编码"), text("name", "科目名称"),
	text("column", "栏目"), decimal("amount", "金额（万元）"),
}

// Datasets implements opendata.Source: one per agency with a published
// department set, and one per finance department with a published
// government set (本级政府预决算).
func (b Budgets) Datasets(ctx context.Context) ([]opendata.Spec, error) {
	sets, err := b.Sets.Published(ctx, budget.SetFilter{})
	if err != nil {
		return nil, err
	}
	dept, gov := map[int64]bool{}, map[int64]bool{}
	for _, s := range sets {
		if s.Kind.Government() {
			gov[s.AgencyID] = true
		} else {
			dept[s.AgencyID] = true
		}
	}
	ags, err := b.Agencies.Agencies(ctx, disclosure.AgencyFilter{})
	if err != nil {
		return nil, err
	}
	var specs []opendata.Spec
	for _, ag := range ags {
		if dept[ag.ID] {
			specs = append(specs, budgetSpec(ag, strconv.FormatInt(ag.ID, 10), fmt.Sprintf("budget-%d", ag.ID), ag.Name+"部门预算和决算",
				ag.Name+"已公开的部门预算、决算报表：收支总表、收入总表、支出总表、财政拨款收支总表、一般公共预算支出表（功能分类到项）、一般公共预算基本支出表（经济分类到款）、政府性基金预算支出表和“三公”经费支出表，金额单位万元。预决算公开后自动更新。"))
		}
		if gov[ag.ID] {
			specs = append(specs, budgetSpec(ag, govPart+strconv.FormatInt(ag.ID, 10), fmt.Sprintf("gov-budget-%d", ag.ID), ag.Name+"公开的本级政府预算和决算",
				ag.Name+"公开的本级政府预算、决算报表：一般公共预算收支、收入（收入分类科目）、支出（功能分类到项）、基本支出（经济分类到款）、转移支付及分地区表、政府性基金和国有资本经营预算、本级“三公”经费，金额单位万元。预决算公开后自动更新。"))
		}
	}
	return specs, nil
}

// govPart marks the part of a government set's dataset.
const govPart = "gov-"

func budgetSpec(ag *disclosure.Agency, part, name, title, desc string) opendata.Spec {
	return opendata.Spec{Part: part, Name: name, Title: title, Description: desc,
		PublisherID: ag.ID, Theme: "finance", Keywords: []string{"预算", "决算", "三公经费", "财政"}, Frequency: "annual",
		Spatial: regionName(ag), Columns: budgetColumns}
}

// Rows implements opendata.Source: the part's sets, oldest year first.
func (b Budgets) Rows(ctx context.Context, sp opendata.Spec, emit func([]string) error) error {
	gov := strings.HasPrefix(sp.Part, govPart)
	agency, _ := strconv.ParseInt(strings.TrimPrefix(sp.Part, govPart), 10, 64)
	sets, err := b.Sets.Published(ctx, budget.SetFilter{AgencyID: agency})
	if err != nil {
		return err
	}
	for i := len(sets) - 1; i >= 0; i-- {
		if sets[i].Kind.Government() != gov {
			continue
		}
		full, err := b.Sets.PublishedSet(ctx, agency, sets[i].Year, sets[i].Kind)
		if err != nil {
			return err
		}
		if err := emitSet(full, emit); err != nil {
			return err
		}
	}
	return nil
}

func emitSet(v *budget.View, emit func([]string) error) error {
	sc := v.Kind.Schema()
	for _, l := range v.Lines {
		t := sc.Table(l.Table)
		for j, a := range l.Amounts {
			if err := emit([]string{strconv.Itoa(v.Year), v.Kind.Label(), t.Name, l.Code, l.Name, t.Columns[j], a.String()}); err != nil {
				return err
			}
		}
	}
	return nil
}
