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
			if err != nil || len(entries) != 1 || entries[0].Action != "test.thing.update" || entries[0].Seq == 0 {
				t.Fatalf("find: %v %+v", err, entries)
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

type tamper struct {
	name    string
	sql     string
	args    []any
	badSeq  int64
	problem string
}

var tamperCases = []tamper{
	{"EditedDetail", `UPDATE audit_log SET detail = ? WHERE seq = 5`, []any{[]byte(`{"n":999}`)}, 5, "内容被修改"},
	{"EditedActor", `UPDATE audit_log SET actor_label = '他人' WHERE seq = 6`, nil, 6, "记录被修改"},
	{"EditedDigestAndDetail", `UPDATE audit_log SET detail = ?, digest = ? WHERE seq = 7`,
		[]any{[]byte(`{"n":1}`), audit.Digest([]byte(`{"n":1}`))}, 7, "记录被修改"},
	{"DeletedRow", `DELETE FROM audit_log WHERE seq = 4`, nil, 5, "序号不连续"},
	// seq is UNIQUE, so swapping two rows takes three steps.
	{"Reordered", `UPDATE audit_log SET seq = -1 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 8;
		UPDATE audit_log SET seq = 8 WHERE seq = -1`, nil, 3, "前一条记录的哈希"},
	{"DeletedTail", `DELETE FROM audit_log WHERE seq = 10`, nil, 0, "链尾记录不符"},
	{"RewrittenHead", `UPDATE audit_head SET seq = 9`, nil, 0, "链尾记录不符"},
}

func detectTamper(t *testing.T, b Backend, tc tamper) {
	s := b.Open(t, nil)
	log := audit.NewLog(s.Audit, nil)
	appendN(t, s, log, 10)
	sealAll(t, log)
	if r := mustVerify(t, log); !r.OK {
		t.Fatalf("untouched chain: %+v", r)
	}
	for _, stmt := range strings.Split(tc.sql, ";") {
		b.Exec(t, s, strings.TrimSpace(stmt), tc.args...)
	}
	r := mustVerify(t, log)
	if r.OK || r.BadSeq != tc.badSeq || !strings.Contains(r.Problem, tc.problem) {
		t.Fatalf("got OK=%v BadSeq=%d Problem=%q; want BadSeq=%d and %q", r.OK, r.BadSeq, r.Problem, tc.badSeq, tc.problem)
	}
}
