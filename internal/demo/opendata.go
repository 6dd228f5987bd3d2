package demo

import (
	"context"
	"fmt"
	"strings"

	"openhall/internal/budget"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
	"openhall/internal/opendata"
)

// loadOpenData publishes last year's budgets of two agencies and the
// district government's own (本级) budget through the
// disclosure workflow, describes three uploaded datasets (open,
// conditional, not open) and runs the platform's own dataset sources once.
func (l *loader) loadOpenData(ctx context.Context, _ *dataSet) error {
	officer, err := l.actor(ctx, "officer")
	if err != nil {
		return err
	}
	reviewer, err := l.actor(ctx, "reviewer")
	if err != nil {
		return err
	}
	dept, err := l.s.Disclosure.AgencyByName(ctx, "西湖区市场监督管理局")
	if err != nil {
		return err
	}
	gov, err := l.s.Disclosure.AgencyByName(ctx, "西湖区人民政府")
	if err != nil {
		return err
	}
	year := l.s.Budget.Today().Year() - 1
	for _, set := range []struct {
		ag    *disclosure.Agency
		kind  budget.Kind
		lines []budget.Line
	}{{dept, budget.KindBudget, budget.Sample(100)}, {gov, budget.KindBudget, budget.Sample(100)},
		{gov, budget.KindGovBudget, budget.SampleGovernment(100)}} {
		if err := l.lastYearBudget(ctx, officer, reviewer, set.ag, year, set.kind, set.lines); err != nil {
			return fmt.Errorf("demo %s of %s: %w", set.kind.Label(), set.ag.Name, err)
		}
	}
	if err := l.demoDatasets(ctx, officer, dept, gov); err != nil {
		return err
	}
	_, err = l.s.OpenData.Regenerate(ctx, "", true)
	return err
}

// lastYearBudget enters last year's budget (imported late, so its clock
// shows 逾期公开) and publishes it through 保密审查 and approval.
func (l *loader) lastYearBudget(ctx context.Context, officer, reviewer *identity.Actor, ag *disclosure.Agency, year int,
	kind budget.Kind, lines []budget.Line) error {
	b := l.s.Budget
	explain := "本单位机关运行经费主要用于办公、差旅、公务接待和公务用车运行维护，全部在一般公共预算基本支出的公用经费中安排。“三公”经费按厉行节约要求从严控制。"
	if kind.Government() {
		explain = "本级预算经区人民代表大会批准。一般性转移支付分地区列示；专项转移支付、政府债务限额和余额情况在本说明中列示。本级“三公”经费按厉行节约要求从严控制。"
	}
	set, err := b.CreateSet(ctx, officer, budget.SetInput{AgencyID: ag.ID, Year: year, Kind: kind,
		ApprovedOn: fmt.Sprintf("%d-02-10", year), Explanation: explain})
	if err != nil {
		return err
	}
	if _, err := b.SaveLines(ctx, officer, set.ID, lines); err != nil {
		return err
	}
	if set, err = b.Submit(ctx, officer, set.ID); err != nil {
		return err
	}
	d := l.s.Disclosure
	if _, err := d.Review(ctx, reviewer, *set.DocID, disclosure.ReviewInput{Conclusion: disclosure.ConcludePass,
		Basis: "《保守国家秘密法》第三十五条；《预算法》第十四条"}); err != nil {
		return err
	}
	if _, err := d.Approve(ctx, reviewer, *set.DocID); err != nil {
		return err
	}
	_, err = d.Publish(ctx, officer, *set.DocID)
	return err
}

// demoUpload is an uploaded dataset of the demo.
type demoUpload struct {
	agency *disclosure.Agency
	in     opendata.DatasetInput
	csv    string
}

