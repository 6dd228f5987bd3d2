package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"openhall/internal/audit"
	"openhall/internal/store"
)

func appendN(t *testing.T, s *store.Stores, log *audit.Log, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		err := s.InTx(context.Background(), func(ctx context.Context) error {
			return log.Append(ctx, audit.Record{Actor: audit.Actor{ID: 7, Label: "测试员"}, Scope: "region:/1/",
				Action: "test.thing.update", ObjectType: "thing", ObjectID: fmt.Sprint(i), Change: map[string]any{"n": i}})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func sealAll(t *testing.T, log *audit.Log) {
	t.Helper()
	if _, err := log.Seal(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func mustVerify(t *testing.T, log *audit.Log) *audit.Report {
	t.Helper()
	r, err := log.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestAuditChain(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		t.Run("AppendSealVerify", func(t *testing.T) {
			s := b.Open(t, nil)
			log := audit.NewLog(s.Audit, nil)
			appendN(t, s, log, 25)
			if r := mustVerify(t, log); r.Pending != 25 || r.Checked != 0 || !r.OK {
				t.Fatalf("before sealing: %+v", r)
			}
			sealAll(t, log)
			r := mustVerify(t, log)
			if !r.OK || r.Checked != 25 || r.Pending != 0 || r.Head.Seq != 25 {
				t.Fatalf("after sealing: %+v", r)
			}
			entries, err := log.Find(context.Background(), audit.Filter{ObjectType: "thing", ObjectID: "3"})
			if err != nil || len(entries) != 1 || entries[0].Action != "test.thing.update" || entries[0].Seq != 4 ||
				len(entries[0].Hash) != audit.HashSize || len(entries[0].PrevHash) != audit.HashSize {
				t.Fatalf("find: %v %+v", err, entries)
			}
			appendN(t, s, log, 3)
			sealAll(t, log)
			if r := mustVerify(t, log); !r.OK || r.Checked != 28 || r.Head.Seq != 28 {
				t.Fatalf("after a second seal: %+v", r)
			}
		})
		t.Run("RollbackLeavesNoEntry", func(t *testing.T) {
			s := b.Open(t, nil)
			log := audit.NewLog(s.Audit, nil)
			s.InTx(context.Background(), func(ctx context.Context) error {
				log.Append(ctx, audit.Record{Action: "x", Change: 1})
				return fmt.Errorf("change failed")
			})
			if r := mustVerify(t, log); r.Pending != 0 {
				t.Fatalf("entry of a rolled-back change persists: %+v", r)
			}
		})
		t.Run("ConcurrentAppendsAndSealers", func(t *testing.T) { concurrentSeal(t, b) })
		if b.Name == "postgres" { // SQLite's one writer never holds a transaction open beside another
			t.Run("EntryBehindARunningTransactionWaits", func(t *testing.T) { sealBehindRunning(t, b) })
		}
		for _, tc := range tamperCases {
			t.Run("Detects"+tc.name, func(t *testing.T) { detectTamper(t, b, tc) })
		}
	})
}

// concurrentSeal appends from many goroutines while two sealers (as on two
// nodes) run: the chain must come out whole.
func concurrentSeal(t *testing.T, b Backend) {
	s := b.Open(t, nil)
	logA, logB := audit.NewLog(s.Audit, nil), audit.NewLog(s.Audit, nil)
	ctx, cancel := context.WithCancel(context.Background())
	var sealers sync.WaitGroup
	for _, l := range []*audit.Log{logA, logB} {
		sealers.Add(1)
		go func() { defer sealers.Done(); l.RunSealer(ctx, 5*time.Millisecond, func(err error) { t.Error(err) }) }()
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() { defer wg.Done(); appendN(t, s, logA, 20) }()
	}
	wg.Wait()
	cancel()
	sealers.Wait()
	sealAll(t, logB)
	if r := mustVerify(t, logA); !r.OK || r.Checked != 160 {
		t.Fatalf("chain after concurrent sealing: %+v", r)
	}
}

// sealBehindRunning: an entry committed while an older transaction that
// appends too is still running is not sealed until that one ends, and then
// both are sealed in the order they began writing; none is skipped.
func sealBehindRunning(t *testing.T, b Backend) {
	s := b.Open(t, nil)
	log := audit.NewLog(s.Audit, nil)
	appended, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		done <- s.InTx(context.Background(), func(ctx context.Context) error {
			err := log.Append(ctx, audit.Record{Action: "test.older", ObjectType: "thing", ObjectID: "older", Change: 1})
			if err == nil { // a read sends what a pipelined transaction has queued
				_, err = s.Audit.FindAuditEntries(ctx, audit.Filter{Limit: 1})
			}
			close(appended)
			<-release
			return err
		})
	}()
	<-appended
	appendN(t, s, log, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	log.Seal(ctx)
	cancel()
	if r := mustVerify(t, log); !r.OK || r.Checked != 0 || r.Pending != 1 {
		t.Fatalf("the later entry was sealed before the older transaction ended: %+v", r)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	sealAll(t, log)
	if r := mustVerify(t, log); !r.OK || r.Checked != 2 || r.Pending != 0 {
		t.Fatalf("after the older transaction ended: %+v", r)
	}
	es, err := log.Find(context.Background(), audit.Filter{ObjectType: "thing", ObjectID: "older"})
	if err != nil || len(es) != 1 || es[0].Seq != 1 {
		t.Fatalf("the older transaction's entry must come first in the chain: %v %+v", err, es)
	}
}

type tamper struct {
	name    string
	sql     string
	pgSQL   string // when PostgreSQL needs other SQL
	args    []any
	badSeq  int64 // -1: any entry
	problem string
}

// Entries 1–10 are appended one per transaction and sealed, so entry n has
// row id n and chain position n.
var tamperCases = []tamper{
	{name: "EditedDetail", sql: `UPDATE audit_log SET detail = ? WHERE id = 5`, args: []any{[]byte(`{"n":999}`)}, badSeq: 5, problem: "内容被修改"},
	{name: "EditedActor", sql: `UPDATE audit_log SET actor_label = '他人' WHERE id = 6`, badSeq: 6, problem: "记录被修改"},
	{name: "EditedDigestAndDetail", sql: `UPDATE audit_log SET detail = ?, digest = ? WHERE id = 7`,
		args: []any{[]byte(`{"n":1}`), audit.Digest([]byte(`{"n":1}`))}, badSeq: 7, problem: "记录被修改"},
	{name: "DeletedRow", sql: `DELETE FROM audit_log WHERE id = 4`, badSeq: 5, problem: "序号不连续"},
	// Row ids swapped: SQLite finds entry 8's content at position 3, while
	// PostgreSQL, which orders by transaction first, finds position 3 gone.
	{name: "Reordered", sql: `UPDATE audit_log SET id = -1 WHERE id = 3; UPDATE audit_log SET id = 3 WHERE id = 8;
		UPDATE audit_log SET id = 8 WHERE id = -1`, badSeq: -1, problem: "记录"},
	{name: "DeletedTail", sql: `DELETE FROM audit_log WHERE id = 10`, problem: "链尾记录不符"},
	{name: "RewrittenHead", sql: `UPDATE audit_head SET seq = 9`, problem: "链尾记录不符"},
	{name: "EditedSeal", sql: `UPDATE audit_seals SET prev_hash = ? WHERE first_seq = 1`, args: []any{make([]byte, audit.HashSize-1)},
		badSeq: 1, problem: "前一条记录的哈希"},
	{name: "SlippedIn", sql: `INSERT INTO audit_log (id, at, actor_id, actor_label, scope, action, object_type, object_id, detail, digest)
		VALUES (0, 0, 0, '系统', 'system', 'test.forged', 'thing', '0', ?, ?)`,
		pgSQL: `INSERT INTO audit_log (id, at, actor_id, actor_label, scope, action, object_type, object_id, detail, digest, tx)
		VALUES (0, now(), 0, '系统', 'system', 'test.forged', 'thing', '0', ?, ?, 0)`,
		args: []any{[]byte(`{}`), audit.Digest([]byte(`{}`))}, problem: "不在哈希链中"},
}

func detectTamper(t *testing.T, b Backend, tc tamper) {
	s := b.Open(t, nil)
	log := audit.NewLog(s.Audit, nil)
	appendN(t, s, log, 10)
	sealAll(t, log)
	if r := mustVerify(t, log); !r.OK {
		t.Fatalf("untouched chain: %+v", r)
	}
	query := tc.sql
	if b.Name == "postgres" && tc.pgSQL != "" {
		query = tc.pgSQL
	}
	for _, stmt := range strings.Split(query, ";") {
		b.Exec(t, s, strings.TrimSpace(stmt), tc.args...)
	}
	r := mustVerify(t, log)
	badSeq := r.BadSeq == tc.badSeq || tc.badSeq < 0 && r.BadSeq > 0
	if r.OK || !badSeq || !strings.Contains(r.Problem, tc.problem) {
		t.Fatalf("got OK=%v BadSeq=%d Problem=%q; want BadSeq=%d and %q", r.OK, r.BadSeq, r.Problem, tc.badSeq, tc.problem)
	}
}
