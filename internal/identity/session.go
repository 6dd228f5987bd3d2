package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"openhall/internal/apperr"
)

// LoginInput is a login attempt.
type LoginInput struct {
	Username  string
	Password  string
	Address   string // client IP, for throttling
	UserAgent string
}

// touchEvery limits how often a session's last-seen time is written.
const touchEvery = time.Minute

// Login checks the credentials, applying the throttles (see loginKeys),
// and opens a session. It returns the session token for the cookie and the
// actor.
func (s *Service) Login(ctx context.Context, in LoginInput) (string, *Actor, error) {
	in.Username = strings.TrimSpace(in.Username)
	if in.Username == "" || in.Password == "" {
		var f apperr.Fields
		f.Check(in.Username == "", "username", "请输入登录名")
		f.Check(in.Password == "", "password", "请输入密码")
		return "", nil, f.Err()
	}
	now := s.now().UTC()
	keys := loginKeys(in.Username, in.Address)
	if err := s.checkLocks(ctx, now, keys); err != nil {
		return "", nil, err
	}
	u, ok := s.verify(ctx, in.Username, in.Password)
	if !ok {
		return "", nil, s.failLogin(ctx, now, keys)
	}
	return s.openSession(ctx, u, in, now, keys.pair)
}

// throttleKeys name the failure counters of one login attempt:
//   - pair: the account from this address. AccountFailures lock the pair,
//     so a stranger guessing from elsewhere cannot lock the owner out;
//   - addr: the address, whatever the account. AddressFailures block it:
//     one address guessing many accounts;
//   - acct: the account, from any address. Past SlowAfter its logins are
//     slowed down (one attempt per wait, the wait doubling up to SlowMax),
//     never refused for long: guessing from many addresses gets slow while
//     the owner waits seconds at most.
//
// The keys are built from the typed name, whether the account exists or
// not, so the answers do not tell which accounts exist.
type throttleKeys struct{ pair, addr, acct string }

func loginKeys(username, addr string) throttleKeys {
	name := strings.ToLower(username)
	return throttleKeys{pair: "pair:" + name + "|" + addr, addr: "addr:" + addr, acct: "acct:" + name}
}

// verify looks up the account and checks the password. An unknown account
// still costs one argon2 check, so timing does not reveal which accounts exist.
func (s *Service) verify(ctx context.Context, username, password string) (*User, bool) {
	u, err := s.store.FindUserByUsername(ctx, username)
	if err != nil {
		CheckPassword(s.dummyHash, password)
		return nil, false
	}
	if !CheckPassword(u.PasswordHash, password) || u.Disabled {
		return nil, false
	}
	return u, true
}

func (s *Service) openSession(ctx context.Context, u *User, in LoginInput, now time.Time, pairKey string) (string, *Actor, error) {
	token, id := newToken()
	sess := &Session{ID: id, UserID: u.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(s.policy.AbsoluteTimeout), Address: in.Address, UserAgent: truncate(in.UserAgent, 200)}
	var actor *Actor
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateSession(ctx, sess); err != nil {
			return err
		}
		if err := s.store.DeleteThrottle(ctx, pairKey); err != nil {
			return err
		}
		var err error
		if actor, err = s.actorFor(ctx, u); err != nil {
			return err
		}
		return s.record(ctx, actor, accountScope(actor.Grants, deploymentScope), "identity.session.login", u.ID, map[string]any{"address": in.Address})
	})
	if err != nil {
		return "", nil, err
	}
	return token, actor, nil
}

func newToken() (string, []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	token := base64.RawURLEncoding.EncodeToString(b)
	return token, tokenID(token)
}

// tokenID is how a token is stored.
func tokenID(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// checkLocks refuses a login while its pair or address is locked or its
// account is slowed down.
func (s *Service) checkLocks(ctx context.Context, now time.Time, k throttleKeys) error {
	for _, key := range []string{k.pair, k.addr, k.acct} {
		t, err := s.store.FindThrottle(ctx, key)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if now.Before(t.LockedUntil) {
			return lockedError(key, now, t.LockedUntil)
		}
	}
	return nil
}

func lockedError(key string, now, until time.Time) error {
	switch {
	case strings.HasPrefix(key, "acct:"):
		wait := int(until.Sub(now).Round(time.Second) / time.Second)
		return apperr.New(apperr.TooMany, "该账号近期登录失败较多，为防止密码被猜测，请于 %d 秒后再试", max(wait, 1)).After(until.Sub(now))
	case strings.HasPrefix(key, "pair:"):
		return apperr.New(apperr.TooMany, "登录失败次数过多，已暂停从您所在网络地址登录该账号，请于 %s 后再试；如忘记密码请联系管理员重置",
			until.In(chinaTime).Format("15:04")).After(until.Sub(now))
	}
	return apperr.New(apperr.TooMany, "来自您所在网络地址的登录失败次数过多，已暂停登录，请于 %s 后再试", until.In(chinaTime).Format("15:04")).After(until.Sub(now))
}

var chinaTime = time.FixedZone("CST", 8*3600)

// failLogin counts the failure under every key and says how many tries
// remain from this address.
func (s *Service) failLogin(ctx context.Context, now time.Time, k throttleKeys) error {
	var pair *Throttle
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if pair, err = s.countFailure(ctx, now, k.pair, s.lockAt(s.policy.AccountFailures)); err != nil {
			return err
		}
		if _, err = s.countFailure(ctx, now, k.addr, s.lockAt(s.policy.AddressFailures)); err != nil {
			return err
		}
		_, err = s.countFailure(ctx, now, k.acct, s.slowDown)
		return err
	})
	if err != nil {
		return err
	}
	if now.Before(pair.LockedUntil) {
		return lockedError(k.pair, now, pair.LockedUntil)
	}
	left := s.policy.AccountFailures - pair.Failures
	return apperr.New(apperr.Unauthenticated, "登录名或密码错误（再失败 %d 次将暂停从本网络地址登录该账号 %d 分钟）", left, int(s.policy.LockFor.Minutes()))
}

