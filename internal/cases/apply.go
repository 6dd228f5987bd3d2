package cases

import (
	"strconv"
)

func itoa(n int) string { return strconv.Itoa(n) }

// Apply changes the case by one event; replaying a case's events from an
// empty case with its procedure rebuilds it.
func (c *Case) Apply(e Event) {
	e.Seq = len(c.Events) + 1
	c.Events = append(c.Events, e)
	c.Version++
	if fn, ok := appliers[e.Kind]; ok {
		fn(c, e)
	}
}

var appliers = map[EventKind]func(*Case, Event){
	EventCreated:   func(c *Case, e Event) { c.Status, c.CreatedAt = StatusDraft, e.At },
	EventSubmitted: func(c *Case, e Event) { c.Status, c.SubmittedAt = StatusSubmitted, e.At },
	EventSupplementRequested: func(c *Case, e Event) {
		c.Status, c.Rounds = StatusSupplement, c.Rounds+1
	},
	EventSupplemented: func(c *Case, e Event) { c.Status = StatusSubmitted },
	EventAccepted:     applyAccepted,
	EventReturnedToApplicant: func(c *Case, e Event) {
		c.Status, c.Rounds = StatusCorrection, c.Rounds+1
	},
	EventCorrected:          func(c *Case, e Event) { c.Status = StatusReview },
	EventFeePaid:            applyFeePaid,
	EventStepPassed:         func(c *Case, e Event) { c.Branches[e.Branch].Step = e.ToStep },
	EventStepReturned:       func(c *Case, e Event) { c.Branches[e.Branch].Step = e.ToStep },
	EventSpecialStarted:     func(c *Case, e Event) { c.Branches[e.Branch].Special = e.Code },
	EventSpecialEnded:       func(c *Case, e Event) { c.Branches[e.Branch].Special = "" },
	EventExtensionRequested: func(c *Case, e Event) { c.Branches[e.Branch].Pending = e.Days },
	EventExtensionApproved: func(c *Case, e Event) {
		b := &c.Branches[e.Branch]
		b.Extension, b.Pending = b.Extension+e.Days, 0
	},
	EventExtensionDenied: func(c *Case, e Event) { c.Branches[e.Branch].Pending = 0 },
	EventBranchDecided: func(c *Case, e Event) {
		b := &c.Branches[e.Branch]
		b.Done, b.Decision = true, e.Decision
	},
	EventDecided:           applyDecided,
	EventRefunded:          applyRefunded,
	EventCertificateIssued: func(c *Case, e Event) { c.Certificate = e.Ref },
	EventClosed: func(c *Case, e Event) {
		c.Status, c.Completion, c.ClosedAt = StatusClosed, Completion(e.Code), e.At
	},
}

// applyAccepted starts the approval: one branch per department, each at
// its first step. 即办件 have no branches: they are decided at once.
func applyAccepted(c *Case, e Event) {
	c.Status, c.AcceptedAt = StatusReview, e.At
	c.Branches = make([]BranchState, len(c.Procedure.Branches))
	for i := range c.Branches {
		c.Branches[i].Index = i
	}
}

func applyFeePaid(c *Case, e Event) {
	n, _ := strconv.ParseInt(e.Code, 10, 64)
	c.Fee.PaidFen += n
	c.Fee.Receipt, c.Fee.PaidAt = e.Ref, e.At
}

// Before returns the case as it was before its last n events: the projection
// rebuilt from the events before them. What no event changes (procedure,
// applicant, form, fee due) is shared with c; materials are left out.
func (c *Case) Before(n int) *Case {
	b := &Case{ID: c.ID, Number: c.Number, Procedure: c.Procedure, Applicant: c.Applicant, AgentID: c.AgentID,
		Channel: c.Channel, Form: c.Form, Fee: FeeState{DueFen: c.Fee.DueFen}}
	for _, e := range c.Events[:max(0, len(c.Events)-n)] {
		b.Apply(e)
	}
	return b
}

// applyDecided records the decision; an approval whose fee is still owed
// waits for it before the result is issued.
func applyDecided(c *Case, e Event) {
	c.Decision = e.Decision
	if e.Decision == DecisionApproved && !c.Fee.Paid() {
		c.Status = StatusPayment
	}
}

func applyRefunded(c *Case, e Event) {
	n, _ := strconv.ParseInt(e.Code, 10, 64)
	c.Fee.RefundedFen += n
	c.Fee.RefundReceipt = e.Ref
}
