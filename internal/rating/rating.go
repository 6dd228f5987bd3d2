// Package rating runs 好差评, the evaluation of government services by the
// people served (国办发〔2019〕51号; GB/T 39734-2020 政务服务评价工作规范 and
// GB/T 39735-2020 政务服务评价工作指南): 一事一评 of a case by its applicant,
// 一次一评 of a window visit (on the counter tablet, by SMS link or by the
// QR code on the receipt), the default rating of a case left unrated, the
// rectification ticket every bad review opens (回访 → 核实 → 整改 or 解释说明
// → 反馈 → 二次评价, with 申诉复核 against false reviews), the figures per
// department, window, person and item, and the export and import in the
// national interface's format.
//
// What the reference knows of the national rules is cited where used; the
// clauses of GB/T 39734 §7.1 (评价次数), §7.2 (评价时效), §9.2–9.3 (差评分类
// and 处置) were seen by number only, their text and figures were not read:
// every rule taken from them is marked "unverified" in a comment.
package rating

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// Level is a satisfaction level in the order of GB/T 39046-2020 A.8 (满意度
// 代码): 1 非常满意 … 5 非常不满意. The national 好差评 interface numbers the
// same levels the other way round; see NationalSatisfaction.
type Level int

// Levels (国办发〔2019〕51号: five levels).
const (
	VerySatisfied    Level = 1 // 非常满意
	Satisfied        Level = 2 // 满意
	FairlySatisfied  Level = 3 // 基本满意
	Dissatisfied     Level = 4 // 不满意
	VeryDissatisfied Level = 5 // 非常不满意
)

// Levels lists the levels from best to worst.
var Levels = []Level{VerySatisfied, Satisfied, FairlySatisfied, Dissatisfied, VeryDissatisfied}

// Label is the level's Chinese name.
func (l Level) Label() string {
	switch l {
	case VerySatisfied:
		return "非常满意"
	case Satisfied:
		return "满意"
	case FairlySatisfied:
		return "基本满意"
	case Dissatisfied:
		return "不满意"
	case VeryDissatisfied:
		return "非常不满意"
	}
	return "未评价"
}

// Valid reports whether l is one of the five levels.
func (l Level) Valid() bool { return l >= VerySatisfied && l <= VeryDissatisfied }

// Bad reports a 差评: 不满意 or 非常不满意. The first three levels count as
// 好评 (unverified: the split is how 51号文 is commonly applied; the
// reference lists the five levels only).
func (l Level) Bad() bool { return l == Dissatisfied || l == VeryDissatisfied }

// Stars is the level as the ★5…★1 the national pages show.
func (l Level) Stars() int { return 6 - int(l) }

// Channel is where a rating was given (the interface's pf).
type Channel string

// Channels.
const (
	ChannelPC      Channel = "pc"      // 电脑端网上服务
	ChannelMobile  Channel = "mobile"  // 移动端
	ChannelQR      Channel = "qr"      // 二维码（受理通知书上）
	ChannelTablet  Channel = "tablet"  // 大厅评价器（窗口平板）
	ChannelKiosk   Channel = "kiosk"   // 大厅自助终端
	ChannelSMS     Channel = "sms"     // 短信、电话
	ChannelDefault Channel = "default" // 系统默认评价
)

// Channels lists every channel.
var Channels = []Channel{ChannelPC, ChannelMobile, ChannelQR, ChannelTablet, ChannelKiosk, ChannelSMS, ChannelDefault}

// Label is the channel's Chinese name.
func (c Channel) Label() string {
	switch c {
	case ChannelPC:
		return "电脑端"
	case ChannelMobile:
		return "移动端"
	case ChannelQR:
		return "二维码"
	case ChannelTablet:
		return "窗口评价器"
	case ChannelKiosk:
		return "自助终端"
	case ChannelSMS:
		return "短信、电话"
	case ChannelDefault:
		return "系统默认评价"
	}
	return string(c)
}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	for _, x := range Channels {
		if x == c {
			return true
		}
	}
	return false
}

// Online reports whether the channel is the online service (网上), whose
// indicators differ from the hall's.
func (c Channel) Online() bool { return c == ChannelPC || c == ChannelMobile }

// Indicator is one aspect rated besides the overall satisfaction.
type Indicator string

// Indicators: online 办事效率, 办事指南精确度, 办事便捷度, 平台操作性;
// offline 服务效率, 服务水平, 服务态度 (reference §3.6, after 51号文's
// evaluation items; their national codes were not retrieved).
const (
	IndEfficiency  Indicator = "efficiency"         // 办事效率
	IndGuide       Indicator = "guide"              // 办事指南精确度
	IndConvenience Indicator = "convenience"        // 办事便捷度
	IndUsability   Indicator = "usability"          // 平台操作性
	IndService     Indicator = "service_efficiency" // 服务效率
	IndSkill       Indicator = "service_level"      // 服务水平
	IndAttitude    Indicator = "attitude"           // 服务态度
)

