package remind

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/workclock"
)

const minute = "2006-01-02 15:04"

// china reads a moment of China time such as "2026-03-13 10:00".
func china(s string) time.Time {
	t, err := time.ParseInLocation(minute, s, time.FixedZone("CST", 8*3600))
	if err != nil {
		panic(err)
	}
	return t
}

// memLog is an audit log in memory.
type memLog struct{ entries []*audit.Entry }

func (l *memLog) Append(_ context.Context, r audit.Record) error {
	detail, err := json.Marshal(r.Change)
	l.entries = append(l.entries, &audit.Entry{Scope: r.Scope, Action: r.Action, ObjectType: r.ObjectType, ObjectID: r.ObjectID, Detail: detail})
	return err
}

func (l *memLog) Find(_ context.Context, f audit.Filter) ([]*audit.Entry, error) {
	var out []*audit.Entry
	for _, e := range l.entries {
		if e.ObjectType == f.ObjectType && e.ObjectID == f.ObjectID && e.Action == f.Action {
			out = append(out, e)
		}
	}
	return out, nil
}

// record is what an object's package keeps: its number, then Sent.
type record struct {
	Number string `json:"number"`
	Sent
}

// TestCheckDo: a timer run on time tells once and records it, even when
// it runs twice; another reminder of the same clock (the red one, another
// run) is not taken for it; an early timer sets itself again at the turn;
// a stale one does nothing.
func TestCheckDo(t *testing.T) {
	cal, err := calendar.New(calendar.EmbeddedSchedules(), nil)
	if err != nil {
		t.Fatal(err)
	}
	start := china("2026-03-09 10:00")
	key := Key{Clock: "accept", Run: start.UnixMicro(), Warning: workclock.WarnYellow}
	tests := []struct {
		name   string
		key    Key
		now    time.Time
		runs   int
		told   int
		record string
		later  string
	}{
		{"on time, run twice", key, china("2026-03-13 00:00"), 2, 1,
			`{"number":"TS1","clock":"accept","run":` + strconv.FormatInt(key.Run, 10) +
				`,"warning":"yellow","due":"2026-03-16","told":3}`, ""},
		{"early", key, china("2026-03-12 09:00"), 1, 0, "", "2026-03-13 00:00"},
		{"red already", key, china("2026-03-17 09:00"), 1, 0, "", ""},
		{"another run", Key{Clock: "accept", Run: key.Run - 1, Warning: workclock.WarnYellow}, china("2026-03-13 00:00"), 1, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := workclock.Measure(cal, 5, start, time.Time{}, nil, tt.now)
			if err != nil {
				t.Fatal(err)
			}
			log := &memLog{}
			log.entries = append(log.entries, redTold(t, key))
			ck := Check{Key: tt.key, Object: Object{Type: "complaint", ID: 42, Scope: "region:/1/", Action: "complaint.reminder"},
				Clock: k, Run: start, Cal: cal, Now: tt.now}
			told, later := 0, ""
			for range tt.runs {
				err := ck.Do(context.Background(), log,
					func(at time.Time) error { later = at.In(start.Location()).Format(minute); return nil },
					func() error {
						told++
						return ck.Record(context.Background(), log, record{Number: "TS1", Sent: ck.Sent(3)})
					})
				if err != nil {
					t.Fatal(err)
				}
			}
			if told != tt.told || later != tt.later {
				t.Fatalf("told %d, later %q; want %d, %q", told, later, tt.told, tt.later)
			}
			if tt.record != "" && string(log.entries[len(log.entries)-1].Detail) != tt.record {
				t.Fatalf("recorded %s, want %s", log.entries[len(log.entries)-1].Detail, tt.record)
			}
		})
	}
}

// redTold is the entry of the red reminder of the key's run, sent before.
func redTold(t *testing.T, k Key) *audit.Entry {
	t.Helper()
	k.Warning = workclock.WarnRed
	detail, err := json.Marshal(record{Number: "TS1", Sent: Sent{Key: k, Due: "2026-03-16", Told: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return &audit.Entry{Action: "complaint.reminder", ObjectType: "complaint", ObjectID: "42", Detail: detail}
}

// TestBody: the reminder's text asks for the work before the due date, or
// at once when red, with the 暂定 note of a provisional due date.
func TestBody(t *testing.T) {
	due := calendar.DateOf(china("2026-03-16 00:00"))
	tests := []struct {
		name string
		k    workclock.Clock
		w    workclock.Warning
		want string
	}{
		{"yellow", workclock.Clock{Days: 5, Started: true, Remaining: 1, Due: due},
			workclock.WarnYellow, "受理时限（5 个工作日）：剩余 1 个工作日，2026-03-16 到期。请在到期前受理。"},
		{"red", workclock.Clock{Days: 5, Started: true, Remaining: -1, Overdue: true, Due: due},
			workclock.WarnRed, "受理时限（5 个工作日）：已超期 1 个工作日（2026-03-16 到期）。已超过期限，请立即受理。"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Body("受理时限", tt.k, tt.w, "受理"); got != tt.want {
				t.Fatalf("body %q, want %q", got, tt.want)
			}
		})
	}
}
