package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"time"

	"openhall/internal/demo"
	"openhall/internal/loadgen"
)

// probe is one browser-like client: its cookies go to whichever node it
// calls, as behind a reverse proxy.
type probe struct {
	http *http.Client
	csrf string
	from string // the client address the proxy forwards, when set
}

func newProbe(from string) *probe {
	jar, _ := cookiejar.New(nil)
	return &probe{http: &http.Client{Jar: jar, Timeout: 30 * time.Second}, from: from}
}

// call sends a JSON request and returns the status and the body.
func (p *probe) call(method, url string, body any) (int, string) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, r)
	req.Header.Set("Content-Type", "application/json")
	if p.csrf != "" {
		req.Header.Set("X-CSRF-Token", p.csrf)
	}
	if p.from != "" {
		req.Header.Set("X-Forwarded-For", p.from)
	}
	res, err := p.http.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (p *probe) login(base, user, password string) (int, string) {
	status, body := p.call(http.MethodPost, base+"/api/v1/session", map[string]string{"username": user, "password": password})
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	if status == http.StatusCreated && json.Unmarshal([]byte(body), &me) == nil {
		p.csrf = me.CSRF
	}
	return status, body
}

// checkSharedSession logs in on a, uses the session on b, logs out on b
// and checks that a no longer knows the session.
func checkSharedSession(rep *clusterReport, a, b string) {
	p := newProbe("")
	if status, body := p.login(a, "clerk", demo.Password); status != http.StatusCreated {
		rep.problem("login on node A: %d %.200s", status, body)
		return
	}
	if status, body := p.call(http.MethodGet, b+"/api/v1/me", nil); status != http.StatusOK || !strings.Contains(body, "clerk") {
		rep.problem("a session opened on node A is not known on node B: %d %.200s", status, body)
	}
	if status, body := p.call(http.MethodDelete, b+"/api/v1/session", nil); status >= 300 {
		rep.problem("logout on node B of a session opened on node A: %d %.200s", status, body)
	}
	if status, _ := p.call(http.MethodGet, a+"/api/v1/me", nil); status != http.StatusUnauthorized {
		rep.problem("after logging out on node B the session still works on node A: %d", status)
	}
}

// throttleAccount is a login name the throttle check guesses at: the
// counters are kept per typed name, existing or not, so no demo account is
// locked by the check.
const throttleAccount = "cluster-guess"

// checkSharedThrottle fails logins alternately on a and b from one client
// address and checks that the lock after five failures (identity's
// AccountFailures) counts failures on both nodes and holds on both, also
// when the failures arrive at the same moment.
func checkSharedThrottle(rep *clusterReport, a, b string) {
	p := newProbe("198.51.100.7")
	nodes := []string{a, b, a, b}
	for i, base := range nodes {
		status, body := p.login(base, throttleAccount, "wrong-password")
		if status != http.StatusUnauthorized {
			rep.problem("failed login %d: %d %.200s", i+1, status, body)
			return
		}
		if i == len(nodes)-1 && !strings.Contains(body, "再失败 1 次") {
			rep.problem("after four failures on two nodes the fourth answer does not count all four: %.200s", body)
		}
	}
	if status, body := p.login(a, throttleAccount, "wrong-password"); status != http.StatusTooManyRequests {
		rep.problem("the fifth failure (on node A) does not lock: %d %.200s", status, body)
	}
	if status, body := p.login(b, throttleAccount, "wrong-password"); status != http.StatusTooManyRequests {
		rep.problem("the lock set on node A does not hold on node B: %d %.200s", status, body)
	}
	checkConcurrentThrottle(rep, a, b)
}

// checkConcurrentThrottle fails four logins at the same moment, two on
// each node, from another address: the fifth failure must lock.
func checkConcurrentThrottle(rep *clusterReport, a, b string) {
	p := newProbe("198.51.100.8")
	var wg sync.WaitGroup
	for _, base := range []string{a, b, a, b} {
		wg.Go(func() { p.login(base, throttleAccount, "wrong-password") })
	}
	wg.Wait()
	if status, body := p.login(a, throttleAccount, "wrong-password"); status != http.StatusTooManyRequests {
		rep.problem("four failures at once on two nodes, then a fifth does not lock: %d %.200s", status, body)
	}
}

// materialsAcrossNodes is how many filings of each node have their
// materials downloaded from the other node.
const materialsAcrossNodes = 10

// checkSharedMaterials downloads, from the other node, the materials of
// filings each node acknowledged: both nodes must see one blob location.
func checkSharedMaterials(rep *clusterReport, nodes []string) {
	p := newProbe("")
	if status, body := p.login(nodes[0], "citizen", demo.Password); status != http.StatusCreated {
		rep.problem("login of the applicant: %d %.200s", status, body)
		return
	}
	checked := make([]int, len(nodes))
	for _, a := range rep.Acks {
		if a.Op != "submit" || checked[a.Node] >= materialsAcrossNodes {
			continue
		}
		checked[a.Node]++
		other := nodes[(a.Node+1)%len(nodes)]
		if msg := p.materialsOf(other, a); msg != "" {
			rep.problem("%s", msg)
		}
	}
	rep.note("materials of %v filings per node downloaded from the other node", checked)
}

// materialsOf downloads every material of the case a filed from base and
// checks that each is the file sent for it (it names the filing's key).
func (p *probe) materialsOf(base string, a loadgen.Ack) string {
	status, body := p.call(http.MethodGet, fmt.Sprintf("%s/api/v1/cases/%d", base, a.Case), nil)
	var c struct {
		Materials []struct {
			Seq int `json:"seq"`
		} `json:"materials"`
	}
	if status != http.StatusOK || json.Unmarshal([]byte(body), &c) != nil || len(c.Materials) == 0 {
		return fmt.Sprintf("case %s filed on node %d, read on the other: %d %.200s", a.Number, a.Node, status, body)
	}
	for _, m := range c.Materials {
		status, got := p.call(http.MethodGet, fmt.Sprintf("%s/cases/%d/materials/%d", base, a.Case, m.Seq), nil)
		if status != http.StatusOK || !strings.Contains(got, a.Key) {
			return fmt.Sprintf("material %d of case %s filed on node %d, downloaded from the other: %d %.100q", m.Seq, a.Number, a.Node, status, got)
		}
	}
	return ""
}
