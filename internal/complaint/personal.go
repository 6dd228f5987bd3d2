package complaint

import (
	"context"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

// The complainant's phone and what they wrote are personal data: shown to
// anyone but the complainant with phone and ID numbers masked; the desk
// shows the phone in full by asking to, which the audit log records.

// maskPersonal is a copy of c with the complainant's phone masked, and
// phone and ID numbers masked in the texts the complainant wrote.
func maskPersonal(c *Complaint) *Complaint {
	cp := *c
	cp.Complainant.Phone = pii.MaskMobile(c.Complainant.Phone)
	cp.Content = pii.Redact(c.Content)
	cp.Events = append([]Event(nil), c.Events...)
	for i, e := range cp.Events {
		cp.Events[i].Text = shownText(e)
	}
	return &cp
}

// shownText is an event's text as staff see it: with phone and ID numbers
// masked when the complainant wrote it (a rating of the answer, a
// reopening), as is.
func shownText(e Event) string {
	if e.Kind == EvRated || e.Kind == EvReopened {
		return pii.Redact(e.Text)
	}
	return e.Text
}

// ShowPhone returns a complaint with the complainant's phone in full to
// the desk (CanShowPhone), to reach the complainant. The showing (who,
// when, which complaint; never the number) is recorded in the audit log
// in the same transaction, before the number is returned.
func (s *Service) ShowPhone(ctx context.Context, a *identity.Actor, id int64) (*View, error) {
	var v *View
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		c, err := s.loadFor(ctx, a, id, false)
		if err != nil {
			return err
		}
		if err := CanShowPhone(a, c); err != nil {
			return err
		}
		if c.Anonymous || c.Complainant.Phone == "" {
			return apperr.New(apperr.Conflict, "%s人匿名或未留手机号码，没有可显示的号码", c.Kind.Label())
		}
		if v, err = s.view(a, c, false); err != nil {
			return err
		}
		v.Complaint.Complainant.Phone, v.PhoneShown, v.CanShowPhone = c.Complainant.Phone, true, false
		return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + c.RegionPath, Action: "complaint.phone_shown",
			ObjectType: "complaint", ObjectID: strconv.FormatInt(c.ID, 10), Change: map[string]any{"number": c.Number}})
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}
