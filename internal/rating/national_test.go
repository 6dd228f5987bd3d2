package rating

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestNationalSatisfaction pins every level to the interface's code. The
// interface counts 1 非常不满意 … 5 非常满意, GB/T 39046 A.8 the other way
// round: a mapping that copied the number would fail the first row.
func TestNationalSatisfaction(t *testing.T) {
	tests := []struct {
		level Level
		code  string
	}{
		{VerySatisfied, "5"},
		{Satisfied, "4"},
		{FairlySatisfied, "3"},
		{Dissatisfied, "2"},
		{VeryDissatisfied, "1"},
	}
	for _, tt := range tests {
		if got := NationalSatisfaction(tt.level); got != tt.code {
			t.Errorf("NationalSatisfaction(%s) = %q, want %q", tt.level.Label(), got, tt.code)
		}
		back, err := LevelFromNational(tt.code)
		if err != nil || back != tt.level {
			t.Errorf("LevelFromNational(%q) = %v, %v; want %s", tt.code, back, err, tt.level.Label())
		}
	}
	for _, bad := range []string{"0", "6", "", "x"} {
		if _, err := LevelFromNational(bad); err == nil {
			t.Errorf("code %q accepted", bad)
		}
	}
}

func TestNationalChannels(t *testing.T) {
	want := map[Channel]string{ChannelPC: "1", ChannelMobile: "2", ChannelQR: "3", ChannelTablet: "4", ChannelKiosk: "5",
		ChannelSMS: "6", ChannelDefault: "7"}
	for c, code := range want {
		if got := NationalChannel(c); got != code {
			t.Errorf("pf of %s = %q, want %q", c, got, code)
		}
		if back, err := ChannelFromNational(code); err != nil || back != c {
			t.Errorf("pf %q read as %s, %v", code, back, err)
		}
	}
}

// TestRecordRoundTrip writes a rating as a record and reads it back.
func TestRecordRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 9, 10, 30, 15, 0, chinaTime).UTC()
	r := &Rating{Subject: SubjectCase, CaseNumber: "33010626030900000042", Stage: StageDone, Number: SecondEvaluation,
		Level: VeryDissatisfied, Indicators: map[Indicator]Level{IndEfficiency: Dissatisfied, IndGuide: VerySatisfied},
		Channel: ChannelMobile, Anonymous: false, RaterKind: "legal", Comment: "等了三周", Key: "r0123",
		Target: Target{RegionCode: "330106", ItemCode: "XK00012000", ItemName: "测试许可", Instant: true}, At: at}
	rec := ToRecord(r, "11330106MB0000000X")
	if rec.Satisfaction != "1" || rec.Pf != "2" || rec.UserProp != "2" || rec.AnonymityFlag != "2" || rec.AssessNumber != "2" ||
		rec.PromiseTime != "1" || rec.ProStatus != "3" || rec.Version != "2" || rec.Type != "1" || rec.AssessTime != "2026-03-09 10:30:15" {
		t.Fatalf("record codes: %+v", rec)
	}
	if rec.EvalDetail != "101:2,102:5" {
		t.Fatalf("evalDetail %q", rec.EvalDetail)
	}
	back, bad := FromRecord(rec)
	if len(bad) > 0 {
		t.Fatal(bad)
	}
	if back.Level != r.Level || back.Channel != r.Channel || back.Number != r.Number || back.Stage != r.Stage ||
		back.RaterKind != "legal" || !back.At.Equal(at) || back.Key != "r0123" || back.Indicators[IndGuide] != VerySatisfied || !back.Instant {
		t.Fatalf("read back %+v", back)
	}
}

func TestFromRecordNamesBadFields(t *testing.T) {
	_, bad := FromRecord(Record{ProjectNo: "1", ProStatus: "9", Pf: "8", Satisfaction: "0", AssessNumber: "3",
		AssessTime: "yesterday", AnonymityFlag: "x", UserProp: "5", EvalDetail: "999:1"})
	for _, field := range []string{"proStatus", "pf", "satisfaction", "assessNumber", "assessTime", "anonymityFlag", "userProp", "evalDetail"} {
		if bad[field] == "" {
			t.Errorf("no error for %s: %v", field, bad)
		}
	}
}

