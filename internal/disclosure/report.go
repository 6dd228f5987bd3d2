package disclosure

import (
	"context"
	"fmt"
	"time"
)

// Report is an agency's annual report (政府信息公开工作年度报告, Arts 49–50):
// the prose the office writes (sections 一, 五, 六), the Table 2 figures this
// product does not record itself, and the document it was published as.
type Report struct {
	ID          int64
	AgencyID    int64
	Year        int
	Section1    string // 一、总体情况
	Section5    string // 五、存在的主要问题及改进情况
	Section6    string // 六、其他需要报告的事项
	Permits     int    // Table 2 第二十条第（五）项 行政许可 本年处理决定数量
	Penalties   int    // 第二十条第（六）项 行政处罚
	Enforcement int    // 第二十条第（六）项 行政强制
	FeesWan     string // 第二十条第（八）项 行政事业性收费 本年收费金额（万元）, as written
	DocID       *int64 // the disclosure document it was published as
	Snapshot    []byte // Tables as JSON when the document was made; next year's continuity check reads it
	UpdatedAt   time.Time
}

// Table3Row is one row of Table 3 with its exact label.
type Table3Row struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Indent int    `json:"indent"`
}

// Table3Rows are the rows of Table 3 of the 2021 format, labels exact.
var Table3Rows = []Table3Row{
	{"1", "一、本年新收政府信息公开申请数量", 0},
	{"2", "二、上年结转政府信息公开申请数量", 0},
	{"3", "三、本年度办理结果", 0},
	{"3.1", "（一）予以公开", 1},
	{"3.2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1},
	{"3.3", "（三）不予公开", 1},
	{"3.3.1", "1.属于国家秘密", 2},
	{"3.3.2", "2.其他法律行政法规禁止公开", 2},
	{"3.3.3", "3.危及“三安全一稳定”", 2},
	{"3.3.4", "4.保护第三方合法权益", 2},
	{"3.3.5", "5.属于三类内部事务信息", 2},
	{"3.3.6", "6.属于四类过程性信息", 2},
	{"3.3.7", "7.属于行政执法案卷", 2},
	{"3.3.8", "8.属于行政查询事项", 2},
	{"3.4", "（四）无法提供", 1},
	{"3.4.1", "1.本机关不掌握相关政府信息", 2},
	{"3.4.2", "2.没有现成信息需要另行制作", 2},
	{"3.4.3", "3.补正后申请内容仍不明确", 2},
	{"3.5", "（五）不予处理", 1},
	{"3.5.1", "1.信访举报投诉类申请", 2},
	{"3.5.2", "2.重复申请", 2},
	{"3.5.3", "3.要求提供公开出版物", 2},
	{"3.5.4", "4.无正当理由大量反复申请", 2},
	{"3.5.5", "5.要求行政机关确认或重新出具已获取信息", 2},
	{"3.6", "（六）其他处理", 1},
	{"3.6.1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", 2},
	{"3.6.2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", 2},
	{"3.6.3", "3.其他", 2},
	{"3.7", "（七）总计", 1},
	{"4", "四、结转下年度继续办理", 0},
}

// Table3Corner is the exact note in the corner cell of Table 3.
const Table3Corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

// Table3Columns are the data columns: the six applicant types, then 总计.
const Table3Columns = 7

// Table2 is 主动公开政府信息情况.
type Table2 struct {
	RulesMade, RulesRepealed, RulesInForce             int // 规章
	NormativeMade, NormativeRepealed, NormativeInForce int // 行政规范性文件
	Permits, Penalties, Enforcement                    int
	FeesWan                                            string
}

// Table4 is 行政复议、行政诉讼情况: 复议 (维持, 纠正, 其他, 尚未审结, 总计), then
// 未经复议直接起诉 and 复议后起诉 with the same five columns.
type Table4 [15]int

// Check is one consistency check of the report.
type Check struct {
	Name string `json:"name"`
	OK   bool   `json:"ok"`
	Note string `json:"note"`
}

// Tables are the computed tables of a report.
type Tables struct {
	Year   int
	Table2 Table2
	Table3 map[string][Table3Columns]int
	Table4 Table4
	Checks []Check
}

// DocStats are Table 2's (一)项 counts from the catalogue.
type DocStats struct {
	RulesMade, RulesRepealed, RulesInForce             int
	NormativeMade, NormativeRepealed, NormativeInForce int
}

// RequestCount is a number of requests of one applicant type.
type RequestCount struct {
	Type  ApplicantType
	Count int
}

// OutcomeCount is a number of requests closed with one answer and reason.
type OutcomeCount struct {
	Type   ApplicantType
	Answer AnswerType
	Reason string
	Count  int
}

// RemedyCount is a number of 复议 or 诉讼 cases with one result.
type RemedyCount struct {
	Kind, Result string
	Count        int
}

// RequestStats are Table 3's and Table 4's inputs for one year.
type RequestStats struct {
	New, CarriedIn, CarriedOut []RequestCount
	Closed                     []OutcomeCount
	Remedies                   []RemedyCount
}

// ReportStore keeps reports and computes their inputs.
type ReportStore interface {
	FindReport(ctx context.Context, agencyID int64, year int) (*Report, error) // NotFound
	FindReports(ctx context.Context, agencyID int64) ([]*Report, error)        // newest year first
	SaveReport(ctx context.Context, r *Report) error                           // insert or replace by agency and year
	ReportDocStats(ctx context.Context, agencyID int64, year int) (DocStats, error)
	ReportRequestStats(ctx context.Context, agencyID int64, year int) (RequestStats, error)
}

// columnOf is the Table 3 column of an applicant type.
func columnOf(t ApplicantType) int {
	for i, x := range ApplicantTypes {
		if x == t {
			return i
		}
	}
	return len(ApplicantTypes) - 1 // unknown types count as 其他
}

// rowOf is the Table 3 row of an answer.
func rowOf(t AnswerType, reason string) string {
	if r, ok := ReasonOf(t, reason); ok {
		return r.Row
	}
	return "3.6.3"
}

func (t *Tables) add(row string, col, n int) {
	v := t.Table3[row]
	v[col] += n
	v[Table3Columns-1] += n
	t.Table3[row] = v
}

func (t *Tables) sum(to string, from ...string) {
	var v [Table3Columns]int
	for _, f := range from {
		for i, n := range t.Table3[f] {
			v[i] += n
		}
	}
	t.Table3[to] = v
}

func checkf(name string, ok bool, format string, args ...any) Check {
	return Check{Name: name, OK: ok, Note: fmt.Sprintf(format, args...)}
}
