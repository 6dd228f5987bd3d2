package audit

import (
	"encoding/binary"
	"fmt"
	"time"
)

// Seal holds the links of one batch of entries sealed together: which
// entries, in chain order, and each one's hash. Storing the batch in one
// row leaves the entries themselves untouched after their insert.
type Seal struct {
	FirstSeq int64     // chain position of the first entry
	PrevHash []byte    // hash of the entry before the first
	IDs      []int64   // the entries, in chain order
	Hashes   []byte    // their hashes, HashSize bytes each, in the same order
	Through  Mark      // the mark of the last entry: the head's mark after this seal
	SealedAt time.Time // when the sealer ran
}

// NewSeal records the links that seal (link) gave pending.
func NewSeal(pending []*Entry, at time.Time) *Seal {
	s := &Seal{FirstSeq: pending[0].Seq, PrevHash: pending[0].PrevHash, Through: pending[len(pending)-1].Mark,
		IDs: make([]int64, len(pending)), Hashes: make([]byte, 0, len(pending)*HashSize), SealedAt: at}
	for i, e := range pending {
		s.IDs[i] = e.ID
		s.Hashes = append(s.Hashes, e.Hash...)
	}
	return s
}

// Len is the number of entries sealed.
func (s *Seal) Len() int { return len(s.IDs) }

// Hash is the hash of the i-th entry.
func (s *Seal) Hash(i int) []byte { return s.Hashes[i*HashSize : (i+1)*HashSize] }

// MinID and MaxID bound the IDs listed.
func (s *Seal) MinID() int64 { return minMax(s.IDs, func(a, b int64) bool { return a < b }) }

// MaxID is the largest ID listed.
func (s *Seal) MaxID() int64 { return minMax(s.IDs, func(a, b int64) bool { return a > b }) }

func minMax(ids []int64, better func(a, b int64) bool) int64 {
	m := ids[0]
	for _, id := range ids[1:] {
		if better(id, m) {
			m = id
		}
	}
	return m
}

// EncodeIDs packs IDs for storage: 8 bytes each, big-endian.
func (s *Seal) EncodeIDs() []byte {
	b := make([]byte, 0, 8*len(s.IDs))
	for _, id := range s.IDs {
		b = binary.BigEndian.AppendUint64(b, uint64(id))
	}
	return b
}

// DecodeIDs unpacks what EncodeIDs packed and checks the hashes fit.
func (s *Seal) DecodeIDs(b []byte) error {
	if len(b)%8 != 0 || len(s.Hashes) != len(b)/8*HashSize {
		return fmt.Errorf("audit seal at %d: %d bytes of ids for %d bytes of hashes", s.FirstSeq, len(b), len(s.Hashes))
	}
	s.IDs = make([]int64, len(b)/8)
	for i := range s.IDs {
		s.IDs[i] = int64(binary.BigEndian.Uint64(b[8*i:]))
	}
	return nil
}

// links sets the chain position and links of entry i from the seal.
func (s *Seal) links(i int, e *Entry) {
	e.Seq = s.FirstSeq + int64(i)
	e.PrevHash = s.PrevHash
	if i > 0 {
		e.PrevHash = s.Hash(i - 1)
	}
	e.Hash = s.Hash(i)
}

// fill gives the entries the seal lists their links.
func (s *Seal) fill(es []*Entry) {
	at := make(map[int64]int, len(s.IDs))
	for i, id := range s.IDs {
		at[id] = i
	}
	for _, e := range es {
		if i, ok := at[e.ID]; ok && e.Seq == 0 {
			s.links(i, e)
		}
	}
}
