package disclosure

import (
	"fmt"
	"strings"

	"openhall/internal/calendar"
)

// Letter is a notice to the applicant (告知书, 补正通知书, 延期通知书 …),
// ready to print and deliver.
type Letter struct {
	Title      string
	Number     string
	Addressee  string
	Paragraphs []string
	Agency     string
	Date       string
}

// remedyText tells the applicant how to challenge the answer (Art 51;
// 行政复议法 2023 Art 20: 60 days; 行政诉讼法 Art 46: 6 months).
const remedyText = "如对本答复不服，可以自收到本告知书之日起六十日内依法申请行政复议，或者自收到本告知书之日起六个月内依法提起行政诉讼。"

// AnswerLetter writes the 政府信息公开申请答复告知书 of an answered request.
func AnswerLetter(v *RequestView) (*Letter, error) {
	r := v.Request
	if r.Status != ReqAnswered {
		return nil, fmt.Errorf("request %d is not answered", r.ID)
	}
	reason, _ := ReasonOf(r.Answer, r.Reason)
	l := &Letter{Title: "政府信息公开申请答复告知书", Number: r.Number, Addressee: r.Name, Agency: v.Agency.Name, Date: r.AnsweredOn.String()}
	l.Paragraphs = append(l.Paragraphs, fmt.Sprintf("本机关于%s收到您（单位）提出的政府信息公开申请（编号 %s），申请获取：%s。",
		v.Clock.ReceivedOn, r.Number, orNone(r.Description)))
	l.Paragraphs = append(l.Paragraphs, answerParagraph(r, reason))
	if r.AnswerText != "" {
		l.Paragraphs = append(l.Paragraphs, r.AnswerText)
	}
	if r.Answer == AnswerDisclose || r.Answer == AnswerPartial {
		l.Paragraphs = append(l.Paragraphs, "所提供的政府信息见附件，获取方式："+orNone(r.Delivery)+"。")
	}
	l.Paragraphs = append(l.Paragraphs, remedyText)
	return l, nil
}

func answerParagraph(r *Request, reason Reason) string {
	basis := "《中华人民共和国政府信息公开条例》"
	if reason.Article != "" && !strings.HasPrefix(reason.Article, "国办函") {
		basis += reason.Article
	}
	switch r.Answer {
	case AnswerDisclose:
		if r.Reason == "already_public" {
			return "经审查，您申请的信息已经主动公开。根据" + basis + "的规定，现告知您获取该信息的方式和途径。"
		}
		return "经审查，您申请的信息属于公开范围。根据" + basis + "的规定，本机关予以公开。"
	case AnswerPartial:
		return "经审查，您申请的信息中含有不应当公开的内容，但能够作区分处理。根据" + basis + "的规定，本机关向您提供可以公开的部分；对不予公开的部分，理由为：" + strings.TrimPrefix(reason.Label, "不予公开部分：") + "。"
	case AnswerWithhold:
		return "经审查，您申请的信息" + reason.Label + "。根据" + basis + "的规定，本机关不予公开。"
	case AnswerUnable:
		text := "经检索查找，" + reason.Label + "。根据" + basis + "的规定，本机关无法提供。"
		if r.ReferTo != "" {
			text += "经了解，负责公开该信息的行政机关为" + r.ReferTo + "，您可向其提出申请。"
		}
		return text
	case AnswerNotProcessed:
		return "经审查，您的申请属于“" + reason.Label + "”的情形。根据" + basis + "的规定，本机关不予处理。"
	}
	return "您的申请已按“" + reason.Label + "”处理。"
}

// CorrectionLetter writes the 补正通知书 of a request, listing everything to
// correct at once (Art 30).
func CorrectionLetter(v *RequestView, e *Event) *Letter {
	return &Letter{Title: "政府信息公开申请补正通知书", Number: v.Request.Number, Addressee: v.Request.Name,
		Agency: v.Agency.Name, Date: e.On.String(), Paragraphs: []string{
			fmt.Sprintf("本机关于%s收到您（单位）提出的政府信息公开申请（编号 %s）。经审查，申请内容需要补正。", v.Clock.ReceivedOn, v.Request.Number),
			"根据《中华人民共和国政府信息公开条例》第三十条的规定，请您一次性补正以下内容：" + e.Note,
			fmt.Sprintf("请于 %s%s 前提交补正材料。答复期限自本机关收到补正后的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
				v.Clock.CorrectionDue, v.Clock.ProvisionalNote()),
		}}
}

// ExtensionLetter writes the 延期答复告知书 (Art 33).
func ExtensionLetter(v *RequestView, e *Event) *Letter {
	return &Letter{Title: "政府信息公开申请延期答复告知书", Number: v.Request.Number, Addressee: v.Request.Name,
		Agency: v.Agency.Name, Date: e.On.String(), Paragraphs: []string{
			fmt.Sprintf("您（单位）提出的政府信息公开申请（编号 %s），因%s，本机关不能在法定期限内作出答复。", v.Request.Number, orNone(e.Note)),
			fmt.Sprintf("根据《中华人民共和国政府信息公开条例》第三十三条的规定，经政府信息公开工作机构负责人（%s）同意，答复期限延长 %d 个工作日，至 %s。", e.Party, e.Days, v.Clock.DueText()),
		}}
}

