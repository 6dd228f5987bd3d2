package demo

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"openhall/internal/catalog"
	"openhall/internal/catalog/sheet"
)

// catalogJSON is the demo catalogue: one object per item, keyed by the
// column headers of the Excel template, plus "部门" naming the department
// by its key in org.json. Cells left out take the department's defaults
// (its region's level, its centre's address and hours, its phone).
//
//go:embed data/catalog.json
var catalogJSON []byte

// loadCatalog creates, submits and publishes every demo item, attaching a
// generated blank form to each application form, then publishes a second
// version of one item so that its guide shows a change history.
func (l *loader) loadCatalog(ctx context.Context, ds *dataSet) error {
	var rows []sheet.Cells
	if err := json.Unmarshal(catalogJSON, &rows); err != nil {
		return fmt.Errorf("parse demo catalogue: %w", err)
	}
	forms := map[string]*catalog.FileRef{}
	for i, cells := range rows {
		if err := l.defaults(ctx, ds, cells); err != nil {
			return fmt.Errorf("demo item %d: %w", i+1, err)
		}
		in, errs := sheet.Parse(cells)
		if len(errs) > 0 {
			return fmt.Errorf("demo item %s: %s", cells["事项名称"], errs[0].Message)
		}
		if err := l.attachForms(ctx, &in.Guide, forms); err != nil {
			return err
		}
		if err := l.publishItem(ctx, in); err != nil {
			return fmt.Errorf("demo item %s: %w", in.Guide.Name, err)
		}
	}
	return l.reviseDemoItem(ctx)
}

// defaults fills the cells a department implies.
func (l *loader) defaults(ctx context.Context, ds *dataSet, cells sheet.Cells) error {
	key := cells["部门"]
	id, ok := l.depts[key]
	if !ok {
		return fmt.Errorf("unknown department %q", key)
	}
	d, err := l.s.Org.Department(ctx, id)
	if err != nil {
		return err
	}
	c, err := l.s.Org.Centre(ctx, *d.CentreID)
	if err != nil {
		return err
	}
	r, err := l.s.Org.Region(ctx, d.RegionID)
	if err != nil {
		return err
	}
	set := func(k, v string) {
		if _, ok := cells[k]; !ok {
			cells[k] = v
		}
	}
	set("实施部门统一社会信用代码", d.CreditCode)
	set("行使层级", fmt.Sprint(int(r.Level)))
	set("实施主体性质", "法定机关")
	set("通办范围", "不通办")
	set("办理形式", "窗口办理、网上办理")
	set("办理地点", c.Name+"（"+c.Address+"）")
	set("办理时间", c.Hours)
	set("咨询方式", d.Name+" "+d.Phone)
	set("监督投诉方式", "12345 政务服务便民热线；"+c.Name+"投诉受理窗口 "+c.Phone)
	if cells["是否收费"] != "是" {
		set("收费说明", "本事项不收费。")
	}
	return nil
}

// attachForms stores one generated blank form per application form name
// and points the material at it.
func (l *loader) attachForms(ctx context.Context, g *catalog.Guide, forms map[string]*catalog.FileRef) error {
	for i, m := range g.Materials {
		if !strings.HasSuffix(m.Name, "申请书") && !strings.HasSuffix(m.Name, "申请表") && !strings.HasSuffix(m.Name, "审批表") {
			continue
		}
		if forms[m.Name] == nil {
			data, err := sheet.BlankForm(m.Name)
			if err != nil {
				return err
			}
			f, err := l.s.Catalog.AddFile(ctx, l.sys, m.Name+"（空白表格）.xlsx", sheet.ContentType, data)
			if err != nil {
				return err
			}
			forms[m.Name] = &catalog.FileRef{ID: f.ID, Name: f.Name}
		}
		g.Materials[i].Form = forms[m.Name]
	}
	return nil
}

func (l *loader) publishItem(ctx context.Context, in catalog.ItemInput) error {
	it, _, err := l.s.Catalog.CreateItem(ctx, l.sys, in)
	if err != nil {
		return err
	}
	if _, err := l.s.Catalog.Submit(ctx, l.sys, it.ID); err != nil {
		return err
	}
	_, err = l.s.Catalog.Approve(ctx, l.sys, it.ID, catalog.ReviewInput{Note: "演示数据"})
	return err
}

// reviseDemoItem shortens the promised limit of 西湖区's 食品经营许可 in a
// second version.
func (l *loader) reviseDemoItem(ctx context.Context) error {
	its, _, err := l.s.Catalog.Items(ctx, catalog.ItemFilter{Code: "XK00013000", DepartmentID: l.depts["xh-scjg"], Limit: 1})
	if err != nil || len(its) == 0 {
		return fmt.Errorf("demo item to revise: %v", err)
	}
	v, err := l.s.Catalog.CurrentVersion(ctx, its[0].ID)
	if err != nil {
		return err
	}
	g := v.Guide
	g.PromisedLimit.N = 10
	g.Steps[1].Limit.N = 5
	g.Steps[2].Limit.N = 4
	if _, err := l.s.Catalog.SaveDraft(ctx, l.sys, its[0].ID, g); err != nil {
		return err
	}
	if _, err := l.s.Catalog.Submit(ctx, l.sys, its[0].ID); err != nil {
		return err
	}
	_, err = l.s.Catalog.Approve(ctx, l.sys, its[0].ID, catalog.ReviewInput{Note: "压缩承诺时限"})
	return err
}
