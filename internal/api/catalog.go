package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/catalog"
	"openhall/internal/catalog/sheet"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
)

// registerCatalogRoutes serves the service catalogue: the public,
// machine-readable guide and the staff's edit-review-publish workflow.
func (s *Server) registerCatalogRoutes() {
	s.handle("GET /api/v1/items", s.handleItems)
	s.handle("POST /api/v1/items", s.handleItemCreate)
	s.handle("GET /api/v1/items/{code}", s.handleItem)
	s.handle("GET /api/v1/items/{code}/draft", s.handleDraft)
	s.handle("PUT /api/v1/items/{code}/draft", s.handleDraftSave)
	s.handle("POST /api/v1/items/{code}/submit", s.itemAction(s.submit))
	s.handle("POST /api/v1/items/{code}/approve", s.itemAction(s.approve))
	s.handle("POST /api/v1/items/{code}/reject", s.itemAction(s.reject))
	s.handle("POST /api/v1/items/{code}/suspend", s.statusAction((*catalog.Service).Suspend))
	s.handle("POST /api/v1/items/{code}/resume", s.statusAction((*catalog.Service).Resume))
	s.handle("POST /api/v1/items/{code}/cancel", s.statusAction((*catalog.Service).Cancel))
	s.handle("GET /api/v1/item-versions/{id}", s.handleVersion)
	s.handle("PUT /api/v1/item-versions/{id}", s.handleVersionSave)
	s.handle("GET /api/v1/catalog/export.xlsx", s.handleExport)
	s.handle("GET /api/v1/catalog/template.xlsx", s.handleTemplate)
	s.handle("POST /api/v1/catalog/import", s.handleImport)
}

// filterOf reads the browse filters shared by the list and the export.
func filterOf(q *query) catalog.SearchQuery {
	f := catalog.SearchQuery{Text: q.str("q")}
	f.Level, f.Audience, f.Theme, f.Type = catalog.Level(q.str("level")), catalog.Audience(q.str("audience")), q.str("theme"), catalog.ItemType(q.str("type"))
	f.Legal = q.flag("legal")
	if id := q.id("department_id"); id != nil {
		f.DepartmentID = *id
	}
	if id := q.id("region_id"); id != nil {
		f.RegionID = *id
	}
	q.f.Check(f.Level != "" && f.Level.Label() == "", "level", "参数 level 应为行使层级代码 1–7")
	q.f.Check(f.Audience != "" && f.Audience.Label() == "", "audience", "参数 audience 应为服务对象代码 1–6")
	q.f.Check(f.Type != "" && f.Type.Label() == "", "type", "参数 type 应为事项类型代码，如 01")
	q.f.Check(f.Theme != "" && !catalog.ValidTheme(f.Theme), "theme", "参数 theme 不是服务主题目录中的主题")
	return f
}

type itemPage struct {
	Items  []itemJSON `json:"items"`
	Total  int        `json:"total"`
	Offset int        `json:"offset"`
	Limit  int        `json:"limit"`
}

func (s *Server) handleItems(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := filterOf(q)
	f.Offset, f.Limit = q.int("offset", 0, 0, 1_000_000), q.int("limit", 20, 1, catalog.MaxPage)
	if err := q.err(); err != nil {
		return err
	}
	its, total, err := s.svc.Catalog.Search(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemPage{Items: listOf(its, toItem).Items, Total: total, Offset: f.Offset, Limit: f.Limit})
}

// itemByCode finds the item of the path's 实施编码.
func (s *Server) itemByCode(r *http.Request) (*catalog.Item, error) {
	return s.svc.Catalog.ItemByCode(r.Context(), r.PathValue("code"))
}

