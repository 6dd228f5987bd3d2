package supervision

import (
	"encoding/json"
	"strconv"
	"strings"

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
	r := w.Row
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

// sameRow compares the parts of two rows an evaluation sets.
func sameRow(a, b WatchRow) bool {
	return a.Status == b.Status && DeptList(a.Depts) == DeptList(b.Depts) && a.SubmittedAt.Equal(b.SubmittedAt) &&
		a.AcceptedAt.Equal(b.AcceptedAt) && a.PromisedDue == b.PromisedDue && a.Provisional == b.Provisional &&
		a.Colour == b.Colour && a.Paused == b.Paused && a.Overdue == b.Overdue && a.IntakeLate == b.IntakeLate &&
		a.IntakeUser == b.IntakeUser && a.WindowID == b.WindowID && a.Evaluated == b.Evaluated
}
