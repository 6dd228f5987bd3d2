package rating

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/identity"
)

// Counter is a counter tablet (窗口评价器) started at a window by the clerk
// seated there: visitors rate on it without logging in, and each rating
// counts for that window and that clerk. Starting a counter at a window
// ends the one running there, so a clerk taking over the window takes
// over the tablet.
type Counter struct {
	ID           int64
	TokenHash    []byte
	WindowID     int64
	WindowNumber string
	WindowName   string
	StaffID      int64
	StaffName    string
	Target       Target // where its ratings count (window and staff included)
	StartedAt    time.Time
	EndedAt      time.Time
}

// Running reports whether the counter takes ratings.
func (c *Counter) Running() bool { return c.EndedAt.IsZero() }

// StartCounter starts the tablet of a window for the clerk seated at it
// and returns the token the tablet keeps (in its cookie).
func (s *Service) StartCounter(ctx context.Context, a *identity.Actor, windowID int64) (string, *Counter, error) {
	w, err := s.seatedWindow(ctx, a, windowID)
	if err != nil {
		return "", nil, err
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	tok := base64.RawURLEncoding.EncodeToString(raw)
	var c *Counter
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		c = &Counter{TokenHash: hashToken(tok), WindowID: w.ID, WindowNumber: w.Number, WindowName: w.Name,
			StaffID: a.UserID, StaffName: a.Name, StartedAt: s.d.Now(),
			Target: Target{RegionPath: w.RegionPath, RegionCode: w.RegionCode, DepartmentID: w.DepartmentID,
				Department: w.Department, WindowID: w.ID, StaffID: a.UserID}}
		if err := s.d.Store.StartCounter(ctx, c); err != nil {
			return err
		}
		return s.recordCounter(ctx, a, "rating.counter.start", c)
	})
	if err == nil {
		s.counters.forgetWindow(w.ID) // the tablet it replaced takes no more ratings here
	}
	return tok, c, err
}

// CanRunCounter: the clerk seated at the window (one of its staff) starts
// and ends its tablet.
func CanRunCounter(a *identity.Actor, w *WindowInfo) error {
	if a == nil || !a.Has(identity.RoleWindowClerk) || !slices.Contains(w.StaffIDs, a.UserID) {
		return apperr.New(apperr.Forbidden, "只有在%s窗口就座的窗口人员可以启用该窗口的评价器", w.Number)
	}
	return nil
}

// seatedWindow loads a window for a clerk seated at it (CanRunCounter): a
// window that does not exist and one the clerk does not sit at are the
// same error, so that nobody learns which windows exist.
func (s *Service) seatedWindow(ctx context.Context, a *identity.Actor, id int64) (*WindowInfo, error) {
	w, err := s.d.Windows.WindowInfo(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return nil, errWindowOutOfReach
	}
	if err != nil {
		return nil, err
	}
	if CanRunCounter(a, w) != nil {
		return nil, errWindowOutOfReach
	}
	return w, nil
}

func (s *Service) recordCounter(ctx context.Context, a *identity.Actor, action string, c *Counter) error {
	return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + c.Target.RegionPath, Action: action,
		ObjectType: "counter", ObjectID: strconv.FormatInt(c.ID, 10),
		Change: map[string]any{"window": c.WindowNumber, "window_id": c.WindowID, "staff": c.StaffID}})
}

// EndCounter stops a tablet: its clerk or another clerk seated at the window.
func (s *Service) EndCounter(ctx context.Context, a *identity.Actor, id int64) error {
	var ended []byte
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		ended = nil
		c, err := s.d.Store.FindCounterByID(ctx, id)
		if apperr.Is(err, apperr.NotFound) {
			return errCounterOutOfReach
		}
		if err != nil {
			return err
		}
		w, err := s.d.Windows.WindowInfo(ctx, c.WindowID)
		if err != nil {
			return err
		}
		if CanRunCounter(a, w) != nil {
			return errCounterOutOfReach // nor which window the tablet is at
		}
		if !c.Running() {
			return nil
		}
		if err := s.d.Store.EndCounter(ctx, id, s.d.Now()); err != nil {
			return err
		}
		ended = c.TokenHash
		return s.recordCounter(ctx, a, "rating.counter.end", c)
	})
	if err == nil && ended != nil {
		s.counters.forget(ended) // after the commit, so that no rating caches it again
	}
	return err
}

