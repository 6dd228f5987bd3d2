package store

import (
	"reflect"
	"testing"
	"time"

	"openhall/internal/cases"
)

func TestCaseChanges(t *testing.T) {
	at := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	enc := func(t time.Time) any { return t.Unix() }
	before := &cases.Case{Status: cases.StatusSubmitted, SubmittedAt: at}
	same := *before
	accepted := *before
	accepted.Status, accepted.AcceptedAt = cases.StatusReview, at.Add(time.Hour)
	for _, tc := range []struct {
		name  string
		after *cases.Case
		want  []Column
	}{
		{"nothing changed", &same, nil},
		{"accepted", &accepted, []Column{{"status", cases.StatusReview}, {"accepted_at", at.Add(time.Hour).Unix()}}},
	} {
		if got := CaseChanges(before, tc.after, enc); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
