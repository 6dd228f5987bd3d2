package supervision

import (
	"reflect"
	"testing"
	"time"
)

func TestSummaryRoundTrip(t *testing.T) {
	at := time.Date(2026, 4, 3, 9, 30, 0, 123000, time.UTC)
	for _, r := range []WatchRow{
		{},
		{Depts: []int64{3, 7}, SubmittedAt: at, AcceptedAt: at.Add(time.Hour), PromisedDue: "2026-04-15", Provisional: 2027,
			Colour: Red, Paused: true, Overdue: true, IntakeLate: true, IntakeUser: 42, WindowID: 9},
	} {
		var got WatchRow
		DecodeSummary(EncodeSummary(r), &got)
		if !reflect.DeepEqual(got, r) {
			t.Errorf("round trip of %+v gave %+v", r, got)
		}
	}
	if a, b := EncodeSummary(WatchRow{Colour: Yellow}), EncodeSummary(WatchRow{Colour: Red}); a == b {
		t.Errorf("different colours encode alike: %q", a)
	}
	var r WatchRow
	DecodeSummary("damaged", &r) // a value of another shape leaves the row as it was
	if !reflect.DeepEqual(r, WatchRow{}) {
		t.Errorf("a damaged summary set %+v", r)
	}
}
