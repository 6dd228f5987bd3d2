package cases

import (
	"encoding/binary"
	"errors"
	"time"
)

// The compact event encoding keeps a case's whole history in one short
// value (the progress row the public lookup reads): varints and
// length-prefixed strings, times in microseconds, a version byte first.
// It decodes several times faster than JSON and takes about a third of
// the space.

const eventsCodecV1 = 1

var errEventsCodec = errors.New("events: malformed compact encoding")

// AppendEvents appends the compact encoding of evs to b.
func AppendEvents(b []byte, evs []Event) []byte {
	b = append(b, eventsCodecV1)
	b = binary.AppendUvarint(b, uint64(len(evs)))
	for _, e := range evs {
		b = appendEvent(b, e)
	}
	return b
}

func appendEvent(b []byte, e Event) []byte {
	for _, n := range []int64{int64(e.Seq), e.At.UnixMicro(), e.ActorID, int64(e.Branch), int64(e.Step), int64(e.ToStep), int64(e.Days)} {
		b = binary.AppendVarint(b, n)
	}
	for _, s := range []string{string(e.Kind), e.ActorLabel, e.Reason, e.Code, string(e.Decision), e.Ref} {
		b = appendString(b, s)
	}
	b = binary.AppendUvarint(b, uint64(len(e.Items)))
	for _, s := range e.Items {
		b = appendString(b, s)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// DecodeEvents decodes what AppendEvents encoded.
func DecodeEvents(b []byte) ([]Event, error) {
	if len(b) == 0 || b[0] != eventsCodecV1 {
		return nil, errEventsCodec
	}
	r := &reader{b: b[1:]}
	n := r.count()
	evs := make([]Event, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		evs = append(evs, r.event())
	}
	if r.err == nil && len(r.b) != 0 {
		r.err = errEventsCodec
	}
	return evs, r.err
}

// reader consumes an encoding; after the first error it reads zeros.
type reader struct {
	b   []byte
	err error
}

func (r *reader) event() Event {
	var e Event
	e.Seq = int(r.varint())
	e.At = time.UnixMicro(r.varint()).UTC()
	e.ActorID = r.varint()
	e.Branch, e.Step, e.ToStep, e.Days = int(r.varint()), int(r.varint()), int(r.varint()), int(r.varint())
	e.Kind, e.ActorLabel, e.Reason = EventKind(r.string()), r.string(), r.string()
	e.Code, e.Decision, e.Ref = r.string(), Decision(r.string()), r.string()
	if n := r.count(); n > 0 {
		e.Items = make([]string, n)
		for i := range e.Items {
			e.Items[i] = r.string()
		}
	}
	return e
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	return r.advance(v, n)
}

// count reads a length, refusing one longer than what is left.
func (r *reader) count() int {
	v, n := binary.Uvarint(r.b)
	if n > 0 && v > uint64(len(r.b)) {
		n = 0
	}
	return int(r.advance(int64(v), n))
}

func (r *reader) advance(v int64, n int) int64 {
	if r.err != nil || n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) string() string {
	n := r.count()
	if r.err != nil || n > len(r.b) {
		r.fail()
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) fail() {
	r.err, r.b = errEventsCodec, nil
}
