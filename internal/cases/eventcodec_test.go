package cases

import (
	"reflect"
	"testing"
	"time"
)

func codecSample() []Event {
	at := time.Date(2026, 10, 8, 9, 30, 15, 123456000, time.UTC)
	return []Event{
		{Seq: 1, Kind: EventSubmitted, At: at, ActorID: 7, ActorLabel: "张*（citizen）", Branch: -1, Code: "online"},
		{Seq: 2, Kind: EventSupplementRequested, At: at.Add(time.Hour), ActorID: 3, ActorLabel: "陈静（clerk）", Branch: -1,
			Reason: "材料不全", Items: []string{"营业执照复印件", "", "身份证明"}, Days: 5},
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
