package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// CaseLoad drives the case workflow over the JSON API: applicants submit
// applications with one small material each (in one multipart request),
// then clerks, approvers and department heads move them through the steps.
type CaseLoad struct {
	BaseURL     string
	ItemVersion int64
	Password    string
	Applicant   string   // account that files
	Steps       []string // accounts that act, in order: a clerk accepts, then each step's approver passes
	Concurrency int
	Duration    time.Duration
	Meter       *Meter // nil: the cost per operation is not measured
}

// CaseReport is what a run measured.
type CaseReport struct {
	Submissions    int
	SubmitErrors   int
	SubmitRate     float64
	SubmitP50      time.Duration
	SubmitP99      time.Duration
	Transitions    int
	TransitionErrs int
	TransitionRate float64
	TransitionP99  time.Duration
	FirstErr       string
	Cases          []Filed // the cases submitted, as filed
	Cost           Cost    // of a submission or a transition, when measured
}

// Filed is a case as its filing answered: the version its first step
// names, so that a step repeated by mistake is refused.
type Filed struct {
	ID      int64
	Version int
}

// session is a logged-in API client.
type session struct {
	base string
	http *http.Client
	csrf string
}

func login(base, user, password string, conns int) (*session, error) {
	jar, _ := cookiejar.New(nil)
	s := &session{base: base, http: &http.Client{Jar: jar, Timeout: 60 * time.Second, Transport: &http.Transport{
		MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}}}
	body, _ := json.Marshal(map[string]string{"username": user, "password": password})
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/session", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	if err := s.send(req, http.StatusCreated, &me); err != nil {
		return nil, fmt.Errorf("login %s: %w", user, err)
	}
	s.csrf = me.CSRF
	return s, nil
}

func (s *session) send(req *http.Request, want int, out any) error {
	if s.csrf != "" {
		req.Header.Set("X-CSRF-Token", s.csrf)
	}
	res, err := s.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: %d %s", req.Method, req.URL.Path, res.StatusCode, truncate(b))
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

func truncate(b []byte) string {
	if len(b) > 300 {
		b = b[:300]
	}
	return string(b)
}

// filed is the part of a case answer the load keeps.
type filed struct {
	ID        int64  `json:"id"`
	Version   int    `json:"version"`
	Number    string `json:"number"`
	QueryCode string `json:"query_code"` // only in the answer to filing
}

// uploads lists the materials an item wants uploaded.
func (s *session) uploads(itemVersion int64) ([]string, error) {
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/procedures/%d", s.base, itemVersion), nil)
	var p struct {
		Materials []struct {
			Code     string `json:"code"`
			Kind     string `json:"kind"`
			Required bool   `json:"required"`
		} `json:"materials"`
	}
	if err := s.send(req, http.StatusOK, &p); err != nil {
		return nil, err
	}
	var codes []string
	for _, m := range p.Materials {
		if m.Required && m.Kind == "upload" {
			codes = append(codes, m.Code)
		}
	}
	return codes, nil
}

// submit files one application with a small PDF per required material,
// unique per call so that storage cannot deduplicate it.
func (s *session) submit(itemVersion int64, materials []string, key string) (filed, error) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	caseJSON, _ := json.Marshal(map[string]any{"item_version_id": itemVersion, "form": map[string]string{"summary": "压力测试 " + key}})
	w.WriteField("case", string(caseJSON))
	for _, code := range materials {
		part, _ := w.CreateFormFile("material."+code, code+".pdf")
		fmt.Fprintf(part, "%%PDF-1.4\n%% %s %s\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n", key, code)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, s.base+"/api/v1/cases", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Idempotency-Key", key)
	var f filed
	return f, s.send(req, http.StatusCreated, &f)
}

func (s *session) act(id int64, kind string, version int) (filed, error) {
	// A step's decision carries the approver's 审查意见.
	body, _ := json.Marshal(map[string]any{"kind": kind, "branch": 0, "version": version, "reason": "符合法定条件"})
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/cases/%d/actions", s.base, id), bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	var f filed
	return f, s.send(req, http.StatusOK, &f)
}

// RunSubmissions files applications for the duration.
func (l CaseLoad) RunSubmissions(ctx context.Context) (CaseReport, error) {
	s, err := login(l.BaseURL, l.Applicant, l.Password, l.Concurrency)
	if err != nil {
		return CaseReport{}, err
	}
	materials, err := s.uploads(l.ItemVersion)
	if err != nil {
		return CaseReport{}, err
	}
	var mu sync.Mutex
	var rep CaseReport
	var lat []time.Duration
	var seq atomic.Int64
	run := fmt.Sprintf("%x", time.Now().UnixNano())
	before, err := l.sample(ctx)
	if err != nil {
		return rep, err
	}
	start := time.Now()
	l.parallel(ctx, func(ctx context.Context) {
		t0 := time.Now()
		f, err := s.submit(l.ItemVersion, materials, fmt.Sprintf("%s-%d", run, seq.Add(1)))
		d := time.Since(t0)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			rep.SubmitErrors++
			if rep.FirstErr == "" {
				rep.FirstErr = err.Error()
			}
			return
		}
		rep.Cases, lat = append(rep.Cases, Filed{ID: f.ID, Version: f.Version}), append(lat, d)
	})
	rep.Submissions = len(rep.Cases)
	rep.SubmitRate = float64(rep.Submissions) / time.Since(start).Seconds()
	rep.SubmitP50, rep.SubmitP99 = percentile(lat, 0.5), percentile(lat, 0.99)
	rep.Cost, err = l.costSince(ctx, before, rep.Submissions)
	return rep, err
}