func TestRecordKeyWithoutID(t *testing.T) {
	rec := Record{ProjectNo: "1", ProStatus: "3", Pf: "1", Satisfaction: "5", AssessNumber: "1", AssessTime: "2026-03-09 10:00:00", AnonymityFlag: "1"}
	a, _ := FromRecord(rec)
	b, _ := FromRecord(rec)
	rec.Satisfaction = "4"
	c, _ := FromRecord(rec)
	if a.Key == "" || a.Key != b.Key || a.Key == c.Key {
		t.Fatalf("content keys %q %q %q", a.Key, b.Key, c.Key)
	}
}

func TestPeriodOf(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, chinaTime) }
	tests := []struct {
		name     string
		from, to time.Time
		months   [2]string
		days     [][2]string
	}{
		{"a year of whole months", d(2026, 1, 1), d(2027, 1, 1), [2]string{"2026-01", "2027-01"}, nil},
		{"part-months at both ends", d(2025, 12, 1), d(2026, 11, 30), [2]string{"2025-12", "2026-11"}, [][2]string{{"2026-11-01", "2026-11-30"}}},
		{"starting mid-month", d(2026, 3, 9), d(2026, 6, 1), [2]string{"2026-04", "2026-06"}, [][2]string{{"2026-03-09", "2026-04-01"}}},
		{"inside one month", d(2026, 3, 9), d(2026, 3, 10), [2]string{}, [][2]string{{"2026-03-09", "2026-03-10"}}},
		{"across two part-months", d(2026, 3, 20), d(2026, 4, 10), [2]string{}, [][2]string{{"2026-03-20", "2026-04-10"}}},
	}
	for _, tt := range tests {
		p := PeriodOf(tt.from, tt.to)
		if p.Months != tt.months || fmt.Sprint(p.Days) != fmt.Sprint(tt.days) {
			t.Errorf("%s: %v %v; want %v %v", tt.name, p.Months, p.Days, tt.months, tt.days)
		}
	}
}

// TestFromRecordTimeAndComment: a time in the right format but before
// 好差评 existed is out of range (not badly formatted), and the comment
// has the local limit.
func TestFromRecordTimeAndComment(t *testing.T) {
	tests := []struct {
		name          string
		at, comment   string
		field, saying string // "" = accepted
	}{
		{"a time", "2026-03-09 10:00:00", "", "", ""},
		{"year 1", "0001-01-01 00:00:00", "", "assessTime", "超出范围"},
		{"1999", "1999-12-31 23:59:59", "", "assessTime", "超出范围"},
		{"not a time", "2026-03-09", "", "assessTime", "格式"},
		{"the longest comment", "2026-03-09 10:00:00", strings.Repeat("慢", maxComment), "", ""},
		{"a comment too long", "2026-03-09 10:00:00", strings.Repeat("慢", maxComment+1), "writingEvaluation", "不能超过 500 字"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, bad := FromRecord(Record{ProjectNo: "1", ProStatus: "3", Pf: "1", Satisfaction: "5", AssessNumber: "1",
				AssessTime: tt.at, AnonymityFlag: "1", WritingEvaluation: tt.comment})
			if tt.field == "" {
				if len(bad) > 0 {
					t.Fatal(bad)
				}
				return
			}
			if len(bad) != 1 || !strings.Contains(bad[tt.field], tt.saying) {
				t.Fatalf("errors %v, want %s saying %q", bad, tt.field, tt.saying)
			}
		})
	}
}

// TestFromRecordDefaultChannel: a record of channel 7 (系统默认评价) is a
// default rating even without our defaultFlag, as another system sends
// it; a defaultFlag on another channel is refused, naming the field.
func TestFromRecordDefaultChannel(t *testing.T) {
	rec := Record{ProjectNo: "1", ProStatus: "3", Pf: "7", Satisfaction: "4", AssessNumber: "1",
		AssessTime: "2026-03-09 10:00:00", AnonymityFlag: "2"}
	r, bad := FromRecord(rec)
	if len(bad) > 0 || !r.Default || r.Channel != ChannelDefault {
		t.Fatalf("pf 7 without defaultFlag: default %v channel %s, errors %v", r.Default, r.Channel, bad)
	}
	back := ToRecord(r, "")
	if back.Pf != "7" || back.DefaultFlag != "1" {
		t.Fatalf("written back as pf %q defaultFlag %q", back.Pf, back.DefaultFlag)
	}
	rec.Pf, rec.DefaultFlag = "1", "1"
	if _, bad := FromRecord(rec); !strings.Contains(bad["defaultFlag"], "pf 应为 7") {
		t.Fatalf("defaultFlag 1 on pf 1: errors %v", bad)
	}
}
