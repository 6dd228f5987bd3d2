package disclosure

import (
	"fmt"
	"strings"
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
			fmt.Sprintf("请于 %s 前提交补正材料。答复期限自本机关收到补正后的申请之日起计算。无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。", v.Clock.CorrectionDue),
		}}
}

// ExtensionLetter writes the 延期答复告知书 (Art 33).
func ExtensionLetter(v *RequestView, e *Event) *Letter {
	return &Letter{Title: "政府信息公开申请延期答复告知书", Number: v.Request.Number, Addressee: v.Request.Name,
		Agency: v.Agency.Name, Date: e.On.String(), Paragraphs: []string{
			fmt.Sprintf("您（单位）提出的政府信息公开申请（编号 %s），因%s，本机关不能在法定期限内作出答复。", v.Request.Number, orNone(e.Note)),
			fmt.Sprintf("根据《中华人民共和国政府信息公开条例》第三十三条的规定，经政府信息公开工作机构负责人（%s）同意，答复期限延长 %d 个工作日，至 %s。", e.Party, e.Days, v.Clock.Due),
		}}
}

// LetterFor returns the printable letter of a request event: the answer, the
// correction notice or the extension notice.
func LetterFor(v *RequestView, kind EventKind) (*Letter, error) {
	if kind == EvAnswered {
		return AnswerLetter(v)
	}
	for _, e := range v.Events {
		if e.Kind == kind && kind == EvCorrection {
			return CorrectionLetter(v, e), nil
		}
		if e.Kind == kind && kind == EvExtension {
			return ExtensionLetter(v, e), nil
		}
	}
	return nil, fmt.Errorf("request %d has no %s letter", v.Request.ID, kind)
}
