package api

import (
	"context"
	"net/http"
	"time"

	"openhall/internal/disclosure"
	"openhall/internal/disclosure/search"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
)

// registerDisclosureRoutes serves government information disclosure: the
// agencies, the catalogue and its workflow, the search box, requests and
// annual reports. The disclosure service decides who may do what.
func (s *Server) registerDisclosureRoutes() {
	s.handle("GET /api/v1/disclosure/agencies", s.handleDisclosureAgencies)
	s.handle("POST /api/v1/disclosure/agencies", s.handleDisclosureAgencySave)
	s.handle("PUT /api/v1/disclosure/agencies/{id}", s.handleDisclosureAgencySave)
	s.handle("GET /api/v1/disclosure/docs", s.handleDisclosureDocs)
	s.handle("GET /api/v1/disclosure/docs/{id}", s.handleDisclosureDoc)
	s.handle("POST /api/v1/disclosure/docs", s.handleDisclosureDocSave)
	s.handle("PUT /api/v1/disclosure/docs/{id}", s.handleDisclosureDocSave)
	s.handle("POST /api/v1/disclosure/docs/{id}/submit", s.docAction((*disclosure.Service).Submit))
	s.handle("POST /api/v1/disclosure/docs/{id}/approve", s.docAction((*disclosure.Service).Approve))
	s.handle("POST /api/v1/disclosure/docs/{id}/publish", s.docAction((*disclosure.Service).Publish))
	s.handle("POST /api/v1/disclosure/docs/{id}/review", s.docReview((*disclosure.Service).Review))
	s.handle("POST /api/v1/disclosure/docs/{id}/rereview", s.docReview((*disclosure.Service).Rereview))
	s.handle("POST /api/v1/disclosure/docs/{id}/validity", s.handleDisclosureValidity)
	s.handle("GET /api/v1/disclosure/search", s.handleDisclosureSearch)
	s.registerDisclosureRequestRoutes()
	s.registerPublishRuleRoutes()
	s.registerRepeatedRoutes()
}

type agencyJSON struct {
	ID            int64     `json:"id"`
	RegionID      int64     `json:"region_id"`
	DepartmentID  *int64    `json:"department_id"`
	Name          string    `json:"name"`
	Code          string    `json:"code"`
	IndexTemplate string    `json:"index_template"`
	Guide         string    `json:"guide"`
	Address       string    `json:"address"`
	Phone         string    `json:"phone"`
	Hours         string    `json:"hours"`
	UpdatedAt     time.Time `json:"updated_at"`
}

func toAgency(a *disclosure.Agency) agencyJSON {
	return agencyJSON{ID: a.ID, RegionID: a.RegionID, DepartmentID: a.DepartmentID, Name: a.Name, Code: a.Code,
		IndexTemplate: a.IndexTemplate, Guide: a.Guide, Address: a.Address, Phone: a.Phone, Hours: a.Hours, UpdatedAt: a.UpdatedAt}
}

type agencyRequest struct {
	RegionID      int64  `json:"region_id"`
	DepartmentID  *int64 `json:"department_id"`
	Name          string `json:"name"`
	Code          string `json:"code"`
	IndexTemplate string `json:"index_template"`
	Guide         string `json:"guide"`
	Address       string `json:"address"`
	Phone         string `json:"phone"`
	Hours         string `json:"hours"`
}

func (s *Server) handleDisclosureAgencies(w http.ResponseWriter, r *http.Request) error {
	as, err := s.svc.Disclosure.Agencies(r.Context(), disclosure.AgencyFilter{})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, listOf(as, toAgency))
}

func (s *Server) handleDisclosureAgencySave(w http.ResponseWriter, r *http.Request) error {
	return saveOne(w, r, func(ctx context.Context, a *identity.Actor, id int64, in agencyRequest) (*disclosure.Agency, error) {
		return s.svc.Disclosure.SaveAgency(ctx, a, id, disclosure.AgencyInput{RegionID: in.RegionID, DepartmentID: in.DepartmentID,
			Name: in.Name, Code: in.Code, IndexTemplate: in.IndexTemplate, Guide: in.Guide, Address: in.Address, Phone: in.Phone, Hours: in.Hours})
	}, toAgency)
}

