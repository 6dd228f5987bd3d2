package search

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"openhall/internal/calendar"
)

// Entry is an item as stored: display and filter fields, and its
// normalised text, one line each for title, number and summary, then the
// body (and attachments).
type Entry struct {
	Key      int64 // sort key, unique: newest first is Key descending
	Kind     string
	Ref      int64
	Scope    int64
	Category string
	Topic    string
	Validity string
	Year     int
	Date     calendar.Date
	Title    string
	Number   string
	URL      string
	Text     string // normalised fields, see above
}

// Change is one entry of the change log: the item of kind and ref was put
// or removed.
type Change struct {
	Seq  int64
	Kind string
	Ref  int64
}

// Store keeps the entries and their change log in the shared database.
// Methods join the transaction in ctx; both backends answer alike.
type Store interface {
	// PutSearchEntry replaces the entry with e's kind and ref and logs it.
	PutSearchEntry(ctx context.Context, e *Entry) error
	// DeleteSearchEntry removes an entry (if any) and logs it.
	DeleteSearchEntry(ctx context.Context, kind string, ref int64) error
	// LoadSearchEntries returns up to limit entries with keys above after,
	// ascending, with their whole text.
	LoadSearchEntries(ctx context.Context, after int64, limit int) ([]*Entry, error)
	// FindSearchEntry returns the entry of a kind and ref: NotFound.
	FindSearchEntry(ctx context.Context, kind string, ref int64) (*Entry, error)
	// SearchChanges lists the log's changes with seq above after, ascending.
	SearchChanges(ctx context.Context, after int64, limit int) ([]Change, error)
	// SearchLogHead is the highest seq logged, 0 for none.
	SearchLogHead(ctx context.Context) (int64, error)
}

// Engine is the Searcher: entries in the store, answered from an in-memory
// index that follows the store's change log.
type Engine struct {
	store Store

	mu       sync.RWMutex
	ix       *memIndex
	applied  int64          // every change up to here is in ix
	seen     map[int64]bool // changes above applied−lookback already in ix
	lastPoll time.Time

	loadMu  sync.Mutex
	written atomic.Int64 // unix nanos of this process's last write
}

// lookback is how far back the change log is re-read at each poll: on
// PostgreSQL a transaction may commit after one that logged a later seq.
const lookback = 1000

// pollEvery is how stale the index may be for changes made by other
// processes; this process's own writes are looked for at every search for
// a while after they are made.
const (
	pollEvery  = 250 * time.Millisecond
	ownWriteIn = 5 * time.Second
)

// NewEngine returns an Engine; its index is built on first use.
func NewEngine(s Store) *Engine { return &Engine{store: s} }

// Index stores or replaces d.
func (e *Engine) Index(ctx context.Context, d Doc) error {
	en, err := entryOf(d)
	if err != nil {
		return err
	}
	e.written.Store(time.Now().UnixNano())
	return e.store.PutSearchEntry(ctx, en)
}

// Remove drops an item; removing one that is not indexed is not an error.
func (e *Engine) Remove(ctx context.Context, kind string, ref int64) error {
	e.written.Store(time.Now().UnixNano())
	return e.store.DeleteSearchEntry(ctx, kind, ref)
}

// SortKey orders items newest first when descending: the date in the high
// bits, then the kind and the ref, so that keys are unique.
func SortKey(kind string, ref int64, d calendar.Date) (int64, error) {
	code, ok := kindCodes[kind]
	if !ok || ref <= 0 || ref >= 1<<28 {
		return 0, fmt.Errorf("%w %q (ref %d)", ErrUnknownKind, kind, ref)
	}
	days := int64(d.Sub(calendar.NewDate(1970, 1, 1)))
	return days<<32 | code<<28 | ref, nil
}

func entryOf(d Doc) (*Entry, error) {
	key, err := SortKey(d.Kind, d.Ref, d.Date)
	if err != nil {
		return nil, err
	}
	line := func(s string) string { return strings.ReplaceAll(Normalize(s), "\n", " ") }
	body := Normalize(strings.Join([]string{d.Body, d.Extra}, "\n"))
	text := line(d.Title) + "\n" + line(d.Number) + "\n" + line(d.Summary) + "\n" + body
	return &Entry{Key: key, Kind: d.Kind, Ref: d.Ref, Scope: d.Scope, Category: d.Category, Topic: d.Topic,
		Validity: d.Validity, Year: d.Date.Year(), Date: d.Date, Title: d.Title, Number: d.Number, URL: d.URL, Text: text}, nil
}

// Ready builds the index if it is not built yet; searches do it on first
// use, a server may call it at start.
func (e *Engine) Ready(ctx context.Context) error { return e.fresh(ctx) }

