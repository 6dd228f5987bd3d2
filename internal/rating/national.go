package rating

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file is the national 好差评 interface's record and its code tables
// (reference §3.6, from three deployed connectors: idx 3417401498,
// 27445339607, 21999586137). Field names marked "ours" are not in the
// reference; they carry what a round trip needs and are unverified
// against the national specification, which was not retrieved.

// Record is one rating as the national interface carries it. Codes are
// strings, as the connectors send them.
type Record struct {
	ProjectNo         string `json:"projectNo"`         // 办件编号 (a visit's number for 一次一评)
	TaskCode          string `json:"taskCode"`          // 事项编码 (our 基本编码)
	TaskHandleItem    string `json:"taskHandleItem"`    // 业务办理项编码; not held here, sent empty
	TaskName          string `json:"taskName"`          // ours: 事项名称
	ProStatus         string `json:"proStatus"`         // 1 待办理, 2 办理中, 3 已完结
	Pf                string `json:"pf"`                // channel, see channelCodes
	UserProp          string `json:"userProp"`          // 1 个人, 2 法人
	AnonymityFlag     string `json:"anonymityFlag"`     // 1 是, 2 否
	Satisfaction      string `json:"satisfaction"`      // 1 非常不满意 … 5 非常满意 (reversed!)
	EvalDetail        string `json:"evalDetail"`        // indicator codes, see EncodeEvalDetail
	WritingEvaluation string `json:"writingEvaluation"` // 文字评价
	AssessNumber      string `json:"assessNumber"`      // 1 首次, 2 二次
	PromiseTime       string `json:"promisetime"`       // 1 即办件, 2 承诺件
	Type              string `json:"TYPE"`              // network: 1 互联网, 2 政务信息网, 3 政务外网
	Version           string `json:"version"`           // "2" when reported to the national platform
	AssessTime        string `json:"assessTime"`        // ours: 评价时间, "2006-01-02 15:04:05" China time
	AreaCode          string `json:"areaCode"`          // ours: 行政区划代码
	DeptCode          string `json:"deptCode"`          // ours: 部门统一社会信用代码
	DeptName          string `json:"deptName"`          // ours
	EvaluateID        string `json:"evaluateId"`        // ours: the rating's key, so it is imported once
	DefaultFlag       string `json:"defaultFlag"`       // ours: 1 系统默认评价
}

// InterfaceVersion is the version the national platform requires.
const InterfaceVersion = "2"

// NetworkInternet is the TYPE of a platform on the Internet (互联网).
const NetworkInternet = "1"

// nationalLevels[i] is the level the interface's satisfaction code i+1
// stands for. The interface counts from 1 非常不满意 up to 5 非常满意, the
// reverse of GB/T 39046 A.8 (reference §3.6, idx 3417401498): this table
// is the only place the two orders meet, so a naive copy of the number,
// which would turn every 非常满意 into 非常不满意, cannot happen elsewhere.
var nationalLevels = [5]Level{VeryDissatisfied, Dissatisfied, FairlySatisfied, Satisfied, VerySatisfied}

// NationalSatisfaction is the interface's satisfaction code of l.
func NationalSatisfaction(l Level) string {
	for i, x := range nationalLevels {
		if x == l {
			return strconv.Itoa(i + 1)
		}
	}
	return ""
}

// LevelFromNational reads the interface's satisfaction code.
func LevelFromNational(code string) (Level, error) {
	n, err := strconv.Atoi(strings.TrimSpace(code))
	if err != nil || n < 1 || n > 5 {
		return 0, fmt.Errorf("满意度代码 %q 无效，应为 1（非常不满意）至 5（非常满意）", code)
	}
	return nationalLevels[n-1], nil
}

// channelCodes are the interface's pf codes. The connectors disagree on 6
// and 7 (6 电话 or 短信, 7 短信 or 系统默认评价, reference §3.6): this
// product sends 6 for SMS and phone and 7 for the default rating
// (unverified against the national specification).
var channelCodes = map[Channel]string{ChannelPC: "1", ChannelMobile: "2", ChannelQR: "3", ChannelTablet: "4",
	ChannelKiosk: "5", ChannelSMS: "6", ChannelDefault: "7"}

