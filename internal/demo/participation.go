package demo

import (
	"context"
	"fmt"

	"openhall/internal/catalog"
	"openhall/internal/consult"
	"openhall/internal/disclosure"
	"openhall/internal/mailbox"
	"openhall/internal/pii"
	"openhall/internal/powers"
	"openhall/internal/publicity"
)

// loadParticipation opens 西湖区's mailboxes, a consultation and a survey,
// and publishes 西湖区市场监督管理局's powers for food business with their
// discretion benchmark and two penalty decisions, through the services.
func (l *loader) loadParticipation(ctx context.Context, _ *dataSet) error {
	xh, err := l.s.Disclosure.AgencyByName(ctx, "西湖区人民政府")
	if err != nil {
		return err
	}
	for _, step := range []func(context.Context) error{
		func(ctx context.Context) error { return l.demoMailboxes(ctx, xh) },
		func(ctx context.Context) error { return l.demoConsultation(ctx, xh) },
		func(ctx context.Context) error { return l.demoSurvey(ctx, xh) },
		l.demoPowers,
		l.demoPenalties,
	} {
		if err := step(ctx); err != nil {
			return fmt.Errorf("demo participation: %w", err)
		}
	}
	return nil
}

func (l *loader) demoMailboxes(ctx context.Context, xh *disclosure.Agency) error {
	officer, _ := l.actor(ctx, "officer")
	for _, in := range []mailbox.MailboxInput{
		{AgencyID: xh.ID, Name: "区长信箱", Kind: mailbox.KindLeader, Days: 10, Active: true,
			Intro: "欢迎就本区经济社会发展、城市管理和政务服务提出意见建议。来信将在 10 个工作日内答复。"},
		{AgencyID: xh.ID, Name: "网上咨询", Kind: mailbox.KindConsult, Days: 5, Active: true,
			Intro: "办事咨询，5 个工作日内答复。紧急事项请拨打 12345。"},
	} {
		if _, err := l.s.Mailbox.SaveMailbox(ctx, officer, 0, in); err != nil {
			return err
		}
	}
	return nil
}

const demoDraft = `为了规范本区养犬行为，保障公民健康和人身安全，维护市容环境和社会秩序，根据有关法律法规，结合本区实际，制定本办法。
第一条 本办法适用于本区行政区域内犬只的饲养、经营和管理。
第二条 养犬人应当依法为犬只办理登记，并按规定为犬只注射狂犬病疫苗。
第三条 携犬出户时，应当为犬只束犬链，由完全民事行为能力人牵领，并主动避让他人。
第四条 重点管理区内禁止饲养烈性犬、大型犬。具体品种目录由区公安机关会同有关部门制定并公布。
第五条 本办法自公布之日起施行。`

func (l *loader) demoConsultation(ctx context.Context, xh *disclosure.Agency) error {
	officer, _ := l.actor(ctx, "officer")
	c, err := l.s.Consult.Create(ctx, officer, consult.Input{AgencyID: xh.ID, Title: "西湖区养犬管理办法（征求意见稿）", Draft: demoDraft,
		Explanation: "为回应群众对文明养犬的关切，区政府组织起草了本办法。现向社会公开征求意见，欢迎针对具体条款提出修改意见。",
		Channels:    "电子邮件 yqfk@xihu.example.gov.cn；信函寄西湖区人民政府办公室", Days: 30, RealName: true})
	if err != nil {
		return err
	}
	_, err = l.s.Consult.Publish(ctx, officer, c.ID)
	return err
}

func (l *loader) demoSurvey(ctx context.Context, xh *disclosure.Agency) error {
	officer, _ := l.actor(ctx, "officer")
	qs, err := consult.ParseQuestions("单选|您对区政务服务中心的总体评价|非常满意;满意;一般;不满意\n多选|您最常办理的业务|户籍;社保;市场主体登记;不动产\n填空|您的其他建议")
	if err != nil {
		return err
	}
	closes := l.s.Consult.Today().AddDays(60)
	sv, err := l.s.Consult.CreateSurvey(ctx, officer, consult.SurveyInput{AgencyID: xh.ID, Title: "政务服务满意度网上调查",
		Intro: "请花一分钟告诉我们您的办事体验。", Questions: qs, ClosesOn: closes.String()})
	if err != nil {
		return err
	}
	_, err = l.s.Consult.PublishSurvey(ctx, officer, sv.ID)
	return err
}

