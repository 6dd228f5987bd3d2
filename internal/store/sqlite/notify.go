package sqlite

import (
	"context"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/notify"
)

// NotifyStore implements notify.Store.
type NotifyStore struct{ db *DB }

// Notify returns the notification store.
func (db *DB) Notify() *NotifyStore { return &NotifyStore{db} }

const notificationColumns = `id, user_id, kind, title, body, link, email, sms, created_at, read_at`

// CreateNotification inserts n.
func (s *NotifyStore) CreateNotification(ctx context.Context, n *notify.Notification) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO notifications (user_id, kind, title, body, link, email, sms, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, n.UserID, n.Kind, n.Title, n.Body, n.Link, boolInt(n.Email), boolInt(n.SMS), micro(n.CreatedAt))
		if isForeignKey(err) {
			return apperr.Field("user_id", "接收人不存在")
		}
		if err != nil {
			return mapError(err)
		}
		n.ID, err = res.LastInsertId()
		return err
	})
}

// QueueNotification inserts n and, SQLite's inserts costing no round trip,
// sets its ID as CreateNotification does.
func (s *NotifyStore) QueueNotification(ctx context.Context, n *notify.Notification) error {
	return s.CreateNotification(ctx, n)
}

// FindNotificationByID returns one notification.
func (s *NotifyStore) FindNotificationByID(ctx context.Context, id int64) (*notify.Notification, error) {
	n, err := scanNotification(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE id = ?`, id))
	return n, notFound(err, "消息不存在")
}

// FindNotifications lists a user's notifications, newest first.
func (s *NotifyStore) FindNotifications(ctx context.Context, f notify.Filter) ([]*notify.Notification, error) {
	q, args := `SELECT `+notificationColumns+` FROM notifications WHERE user_id = ?`, []any{f.UserID}
	if f.UnreadOnly {
		q += ` AND read_at IS NULL`
	}
	if f.BeforeID > 0 {
		q, args = q+` AND id < ?`, append(args, f.BeforeID)
	}
	rows, err := s.db.q(ctx).QueryContext(ctx, q+` ORDER BY id DESC LIMIT ?`, append(args, f.Limit)...)
	return collect(rows, err, scanNotification)
}

// CountUnread counts a user's unread notifications (an index-only count on
// notifications_unread).
func (s *NotifyStore) CountUnread(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL`, userID).Scan(&n)
	return n, mapError(err)
}

// MarkRead marks one of the user's notifications read.
func (s *NotifyStore) MarkRead(ctx context.Context, userID, id int64, at time.Time) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		var found int
		err := s.db.q(ctx).QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE id = ? AND user_id = ?`, id, userID).Scan(&found)
		if err != nil {
			return mapError(err)
		}
		if found == 0 {
			return apperr.New(apperr.NotFound, "消息不存在")
		}
		_, err = s.db.q(ctx).ExecContext(ctx, `UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL`, micro(at), id)
		return mapError(err)
	})
}

// MarkAllRead marks every unread notification of the user read.
func (s *NotifyStore) MarkAllRead(ctx context.Context, userID int64, at time.Time) (int64, error) {
	var n int64
	err := s.db.InTx(ctx, func(ctx context.Context) error {
		res, err := s.db.q(ctx).ExecContext(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, micro(at), userID)
		if err != nil {
			return mapError(err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// DeliveryOutcome returns the recorded outcome of a delivery, "" when none.
func (s *NotifyStore) DeliveryOutcome(ctx context.Context, id int64, ch notify.Channel) (notify.Outcome, error) {
	var o notify.Outcome
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT outcome FROM notification_deliveries WHERE notification_id = ? AND channel = ?`, id, ch).Scan(&o)
	if isNoRows(err) {
		return "", nil
	}
	return o, mapError(err)
}

// RecordDelivery stores a delivery's outcome unless one is recorded.
func (s *NotifyStore) RecordDelivery(ctx context.Context, id int64, ch notify.Channel, o notify.Outcome, at time.Time) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO notification_deliveries (notification_id, channel, outcome, at)
			VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, id, ch, o, micro(at))
		return mapError(err)
	})
}

func scanNotification(r scanner) (*notify.Notification, error) {
	var n notify.Notification
	var created int64
	var read *int64
	err := r.Scan(&n.ID, &n.UserID, &n.Kind, &n.Title, &n.Body, &n.Link, &n.Email, &n.SMS, &created, &read)
	if err != nil {
		return nil, err
	}
	n.CreatedAt, n.ReadAt = fromMicro(created), fromNullMicro(read)
	return &n, nil
}