// NationalChannel is the interface's pf code of c.
func NationalChannel(c Channel) string { return channelCodes[c] }

// ChannelFromNational reads a pf code.
func ChannelFromNational(code string) (Channel, error) {
	for c, x := range channelCodes {
		if x == strings.TrimSpace(code) {
			return c, nil
		}
	}
	return "", fmt.Errorf("评价渠道代码 %q 无效，应为 1–7", code)
}

// indicatorCodes number the indicators in evalDetail. The national codes of
// the evaluation items were not retrieved; these are this product's
// (online 1xx, offline 2xx), unverified.
var indicatorCodes = map[Indicator]string{IndEfficiency: "101", IndGuide: "102", IndConvenience: "103", IndUsability: "104",
	IndService: "201", IndSkill: "202", IndAttitude: "203"}

// EncodeEvalDetail writes the indicator levels as "code:satisfaction"
// pairs separated by commas, satisfaction in the interface's order.
func EncodeEvalDetail(m map[Indicator]Level) string {
	var parts []string
	for ind, l := range m {
		parts = append(parts, indicatorCodes[ind]+":"+NationalSatisfaction(l))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// DecodeEvalDetail reads what EncodeEvalDetail wrote.
func DecodeEvalDetail(s string) (map[Indicator]Level, error) {
	out := map[Indicator]Level{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		code, sat, ok := strings.Cut(part, ":")
		ind, known := indicatorOf(code)
		if !ok || !known {
			return nil, fmt.Errorf("评价详情 %q 无效，应为“指标代码:满意度”", part)
		}
		l, err := LevelFromNational(sat)
		if err != nil {
			return nil, err
		}
		out[ind] = l
	}
	return out, nil
}

func indicatorOf(code string) (Indicator, bool) {
	for ind, c := range indicatorCodes {
		if c == code {
			return ind, true
		}
	}
	return "", false
}

// yesNo is the interface's 1 是 / 2 否.
func yesNo(b bool) string {
	if b {
		return "1"
	}
	return "2"
}

// userProps are the interface's userProp codes.
var userProps = map[string]string{"person": "1", "legal": "2"}

// assessTimeLayout is how a record's time is written, in China time.
const assessTimeLayout = "2006-01-02 15:04:05"

// minAssessYear is the earliest year a record's time may be in. No rating
// is older than 好差评 (2019); the bound is kept loose, and a time before
// it is a placeholder (0001-01-01, a zero time) or a mistake.
const minAssessYear = 2000

var chinaTime = time.FixedZone("CST", 8*3600)

// ToRecord writes r as the interface's record.
func ToRecord(r *Rating, deptCode string) Record {
	promise := "2"
	if r.Instant {
		promise = "1"
	}
	def := ""
	if r.Default {
		def = "1"
	}
	return Record{ProjectNo: r.CaseNumber, TaskCode: r.ItemCode, TaskName: r.ItemName, ProStatus: strconv.Itoa(int(r.Stage)),
		Pf: NationalChannel(r.Channel), UserProp: userProps[r.RaterKind], AnonymityFlag: yesNo(r.Anonymous),
		Satisfaction: NationalSatisfaction(r.Level), EvalDetail: EncodeEvalDetail(r.Indicators), WritingEvaluation: r.Comment,
		AssessNumber: strconv.Itoa(r.Number), PromiseTime: promise, Type: NetworkInternet, Version: InterfaceVersion,
		AssessTime: r.At.In(chinaTime).Format(assessTimeLayout), AreaCode: r.RegionCode, DeptCode: deptCode,
		DeptName: r.Department, EvaluateID: r.Key, DefaultFlag: def}
}

// FromRecord reads a record into a rating, without its target (which the
// importer resolves from areaCode and deptCode). Every problem is named by
// its field.
func FromRecord(rec Record) (*Rating, map[string]string) {
	bad := map[string]string{}
	r := &Rating{CaseNumber: strings.TrimSpace(rec.ProjectNo), Comment: strings.TrimSpace(rec.WritingEvaluation),
		Anonymous: rec.AnonymityFlag == "1", Default: rec.DefaultFlag == "1", Source: SourceImport, Subject: SubjectCase}
	r.ItemCode, r.ItemName, r.Instant = strings.TrimSpace(rec.TaskCode), strings.TrimSpace(rec.TaskName), rec.PromiseTime == "1"
	var err error
	if r.Level, err = LevelFromNational(rec.Satisfaction); err != nil {
		bad["satisfaction"] = err.Error()
	}
	if r.Channel, err = ChannelFromNational(rec.Pf); err != nil {
		bad["pf"] = err.Error()
	}
	// pf 7 is the system's default rating (channelCodes, reference §3.6):
	// a file from another system marks it by the channel only, without
	// our defaultFlag, and it is still a default, counted as such and
	// opening no ticket. A defaultFlag on another channel contradicts it.
	switch {
	case r.Channel == ChannelDefault:
		r.Default = true
	case r.Default && bad["pf"] == "":
		bad["defaultFlag"] = fmt.Sprintf("默认评价标志 defaultFlag 为 1（系统默认评价）时评价渠道 pf 应为 7，本条为 %q", rec.Pf)
	}
	if r.Indicators, err = DecodeEvalDetail(rec.EvalDetail); err != nil {
		bad["evalDetail"] = err.Error()
	}
	if n := utf8.RuneCountInString(r.Comment); n > maxComment {
		// The limit of a comment given here (Input.validate), so that an
		// imported rating holds no more than a local one.
		bad["writingEvaluation"] = fmt.Sprintf("文字评价不能超过 %d 字（本条 %d 字）", maxComment, n)
	}
	readCodes(rec, r, bad)
	r.Key = strings.TrimSpace(rec.EvaluateID)
	if r.Key == "" {
		r.Key = recordKey(rec)
	}
	return r, bad
}

// readCodes reads the small code fields.
func readCodes(rec Record, r *Rating, bad map[string]string) {
	st, err := strconv.Atoi(strings.TrimSpace(rec.ProStatus))
	r.Stage = Stage(st)
	if err != nil || !r.Stage.Valid() {
		bad["proStatus"] = fmt.Sprintf("办件状态代码 %q 无效，应为 1（待办理）、2（办理中）或 3（已完结）", rec.ProStatus)
	}
	switch strings.TrimSpace(rec.AssessNumber) {
	case "1":
		r.Number = FirstEvaluation
	case "2":
		r.Number = SecondEvaluation
	default:
		bad["assessNumber"] = fmt.Sprintf("评价次数代码 %q 无效，应为 1（首次）或 2（二次）", rec.AssessNumber)
	}
	switch strings.TrimSpace(rec.UserProp) {
	case "1":
		r.RaterKind = "person"
	case "2":
		r.RaterKind = "legal"
	case "":
	default:
		bad["userProp"] = fmt.Sprintf("用户属性代码 %q 无效，应为 1（个人）或 2（法人）", rec.UserProp)
	}
	t, err := time.ParseInLocation(assessTimeLayout, strings.TrimSpace(rec.AssessTime), chinaTime)
	switch {
	case err != nil:
		bad["assessTime"] = fmt.Sprintf("评价时间 %q 无效，应为“2006-01-02 15:04:05”格式", rec.AssessTime)
	case t.Year() < minAssessYear:
		bad["assessTime"] = fmt.Sprintf("评价时间 %q 超出范围，应在 %d 年之后", rec.AssessTime, minAssessYear)
	}
	r.At = t.UTC()
	if rec.AnonymityFlag != "1" && rec.AnonymityFlag != "2" {
		bad["anonymityFlag"] = fmt.Sprintf("匿名标志 %q 无效，应为 1（是）或 2（否）", rec.AnonymityFlag)
	}
}

// recordKey identifies a record that carries no evaluateId (a file from
// another system) by its content.
func recordKey(rec Record) string {
	h := sha256.Sum256([]byte(strings.Join([]string{rec.ProjectNo, rec.ProStatus, rec.AssessNumber, rec.Pf, rec.AssessTime,
		rec.Satisfaction, rec.AreaCode, rec.DeptCode}, "\x00")))
	return "x" + hex.EncodeToString(h[:12])
}