func (l *loader) demoDatasets(ctx context.Context, officer *identity.Actor, dept, gov *disclosure.Agency) error {
	cols := func(spec string) []opendata.Column {
		var out []opendata.Column
		for _, c := range strings.Split(spec, ";") {
			p := strings.Split(c, ":")
			out = append(out, opendata.Column{Name: p[0], Title: p[1], Type: opendata.ColumnType(p[2])})
		}
		return out
	}
	uploads := []demoUpload{
		{dept, opendata.DatasetInput{Name: "xihu-food-licences", Title: "西湖区食品经营许可证发放统计",
			Description: "西湖区市场监督管理局按街道、月份统计的食品经营许可证新发、延续和注销数量。", Theme: "market",
			Keywords: "食品经营许可，市场监管", Frequency: "monthly", License: "cc-by-4.0", Tier: opendata.TierOpen,
			Spatial: "西湖区", TemporalFrom: "2025-01-01", TemporalTo: "2025-12-31",
			Columns: cols("month:月份:text;street:街道:text;issued:新发:integer;renewed:延续:integer;cancelled:注销:integer")},
			"月份,街道,新发,延续,注销\n2025-01,北山街道,12,5,2\n2025-01,三墩镇,20,8,3\n2025-02,北山街道,9,4,1\n2025-02,三墩镇,15,6,4\n2025-03,北山街道,14,7,2\n2025-03,三墩镇,22,9,5\n"},
		{dept, opendata.DatasetInput{Name: "xihu-business-register", Title: "西湖区个体工商户登记信息",
			Description: "西湖区个体工商户的字号、行业、经营场所所在街道和登记日期。涉及经营者经营信息，有条件开放。", Theme: "market",
			Keywords: "个体工商户，登记", Frequency: "weekly", License: "gov-open", Tier: opendata.TierConditional,
			TierReason: "仅限科研、公益和企业征信用途；不得用于营销推送；使用者应采取数据安全保护措施。", Spatial: "西湖区",
			Columns: cols("trade_name:字号:text;industry:行业:text;street:街道:text;registered_on:登记日期:date;capital:资金数额（万元）:decimal")},
			"字号,行业,街道,登记日期,资金数额（万元）\n西湖龙井茶行,批发和零售业,北山街道,2025-03-02,10\n三墩面馆,住宿和餐饮业,三墩镇,2025-04-18,5.5\n兰里农家乐,住宿和餐饮业,三墩镇,2025-05-06,20\n宝石文具店,批发和零售业,北山街道,2025-06-21,3\n"},
		{gov, opendata.DatasetInput{Name: "xihu-service-halls", Title: "西湖区政务服务场所名录",
			Description: "西湖区政务服务中心、便民服务中心和村（社区）代办点的名称、地址和办公时间。", Theme: "gov",
			Keywords: "政务服务中心，便民服务", Frequency: "irregular", License: "cc0-1.0", Tier: opendata.TierOpen, Spatial: "西湖区",
			Columns: cols("name:名称:text;address:地址:text;hours:办公时间:text")},
			"名称,地址,办公时间\n西湖区政务服务中心,杭州市西湖区文三路588号,周一至周五 9:00–12:00，13:30–17:30\n三墩镇便民服务中心,杭州市西湖区三墩镇振华路,周一至周五 8:30–12:00，13:30–17:00\n兰里村便民服务站（代办点）,三墩镇兰里村村委会一楼,周一至周六 8:30–11:30，14:00–17:00\n"},
	}
	for _, u := range uploads {
		if err := l.demoUpload(ctx, officer, u); err != nil {
			return fmt.Errorf("demo dataset %s: %w", u.in.Name, err)
		}
	}
	closed := opendata.DatasetInput{PublisherID: dept.ID, Name: "xihu-special-equipment-operators", Title: "西湖区特种设备作业人员名单",
		Description: "持证特种设备作业人员的姓名、证件号码和作业类别。", Theme: "safety", Frequency: "monthly", License: "gov-open",
		ContactName: "特种设备安全监察科", ContactPhone: "0571-87061315", Tier: opendata.TierClosed,
		TierReason: "含个人身份信息，公开会侵害个人隐私（政府信息公开条例第十五条、个人信息保护法第二十五条）",
		Columns: []opendata.Column{{Name: "name", Title: "姓名", Type: opendata.TypeText, Personal: true},
			{Name: "id_number", Title: "证件号码", Type: opendata.TypeText, Personal: true}, {Name: "category", Title: "作业类别", Type: opendata.TypeText}}}
	d, err := l.s.OpenData.SaveDataset(ctx, officer, 0, closed)
	if err != nil {
		return fmt.Errorf("demo closed dataset: %w", err)
	}
	_, err = l.s.OpenData.SetStatus(ctx, officer, d.ID, opendata.StatusPublished)
	return err
}

func (l *loader) demoUpload(ctx context.Context, officer *identity.Actor, u demoUpload) error {
	u.in.PublisherID, u.in.ContactName, u.in.ContactPhone = u.agency.ID, u.agency.Name+"办公室", u.agency.Phone
	u.in.ContactEmail = "opendata@xihu.example.gov.cn"
	d, err := l.s.OpenData.SaveDataset(ctx, officer, 0, u.in)
	if err != nil {
		return err
	}
	if _, err := l.s.OpenData.Upload(ctx, officer, d.ID, u.in.Name+".csv", []byte(u.csv)); err != nil {
		return err
	}
	_, err = l.s.OpenData.SetStatus(ctx, officer, d.ID, opendata.StatusPublished)
	return err
}
