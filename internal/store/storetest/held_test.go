package storetest

import (
	"context"
	"errors"
	"testing"
)

// TestRolledBackReadNotKept: a department read inside a transaction that
// renamed it and was then rolled back is not kept by the department cache;
// the next read outside shows the committed name. One read inside a
// transaction that commits is kept.
func TestRolledBackReadNotKept(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		sv := NewServices(b.Open(t, nil), nil)
		tr := BuildTree(t, sv)
		ctx, id := context.Background(), tr.Department.ID
		committed := tr.Department.Name
		rollback := errors.New("rolled back")
		err := sv.Stores.InTx(ctx, func(ctx context.Context) error {
			d, err := sv.Stores.Org.FindDepartmentByID(ctx, id)
			if err != nil {
				return err
			}
			d.Name = "回滚前的新名称"
			if err := sv.Stores.Org.UpdateDepartment(ctx, d); err != nil {
				return err
			}
			if d, err := sv.Org.Department(ctx, id); err != nil || d.Name != "回滚前的新名称" {
				t.Errorf("inside the transaction: %+v %v", d, err)
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatalf("transaction: %v", err)
		}
		if d, err := sv.Org.Department(ctx, id); err != nil || d.Name != committed {
			t.Fatalf("after the rollback the department reads %q (%v), want %q", d.Name, err, committed)
		}
	})
}