// SeatedWindow is a window a clerk sits at, with its running tablet.
type SeatedWindow struct {
	Window  *WindowInfo
	Counter *Counter // nil when none runs
}

// Seats lists the windows the clerk is seated at (StaffIDs of the windows
// given) with their running tablets.
func (s *Service) Seats(ctx context.Context, a *identity.Actor, windowIDs []int64) ([]SeatedWindow, error) {
	running, err := s.d.Store.FindCounters(ctx, windowIDs)
	if err != nil {
		return nil, err
	}
	var out []SeatedWindow
	for _, id := range windowIDs {
		w, err := s.d.Windows.WindowInfo(ctx, id)
		if err != nil {
			return nil, err
		}
		if CanRunCounter(a, w) != nil {
			continue
		}
		sw := SeatedWindow{Window: w}
		for _, c := range running {
			if c.WindowID == id {
				sw.Counter = c
			}
		}
		out = append(out, sw)
	}
	return out, nil
}

// CounterByToken returns the running tablet a token belongs to.
func (s *Service) CounterByToken(ctx context.Context, tok string) (*Counter, error) {
	if tok == "" {
		return nil, errNoCounter
	}
	h := hashToken(tok)
	if c, ok := s.counters.get(h, s.d.Now()); ok {
		return c, nil
	}
	c, err := s.d.Store.FindCounterByToken(ctx, h)
	if apperr.Is(err, apperr.NotFound) || err == nil && !c.Running() {
		return nil, errNoCounter
	}
	if err != nil {
		return nil, err
	}
	s.counters.put(h, c, s.d.Now())
	return c, nil
}

var errNoCounter = apperr.New(apperr.NotFound, "本设备尚未启用为窗口评价器，或评价器已停用：请窗口工作人员登录后在“窗口评价器”中启用")

func hashToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// counterCache keeps the tablets recently seen, so that the ratings of a
// busy hall do not each read the counter row.
type counterCache struct {
	ttl time.Duration
	mu  sync.RWMutex
	m   map[string]cachedCounter
}

type cachedCounter struct {
	c  *Counter
	at time.Time
}

const counterCacheSize = 4096

func newCounterCache(ttl time.Duration) *counterCache {
	return &counterCache{ttl: ttl, m: map[string]cachedCounter{}}
}

func (cc *counterCache) get(h []byte, now time.Time) (*Counter, bool) {
	cc.mu.RLock()
	e, ok := cc.m[string(h)]
	cc.mu.RUnlock()
	if !ok || now.Sub(e.at) > cc.ttl {
		return nil, false
	}
	return e.c, true
}

func (cc *counterCache) put(h []byte, c *Counter, now time.Time) {
	cc.mu.Lock()
	if len(cc.m) >= counterCacheSize {
		cc.m = map[string]cachedCounter{}
	}
	cc.m[string(h)] = cachedCounter{c: c, at: now}
	cc.mu.Unlock()
}

func (cc *counterCache) forget(h []byte) {
	cc.mu.Lock()
	delete(cc.m, string(h))
	cc.mu.Unlock()
}

// forgetWindow drops the tablets of a window, replaced by a new one.
func (cc *counterCache) forgetWindow(windowID int64) {
	cc.mu.Lock()
	for h, e := range cc.m {
		if e.c.WindowID == windowID {
			delete(cc.m, h)
		}
	}
	cc.mu.Unlock()
}

// RateCounter records a visitor's rating on a counter tablet (一次一评),
// anonymous: the visitor gives no identity. It returns once the rating is
// durably stored together with others given at the same moment.
func (s *Service) RateCounter(ctx context.Context, c *Counter, in Input) (*Rating, error) {
	p, err := s.rateCounter(ctx, c, in, newKey())
	if err != nil {
		return nil, err
	}
	return &p.out, nil
}

// RateCounterOnce records a tablet rating the tablet itself numbered with
// a key (32 lowercase hex digits it drew at random). A tablet that lost
// its connection before the answer sends the rating again under the same
// key, by the live channel or by the form; the rating is stored once, and
// the repeat returns nil as the first did.
func (s *Service) RateCounterOnce(ctx context.Context, c *Counter, key string, in Input) error {
	if !IsTabletKey(key) {
		var f apperr.Fields
		f.Add("key", "评价编号无效：请刷新评价器页面后重新评价")
		return f.Err()
	}
	_, err := s.rateCounter(ctx, c, in, tabletKeyPrefix+key)
	return err
}

