package storetest

import (
	"testing"
	"time"
)

// TestSupervisionDamagedCaseWaits: a watched case that cannot be evaluated
// (here its stored state is damaged) is put aside for an hour and does not
// stop the re-evaluation of the others.
func TestSupervisionDamagedCaseWaits(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		f := newSupFixture(t, b)
		a, other := f.file(1, "a"), f.file(2, "b")
		f.evaluateAt(cst(3, 2, 10, 0))
		b.Exec(t, f.sv.Stores, `UPDATE supervision_watch SET state = 'damaged' WHERE case_id = ?`, a.ID)
		now := cst(3, 10, 9, 0) // five working days after submission: the intake is late
		f.clock.Set(now)
		if _, err := f.sup.ReevaluateAll(f.ctx); err != nil {
			t.Fatalf("one damaged case fails the re-evaluation: %v", err)
		}
		if r, err := f.sv.Stores.Supervision.FindWatch(f.ctx, other.ID); err != nil || !r.IntakeLate {
			t.Fatalf("the other case was evaluated: %+v %v", r, err)
		}
		due := func(at time.Time) bool {
			ws, err := f.sv.Stores.Supervision.DueCases(f.ctx, at, 10)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range ws {
				if w.CaseID == a.ID {
					return true
				}
			}
			return false
		}
		if due(now.Add(59*time.Minute)) || !due(now.Add(time.Hour)) {
			t.Fatal("the damaged case is looked at again in an hour")
		}
	})
}
