package disclosure

import (
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
)

func date(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func ev(kind EventKind, on string, days int) *Event {
	return &Event{Kind: kind, On: date(on), Days: days, Party: "第三方"}
}

// TestComputeClock checks the deadlines against dates counted by hand on
// the 2026 State Council schedule (清明 4–6 April, 劳动节 1–5 May, the
// 春节 make-up Saturdays 14 and 28 February).
func TestComputeClock(t *testing.T) {
	cal, err := calendar.New(calendar.EmbeddedSchedules(), nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name          string
		events        []*Event
		today         string
		due           string
		correctionBy  string
		correctionDue string
		paused        int
		pause         EventKind
	}{
		{"TwentyWorkdays", []*Event{ev(EvReceived, "2026-03-02", 0)}, "2026-03-03", "2026-03-30", "2026-03-11", "", 0, ""},
		{"MakeUpSaturdaysCount", []*Event{ev(EvReceived, "2026-02-13", 0)}, "2026-02-14", "2026-03-19", "2026-03-02", "", 0, ""},
		{"CorrectionRestarts", []*Event{ev(EvReceived, "2026-03-02", 0), ev(EvCorrection, "2026-03-05", 15),
			ev(EvCorrected, "2026-03-20", 0)}, "2026-03-20", "2026-04-20", "2026-03-11", "2026-03-26", 0, ""},
		{"ExtensionAcrossHolidays", []*Event{ev(EvReceived, "2026-03-02", 0), ev(EvCorrection, "2026-03-05", 15),
			ev(EvCorrected, "2026-03-20", 0), ev(EvExtension, "2026-04-10", 10)}, "2026-04-10", "2026-05-07", "2026-03-11", "2026-03-26", 0, ""},
		{"ThirdPartyNotCounted", []*Event{ev(EvReceived, "2026-03-02", 0), ev(EvConsultThird, "2026-03-10", 0),
			ev(EvConsultReply, "2026-03-17", 0)}, "2026-03-18", "2026-04-07", "2026-03-11", "", 5, ""},
		{"AgencySilenceIsConsent", []*Event{ev(EvReceived, "2026-03-02", 0), ev(EvConsultAgency, "2026-03-10", 0)},
			"2026-04-10", "2026-04-21", "2026-03-11", "", 15, ""},
		{"AgencyConsultationOpen", []*Event{ev(EvReceived, "2026-03-02", 0), ev(EvConsultAgency, "2026-03-10", 0)},
			"2026-03-18", "2026-04-08", "2026-03-11", "", 6, EvConsultAgency},
		{"FeeNoticeUntilPayment", []*Event{ev(EvReceived, "2026-03-02", 0), {Kind: EvFeeNotice, On: date("2026-03-05"), Amount: 100},
			ev(EvFeePaid, "2026-03-12", 0)}, "2026-03-12", "2026-04-07", "2026-03-11", "", 5, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ComputeClock(cal, c.events, date(c.today))
			if err != nil {
				t.Fatal(err)
			}
			if got.Due.String() != c.due || got.CorrectionBy.String() != c.correctionBy || got.PausedDays != c.paused || got.Pause != c.pause {
				t.Fatalf("due %s, correction by %s, paused %d (%q); want %s, %s, %d (%q)\n%v",
					got.Due, got.CorrectionBy, got.PausedDays, got.Pause, c.due, c.correctionBy, c.paused, c.pause, got.Steps)
			}
			if c.correctionDue != "" && got.CorrectionDue.String() != c.correctionDue {
				t.Fatalf("correction due %s, want %s", got.CorrectionDue, c.correctionDue)
			}
		})
	}
}

// TestComputeClock_FeeDeadline: the payment period (20 working days) runs
// from the day after the applicant received the notice, not from the
// notice's date (国办函〔2020〕109号); before the receipt is recorded there
// is no payment deadline, and the answer period stays stopped.
func TestComputeClock_FeeDeadline(t *testing.T) {
	cal, _ := calendar.New(calendar.EmbeddedSchedules(), nil)
	events := []*Event{ev(EvReceived, "2026-03-02", 0), {Kind: EvFeeNotice, On: date("2026-03-05"), Amount: 100}}
	got, err := ComputeClock(cal, events, date("2026-03-06"))
	if err != nil || got.FeeDue != (calendar.Date{}) || got.Pause != EvFeeNotice {
		t.Fatalf("before receipt: fee due %s (pause %q): %v", got.FeeDue, got.Pause, err)
	}
	// Received on Friday 6 March: 9–13, 16–20, 23–27 March, 30 March–3
	// April are the 20 working days (清明 is 4–6 April).
	events = append(events, &Event{Kind: EvFeeReceived, On: date("2026-03-06"), Party: "邮寄"})
	got, err = ComputeClock(cal, events, date("2026-03-09"))
	if err != nil || got.FeeDue.String() != "2026-04-03" || got.Pause != EvFeeNotice {
		t.Fatalf("fee due %s (pause %q), want 2026-04-03: %v", got.FeeDue, got.Pause, err)
	}
	// Received on 3 April, the period crosses 清明 (4–6 April).
	events[len(events)-1].On = date("2026-04-03")
	if got, _ = ComputeClock(cal, events, date("2026-04-07")); got.FeeDue.String() != "2026-05-07" {
		t.Fatalf("fee due across 清明 and 劳动节: %s, want 2026-05-07", got.FeeDue)
	}
}

