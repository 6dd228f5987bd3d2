// Package search is the portal's one search box: Chinese full-text search
// over items of any kind (government information, service items, and what
// other modules add with kinds of their own), ranked by relevance.
//
// The entries live in the shared database, with a change log; each node
// answers searches from an in-memory index it builds from the entries and
// keeps current by following the log, so every node sees the same items and
// SQLite and PostgreSQL give the same answers.
//
// Matching needs no dictionary: the index holds every one- and
// two-character gram of an item's normalised text (see Normalize), with its
// impact band (see model.go). A one- or two-character term is one gram, so
// 税 finds 个人所得税; a longer Chinese term is found as written or as its
// two-character pieces apart (食品经营, 食品 … 经营), the first ranked above
// the second; a 文号, a phrase in quotes or a term with digits or Latin
// letters must hold every bigram and is then confirmed as written against
// the stored text, so 张益唐 finds only 张益唐.
package search

import (
	"context"
	"errors"

	"openhall/internal/calendar"
)

// Kinds of searchable items.
const (
	KindDocument = "doc"     // 政府信息 (disclosure catalogue)
	KindService  = "service" // 办事指南 (service catalogue), fed by that module

	KindConsultation = "consult" // 意见征集 (public consultations), fed by that module
)

// kindCodes give each kind a place in the sort key; a new kind adds a code.
var kindCodes = map[string]int64{KindDocument: 1, KindService: 2, KindConsultation: 8}

// Doc is one searchable item, as its module describes it.
type Doc struct {
	Kind     string
	Ref      int64 // the item's id within its kind
	Scope    int64 // the publishing organisation, for filtering
	Title    string
	Number   string // 文号 or item code
	Summary  string
	Body     string // plain text
	Extra    string // attachments' text
	Category string
	Topic    string
	Validity string
	Date     calendar.Date // publication date: sorting and the year filter
	URL      string
}

// Sort orders results.
type Sort string

// Sorts.
const (
	ByRelevance Sort = "relevance"
	ByDate      Sort = "date"
)

// Query is a search.
type Query struct {
	Text     string
	Kind     string // "" = every kind
	Scope    int64  // 0 = every organisation
	Category string
	Topic    string
	Validity string
	Year     int
	Sort     Sort
	Offset   int
	Limit    int // 1–50; default 20
}

// Span is a piece of displayed text, marked when it matched.
type Span struct {
	Text string `json:"text"`
	Mark bool   `json:"mark"`
}

// Hit is one result.
type Hit struct {
	Kind     string
	Ref      int64
	Scope    int64
	Title    []Span
	Number   string
	Category string
	Validity string
	Date     calendar.Date
	URL      string
	Snippet  []Span
	InTitle  bool // every term is in the title or number
}

// Result is a page of hits.
type Result struct {
	Terms  []string
	Hits   []Hit
	Total  int  // hits counted, at most MaxCount
	Capped bool // there are more than MaxCount hits
}

// MaxCount bounds counting: past it a result says "more than MaxCount".
const MaxCount = 200

// Searcher is what modules feed and the portal asks. Index replaces the item
// with the same kind and ref; it joins the transaction in ctx.
type Searcher interface {
	Index(ctx context.Context, d Doc) error
	Remove(ctx context.Context, kind string, ref int64) error
	Search(ctx context.Context, q Query) (*Result, error)
}

// ErrUnknownKind is returned for a Doc whose kind has no sort-key code.
var ErrUnknownKind = errors.New("search: unknown kind")
