package cases

import (
	"maps"
	"slices"
	"time"
)

// Applicant is who the case is for.
type Applicant struct {
	UserID     int64  `json:"user_id"` // the account that owns the case; 0 for a walk-in without an account
	Kind       string `json:"kind"`    // person or legal
	Name       string `json:"name"`
	IDNumber   string `json:"id_number,omitempty"`   // person
	CreditCode string `json:"credit_code,omitempty"` // legal person
	Phone      string `json:"phone,omitempty"`
}

// Case is one application (办件) and everything that happened to it.
// Its fields other than Events are a projection of Events, kept so that
// queries need not replay history; Apply keeps them in step.
type Case struct {
	ID          int64
	Number      string // 办件编号, see Number
	Status      Status
	Decision    Decision
	Completion  Completion
	Procedure   Procedure
	Applicant   Applicant
	AgentID     int64 // the 代办员 or window clerk who filed it, if not the applicant
	Channel     Channel
	Form        map[string]string // the application form's values
	Materials   []MaterialFile
	Branches    []BranchState
	Rounds      int // 补正 rounds so far (before and after acceptance)
	Fee         FeeState
	Certificate string // number of the certificate issued, if any
	Bundled     bool   // filed as one of the cases of a 一件事 application (read with the case)
	Version     int    // optimistic concurrency: bumped by every change
	CreatedAt   time.Time
	SubmittedAt time.Time
	AcceptedAt  time.Time
	ClosedAt    time.Time
	Events      []Event
}

// MaterialFile is a material handed in for the case.
type MaterialFile struct {
	Code     string    `json:"code"` // the procedure's material code
	FileName string    `json:"file_name"`
	SHA256   string    `json:"sha256"`
	Size     int64     `json:"size"`
	MIME     string    `json:"mime"`
	Added    time.Time `json:"added"`
	Round    int       `json:"round"` // 0 = with the application, n = the n-th 补正
}

// BranchState is where one department's part of the approval stands.
type BranchState struct {
	Index     int      `json:"index"`
	Step      int      `json:"step"`      // index of the current step
	Done      bool     `json:"done"`      // the department has decided
	Decision  Decision `json:"decision"`  // its decision once done
	Special   string   `json:"special"`   // code of the 特别程序 under way, if any
	Extension int      `json:"extension"` // working days of approved 延长审批
	Pending   int      `json:"pending"`   // days of a requested extension awaiting approval
}

// FeeState records the fee of a case.
type FeeState struct {
	DueFen        int64     `json:"due_fen"`
	PaidFen       int64     `json:"paid_fen"`
	Receipt       string    `json:"receipt,omitempty"`
	PaidAt        time.Time `json:"paid_at,omitempty"`
	RefundedFen   int64     `json:"refunded_fen,omitempty"`
	RefundReceipt string    `json:"refund_receipt,omitempty"`
}

// Paid reports whether nothing is owed.
func (f FeeState) Paid() bool { return f.PaidFen >= f.DueFen }

// Owed is what remains to be paid.
func (f FeeState) Owed() int64 { return max(f.DueFen-f.PaidFen, 0) }

// RefundOwed is what must be paid back: a fee paid on a case that closed
// without being approved (refused, denied, withdrawn, timed out) is
// refunded in full, and the refund recorded.
func (c *Case) RefundOwed() int64 {
	if c.Status != StatusClosed || c.Decision == DecisionApproved {
		return 0
	}
	return max(c.Fee.PaidFen-c.Fee.RefundedFen, 0)
}

// BranchOf returns the state of branch i.
func (c *Case) BranchOf(i int) *BranchState {
	if i < 0 || i >= len(c.Branches) {
		return nil
	}
	return &c.Branches[i]
}

// CurrentStep returns the step branch b is at.
func (c *Case) CurrentStep(b *BranchState) Step {
	steps := c.Procedure.Branches[b.Index].Steps
	return steps[min(b.Step, len(steps)-1)]
}

// Active reports whether any branch is still deciding.
func (c *Case) Active() bool {
	for _, b := range c.Branches {
		if !b.Done {
			return true
		}
	}
	return false
}

// Clone returns a copy of c that shares nothing Apply or a command
// changes; the procedure, which nothing changes, is shared.
func (c *Case) Clone() *Case {
	d := *c
	d.Form = maps.Clone(c.Form)
	d.Materials = slices.Clone(c.Materials)
	d.Branches = slices.Clone(c.Branches)
	d.Events = slices.Clone(c.Events)
	return &d
}
