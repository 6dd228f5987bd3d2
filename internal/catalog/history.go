package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"openhall/internal/calendar"
)

// HistoryEntry is one line of the public change history of a guide.
type HistoryEntry struct {
	Date      calendar.Date
	VersionID int64 // 0 for a status change
	Number    int
	Text      string
	at        time.Time // when it was decided, to order entries of one day
}

// History returns the item's public change history, newest first: what
// each published version changed and each suspension, resumption and
// cancellation, in plain words.
func (s *Service) History(ctx context.Context, it *Item) ([]HistoryEntry, error) {
	vs, err := s.store.FindVersions(ctx, it.ID)
	if err != nil {
		return nil, err
	}
	evs, err := s.store.FindEvents(ctx, it.ID)
	if err != nil {
		return nil, err
	}
	var out []HistoryEntry
	for _, v := range vs {
		if v.State != StatePublished {
			continue
		}
		for _, c := range v.Changes {
			out = append(out, HistoryEntry{Date: v.EffectiveDate, VersionID: v.ID, Number: v.Number, Text: c, at: v.ReviewedAt})
		}
	}
	for _, e := range evs {
		t := e.Kind.Label()
		if e.Reason != "" {
			t += "：" + e.Reason
		}
		out = append(out, HistoryEntry{Date: e.Date, Text: t, at: e.CreatedAt})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if c := out[i].Date.Compare(out[j].Date); c != 0 {
			return c > 0
		}
		return out[i].at.After(out[j].at)
	})
	return out, nil
}

// String is the entry as the guide shows it: "2026-03-01 承诺办结时限由 …".
func (h HistoryEntry) String() string { return h.Date.String() + " " + h.Text }

// Diff says in plain words how guide b differs from guide a, one line per
// change, for the public change history.
func Diff(a, b *Guide) []string {
	var out []string
	add := func(s string) { out = append(out, s) }
	changed(add, "事项名称", a.Name, b.Name)
	changed(add, "承诺办结时限", LimitText(a.PromisedLimit.Limit), LimitText(b.PromisedLimit.Limit))
	changed(add, "法定办结时限", LimitText(a.LegalLimit.Limit), LimitText(b.LegalLimit.Limit))
	changed(add, "办件类型", a.Kind.Label(), b.Kind.Label())
	diffNamed(add, "设定依据", basisNames(a.LegalBases), basisNames(b.LegalBases))
	changedText(add, "受理条件", a.Conditions, b.Conditions)
	diffNamed(add, "申请材料", materialNames(a.Materials), materialNames(b.Materials))
	changed(add, "办理流程", stepNames(a.Steps), stepNames(b.Steps))
	changed(add, "收费", feeText(a.Fees), feeText(b.Fees))
	changed(add, "办理结果", a.Result.Name, b.Result.Name)
	changed(add, "办理地点", a.Location, b.Location)
	changed(add, "办理时间", a.Hours, b.Hours)
	changed(add, "咨询方式", a.Consult, b.Consult)
	changed(add, "监督投诉方式", a.Complaint, b.Complaint)
	changed(add, "网上办理", yesNo(a.Online), yesNo(b.Online))
	if len(out) == 0 && !sameJSON(a, b) {
		add("办事指南其他内容调整")
	}
	return out
}

func changed(add func(string), label, a, b string) {
	if a != b {
		add(label + "由" + quoteIfText(a) + "调整为" + quoteIfText(b))
	}
}

// quoteIfText quotes text and sets numbers-with-units off by a space, as
// Chinese typesetting does: "由 20 个工作日调整为 10 个工作日".
func quoteIfText(s string) string {
	switch {
	case s == "":
		return "（无）"
	case s[0] >= '0' && s[0] <= '9':
		return " " + s
	case s == "当场办结" || s == "是" || s == "否":
		return s
	}
	return "“" + s + "”"
}

func changedText(add func(string), label, a, b string) {
	if a != b {
		add(label + "调整")
	}
}

// diffNamed lists what was added to and removed from a named list.
func diffNamed(add func(string), label string, a, b []string) {
	for _, x := range b {
		if !contains(a, x) {
			add(fmt.Sprintf("新增%s“%s”", label, x))
		}
	}
	for _, x := range a {
		if !contains(b, x) {
			add(fmt.Sprintf("取消%s“%s”", label, x))
		}
	}
}

func basisNames(bs []LegalBasis) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.Law + b.Article
	}
	return out
}

func materialNames(ms []Material) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Name
	}
	return out
}

func stepNames(ss []Step) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = s.Name
	}
	return strings.Join(names, "→")
}

func feeText(f Fees) string {
	if !f.Charged {
		return "不收费"
	}
	parts := make([]string, len(f.Items))
	for i, it := range f.Items {
		parts[i] = it.Name + " " + it.Describe()
	}
	return strings.Join(parts, "；")
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func sameJSON(a, b *Guide) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
