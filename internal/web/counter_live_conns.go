package web

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"

	"openhall/internal/apperr"
)

// liveConns are the open channels of the counter tablets. The HTTP server
// does not wait for connections handed over to them, so CloseLive closes
// them when the server shuts down: an idle channel at once, one whose
// rating is being stored once its answer is written, so that no rating is
// stored without the tablet being told.
type liveConns struct {
	mu      sync.Mutex
	conns   map[*websocket.Conn]*liveState
	tablets map[string]int // channels open per tablet (by its token)
	closed  bool
	serving sync.WaitGroup // the channels' handlers
}

// maxLivePerTablet bounds the channels one tablet keeps open: one, and a
// few more while its page reloads or its network flaps. Each costs some
// 30 KB, so an unbounded number would let whoever holds a tablet's cookie
// exhaust the server's memory.
const maxLivePerTablet = 4

var errTooManyLive = apperr.New(apperr.TooMany, "本评价器已打开的实时通道过多，请关闭多余的评价器页面；评价仍可照常提交")

// reserve counts a channel about to open for a tablet, refusing one over
// maxLivePerTablet; release gives it back once the channel is done.
func (l *liveConns) reserve(tablet string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tablets[tablet] >= maxLivePerTablet {
		return errTooManyLive
	}
	if l.tablets == nil {
		l.tablets = map[string]int{}
	}
	l.tablets[tablet]++
	return nil
}

func (l *liveConns) release(tablet string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.tablets[tablet]--; l.tablets[tablet] <= 0 {
		delete(l.tablets, tablet)
	}
}

// liveState is what CloseLive needs to know of a channel.
type liveState struct {
	busy bool     // a message is being answered
	raw  net.Conn // its connection, closed outright when the deadline comes
}

// acceptLive accepts a channel and returns it with its connection: a
// channel's Close waits for the other end to answer (up to 5 s), and
// only closing the connection under it cuts that short.
func acceptLive(w http.ResponseWriter, r *http.Request) (*websocket.Conn, net.Conn, error) {
	h := &hijackRecorder{ResponseWriter: w}
	conn, err := websocket.Accept(h, r, nil)
	return conn, h.conn, err
}

// hijackRecorder keeps the connection the channel takes over.
type hijackRecorder struct {
	http.ResponseWriter
	conn net.Conn
}

func (h *hijackRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(h.ResponseWriter).Hijack()
	h.conn = c
	return c, rw, err
}

// serve answers the messages of one channel until it closes, checking
// every liveCheck that the tablet still runs (ended) and every livePing
// that the other end answers.
func (l *liveConns) serve(ctx context.Context, conn *websocket.Conn, raw net.Conn, answer func(context.Context, []byte) liveReply, ended func(context.Context) *liveReply) {
	defer conn.CloseNow()
	if !l.add(conn, raw) {
		conn.Close(websocket.StatusGoingAway, "server shutting down")
		return
	}
	defer l.remove(conn)
	conn.SetReadLimit(liveLimit)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go watchLive(ctx, conn, ended)
	// The channel's reads and writes are not bound to ctx, which would cost
	// each a timer: the channel ends when the tablet closes it, when
	// watchLive or CloseLive does, or when the connection breaks.
	for {
		_, data, err := conn.Read(context.Background())
		if err != nil {
			return
		}
		l.begin(conn)
		reply := answer(ctx, data)
		err = writeLive(context.Background(), conn, reply)
		switch last := l.end(conn); {
		case err != nil:
			return
		case last:
			conn.Close(websocket.StatusGoingAway, "server shutting down")
			return
		case reply.Ended:
			conn.Close(websocket.StatusNormalClosure, "")
			return
		}
	}
}

func writeLive(ctx context.Context, conn *websocket.Conn, reply liveReply) error {
	b, err := json.Marshal(reply)
	if err != nil {
		return err
	}
	return conn.Write(ctx, websocket.MessageText, b)
}

// watchLive tells an idle tablet that it was stopped, and closes a
// channel whose other end no longer answers.
func watchLive(ctx context.Context, conn *websocket.Conn, ended func(context.Context) *liveReply) {
	t := time.NewTicker(liveCheck)
	defer t.Stop()
	lastPing := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if reply := ended(ctx); reply != nil {
			writeLive(ctx, conn, *reply)
			conn.Close(websocket.StatusNormalClosure, "")
			return
		}
		if time.Since(lastPing) < livePing {
			continue
		}
		lastPing = time.Now()
		pctx, cancel := context.WithTimeout(ctx, livePing/2)
		err := conn.Ping(pctx)
		cancel()
		if err != nil {
			conn.CloseNow()
			return
		}
	}
}

func (l *liveConns) add(c *websocket.Conn, raw net.Conn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return false
	}
	if l.conns == nil {
		l.conns = map[*websocket.Conn]*liveState{}
	}
	l.conns[c] = &liveState{raw: raw}
	l.serving.Add(1)
	return true
}

func (l *liveConns) remove(c *websocket.Conn) {
	l.mu.Lock()
	delete(l.conns, c)
	l.mu.Unlock()
	l.serving.Done()
}

// begin marks a channel busy with a message. A message read as the
// server starts shutting down is still answered, unless CloseLive found
// its channel idle a moment before and closed it: the answer then fails,
// and the tablet sends the rating again under its key.
func (l *liveConns) begin(c *websocket.Conn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if st := l.conns[c]; st != nil {
		st.busy = true
	}
}

// end marks a channel idle again and reports whether the server is
// shutting down, so the channel is to be closed now that it answered.
func (l *liveConns) end(c *websocket.Conn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if st := l.conns[c]; st != nil {
		st.busy = false
	}
	return l.closed
}

// CloseLive closes the tablets' live channels, telling them the server is
// going away: the idle ones at once, the others once they have answered
// the rating they are storing. It waits for their handlers until ctx ends,
// then closes what is left without a word. The tablets reconnect, to this
// node once it is back or to another behind the same address, and send
// again a rating still waiting for its answer. A shutting-down server
// calls it as it stops taking requests.
func (s *Server) CloseLive(ctx context.Context) { s.live.closeAll(ctx) }

func (l *liveConns) closeAll(ctx context.Context) {
	l.mu.Lock()
	l.closed = true
	for c, st := range l.conns {
		if !st.busy {
			go c.Close(websocket.StatusGoingAway, "server shutting down")
		}
	}
	l.mu.Unlock()
	done := make(chan struct{})
	go func() { l.serving.Wait(); close(done) }()
	select {
	case <-done:
		return
	case <-ctx.Done():
	}
	l.mu.Lock()
	for _, st := range l.conns {
		st.raw.Close()
	}
	l.mu.Unlock()
	<-done
}