// sample reads the meter, if any.
func (l CaseLoad) sample(ctx context.Context) (Sample, error) {
	if l.Meter == nil {
		return Sample{}, nil
	}
	l.Meter.Settle()
	return l.Meter.Take(ctx)
}

// costSince is the cost of each of ops operations since before.
func (l CaseLoad) costSince(ctx context.Context, before Sample, ops int) (Cost, error) {
	if l.Meter == nil {
		return Cost{}, nil
	}
	after, err := l.sample(ctx)
	if err != nil {
		return Cost{}, err
	}
	return l.Meter.CostOf(before, after, ops), nil
}

// parallel runs fn from Concurrency goroutines until the duration ends.
func (l CaseLoad) parallel(ctx context.Context, fn func(context.Context)) {
	ctx, cancel := context.WithTimeout(ctx, l.Duration)
	defer cancel()
	var wg sync.WaitGroup
	for i := 0; i < l.Concurrency; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				fn(ctx)
			}
		}()
	}
	wg.Wait()
}

func percentile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[min(len(d)-1, int(p*float64(len(d))))]
}

// RunTransitions moves the given cases through the steps (accept, then each
// step's pass) until they are done or the duration ends, and counts every
// state transition.
func (l CaseLoad) RunTransitions(ctx context.Context, filed []Filed) (CaseReport, error) {
	actors := make([]*session, len(l.Steps))
	for i, u := range l.Steps {
		var err error
		if actors[i], err = login(l.BaseURL, u, l.Password, l.Concurrency); err != nil {
			return CaseReport{}, err
		}
	}
	work := make(chan Filed, len(filed))
	for _, f := range filed {
		work <- f
	}
	close(work)
	var mu sync.Mutex
	var rep CaseReport
	var lat []time.Duration
	before, err := l.sample(ctx)
	if err != nil {
		return rep, err
	}
	start := time.Now()
	l.parallel(ctx, func(ctx context.Context) {
		c, ok := <-work
		if !ok {
			<-ctx.Done()
			return
		}
		l.advance(ctx, actors, c, func(d time.Duration, err error) {
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				rep.TransitionErrs++
				if rep.FirstErr == "" {
					rep.FirstErr = err.Error()
				}
				return
			}
			rep.Transitions++
			lat = append(lat, d)
		})
	})
	rep.TransitionRate = float64(rep.Transitions) / time.Since(start).Seconds()
	rep.TransitionP99 = percentile(lat, 0.99)
	rep.Cost, err = l.costSince(ctx, before, rep.Transitions)
	return rep, err
}

// advance takes one case through every step.
func (l CaseLoad) advance(ctx context.Context, actors []*session, c Filed, done func(time.Duration, error)) {
	version := c.Version
	for i, a := range actors {
		if ctx.Err() != nil {
			return
		}
		kind := "pass"
		if i == 0 {
			kind = "accept"
		}
		t0 := time.Now()
		f, err := a.act(c.ID, kind, version)
		done(time.Since(t0), err)
		if err != nil {
			return
		}
		version = f.Version
	}
}
