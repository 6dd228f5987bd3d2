package disclosure

import (
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/pii"
)

// RequestInput is a request as the applicant or the registering officer
// wrote it (Art 29).
type RequestInput struct {
	AgencyID      int64
	ApplicantType ApplicantType
	Name          string
	IDType        string
	IDNumber      string
	Phone         string
	Email         string
	Address       string
	Description   string
	Delivery      string
	Channel       Channel
	ReceivedOn    string // Art 31 date for the channels other than online; empty = today
}

// Deliveries are the forms of delivery an applicant may ask for (Art 40).
var Deliveries = []string{"纸质文本", "电子邮件", "光盘或其他电子介质", "当场查阅、抄录", "网站下载"}

func (in *RequestInput) normalize() {
	for _, p := range []*string{&in.Name, &in.IDType, &in.Phone, &in.Email, &in.Address, &in.Description, &in.Delivery, &in.ReceivedOn} {
		*p = strings.TrimSpace(*p)
	}
	in.IDNumber = strings.ToUpper(strings.TrimSpace(in.IDNumber))
	if in.ApplicantType == "" {
		in.ApplicantType = ApplicantPerson
	}
}

// validate refuses what cannot be right (unknown choices, malformed numbers)
// and returns the Art 29 items that are merely missing: a request lacking
// them is registered and goes to 补正, it is never lost.
func (in *RequestInput) validate() (missing []string, err error) {
	var f apperr.Fields
	f.Check(in.ApplicantType.Label() == "", "applicant_type", "请选择申请人类型")
	f.Check(in.Channel.Label() == "", "channel", "请选择申请渠道")
	f.Check(in.AgencyID <= 0, "agency_id", "请选择受理机关")
	checkLen(&f, "name", "申请人姓名或名称", in.Name, 100, false)
	checkLen(&f, "description", "所需信息的描述", in.Description, 5000, false)
	checkLen(&f, "address", "通信地址", in.Address, 200, false)
	checkLen(&f, "email", "电子邮箱", in.Email, 100, false)
	f.Check(in.Email != "" && !strings.Contains(in.Email, "@"), "email", "电子邮箱格式不正确")
	if in.IDNumber != "" && in.ApplicantType == ApplicantPerson && (in.IDType == "" || in.IDType == "居民身份证") {
		f.AddErr("id_number", pii.CheckIDNumber(in.IDNumber))
	}
	if in.Phone != "" && strings.HasPrefix(in.Phone, "1") {
		f.AddErr("phone", pii.CheckMobile(in.Phone))
	}
	f.Check(in.Name == "" && in.Description == "", "description", "请至少填写申请人姓名或所需信息的描述")
	return in.missing(), f.Err()
}

func (in *RequestInput) missing() []string {
	var m []string
	add := func(empty bool, item string) {
		if empty {
			m = append(m, item)
		}
	}
	add(in.Name == "", "申请人姓名或者名称")
	add(in.IDNumber == "", "申请人的身份证明")
	add(in.Phone == "" && in.Email == "" && in.Address == "", "申请人的联系方式")
	add(in.Description == "", "申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述")
	add(in.Delivery == "", "申请公开的政府信息的形式要求，包括获取信息的方式、途径")
	return m
}

// receivedOn is the Art 31 receipt date of a request registered by staff.
func (in *RequestInput) receivedOn(today calendar.Date) (calendar.Date, error) {
	if in.ReceivedOn == "" || in.Channel == ChannelInPerson {
		return today, nil
	}
	d, err := calendar.ParseDate(in.ReceivedOn)
	if err != nil {
		return today, apperr.Field("received_on", "收到日期格式应为 YYYY-MM-DD")
	}
	if d.After(today) {
		return today, apperr.Field("received_on", "收到日期不能晚于今天")
	}
	return d, nil
}

// EventInput records a clock event.
type EventInput struct {
	Kind   EventKind
	On     string // YYYY-MM-DD; empty = today
	Days   int
	Amount int64
	Pages  int // a fee notice by volume (按量计收): the pages charged for
	Party  string
	Note   string
}

// AnswerInput answers a request.
type AnswerInput struct {
	Type    AnswerType
	Reason  string
	Text    string // the officer's own words
	ReferTo string // Art 36(5)
}

func (in *AnswerInput) validate() (Reason, error) {
	var f apperr.Fields
	in.Text, in.ReferTo = strings.TrimSpace(in.Text), strings.TrimSpace(in.ReferTo)
	r, ok := ReasonOf(in.Type, in.Reason)
	switch {
	case in.Type.Label() == "":
		f.Add("type", "请选择答复类型")
	case in.Reason == "":
		f.Add("reason", "请选择“"+in.Type.Label()+"”的具体情形（对应年度报告表三的行）")
	case !ok:
		f.Add("reason", "所选情形与答复类型不符")
	}
	f.Check(in.Type == AnswerOther && in.Reason != "other", "reason", "逾期不补正、逾期不缴费由系统按期限自动处理")
	checkLen(&f, "text", "答复内容", in.Text, 10000, in.Type == AnswerPartial || in.Type == AnswerWithhold)
	checkLen(&f, "refer_to", "负责公开的机关", in.ReferTo, 100, false)
	return r, f.Err()
}
