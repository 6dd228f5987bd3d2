// Package audit keeps the one append-only record of every state change in
// OpenHall (全过程记录) and makes it tamper-evident.
//
// A change appends an Entry in the same transaction as the change itself. The
// entry carries the actor, the scope it acted in, the action, the object, the
// change (as JSON with personal data masked) and its SM3 digest. A sealer then
// links committed entries into a hash chain: each sealed entry has a chain
// position (Seq), the hash of the entry before it and its own SM3 hash over
// all of its fields. Sealing runs right after commits (and on a timer) rather
// than inside the appending transaction, so that concurrent transactions on
// PostgreSQL never queue behind one chain lock.
//
// The sealer never rewrites an entry. It takes the entries committed since
// the last seal in a cheap, fixed order (their Mark: on PostgreSQL the
// appending transaction's id, then the row id; on SQLite, whose one writer
// commits in row order, the row id), links them and stores the links of the
// whole batch in one Seal, with the new end of the chain (the Head). On
// PostgreSQL a batch only takes entries of transactions that began writing
// before every transaction still running in the database, so no entry can
// commit later behind the watermark and be missed. Entries linked one by one
// in their own rows (before seals existed) stay valid and come first.
// Verify re-walks the chain and names the first entry that does not fit;
// an entry behind the watermark that no seal lists was slipped in afterwards.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Actor identifies who acted. ID 0 is the system itself (CLI, demo loader,
// background jobs).
type Actor struct {
	ID    int64
	Label string // shown in the log: a staff member's name, a masked citizen name, "系统"
}

// System is the actor for changes made by the product itself.
var System = Actor{ID: 0, Label: "系统"}

// Record is what a service asks to be written.
type Record struct {
	Actor      Actor
	Scope      string // where the actor acted: "region:/1/2/", "centre:3", "dept:7", "system", "identity"
	Action     string // dotted verb: "org.region.create"
	ObjectType string // "region", "user", "case" …
	ObjectID   string
	Change     any // marshalled to JSON; must not contain unmasked personal data
}

// Entry is one row of the log.
type Entry struct {
	ID         int64 // insertion order
	Mark       Mark  // sealing order of entries sealed in batches
	Seq        int64 // chain position; 0 until sealed
	At         time.Time
	ActorID    int64
	ActorLabel string
	Scope      string
	Action     string
	ObjectType string
	ObjectID   string
	Detail     []byte // the change as JSON
	Digest     []byte // SM3(Detail)
	PrevHash   []byte // hash of the entry at Seq-1; zeros for Seq 1
	Hash       []byte // SM3 over every field above
}

// Sealed reports whether the entry has been linked into the chain.
func (e *Entry) Sealed() bool { return e.Seq > 0 }

// Mark orders entries for sealing in batches: the id of the transaction
// that appended the entry (PostgreSQL; 0 on SQLite), then the entry's ID.
type Mark struct {
	Tx int64
	ID int64
}

// After reports whether m comes after o.
func (m Mark) After(o Mark) bool { return m.Tx > o.Tx || m.Tx == o.Tx && m.ID > o.ID }

// Head is the end of the chain.
type Head struct {
	Seq  int64
	Hash []byte
	Mark Mark // the last entry sealed in a batch: later ones are pending
}

// Filter selects entries for listing.
type Filter struct {
	ObjectType string
	ObjectID   string
	ActorID    *int64
	Action     string
	Limit      int
	BeforeID   int64  // entries with ID < BeforeID, for paging backwards; 0 = newest
	Within     *Reach // the part of the log the reader may see; nil = every entry
}

// Reach is the part of the log a reader of a region or a department sees,
// by the entries' scope: an entry scoped "region:<path>" under one of
// Regions (paths such as "/1/2/", each with its subtree), or "centre:<id>"
// or "dept:<id>" of a centre or department of one of those regions, or
// "dept:<id>" of one of Departments. Entries of the whole deployment
// ("system", "identity" and any other form) are in no reach. An empty
// Reach sees nothing.
type Reach struct {
	Regions     []string
	Departments []int64
}

