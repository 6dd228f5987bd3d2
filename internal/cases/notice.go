package cases

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
)

// Supplement notices (行政许可法 Art 32 ¶1 (4)): where the materials are
// incomplete or not in the legal form, the body tells the applicant at
// once, on the spot or within 5 working days of receipt, everything that
// needs to be supplemented (一次性告知); if it does not, the application
// counts as accepted from the day the materials were received.
//
// Each item of a notice says what answers it: a file for one of the item's
// materials, or a written statement. One notice per case: after the
// applicant supplements, a further notice may only name defects in what
// was handed in in that round, and says so. A supplement must answer every
// item of the notice; an empty one is refused.

// NeedStatement marks a notice item answered by a written statement.
const NeedStatement = "statement"

// FollowUp is the Code of a further notice, limited to the last round.
const FollowUp = "followup"

// noticeItems pairs the notice's items with what answers each: the items
// that are not blank, and for each its need (a statement when not given).
func noticeItems(cmd Command) (items, needs []string) {
	for i, it := range cmd.Items {
		if it = strings.TrimSpace(it); it == "" {
			continue
		}
		need := NeedStatement
		if i < len(cmd.Needs) && strings.TrimSpace(cmd.Needs[i]) != "" {
			need = strings.TrimSpace(cmd.Needs[i])
		}
		items, needs = append(items, it), append(needs, need)
	}
	return items, needs
}

// pairedNotice: needs[i] is the material item i asks for, so there are no
// more needs than items, and no material is asked for by an empty item
// (either would be dropped from the notice without a word).
func pairedNotice(cmd Command) error {
	if len(cmd.Needs) > len(cmd.Items) {
		return apperr.Field("needs", fmt.Sprintf("补正要求须与补正事项逐项对应：列了 %d 项补正事项（items），却有 %d 项材料要求（needs）",
			len(cmd.Items), len(cmd.Needs)))
	}
	for i, need := range cmd.Needs {
		need = strings.TrimSpace(need)
		if strings.TrimSpace(cmd.Items[i]) == "" && need != "" && need != NeedStatement {
			return apperr.Field("items", fmt.Sprintf("第 %d 项补正事项为空，却要求补交材料“%s”：请写明该材料需要补正什么", i+1, need))
		}
	}
	return nil
}

// checkNotice: a notice lists at least one item, and each item needs a
// statement or a file of one of the item's uploaded materials.
func checkNotice(c *Case, cmd Command) error {
	if err := pairedNotice(cmd); err != nil {
		return err
	}
	items, needs := noticeItems(cmd)
	if len(items) == 0 {
		return apperr.Field("items", "请逐项列明需要补正的材料或内容（一次性告知）")
	}
	var f apperr.Fields
	total := 0
	for i, n := range needs {
		m, ok := c.Procedure.material(n)
		f.Check(n != NeedStatement && (!ok || m.Kind != MaterialUpload), "items",
			fmt.Sprintf("第 %d 项补正要求所指的材料“%s”不是该事项需上传的材料", i+1, n))
		size := utf8.RuneCountInString(items[i])
		f.Check(size > maxNoticeItem, "items", fmt.Sprintf("第 %d 项补正事项不能超过 %d 字", i+1, maxNoticeItem))
		total += size
	}
	// The notice is also sent to the applicant as a message, which has room
	// for this much.
	f.Check(total > maxNoticeText, "items", fmt.Sprintf("补正事项合计不能超过 %d 字，请精简", maxNoticeText))
	return f.Err()
}

// maxNoticeItem and maxNoticeText bound one item of a 补正 notice and all of them.
const (
	maxNoticeItem = 500
	maxNoticeText = 3000
)

// checkIntakeInTime: past the 5 working days of Art 32 a notice may no
// longer be given; the case counts as accepted from receipt.
func checkIntakeInTime(c *Case, cmd Command) error {
	if cmd.IntakeDue.IsZero() || !cmd.at.After(cmd.IntakeDue) {
		return nil
	}
	return apperr.New(apperr.Conflict, "收到申请材料已满 %d 个工作日（%s 期满），依法不能再告知补正：逾期不告知的，自收到申请材料之日起即为受理（行政许可法第三十二条）。请受理后在审查中处理",
		intakeNoticeDays, calendar.DateOf(cmd.IntakeDue))
}

