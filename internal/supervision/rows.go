package supervision

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"openhall/internal/calendar"
)

// state is what the watch row keeps between evaluations.
type state struct {
	Open    []OpenCard  `json:"o,omitempty"`
	Pending []Judgement `json:"p,omitempty"`
}

// EncodeState writes the cards in force and the pending judgements.
func EncodeState(open []OpenCard, pending []Judgement) string {
	if len(open) == 0 && len(pending) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(state{open, pending})
	return string(b)
}

// DecodeState reads what EncodeState wrote.
func DecodeState(s string) ([]OpenCard, []Judgement, error) {
	if s == "" || s == "{}" {
		return nil, nil, nil
	}
	var st state
	err := json.Unmarshal([]byte(s), &st)
	return st.Open, st.Pending, err
}

// DeptList stores department ids as ",3,7,", so that one can be found with
// LIKE '%,7,%'.
func DeptList(ids []int64) string {
	if len(ids) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte(',')
	for _, id := range ids {
		b.WriteString(strconv.FormatInt(id, 10))
		b.WriteByte(',')
	}
	return b.String()
}

// ParseDeptList reads what DeptList wrote.
func ParseDeptList(s string) []int64 {
	var out []int64
	for _, p := range strings.Split(strings.Trim(s, ","), ",") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// rowOf is the watch row an evaluation leaves.
func rowOf(w *Watched, out Output, windowID int64) WatchRow {
	sm := out.Summary
	var r WatchRow
	r.CaseID, r.Number, r.Status = w.CaseID, w.Number, sm.Status
	r.Depts, r.SubmittedAt, r.AcceptedAt = sm.Depts, sm.SubmittedAt, sm.AcceptedAt
	r.PromisedDue, r.Provisional, r.Colour = "", sm.Provisional, sm.Colour
	if sm.PromisedDue != (calendar.Date{}) {
		r.PromisedDue = sm.PromisedDue.String()
	}
	r.Paused, r.Overdue, r.IntakeLate, r.IntakeUser, r.WindowID = sm.Paused, sm.Overdue, sm.IntakeLate, sm.IntakeUser, windowID
	r.Evaluated = true
	return r
}

// EncodeSummary writes the parts of a watch row an evaluation sets, in one
// value: the evaluator reads that one column instead of a dozen, and an
// evaluation that changed nothing is recognised by comparing it.
func EncodeSummary(r WatchRow) string {
	b := make([]byte, 0, 96)
	b = append(b, DeptList(r.Depts)...)
	for _, n := range []int64{micro(r.SubmittedAt), micro(r.AcceptedAt), int64(r.Provisional), int64(r.Colour), flag(r.Paused),
		flag(r.Overdue), flag(r.IntakeLate), r.IntakeUser, r.WindowID} {
		b = append(append(b, '|'), strconv.FormatInt(n, 10)...)
	}
	return string(append(append(b, '|'), r.PromisedDue...))
}

// DecodeSummary reads what EncodeSummary wrote into r.
func DecodeSummary(s string, r *WatchRow) {
	parts := strings.Split(s, "|")
	if len(parts) != 11 {
		return
	}
	n := func(i int) int64 { v, _ := strconv.ParseInt(parts[i], 10, 64); return v }
	r.Depts, r.SubmittedAt, r.AcceptedAt = ParseDeptList(parts[0]), fromMicro(n(1)), fromMicro(n(2))
	r.Provisional, r.Colour, r.Paused, r.Overdue, r.IntakeLate = int(n(3)), Colour(n(4)), n(5) == 1, n(6) == 1, n(7) == 1
	r.IntakeUser, r.WindowID, r.PromisedDue = n(8), n(9), parts[10]
}

func micro(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicro(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.UnixMicro(n).UTC()
}

func flag(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
