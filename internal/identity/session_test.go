package identity

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"openhall/internal/apperr"
)

// sessionStore serves Authenticate from memory and logs the store calls.
// Its embedded Store is nil, so any other call panics.
type sessionStore struct {
	Store
	sess   Session
	user   User
	grants []*Grant
	epoch  int64
	calls  []string
}

func (f *sessionStore) AuthEpoch(context.Context) (int64, error) {
	f.calls = append(f.calls, "AuthEpoch")
	return f.epoch, nil
}

func (f *sessionStore) FindSessionActor(_ context.Context, id []byte) (*Session, *User, []*Grant, error) {
	f.calls = append(f.calls, "FindSessionActor")
	if !bytes.Equal(id, f.sess.ID) {
		return nil, nil, nil, apperr.New(apperr.NotFound, "会话不存在")
	}
	sess, u := f.sess, f.user
	return &sess, &u, f.grants, nil
}

func (f *sessionStore) TouchSession(_ context.Context, _ []byte, at time.Time) error {
	f.calls = append(f.calls, "TouchSession")
	f.sess.LastSeenAt = at
	return nil
}

func (f *sessionStore) DeleteSession(context.Context, []byte) error {
	f.calls = append(f.calls, "DeleteSession")
	return nil
}

func TestAuthenticateReadsOnce(t *testing.T) {
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		token    string
		seen     time.Duration // before now
		disabled bool
		calls    []string
		err      string
	}{
		{"Fresh", "tok", 30 * time.Second, false, []string{"AuthEpoch", "FindSessionActor"}, ""},
		{"Touched", "tok", 2 * time.Minute, false, []string{"AuthEpoch", "FindSessionActor", "TouchSession"}, ""},
		{"Idle", "tok", 31 * time.Minute, false, []string{"AuthEpoch", "FindSessionActor", "DeleteSession"}, "登录已超时"},
		{"Disabled", "tok", 2 * time.Minute, true, []string{"AuthEpoch", "FindSessionActor"}, "账号已停用"},
		{"Unknown", "other", 0, false, []string{"AuthEpoch", "FindSessionActor"}, "登录已失效"},
		{"NoToken", "", 0, false, nil, "请先登录"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newSessionStore(now, c.seen, c.disabled)
			a, err := authenticateWith(f, now, c.token)
			if !reflect.DeepEqual(f.calls, c.calls) {
				t.Errorf("store calls %v, want %v", f.calls, c.calls)
			}
			checkAuthenticated(t, f, a, err, c.err)
		})
	}
}

func newSessionStore(now time.Time, seen time.Duration, disabled bool) *sessionStore {
	region := int64(7)
	return &sessionStore{
		sess: Session{ID: tokenID("tok"), UserID: 3, CreatedAt: now.Add(-time.Hour), LastSeenAt: now.Add(-seen), ExpiresAt: now.Add(time.Hour)},
		user: User{ID: 3, Kind: KindStaff, Username: "clerk", Name: "张三", Disabled: disabled},
		grants: []*Grant{{ID: 1, UserID: 3, Role: RoleWindowClerk, RegionID: &region, RegionPath: "/1/7/"},
			{ID: 2, UserID: 3, Role: RoleSupervisor}},
	}
}

func authenticateWith(f *sessionStore, now time.Time, token string) (*Actor, error) {
	return sessionService(f, 0, func() time.Time { return now }).Authenticate(context.Background(), token)
}

// sessionService is a Service over f with cheap hashing and, unless 0,
// the idle timeout idle.
func sessionService(f *sessionStore, idle time.Duration, now func() time.Time) *Service {
	p := DefaultPolicy()
	p.Argon2 = Argon2Params{Memory: 64, Time: 1, Threads: 1}
	if idle > 0 {
		p.IdleTimeout = idle
	}
	return NewService(f, nil, nil, nil, p, now)
}

func checkAuthenticated(t *testing.T, f *sessionStore, a *Actor, err error, wantErr string) {
	t.Helper()
	if wantErr != "" {
		if !apperr.Is(err, apperr.Unauthenticated) || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("got %v, want %q", err, wantErr)
		}
		return
	}
	want := &Actor{UserID: 3, Kind: KindStaff, Username: "clerk", Name: "张三", Grants: f.grants, account: &f.user}
	if err != nil || !reflect.DeepEqual(a, want) {
		t.Fatalf("actor %+v %v, want %+v", a, err, want)
	}
}
