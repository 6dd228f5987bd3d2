package store

import (
	"time"

	"openhall/internal/cases"
)

// Column is one column of a row to set, and its value.
type Column struct {
	Name  string
	Value any
}

// CaseChanges lists the projection columns of a case (the row queries read)
// whose value differs between before and after its new events, so that a
// save rewrites only those. Times are encoded by at, as the backend stores
// them.
func CaseChanges(before, after *cases.Case, at func(time.Time) any) []Column {
	var cols []Column
	set := func(name string, changed bool, v any) {
		if changed {
			cols = append(cols, Column{name, v})
		}
	}
	set("status", before.Status != after.Status, after.Status)
	set("decision", before.Decision != after.Decision, after.Decision)
	set("completion", before.Completion != after.Completion, after.Completion)
	set("fee_paid", before.Fee.PaidFen != after.Fee.PaidFen, after.Fee.PaidFen)
	set("fee_receipt", before.Fee.Receipt != after.Fee.Receipt, after.Fee.Receipt)
	set("rounds", before.Rounds != after.Rounds, after.Rounds)
	set("certificate", before.Certificate != after.Certificate, after.Certificate)
	set("submitted_at", !before.SubmittedAt.Equal(after.SubmittedAt), at(after.SubmittedAt))
	set("accepted_at", !before.AcceptedAt.Equal(after.AcceptedAt), at(after.AcceptedAt))
	set("closed_at", !before.ClosedAt.Equal(after.ClosedAt), at(after.ClosedAt))
	return cols
}
