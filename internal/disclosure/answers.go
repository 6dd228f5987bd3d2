package disclosure

// AnswerType is the kind of answer: the seven of Art 36 grouped as Table 3
// of the annual report groups them, plus Art 37 partial disclosure. Each
// answer names a sub-reason, and the pair is exactly one row of Table 3.
type AnswerType string

// Answer types, one per group of rows 三（一）…（六）.
const (
	AnswerDisclose     AnswerType = "disclose"      // 予以公开 (Art 36 ①②)
	AnswerPartial      AnswerType = "partial"       // 部分公开 (Art 37)
	AnswerWithhold     AnswerType = "withhold"      // 不予公开 (Art 36 ③⑦)
	AnswerUnable       AnswerType = "unable"        // 无法提供 (Art 36 ④⑤, 38, 30)
	AnswerNotProcessed AnswerType = "not_processed" // 不予处理 (Art 36 ⑥, 35, 39)
	AnswerOther        AnswerType = "other"         // 其他处理 (abandonment)
)

// Reason is one sub-reason: its code, its label, the article it applies
// and the Table 3 row it is counted in.
type Reason struct {
	Code    string
	Label   string
	Article string
	Row     string // Table 3 row key, see Table3Rows
}

// AnswerTypes lists the answer types with their sub-reasons.
var AnswerTypes = []struct {
	Type    AnswerType
	Label   string
	Reasons []Reason
}{
	{AnswerDisclose, "予以公开", []Reason{
		{"already_public", "已主动公开，告知获取方式", "第三十六条第（一）项", "3.1"},
		{"provided", "予以提供", "第三十六条第（二）项", "3.1"},
	}},
	{AnswerPartial, "部分公开（区分处理）", partialReasons()},
	{AnswerWithhold, "不予公开", withholdReasons()},
	{AnswerUnable, "无法提供", []Reason{
		{"not_held", "本机关不掌握相关政府信息", "第三十六条第（四）项、第（五）项", "3.4.1"},
		{"needs_creation", "没有现成信息需要另行制作", "第三十八条", "3.4.2"},
		{"unclear", "补正后申请内容仍不明确", "第三十条", "3.4.3"},
	}},
	{AnswerNotProcessed, "不予处理", []Reason{
		{"petition", "信访举报投诉类申请", "第三十九条第一款", "3.5.1"},
		{"repeat", "重复申请", "第三十六条第（六）项", "3.5.2"},
		{"publication", "要求提供公开出版物", "第三十九条第二款", "3.5.3"},
		{"excessive", "无正当理由大量反复申请", "第三十五条", "3.5.4"},
		{"confirm", "要求行政机关确认或重新出具已获取信息", "", "3.5.5"},
	}},
	{AnswerOther, "其他处理", []Reason{
		{"no_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "第三十条", "3.6.1"},
		{"unpaid_fee", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "国办函〔2020〕109号", "3.6.2"},
		{"other", "其他", "", "3.6.3"},
	}},
}

// withholdRows maps the withholding grounds to rows 三（三）1–8.
var withholdRows = map[string]string{"secret": "3.3.1", "law": "3.3.2", "safety": "3.3.3", "third_party": "3.3.4",
	"internal": "3.3.5", "process": "3.3.6", "enforcement": "3.3.7", "query": "3.3.8"}

func withholdReasons() []Reason {
	var out []Reason
	for _, c := range WithholdReasons {
		out = append(out, Reason{Code: c.Code, Label: c.Label, Article: "第三十六条第（三）项", Row: withholdRows[c.Code]})
	}
	return out
}

// partialReasons are the grounds for the withheld part of a partial
// disclosure; Table 3 counts the request only in 三（二）.
func partialReasons() []Reason {
	var out []Reason
	for _, c := range WithholdReasons {
		out = append(out, Reason{Code: c.Code, Label: "不予公开部分：" + c.Label, Article: "第三十七条", Row: "3.2"})
	}
	return out
}

// ReasonOf returns the sub-reason of an answer, false if the pair is not
// one of AnswerTypes.
func ReasonOf(t AnswerType, code string) (Reason, bool) {
	for _, at := range AnswerTypes {
		if at.Type != t {
			continue
		}
		for _, r := range at.Reasons {
			if r.Code == code {
				return r, true
			}
		}
	}
	return Reason{}, false
}

// Label is the answer type's Chinese name.
func (t AnswerType) Label() string {
	for _, at := range AnswerTypes {
		if at.Type == t {
			return at.Label
		}
	}
	return ""
}
