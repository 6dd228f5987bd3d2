package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/coder/websocket"

	"openhall/internal/loadgen"
)

// liveTablets are tablets rating over their live channels (GET
// /counter/live), one channel each, as the tablet page does with its
// script: each sends a rating and waits for the answer that it is stored.
type liveTablets struct {
	conns  []*websocket.Conn
	keys   *keySource
	levels []string // the levels rated in turn, as the form's load rates them
}

// keySource draws the keys of the load's tablet ratings: a random part for
// the run, so that keys never repeat across runs on one database, and a
// sequence, so that every rating sent is a new one.
type keySource struct {
	run string
	seq atomic.Uint64
}

func newKeySource() *keySource {
	b := make([]byte, 4)
	rand.Read(b)
	return &keySource{run: hex.EncodeToString(b)}
}

func (k *keySource) next() string { return fmt.Sprintf("%s%024x", k.run, k.seq.Add(1)) }

// openLiveTablets opens n channels with the tablet's cookies, from the
// site's own page (its Origin).
func openLiveTablets(ctx context.Context, base, cookie string, n int, levels []string) (*liveTablets, error) {
	lt := &liveTablets{keys: newKeySource(), levels: levels}
	h := http.Header{"Cookie": {cookie}, "Origin": {base}}
	for range n {
		c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/counter/live", &websocket.DialOptions{HTTPHeader: h})
		if err != nil {
			lt.Close()
			return nil, fmt.Errorf("评价器实时通道：%w", err)
		}
		lt.conns = append(lt.conns, c)
	}
	return lt, nil
}

func (lt *liveTablets) Close() {
	for _, c := range lt.conns {
		c.Close(websocket.StatusNormalClosure, "")
	}
}

// step sends worker w's n-th rating and waits for its answer. The
// channel's operations are not bound to the run's end (ctx), which would
// close the channel mid-message; a step still running then is not counted.
func (lt *liveTablets) step(_ context.Context, w, n int) error {
	c := lt.conns[w]
	msg := `{"key":"` + lt.keys.next() + `","level":` + lt.levels[(w+n)%len(lt.levels)] + `}`
	if err := c.Write(context.Background(), websocket.MessageText, []byte(msg)); err != nil {
		return err
	}
	_, data, err := c.Read(context.Background())
	if err != nil {
		return err
	}
	var reply struct {
		OK      bool   `json:"ok"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(data, &reply); err != nil {
		return err
	}
	if !reply.OK {
		return fmt.Errorf("评价未保存：%s", reply.Message)
	}
	return nil
}

// runLive measures the live tablets as loadgen.Run measures requests.
func (lt *liveTablets) runLive(ctx context.Context, o loadgen.Options) loadgen.Result {
	o.Concurrency = len(lt.conns)
	return loadgen.RunSteps(ctx, lt.step, o)
}
