package demo

import (
	"context"
	"embed"
	"fmt"

	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// The laws in data/laws are a small sample of the laws corpus (national
// laws and regulations, which carry no copyright under 著作权法 Art 5),
// enough to make the demo portal searchable without shipping the corpus.
//
//go:embed data/laws
var demoLaws embed.FS

// DisclosureAccounts are the demo accounts the disclosure step adds.
var DisclosureAccounts = []Account{{"reviewer", "公开专员（保密审查、审批）· 西湖区"}}

const demoGuide = `## 一、主动公开

本机关主动公开的政府信息通过本平台“政府信息公开目录”发布，目录按公开类别和主题分类编排，每条信息列明索引号、名称、内容概述和生成日期。

## 二、依申请公开

公民、法人或者其他组织可以通过本平台在线申请，也可以当面、邮寄或传真提交申请。申请内容不明确的，本机关在收到申请之日起 7 个工作日内一次性告知补正；能够当场答复的当场答复，不能当场答复的在收到申请之日起 20 个工作日内答复。

## 三、监督和救济

认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法申请行政复议或者提起行政诉讼。`

// loadDisclosure sets up three agencies, publishes the sample laws under
// the provincial one, and gives 西湖区 a policy with its interpretation, an
// overdue draft and two requests, through the same services users call.
func (l *loader) loadDisclosure(ctx context.Context, _ *dataSet) error {
	d := l.s.Disclosure
	province, err := l.agency(ctx, "330000", nil, "浙江省人民政府", "002482050")
	if err != nil {
		return err
	}
	if _, err := d.ImportLaws(ctx, province.ID, demoLaws, "data/laws", 0, func(string, error) {}); err != nil {
		return fmt.Errorf("demo laws: %w", err)
	}
	xh, err := l.agency(ctx, "330106", nil, "西湖区人民政府", "002482133")
	if err != nil {
		return err
	}
	dept := l.depts["xh-scjg"]
	if _, err := l.agency(ctx, "330106", &dept, "西湖区市场监督管理局", "11330106002525810K"); err != nil {
		return err
	}
	if err := l.addReviewer(ctx); err != nil {
		return err
	}
	if err := l.demoDocuments(ctx, xh); err != nil {
		return err
	}
	return l.demoRequests(ctx, xh)
}

func (l *loader) agency(ctx context.Context, region string, dept *int64, name, code string) (*disclosure.Agency, error) {
	ag, err := l.s.Disclosure.SaveAgency(ctx, l.sys, 0, disclosure.AgencyInput{RegionID: l.regions[region].ID, DepartmentID: dept,
		Name: name, Code: code, Guide: demoGuide, Address: "杭州市西湖区文三路588号", Phone: "0571-87061234",
		Hours: "周一至周五 9:00–12:00，13:30–17:30"})
	if err != nil {
		return nil, fmt.Errorf("agency %s: %w", name, err)
	}
	return ag, nil
}

func (l *loader) addReviewer(ctx context.Context) error {
	u, err := l.s.Identity.CreateUser(ctx, l.sys, identity.UserInput{Kind: identity.KindStaff, Username: "reviewer",
		Name: "李审查", Password: Password})
	if err != nil {
		return fmt.Errorf("user reviewer: %w", err)
	}
	region := l.regions["330106"].ID
	_, err = l.s.Identity.GrantRole(ctx, l.sys, identity.GrantInput{UserID: u.ID, Role: string(identity.RoleDisclosureOfficer), RegionID: &region})
	return err
}

// actor logs a demo account in, to act as it.
func (l *loader) actor(ctx context.Context, username string) (*identity.Actor, error) {
	_, a, err := l.s.Identity.Login(ctx, identity.LoginInput{Username: username, Password: Password, Address: "127.0.0.1"})
	return a, err
}

func (l *loader) demoDocuments(ctx context.Context, xh *disclosure.Agency) error {
	officer, err := l.actor(ctx, "officer")
	if err != nil {
		return err
	}
	reviewer, err := l.actor(ctx, "reviewer")
	if err != nil {
		return err
	}
	d, today := l.s.Disclosure, l.s.Disclosure.Today()
	policy, err := d.SaveDocument(ctx, officer, 0, disclosure.DocInput{AgencyID: xh.ID, Title: "西湖区关于支持高校毕业生就业创业的若干意见",
		DocNo: "西政发[2026]1号", Topic: "劳动、人事、监察", Genre: disclosure.GenreNormative, Category: "a20-11", NeedsInterp: true,
		Summary: "从就业补贴、创业担保贷款、见习岗位等方面支持高校毕业生在西湖区就业创业。", FormedOn: today.AddDays(-3).String(),
		Body: "## 一、就业补贴\n\n对在本区就业的高校毕业生给予一次性就业补贴。\n\n## 二、创业支持\n\n符合条件的创业项目可申请创业担保贷款。"})
	if err != nil {
		return fmt.Errorf("demo policy: %w", err)
	}
	interp, err := d.SaveDocument(ctx, officer, 0, disclosure.DocInput{AgencyID: xh.ID, Title: "《西湖区关于支持高校毕业生就业创业的若干意见》政策解读",
		Topic: "劳动、人事、监察", Genre: disclosure.GenreInterp, Category: "a20-11", InterpretsID: &policy.ID, FormedOn: today.AddDays(-3).String(),
		Summary: "解读就业补贴的对象、标准和申领方式。", Body: "问：哪些毕业生可以申领就业补贴？\n\n答：毕业两年内在本区就业的高校毕业生。"})
	if err != nil {
		return fmt.Errorf("demo interpretation: %w", err)
	}
	for _, id := range []int64{policy.ID, interp.ID} {
		if err := l.approve(ctx, officer, reviewer, id); err != nil {
			return err
		}
	}
	if _, err := d.Publish(ctx, officer, policy.ID); err != nil {
		return fmt.Errorf("publish demo policy: %w", err)
	}
	_, err = d.SaveDocument(ctx, officer, 0, disclosure.DocInput{AgencyID: xh.ID, Title: "西湖区2025年老旧小区改造项目清单",
		Topic: "城乡建设、环境保护", Genre: disclosure.GenreOther, Category: "a20-10", FormedOn: today.AddDays(-45).String(),
		Summary: "逾期未公开的示例草稿：成文已超过 20 个工作日。"})
	return err
}

func (l *loader) approve(ctx context.Context, drafter, reviewer *identity.Actor, id int64) error {
	d := l.s.Disclosure
	if _, err := d.Submit(ctx, drafter, id); err != nil {
		return err
	}
	if _, err := d.Review(ctx, reviewer, id, disclosure.ReviewInput{Conclusion: disclosure.ConcludePass,
		Basis: "《保守国家秘密法》第三十五条；《政府信息公开条例》第十七条"}); err != nil {
		return err
	}
	_, err := d.Approve(ctx, reviewer, id)
	return err
}

func (l *loader) demoRequests(ctx context.Context, xh *disclosure.Agency) error {
	citizen, err := l.actor(ctx, "citizen")
	if err != nil {
		return err
	}
	officer, err := l.actor(ctx, "officer")
	if err != nil {
		return err
	}
	d := l.s.Disclosure
	if _, err := d.SubmitRequest(ctx, citizen, disclosure.RequestInput{AgencyID: xh.ID, Channel: disclosure.ChannelOnline,
		Name: citizen.Name, Description: "西湖区2025年老旧小区改造项目清单及资金安排", Delivery: "电子邮件"}); err != nil {
		return fmt.Errorf("demo online request: %w", err)
	}
	_, err = d.SubmitRequest(ctx, officer, disclosure.RequestInput{AgencyID: xh.ID, Channel: disclosure.ChannelInPerson,
		ApplicantType: disclosure.ApplicantBusiness, Name: "杭州西溪科技有限公司", IDType: "统一社会信用代码", IDNumber: "91330106MA2CXXXX0X",
		Phone: "0571-88886666", Description: "2025年度企业研发补助资金拨付名单", Delivery: "纸质文本"})
	if err != nil {
		return fmt.Errorf("demo in-person request: %w", err)
	}
	return nil
}
