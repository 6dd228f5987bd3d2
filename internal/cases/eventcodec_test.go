package cases

import (
	"encoding/binary"
	"reflect"
	"testing"
	"time"
)

func codecSample() []Event {
	at := time.Date(2026, 10, 8, 9, 30, 15, 123456000, time.UTC)
	return []Event{
		{Seq: 1, Kind: EventSubmitted, At: at, ActorID: 7, ActorLabel: "张*（citizen）", Branch: -1, Code: "online"},
		{Seq: 2, Kind: EventSupplementRequested, At: at.Add(time.Hour), ActorID: 3, ActorLabel: "陈静（clerk）", Branch: -1,
			Reason: "材料不全", Items: []string{"营业执照复印件", "", "身份证明"}, Needs: []string{"m1", "statement", "m2"}, Days: 5},
		{Seq: 3, Kind: EventStepReturned, At: at.Add(48 * time.Hour), ActorID: 1 << 40, Branch: 2, Step: 3, ToStep: 1,
			Decision: DecisionDenied, Ref: "受理-33010626112500000001"},
	}
}

func TestEventsCodecRoundTrip(t *testing.T) {
	for _, evs := range [][]Event{nil, codecSample()} {
		got, err := DecodeEvents(AppendEvents(nil, evs))
		if err != nil || len(got) != len(evs) || (len(evs) > 0 && !reflect.DeepEqual(got, evs)) {
			t.Fatalf("round trip:\n got %+v %v\nwant %+v", got, err, evs)
		}
	}
}

// TestEventsCodecReadsVersion1 decodes a value written before events had
// Needs: an old progress row still decodes.
func TestEventsCodecReadsVersion1(t *testing.T) {
	old := []byte{eventsCodecV1, 1}
	for _, n := range []int64{1, 0, 7, -1, 0, 0, 0} {
		old = binary.AppendVarint(old, n)
	}
	for _, s := range []string{"submitted", "张*", "", "online", "", ""} {
		old = appendString(old, s)
	}
	old = append(old, 0) // no items
	evs, err := DecodeEvents(old)
	if err != nil || len(evs) != 1 || evs[0].Kind != EventSubmitted || evs[0].Code != "online" || evs[0].Needs != nil {
		t.Fatalf("version 1: %+v %v", evs, err)
	}
}

func TestEventsCodecRefusesDamage(t *testing.T) {
	b := AppendEvents(nil, codecSample())
	for n := 0; n < len(b); n++ {
		if _, err := DecodeEvents(b[:n]); err == nil {
			t.Fatalf("a truncated encoding (%d of %d bytes) decoded", n, len(b))
		}
	}
	if _, err := DecodeEvents(append(b, 0)); err == nil {
		t.Fatal("trailing bytes decoded")
	}
	if _, err := DecodeEvents([]byte(`[{"seq":1}]`)); err == nil {
		t.Fatal("JSON decoded as the compact encoding")
	}
}

func FuzzDecodeEvents(f *testing.F) {
	f.Add(AppendEvents(nil, codecSample()))
	f.Add([]byte{eventsCodecV1, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		evs, err := DecodeEvents(b)
		if err != nil {
			return
		}
		again, err := DecodeEvents(AppendEvents(nil, evs))
		if err != nil || len(again) != len(evs) {
			t.Fatalf("re-encoding a decoded value: %v", err)
		}
	})
}
