// Package remind tells whoever must act on a deadline of follow-up work
// (a complaint's clocks, a bad review's ticket) once when it turns yellow
// and once when it turns red. The owning package decides which clocks
// remind, who is told and in what words; this package decides, when a
// reminder's timer runs, whether it tells, sets itself again or does
// nothing, and keeps each reminder sent in the audit log, which is also
// what makes a timer run twice tell once.
package remind

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/workclock"
)

// Key names one reminder: one warning of one run of one clock of an
// object.
type Key struct {
	Clock   string            `json:"clock"`
	Run     int64             `json:"run"` // the run's start, Unix microseconds
	Warning workclock.Warning `json:"warning"`
}

// Sent is what the audit log keeps of a reminder sent, after what the
// object's package adds in front (its number).
type Sent struct {
	Key
	Due         string `json:"due"`
	Provisional int    `json:"provisional_year,omitempty"`
	Told        int    `json:"told"` // how many people
}

// Log is the audit log, read and appended to inside the caller's
// transaction.
type Log interface {
	Append(ctx context.Context, r audit.Record) error
	Find(ctx context.Context, f audit.Filter) ([]*audit.Entry, error)
}

// Object is an object whose clocks remind, as the audit log names it.
type Object struct {
	Type   string // "complaint", "rating_ticket"
	ID     int64
	Scope  string // "region:<path>"
	Action string // the action of a reminder sent
}

// Check is one run of a reminder's timer: the reminder, and its clock as
// the timer finds it on reading the object again, locked.
type Check struct {
	Key    Key
	Object Object
	Clock  workclock.Clock  // the clock now
	Run    time.Time        // the start of the clock's current run
	Pauses []workclock.Span // the clock's pauses
	Cal    *calendar.Calendar
	Now    time.Time
}

// Do carries the check out (workclock.Clock.Remind): a timer of a clock
// met, paused or started again since does nothing; one early sets itself
// again with later; one on time tells with tell, unless the reminder is in
// the audit log already. The object's row is locked, so a concurrent run
// waits, and then sees the first one's entry.
func (c Check) Do(ctx context.Context, log Log, later func(at time.Time) error, tell func() error) error {
	switch c.Clock.Remind(c.Run.UnixMicro() == c.Key.Run, c.Key.Warning) {
	case workclock.StepLater:
		at, err := workclock.Again(c.Cal, c.Clock, c.Pauses, c.Key.Warning, c.Now)
		if err != nil || at.IsZero() {
			return err
		}
		return later(at)
	case workclock.StepTell:
		sent, err := c.sent(ctx, log)
		if err != nil || sent {
			return err
		}
		return tell()
	}
	return nil
}

// sent reports whether the reminder was sent already: its audit entry
// exists.
func (c Check) sent(ctx context.Context, log Log) (bool, error) {
	o := c.Object
	es, err := log.Find(ctx, audit.Filter{ObjectType: o.Type, ObjectID: strconv.FormatInt(o.ID, 10), Action: o.Action, Limit: 500})
	if err != nil {
		return false, err
	}
	for _, e := range es {
		var k Key
		if json.Unmarshal(e.Detail, &k) == nil && k == c.Key {
			return true, nil
		}
	}
	return false, nil
}

// Sent is the audit record of the reminder sent to told people.
func (c Check) Sent(told int) Sent {
	return Sent{Key: c.Key, Due: c.Clock.Due.String(), Provisional: c.Clock.Provisional, Told: told}
}

// Record appends the audit entry of the reminder sent; change is the
// object package's record, which holds Sent.
func (c Check) Record(ctx context.Context, log Log, change any) error {
	o := c.Object
	return log.Append(ctx, audit.Record{Actor: audit.System, Scope: o.Scope, Action: o.Action,
		ObjectType: o.Type, ObjectID: strconv.FormatInt(o.ID, 10), Change: change})
}

// Body is a reminder's text: the clock's label, its period, where it
// stands, and what to do (what), before it is due or, once red, at once.
func Body(label string, k workclock.Clock, w workclock.Warning, what string) string {
	ask := "请在到期前" + what + "。"
	if w == workclock.WarnRed {
		ask = "已超过期限，请立即" + what + "。"
	}
	return fmt.Sprintf("%s（%d 个工作日）：%s。%s", label, k.Days, k.Text(), ask)
}
