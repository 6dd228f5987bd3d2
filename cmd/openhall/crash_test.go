package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"openhall/internal/demo"
)

const (
	crashItem     = "特种设备使用登记"
	crashWorkers  = 32
	crashLoadMin  = 1500 * time.Millisecond // load before the kill
	crashAcksMin  = 50                      // acknowledged filings before the kill
	crashSummary  = "进程终止测试 "
	verifyWorkers = 8
)

// TestKillDuringSubmissions files applications from many clients at once,
// kills the server with SIGKILL in the middle of the load, restarts it on the
// same data directory and checks that:
//   - every acknowledged application exists, with its materials (byte for
//     byte) and its filing event;
//   - every case in the database, acknowledged or not, is whole in the same way;
//   - retrying each unanswered request with its Idempotency-Key succeeds, and
//     afterwards there is exactly one case per key.
func TestKillDuringSubmissions(t *testing.T) {
	if testing.Short() {
		t.Skip("builds, kills and restarts the server")
	}
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	env := []string{"OPENHALL_DATA=" + data}
	p := startServe(t, bin, env, "--demo")
	c := newFilingClient(t, p.addr, 0, nil)
	before := c.caseIDs(t)
	attempts, killedAt := c.loadAndKill(t, p)
	logLoad(t, attempts, killedAt)
	logLeftovers(t, filepath.Join(data, "blobs"))

	p = startServe(t, bin, env)
	c = newFilingClient(t, p.addr, c.version, c.codes)
	byKey := c.checkCases(t, before)
	checkAcknowledged(t, attempts, byKey)
	logFound(t, attempts, byKey)
	created, repeated := c.retryUnacknowledged(t, attempts, byKey)
	final := c.checkCases(t, before)
	checkExactlyOnce(t, attempts, final)
	t.Logf("retries: %d filed anew (201), %d found filed (200); cases after retries: %d", created, repeated, len(final))
}

// filingClient is the demo applicant logged in over the JSON API.
type filingClient struct {
	base    string
	http    *http.Client
	csrf    string
	version int64    // the item's published version
	codes   []string // the materials it wants uploaded
}

// newFilingClient logs in as the demo applicant. With version 0 it looks up
// the item and its required uploads.
func newFilingClient(t *testing.T, addr string, version int64, codes []string) *filingClient {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &filingClient{base: "http://" + addr, version: version, codes: codes, http: &http.Client{Jar: jar,
		Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: crashWorkers, MaxConnsPerHost: crashWorkers}}}
	body, _ := json.Marshal(map[string]string{"username": "citizen", "password": demo.Password})
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	if err := c.call(http.MethodPost, "/api/v1/session", "application/json", bytes.NewReader(body), http.StatusCreated, &me); err != nil {
		t.Fatalf("login: %v", err)
	}
	c.csrf = me.CSRF
	if c.version == 0 {
		c.findItem(t)
	}
	return c
}

func (c *filingClient) findItem(t *testing.T) {
	t.Helper()
	var err error
	if c.version, err = itemVersionByName(c.base, crashItem); err != nil {
		t.Fatal(err)
	}
	var p struct {
		Materials []struct {
			Code     string `json:"code"`
			Kind     string `json:"kind"`
			Required bool   `json:"required"`
		} `json:"materials"`
	}
	if err := c.call(http.MethodGet, fmt.Sprintf("/api/v1/procedures/%d", c.version), "", nil, http.StatusOK, &p); err != nil {
		t.Fatal(err)
	}
	for _, m := range p.Materials {
		if m.Required && m.Kind == "upload" {
			c.codes = append(c.codes, m.Code)
		}
	}
	if len(c.codes) == 0 {
		t.Fatalf("%s wants no uploaded material", crashItem)
	}
}