// Store is what the audit log needs from storage.
type Store interface {
	// AppendAuditEntry inserts an unsealed entry, inside the transaction in
	// ctx when there is one. It need not set the entry's ID.
	AppendAuditEntry(ctx context.Context, e *Entry) error
	// SealAuditEntries links up to max entries after the head's mark into
	// the chain in one transaction that holds the chain lock: it loads the
	// head and, in Mark order, the entries no later transaction can precede
	// any more, calls seal to fill their Seq, PrevHash and Hash, and stores
	// them as one Seal (see NewSeal) with the new head. It never changes an
	// entry. It returns how many were sealed.
	SealAuditEntries(ctx context.Context, max int, seal func(head Head, pending []*Entry) Head) (int, error)
	// WalkAuditChain calls fn for every entry linked in its own row (sealed
	// before seals existed), in Seq order, streaming.
	WalkAuditChain(ctx context.Context, fn func(*Entry) error) error
	// WalkAuditSeals calls fn for every seal in chain order, streaming.
	WalkAuditSeals(ctx context.Context, fn func(*Seal) error) error
	// WalkAuditMarked calls fn for every entry not linked in its own row
	// whose mark is not after through, in Mark order, streaming; entries
	// that have no mark (they can only have been slipped in) come first.
	WalkAuditMarked(ctx context.Context, through Mark, fn func(*Entry) error) error
	// AuditHead returns the stored end of the chain and the number of
	// entries not yet sealed.
	AuditHead(ctx context.Context) (Head, int64, error)
	// FindAuditEntries lists entries, newest first, without their links.
	FindAuditEntries(ctx context.Context, f Filter) ([]*Entry, error)
	// FindAuditSeals returns the seals that may list entries with IDs in
	// [minID, maxID].
	FindAuditSeals(ctx context.Context, minID, maxID int64) ([]*Seal, error)
}

// Log appends records and seals them.
type Log struct {
	store Store
	now   func() time.Time
	kick  chan struct{}
}

// NewLog returns a Log writing to store.
func NewLog(store Store, now func() time.Time) *Log {
	if now == nil {
		now = time.Now
	}
	return &Log{store: store, now: now, kick: make(chan struct{}, 1)}
}

// Append writes r in the transaction carried by ctx.
func (l *Log) Append(ctx context.Context, r Record) error {
	detail, err := json.Marshal(r.Change)
	if err != nil {
		return fmt.Errorf("encode audit change for %s: %w", r.Action, err)
	}
	e := &Entry{
		At:         l.now().UTC().Truncate(time.Microsecond),
		ActorID:    r.Actor.ID,
		ActorLabel: r.Actor.Label,
		Scope:      r.Scope,
		Action:     r.Action,
		ObjectType: r.ObjectType,
		ObjectID:   r.ObjectID,
		Detail:     detail,
		Digest:     Digest(detail),
	}
	if err := l.store.AppendAuditEntry(ctx, e); err != nil {
		return fmt.Errorf("append audit entry %s: %w", r.Action, err)
	}
	l.Kick()
	return nil
}

// Kick asks the sealer to run soon. It never blocks.
func (l *Log) Kick() {
	select {
	case l.kick <- struct{}{}:
	default:
	}
}

// Find lists entries, newest first, with their links once sealed.
func (l *Log) Find(ctx context.Context, f Filter) ([]*Entry, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	es, err := l.store.FindAuditEntries(ctx, f)
	if err != nil || len(es) == 0 {
		return es, err
	}
	return es, l.fillLinks(ctx, es)
}

// fillLinks gives entries sealed in batches their chain position and links
// from the seals that list them.
func (l *Log) fillLinks(ctx context.Context, es []*Entry) error {
	lo, hi := int64(0), int64(0)
	for _, e := range es {
		if e.Seq != 0 {
			continue
		}
		if lo == 0 || e.ID < lo {
			lo = e.ID
		}
		hi = max(hi, e.ID)
	}
	if hi == 0 {
		return nil
	}
	seals, err := l.store.FindAuditSeals(ctx, lo, hi)
	if err != nil {
		return fmt.Errorf("find audit seals: %w", err)
	}
	for _, s := range seals {
		s.fill(es)
	}
	return nil
}
