package complaint

import (
	"context"
	"fmt"
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

// hideCase is a copy of c without the case it is about (SeesCase): its
// item and date of application stand in place of its number.
func hideCase(c *Complaint) *Complaint {
	if c.Subject.Kind != SubjectCase {
		return c
	}
	cp := *c
	cp.Subject = departmentSubject(c)
	return &cp
}

// departmentSubject is what c is about as told to its department when
// the complainant did not agree to be known: a case by its item and date
// of application, never its number.
func departmentSubject(c *Complaint) Subject {
	s := c.Subject
	if s.Kind != SubjectCase || c.Consent {
		return s
	}
	why := c.Kind.Label() + "人未同意向承办部门公开身份"
	if c.Anonymous {
		why = "匿名" + c.Kind.Label()
	}
	s.CaseID, s.CaseNumber, s.Label = 0, "", fmt.Sprintf("（%s，办件编号不予显示）", why)
	if s.ItemName != "" {
		s.Label = fmt.Sprintf("事项：%s，申请日期 %s%s", s.ItemName, orText(s.AppliedOn, "不详"), s.Label)
	}
	return s
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
