package notify

import (
	"context"
	"fmt"
	"strconv"

	"openhall/internal/identity"
	"openhall/internal/pii"
)

// Deliver sends one notification over one channel; it is the delivery job's
// handler. An error makes the job system retry it later. A delivery that
// already succeeded (or was skipped) does nothing.
func (s *Service) Deliver(ctx context.Context, d Delivery) error {
	done, err := s.store.DeliveryOutcome(ctx, d.NotificationID, d.Channel)
	if err != nil || done != "" {
		return err
	}
	n, err := s.store.FindNotificationByID(ctx, d.NotificationID)
	if err != nil {
		return fmt.Errorf("load notification %d: %w", d.NotificationID, err)
	}
	u, err := s.users.FindUserByID(ctx, n.UserID)
	if err != nil {
		return fmt.Errorf("load recipient of notification %d: %w", n.ID, err)
	}
	outcome, err := s.send(ctx, d.Channel, n, u)
	if err != nil {
		return fmt.Errorf("deliver notification %d by %s: %w", n.ID, d.Channel, err)
	}
	return s.store.RecordDelivery(ctx, n.ID, d.Channel, outcome, s.now())
}

func (s *Service) send(ctx context.Context, ch Channel, n *Notification, u *identity.User) (Outcome, error) {
	switch ch {
	case ChannelEmail:
		return s.sendEmail(ctx, n, u)
	case ChannelSMS:
		return s.sendSMS(ctx, n, u)
	}
	return "", fmt.Errorf("unknown channel %q", ch)
}

func (s *Service) sendEmail(ctx context.Context, n *Notification, u *identity.User) (Outcome, error) {
	if s.mail == nil {
		s.log.Warn("email not configured; notification kept in the inbox only", "notification", n.ID, "user", u.ID)
		return OutcomeSkipped, nil
	}
	if u.Email == "" {
		s.log.Info("recipient has no email address; email skipped", "notification", n.ID, "user", u.ID)
		return OutcomeSkipped, nil
	}
	m := Mail{To: u.Email, Subject: n.Title, Body: s.text(n, "\n\n"), MessageID: "notification-" + strconv.FormatInt(n.ID, 10)}
	return OutcomeSent, s.mail.Send(ctx, m)
}

func (s *Service) sendSMS(ctx context.Context, n *Notification, u *identity.User) (Outcome, error) {
	if s.sms == nil {
		s.log.Warn("SMS not configured; notification kept in the inbox only", "notification", n.ID, "user", u.ID)
		return OutcomeSkipped, nil
	}
	if u.Phone == "" {
		s.log.Info("recipient has no phone number; SMS skipped", "notification", n.ID, "user", u.ID)
		return OutcomeSkipped, nil
	}
	if pii.CheckMobile(u.Phone) != nil {
		s.log.Info("recipient's phone is not a mobile number; SMS skipped", "notification", n.ID, "user", u.ID,
			"phone", pii.MaskMobile(u.Phone))
		return OutcomeSkipped, nil
	}
	return OutcomeSent, s.sms.Send(ctx, pii.NormalizeMobile(u.Phone), "【阳光政务大厅】"+n.Title+"："+s.text(n, " "))
}

// text is the body of an email or SMS: the message and its link.
func (s *Service) text(n *Notification, sep string) string {
	t := n.Body
	if n.Link != "" {
		if t != "" {
			t += sep
		}
		t += "详情：" + s.baseURL + n.Link
	}
	return t
}