// call sends a request and decodes a JSON answer with the wanted status.
func (c *filingClient) call(method, path, ctype string, body io.Reader, want int, out any) error {
	req, _ := http.NewRequest(method, c.base+path, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	status, b, err := c.do(req)
	if err != nil {
		return err
	}
	if status != want {
		return fmt.Errorf("%s %s: %d %s", method, path, status, b)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

// do sends a request and reads the whole answer.
func (c *filingClient) do(req *http.Request) (int, []byte, error) {
	status, _, b, err := c.doHeader(req)
	return status, b, err
}

// doHeader is do that also returns the answer's header.
func (c *filingClient) doHeader(req *http.Request) (int, http.Header, []byte, error) {
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b, err
}

// materialPDF is the file sent for one material of one filing: a tiny PDF
// unique to the key, so that no two filings share a stored file.
func materialPDF(key, code string) []byte {
	return fmt.Appendf(nil, "%%PDF-1.4\n%% %s %s\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n", key, code)
}

// attempt is one filing request and what the client saw of it.
type attempt struct {
	key     string
	started time.Time
	status  int // 0: no complete answer
	id      int64
	number  string
	err     string
	refusal refusal // the error answer, if the server gave one
}

// refusal is an error answer of the server.
type refusal struct {
	status     int
	retryAfter string
	code       string
	message    string
}

// acked reports whether the client got the case back.
func (a attempt) acked() bool {
	return (a.status == http.StatusCreated || a.status == http.StatusOK) && a.id != 0 && a.number != ""
}

// file sends one application with its materials in one multipart request.
func (c *filingClient) file(key string) attempt {
	a := attempt{key: key, started: time.Now()}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	app, _ := json.Marshal(map[string]any{"item_version_id": c.version, "form": map[string]string{"summary": crashSummary + key}})
	w.WriteField("case", string(app))
	for _, code := range c.codes {
		part, _ := w.CreateFormFile("material."+code, code+".pdf")
		part.Write(materialPDF(key, code))
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+"/api/v1/cases", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Idempotency-Key", key)
	status, h, b, err := c.doHeader(req)
	if err != nil {
		a.err = err.Error()
		return a
	}
	var out struct {
		ID     int64  `json:"id"`
		Number string `json:"number"`
		Error  struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(b, &out); err != nil || status >= 300 {
		a.err = fmt.Sprintf("%d %.300s", status, b)
		a.refusal = refusal{status: status, retryAfter: h.Get("Retry-After"), code: out.Error.Code, message: out.Error.Message}
		return a
	}
	a.status, a.id, a.number = status, out.ID, out.Number
	return a
}

// loadAndKill files applications from crashWorkers clients until the load
// has run long enough and enough were acknowledged, then kills the server.
func (c *filingClient) loadAndKill(t *testing.T, p *proc) ([]attempt, time.Time) {
	return c.loadAndSignal(t, p, os.Kill)
}

// loadAndSignal is loadAndKill with another signal; it returns once the
// server has exited.
func (c *filingClient) loadAndSignal(t *testing.T, p *proc, sig os.Signal) ([]attempt, time.Time) {
	t.Helper()
	var (
		mu       sync.Mutex
		attempts []attempt
		acks     atomic.Int64
		seq      atomic.Int64
		stop     atomic.Bool
		wg       sync.WaitGroup
	)
	run := fmt.Sprintf("kill-%x", time.Now().UnixNano())
	for range crashWorkers {
		wg.Go(func() {
			for !stop.Load() {
				a := c.file(fmt.Sprintf("%s-%d", run, seq.Add(1)))
				if a.acked() {
					acks.Add(1)
				}
				mu.Lock()
				attempts = append(attempts, a)
				mu.Unlock()
			}
		})
	}
	enough := waitForAcks(&acks)
	killedAt := time.Now()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Errorf("signal %v: %v", sig, err)
	}
	stop.Store(true)
	wg.Wait()
	p.cmd.Wait()
	if !enough {
		t.Fatalf("only %d filings acknowledged before the kill", acks.Load())
	}
	return attempts, killedAt
}

// waitForAcks waits for crashLoadMin and crashAcksMin acknowledgments, or
// gives up after half a minute.
func waitForAcks(acks *atomic.Int64) bool {
	time.Sleep(crashLoadMin)
	for deadline := time.Now().Add(30 * time.Second); acks.Load() < crashAcksMin; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

func logLoad(t *testing.T, attempts []attempt, killedAt time.Time) {
	var acked, inFlight, after int
	firstErr := ""
	for _, a := range attempts {
		switch {
		case a.acked():
			acked++
		case a.started.Before(killedAt):
			inFlight++
			if firstErr == "" || !isNetErr(a.err) && isNetErr(firstErr) {
				firstErr = a.err
			}
		default:
			after++
		}
	}
	t.Logf("load: %d requests, %d acknowledged, %d in flight at the kill, %d sent after it; e.g. %q",
		len(attempts), acked, inFlight, after, firstErr)
}

// logLeftovers counts the temporary files of uploads the kill cut short;
// the store removes them when they are an hour old.
func logLeftovers(t *testing.T, blobs string) {
	entries, err := os.ReadDir(blobs)
	if err != nil {
		t.Errorf("blob store: %v", err)
	}
	n := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".upload-") {
			n++
		}
	}
	t.Logf("unfinished uploads left in the blob store: %d", n)
}

// isNetErr tells a broken connection from an answer the server gave.
func isNetErr(msg string) bool {
	return msg != "" && (msg[0] < '0' || msg[0] > '9')
}

// caseView is the part of a case this test checks.
type caseView struct {
	ID        int64             `json:"id"`
	Number    string            `json:"number"`
	Status    string            `json:"status"`
	Form      map[string]string `json:"form"`
	Materials []struct {
		Seq    int    `json:"seq"`
		Code   string `json:"code"`
		SHA256 string `json:"sha256"`
		Size   int64  `json:"size"`
	} `json:"materials"`
	Events []eventView `json:"events"`
}

type eventView struct {
	Kind string `json:"kind"`
}

// caseIDs lists the applicant's cases, page by page.
func (c *filingClient) caseIDs(t *testing.T) []int64 {
	t.Helper()
	var ids []int64
	for {
		var page struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
			Total int `json:"total"`
		}
		if err := c.call(http.MethodGet, fmt.Sprintf("/api/v1/cases?offset=%d", len(ids)), "", nil, http.StatusOK, &page); err != nil {
			t.Fatalf("my cases: %v", err)
		}
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		if len(page.Items) == 0 || len(ids) >= page.Total {
			return ids
		}
	}
}

// checkCases checks every case the applicant filed since before (the
// demo's own cases are left alone) and returns them by Idempotency-Key.
func (c *filingClient) checkCases(t *testing.T, before []int64) map[string]caseView {
	t.Helper()
	var fresh []int64
	for _, id := range c.caseIDs(t) {
		if !slices.Contains(before, id) {
			fresh = append(fresh, id)
		}
	}
	var mu sync.Mutex
	byKey := map[string]caseView{}
	parallel(fresh, func(id int64) {
		v, ok := c.checkCase(t, id)
		if !ok {
			return
		}
		key := strings.TrimPrefix(v.Form["summary"], crashSummary)
		mu.Lock()
		defer mu.Unlock()
		if prev, dup := byKey[key]; dup {
			t.Errorf("key %s filed twice: cases %s and %s", key, prev.Number, v.Number)
		}
		byKey[key] = v
	})
	return byKey
}

// checkCase checks that a case is whole: submitted, with its filing
// event and every required material, each downloadable with the bytes sent.
func (c *filingClient) checkCase(t *testing.T, id int64) (caseView, bool) {
	var v caseView
	if err := c.call(http.MethodGet, fmt.Sprintf("/api/v1/cases/%d", id), "", nil, http.StatusOK, &v); err != nil {
		t.Errorf("case %d listed but not readable: %v", id, err)
		return v, false
	}
	key, ok := strings.CutPrefix(v.Form["summary"], crashSummary)
	if !ok {
		t.Errorf("case %s has an unknown summary %q", v.Number, v.Form["summary"])
		return v, false
	}
	if v.Status != "submitted" || !slices.Contains(v.Events, eventView{Kind: "submitted"}) {
		t.Errorf("case %s (key %s): status %q, events %v; want submitted with its filing event", v.Number, key, v.Status, v.Events)
	}
	c.checkMaterials(t, v, key)
	return v, true
}

// checkMaterials checks that every required material is listed once and
// downloads with exactly the bytes that were uploaded for it.
func (c *filingClient) checkMaterials(t *testing.T, v caseView, key string) {
	if len(v.Materials) != len(c.codes) {
		t.Errorf("case %s (key %s) has %d materials, want %d", v.Number, key, len(v.Materials), len(c.codes))
	}
	for _, m := range v.Materials {
		want := materialPDF(key, m.Code)
		sum := sha256.Sum256(want)
		if m.SHA256 != hex.EncodeToString(sum[:]) || m.Size != int64(len(want)) {
			t.Errorf("case %s material %s: recorded as %s (%d bytes), not the file sent", v.Number, m.Code, m.SHA256, m.Size)
		}
		got, err := c.download(v.ID, m.Seq)
		if err != nil {
			t.Errorf("case %s material %s: download: %v", v.Number, m.Code, err)
		} else if !bytes.Equal(got, want) {
			t.Errorf("case %s material %s: downloaded %q, want %q", v.Number, m.Code, got, want)
		}
	}
}

func (c *filingClient) download(id int64, seq int) ([]byte, error) {
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/cases/%d/materials/%d", c.base, id, seq), nil)
	status, b, err := c.do(req)
	if err == nil && status != http.StatusOK {
		return nil, fmt.Errorf("status %d", status)
	}
	return b, err
}

// parallel runs fn for every id from verifyWorkers goroutines.
func parallel(ids []int64, fn func(int64)) {
	work := make(chan int64)
	var wg sync.WaitGroup
	for range verifyWorkers {
		wg.Go(func() {
			for id := range work {
				fn(id)
			}
		})
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
}

// checkAcknowledged checks that every acknowledged filing survived as the
// case the client was given.
func checkAcknowledged(t *testing.T, attempts []attempt, byKey map[string]caseView) {
	for _, a := range attempts {
		if !a.acked() {
			continue
		}
		v, ok := byKey[a.key]
		if !ok {
			t.Errorf("acknowledged filing %s (case %s, id %d) lost in the kill", a.key, a.number, a.id)
		} else if v.ID != a.id || v.Number != a.number {
			t.Errorf("acknowledged filing %s was case %s (id %d), is now %s (id %d)", a.key, a.number, a.id, v.Number, v.ID)
		}
	}
}

func logFound(t *testing.T, attempts []attempt, byKey map[string]caseView) {
	var acked, unacked int
	for _, a := range attempts {
		if _, ok := byKey[a.key]; ok && a.acked() {
			acked++
		} else if ok {
			unacked++
		}
	}
	t.Logf("after the restart: %d cases, %d of them acknowledged, %d filed but never acknowledged", len(byKey), acked, unacked)
}

// retryUnacknowledged repeats every unanswered filing with its key. A key
// already in the database must answer 200 with that case; any other 201.
func (c *filingClient) retryUnacknowledged(t *testing.T, attempts []attempt, byKey map[string]caseView) (created, repeated int) {
	t.Helper()
	for _, a := range attempts {
		if a.acked() {
			continue
		}
		r := c.file(a.key)
		prev, filed := byKey[a.key]
		switch {
		case !r.acked():
			t.Errorf("retry of %s: %s", a.key, r.err)
		case filed && (r.status != http.StatusOK || r.id != prev.ID):
			t.Errorf("retry of %s, filed before as %s: %d with case %s", a.key, prev.Number, r.status, r.number)
		case !filed && r.status != http.StatusCreated:
			t.Errorf("retry of %s, never filed: %d with case %s", a.key, r.status, r.number)
		case filed:
			repeated++
		default:
			created++
		}
	}
	return created, repeated
}

// checkExactlyOnce checks that every key ended up as exactly one case
// (checkCases has already reported a key filed twice) and no case has a
// key nobody sent.
func checkExactlyOnce(t *testing.T, attempts []attempt, byKey map[string]caseView) {
	keys := map[string]bool{}
	for _, a := range attempts {
		keys[a.key] = true
		if _, ok := byKey[a.key]; !ok {
			t.Errorf("key %s has no case after its retry", a.key)
		}
	}
	if len(byKey) != len(keys) {
		t.Errorf("after the retries the applicant has %d new cases for %d distinct keys", len(byKey), len(keys))
	}
}
