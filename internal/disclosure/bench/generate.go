// Package bench generates government documents and requests in bulk and
// measures the portal's search and the annual report on them, for the
// benchmarks and `openhall bench-disclosure`. The generator is seeded, so a
// run is repeatable; the text mixes a few hundred administrative words with
// a long tail of rarer ones, as real catalogues do.
package bench

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"openhall/internal/calendar"
	"openhall/internal/disclosure"
	"openhall/internal/disclosure/search"
)

// subjects, actions and objects make titles like 关于进一步加强安全生产监督管理的通知.
var (
	issuers  = []string{"国办发", "国发", "浙政发", "浙政办发", "杭政发", "杭政办函", "西政发", "西政办发", "余政发", "西财预", "西人社发", "西市监", "西卫健", "西教发", "西住建"}
	actions  = []string{"关于进一步加强", "关于做好", "关于印发", "关于开展", "关于调整", "关于公布", "关于规范", "关于推进", "关于实施", "关于完善", "关于深化", "关于支持"}
	subjects = []string{"安全生产", "财政预算", "政府信息公开", "行政许可", "就业创业", "社会救助", "医疗保障", "义务教育", "住房保障", "养老服务",
		"食品药品", "环境保护", "城乡建设", "农村土地承包", "政务服务", "行政事业性收费", "公共资源交易", "重大建设项目", "突发公共事件", "统计调查",
		"税收优惠", "个人所得税", "企业所得税", "增值税", "营商环境", "市场监管", "知识产权", "交通运输", "水利工程", "防汛抗旱", "消防安全", "疫情防控",
		"老旧小区改造", "垃圾分类", "公务员招录", "事业单位招聘", "最低生活保障", "残疾人补贴", "高校毕业生", "退役军人", "乡村振兴", "数字政府"}
	objects = []string{"工作的通知", "管理办法", "实施意见", "实施细则", "若干措施", "工作方案", "暂行规定", "指导意见", "考核办法", "的公告", "情况的报告", "专项行动方案"}
	clauses = []string{"各级行政机关应当", "有关部门要", "各乡镇人民政府、街道办事处", "区级各部门", "申请人", "主管部门", "财政部门", "审批机关", "县级以上人民政府",
		"按照属地管理原则", "依照有关法律法规", "在规定期限内", "经审查符合条件的", "对违反本办法规定的", "自发布之日起", "根据工作需要"}
	verbs = []string{"落实", "公开", "组织实施", "加强监督检查", "建立健全", "依法办理", "及时报送", "统筹推进", "严格执行", "做好宣传解读", "予以补贴", "给予处罚",
		"定期公布", "受理申请", "开展评估", "核定标准", "完善制度", "强化保障"}
	tails = []string{"相关工作。", "有关事项。", "工作责任制。", "办理结果。", "资金使用情况。", "实施情况。", "年度计划。", "信息。", "政策措施。", "监督管理。"}
)

// rare are the long tail: words a single document may be the only one to use.
func rare(r *rand.Rand) string {
	places := []string{"翠苑", "文新", "古荡", "西溪", "转塘", "留下", "蒋村", "三墩", "双浦", "灵隐", "北山", "东平", "龙坞", "九莲", "紫金港"}
	things := []string{"路", "桥", "公园", "小学", "卫生院", "菜场", "停车场", "泵站", "绿道", "驿站"}
	return places[r.IntN(len(places))] + things[r.IntN(len(things))] + fmt.Sprintf("%d号", r.IntN(300)+1)
}

func pick(r *rand.Rand, xs []string) string {
	// Squaring the index skews choices towards the front: a Zipf-like mix.
	f := r.Float64()
	return xs[int(f*f*float64(len(xs)))]
}

// DocNo returns the 文号 of generated document i.
func DocNo(i int) string {
	return fmt.Sprintf("%s〔%d〕%d号", issuers[i%len(issuers)], 2010+i%16, 1+i/len(issuers)%997)
}

// RefBase is added to a generated document's number to make its search
// ref, so that generated items never collide with real documents.
const RefBase = 1 << 27

// Docs generates documents first … first+n-1 (refs RefBase+i), dated
// 2010–2026.
func Docs(first, n int, seed uint64) []search.Doc {
	r := rand.New(rand.NewPCG(seed, uint64(first)))
	out := make([]search.Doc, n)
	for k := range out {
		i := first + k
		subject := pick(r, subjects)
		title := pick(r, actions) + subject + pick(r, objects)
		out[k] = search.Doc{Kind: search.KindDocument, Ref: int64(RefBase + i), Scope: int64(1 + i%4), Title: title, Number: DocNo(i),
			Summary: subject + "相关政策的主要内容和适用范围。", Body: body(r, subject),
			Category: disclosure.Categories[r.IntN(15)].Code, Topic: disclosure.Topics[r.IntN(len(disclosure.Topics))],
			Validity: []string{"valid", "valid", "valid", "repealed", "expired"}[r.IntN(5)],
			Date:     calendar.NewDate(2010+r.IntN(16), 1, 1).AddDays(r.IntN(365)), URL: disclosure.DocURL(int64(RefBase + i))}
	}
	return out
}

// body writes five to fourteen sentences about the subject.
func body(r *rand.Rand, subject string) string {
	var b strings.Builder
	for s := 5 + r.IntN(10); s > 0; s-- {
		b.WriteString(pick(r, clauses))
		if r.IntN(3) == 0 {
			b.WriteString("在" + rare(r) + "周边")
		}
		b.WriteString(pick(r, verbs) + subject + pick(r, tails))
	}
	return b.String()
}
