package identity

import (
	"time"

	"openhall/internal/memo"
)

// knownSessions keeps the sessions this node authenticated, each with the
// auth epoch (Store.AuthEpoch) read before the session was, so that a
// request reads one row instead of the session, its account and its grants.
//
// A kept session is used only while the epoch has not moved since. The
// epoch moves in the transaction of every change that could alter what
// Authenticate decides (logout, a disabled account, a grant given or taken,
// a region or department renamed), whichever node or process made it, so
// a kept session is never used after such a change has committed. It is
// read before the session, so that a change committing between the two
// reads leaves the kept copy already out of date.
//
// The one thing kept that other nodes change without moving the epoch is
// LastSeenAt, which they touch. Authenticate therefore trusts a kept copy
// only to accept a request; whenever it would end a session for being idle
// or past its end, it reads the session again first.
type knownSessions struct {
	c *memo.Cache[string, knownSession]
}

// knownSessionLife bounds how long a session is kept without being read
// again; knownSessionsMax bounds how many are.
const (
	knownSessionLife = 5 * time.Minute
	knownSessionsMax = 16384
)

// knownSession is one kept session. Nothing in it is changed once kept:
// a touch keeps a new knownSession.
type knownSession struct {
	epoch  int64
	sess   Session
	user   *User
	grants []*Grant
}

func newKnownSessions(now func() time.Time) *knownSessions {
	return &knownSessions{c: memo.New[string, knownSession](knownSessionLife, knownSessionsMax, now)}
}

// get returns the session kept for id if the epoch has not moved since.
func (k *knownSessions) get(id []byte, epoch int64) (knownSession, bool) {
	got, ok := k.c.Get(string(id))
	if !ok || got.epoch != epoch {
		return knownSession{}, false
	}
	return got, true
}

// keep keeps a session authenticated at epoch, and returns what it kept.
func (k *knownSessions) keep(epoch int64, sess *Session, u *User, grants []*Grant) knownSession {
	ks := knownSession{epoch: epoch, sess: *sess, user: u, grants: grants}
	k.c.Put(string(sess.ID), ks)
	return ks
}

// forget drops the session kept for id.
func (k *knownSessions) forget(id []byte) { k.c.Forget(string(id)) }

// accepts reports whether the kept session lets a request in at now
// without a second look.
func (ks knownSession) accepts(now time.Time, p Policy) bool {
	return !ks.user.Disabled && !now.After(ks.sess.ExpiresAt) && now.Sub(ks.sess.LastSeenAt) <= p.IdleTimeout
}

// actor makes the request's actor from copies of the kept account and
// grants, so that no request can change what the next one reads.
func (ks knownSession) actor() *Actor {
	u := *ks.user
	grants := make([]*Grant, len(ks.grants))
	for i, g := range ks.grants {
		c := *g
		grants[i] = &c
	}
	if len(grants) == 0 {
		grants = nil
	}
	return newActor(&u, grants)
}
