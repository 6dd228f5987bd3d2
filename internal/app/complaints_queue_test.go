package app_test

import (
	"strings"
	"testing"
	"time"

	"openhall/internal/apptest"
)

// TestComplaintQueueOrder: the desk's queue lists the overdue complaints
// first, the one overdue longest leading (not the newest), then those
// about to be due, then the rest: within each colour the clock due first
// comes first.
func TestComplaintQueueOrder(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, clock := demoApp(t, backend, cstAt(3, 2, 10))
		filed := map[string]string{} // number → name
		for _, f := range []struct {
			name string
			at   time.Time
		}{
			{"overdue longest", cstAt(3, 2, 10)},
			{"overdue a while", cstAt(4, 1, 10)},
			{"overdue a day", cstAt(5, 11, 10)},
			{"about due", cstAt(5, 14, 10)},
			{"fresh", cstAt(5, 19, 10)},
		} {
			clock.Set(f.at)
			filed[citizenComplaintA01(t, a, "窗口长时间无人受理："+f.name).Complaint.Number] = f.name
		}
		clock.Set(cstAt(5, 20, 10))
		list, err := a.Services.Complaints.Queue(t.Context(), actor(t, a, "supervisor"), false)
		if err != nil {
			t.Fatal(err)
		}
		var got, clocks []string
		for _, it := range list {
			got = append(got, filed[it.Complaint.Number])
			clocks = append(clocks, it.Clocks.Accept.Text())
		}
		want := "overdue longest|overdue a while|overdue a day|about due|fresh"
		if strings.Join(got, "|") != want {
			t.Fatalf("queue order %q, want %q\nclocks: %q", strings.Join(got, "|"), want, clocks)
		}
		if !strings.Contains(clocks[0], "超期 49 个工作日") || !strings.Contains(clocks[2], "超期 2 个工作日") || list[3].Clocks.Warning() != "yellow" {
			t.Fatalf("the clocks are not what the test means: %q", clocks)
		}
	})
}