// foodPenalty is the discretion benchmark of 食品安全法 Art 122 ¶1 (未取得
// 许可从事食品经营, 货值金额不足一万元: 五万元以上十万元以下罚款) split into steps
// as local benchmarks commonly do; the split is illustrative.
func foodPenalty() powers.Content {
	kinds := []string{"没收违法所得", "没收非法财物", "罚款"}
	basis := "《中华人民共和国食品安全法》第一百二十二条第一款"
	return powers.Content{Name: "对未取得食品经营许可从事食品经营活动的行政处罚", Type: catalog.TypePenalty,
		Bases:   []powers.Basis{{Law: "《中华人民共和国食品安全法》", Article: "第一百二十二条"}, {Law: "《中华人民共和国行政处罚法》", Article: "第三十四条"}},
		Subject: "西湖区市场监督管理局", Undertaker: "执法稽查科", Process: "立案—调查取证—审查—告知—听证（依申请）—决定—送达—执行",
		Duties:         []string{"立案责任", "调查取证责任", "审查责任", "告知责任", "决定责任", "送达责任", "执行责任"},
		Accountability: []string{"没有法律依据实施处罚的", "擅自改变处罚种类、幅度的", "违反法定程序实施处罚的", "对应当处罚的违法行为不予处罚的"},
		Supervision:    "监督电话 0571-87061315",
		Benchmarks: []powers.Benchmark{
			{Violation: "未取得食品经营许可从事食品经营（货值金额不足一万元）", Basis: basis, Level: powers.LevelLight,
				Circumstance: "首次违法，主动停止并消除危害后果", Kinds: kinds, FineMin: 50000_00, FineMax: 70000_00},
			{Violation: "未取得食品经营许可从事食品经营（货值金额不足一万元）", Basis: basis, Level: powers.LevelGeneral,
				Circumstance: "一般情形", Kinds: kinds, FineMin: 70000_00, FineMax: 85000_00},
			{Violation: "未取得食品经营许可从事食品经营（货值金额不足一万元）", Basis: basis, Level: powers.LevelHeavy,
				Circumstance: "经责令改正拒不改正，或造成危害后果", Kinds: kinds, FineMin: 85000_00, FineMax: 100000_00},
		}}
}

func (l *loader) demoPowers(ctx context.Context) error {
	approver, _ := l.actor(ctx, "approver")
	head, _ := l.actor(ctx, "depthead")
	dept := l.depts["xh-scjg"]
	items, _, err := l.s.Catalog.Items(ctx, catalog.ItemFilter{DepartmentID: dept, Code: "XK00013000", Limit: 1})
	if err != nil || len(items) == 0 {
		return fmt.Errorf("demo item 食品经营许可: %v", err)
	}
	licence := foodPenalty()
	licence.Name, licence.Type, licence.Benchmarks, licence.ItemIDs = "食品经营许可", catalog.TypeLicence, nil, []int64{items[0].ID}
	licence.Bases = []powers.Basis{{Law: "《中华人民共和国食品安全法》", Article: "第三十五条"}}
	licence.Process = "申请—受理—审查—现场核查（必要时）—决定—送达"
	licence.Duties = []string{"受理责任", "审查责任", "决定责任", "送达责任", "事后监管责任"}
	for _, in := range []powers.Input{{DepartmentID: dept, Code: "XK00013000", Content: licence},
		{DepartmentID: dept, Code: "CF00001000", Content: foodPenalty()}} {
		_, v, err := l.s.Powers.Create(ctx, approver, in)
		if err != nil {
			return err
		}
		if _, err := l.s.Powers.Submit(ctx, approver, v.ID); err != nil {
			return err
		}
		if _, err := l.s.Powers.Approve(ctx, head, v.ID); err != nil {
			return err
		}
	}
	return nil
}

func (l *loader) demoPenalties(ctx context.Context) error {
	approver, _ := l.actor(ctx, "approver")
	day := l.s.Publicity.Today().AddDays(-3).String()
	for i, in := range []publicity.PenaltyInput{
		{Number: "杭西市监处罚〔2026〕101号", HolderKind: "法人", HolderName: "杭州西溪某某餐饮管理有限公司", CreditCode: creditCode("91330106MA2KD0QX1"),
			Fine: "60000", BenchmarkSeq: 1},
		{Number: "杭西市监处罚〔2026〕102号", HolderKind: "自然人", HolderName: "陈某某", Fine: "75000", BenchmarkSeq: 2},
	} {
		in.DepartmentID, in.Title, in.Basis, in.DecidedOn, in.PowerCode = l.depts["xh-scjg"], "未取得食品经营许可从事食品经营",
			"《中华人民共和国食品安全法》第一百二十二条第一款", day, "CF00001000"
		in.Kinds, in.Content = []string{"没收违法所得", "罚款"}, fmt.Sprintf("没收违法所得，并处罚款 %s 元", in.Fine)
		if _, err := l.s.Publicity.EnterPenalty(ctx, approver, in); err != nil {
			return fmt.Errorf("demo penalty %d: %w", i+1, err)
		}
	}
	return nil
}

// creditCode completes 17 characters with their check character.
func creditCode(first string) string {
	c, err := pii.CreditCheckChar(first)
	if err != nil {
		panic(err)
	}
	return first + string(c)
}
