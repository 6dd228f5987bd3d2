package rating

import (
	"context"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

// The rater's phone on a ticket is personal data: those who handle the
// ticket see it masked, and show it in full only by asking to, for the
// call back, which the audit log records.

// fillContact sets how the department reaches the rater: the name and the
// phone, masked unless full.
func (s *Service) fillContact(ctx context.Context, v *TicketView, r *Rating, full bool) {
	name, phone := s.contact(ctx, r)
	v.HasPhone = phone != ""
	v.PhoneShown = full && v.HasPhone
	if !v.PhoneShown {
		phone = pii.MaskMobile(phone)
	}
	v.Contact = strings.TrimSpace(name + " " + phone)
}

// contact is how the department reaches a real-name rater: the account's
// name and phone, or the phone the visit's SMS went to.
func (s *Service) contact(ctx context.Context, r *Rating) (name, phone string) {
	if r.Anonymous {
		return "", ""
	}
	if r.RaterUserID != 0 {
		if u, err := s.d.Users.FindUserByID(ctx, r.RaterUserID); err == nil {
			return u.Name, u.Phone
		}
	}
	if r.VisitID != 0 {
		if v, err := s.d.Store.FindVisitByID(ctx, r.VisitID); err == nil {
			return "", v.Phone
		}
	}
	return "", ""
}

// ShowTicketPhone returns a ticket with the rater's phone number in full
// to someone who handles it (CanHandleTicket), to call the rater back. The
// showing (who, when, which ticket; never the number) is recorded in the
// audit log in the same transaction, before the number is returned.
func (s *Service) ShowTicketPhone(ctx context.Context, a *identity.Actor, id int64) (*TicketView, error) {
	var v *TicketView
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		t, err := s.loadTicketFor(ctx, a, id, false)
		if err != nil {
			return err
		}
		if err := CanHandleTicket(a, t); err != nil {
			return err
		}
		if v, err = s.view(ctx, a, t, true); err != nil {
			return err
		}
		if !v.PhoneShown {
			return apperr.New(apperr.Conflict, "评价人匿名或未留手机号码，没有可显示的号码")
		}
		return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + t.RegionPath, Action: "rating.ticket.phone_shown",
			ObjectType: "rating_ticket", ObjectID: strconv.FormatInt(t.ID, 10), Change: map[string]any{"rating": t.RatingID}})
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}
