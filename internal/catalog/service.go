package catalog

import (
	"context"
	"strconv"
	"sync/atomic"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/identity"
	"openhall/internal/memo"
	"openhall/internal/org"
)

// Orgs is what the catalogue reads of the organisation structure.
type Orgs interface {
	Department(ctx context.Context, id int64) (*org.Department, error)
	Region(ctx context.Context, id int64) (*org.Region, error)
	DepartmentByCreditCode(ctx context.Context, code string) (*org.Department, error)
}

// Searcher answers catalogue searches. The store answers them by default;
// a general full-text engine can take over behind this one method.
type Searcher interface {
	SearchItems(ctx context.Context, q SearchQuery) ([]*Item, int, error)
}

// Indexer is told of every change of an item's public listing (a version
// published, the item suspended, resumed or cancelled), inside the
// transaction of the change, so that a search index follows the catalogue.
type Indexer interface {
	ItemChanged(ctx context.Context, it *Item) error
}

// Service manages the catalogue.
type Service struct {
	store   Store
	search  Searcher
	indexer Indexer
	orgs    Orgs
	tx      Transactor
	audit   Auditor
	now     func() time.Time
	views   viewCache
	stamps  stampCache
	epoch   *atomic.Uint64 // ends with each write transaction (epochTx)
	kept    *memo.Cache[int64, keptItem]
}

// NewService returns a Service that searches through the store.
func NewService(store Store, orgs Orgs, tx Transactor, auditor Auditor, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	epoch := new(atomic.Uint64)
	return &Service{store: store, search: store, orgs: orgs, tx: epochTx{tx, epoch}, audit: auditor, epoch: epoch,
		kept: newKeptItems(), now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// SetSearcher replaces the search engine.
func (s *Service) SetSearcher(se Searcher) { s.search = se }

// SetIndexer sets who is told of listing changes.
func (s *Service) SetIndexer(ix Indexer) { s.indexer = ix }

// indexed tells the indexer, if any, that an item's listing changed.
func (s *Service) indexed(ctx context.Context, it *Item) error {
	if s.indexer == nil {
		return nil
	}
	return s.indexer.ItemChanged(ctx, it)
}

// today is the civil date in China now.
func (s *Service) today() calendar.Date { return calendar.DateOf(s.now()) }

func (s *Service) record(ctx context.Context, a *identity.Actor, p place, action string, id int64, change any) error {
	return s.audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + p.path, Action: action,
		ObjectType: "catalog_item", ObjectID: strconv.FormatInt(id, 10), Change: change})
}

// place is where an item belongs, for authorization and audit scope.
type place struct {
	path string
	dept *org.Department
	reg  *org.Region
}

func (s *Service) placeOf(ctx context.Context, deptID int64) (place, error) {
	d, err := s.orgs.Department(ctx, deptID)
	if apperr.Is(err, apperr.NotFound) {
		return place{}, apperr.Field("department_id", "所选实施部门不存在")
	}
	if err != nil {
		return place{}, err
	}
	r, err := s.orgs.Region(ctx, d.RegionID)
	if err != nil {
		return place{}, err
	}
	return place{path: r.Path, dept: d, reg: r}, nil
}

// Item returns one item.
func (s *Service) Item(ctx context.Context, id int64) (*Item, error) {
	return s.store.FindItemByID(ctx, id)
}

// ItemByCode returns the item with a 实施编码.
func (s *Service) ItemByCode(ctx context.Context, implCode string) (*Item, error) {
	return s.store.FindItemByImplCode(ctx, implCode)
}

// Items lists items with their total.
func (s *Service) Items(ctx context.Context, f ItemFilter) ([]*Item, int, error) {
	return s.store.FindItems(ctx, f.paged())
}

// PublicItems lists published items (active, suspended or cancelled).
func (s *Service) PublicItems(ctx context.Context, f ItemFilter) ([]*Item, int, error) {
	f.PublicOnly = true
	return s.store.FindItems(ctx, f.paged())
}

// Search finds published items whose name, materials or conditions contain
// the text (one character is enough), names first.
func (s *Service) Search(ctx context.Context, q SearchQuery) ([]*Item, int, error) {
	q.PublicOnly, q.ItemFilter = true, q.ItemFilter.paged()
	q.Text = normalizeQuery(q.Text)
	if q.Text == "" {
		return s.store.FindItems(ctx, q.ItemFilter)
	}
	return s.search.SearchItems(ctx, q)
}

// MaxPage is the largest page size of lists.
const MaxPage = 200

func (f ItemFilter) paged() ItemFilter {
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = 20
	}
	f.Offset = max(f.Offset, 0)
	return f
}

// Version returns one version by id. Cases keep this id for ever.
func (s *Service) Version(ctx context.Context, id int64) (*Version, error) {
	return s.store.FindVersionByID(ctx, id)
}