// TestComputeClock_DecemberFee: a fee notice received in December runs into
// a year without an imported schedule: provisional, never a zero date.
func TestComputeClock_DecemberFee(t *testing.T) {
	cal, _ := calendar.New(calendar.EmbeddedSchedules(), nil)
	got, err := ComputeClock(cal, []*Event{ev(EvReceived, "2026-12-01", 0), {Kind: EvFeeNotice, On: date("2026-12-10"), Amount: 100},
		{Kind: EvFeeReceived, On: date("2026-12-14"), Party: "电子邮件"}}, date("2026-12-15"))
	if err != nil || got.Provisional != 2027 || got.FeeDue.Year() != 2027 || got.Due.Year() != 2027 {
		t.Fatalf("fee due %s, due %s, provisional %d: %v", got.FeeDue, got.Due, got.Provisional, err)
	}
}

// TestComputeClock_NoCalendarData: a request received in December whose
// period reaches a year without an imported schedule gets a provisional
// deadline (Art 33: 20 working days) counted on the weekends and the days
// off the law fixes (放假办法 Art 2), marked with that year, never a zero
// date or an error; a period wholly inside 2026 stays official.
func TestComputeClock_NoCalendarData(t *testing.T) {
	cal, _ := calendar.New(calendar.EmbeddedSchedules(), nil)
	got, err := ComputeClock(cal, []*Event{ev(EvReceived, "2026-12-04", 0)}, date("2026-12-07"))
	// 7–11, 14–18, 21–25, 28–31 December are 19 working days; Friday 1
	// January 2027 is 元旦, off by law even before the 2027 schedule is
	// imported, and 2–3 January a weekend: Monday 4 January is
	// provisionally the 20th.
	if err != nil || got.Due.String() != "2027-01-04" || got.Provisional != 2027 {
		t.Fatalf("due %s provisional %d, %v; want 2027-01-04 provisional 2027", got.Due, got.Provisional, err)
	}
	// The 补正 deadline (7 working days) lies in 2026, but the answer
	// deadline still makes the clock provisional as a whole.
	if got.CorrectionBy.String() != "2026-12-15" {
		t.Errorf("correction by %s, want 2026-12-15", got.CorrectionBy)
	}
	got, err = ComputeClock(cal, []*Event{ev(EvReceived, "2026-11-02", 0)}, date("2026-11-03"))
	if err != nil || got.Provisional != 0 || got.Due.String() != "2026-11-30" {
		t.Fatalf("November request: due %s provisional %d, %v", got.Due, got.Provisional, err)
	}
}

func TestFees(t *testing.T) {
	for n, want := range map[int]int64{1: 0, 10: 0, 11: 100, 30: 100, 31: 200, 40: 200, 41: 300, 55: 400} {
		if got := FeePerRequest(n); got != want {
			t.Errorf("request %d: %d 元, want %d", n, got, want)
		}
	}
	for pages, want := range map[int]int64{0: 0, 30: 0, 31: 10, 100: 700, 101: 720, 200: 2700, 201: 2740} {
		if got := FeeByPages(pages); got != want {
			t.Errorf("%d pages: %d 元, want %d", pages, got, want)
		}
	}
}

// TestFeeNoticeRules: a fee notice charges only what 国办函〔2020〕109号 sets
// (条例第四十二条): per request by the applicant's rank in the month, or by
// volume when pages are given, never where the rule charges nothing.
func TestFeeNoticeRules(t *testing.T) {
	for _, tc := range []struct {
		name        string
		rank, pages int
		amount      int64
		field       string // the field refused; "" when allowed
	}{
		{"first request this month, per request", 1, 0, 100, "amount"},
		{"tenth request, per request", 10, 0, 100, "amount"},
		{"eleventh request, per request", 11, 0, 100, ""},
		{"eleventh request, wrong amount", 11, 0, 200, "amount"},
		{"thirty-first request", 31, 0, 200, ""},
		{"first request, by volume, 40 pages", 1, 40, 100, ""},
		{"by volume, 30 pages", 1, 30, 0, "pages"},
		{"by volume, wrong amount", 1, 101, 700, "amount"},
		{"by volume, negative pages", 1, -1, 10, "pages"},
	} {
		e := &Event{Kind: EvFeeNotice, Days: tc.rank, Pages: tc.pages, Amount: tc.amount, Note: "统一公共支付平台"}
		err := checkFeeNotice(e)
		if tc.field == "" && err != nil || tc.field != "" && apperr.FieldsOf(err)[tc.field] == "" {
			t.Errorf("%s: %v, want refusal of %q", tc.name, err, tc.field)
		}
	}
	if err := checkFeeNotice(&Event{Kind: EvFeeNotice, Days: 12, Amount: 100}); apperr.FieldsOf(err)["note"] == "" {
		t.Errorf("a fee notice without the way to pay: %v", err)
	}
}
