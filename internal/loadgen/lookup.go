package loadgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
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
	f, err := s.submit(itemVersion, materials, fmt.Sprintf("lookup-template-%d", rand.Int64()))
	if err != nil {
		return Accepted{}, err
	}
	if f.Number == "" || f.QueryCode == "" {
		return Accepted{}, fmt.Errorf("filing answered without a number or 查询密码")
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