// ConsultationLetter writes the 征求意见函 of Arts 32 and 34: to a third
// party whose rights disclosure may harm (书面征求意见), or to another agency
// that produced the information together with this one. It states the
// 15-working-day period and what silence means: for a third party the
// agency decides (Art 32); for an agency silence is consent (Art 34).
func ConsultationLetter(v *RequestView, e *Event) *Letter {
	due, err := consultDue(v, e)
	l := &Letter{Title: "政府信息公开征求第三方意见函", Number: v.Request.Number, Addressee: e.Party, Agency: v.Agency.Name, Date: e.On.String()}
	l.Paragraphs = append(l.Paragraphs, fmt.Sprintf("本机关于%s收到政府信息公开申请（编号 %s），申请公开的信息为：%s。", v.Clock.ReceivedOn, v.Request.Number,
		orNone(v.Request.Description)))
	period := fmt.Sprintf("请自收到本函之日起 15 个工作日内（%s）以书面形式提出是否同意公开的意见及理由。", due)
	if err != nil {
		period = "请自收到本函之日起 15 个工作日内以书面形式提出是否同意公开的意见及理由。"
	}
	if e.Kind == EvConsultAgency {
		l.Title = "政府信息公开征求意见函（其他行政机关）"
		l.Paragraphs = append(l.Paragraphs, "该信息由本机关与贵机关共同制作。根据《中华人民共和国政府信息公开条例》第三十四条的规定，现征求贵机关意见。", period,
			"贵机关逾期未提出意见的，视为同意公开。")
	} else {
		l.Paragraphs = append(l.Paragraphs, "经审查，公开该信息可能损害贵方合法权益。根据《中华人民共和国政府信息公开条例》第三十二条的规定，现书面征求贵方意见。", period,
			"逾期未提出意见的，由本机关依照条例的规定决定是否公开。贵方不同意公开且有合理理由的，本机关不予公开；本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知贵方。")
	}
	if e.Note != "" {
		l.Paragraphs = append(l.Paragraphs, "需征求意见的内容："+e.Note)
	}
	return l
}

// consultDue is the end of a consultation's 15 working days as shown.
func consultDue(v *RequestView, e *Event) (string, error) {
	if v.Calendar == nil {
		return "", fmt.Errorf("no calendar")
	}
	d, err := v.Calendar.AddWorkdays(e.On, consultWorkdays)
	if err != nil {
		return "", err
	}
	return "至 " + d.String() + "前" + calendarNote(v.Calendar.Provisional(e.On, d)), nil
}

// FeeNotice writes the 收费通知书 of 国办函〔2020〕109号 (Art 42): the basis,
// the standard, the amount, how to pay, and the 20 working days counted from
// the day after the applicant receives it; unpaid, the request is deemed
// abandoned.
func FeeNotice(v *RequestView, e *Event) *Letter {
	due := "自收到本通知之次日起 20 个工作日内"
	if v.Clock.FeeDue != (calendar.Date{}) {
		due += "（至 " + v.Clock.FeeDue.String() + v.Clock.ProvisionalNote() + "）"
	}
	rank := ""
	if e.Days > 0 {
		rank = fmt.Sprintf("本申请为您（单位）本月向本机关提出的第 %d 件申请，", e.Days)
	}
	pay := orNone(e.Note)
	return &Letter{Title: "政府信息公开信息处理费收费通知书", Number: v.Request.Number, Addressee: v.Request.Name, Agency: v.Agency.Name,
		Date: e.On.String(), Paragraphs: []string{
			fmt.Sprintf("您（单位）提出的政府信息公开申请（编号 %s）本机关已于%s收到。", v.Request.Number, v.Clock.ReceivedOn),
			"收费依据：《中华人民共和国政府信息公开条例》第四十二条，《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）。申请人申请公开政府信息的数量、频次明显超过合理范围的，行政机关可以收取信息处理费。",
			"收费标准：按件计收，同一申请人一个自然月内累计申请 10 件以下（含）的不收费；11—30 件（含）的部分每件 100 元；31 件以上的部分，每增加 10 件，每件收费标准提高 100 元。按件计收与按量计收不同时适用。",
			fmt.Sprintf("%s应缴纳信息处理费 %d 元。", rank, e.Amount),
			"缴费方式：" + pay,
			"请于" + due + "缴纳。逾期未缴纳的，视为放弃申请，本机关不再处理该政府信息公开申请。收费期间不计入答复期限。",
		}}
}

func calendarNote(year int) string { return calendar.ProvisionalNote(year) }

// LetterKinds are the events that have a printable letter.
var LetterKinds = []EventKind{EvCorrection, EvExtension, EvConsultThird, EvConsultAgency, EvFeeNotice}

// LetterFor returns the printable letter of a request event: the answer, the
// correction notice, the extension notice, a consultation letter or the
// fee notice.
func LetterFor(v *RequestView, kind EventKind) (*Letter, error) {
	if kind == EvAnswered {
		return AnswerLetter(v)
	}
	for i := len(v.Events) - 1; i >= 0; i-- {
		e := v.Events[i]
		if e.Kind != kind {
			continue
		}
		switch kind {
		case EvCorrection:
			return CorrectionLetter(v, e), nil
		case EvExtension:
			return ExtensionLetter(v, e), nil
		case EvConsultThird, EvConsultAgency:
			return ConsultationLetter(v, e), nil
		case EvFeeNotice:
			return FeeNotice(v, e), nil
		}
	}
	return nil, fmt.Errorf("request %d has no %s letter", v.Request.ID, kind)
}
