package identity

import (
	"context"
	"reflect"
	"testing"
	"time"
)

// TestAuthenticateKeepsSessions walks one session through the requests of
// a node that keeps it: each step says which store calls it makes.
func TestAuthenticateKeepsSessions(t *testing.T) {
	t0 := time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC)
	now := t0
	f := newSessionStore(t0, 0, false)
	s := sessionService(f, 2*time.Minute, func() time.Time { return now })
	steps := []struct {
		name  string
		at    time.Duration // after t0
		do    func()        // what changes in the store before the request
		calls []string
		err   string
	}{
		{"FirstRead", 0, nil, []string{"AuthEpoch", "FindSessionActor"}, ""},
		{"Kept", 30 * time.Second, nil, []string{"AuthEpoch"}, ""},
		{"KeptTouched", 61 * time.Second, nil, []string{"AuthEpoch", "TouchSession"}, ""},
		{"KeptAfterTouch", 90 * time.Second, nil, []string{"AuthEpoch"}, ""},
		{"EpochMoved", 100 * time.Second, func() { f.epoch++ }, []string{"AuthEpoch", "FindSessionActor"}, ""},
		// Another node touched the session at 4m; the kept copy (touched at
		// 61 s) would call it idle at 4m30s, so it is read again first.
		{"IdleOnlyHere", 4*time.Minute + 30*time.Second, func() { f.sess.LastSeenAt = t0.Add(4 * time.Minute) },
			[]string{"AuthEpoch", "FindSessionActor"}, ""},
		{"Disabled", 4*time.Minute + 40*time.Second, func() { f.user.Disabled = true; f.epoch++ },
			[]string{"AuthEpoch", "FindSessionActor"}, "账号已停用"},
		{"StillDisabled", 4*time.Minute + 50*time.Second, nil, []string{"AuthEpoch", "FindSessionActor"}, "账号已停用"},
	}
	for _, st := range steps {
		if st.do != nil {
			st.do()
		}
		now, f.calls = t0.Add(st.at), nil
		a, err := s.Authenticate(context.Background(), "tok")
		if !reflect.DeepEqual(f.calls, st.calls) {
			t.Errorf("%s: store calls %v, want %v", st.name, f.calls, st.calls)
		}
		checkAuthenticated(t, f, a, err, st.err)
	}
}

// TestKeptActorsAreCopies: a request that changes its actor does not change
// the next request's.
func TestKeptActorsAreCopies(t *testing.T) {
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	f := newSessionStore(now, 0, false)
	s := sessionService(f, 0, func() time.Time { return now })
	for i := range 3 {
		f.calls = nil
		a, err := s.Authenticate(context.Background(), "tok")
		checkAuthenticated(t, f, a, err, "")
		if i > 0 && len(f.calls) != 1 {
			t.Fatalf("request %d: store calls %v, want the epoch alone", i, f.calls)
		}
		a.Grants[0].Role, a.Grants = RoleSysAdmin, a.Grants[:1]
		a.Account().Name = "李四"
	}
}