// handleItem answers the guide in effect today, or on ?date=.
func (s *Server) handleItem(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	if q.str("date") == "" {
		return s.handleCurrentItem(w, r)
	}
	at := q.date("date").Time()
	if err := q.err(); err != nil {
		return err
	}
	it, err := s.itemByCode(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Catalog.PublishedVersion(r.Context(), it.ID, at)
	if err != nil {
		return err
	}
	return s.writeDoc(w, r, http.StatusOK, it, v)
}

// handleCurrentItem answers today's guide, encoded once per view.
func (s *Server) handleCurrentItem(w http.ResponseWriter, r *http.Request) error {
	view, err := s.svc.Catalog.PublicGuide(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	body, err := view.Rendered("json", func() ([]byte, error) {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		err := enc.Encode(guideDoc(view.Item, view.Version, view.History))
		return buf.Bytes(), err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err = w.Write(body)
	return err
}

func (s *Server) writeDoc(w http.ResponseWriter, r *http.Request, status int, it *catalog.Item, v *catalog.Version) error {
	h, err := s.svc.Catalog.History(r.Context(), it)
	if err != nil {
		return err
	}
	return writeJSON(w, status, guideDoc(it, v, h))
}

func guideDoc(it *catalog.Item, v *catalog.Version, h []catalog.HistoryEntry) guideDocJSON {
	return guideDocJSON{itemJSON: toItem(it), Version: toVersion(v), Guide: toGuide(&v.Guide), Totals: totals(&v.Guide), History: toHistory(h)}
}

// itemRequest is the body of POST /api/v1/items.
type itemRequest struct {
	Code         string        `json:"code"`
	ImplCode     string        `json:"impl_code"`
	DepartmentID int64         `json:"department_id"`
	Guide        catalog.Guide `json:"guide"`
}

func (s *Server) handleItemCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var in itemRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	it, v, err := s.svc.Catalog.CreateItem(r.Context(), a, catalog.ItemInput{Code: in.Code, ImplCode: in.ImplCode,
		DepartmentID: in.DepartmentID, Guide: in.Guide})
	if err != nil {
		return err
	}
	return s.writeDoc(w, r, http.StatusCreated, it, v)
}

func (s *Server) handleDraft(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	it, err := s.itemByCode(r)
	if err != nil {
		return err
	}
	v, err := s.svc.Catalog.OpenVersion(r.Context(), a, it)
	if err != nil {
		return err
	}
	return s.writeDoc(w, r, http.StatusOK, it, v)
}

// handleDraftSave saves the body as the item's draft, starting a new
// version when every version is published.
func (s *Server) handleDraftSave(w http.ResponseWriter, r *http.Request) error {
	return s.saveGuide(w, r, func(ctx context.Context, a *identity.Actor, g catalog.Guide) (*catalog.Version, error) {
		it, err := s.itemByCode(r)
		if err != nil {
			return nil, err
		}
		return s.svc.Catalog.SaveDraft(ctx, a, it.ID, g)
	})
}

// handleVersionSave saves the body into one version; a published version
// answers 409.
func (s *Server) handleVersionSave(w http.ResponseWriter, r *http.Request) error {
	return s.saveGuide(w, r, func(ctx context.Context, a *identity.Actor, g catalog.Guide) (*catalog.Version, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return nil, err
		}
		return s.svc.Catalog.SaveVersion(ctx, a, id, g)
	})
}

func (s *Server) saveGuide(w http.ResponseWriter, r *http.Request, save func(context.Context, *identity.Actor, catalog.Guide) (*catalog.Version, error)) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var g catalog.Guide
	if err := decode(r, &g); err != nil {
		return err
	}
	v, err := save(r.Context(), a, g)
	if err != nil {
		return err
	}
	it, err := s.svc.Catalog.Item(r.Context(), v.ItemID)
	if err != nil {
		return err
	}
	return s.writeDoc(w, r, http.StatusOK, it, v)
}

func (s *Server) handleVersion(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, it, err := s.svc.Catalog.VersionFor(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return s.writeDoc(w, r, http.StatusOK, it, v)
}

// itemAction runs one review step on the item of the path.
func (s *Server) itemAction(act func(r *http.Request, a *identity.Actor, it *catalog.Item) (*catalog.Version, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := actor(r)
		if err != nil {
			return err
		}
		it, err := s.itemByCode(r)
		if err != nil {
			return err
		}
		v, err := act(r, a, it)
		if err != nil {
			return err
		}
		if it, err = s.svc.Catalog.Item(r.Context(), it.ID); err != nil {
			return err
		}
		return s.writeDoc(w, r, http.StatusOK, it, v)
	}
}

func (s *Server) submit(r *http.Request, a *identity.Actor, it *catalog.Item) (*catalog.Version, error) {
	if err := decodeOptional(r, &struct{}{}); err != nil {
		return nil, err
	}
	return s.svc.Catalog.Submit(r.Context(), a, it.ID)
}

// approveRequest is the body of POST …/approve.
type approveRequest struct {
	EffectiveDate *calendar.Date `json:"effective_date"`
	Note          string         `json:"note"`
}

func (s *Server) approve(r *http.Request, a *identity.Actor, it *catalog.Item) (*catalog.Version, error) {
	var in approveRequest
	if err := decodeOptional(r, &in); err != nil {
		return nil, err
	}
	rev := catalog.ReviewInput{Note: in.Note}
	if in.EffectiveDate != nil {
		rev.EffectiveDate = *in.EffectiveDate
	}
	return s.svc.Catalog.Approve(r.Context(), a, it.ID, rev)
}

// reasonRequest is the body of reject, suspend, resume and cancel.
type reasonRequest struct {
	Reason string         `json:"reason"`
	Date   *calendar.Date `json:"date"`
}

func (s *Server) reject(r *http.Request, a *identity.Actor, it *catalog.Item) (*catalog.Version, error) {
	var in reasonRequest
	if err := decodeOptional(r, &in); err != nil {
		return nil, err
	}
	return s.svc.Catalog.Reject(r.Context(), a, it.ID, in.Reason)
}

// statusAction suspends, resumes or cancels the item of the path.
func (s *Server) statusAction(change func(*catalog.Service, context.Context, *identity.Actor, int64, catalog.StatusInput) (*catalog.Item, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := actor(r)
		if err != nil {
			return err
		}
		var in reasonRequest
		if err := decodeOptional(r, &in); err != nil {
			return err
		}
		it, err := s.itemByCode(r)
		if err != nil {
			return err
		}
		st := catalog.StatusInput{Reason: in.Reason}
		if in.Date != nil {
			st.Date = *in.Date
		}
		if it, err = change(s.svc.Catalog, r.Context(), a, it.ID, st); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, toItem(it))
	}
}

// decodeOptional decodes a body when there is one; an empty body is {}.
func decodeOptional(r *http.Request, v any) error {
	if r.ContentLength == 0 {
		return nil
	}
	return decode(r, v)
}

// handleExport writes the published catalogue, or the filter of it, as the
// import template filled in with the guides in effect today.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := filterOf(q)
	if err := q.err(); err != nil {
		return err
	}
	ins, err := s.svc.Catalog.Export(r.Context(), f)
	if err != nil {
		return err
	}
	return sheet.Send(w, "事项目录.xlsx", ins)
}

