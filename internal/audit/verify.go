package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
)

// Report is the outcome of a chain verification.
type Report struct {
	Checked  int64 // sealed entries walked
	Pending  int64 // entries appended but not yet sealed
	Head     Head  // the stored end of the chain
	OK       bool
	BadSeq   int64  // first entry that does not fit; 0 when OK or when the fault is in the head
	BadID    int64  // its row ID
	Problem  string // what is wrong, in Chinese
	Verified bool   // false when the walk itself failed (database error)
}

// errStop ends a walk early once a fault is found.
var errStop = errors.New("stop walk")

// Verify re-walks the whole chain from the first entry and checks sequence
// continuity, every digest, every link and every hash, that no entry behind
// the sealed end is missing from the chain, and finally the stored head. It
// stops at the first fault and names it.
func (l *Log) Verify(ctx context.Context) (*Report, error) {
	head, pending, err := l.store.AuditHead(ctx)
	if err != nil {
		return nil, fmt.Errorf("read audit head: %w", err)
	}
	r := &Report{Head: head, Pending: pending, Verified: true}
	// The walk stops at the head read above: entries a sealer links while
	// the walk runs belong to a later verification.
	v := &verifier{c: newChainHasher(), prev: append([]byte(nil), zeroHash...), r: r, upTo: head.Seq}
	err = l.store.WalkAuditChain(ctx, v.check)
	if err == nil || errors.Is(err, errStop) {
		if r.Problem == "" {
			err = l.verifySealed(ctx, v, head.Mark)
		}
	}
	if err != nil && !errors.Is(err, errStop) {
		return nil, fmt.Errorf("walk audit chain: %w", err)
	}
	if r.Problem == "" {
		v.checkHead(head)
	}
	r.OK = r.Problem == ""
	return r, nil
}

// verifySealed walks the seals and, beside them, the entries they should
// list, in the same order.
func (l *Log) verifySealed(ctx context.Context, v *verifier, through Mark) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	entries, walkErr := make(chan *Entry, 256), make(chan error, 1)
	go func() {
		defer close(entries)
		walkErr <- l.store.WalkAuditMarked(ctx, through, func(e *Entry) error {
			select {
			case entries <- e:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	m := &merge{v: v, next: entries}
	err := l.store.WalkAuditSeals(ctx, m.seal)
	if err == nil && v.r.Problem == "" {
		err = m.rest(through)
	}
	cancel()
	for range entries {
	}
	if werr := <-walkErr; err == nil && werr != nil && !errors.Is(werr, context.Canceled) {
		err = werr
	}
	return err
}

// merge matches the entries of the marked walk against the seals.
type merge struct {
	v      *verifier
	next   <-chan *Entry
	peeked *Entry
}

func (m *merge) peek() *Entry {
	if m.peeked == nil {
		m.peeked = <-m.next
	}
	return m.peeked
}

// seal checks the entries one seal lists. A listed entry that is missing
// shows as a gap in the chain positions; an entry the seal should list but
// does not was slipped in behind the sealer.
func (m *merge) seal(s *Seal) error {
	if s.FirstSeq > m.v.upTo {
		return errStop // sealed after the head was read
	}
	listed := make(map[int64]bool, len(s.IDs))
	for _, id := range s.IDs {
		listed[id] = true
	}
	for i, id := range s.IDs {
		e := m.peek()
		if e != nil && e.ID != id && !e.Mark.After(s.Through) && !listed[e.ID] {
			return m.v.slippedIn(e)
		}
		if e == nil || e.ID != id {
			continue // missing: the next entry found shows the gap
		}
		m.peeked = nil
		s.links(i, e)
		if err := m.v.check(e); err != nil {
			return err
		}
	}
	if e := m.peek(); e != nil && !e.Mark.After(s.Through) {
		return m.v.slippedIn(e)
	}
	return nil
}

// rest checks that no entry up to the head's mark is left over.
func (m *merge) rest(through Mark) error {
	if e := m.peek(); e != nil && !e.Mark.After(through) {
		return m.v.slippedIn(e)
	}
	return nil
}

type verifier struct {
	c    *chainHasher
	prev []byte
	seq  int64
	upTo int64
	r    *Report
}

func (v *verifier) check(e *Entry) error {
	if e.Seq > v.upTo && e.Seq == v.seq+1 {
		return errStop // sealed after the head was read
	}
	if problem := v.problem(e); problem != "" {
		v.r.BadSeq, v.r.BadID, v.r.Problem = e.Seq, e.ID, problem
		return errStop
	}
	v.seq = e.Seq
	v.prev = append(v.prev[:0], e.Hash...)
	v.r.Checked++
	return nil
}

func (v *verifier) slippedIn(e *Entry) error {
	v.r.BadID = e.ID
	v.r.Problem = fmt.Sprintf("行号 %d 的记录不在哈希链中（在封存之后被插入）", e.ID)
	return errStop
}

func (v *verifier) problem(e *Entry) string {
	switch {
	case e.Seq != v.seq+1:
		return fmt.Sprintf("序号不连续：应为 %d，实际为 %d（记录被删除或重排）", v.seq+1, e.Seq)
	case !bytes.Equal(Digest(e.Detail), e.Digest):
		return "变更内容与其摘要不符（内容被修改）"
	case !bytes.Equal(e.PrevHash, v.prev):
		return "前一条记录的哈希与链接不符（记录被删除、插入或重排）"
	case !bytes.Equal(v.c.hash(e), e.Hash):
		return "记录哈希与其内容不符（记录被修改）"
	}
	return ""
}

func (v *verifier) checkHead(head Head) {
	if head.Seq != v.seq || (head.Seq > 0 && !bytes.Equal(head.Hash, v.prev)) {
		v.r.Problem = fmt.Sprintf("链尾记录不符：登记的链尾序号为 %d，实际链尾为 %d（末尾记录被删除或链尾被改写）", head.Seq, v.seq)
	}
}
