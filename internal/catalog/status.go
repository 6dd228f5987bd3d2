package catalog

import (
	"context"
	"fmt"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// StatusInput suspends, resumes or cancels an item.
type StatusInput struct {
	Reason string
	Date   calendar.Date // zero means today
}

// Suspend stops an active item from accepting applications (暂停办理).
func (s *Service) Suspend(ctx context.Context, a *identity.Actor, itemID int64, in StatusInput) (*Item, error) {
	return s.changeStatus(ctx, a, itemID, in, EventSuspend, []Status{StatusActive}, StatusSuspended)
}

// Resume lets a suspended item accept applications again.
func (s *Service) Resume(ctx context.Context, a *identity.Actor, itemID int64, in StatusInput) (*Item, error) {
	return s.changeStatus(ctx, a, itemID, in, EventResume, []Status{StatusSuspended}, StatusActive)
}

// Cancel cancels a published item for good (取消). It stays in the
// catalogue, with its guide and history, marked as cancelled.
func (s *Service) Cancel(ctx context.Context, a *identity.Actor, itemID int64, in StatusInput) (*Item, error) {
	return s.changeStatus(ctx, a, itemID, in, EventCancel, []Status{StatusActive, StatusSuspended}, StatusCancelled)
}

func (s *Service) changeStatus(ctx context.Context, a *identity.Actor, itemID int64, in StatusInput, kind EventKind, from []Status, to Status) (*Item, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	var it *Item
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var p place
		var err error
		if it, p, err = s.itemPlace(ctx, itemID); err != nil {
			return err
		}
		if err := CanChangeStatus(a, p.path, it.DepartmentID); err != nil {
			return err
		}
		if !contains(from, it.Status) {
			return apperr.New(apperr.Conflict, "事项当前为“%s”，不能%s", it.Status.Label(), kind.Label())
		}
		if err := s.checkStatusInput(&in, kind); err != nil {
			return err
		}
		it.Status, it.StatusReason, it.StatusDate, it.UpdatedAt = to, in.Reason, in.Date, s.now()
		if to == StatusActive {
			it.StatusReason, it.StatusDate = "", calendar.Date{}
		}
		return s.saveStatus(ctx, a, it, p, &Event{ItemID: it.ID, Kind: kind, Date: in.Date, Reason: in.Reason, Actor: person(a), CreatedAt: s.now()})
	})
	return it, err
}

func (s *Service) checkStatusInput(in *StatusInput, kind EventKind) error {
	if in.Date == (calendar.Date{}) {
		in.Date = s.today()
	}
	var f apperr.Fields
	text(&f, "reason", kind.Label()+"的原因", in.Reason, 1000, kind != EventResume)
	f.Check(in.Date.Before(s.today()), "date", fmt.Sprintf("日期不能早于今天（%s）", s.today()))
	return f.Err()
}

func (s *Service) saveStatus(ctx context.Context, a *identity.Actor, it *Item, p place, e *Event) error {
	if err := s.store.UpdateItem(ctx, it); err != nil {
		return err
	}
	if err := s.indexed(ctx, it); err != nil {
		return err
	}
	if err := s.store.AddEvent(ctx, e); err != nil {
		return err
	}
	return s.record(ctx, a, p, "catalog.item."+string(e.Kind), it.ID, map[string]any{"status": it.Status, "reason": e.Reason, "date": e.Date})
}
