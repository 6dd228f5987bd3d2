package storetest

import (
	"context"
	"fmt"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/notify"
	"openhall/internal/store"
)

// TestQueuedRows: audit entries and notifications written in one
// transaction are all stored, in the order written, and sealed; on
// PostgreSQL the entries go as one statement and the notifications as
// another. A notification for nobody fails the transaction with the field
// named, and nothing of it is kept.
func TestQueuedRows(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		f := newNotifyFixture(t, b)
		ctx := context.Background()
		me := registerCitizen(t, f.sv)
		n := notify.NewService(f.sv.Stores.Notify, f.sv.Stores.Identity, f.sv.Stores, f.rec, notify.Options{})
		before := counted(f.sv.Stores)
		err := f.sv.Stores.InTx(ctx, func(ctx context.Context) error {
			for i := range 3 {
				if err := f.sv.Audit.Append(ctx, auditRecord(i)); err != nil {
					return err
				}
				if err := n.Post(ctx, notify.Message{UserID: me.UserID, Kind: "case.accepted", Title: fmt.Sprint("消息", i)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if b.Name == "postgres" {
			if got := counted(f.sv.Stores) - before; got != 2 {
				t.Errorf("three entries and three notifications took %d statements, want 2", got)
			}
		}
		es, err := f.sv.Audit.Find(ctx, audit.Filter{ObjectType: "queued"})
		if err != nil || len(es) != 3 || es[0].ObjectID != "2" || es[2].ObjectID != "0" || es[0].ID <= es[2].ID {
			t.Fatalf("entries, newest first: %+v %v", es, err)
		}
		ns, err := f.n.Inbox(ctx, me, notify.Filter{})
		if err != nil || len(ns) != 3 || ns[0].Title != "消息2" || ns[2].Title != "消息0" {
			t.Fatalf("inbox, newest first: %+v %v", ns, err)
		}
		if _, err := f.sv.Audit.Seal(ctx); err != nil {
			t.Fatal(err)
		}
		if rep, err := f.sv.Audit.Verify(ctx); err != nil || !rep.OK || rep.Pending != 0 {
			t.Fatalf("chain over merged entries: %+v %v", rep, err)
		}
		err = f.sv.Stores.InTx(ctx, func(ctx context.Context) error {
			if err := f.sv.Audit.Append(ctx, auditRecord(9)); err != nil {
				return err
			}
			if err := n.Post(ctx, notify.Message{UserID: me.UserID, Kind: "case.accepted", Title: "给我"}); err != nil {
				return err
			}
			return n.Post(ctx, notify.Message{UserID: me.UserID + 999, Kind: "case.accepted", Title: "给没有的人"})
		})
		if !apperr.Is(err, apperr.Invalid) || apperr.FieldsOf(err)["user_id"] != "接收人不存在" {
			t.Fatalf("a notification for nobody: %v", err)
		}
		if es, _ := f.sv.Audit.Find(ctx, audit.Filter{ObjectType: "queued", ObjectID: "9"}); len(es) != 0 {
			t.Fatalf("the failed transaction kept its entry: %+v", es)
		}
		if ns, _ := f.n.Inbox(ctx, me, notify.Filter{}); len(ns) != 3 {
			t.Fatalf("the failed transaction kept a notification: %d", len(ns))
		}
	})
}

func auditRecord(i int) audit.Record {
	return audit.Record{Actor: audit.Actor{ID: 1, Label: "测试"}, Scope: "region:/1/", Action: "test.queued",
		ObjectType: "queued", ObjectID: fmt.Sprint(i), Change: map[string]any{"i": i}}
}

// counted is the statements a backend has sent so far.
func counted(s *store.Stores) int64 {
	return s.Backend.(store.Counted).Counters().Statements.Load()
}
