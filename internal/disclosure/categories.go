package disclosure

// Category is an item of Art 20 (what every agency publishes) or Art 21
// (what city, county and township governments add).
type Category struct {
	Code  string
	Label string
}

// Categories lists every item: the fifteen of Art 20, the seven of Art 21 ¶1
// (设区的市级、县级人民政府及其部门), the eight of Art 21 ¶2 (乡镇人民政府) and the
// annual report (Art 49–50).
var Categories = []Category{
	{"a20-1", "第二十条（一）行政法规、规章和规范性文件"},
	{"a20-2", "第二十条（二）机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"},
	{"a20-3", "第二十条（三）国民经济和社会发展规划、专项规划、区域规划及相关政策"},
	{"a20-4", "第二十条（四）国民经济和社会发展统计信息"},
	{"a20-5", "第二十条（五）行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果"},
	{"a20-6", "第二十条（六）行政处罚、行政强制的依据、条件、程序以及具有一定社会影响的行政处罚决定"},
	{"a20-7", "第二十条（七）财政预算、决算信息"},
	{"a20-8", "第二十条（八）行政事业性收费项目及其依据、标准"},
	{"a20-9", "第二十条（九）政府集中采购项目的目录、标准及实施情况"},
	{"a20-10", "第二十条（十）重大建设项目的批准和实施情况"},
	{"a20-11", "第二十条（十一）扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况"},
	{"a20-12", "第二十条（十二）突发公共事件的应急预案、预警信息及应对情况"},
	{"a20-13", "第二十条（十三）环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"},
	{"a20-14", "第二十条（十四）公务员招考的职位、名额、报考条件等事项以及录用结果"},
	{"a20-15", "第二十条（十五）法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息"},
	{"a21-c1", "第二十一条 市政建设"},
	{"a21-c2", "第二十一条 公共服务"},
	{"a21-c3", "第二十一条 公益事业"},
	{"a21-c4", "第二十一条 土地征收"},
	{"a21-c5", "第二十一条 房屋征收"},
	{"a21-c6", "第二十一条 治安管理"},
	{"a21-c7", "第二十一条 社会救助"},
	{"a21-t1", "第二十一条（乡镇）贯彻落实农业农村政策措施"},
	{"a21-t2", "第二十一条（乡镇）农田水利工程建设运营"},
	{"a21-t3", "第二十一条（乡镇）农村土地承包经营权流转"},
	{"a21-t4", "第二十一条（乡镇）宅基地使用情况审核"},
	{"a21-t5", "第二十一条（乡镇）土地征收"},
	{"a21-t6", "第二十一条（乡镇）房屋征收"},
	{"a21-t7", "第二十一条（乡镇）筹资筹劳"},
	{"a21-t8", "第二十一条（乡镇）社会救助"},
	{"a49", "政府信息公开工作年度报告（第四十九条、第五十条）"},
}

// CategoryLabel returns the label of a category code, "" if unknown.
func CategoryLabel(code string) string {
	for _, c := range Categories {
		if c.Code == code {
			return c.Label
		}
	}
	return ""
}

// Topics is the 主题分类 scheme. [?] It follows the classes seen on gov.cn's
// State Council document pages (综合政务, 财政、金融、审计 …); the reference
// notes the exact list was not verified against gov.cn, so agencies should
// check it before relying on it.
var Topics = []string{
	"国务院组织机构", "综合政务", "国民经济管理、国有资产监管", "财政、金融、审计", "国土资源、能源",
	"农业、林业、水利", "工业、交通", "商贸、海关、旅游", "市场监管、安全生产监管", "城乡建设、环境保护",
	"科技、教育", "文化、广电、新闻出版", "卫生、体育", "人口与计划生育、妇女儿童工作", "劳动、人事、监察",
	"公安、安全、司法", "民政、扶贫、救灾", "民族、宗教", "对外事务", "港澳台侨工作", "国防", "其他",
}

// KnownTopic reports whether t is in Topics.
func KnownTopic(t string) bool {
	for _, x := range Topics {
		if x == t {
			return true
		}
	}
	return false
}

// WithholdReasons are the legal grounds for not disclosing (Arts 14–16,
// 36(7)); the codes are shared with the answers to requests and map to the
// rows of Table 3 三（三）.
var WithholdReasons = []Category{
	{"secret", "属于国家秘密（第十四条）"},
	{"law", "其他法律行政法规禁止公开（第十四条）"},
	{"safety", "危及“三安全一稳定”（第十四条）"},
	{"third_party", "保护第三方合法权益（第十五条）"},
	{"internal", "属于三类内部事务信息（第十六条第一款）"},
	{"process", "属于四类过程性信息（第十六条第二款）"},
	{"enforcement", "属于行政执法案卷（第十六条第二款）"},
	{"query", "属于行政查询事项（第三十六条第七项）"},
}

// WithholdLabel returns the label of a reason code, "" if unknown.
func WithholdLabel(code string) string {
	for _, c := range WithholdReasons {
		if c.Code == code {
			return c.Label
		}
	}
	return ""
}