// OnlineIndicators and OfflineIndicators are the indicators of each kind
// of channel, in display order.
var (
	OnlineIndicators  = []Indicator{IndEfficiency, IndGuide, IndConvenience, IndUsability}
	OfflineIndicators = []Indicator{IndService, IndSkill, IndAttitude}
)

// IndicatorsFor returns the indicators rated on a channel.
func IndicatorsFor(c Channel) []Indicator {
	if c.Online() {
		return OnlineIndicators
	}
	return OfflineIndicators
}

// Label is the indicator's Chinese name.
func (i Indicator) Label() string {
	switch i {
	case IndEfficiency:
		return "办事效率"
	case IndGuide:
		return "办事指南精确度"
	case IndConvenience:
		return "办事便捷度"
	case IndUsability:
		return "平台操作性"
	case IndService:
		return "服务效率"
	case IndSkill:
		return "服务水平"
	case IndAttitude:
		return "服务态度"
	}
	return string(i)
}

// Stage is how far the case was when rated: the interface's proStatus.
type Stage int

// Stages. A case may be rated once in each (一事一评, unverified: GB/T
// 39734 §7.1 was seen by number only); a window visit is rated once done.
const (
	StagePending    Stage = 1 // 待办理: submitted, not yet accepted
	StageProcessing Stage = 2 // 办理中
	StageDone       Stage = 3 // 已完结
)

// Label is the stage's Chinese name.
func (s Stage) Label() string {
	switch s {
	case StagePending:
		return "待办理"
	case StageProcessing:
		return "办理中"
	case StageDone:
		return "已办结"
	}
	return ""
}

// Valid reports whether s is a stage.
func (s Stage) Valid() bool { return s >= StagePending && s <= StageDone }

// SubjectKind is what is rated.
type SubjectKind string

// Subjects.
const (
	SubjectCase  SubjectKind = "case"  // 一事一评
	SubjectVisit SubjectKind = "visit" // 一次一评: one service at a window
)

// Evaluation numbers (the interface's assessNumber).
const (
	FirstEvaluation  = 1 // 首次评价
	SecondEvaluation = 2 // 整改反馈后的二次评价
)

// Target is what a rating counts for in the figures: where, which
// department, window, person and item.
type Target struct {
	RegionPath   string `json:"region_path"`
	RegionCode   string `json:"region_code,omitempty"`
	DepartmentID int64  `json:"department_id,omitempty"` // 0: the centre itself (a comprehensive window)
	Department   string `json:"department,omitempty"`
	WindowID     int64  `json:"window_id,omitempty"`
	StaffID      int64  `json:"staff_id,omitempty"` // the clerk served by, for window visits
	ItemCode     string `json:"item_code,omitempty"`
	ItemName     string `json:"item_name,omitempty"`
	Instant      bool   `json:"instant,omitempty"` // 即办件 (promisetime 1), else 承诺件
}

// Object names what was rated, as pages and notices show it: the item,
// else the service of the window rated, else a service online or by
// another channel (an imported rating may name no item).
func (t Target) Object() string {
	switch {
	case t.ItemName != "":
		return t.ItemName
	case t.WindowID != 0:
		return "窗口服务"
	default:
		return "网上及非窗口服务"
	}
}

// Rating is one evaluation.
type Rating struct {
	ID          int64
	Subject     SubjectKind
	CaseID      int64  // 0 for visits and for imported ratings of cases not held here
	CaseNumber  string // 办件编号 (projectNo); a visit's number for visits
	VisitID     int64
	Stage       Stage
	Number      int   // FirstEvaluation or SecondEvaluation
	FirstID     int64 // a second evaluation's first
	Level       Level
	Indicators  map[Indicator]Level
	Channel     Channel
	Anonymous   bool
	RaterUserID int64  // 0 when anonymous or not logged in
	RaterKind   string // person or legal (userProp); "" when unknown
	Comment     string
	Default     bool // 系统默认评价: the period passed unrated
	Excluded    bool // an appeal found it false or malicious: not counted
	Target
	Source string // "local", or "import" for ratings of another channel
	// Key identifies the rating across systems (the export's evaluateId),
	// so that a record is imported once however often its file is.
	Key string
	At  time.Time
}

// Sources.
const (
	SourceLocal  = "local"
	SourceImport = "import"
)

// EncodeIndicators writes indicator levels for storage: "attitude:2,…",
// sorted, levels in GB/T 39046 order.
func EncodeIndicators(m map[Indicator]Level) string {
	parts := make([]string, 0, len(m))
	for ind, l := range m {
		parts = append(parts, string(ind)+":"+strconv.Itoa(int(l)))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// DecodeIndicators reads what EncodeIndicators wrote.
func DecodeIndicators(s string) map[Indicator]Level {
	if s == "" {
		return nil
	}
	out := map[Indicator]Level{}
	for _, part := range strings.Split(s, ",") {
		name, lv, _ := strings.Cut(part, ":")
		n, _ := strconv.Atoi(lv)
		out[Indicator(name)] = Level(n)
	}
	return out
}

// Day is the China calendar day of t, as the figures count it.
func Day(t time.Time) string { return t.In(chinaTime).Format("2006-01-02") }