// checkOneNotice: a further notice names only what was handed in in the
// last round (its files, or its statements).
func checkOneNotice(c *Case, cmd Command) error {
	if countEvents(c, EventSupplementRequested) == 0 {
		return nil
	}
	allowed, names := lastRound(c)
	_, needs := noticeItems(cmd)
	for i, n := range needs {
		if !allowed[n] {
			return apperr.Field("items", fmt.Sprintf("一次性补正告知已经发出，再次告知只能针对第 %d 次补正所提交的内容（%s）；第 %d 项不在其中，不能提出新的补正要求（行政许可法第三十二条）",
				c.Rounds, strings.Join(names, "、"), i+1))
		}
	}
	return nil
}

// lastRound is what the applicant handed in answering the latest notice:
// the material codes of its files, and NeedStatement when it held a
// statement; names says the same in words.
func lastRound(c *Case) (map[string]bool, []string) {
	allowed, names := map[string]bool{}, []string{}
	for _, m := range c.Materials {
		if m.Round == c.Rounds && m.Round > 0 && !allowed[m.Code] {
			allowed[m.Code] = true
			names = append(names, c.Procedure.MaterialName(m.Code))
		}
	}
	if e, ok := latest(c, EventSupplemented); ok && hasText(e.Items) {
		allowed[NeedStatement] = true
		names = append(names, "书面说明")
	}
	return allowed, names
}

func supplementNotice(c *Case, cmd Command) []Event {
	e := ev(EventSupplementRequested, -1)
	e.Items, e.Needs = noticeItems(cmd)
	e.Days, e.Ref = c.Procedure.SupplementDays, cmd.Ref
	if countEvents(c, EventSupplementRequested) > 0 {
		e.Code = FollowUp
	}
	return []Event{e}
}

// checkAnswers: a supplement (or a correction) answers every item of the
// latest notice of kind: a file for a material, a statement for the rest.
func checkAnswers(kind EventKind) func(*Case, Command) error {
	return func(c *Case, cmd Command) error {
		notice, ok := latest(c, kind)
		if !ok {
			return nil
		}
		supplied := map[string]bool{}
		for _, s := range cmd.Supplied {
			supplied[s] = true
		}
		var f apperr.Fields
		for i, item := range notice.Items {
			need := notice.Need(i)
			if need == NeedStatement {
				f.Check(strings.TrimSpace(nth(cmd.Answers, i)) == "", fmt.Sprintf("answer.%d", i), fmt.Sprintf("第 %d 项“%s”：请填写书面说明", i+1, item))
				continue
			}
			f.Check(!supplied[need], "material."+need, fmt.Sprintf("第 %d 项“%s”：请上传补正后的“%s”", i+1, item, c.Procedure.MaterialName(need)))
		}
		if len(f) > 0 {
			return &apperr.Error{Code: apperr.Invalid, Message: "补正内容不完整：请逐项回应补正告知，未回应的事项不能提交", Fields: f}
		}
		return nil
	}
}

// answerEvent records a supplement or a correction with its statements,
// one per item of the notice ("" where a file answers it).
func answerEvent(kind EventKind) func(*Case, Command) []Event {
	return func(c *Case, cmd Command) []Event {
		e := ev(kind, -1)
		notice, _ := latest(c, noticeOf[kind])
		answers := make([]string, len(notice.Items))
		for i := range answers {
			answers[i] = strings.TrimSpace(nth(cmd.Answers, i))
		}
		if hasText(answers) {
			e.Items = answers
		}
		return []Event{e}
	}
}

var noticeOf = map[EventKind]EventKind{EventSupplemented: EventSupplementRequested, EventCorrected: EventReturnedToApplicant}

// Need returns what answers item i of a notice.
func (e Event) Need(i int) string {
	if n := nth(e.Needs, i); n != "" {
		return n
	}
	return NeedStatement
}

func nth(xs []string, i int) string {
	if i < 0 || i >= len(xs) {
		return ""
	}
	return xs[i]
}

func hasText(xs []string) bool {
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			return true
		}
	}
	return false
}

// latest returns the latest event of a kind.
func latest(c *Case, kind EventKind) (Event, bool) {
	for i := len(c.Events) - 1; i >= 0; i-- {
		if c.Events[i].Kind == kind {
			return c.Events[i], true
		}
	}
	return Event{}, false
}

func countEvents(c *Case, kind EventKind) int {
	n := 0
	for _, e := range c.Events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// material returns the material of a code.
func (p *Procedure) material(code string) (Material, bool) {
	for _, m := range p.Materials {
		if m.Code == code {
			return m, true
		}
	}
	return Material{}, false
}

// MaterialName is the name of a material code ("书面说明" for statements).
func (p *Procedure) MaterialName(code string) string {
	switch code {
	case NeedStatement:
		return "书面说明"
	case "authorization":
		return "授权委托书"
	}
	if m, ok := p.material(code); ok {
		return m.Name
	}
	return code
}
