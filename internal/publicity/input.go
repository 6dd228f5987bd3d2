package publicity

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/pii"
	"openhall/internal/powers"
)

// PenaltyInput is a penalty decision as a department enters it.
type PenaltyInput struct {
	DepartmentID  int64
	Number        string   // 行政处罚决定书文号
	HolderKind    string   // legal, business, person (or the Chinese labels)
	HolderName    string   // 当事人名称 or 姓名
	CreditCode    string   // for legal persons and 个体工商户
	Title         string   // 违法行为类型
	Content       string   // 处罚内容 (the facts and what was decided, in brief)
	Basis         string   // 处罚依据
	Kinds         []string // 处罚种类
	Fine          string   // 罚款金额（元）
	DecidedOn     string   // 处罚决定日期 YYYY-MM-DD
	PowerCode     string   // 职权编码 of the penalty power used
	BenchmarkSeq  int      // the row of its discretion benchmark applied (1-based)
	OutsideReason string   // why the penalty departs from the benchmark, if it does
}

// Limits of an entry's texts.
const (
	maxNumber  = 100
	maxName    = 200
	maxContent = 2000
	maxBasis   = 1000
)

// parsed is a checked PenaltyInput.
type parsed struct {
	holder  HolderKind
	fine    int64
	decided calendar.Date
}

// check validates the input's own fields, naming each; the benchmark is
// checked by the service.
func (in *PenaltyInput) check(today calendar.Date) (parsed, error) {
	in.trim()
	var f apperr.Fields
	var p parsed
	checkLen(&f, "number", "决定书文号", in.Number, maxNumber, true)
	checkLen(&f, "title", "违法行为类型", in.Title, maxName, true)
	checkLen(&f, "content", "处罚内容", in.Content, maxContent, true)
	checkLen(&f, "basis", "处罚依据", in.Basis, maxBasis, true)
	checkLen(&f, "outside_reason", "超出基准的理由", in.OutsideReason, maxContent, false)
	p.holder = in.checkHolder(&f)
	p.fine = in.checkKinds(&f)
	var err error
	if p.decided, err = calendar.ParseDate(in.DecidedOn); err != nil {
		f.Add("decided_on", "请填写处罚决定日期（YYYY-MM-DD）")
	} else if p.decided.After(today) {
		f.Add("decided_on", "处罚决定日期不能晚于今天（"+today.String()+"）")
	}
	f.Check(in.PowerCode == "", "power_code", "请填写所依据职权的职权编码（须为本部门已公布的行政处罚职权）")
	f.Check(in.BenchmarkSeq <= 0, "benchmark_seq", "请选择适用的裁量基准条目")
	return p, f.Err()
}

func (in *PenaltyInput) trim() {
	for _, s := range []*string{&in.Number, &in.HolderKind, &in.HolderName, &in.CreditCode, &in.Title, &in.Content,
		&in.Basis, &in.Fine, &in.DecidedOn, &in.PowerCode, &in.OutsideReason} {
		*s = strings.TrimSpace(*s)
	}
	in.CreditCode = strings.ToUpper(in.CreditCode)
}

func (in *PenaltyInput) checkHolder(f *apperr.Fields) HolderKind {
	h, ok := ParseHolderKind(in.HolderKind)
	f.Check(!ok, "holder_kind", "当事人类型应为法人及非法人组织、个体工商户或自然人")
	checkLen(f, "holder_name", "当事人名称", in.HolderName, maxName, true)
	switch {
	case h == HolderPerson && in.CreditCode != "":
		f.Add("credit_code", "自然人不填统一社会信用代码（不公开自然人的证件号码）")
	case h == HolderLegal || h == HolderBusiness:
		if in.CreditCode == "" {
			f.Add("credit_code", "请填写当事人的统一社会信用代码")
		} else {
			f.AddErr("credit_code", pii.CheckCreditCode(in.CreditCode))
		}
	}
	return h
}

// checkKinds checks the penalty kinds and the fine, returning the fine in fen.
func (in *PenaltyInput) checkKinds(f *apperr.Fields) int64 {
	f.Check(len(in.Kinds) == 0, "kinds", "请选择处罚种类")
	for _, k := range in.Kinds {
		f.Check(!powers.IsPenaltyKind(k), "kinds", "“"+k+"”不是行政处罚法第九条规定的处罚种类")
	}
	fine, err := powers.ParseYuan(in.Fine)
	if err != nil {
		f.Add("fine", "罚款金额："+err.Error())
	}
	hasFine := slices.Contains(in.Kinds, powers.Fine)
	f.Check(hasFine && fine == 0, "fine", "处罚种类包含罚款，请填写罚款金额")
	f.Check(!hasFine && fine > 0, "fine", "填写了罚款金额，处罚种类中应包含“罚款”")
	return fine
}

func checkLen(f *apperr.Fields, field, label, v string, maxRunes int, required bool) {
	n := utf8.RuneCountInString(v)
	f.Check(required && n == 0, field, "请填写"+label)
	f.Check(n > maxRunes, field, fmt.Sprintf("%s不能超过 %d 个字", label, maxRunes))
}

// publishedName is how a party is shown: a natural person's name masked.
func publishedName(h HolderKind, name string) string {
	if h == HolderPerson {
		return pii.MaskName(name)
	}
	return name
}
