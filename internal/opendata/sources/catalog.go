package sources

import (
	"context"
	"strings"
	"time"

	"openhall/internal/catalog"
	"openhall/internal/opendata"
)

// Catalog is the service catalogue (事项目录与办事指南) as one dataset: every
// published item with the main facts of the guide in effect today.
type Catalog struct {
	Items interface {
		PublicItems(ctx context.Context, f catalog.ItemFilter) ([]*catalog.Item, int, error)
		CurrentVersion(ctx context.Context, itemID int64) (*catalog.Version, error)
	}
	BaseURL string // the portal's address, for the guide links ("" = relative)
}

// Key implements opendata.Source.
func (Catalog) Key() string { return "catalog.items" }

// Every implements opendata.Source.
func (Catalog) Every() time.Duration { return 30 * time.Minute }

var catalogColumns = []opendata.Column{
	text("impl_code", "实施编码"), text("code", "基本编码"), text("name", "事项名称"), text("type", "事项类型"),
	text("level", "行使层级"), text("department", "实施主体"), text("region", "行政区划"), text("status", "事项状态"),
	integer("legal_limit", "法定办结时限"), text("legal_unit", "法定时限单位"),
	integer("promised_limit", "承诺办结时限"), text("promised_unit", "承诺时限单位"), text("kind", "办件类型"),
	text("charged", "是否收费"), integer("materials", "申请材料数"), integer("steps", "办理环节数"),
	text("online", "是否网上办理"), text("url", "办事指南"),
}

// Datasets implements opendata.Source.
func (c Catalog) Datasets(ctx context.Context) ([]opendata.Spec, error) {
	return []opendata.Spec{{Name: "service-catalogue", Title: "政务服务事项目录与办事指南",
		Description: "本平台公开的全部政务服务事项及其现行办事指南要点：事项编码、类型、层级、实施主体、法定与承诺办结时限、办件类型、收费、申请材料与办理环节数量。由事项目录自动生成，指南变更后更新。",
		Theme:       "gov", Keywords: []string{"政务服务", "办事指南", "事项目录"}, Frequency: "daily", Columns: catalogColumns}}, nil
}

// Rows implements opendata.Source.
func (c Catalog) Rows(ctx context.Context, _ opendata.Spec, emit func([]string) error) error {
	f := catalog.ItemFilter{Limit: catalog.MaxPage}
	for f.Offset = 0; ; f.Offset += catalog.MaxPage {
		items, total, err := c.Items.PublicItems(ctx, f)
		if err != nil {
			return err
		}
		for _, it := range items {
			v, err := c.Items.CurrentVersion(ctx, it.ID)
			if err != nil {
				return err
			}
			if err := emit(c.row(it, v)); err != nil {
				return err
			}
		}
		if f.Offset+catalog.MaxPage >= total {
			return nil
		}
	}
}

func (c Catalog) row(it *catalog.Item, v *catalog.Version) []string {
	g := v.Guide
	yes := func(b bool) string { return map[bool]string{true: "是", false: "否"}[b] }
	return []string{it.ImplCode, it.Code, g.Name, g.Type.Label(), g.Level.Label(), it.DepartmentName, it.RegionName,
		it.Status.Label(), itoa(int64(g.LegalLimit.N)), g.LegalLimit.Unit.Label(), itoa(int64(g.PromisedLimit.N)),
		g.PromisedLimit.Unit.Label(), g.Kind.Label(), yes(g.Fees.Charged), itoa(int64(len(g.Materials))),
		itoa(int64(len(g.Steps))), yes(g.Online), strings.TrimSuffix(c.BaseURL, "/") + "/items/" + it.ImplCode}
}