// fresh makes the index current: built once, then following the log.
func (e *Engine) fresh(ctx context.Context) error {
	e.mu.RLock()
	built, due := e.ix != nil, time.Since(e.lastPoll) > pollEvery || time.Now().UnixNano()-e.written.Load() < int64(ownWriteIn)
	e.mu.RUnlock()
	if built && !due {
		return nil
	}
	e.loadMu.Lock()
	defer e.loadMu.Unlock()
	if e.ix == nil {
		return e.load(ctx)
	}
	return e.poll(ctx)
}

// loadBatch is how many entries one read of the initial build takes.
const loadBatch = 2000

// buildGCPercent is the garbage collector's target (GOGC) while the index
// is built.
const buildGCPercent = 25

// buildGC serialises index builds in a process: the garbage collector's
// target they lower is process-wide.
var buildGC sync.Mutex

func (e *Engine) load(ctx context.Context) error {
	head, err := e.store.SearchLogHead(ctx)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	recent, err := e.store.SearchChanges(ctx, head-lookback, lookback)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	ix := newMemIndex()
	done := ix.bulk()
	// Collect more often while building, so that the garbage each batch
	// leaves (its rows' grams) does not double the process's peak size.
	// The target is the process's: builds take turns, so each restores
	// what it found.
	buildGC.Lock()
	defer buildGC.Unlock()
	defer debug.SetGCPercent(debug.SetGCPercent(buildGCPercent))
	for after := int64(-1 << 62); ; {
		batch, err := e.store.LoadSearchEntries(ctx, after, loadBatch)
		if err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		addAll(ix, batch)
		if len(batch) < loadBatch {
			break
		}
		after = batch[len(batch)-1].Key
	}
	done()
	// The build leaves as much garbage as it keeps (each batch's rows and
	// grams); hand it back to the system now rather than over minutes.
	debug.FreeOSMemory()
	seen := map[int64]bool{}
	for _, c := range recent {
		seen[c.Seq] = true
	}
	e.mu.Lock()
	e.ix, e.applied, e.seen, e.lastPoll = ix, head, seen, time.Now()
	e.mu.Unlock()
	return nil
}

// addAll tokenizes a batch on every CPU and adds it in order.
func addAll(ix *memIndex, batch []*Entry) {
	grams := make([]entryGrams, len(batch))
	var wg sync.WaitGroup
	workers := 2
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var tk tokenizer
			for i := w; i < len(batch); i += workers {
				grams[i] = tk.gramsOf(batch[i].Text, batch[i].Validity)
			}
		}()
	}
	wg.Wait()
	for i, en := range batch {
		ix.add(en, grams[i])
	}
}

// poll applies the changes logged since the last poll.
func (e *Engine) poll(ctx context.Context) error {
	changes, err := e.store.SearchChanges(ctx, e.applied-lookback, 1<<20)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	todo := map[kindRef]bool{}
	for _, c := range changes {
		if !e.seen[c.Seq] {
			todo[kindRef{c.Kind, c.Ref}] = true
		}
	}
	updates, err := e.fetch(ctx, todo)
	if err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for k, en := range updates {
		if en == nil {
			e.ix.remove(k.kind, k.ref)
		} else {
			var tk tokenizer
			e.ix.add(en, tk.gramsOf(en.Text, en.Validity))
		}
	}
	for _, c := range changes {
		e.seen[c.Seq] = true
		e.applied = max(e.applied, c.Seq)
	}
	for s := range e.seen {
		if s <= e.applied-lookback {
			delete(e.seen, s)
		}
	}
	e.lastPoll = time.Now()
	return nil
}

// fetch reads the current entries of changed items; nil for removed ones.
func (e *Engine) fetch(ctx context.Context, todo map[kindRef]bool) (map[kindRef]*Entry, error) {
	out := make(map[kindRef]*Entry, len(todo))
	for k := range todo {
		en, err := e.store.FindSearchEntry(ctx, k.kind, k.ref)
		switch {
		case isNotFound(err):
			en = nil // removed (a store may return a blank entry with the error)
		case err != nil:
			return nil, fmt.Errorf("search index: %w", err)
		}
		out[k] = en
	}
	return out, nil
}

// Compact drops the postings of removed and replaced items, which searches
// skip meanwhile; the periodic maintenance job calls it.
func (e *Engine) Compact(ctx context.Context) error {
	if err := e.fresh(ctx); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ix.removals > 0 {
		e.ix.compact()
	}
	return nil
}

// Stats reports the index's size: live items and postings.
func (e *Engine) Stats(ctx context.Context) (items, postings int, err error) {
	if err := e.fresh(ctx); err != nil {
		return 0, 0, err
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	for _, pl := range e.ix.grams {
		postings += len(pl.p)
	}
	return e.ix.live, postings, nil
}

// TitleText is the normalised title and number lines of the entry's text.
func (e *Entry) TitleText() string {
	f := splitFields(e.Text)
	return f[fieldTitle] + "\n" + f[fieldNumber]
}
