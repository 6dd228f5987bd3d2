package complaint

import (
	"context"
	"fmt"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/hotline"
)

// HotlineReceiver takes in the complaints or the consultations the 12345
// hotline hands over; register one per kind with hotline.Service.Register.
type HotlineReceiver struct {
	S    *Service
	Kind Kind
}

// Receive files a hotline ticket as a complaint (or consultation) waiting
// for the desk. The same ticket number again returns the first receipt.
func (h HotlineReceiver) Receive(ctx context.Context, t hotline.Ticket) (hotline.Receipt, error) {
	var rc hotline.Receipt
	err := h.S.d.Tx.InTx(ctx, func(ctx context.Context) error {
		if c, err := h.S.d.Store.FindComplaintByHotline(ctx, t.TicketNo); err == nil {
			// Complaints and consultations share the hotline's ticket
			// numbers: the number taken in as the other kind is not this
			// ticket again, and a receipt for it would tell the hotline a
			// ticket was received that is nowhere to be found.
			if c.Kind != h.Kind {
				return apperr.Field("ticket_no", fmt.Sprintf("热线工单 %s 已作为%s收到（编号 %s），不能再作为%s提交；请核对工单编号或工单类型",
					t.TicketNo, c.Kind.Label(), c.Number, h.Kind.Label()))
			}
			rc = receipt(t, c, true)
			return nil
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		in, err := h.input(ctx, t)
		if err != nil {
			return err
		}
		c, err := h.S.build(ctx, nil, in)
		if err != nil {
			return err
		}
		if err := h.S.create(ctx, nil, c, "", queryCode()); err != nil {
			return err
		}
		rc = receipt(t, c, false)
		return nil
	})
	return rc, err
}

func receipt(t hotline.Ticket, c *Complaint, repeated bool) hotline.Receipt {
	return hotline.Receipt{Kind: t.Kind, TicketNo: t.TicketNo, Ref: c.Number, Status: string(c.Status), Repeated: repeated}
}

// input turns a ticket into a complaint: its subject as far as the hotline
// knows it (a case number or an item code resolve; otherwise the region it
// was dispatched to, with the caller's words as the label).
func (h HotlineReceiver) input(ctx context.Context, t hotline.Ticket) (Input, error) {
	in := Input{Kind: h.Kind, Channel: ChannelHotline, Ticket: t.TicketNo, Content: t.Content, At: t.ReceivedAt.UTC(),
		Anonymous: t.Caller.Anonymous, Consent: t.Caller.Consent, Name: strings.TrimSpace(t.Caller.Name), Phone: strings.TrimSpace(t.Caller.Phone)}
	path, err := h.S.d.Orgs.RegionByCode(ctx, t.RegionCode)
	if err != nil {
		return in, apperr.Field("region_code", "行政区划代码 "+t.RegionCode+" 不在本系统中")
	}
	in.Subject, in.RegionPath, in.Label = SubjectPlatform, path, strings.TrimSpace(t.Subject.Text)
	switch t.Subject.Kind {
	case hotline.SubjectWindow:
		in.Subject = SubjectWindow // named in the caller's words: no window to resolve
	case hotline.SubjectStaff:
		in.Subject = SubjectStaff
	}
	if n := strings.TrimSpace(t.Subject.CaseNumber); n != "" {
		if _, err := h.S.d.Cases.CaseByNumber(ctx, n); err == nil {
			in.Subject, in.CaseNumber = SubjectCase, n
		} else {
			in.Label = strings.TrimSpace("办件 " + n + " " + t.Subject.Text)
		}
	} else if code := strings.TrimSpace(t.Subject.ItemCode); code != "" {
		if _, err := h.S.d.Items.ItemRef(ctx, code); err == nil {
			in.Subject, in.ItemCode = SubjectItem, code
		}
	}
	return in, nil
}

// Status reports a hotline ticket with its answer once given.
func (h HotlineReceiver) Status(ctx context.Context, ticketNo string) (*hotline.Status, error) {
	c, err := h.S.d.Store.FindComplaintByHotline(ctx, ticketNo)
	if err != nil || c.Kind != h.Kind {
		return nil, apperr.New(apperr.NotFound, "没有热线工单 %s", ticketNo)
	}
	st := &hotline.Status{Kind: hotline.Kind(h.Kind), TicketNo: ticketNo, Ref: c.Number, Status: string(c.Status), StatusLabel: c.Status.Label()}
	if ans := c.Answer(); ans != nil {
		st.Answer, st.AnsweredAt = hotlineText(*ans), ans.At
	}
	return st, nil
}

// hotlineText is an answer (or refusal) as the hotline reads it, in the
// answers' feed and in the ticket's status alike: the step, then the
// desk's words ("答复：…", "不予受理：…").
func hotlineText(e Event) string {
	return e.Kind.Label() + "：" + e.Text
}
