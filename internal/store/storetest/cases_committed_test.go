package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"openhall/internal/cases"
)

// TestLoadCaseUnderLockReadsWhatIsCommitted: a case loaded under its lock
// is the case as committed, whatever was loaded or saved before: not a
// change that was rolled back, even when a later change committed the
// same version, and a change written by another process is seen.
func TestLoadCaseUnderLockReadsWhatIsCommitted(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		sv, filed := fileOne(t, b)
		id, v := filed.ID, filed.Version
		if err := addEvent(t, sv, id, "first", nil); err != nil {
			t.Fatal(err)
		}
		undone := errors.New("undone")
		if err := addEvent(t, sv, id, "rolled back", undone); !errors.Is(err, undone) {
			t.Fatalf("a transaction that fails: %v", err)
		}
		// Another process stores the version the rolled-back change had.
		b.Exec(t, sv.Stores, `INSERT INTO case_events (case_id, seq, kind, at, actor_id, actor_label, branch, detail)
			SELECT case_id, ?, 'withdrawn', at, 0, 'other process', -1, detail FROM case_events WHERE case_id = ? AND seq = 1`, v+2, id)
		b.Exec(t, sv.Stores, `UPDATE cases SET version = ? WHERE id = ?`, v+2, id)
		wantLast(t, sv, id, "other process", v+2)
		if err := addEvent(t, sv, id, "third", nil); err != nil {
			t.Fatalf("a change after another process's: %v", err)
		}
		wantLast(t, sv, id, "third", v+3)
	})
}

// fileOne opens the backend with the tree and files one case in it.
func fileOne(t *testing.T, b Backend) (*Services, *cases.Case) {
	t.Helper()
	sv := NewServices(b.Open(t, nil), nil)
	filed, err := newCases(sv, BuildTree(t, sv), &sideEffects{}).File(context.Background(), registerCitizen(t, sv), fileInput("locked"))
	if err != nil {
		t.Fatal(err)
	}
	return sv, filed.Case
}

// addEvent loads the case under its lock and saves it with one more event
// by label; a fail error rolls the transaction back after the save. (The
// function may run on the SQLite writer: it returns errors, as t.Fatal
// there would stop the writer.)
func addEvent(t *testing.T, sv *Services, id int64, label string, fail error) error {
	t.Helper()
	return sv.Stores.InTx(context.Background(), func(ctx context.Context) error {
		c, err := sv.Stores.Cases.LoadCase(ctx, id, true)
		if err != nil {
			return err
		}
		from := c.Version
		c.Apply(cases.Event{Kind: cases.EventSupplementRequested, At: time.Now().UTC().Truncate(time.Microsecond),
			ActorLabel: label, Branch: -1})
		if err := sv.Stores.Cases.SaveCase(ctx, c, from, c.Events[len(c.Events)-1:], nil, cases.Dues{}); err != nil {
			return err
		}
		return fail
	})
}

// wantLast checks, under the lock, the case's version and its last event.
func wantLast(t *testing.T, sv *Services, id int64, label string, version int) {
	t.Helper()
	err := sv.Stores.InTx(context.Background(), func(ctx context.Context) error {
		c, err := sv.Stores.Cases.LoadCase(ctx, id, true)
		if err != nil {
			return err
		}
		if last := c.Events[len(c.Events)-1]; c.Version != version || len(c.Events) != version || last.ActorLabel != label {
			t.Errorf("under the lock: version %d with %d events, the last by %q; want version %d, the last by %q",
				c.Version, len(c.Events), last.ActorLabel, version, label)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
