package powers

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/catalog"
)

// Content is what a version of a power says.
type Content struct {
	Name           string           `json:"name"`           // 职权名称
	Type           catalog.ItemType `json:"type"`           // 职权类型 (GB/T 39046 A.1)
	Bases          []Basis          `json:"bases"`          // 实施（设定）依据
	Subject        string           `json:"subject"`        // 实施主体
	Undertaker     string           `json:"undertaker"`     // 承办机构
	Process        string           `json:"process"`        // 运行流程
	Duties         []string         `json:"duties"`         // 责任事项
	Accountability []string         `json:"accountability"` // 追责情形
	Supervision    string           `json:"supervision"`    // 监督方式（监督电话等）
	ItemIDs        []int64          `json:"item_ids"`       // the catalogue's service items that exercise it
	Benchmarks     []Benchmark      `json:"benchmarks"`     // 裁量基准, penalty powers only
}

// Basis is one legal basis; DocID links the law's text in the disclosure
// catalogue when it is there.
type Basis struct {
	Law     string `json:"law"`     // 《中华人民共和国食品安全法》
	Article string `json:"article"` // 第三十五条
	DocID   int64  `json:"doc_id,omitempty"`
}

// LawName is the law's name without book-title marks.
func (b Basis) LawName() string { return strings.Trim(strings.TrimSpace(b.Law), "《》") }

// Level is a circumstance step of a discretion benchmark (裁量阶次).
type Level string

// Levels, from the mildest. 不予处罚 and 减轻处罚 follow 行政处罚法 Art 32–33;
// 从轻、一般、从重 are the steps benchmarks commonly use.
const (
	LevelNone      Level = "none"      // 不予处罚
	LevelMitigated Level = "mitigated" // 减轻处罚
	LevelLight     Level = "light"     // 从轻处罚
	LevelGeneral   Level = "general"   // 一般处罚
	LevelHeavy     Level = "heavy"     // 从重处罚
)

var levelLabels = []struct {
	l     Level
	label string
}{{LevelNone, "不予处罚"}, {LevelMitigated, "减轻处罚"}, {LevelLight, "从轻处罚"}, {LevelGeneral, "一般处罚"}, {LevelHeavy, "从重处罚"}}

// Levels lists the levels from the mildest.
func Levels() []Level {
	out := make([]Level, len(levelLabels))
	for i, x := range levelLabels {
		out[i] = x.l
	}
	return out
}

// Label is the level's Chinese name.
func (l Level) Label() string {
	for _, x := range levelLabels {
		if x.l == l {
			return x.label
		}
	}
	return string(l)
}

// ParseLevel accepts a code or a label, with or without 处罚 (从轻 = 从轻处罚).
func ParseLevel(s string) (Level, bool) {
	s = strings.TrimSpace(s)
	for _, x := range levelLabels {
		if s == string(x.l) || s == x.label || s+"处罚" == x.label {
			return x.l, true
		}
	}
	return "", false
}

// PenaltyKinds are the kinds of administrative penalty (行政处罚法 2021 Art 9).
var PenaltyKinds = []string{"警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件", "降低资质等级",
	"吊销许可证件", "限制开展生产经营活动", "责令停产停业", "责令关闭", "限制从业", "行政拘留", "其他行政处罚"}

// IsPenaltyKind reports whether k is one of PenaltyKinds.
func IsPenaltyKind(k string) bool { return slices.Contains(PenaltyKinds, k) }

// Fine is the kind whose amount a benchmark bounds.
const Fine = "罚款"

// Benchmark is one row of a discretion benchmark: for a violation in a
// circumstance, the kinds of penalty and the range of the fine.
type Benchmark struct {
	Violation    string   `json:"violation"`    // 违法行为
	Basis        string   `json:"basis"`        // 处罚依据
	Level        Level    `json:"level"`        // 裁量阶次
	Circumstance string   `json:"circumstance"` // 适用情形
	Kinds        []string `json:"kinds"`        // 处罚种类
	FineMin      int64    `json:"fine_min"`     // fen; both 0 when no fine
	FineMax      int64    `json:"fine_max"`
	Note         string   `json:"note,omitempty"`
}

// Range describes the benchmark's fine range in yuan.
func (b Benchmark) Range() string {
	if b.FineMax == 0 {
		return "不处罚款"
	}
	return Yuan(b.FineMin) + "–" + Yuan(b.FineMax) + " 元"
}

// Yuan writes fen as yuan with two decimals.
func Yuan(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }

