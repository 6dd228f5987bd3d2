package catalog

import (
	"fmt"
	"strings"
)

// Fee is one 收费项目. The amount is computable so that a case can charge
// it: a fixed amount, or a formula over one named quantity the applicant
// declares (pages, certificates, square metres …). Amounts are in fen
// (分) so that no float ever touches money.
type Fee struct {
	Name      string   `json:"name"`       // 收费项目名称
	Basis     string   `json:"basis"`      // 收费依据: the document that sets it
	Standard  string   `json:"standard"`   // 收费标准 as published: "每证 10 元"
	AmountFen int64    `json:"amount_fen"` // fixed amount, when Formula is nil
	Formula   *Formula `json:"formula,omitempty"`
}

// Formula computes a fee as Base + Unit × max(0, quantity − Free), then
// bounds it by Min and Max (0 = unbounded).
type Formula struct {
	Quantity string `json:"quantity"` // the named input, e.g. "证件数量"
	BaseFen  int64  `json:"base_fen"`
	UnitFen  int64  `json:"unit_fen"`
	Free     int64  `json:"free"` // units included in Base
	MinFen   int64  `json:"min_fen"`
	MaxFen   int64  `json:"max_fen"`
}

// Compute returns the fee in fen for the declared quantities. A formula fee
// needs its quantity, which may not be negative.
func (f Fee) Compute(inputs map[string]int64) (int64, error) {
	if f.Formula == nil {
		return f.AmountFen, nil
	}
	return f.Formula.compute(inputs)
}

func (m *Formula) compute(inputs map[string]int64) (int64, error) {
	q, ok := inputs[m.Quantity]
	if !ok {
		return 0, fmt.Errorf("计算费用需要填写“%s”", m.Quantity)
	}
	if q < 0 {
		return 0, fmt.Errorf("“%s”不能为负数", m.Quantity)
	}
	fee := m.BaseFen + m.UnitFen*max(0, q-m.Free)
	if m.MinFen > 0 {
		fee = max(fee, m.MinFen)
	}
	if m.MaxFen > 0 {
		fee = min(fee, m.MaxFen)
	}
	return fee, nil
}

// Total returns the sum of every fee for the declared quantities; 0 for an
// item that is not charged.
func (fs Fees) Total(inputs map[string]int64) (int64, error) {
	if !fs.Charged {
		return 0, nil
	}
	var sum int64
	for _, f := range fs.Items {
		n, err := f.Compute(inputs)
		if err != nil {
			return 0, fmt.Errorf("%s：%w", f.Name, err)
		}
		sum += n
	}
	return sum, nil
}

// Quantities lists the named quantities the fees need, each once.
func (fs Fees) Quantities() []string {
	var out []string
	for _, f := range fs.Items {
		if f.Formula != nil && !contains(out, f.Formula.Quantity) {
			out = append(out, f.Formula.Quantity)
		}
	}
	return out
}

// Yuan formats an amount in fen as yuan: 1050 → "10.50 元".
func Yuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d 元", sign, fen/100, fen%100)
}

// Describe says in words how the fee is computed.
func (f Fee) Describe() string {
	if f.Formula == nil {
		return Yuan(f.AmountFen)
	}
	m := f.Formula
	var b strings.Builder
	if m.BaseFen > 0 {
		fmt.Fprintf(&b, "%s，", Yuan(m.BaseFen))
	}
	if m.Free > 0 {
		fmt.Fprintf(&b, "“%s”超过 %d 的部分", m.Quantity, m.Free)
	} else {
		fmt.Fprintf(&b, "按“%s”", m.Quantity)
	}
	fmt.Fprintf(&b, "每单位 %s", Yuan(m.UnitFen))
	if m.MinFen > 0 {
		fmt.Fprintf(&b, "，最低 %s", Yuan(m.MinFen))
	}
	if m.MaxFen > 0 {
		fmt.Fprintf(&b, "，最高 %s", Yuan(m.MaxFen))
	}
	return b.String()
}

func contains[T comparable](xs []T, x T) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// FeePoint is when a charged item's fee is due.
type FeePoint string

// Fee points. The default is before the result is issued: charging before
// acceptance would turn every refused or withdrawn application into a
// refund.
const (
	FeeBeforeResult FeePoint = ""       // 出证（领取结果）前缴纳
	FeeAtAccept     FeePoint = "accept" // 受理时缴纳
)

var feePoints = table[FeePoint]{{"", "出证前缴纳"}, {"accept", "受理时缴纳"}}

// Label is the point's Chinese name.
func (p FeePoint) Label() string { return feePoints.label(p) }

// ParseFeePoint accepts a code or a label; blank is before the result.
func ParseFeePoint(s string) (FeePoint, error) {
	if s == "" {
		return FeeBeforeResult, nil
	}
	if v, ok := feePoints.parse(s); ok {
		return v, nil
	}
	return "", feePoints.parseErr("缴费时点", s)
}

// DefaultPayment is how a fee is paid when the item does not say.
const DefaultPayment = "持缴费通知书到办理地点的收费窗口缴纳（现金、银行卡或扫码支付），当场取得缴费票据"