// lockAt locks a counter for LockFor once it reaches limit failures.
func (s *Service) lockAt(limit int) func(failures int, now time.Time) time.Time {
	return func(failures int, now time.Time) time.Time {
		if failures >= limit {
			return now.Add(s.policy.LockFor)
		}
		return time.Time{}
	}
}

// slowDown is the account's wait before its next login: none up to
// SlowAfter failures, then one second, doubling per failure, up to SlowMax.
func (s *Service) slowDown(failures int, now time.Time) time.Time {
	over := failures - s.policy.SlowAfter
	if over < 0 {
		return time.Time{}
	}
	wait := s.policy.SlowMax
	if over < 16 {
		wait = min(wait, time.Second<<over)
	}
	return now.Add(wait)
}

func (s *Service) countFailure(ctx context.Context, now time.Time, key string, until func(int, time.Time) time.Time) (*Throttle, error) {
	t, err := s.store.FindThrottle(ctx, key)
	if apperr.Is(err, apperr.NotFound) || (err == nil && now.Sub(t.WindowStart) > s.policy.FailureWindow) {
		t, err = &Throttle{Key: key, WindowStart: now}, nil
	}
	if err != nil {
		return nil, err
	}
	t.Failures++
	t.LockedUntil = until(t.Failures, now)
	return t, s.store.PutThrottle(ctx, t)
}

// Authenticate turns a session token into the actor, ending sessions that
// were idle too long or are past their absolute lifetime. It reads the auth
// epoch and, unless this node kept the session since the epoch last moved
// (see knownSessions), the session, the account and its grants in one query.
func (s *Service) Authenticate(ctx context.Context, token string) (*Actor, error) {
	if token == "" {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	now, id := s.now().UTC(), tokenID(token)
	epoch, err := s.store.AuthEpoch(ctx)
	if err != nil {
		return nil, err
	}
	if ks, ok := s.known.get(id, epoch); ok && ks.accepts(now, s.policy) {
		return s.touchKnown(ctx, epoch, ks, now)
	}
	return s.readSession(ctx, id, epoch, now)
}

// readSession authenticates a session this node does not keep (or would
// end) from the store, and keeps it.
func (s *Service) readSession(ctx context.Context, id []byte, epoch int64, now time.Time) (*Actor, error) {
	sess, u, grants, err := s.store.FindSessionActor(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.New(apperr.Unauthenticated, "登录已失效，请重新登录")
	}
	if err != nil {
		return nil, err
	}
	if err := s.keepSession(ctx, sess, u, now); err != nil {
		s.known.forget(id)
		return nil, err
	}
	return s.known.keep(epoch, sess, u, grants).actor(), nil
}

// touchKnown lets a request in on a kept session, recording activity at
// most once every touchEvery and keeping the touched copy.
func (s *Service) touchKnown(ctx context.Context, epoch int64, ks knownSession, now time.Time) (*Actor, error) {
	if now.Sub(ks.sess.LastSeenAt) > touchEvery {
		if err := s.store.TouchSession(ctx, ks.sess.ID, now); err != nil {
			return nil, err
		}
		ks.sess.LastSeenAt = now
		s.known.keep(epoch, &ks.sess, ks.user, ks.grants)
	}
	return ks.actor(), nil
}

// keepSession ends a session that timed out, refuses a disabled account and
// records activity at most once every touchEvery, setting sess.LastSeenAt.
func (s *Service) keepSession(ctx context.Context, sess *Session, u *User, now time.Time) error {
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.policy.IdleTimeout {
		if err := s.store.DeleteSession(ctx, sess.ID); err != nil {
			return err
		}
		return apperr.New(apperr.Unauthenticated, "登录已超时，请重新登录")
	}
	if u.Disabled {
		return apperr.New(apperr.Unauthenticated, "账号已停用，请联系管理员")
	}
	if now.Sub(sess.LastSeenAt) <= touchEvery {
		return nil
	}
	if err := s.store.TouchSession(ctx, sess.ID, now); err != nil {
		return err
	}
	sess.LastSeenAt = now
	return nil
}

func (s *Service) actorFor(ctx context.Context, u *User) (*Actor, error) {
	grants, err := s.store.FindGrantsByUser(ctx, u.ID)
	if err != nil {
		return nil, fmt.Errorf("load roles of user %d: %w", u.ID, err)
	}
	return newActor(u, grants), nil
}

func newActor(u *User, grants []*Grant) *Actor {
	return &Actor{UserID: u.ID, Kind: u.Kind, Username: u.Username, Name: u.Name, Grants: grants, account: u}
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, a *Actor, token string) error {
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteSession(ctx, tokenID(token)); err != nil {
			return err
		}
		s.known.forget(tokenID(token))
		if a == nil {
			return nil
		}
		return s.record(ctx, a, accountScope(a.Grants, deploymentScope), "identity.session.logout", a.UserID, map[string]any{})
	})
}

// DeleteExpiredSessions removes sessions that can no longer be used.
func (s *Service) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	now := s.now().UTC()
	return s.store.DeleteExpiredSessions(ctx, now.Add(-s.policy.IdleTimeout), now)
}
