// Package notify tells users what happened to their affairs: in the in-app
// inbox (我的消息), by email over SMTP and by SMS through a gateway.
//
// Notify writes the inbox row and enqueues one delivery job per outside
// channel inside the caller's transaction, so a notification exists if and
// only if the change that caused it committed, and its deliveries survive a
// restart. A channel gets a job only when it is configured (SMTP, an SMS
// gateway) and the recipient has an address on it. The job system retries failed deliveries. Each delivery leaves a
// marker row (notification, channel) once it succeeded or was skipped, so a
// retried job never sends twice after a success; a crash between a send and
// its marker can still send once more, which is the most an SMTP server or
// SMS gateway without idempotency keys allows (email carries a Message-ID
// derived from the notification, so mail systems can drop the duplicate).
//
// Contact details come from the recipient's account. A user without an email
// address or phone number is not an error: that channel is left out (or,
// when the address went away after the job was queued, skipped with a log
// line), and the inbox still has the message.
package notify

import (
	"context"
	"time"

	"openhall/internal/identity"
)

// Channel is a way of delivering a notification outside the inbox.
type Channel string

// Channels.
const (
	ChannelEmail Channel = "email"
	ChannelSMS   Channel = "sms"
)

// Message is what a service asks to tell a user.
type Message struct {
	UserID int64
	Kind   string // dotted, e.g. "case.accepted"; for filtering and templates
	Title  string
	Body   string
	Link   string // a path in this product ("/cases/123"), shown as a link
	Email  bool   // also send by email
	SMS    bool   // also send by SMS
}

// Notification is one message in a user's inbox.
type Notification struct {
	ID        int64
	UserID    int64
	Kind      string
	Title     string
	Body      string
	Link      string
	Email     bool
	SMS       bool
	CreatedAt time.Time
	ReadAt    time.Time // zero while unread
}

// Read reports whether the user has read it.
func (n *Notification) Read() bool { return !n.ReadAt.IsZero() }

// Filter selects a user's notifications, newest first.
type Filter struct {
	UserID     int64
	UnreadOnly bool
	BeforeID   int64 // only ids below this, for paging; 0 = from the newest
	Limit      int
}

// Outcome is how a delivery ended.
type Outcome string

// Outcomes.
const (
	OutcomeSent    Outcome = "sent"
	OutcomeSkipped Outcome = "skipped" // no address, or the channel is not configured
)

// Store is what notify needs from storage. Methods join the transaction in ctx.
type Store interface {
	// CreateNotification inserts n and sets its ID.
	CreateNotification(ctx context.Context, n *Notification) error
	// QueueNotification inserts n without reading its ID back: in a
	// transaction the insert may wait for its next statement or its
	// commit, and fails that one.
	QueueNotification(ctx context.Context, n *Notification) error
	FindNotificationByID(ctx context.Context, id int64) (*Notification, error) // NotFound
	FindNotifications(ctx context.Context, f Filter) ([]*Notification, error)
	CountUnread(ctx context.Context, userID int64) (int, error)
	// MarkRead marks one of the user's notifications read; NotFound when it
	// is not the user's. Marking a read notification again changes nothing.
	MarkRead(ctx context.Context, userID, id int64, at time.Time) error
	MarkAllRead(ctx context.Context, userID int64, at time.Time) (int64, error)
	// DeliveryOutcome returns the recorded outcome, "" when none.
	DeliveryOutcome(ctx context.Context, id int64, ch Channel) (Outcome, error)
	// RecordDelivery stores the outcome unless one is already recorded.
	RecordDelivery(ctx context.Context, id int64, ch Channel, o Outcome, at time.Time) error
}

// Users gives the recipients' contact details.
type Users interface {
	FindUserByID(ctx context.Context, id int64) (*identity.User, error)
}

// Transactor runs fn in one transaction.
type Transactor interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
}

// Enqueuer schedules delivery jobs in the transaction carried by ctx, all in
// one insert.
type Enqueuer interface {
	Enqueue(ctx context.Context, ds []Delivery) error
}

// Delivery is the job that sends one notification over one channel.
type Delivery struct {
	NotificationID int64   `json:"notification_id"`
	Channel        Channel `json:"channel"`
}

// Kind names the job.
func (Delivery) Kind() string { return "notify.deliver" }

// Sender sends email.
type Sender interface {
	Send(ctx context.Context, m Mail) error
}

// Mail is one email.
type Mail struct {
	To        string
	Subject   string
	Body      string // plain text
	MessageID string // without angle brackets
}

// Gateway sends SMS.
type Gateway interface {
	Send(ctx context.Context, phone, text string) error
}