// docJSON is a catalogue entry with all its metadata.
type docJSON struct {
	ID            int64               `json:"id"`
	AgencyID      int64               `json:"agency_id"`
	AgencyName    string              `json:"agency_name"`
	IndexNo       string              `json:"index_no"`
	Title         string              `json:"title"`
	DocNo         string              `json:"doc_no"`
	Topic         string              `json:"topic"`
	Genre         disclosure.Genre    `json:"genre"`
	GenreLabel    string              `json:"genre_label"`
	Category      string              `json:"category"`
	CategoryLabel string              `json:"category_label"`
	Validity      disclosure.Validity `json:"validity"`
	ValidityLabel string              `json:"validity_label"`
	ValidityOn    string              `json:"validity_on"`
	ReplacedByID  *int64              `json:"replaced_by_id"`
	Summary       string              `json:"summary"`
	BodyFormat    string              `json:"body_format"`
	Body          string              `json:"body"`
	BodyHTML      string              `json:"body_html"`
	Mode          disclosure.Mode     `json:"mode"`
	WithholdBasis string              `json:"withhold_basis"`
	FormedOn      string              `json:"formed_on"`
	PublishedOn   string              `json:"published_on"`
	Status        disclosure.Status   `json:"status"`
	StatusLabel   string              `json:"status_label"`
	NeedsInterp   bool                `json:"needs_interp"`
	InterpretsID  *int64              `json:"interprets_id"`
	RereviewOn    string              `json:"rereview_on"`
	URL           string              `json:"url"`
}

func toDoc(d *disclosure.Document) docJSON {
	return docJSON{ID: d.ID, AgencyID: d.AgencyID, AgencyName: d.AgencyName, IndexNo: d.IndexNo, Title: d.Title, DocNo: d.DocNo,
		Topic: d.Topic, Genre: d.Genre, GenreLabel: d.Genre.Label(), Category: d.Category, CategoryLabel: d.CategoryLabel(),
		Validity: d.Validity, ValidityLabel: d.Validity.Label(), ValidityOn: d.ValiditySince(), ReplacedByID: d.ReplacedByID,
		Summary: d.Summary, BodyFormat: d.BodyFormat, Body: d.BodySource, BodyHTML: d.BodyHTML, Mode: d.Mode,
		WithholdBasis: d.WithholdBasis, FormedOn: d.FormedOn.String(), PublishedOn: d.Published(), Status: d.Status,
		StatusLabel: d.Status.Label(), NeedsInterp: d.NeedsInterp, InterpretsID: d.InterpretsID, RereviewOn: d.Rereview(),
		URL: disclosure.DocURL(d.ID)}
}

type docRequest struct {
	AgencyID      int64            `json:"agency_id"`
	Title         string           `json:"title"`
	DocNo         string           `json:"doc_no"`
	Topic         string           `json:"topic"`
	Genre         disclosure.Genre `json:"genre"`
	Category      string           `json:"category"`
	Summary       string           `json:"summary"`
	BodyFormat    string           `json:"body_format"`
	Body          string           `json:"body"`
	Mode          disclosure.Mode  `json:"mode"`
	WithholdBasis string           `json:"withhold_basis"`
	FormedOn      string           `json:"formed_on"`
	NeedsInterp   bool             `json:"needs_interp"`
	InterpretsID  *int64           `json:"interprets_id"`
}

// handleDisclosureDocs lists an agency's published catalogue.
func (s *Server) handleDisclosureDocs(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := disclosure.DocFilter{AgencyID: derefID(q.id("agency_id")), Category: q.str("category"), Topic: q.str("topic"),
		Limit: q.int("limit", 50, 1, 500), Offset: q.int("offset", 0, 0, 1<<30)}
	if err := q.err(); err != nil {
		return err
	}
	docs, total, err := s.svc.Disclosure.PublishedDocuments(r.Context(), f)
	if err != nil {
		return err
	}
	out := listOf(docs, toDoc)
	return writeJSON(w, http.StatusOK, struct {
		listJSON[docJSON]
		Total int `json:"total"`
	}{out, total})
}