// Deviations lists how a penalty departs from the benchmark: kinds it does
// not provide, and a fine outside its range. None means it complies.
func (b Benchmark) Deviations(kinds []string, fine int64) []string {
	var out []string
	for _, k := range kinds {
		if !slices.Contains(b.Kinds, k) {
			out = append(out, "处罚种类“"+k+"”不在基准规定的种类（"+strings.Join(b.Kinds, "、")+"）之内")
		}
	}
	switch {
	case fine > 0 && b.FineMax == 0:
		out = append(out, fmt.Sprintf("罚款 %s 元，而基准（%s）不处罚款", Yuan(fine), b.Level.Label()))
	case fine > 0 && (fine < b.FineMin || fine > b.FineMax):
		out = append(out, fmt.Sprintf("罚款 %s 元超出裁量基准（%s：%s）", Yuan(fine), b.Level.Label(), b.Range()))
	}
	return out
}

// Limits of a power's texts.
const (
	maxName  = 200
	maxText  = 5000
	maxList  = 100
	maxBench = 2000
)

// Validate checks a version's content, naming each field.
func (c *Content) Validate(code string) error {
	var f apperr.Fields
	checkLen(&f, "name", "职权名称", c.Name, maxName, true)
	if c.Type.Label() == "" {
		f.Add("type", "请选择职权类型（行政许可、行政处罚……或公共服务）")
	} else if err := catalog.CheckBasicCode(code, c.Type); err != nil {
		f.Add("code", strings.Replace(apperr.MessageOf(err), "基本编码", "职权编码", -1))
	}
	f.Check(len(c.Bases) == 0, "bases", "请至少填写一项实施依据（职权法定）")
	for i, b := range c.Bases {
		f.Check(b.LawName() == "", "bases", fmt.Sprintf("第 %d 项依据缺少法律法规名称", i+1))
	}
	checkLen(&f, "subject", "实施主体", c.Subject, maxName, true)
	checkLen(&f, "undertaker", "承办机构", c.Undertaker, maxName, false)
	checkLen(&f, "process", "运行流程", c.Process, maxText, true)
	checkLen(&f, "supervision", "监督方式", c.Supervision, maxName, false)
	f.Check(len(c.Duties) == 0, "duties", "请至少填写一项责任事项")
	f.Check(len(c.Accountability) == 0, "accountability", "请至少填写一项追责情形")
	f.Check(len(c.Duties) > maxList || len(c.Accountability) > maxList, "duties", fmt.Sprintf("每类最多 %d 项", maxList))
	f.Check(len(c.Benchmarks) > 0 && c.Type != catalog.TypePenalty, "benchmarks", "只有行政处罚类职权设裁量基准")
	f.Check(len(c.Benchmarks) > maxBench, "benchmarks", fmt.Sprintf("裁量基准最多 %d 行", maxBench))
	for i, b := range c.Benchmarks {
		if msg := b.problem(); msg != "" {
			f.Add("benchmarks", fmt.Sprintf("裁量基准第 %d 行：%s", i+1, msg))
		}
	}
	return f.Err()
}

// problem is what is wrong with a benchmark row, "" if nothing.
func (b Benchmark) problem() string {
	switch {
	case strings.TrimSpace(b.Violation) == "":
		return "缺少违法行为"
	case b.Level.Label() == string(b.Level):
		return "裁量阶次应为不予处罚、减轻处罚、从轻处罚、一般处罚或从重处罚"
	case len(b.Kinds) == 0 && b.Level != LevelNone:
		return "缺少处罚种类"
	case b.FineMin < 0 || b.FineMax < b.FineMin:
		return "罚款下限不能大于上限，也不能为负数"
	case b.FineMax > 0 && !slices.Contains(b.Kinds, Fine):
		return "设定了罚款幅度，处罚种类中应包含“罚款”"
	case slices.Contains(b.Kinds, Fine) && b.FineMax == 0:
		return "处罚种类包含“罚款”，请填写罚款幅度"
	}
	for _, k := range b.Kinds {
		if !IsPenaltyKind(k) {
			return "处罚种类“" + k + "”不是行政处罚法第九条规定的种类"
		}
	}
	return ""
}

func checkLen(f *apperr.Fields, field, label, v string, maxRunes int, required bool) {
	n := utf8.RuneCountInString(strings.TrimSpace(v))
	f.Check(required && n == 0, field, "请填写"+label)
	f.Check(n > maxRunes, field, fmt.Sprintf("%s不能超过 %d 个字", label, maxRunes))
}