// PublishedVersion returns the version of an item in effect at a moment:
// the published version with the latest effective date not after that
// day in China. NotFound before the first one takes effect.
func (s *Service) PublishedVersion(ctx context.Context, itemID int64, at time.Time) (*Version, error) {
	return s.store.FindPublishedVersion(ctx, itemID, calendar.DateOf(at))
}

// CurrentVersion returns the version in effect now.
func (s *Service) CurrentVersion(ctx context.Context, itemID int64) (*Version, error) {
	return s.store.FindPublishedVersion(ctx, itemID, s.today())
}

// Versions lists an item's versions, newest first; unpublished ones only
// for those who may see them.
func (s *Service) Versions(ctx context.Context, a *identity.Actor, it *Item) ([]*Version, error) {
	vs, err := s.store.FindVersions(ctx, it.ID)
	if err != nil {
		return nil, err
	}
	if s.canSeeOpen(ctx, a, it) {
		return vs, nil
	}
	out := vs[:0]
	for _, v := range vs {
		if v.State == StatePublished {
			out = append(out, v)
		}
	}
	return out, nil
}

func (s *Service) canSeeOpen(ctx context.Context, a *identity.Actor, it *Item) bool {
	if a == nil || !a.IsStaff() {
		return false
	}
	p, err := s.placeOf(ctx, it.DepartmentID)
	return err == nil && CanSeeOpen(a, p.path, it.DepartmentID) == nil
}

// OpenVersion returns the item's version under work (draft, submitted or
// rejected) to those who may see it.
func (s *Service) OpenVersion(ctx context.Context, a *identity.Actor, it *Item) (*Version, error) {
	if !s.canSeeOpen(ctx, a, it) {
		return nil, apperr.New(apperr.NotFound, "没有可查看的草稿")
	}
	return s.openVersion(ctx, it.ID)
}

func (s *Service) openVersion(ctx context.Context, itemID int64) (*Version, error) {
	vs, err := s.store.FindVersions(ctx, itemID)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		if v.State.Open() {
			return v, nil
		}
	}
	return nil, apperr.New(apperr.NotFound, "该事项没有正在编辑或审核中的版本")
}

// VersionFor returns a version by id to an actor: published versions to
// anyone, others to those who may see them.
func (s *Service) VersionFor(ctx context.Context, a *identity.Actor, id int64) (*Version, *Item, error) {
	v, err := s.store.FindVersionByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	it, err := s.store.FindItemByID(ctx, v.ItemID)
	if err != nil {
		return nil, nil, err
	}
	if v.State != StatePublished && !s.canSeeOpen(ctx, a, it) {
		return nil, nil, apperr.New(apperr.NotFound, "版本不存在")
	}
	return v, it, nil
}

// Queue lists the versions under work the actor may act on.
func (s *Service) Queue(ctx context.Context, a *identity.Actor, states ...VersionState) ([]*Version, error) {
	if err := CanWork(a); err != nil {
		return nil, err
	}
	vs, err := s.store.FindOpenVersions(ctx, OpenFilter{States: states})
	if err != nil {
		return nil, err
	}
	out := vs[:0]
	for _, v := range vs {
		if it, err := s.store.FindItemByID(ctx, v.ItemID); err == nil && s.canSeeOpen(ctx, a, it) {
			out = append(out, v)
		}
	}
	return out, nil
}

// File returns a stored file.
func (s *Service) File(ctx context.Context, id int64) (*File, error) {
	return s.store.FindFile(ctx, id)
}

// MaxFileBytes bounds an uploaded form or sample.
const MaxFileBytes = 5 << 20

// AddFile stores a blank form or sample for use in a guide.
func (s *Service) AddFile(ctx context.Context, a *identity.Actor, name, contentType string, data []byte) (*File, error) {
	if err := CanWork(a); err != nil {
		return nil, err
	}
	var f apperr.Fields
	text(&f, "file", "文件名", name, 200, true)
	f.Check(len(data) == 0, "file", "文件为空")
	f.Check(len(data) > MaxFileBytes, "file", "文件不能超过 5 MB")
	if err := f.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	var file *File
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		file = &File{Name: name, ContentType: contentType, Data: data, CreatedBy: a.UserID, CreatedAt: now}
		if err := s.store.CreateFile(ctx, file); err != nil {
			return err
		}
		return s.audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "system", Action: "catalog.file.create",
			ObjectType: "catalog_file", ObjectID: strconv.FormatInt(file.ID, 10),
			Change: map[string]any{"name": name, "bytes": len(data)}})
	})
	return file, err
}

// Today is the civil date in China by the service's clock.
func (s *Service) Today() calendar.Date { return s.today() }
