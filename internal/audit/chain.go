package audit

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash"
	"time"

	"github.com/emmansun/gmsm/sm3"
)

// HashSize is the size of an SM3 digest.
const HashSize = sm3.Size

var zeroHash = make([]byte, HashSize)

// Digest returns the SM3 digest of a change.
func Digest(detail []byte) []byte {
	d := sm3.Sum(detail)
	return d[:]
}

// chainHasher computes entry hashes, reusing one SM3 state and buffer.
type chainHasher struct {
	h   hash.Hash
	buf []byte
	sum []byte
}

func newChainHasher() *chainHasher {
	return &chainHasher{h: sm3.New(), buf: make([]byte, 0, 512), sum: make([]byte, 0, HashSize)}
}

// hash returns SM3 over the length-prefixed encoding of every field of e
// except Hash itself. The result is only valid until the next call.
func (c *chainHasher) hash(e *Entry) []byte {
	b := c.buf[:0]
	b = binary.BigEndian.AppendUint64(b, uint64(e.Seq))
	b = binary.BigEndian.AppendUint64(b, uint64(e.At.UnixMicro()))
	b = binary.BigEndian.AppendUint64(b, uint64(e.ActorID))
	for _, s := range [...]string{e.ActorLabel, e.Scope, e.Action, e.ObjectType, e.ObjectID} {
		b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
		b = append(b, s...)
	}
	b = append(b, e.Digest...)
	b = append(b, e.PrevHash...)
	c.buf = b
	c.h.Reset()
	c.h.Write(b)
	c.sum = c.h.Sum(c.sum[:0])
	return c.sum
}

// Hash returns the chain hash of e as stored in e.Hash.
func Hash(e *Entry) []byte {
	return bytes.Clone(newChainHasher().hash(e))
}

// link fills Seq, PrevHash and Hash of pending entries after head.
func link(head Head, pending []*Entry) Head {
	c := newChainHasher()
	prev := head.Hash
	if len(prev) == 0 {
		prev = zeroHash
	}
	for _, e := range pending {
		head.Seq++
		e.Seq = head.Seq
		e.PrevHash = prev
		e.Hash = bytes.Clone(c.hash(e))
		prev = e.Hash
	}
	head.Hash = prev
	if len(pending) > 0 {
		head.Mark = pending[len(pending)-1].Mark
	}
	return head
}

const (
	// sealBatch bounds the entries of one seal.
	sealBatch = 1000
	// sealWait bounds how long Seal waits for entries held back by an
	// older transaction that is still running.
	sealWait = 5 * time.Second
)

// Seal links every entry committed so far into the chain. An entry waits
// for the transactions that began writing before it (see the package
// comment); Seal waits for them too, up to sealWait, until it has sealed as
// many entries as were pending when it began.
func (l *Log) Seal(ctx context.Context) (int, error) {
	_, target, err := l.store.AuditHead(ctx)
	if err != nil {
		return 0, fmt.Errorf("read audit head: %w", err)
	}
	total, deadline := 0, time.Now().Add(sealWait)
	for {
		n, err := l.sealAvailable(ctx)
		total += n
		if err != nil || int64(total) >= target || time.Now().After(deadline) {
			return total, err
		}
		if n == 0 {
			select {
			case <-ctx.Done():
				return total, ctx.Err()
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
}

// sealAvailable seals what can be sealed now, without waiting.
func (l *Log) sealAvailable(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := l.store.SealAuditEntries(ctx, sealBatch, link)
		total += n
		if err != nil {
			return total, fmt.Errorf("seal audit entries: %w", err)
		}
		if n < sealBatch {
			return total, nil
		}
	}
}

// sealGather is how long the sealer lets entries gather after a Kick
// before it seals them: under load one seal then covers the entries of
// many transactions instead of costing a durable commit after each.
const sealGather = 50 * time.Millisecond

// RunSealer seals entries sealGather after Kick is called and every
// interval until ctx ends. Errors are reported to onErr and retried on the
// next tick.
func (l *Log) RunSealer(ctx context.Context, interval time.Duration, onErr func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-l.kick:
			select {
			case <-ctx.Done():
				return
			case <-time.After(sealGather):
			}
		}
		if _, err := l.sealAvailable(ctx); err != nil && ctx.Err() == nil && onErr != nil {
			onErr(err)
		}
	}
}
