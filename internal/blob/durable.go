package blob

import "sync"

// flusher makes writes durable in groups: each caller waits for one sync of
// the whole filesystem that started after it asked, so concurrent uploads
// share one sync instead of paying two or more fsyncs each. It is used where
// the platform offers syncfs on a local filesystem (see openFlusher);
// elsewhere Put syncs each file and directory itself.
//
// One goroutine runs the syncs back to back for as long as anyone waits,
// and ends when no one does; the next sync therefore starts as soon as the
// previous one returns, not when a woken waiter is next scheduled.
type flusher struct {
	syncAll func() error

	mu      sync.Mutex
	started uint64        // syncs begun
	next    chan struct{} // closed when the next sync to begin has finished; nil: nobody waits
	running bool          // the sync goroutine is alive
	failGen uint64        // the latest sync that failed (0: none)
	failErr error         // its error
}

func newFlusher(syncAll func() error) *flusher {
	return &flusher{syncAll: syncAll}
}

// flush returns once a sync that began after the call has finished. A
// failure of any sync from the caller's on is the caller's failure: syncfs
// reports a write-back error only once, so a later sync's success does not
// mean the caller's data reached the disk.
func (f *flusher) flush() error {
	f.mu.Lock()
	target := f.started + 1
	if f.next == nil {
		f.next = make(chan struct{})
	}
	wait := f.next
	if !f.running {
		f.running = true
		go f.run()
	}
	f.mu.Unlock()
	<-wait
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failGen >= target {
		return f.failErr
	}
	return nil
}

// run syncs while callers wait, each sync covering everyone who asked
// before it began.
func (f *flusher) run() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for f.next != nil {
		done := f.next
		f.next = nil
		f.started++
		gen := f.started
		f.mu.Unlock()
		err := f.syncAll()
		f.mu.Lock()
		if err != nil {
			f.failGen, f.failErr = gen, err
		}
		close(done)
	}
	f.running = false
}
