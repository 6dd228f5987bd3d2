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

	"openhall/internal/app"
	"openhall/internal/demo"
	"openhall/internal/identity"
	"openhall/internal/loadgen"
	"openhall/internal/org"
)

// liveTablets are tablets rating over their live channels (GET
// /counter/live), each its own window's tablet with one channel, as the tablet page does with its
// script: each sends a rating and waits for the answer that it is stored.
type liveTablets struct {
	base   string
	tokens []string
	conns  []*websocket.Conn // open during a measurement
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

// openLiveTablets starts n tablets, one per window (startTablets).
func openLiveTablets(ctx context.Context, a *app.App, base string, n int, levels []string) (*liveTablets, error) {
	tokens, err := startTablets(ctx, a, n)
	if err != nil {
		return nil, err
	}
	return &liveTablets{base: base, tokens: tokens, keys: newKeySource(), levels: levels}, nil
}

// open opens each tablet's channel from the site's own page (its Origin),
// as the tablet page does. Channels are opened for each measurement and
// closed after it: between measurements nobody reads them, and the server
// closes a channel whose other end does not answer its pings.
func (lt *liveTablets) open(ctx context.Context) error {
	for _, tok := range lt.tokens {
		h := http.Header{"Cookie": {"oh_counter=" + tok}, "Origin": {lt.base}}
		c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(lt.base, "http")+"/counter/live", &websocket.DialOptions{HTTPHeader: h})
		if err != nil {
			lt.close()
			return fmt.Errorf("评价器实时通道：%w", err)
		}
		lt.conns = append(lt.conns, c)
	}
	return nil
}

// startTablets starts n tablets for the demo's clerk at n windows of A01's
// centre (L001, L002 …, added at the first run and reused by later runs on
// the same database), the clerk seated at each, as a hall's clerks each
// start their own window's tablet. A01's own tablet is the form's load.
func startTablets(ctx context.Context, a *app.App, n int) ([]string, error) {
	_, clerk, err := a.Services.Identity.Login(ctx, identity.LoginInput{Username: "clerk", Password: demo.Password, Address: "127.0.0.1"})
	if err != nil {
		return nil, err
	}
	ids, err := loadWindows(ctx, a, clerk.UserID, n)
	if err != nil {
		return nil, err
	}
	tokens := make([]string, len(ids))
	for i, id := range ids {
		if tokens[i], _, err = a.Services.Ratings.StartCounter(ctx, clerk, id); err != nil {
			return nil, err
		}
	}
	return tokens, nil
}

// loadWindows returns n load windows of A01's centre with the clerk
// seated, adding those missing.
func loadWindows(ctx context.Context, a *app.App, clerkID int64, n int) ([]int64, error) {
	ws, err := a.Services.Org.Windows(ctx, org.WindowFilter{})
	if err != nil {
		return nil, err
	}
	byNumber := map[string]*org.Window{}
	for _, w := range ws {
		byNumber[w.Number] = w
	}
	a01 := byNumber["A01"]
	if a01 == nil {
		return nil, fmt.Errorf("演示数据中没有窗口 A01")
	}
	var ids []int64
	var admin *identity.Actor
	for i := 1; i <= n; i++ {
		number := fmt.Sprintf("L%03d", i)
		if w := byNumber[number]; w != nil {
			ids = append(ids, w.ID)
			continue
		}
		if admin == nil {
			if _, admin, err = a.Services.Identity.Login(ctx, identity.LoginInput{Username: "admin", Password: demo.Password, Address: "127.0.0.1"}); err != nil {
				return nil, err
			}
		}
		w, err := a.Services.Org.SaveWindow(ctx, admin, 0, org.WindowInput{CentreID: a01.CentreID, Number: number, Name: "评价器负载测试窗口",
			Kind: a01.Kind, DepartmentIDs: a01.DepartmentIDs, StaffIDs: []int64{clerkID}})
		if err != nil {
			return nil, fmt.Errorf("添加负载测试窗口 %s：%w", number, err)
		}
		ids = append(ids, w.ID)
	}
	return ids, nil
}

func (lt *liveTablets) close() {
	for _, c := range lt.conns {
		c.Close(websocket.StatusNormalClosure, "")
	}
	lt.conns = nil
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
	if err := lt.open(ctx); err != nil {
		return loadgen.Result{Errors: 1, FirstErr: err}
	}
	defer lt.close()
	o.Concurrency = len(lt.conns)
	return loadgen.RunSteps(ctx, lt.step, o)
}
