package supervision

import (
	"testing"

	"openhall/internal/cases"
)

// BenchmarkEvaluateNow is the re-evaluation of an open case with nothing
// new: what a calendar import costs per open case.
func BenchmarkEvaluateNow(b *testing.B) {
	t := &testing.T{}
	h := springFestival(t)
	in := input(t, h, at(2026, 2, 24, 12, 0))
	out, _ := Evaluate(in)
	in.Done, in.Open = out.Done, out.Open
	b.ResetTimer()
	for b.Loop() {
		if _, err := Evaluate(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluateClosed is the full evaluation of a closed case from its
// first event (a recount).
func BenchmarkEvaluateClosed(b *testing.B) {
	t := &testing.T{}
	h := springFestival(t)
	h.do(cases.Command{Kind: cases.CmdPass, Branch: 1, Reason: "材料齐全，符合条件"}, at(2026, 2, 27, 16, 0))
	h.do(cases.Command{Kind: cases.CmdPass, Branch: 0, Reason: "材料齐全，符合条件"}, at(2026, 3, 2, 11, 0))
	h.do(cases.Command{Kind: cases.CmdPass, Branch: 0, Reason: "材料齐全，符合条件"}, at(2026, 3, 4, 15, 0))
	in := input(t, h, at(2026, 3, 10, 9, 0))
	b.ResetTimer()
	for b.Loop() {
		if _, err := Evaluate(in); err != nil {
			b.Fatal(err)
		}
	}
}