func (s *Server) handleTemplate(w http.ResponseWriter, r *http.Request) error {
	return sheet.Send(w, "事项目录导入模板.xlsx", nil)
}

// importAnswer lists the drafts an import created.
type importAnswer struct {
	Created int        `json:"created"`
	Items   []itemJSON `json:"items"`
}

// maxWorkbookBytes bounds an imported workbook.
const maxWorkbookBytes = 32 << 20

// handleImport reads an .xlsx body and creates drafts, all or nothing.
// A refused file answers 422 with one field per problem, keyed by the cell.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	data, err := readBody(r)
	var rows []catalog.ImportRow
	if err == nil {
		rows, err = sheet.Read(bytes.NewReader(data))
	}
	if err == nil {
		var its []*catalog.Item
		if its, err = s.svc.Catalog.Import(r.Context(), a, rows); err == nil {
			return writeJSON(w, http.StatusCreated, importAnswer{Created: len(its), Items: listOf(its, toItem).Items})
		}
	}
	if list := sheet.ProblemsOf(err); len(list) > 0 {
		return problemsError(err, list)
	}
	return err
}

// problemsError puts each "第 N 行 第 X 列（字段）：原因" into the envelope's
// fields, the cell as the key and the reason as the value.
func problemsError(err error, list []string) error {
	fields := map[string]string{}
	for _, p := range list {
		cell, reason, _ := strings.Cut(p, "：")
		if prev, dup := fields[cell]; dup {
			reason = prev + "；" + reason
		}
		fields[cell] = reason
	}
	return &apperr.Error{Code: apperr.Invalid, Message: apperr.MessageOf(err), Fields: fields, Err: err}
}
