package postgres

import (
	"context"
	"errors"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/notify"

	"github.com/jackc/pgx/v5"
)

// NotifyStore implements notify.Store.
type NotifyStore struct{ db *DB }

// Notify returns the notification store.
func (db *DB) Notify() *NotifyStore { return &NotifyStore{db} }

const notificationColumns = `id, user_id, kind, title, body, link, email, sms, created_at, read_at`

// CreateNotification inserts n.
func (s *NotifyStore) CreateNotification(ctx context.Context, n *notify.Notification) error {
	err := s.db.q(ctx).QueryRow(ctx, `INSERT INTO notifications (user_id, kind, title, body, link, email, sms, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, n.UserID, n.Kind, n.Title, n.Body, n.Link, n.Email, n.SMS, n.CreatedAt).Scan(&n.ID)
	if isForeignKey(err) {
		return apperr.Field("user_id", "接收人不存在")
	}
	return mapError(err)
}

// QueueNotification inserts n without reading its ID back: in a
// transaction the insert is queued, and the notifications queued together
// go as one statement.
func (s *NotifyStore) QueueNotification(ctx context.Context, n *notify.Notification) error {
	return s.db.writeRow(ctx, noRecipient, `INSERT INTO notifications (user_id, kind, title, body, link, email, sms, created_at)`,
		n.UserID, n.Kind, n.Title, n.Body, n.Link, n.Email, n.SMS, n.CreatedAt)
}

// noRecipient maps the error of a notification for a user who does not
// exist.
func noRecipient(err error) error {
	if isForeignKey(err) {
		return apperr.Field("user_id", "接收人不存在")
	}
	return mapError(err)
}

// FindNotificationByID returns one notification.
func (s *NotifyStore) FindNotificationByID(ctx context.Context, id int64) (*notify.Notification, error) {
	n, err := scanNotification(s.db.q(ctx).QueryRow(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE id = $1`, id))
	return n, notFound(err, "消息不存在")
}

// FindNotifications lists a user's notifications, newest first.
func (s *NotifyStore) FindNotifications(ctx context.Context, f notify.Filter) ([]*notify.Notification, error) {
	w := newWhere()
	w.add("user_id = ?", f.UserID)
	if f.UnreadOnly {
		w.add("read_at IS NULL")
	}
	if f.BeforeID > 0 {
		w.add("id < ?", f.BeforeID)
	}
	q := `SELECT ` + notificationColumns + ` FROM notifications WHERE ` + w.sql() + ` ORDER BY id DESC LIMIT ` + w.arg(f.Limit)
	rows, err := s.db.q(ctx).Query(ctx, q, w.args...)
	return collect(rows, err, scanNotification)
}

// CountUnread counts a user's unread notifications (a scan of the partial
// index notifications_unread).
func (s *NotifyStore) CountUnread(ctx context.Context, userID int64) (int, error) {
	var n int
	err := s.db.q(ctx).QueryRow(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, userID).Scan(&n)
	return n, mapError(err)
}

// MarkRead marks one of the user's notifications read.
func (s *NotifyStore) MarkRead(ctx context.Context, userID, id int64, at time.Time) error {
	var found bool
	err := s.db.q(ctx).QueryRow(ctx, `WITH upd AS (UPDATE notifications SET read_at = $1
			WHERE id = $2 AND user_id = $3 AND read_at IS NULL)
		SELECT EXISTS (SELECT 1 FROM notifications WHERE id = $2 AND user_id = $3)`, at, id, userID).Scan(&found)
	if err != nil {
		return mapError(err)
	}
	if !found {
		return apperr.New(apperr.NotFound, "消息不存在")
	}
	return nil
}

// MarkAllRead marks every unread notification of the user read.
func (s *NotifyStore) MarkAllRead(ctx context.Context, userID int64, at time.Time) (int64, error) {
	tag, err := s.db.q(ctx).Exec(ctx, `UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL`, at, userID)
	return tag.RowsAffected(), mapError(err)
}

// DeliveryOutcome returns the recorded outcome of a delivery, "" when none.
func (s *NotifyStore) DeliveryOutcome(ctx context.Context, id int64, ch notify.Channel) (notify.Outcome, error) {
	var o notify.Outcome
	err := s.db.q(ctx).QueryRow(ctx, `SELECT outcome FROM notification_deliveries WHERE notification_id = $1 AND channel = $2`, id, ch).Scan(&o)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	return o, mapError(err)
}

// RecordDelivery stores a delivery's outcome unless one is recorded.
func (s *NotifyStore) RecordDelivery(ctx context.Context, id int64, ch notify.Channel, o notify.Outcome, at time.Time) error {
	_, err := s.db.q(ctx).Exec(ctx, `INSERT INTO notification_deliveries (notification_id, channel, outcome, at)
		VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, id, ch, o, at)
	return mapError(err)
}

func scanNotification(r pgx.Row) (*notify.Notification, error) {
	var n notify.Notification
	var read *time.Time
	err := r.Scan(&n.ID, &n.UserID, &n.Kind, &n.Title, &n.Body, &n.Link, &n.Email, &n.SMS, &n.CreatedAt, &read)
	if err != nil {
		return nil, err
	}
	n.CreatedAt, n.ReadAt = n.CreatedAt.UTC(), utcOrZero(read)
	return &n, nil
}