// NewTabletKey draws a key for a tablet rating, for a page to carry.
func NewTabletKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// tabletKeyPrefix keeps the keys tablets draw apart from the server's.
const tabletKeyPrefix = "t"

// IsTabletKey reports whether k is a key as tablets draw them.
func IsTabletKey(k string) bool {
	if len(k) != 32 {
		return false
	}
	for _, r := range k {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}

func (s *Service) rateCounter(ctx context.Context, c *Counter, in Input, key string) (*pending, error) {
	if err := in.validate(ChannelTablet, false); err != nil {
		return nil, err
	}
	p := &pending{r: Rating{Subject: SubjectVisit, Stage: StageDone, Number: FirstEvaluation, Level: in.Level,
		Indicators: in.Indicators, Channel: ChannelTablet, Anonymous: true, Comment: in.Comment, Target: c.Target,
		Source: SourceLocal, Key: key, At: s.d.Now()}}
	return p, s.batch.submit(ctx, p)
}

// flushCounter stores a batch of tablet ratings in one transaction: one
// insert for the ratings, one audit entry listing each (window, clerk,
// level, time; the visitors are anonymous), and a ticket for each bad one.
// A rating whose tablet-drawn key is stored already (or earlier in the
// batch) is a repeat and stored no more. The records are built afresh
// inside the transaction, which may run twice.
func (s *Service) flushCounter(ctx context.Context, batch []*pending) error {
	return s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		fresh, err := s.freshRatings(ctx, batch)
		if err != nil || len(fresh) == 0 {
			return err
		}
		rs := make([]*Rating, len(fresh))
		for i, p := range fresh {
			r := p.r
			rs[i] = &r
		}
		if err := s.d.Store.CreateRatings(ctx, rs); err != nil {
			return err
		}
		if err := s.recordCounterBatch(ctx, rs); err != nil {
			return err
		}
		for i, r := range rs {
			fresh[i].out = *r
			if r.Level.Bad() {
				if _, err := s.openTicket(ctx, r); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// freshRatings leaves out of a batch the tablet-keyed ratings stored
// before or repeated within it. Only tablet-drawn keys are looked up: the
// server's own are new by construction.
func (s *Service) freshRatings(ctx context.Context, batch []*pending) ([]*pending, error) {
	var keys []string
	for _, p := range batch {
		if strings.HasPrefix(p.r.Key, tabletKeyPrefix) {
			keys = append(keys, p.r.Key)
		}
	}
	if len(keys) == 0 {
		return batch, nil
	}
	held, err := s.d.Store.ExistingKeys(ctx, keys)
	if err != nil {
		return nil, err
	}
	if held == nil {
		held = map[string]bool{}
	}
	fresh := make([]*pending, 0, len(batch))
	for _, p := range batch {
		if !held[p.r.Key] {
			fresh = append(fresh, p)
			held[p.r.Key] = true
		}
	}
	return fresh, nil
}

var counterActor = audit.Actor{ID: 0, Label: "窗口评价器（匿名访客）"}

// counterEntry is one rating as the batch's audit entry lists it.
type counterEntry struct {
	ID     int64     `json:"id"`
	Window int64     `json:"window"`
	Staff  int64     `json:"staff"`
	Level  Level     `json:"level"`
	At     time.Time `json:"at"`
}

func (s *Service) recordCounterBatch(ctx context.Context, rs []*Rating) error {
	list := make([]counterEntry, len(rs))
	for i, r := range rs {
		list[i] = counterEntry{ID: r.ID, Window: r.WindowID, Staff: r.StaffID, Level: r.Level, At: r.At}
	}
	return s.d.Audit.Append(ctx, audit.Record{Actor: counterActor, Scope: "region:" + rs[0].RegionPath, Action: "rating.counter.rate",
		ObjectType: "rating", ObjectID: fmt.Sprintf("%d-%d", rs[0].ID, rs[len(rs)-1].ID), Change: map[string]any{"ratings": list}})
}
