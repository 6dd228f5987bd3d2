package certs

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/pii"
)

// Limits on certificate data.
const (
	maxText       = 200  // names, codes, numbers
	maxFieldValue = 2000 // a free field's value
	maxFields     = 50
)

// earliest is the earliest date a certificate may carry; anything before it
// is a date that was never filled in.
var earliest = calendar.NewDate(1990, 1, 1)

// normalize trims the text and puts ID numbers in their canonical form.
func (d *Data) normalize() {
	for _, p := range []*string{&d.Number, &d.Name, &d.Holder.Name, &d.ItemName, &d.ItemCode,
		&d.IssuerName, &d.IssuerCreditCode, &d.CaseNumber} {
		*p = strings.TrimSpace(*p)
	}
	switch d.Holder.IDType {
	case IDResident:
		d.Holder.IDNumber = pii.NormalizeIDNumber(d.Holder.IDNumber)
	case IDCreditCode:
		d.Holder.IDNumber = pii.NormalizeCreditCode(d.Holder.IDNumber)
	default:
		d.Holder.IDNumber = strings.TrimSpace(d.Holder.IDNumber)
	}
	d.IssuerCreditCode = pii.NormalizeCreditCode(d.IssuerCreditCode)
}

// Validate checks every field and names each bad one.
func (d *Data) Validate() error {
	var f apperr.Fields
	f.Check(d.Number != "" && !validNumber(d.Number), "number", "证照编号只能包含文字、字母、数字和 - _ 〔 〕 等符号，且不超过 64 个字符")
	required(&f, "name", d.Name, "证照名称")
	required(&f, "holder_name", d.Holder.Name, "持证主体名称")
	checkHolderID(&f, d.Holder)
	required(&f, "item_name", d.ItemName, "事项名称")
	checkText(&f, "item_code", d.ItemCode, "事项编码")
	required(&f, "issuer_name", d.IssuerName, "发证机关")
	f.AddErr("issuer_code", pii.CheckCreditCode(d.IssuerCreditCode))
	checkText(&f, "case_number", d.CaseNumber, "办件编号")
	f.Check(d.ValidFrom.Before(earliest), "valid_from", "请填写有效期起始日期")
	f.Check(d.IssueDate.Before(earliest), "issue_date", "请填写发证日期")
	f.Check(d.ValidTo != nil && d.ValidTo.Before(d.ValidFrom), "valid_to", "有效期截止日期不能早于起始日期")
	checkFields(&f, d.Fields)
	return f.Err()
}

func required(f *apperr.Fields, field, v, label string) {
	f.Check(v == "", field, "请填写"+label)
	checkText(f, field, v, label)
}

func checkText(f *apperr.Fields, field, v, label string) {
	f.Check(utf8.RuneCountInString(v) > maxText, field, label+"不能超过 200 个字符")
	f.Check(!printable(v), field, label+"含有无效字符")
}

// printable rejects invalid UTF-8 and control characters, which would make
// the signed bytes differ from what a reader sees.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' {
			return false
		}
	}
	return true
}

func checkHolderID(f *apperr.Fields, h Holder) {
	switch h.IDType {
	case IDResident:
		f.AddErr("holder_id_number", pii.CheckIDNumber(h.IDNumber))
	case IDCreditCode:
		f.AddErr("holder_id_number", pii.CheckCreditCode(h.IDNumber))
	case IDPassport, IDOther:
		required(f, "holder_id_number", h.IDNumber, "证件号码")
	default:
		f.Add("holder_id_type", "请选择证件类型")
	}
}

func checkFields(f *apperr.Fields, fields map[string]string) {
	f.Check(len(fields) > maxFields, "fields", "其他信息不能超过 50 项")
	for k, v := range fields {
		switch {
		case strings.TrimSpace(k) == "" || utf8.RuneCountInString(k) > 50 || !printable(k):
			f.Add("fields", "其他信息的名称须为 1–50 个字符")
		case utf8.RuneCountInString(v) > maxFieldValue || !printable(v):
			f.Add("fields", "其他信息“"+k+"”的内容不能超过 2000 个字符，且不能含有无效字符")
		}
	}
}

// validNumber: a number appears in URLs and on paper, so it has no spaces,
// slashes or control characters.
func validNumber(s string) bool {
	if utf8.RuneCountInString(s) > 64 || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_〔〕()（）[]", r)) {
			return false
		}
	}
	return true
}

// checkReason requires a revocation reason of reasonable length.
func checkReason(reason string) error {
	r := cleanReason(reason)
	if r == "" {
		return apperr.Field("reason", "请填写撤销原因")
	}
	if utf8.RuneCountInString(r) > 500 || !printable(r) {
		return apperr.Field("reason", "撤销原因不能超过 500 个字符")
	}
	return nil
}

func cleanReason(r string) string { return strings.TrimSpace(r) }
