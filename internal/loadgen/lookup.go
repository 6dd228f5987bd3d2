package loadgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
)

// Lookup returns a Request for the public progress query (办件进度查询):
// each request asks for the case number that number returns, with code.
func Lookup(base, code string, number func() string) Request {
	url := base + "/api/v1/progress"
	return func(int, int) (*http.Request, error) {
		body, err := json.Marshal(map[string]string{"number": number(), "code": code})
		if err != nil {
			return nil, err
		}
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		return req, nil
	}
}

// Uniform returns a generator of numbers drawn uniformly from list.
func Uniform(list []string) func() string {
	return func() string { return list[rand.IntN(len(list))] }
}

// Accepted is a case filed and accepted over the API.
type Accepted struct {
	ID     int64
	Number string
	Code   string // 查询密码
}

// FileAccepted files one application of the item as applicant (with a
// small PDF per required material) and has clerk accept it.
func FileAccepted(base string, itemVersion int64, password, applicant, clerk string) (Accepted, error) {
	s, err := login(base, applicant, password, 1)
	if err != nil {
		return Accepted{}, err
	}
	materials, err := s.uploads(itemVersion)
	if err != nil {
		return Accepted{}, err
	}
	f, err := s.submitCoded(itemVersion, materials, fmt.Sprintf("lookup-template-%d", rand.Int64()))
	if err != nil {
		return Accepted{}, err
	}
	c, err := login(base, clerk, password, 1)
	if err != nil {
		return Accepted{}, err
	}
	if _, err := c.act(f.ID, "accept", f.Version); err != nil {
		return Accepted{}, err
	}
	return Accepted{ID: f.ID, Number: f.Number, Code: f.QueryCode}, nil
}

// coded is the answer to filing with the number and the 查询密码.
type coded struct {
	ID        int64  `json:"id"`
	Version   int    `json:"version"`
	Number    string `json:"number"`
	QueryCode string `json:"query_code"`
}

// submitCoded files one application like submit and keeps the number and
// the 查询密码 of the answer.
func (s *session) submitCoded(itemVersion int64, materials []string, key string) (coded, error) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	caseJSON, _ := json.Marshal(map[string]any{"item_version_id": itemVersion, "form": map[string]string{"summary": "进度查询测试 " + key}})
	w.WriteField("case", string(caseJSON))
	for _, code := range materials {
		part, _ := w.CreateFormFile("material."+code, code+".pdf")
		fmt.Fprintf(part, "%%PDF-1.4\n%% %s %s\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%%%EOF\n", key, code)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, s.base+"/api/v1/cases", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Idempotency-Key", key)
	var c coded
	if err := s.send(req, http.StatusCreated, &c); err != nil {
		return coded{}, err
	}
	if c.Number == "" || c.QueryCode == "" {
		return coded{}, fmt.Errorf("filing answered without a number or 查询密码")
	}
	return c, nil
}
