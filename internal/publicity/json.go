package publicity

import "openhall/internal/powers"

// EntryJSON is an entry as the register's JSON download and the API give
// it: what is public, nothing more.
type EntryJSON struct {
	ID           int64      `json:"id"`
	Kind         Kind       `json:"kind"`
	KindLabel    string     `json:"kind_label"`
	Number       string     `json:"number"`
	Title        string     `json:"title"`
	HolderKind   HolderKind `json:"holder_kind"`
	HolderName   string     `json:"holder_name"`
	CreditCode   string     `json:"credit_code,omitempty"`
	DecidedOn    string     `json:"decided_on"`
	ValidFrom    string     `json:"valid_from,omitempty"`
	ValidTo      string     `json:"valid_to,omitempty"`
	Content      string     `json:"content"`
	Basis        string     `json:"basis"`
	PenaltyKinds []string   `json:"penalty_kinds,omitempty"`
	FineYuan     string     `json:"fine_yuan,omitempty"`
	DepartmentID int64      `json:"department_id"`
	Department   string     `json:"department"`
	Status       Status     `json:"status"`
	StatusReason string     `json:"status_reason,omitempty"`
	PublishedOn  string     `json:"published_on"`
	PublicUntil  string     `json:"public_until,omitempty"`
}

// ToJSON describes an entry for downloads.
func ToJSON(e *Entry) EntryJSON {
	j := EntryJSON{ID: e.ID, Kind: e.Kind, KindLabel: e.Kind.Label(), Number: e.Number, Title: e.Title, HolderKind: e.HolderKind,
		HolderName: e.HolderName, CreditCode: e.CreditCode, DecidedOn: e.DecidedOn.String(), ValidFrom: dateCell(e.ValidFrom),
		ValidTo: dateCell(e.ValidTo), Content: e.Content, Basis: e.Basis, PenaltyKinds: e.PenaltyKinds, DepartmentID: e.DepartmentID,
		Department: e.DeptName, Status: e.Status, StatusReason: e.StatusReason, PublishedOn: dateCell(e.PublishedOn),
		PublicUntil: dateCell(e.PublicUntil)}
	if e.FineFen > 0 {
		j.FineYuan = powers.Yuan(e.FineFen)
	}
	return j
}
