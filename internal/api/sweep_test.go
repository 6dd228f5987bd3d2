package api_test

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"openhall/internal/demo"
)

// sweepZero is a date no answer may carry: Go's zero time or the epoch.
var sweepZero = regexp.MustCompile(`0001-01-01|1970-01-01`)

// sweepParam is a path parameter of the document.
var sweepParam = regexp.MustCompile(`\{[^}]+\}`)

// TestSweepEveryGet asks every documented GET operation, as each demo
// account and anonymously, in December with next year's schedule not
// imported and two cases on their clocks: each answer must be documented
// for its operation and fit its schema (checkContract), none may fail on
// the server, and none may carry a zero date. Path parameters take the
// first case's id (or number), which other resources may not have: a 404
// is then one of the answers checked.
func TestSweepEveryGet(t *testing.T) {
	a := demoApp(t, "sqlite", newTestClock(time.Date(2026, 12, 28, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))))
	citizen := loginWith(t, a, "citizen", demo.Password)
	version := itemVersion(t, a, "食品经营许可")
	var first, second caseView
	jsonUnmarshal(t, citizen.fileInOne(version, "sweep-1").body, &first)
	jsonUnmarshal(t, citizen.fileInOne(version, "sweep-2").body, &second)
	act(t, a, "clerk", second.ID, map[string]any{"kind": "accept"})
	doc, _, err := openAPI()
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for path, item := range doc.Paths.Map() {
		if item.Get != nil {
			paths = append(paths, path)
		}
	}
	sort.Strings(paths)
	clients := map[string]*client{"anonymous": anonymous(t, a)}
	for _, acc := range demo.Accounts() {
		clients[acc.Username] = loginWith(t, a, acc.Username, demo.Password)
	}
	for _, path := range paths {
		url := sweepURL(path, first)
		for who, c := range clients {
			r := c.do("GET", url, nil)
			if r.status >= 500 {
				t.Errorf("%s: GET %s: %d %s", who, url, r.status, r.body)
			}
			if m := sweepZero.Find(r.body); m != nil {
				t.Errorf("%s: GET %s carries %s: %.300s", who, url, m, r.body)
			}
		}
	}
	t.Logf("%d GET operations asked by %d clients", len(paths), len(clients))
}

// sweepURL fills the path parameters of a documented path with the case's
// number (for a parameter named so) or its id.
func sweepURL(path string, c caseView) string {
	return sweepParam.ReplaceAllStringFunc(path, func(p string) string {
		if strings.Contains(p, "number") {
			return c.Number
		}
		return strconv.FormatInt(c.ID, 10)
	})
}
