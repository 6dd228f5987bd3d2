package cases

import (
	"context"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// Store is what cases need from storage. Every method joins the
// transaction in ctx.
type Store interface {
	// CreateCase inserts a new case with its events, materials and, when d
	// is not nil, its details, and sets its ID and Number. A second case
	// with the same idempotency key is a Conflict.
	CreateCase(ctx context.Context, c *Case, idempotencyKey string, queryCodeHash []byte, d *Details) error
	// FindCaseByIdempotencyKey returns the case created with key (NotFound).
	FindCaseByIdempotencyKey(ctx context.Context, key string) (*Case, error)
	// LoadCase returns a case with its events, branches and materials. With
	// lock, the row is locked for the rest of the transaction.
	LoadCase(ctx context.Context, id int64, lock bool) (*Case, error)
	// FindCaseByNumber returns a case and its query-code hash (NotFound).
	FindCaseByNumber(ctx context.Context, number string) (*Case, []byte, error)
	// FindCaseForLookup is what the public progress lookup needs in one
	// read: the case without its materials, form or personal data beyond
	// the applicant's name, its query-code hash, and until when the
	// lookup's throttle keys are locked. Case is nil when no case has the
	// number (not an error: the throttle still counts the guess).
	FindCaseForLookup(ctx context.Context, number string, throttleKeys []string) (Guarded, error)
	// SaveCase writes the case after events, with the due dates kept for
	// queues, refusing (Conflict) when its stored version is no longer
	// fromVersion: someone else changed it.
	SaveCase(ctx context.Context, c *Case, fromVersion int, events []Event, materials []MaterialFile, due Dues) error
	// FindCases lists case summaries with the total.
	FindCases(ctx context.Context, f Filter) ([]*Summary, int, error)

	// FindDetails returns the details of cases by id; cases filed before
	// details were kept are missing from the map.
	FindDetails(ctx context.Context, ids []int64) (map[int64]Details, error)
	// ResetQueryCode replaces a case's 查询密码: its hash on the case and
	// progress rows, and its sealed copy.
	ResetQueryCode(ctx context.Context, caseID int64, hash, sealed []byte) error
	// UpdateDraft rewrites a draft's form, applicant, fee and materials.
	UpdateDraft(ctx context.Context, c *Case) error
	// FindOpenCaseIDs lists, in id order after afterID, the open cases with
	// a due date (promised, legal, a branch's or the intake's) on or after
	// from (YYYY-MM-DD).
	FindOpenCaseIDs(ctx context.Context, from string, afterID int64, limit int) ([]int64, error)
	// UpdateDues rewrites the due dates kept for queues, refusing (Conflict)
	// when the case's stored version is no longer c.Version.
	UpdateDues(ctx context.Context, c *Case, due Dues) error

	// GrantUpload records that the user uploaded the file with sha256 (the
	// same pair again changes nothing).
	GrantUpload(ctx context.Context, userID int64, sha256 string, at time.Time) error
	// HasUpload reports whether the user uploaded the file with sha256 or
	// has it among the materials of a case they applied for or filed.
	HasUpload(ctx context.Context, userID int64, sha256 string) (bool, error)
}

// Details are what a case keeps beside its row.
type Details struct {
	QueryCode []byte // the 查询密码, sealed with the deployment's key
	IntakeDue string // YYYY-MM-DD while a receipt waits for an answer, else ""
}

// Guarded is a case found for the public lookup with its guards.
type Guarded struct {
	Case        *Case
	CodeHash    []byte
	LockedUntil time.Time // zero when no key is locked
}

// Dues are the due dates kept on the case rows for sorting queues.
type Dues struct {
	Promised string // YYYY-MM-DD, "" when not running
	Legal    string
	Branches []string // per branch: its current step's due date
	Intake   string   // the end of 行政许可法 Art 32's period while a receipt waits
	// IntakeMoved: the events saved start or end such a wait, so SaveCase
	// also writes Intake into the case's details.
	IntakeMoved bool
}

// Filter selects cases; zero fields do not filter.
type Filter struct {
	ApplicantUserID int64
	AgentID         int64
	Status          []Status
	RegionPrefixes  []string // intake: cases handled in these subtrees
	DepartmentIDs   []int64  // approval: open branches of these departments
	StepRoles       []identity.Role
	RefundOwed      bool // closed, not approved, a fee paid and not refunded
	Offset, Limit   int
}

// Summary is a case as a row of a list.
type Summary struct {
	ID            int64
	Number        string
	Status        Status
	Decision      Decision
	ItemName      string
	ApplicantName string
	Channel       Channel
	SubmittedAt   time.Time
	AcceptedAt    time.Time
	ClosedAt      time.Time
	PromisedDue   string
	LegalDue      string
	Branch        int    // for approval queues: the branch waiting on the department
	StepDue       string // its step's due date
	Department    int64
	IntakeDue     string // intake queue: the end of 行政许可法 Art 32's period
	RegionPath    string // whose working-day calendar the due dates follow
}

// Procedures turns a published item version into the procedure a case
// follows (the catalogue provides it).
type Procedures interface {
	// Procedure is the procedure of a published version whose item accepts
	// applications under that version today.
	Procedure(ctx context.Context, itemVersionID int64) (*Procedure, error)
	// Published is the procedure of a published version, whatever its
	// item's state today.
	Published(ctx context.Context, itemVersionID int64) (*Procedure, error)
}

// Calendars gives the working-day calendar of a region.
type Calendars interface {
	ForRegion(regionPath string) (*calendar.Calendar, error)
}

// Transactor runs fn in one transaction.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Auditor appends to the audit log inside the caller's transaction.
type Auditor interface {
	Append(ctx context.Context, r audit.Record) error
}

// Notifier tells people about their cases; it enqueues inside the caller's
// transaction, so a message exists if and only if the change committed.
type Notifier interface {
	NotifyCase(ctx context.Context, c *Case, e Event) error
}

// Certifier issues the electronic certificate of an approved case, signed
// by the centre of the department, and returns its number.
type Certifier interface {
	IssueCertificate(ctx context.Context, a *identity.Actor, c *Case) (string, error)
}

// Throttle counts wrong guesses of progress lookups; FindCaseForLookup
// reports whether too many have locked a key.
type Throttle interface {
	Fail(ctx context.Context, key string) error
}

// Quota counts what an account does under a limit every node shares: Take
// counts one more, or refuses with an apperr.TooMany error when the limit
// is reached.
type Quota interface {
	// Check refuses when key has nothing left (it counts nothing).
	Check(ctx context.Context, key string) error
	// Take counts one under key, refusing when nothing is left; it joins
	// the caller's transaction.
	Take(ctx context.Context, key string) error
}

// Watcher follows the cases being handled (electronic supervision). It is
// told of every change of a submitted case inside the change's transaction
// and must do little there: the transition waits for it.
type Watcher interface {
	CaseChanged(ctx context.Context, c *Case) error
}

// DecisionRecorder is told about each decision (准予 or 不予) inside the
// decision's transaction, so that the register of decisions made public
// (双公示) gets it if and only if the decision committed. It should only
// enqueue or write one small row.
type DecisionRecorder interface {
	CaseDecided(ctx context.Context, c *Case, e Event) error
}