func derefID(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

func (s *Server) handleDisclosureDoc(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.svc.Disclosure.Document(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, toDoc(d))
}

func (s *Server) handleDisclosureDocSave(w http.ResponseWriter, r *http.Request) error {
	return saveOne(w, r, func(ctx context.Context, a *identity.Actor, id int64, in docRequest) (*disclosure.Document, error) {
		return s.svc.Disclosure.SaveDocument(ctx, a, id, disclosure.DocInput{AgencyID: in.AgencyID, Title: in.Title, DocNo: in.DocNo,
			Topic: in.Topic, Genre: in.Genre, Category: in.Category, Summary: in.Summary, BodyFormat: in.BodyFormat, Body: in.Body,
			Mode: in.Mode, WithholdBasis: in.WithholdBasis, FormedOn: in.FormedOn, NeedsInterp: in.NeedsInterp, InterpretsID: in.InterpretsID})
	}, toDoc)
}

// docAction answers a workflow step without a body.
func (s *Server) docAction(step func(*disclosure.Service, context.Context, *identity.Actor, int64) (*disclosure.Document, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := actor(r)
		if err != nil {
			return err
		}
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		d, err := step(s.svc.Disclosure, r.Context(), a, id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, toDoc(d))
	}
}

type docReviewRequest struct {
	Conclusion disclosure.Conclusion `json:"conclusion"`
	Basis      string                `json:"basis"`
	Reason     string                `json:"reason"`
	Note       string                `json:"note"`
}

// docReview answers a review or re-review.
func (s *Server) docReview(step func(*disclosure.Service, context.Context, *identity.Actor, int64, disclosure.ReviewInput) (*disclosure.Document, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return saveOne(w, r, func(ctx context.Context, a *identity.Actor, id int64, in docReviewRequest) (*disclosure.Document, error) {
			return step(s.svc.Disclosure, ctx, a, id, disclosure.ReviewInput{Conclusion: in.Conclusion, Basis: in.Basis, Reason: in.Reason, Note: in.Note})
		}, toDoc)
	}
}

type validityRequest struct {
	Validity     disclosure.Validity `json:"validity"`
	ReplacedByID *int64              `json:"replaced_by_id"`
	On           string              `json:"on"`
}

func (s *Server) handleDisclosureValidity(w http.ResponseWriter, r *http.Request) error {
	return saveOne(w, r, func(ctx context.Context, a *identity.Actor, id int64, in validityRequest) (*disclosure.Document, error) {
		return s.svc.Disclosure.SetValidity(ctx, a, id, disclosure.ValidityInput{Validity: in.Validity, ReplacedByID: in.ReplacedByID, On: in.On})
	}, toDoc)
}

type hitJSON struct {
	Kind     string        `json:"kind"`
	Ref      int64         `json:"ref"`
	Title    []search.Span `json:"title"`
	Number   string        `json:"number"`
	Category string        `json:"category"`
	Validity string        `json:"validity"`
	Date     string        `json:"date"`
	URL      string        `json:"url"`
	Snippet  []search.Span `json:"snippet"`
	InTitle  bool          `json:"in_title"`
}

func (s *Server) handleDisclosureSearch(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	sq := search.Query{Text: q.v.Get("q"), Kind: q.str("kind"), Scope: derefID(q.id("agency_id")), Category: q.str("category"),
		Topic: q.str("topic"), Validity: q.str("validity"), Year: q.int("year", 0, 0, 9999), Sort: search.Sort(q.str("sort")),
		Offset: q.int("offset", 0, 0, search.MaxCount), Limit: q.int("limit", 20, 1, 50)}
	if err := q.err(); err != nil {
		return err
	}
	res, err := s.svc.Disclosure.Search().Search(r.Context(), sq)
	if err != nil {
		return err
	}
	hits := make([]hitJSON, 0, len(res.Hits))
	for _, h := range res.Hits {
		hits = append(hits, hitJSON{Kind: h.Kind, Ref: h.Ref, Title: h.Title, Number: h.Number, Category: h.Category,
			Validity: h.Validity, Date: h.Date.String(), URL: h.URL, Snippet: h.Snippet, InTitle: h.InTitle})
	}
	return writeJSON(w, http.StatusOK, searchJSON{Capped: res.Capped, Items: hits, Terms: nonNil(res.Terms), Total: res.Total})
}

// searchJSON is a search's answer; a struct, not a map, since every
// portal search encodes one (fields in the order a map's keys had).
type searchJSON struct {
	Capped bool      `json:"capped"`
	Items  []hitJSON `json:"items"`
	Terms  []string  `json:"terms"`
	Total  int       `json:"total"`
}
