package blob

import "sync"

// flusher makes writes durable in groups: each caller waits for one sync of
// the whole filesystem that started after it asked, so concurrent uploads
// share one sync instead of paying two or more fsyncs each. It is used where
// the platform offers syncfs on a local filesystem (see openFlusher);
// elsewhere Put syncs each file and directory itself.
type flusher struct {
	syncAll func() error

	mu      sync.Mutex
	cond    *sync.Cond
	started uint64 // syncs begun
	done    uint64 // syncs finished
	running bool
	failGen uint64 // the latest sync that failed (0: none)
	failErr error  // its error
}

func newFlusher(syncAll func() error) *flusher {
	f := &flusher{syncAll: syncAll}
	f.cond = sync.NewCond(&f.mu)
	return f
}

// flush returns once a sync that began after the call has finished. The
// first waiter to find no sync running runs it for everyone waiting. A
// failure of any sync from the caller's on is the caller's failure: syncfs
// reports a write-back error only once, so a later sync's success does not
// mean the caller's data reached the disk.
func (f *flusher) flush() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	target := f.started + 1
	for f.done < target {
		if f.running {
			f.cond.Wait()
			continue
		}
		f.running = true
		f.started++
		f.mu.Unlock()
		err := f.syncAll()
		f.mu.Lock()
		f.running, f.done = false, f.started
		if err != nil {
			f.failGen, f.failErr = f.done, err
		}
		f.cond.Broadcast()
	}
	if f.failGen >= target {
		return f.failErr
	}
	return nil
}
