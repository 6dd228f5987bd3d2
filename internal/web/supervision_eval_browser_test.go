package web_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/testutil"

	"github.com/chromedp/chromedp"
)

// handCount is April's figures of 西湖区市场监督管理局, counted by the test
// from the cases' events and the calendar, and from the cards and 督办
// lists as the supervisor sees them.
type handCount struct {
	Received, Accepted, Refused, Decided, OnTime, Early, Yellow, Red, Orders int
	Satisfaction, Complaints                                                 string // as the evaluation words them
}

// countEvents counts the April events of the arranged cases; a case is on
// time when it closed on or before the day its promised working days end.
func (s *supScenario) countEvents() handCount {
	s.t.Helper()
	cal, err := calendar.New(calendar.EmbeddedSchedules(), nil)
	if err != nil {
		s.t.Fatal(err)
	}
	var h handCount
	april := func(t time.Time) bool { return t.In(cstZone).Month() == time.April && t.In(cstZone).Year() == 2026 }
	for _, key := range []string{"A", "B", "C"} {
		c, err := s.a.Stores.Cases.LoadCase(context.Background(), s.cases[key].ID, false)
		if err != nil {
			s.t.Fatal(err)
		}
		for _, e := range c.Events {
			if !april(e.At) {
				continue
			}
			switch e.Kind {
			case cases.EventSubmitted:
				h.Received++
			case cases.EventAccepted:
				h.Accepted++
			case cases.EventRefused:
				h.Refused++
			case cases.EventDecided:
				h.Decided++
				due, err := cal.AddWorkdays(calendar.DateOf(c.AcceptedAt), c.Procedure.Promised.N)
				if err != nil {
					s.t.Fatal(err)
				}
				closed := calendar.DateOf(e.At)
				if !closed.After(due) {
					h.OnTime++
				}
				if closed.Before(due) {
					h.Early++
				}
			}
		}
	}
	return h
}

var cstZone = time.FixedZone("CST", 8*3600)

// countLists counts the department's April cards on the cards list and the
// 督办 on the orders list, through the filter forms.
func (s *supScenario) countLists(h *handCount) {
	dept := strconv.FormatInt(s.cases["A"].Procedure.DepartmentID, 10)
	s.click(`.main-nav a[href="/supervision"]`)
	s.click(`a[href="/supervision/cards"]`)
	s.navigating(`main table`,
		chromedp.SetValue(chromedp.ID("f-dept"), dept),
		chromedp.SetValue(chromedp.ID("f-from"), "2026-04-01"),
		chromedp.SetValue(chromedp.ID("f-to"), "2026-04-30"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)),
	)
	h.Yellow = s.count(`main tbody td span.card-yellow`)
	h.Red = s.count(`main tbody td span.card-red`)
	s.click(`.main-nav a[href="/supervision"]`)
	s.click(`a[href="/supervision/orders"]`)
	h.Orders = s.count(`main tbody a[href^="/supervision/orders/"]`)
}

func (s *supScenario) count(sel string) int {
	s.t.Helper()
	n, err := strconv.Atoi(text(s.t, s.ctx, chromedp.Evaluate[string](`String(document.querySelectorAll('`+sel+`').length)`)))
	if err != nil {
		s.t.Fatal(err)
	}
	return n
}

// evaluation opens April's evaluation of 西湖区政务服务中心 and compares the
// department's row with the hand count.
func (s *supScenario) evaluation(fb feedback) {
	s.clock.Set(day(5, 6, 10))
	s.login("supervisor")
	want := s.countEvents()
	s.countLists(&want)
	fb.count(s, s.cases["A"].Procedure.DepartmentID, &want)
	if want != (handCount{Received: 3, Accepted: 2, Refused: 1, Decided: 2, OnTime: 2, Early: 1, Yellow: 3, Red: 1, Orders: 2,
		Satisfaction: "50.0%（1/2），差评 1 件", Complaints: "收到 2 件，受理 2 件，已答复 2 件，超期 0 件"}) {
		s.t.Fatalf("the hand count itself is not the scenario's: %+v", want)
	}
	deadline := time.Now().Add(30 * time.Second)
	var got handCount
	for {
		s.click(`.main-nav a[href="/supervision"]`)
		s.click(`a[href="/supervision/evaluation"]`)
		s.navigating(`main table`,
			chromedp.SetValue(chromedp.ID("f-centre"), s.centreID("西湖区政务服务中心")),
			chromedp.SetValue(chromedp.ID("f-period"), "2026-04"),
			chromedp.Click(chromedp.CSS(`main form.toolbar button[type=submit]`)),
		)
		got = s.deptRow("西湖区市场监督管理局")
		if got == want || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Second)
	}
	testutil.Screenshot(s.t, s.ctx, "evaluation")
	if got != want {
		s.t.Fatalf("April's evaluation row\n got %+v\nwant %+v (hand count)", got, want)
	}
}

// centreID finds a centre's option value in the evaluation form.
func (s *supScenario) centreID(name string) string {
	s.t.Helper()
	return text(s.t, s.ctx, chromedp.Evaluate[string](`(Array.from(document.querySelectorAll('#f-centre option')).find(o => o.textContent === '`+name+`') || {value: ''}).value`))
}

// deptRow reads a department's row of the evaluation's 按部门 table.
func (s *supScenario) deptRow(name string) handCount {
	s.t.Helper()
	js := `JSON.stringify(Array.from(document.querySelectorAll('main section')).filter(sec => sec.querySelector('h2') &&
		sec.querySelector('h2').textContent === '按部门').flatMap(sec => Array.from(sec.querySelectorAll('tbody tr')))
		.filter(tr => tr.querySelector('th') && tr.querySelector('th').textContent.trim() === '` + name + `')
		.map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.textContent.trim()))[0] || [])`
	var cells []string
	if err := json.Unmarshal([]byte(text(s.t, s.ctx, chromedp.Evaluate[string](js))), &cells); err != nil {
		s.t.Fatal(err)
	}
	if len(cells) < 11 {
		return handCount{}
	}
	n := func(i int) int { v, _ := strconv.Atoi(strings.TrimSpace(cells[i])); return v }
	// 收件 受理 不予受理 补正 办结 按时 提前 平均用时 黄牌 红牌 督办, then the indicators
	h := handCount{Received: n(0), Accepted: n(1), Refused: n(2), Decided: n(4), OnTime: n(5), Early: n(6), Yellow: n(8), Red: n(9), Orders: n(10)}
	h.Satisfaction, h.Complaints = s.deptCell(cells, "好评率"), s.deptCell(cells, "投诉")
	return h
}

// deptCell is the cell of a row of the 按部门 table under the column
// headed label ("" when the table has no such column).
func (s *supScenario) deptCell(cells []string, label string) string {
	s.t.Helper()
	js := `Array.from(document.querySelectorAll('main section')).filter(sec => sec.querySelector('h2') &&
		sec.querySelector('h2').textContent === '按部门').map(sec => Array.from(sec.querySelectorAll('thead th'))
		.findIndex(th => th.textContent.trim() === '` + label + `'))[0] ?? -1`
	col, err := strconv.Atoi(text(s.t, s.ctx, chromedp.Evaluate[string](`String(`+js+`)`)))
	if err != nil {
		s.t.Fatal(err)
	}
	i := col - 1 // the row's first cell is its 名称 header
	if i < 0 || i >= len(cells) {
		return ""
	}
	return cells[i]
}
