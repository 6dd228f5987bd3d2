package loadgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
)

// Lookup returns a Request for the public progress query (办件进度查询):
// each request asks for a case number drawn uniformly from numbers, with
// code. The bodies are encoded beforehand, so that the load generator's
// own work stays small next to the server's.
func Lookup(base, code string, numbers []string) (Request, error) {
	url := base + "/api/v1/progress"
	bodies := make([][]byte, len(numbers))
	for i, n := range numbers {
		b, err := json.Marshal(map[string]string{"number": n, "code": code})
		if err != nil {
			return nil, err
		}
		bodies[i] = b
	}
	return func(int, int) (*http.Request, error) {
		req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(bodies[rand.IntN(len(bodies))]))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		return req, nil
	}, nil
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
