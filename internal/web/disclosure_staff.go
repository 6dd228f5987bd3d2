package web

import (
	"net/http"
	"net/url"

	"openhall/internal/apperr"
	"openhall/internal/disclosure"
	"openhall/internal/httpkit"
	"openhall/internal/org"
)

// The staff side of disclosure: the workbench and the agencies. Documents,
// requests and reports have their own files.
func (s *Server) registerDisclosureRoutes() {
	s.registerPortalRoutes()
	s.mux.HandleFunc("GET /disclosure", s.requireStaff(s.handleWorkbench))
	s.mux.HandleFunc("GET /disclosure/agencies", s.requireStaff(s.handleAgencies))
	s.mux.HandleFunc("GET /disclosure/agencies/new", s.requireStaff(s.handleAgencyNew))
	s.mux.HandleFunc("POST /disclosure/agencies", s.requireStaff(s.handleAgencySave))
	s.mux.HandleFunc("GET /disclosure/agencies/{id}/edit", s.requireStaff(s.handleAgencyEdit))
	s.mux.HandleFunc("POST /disclosure/agencies/{id}", s.requireStaff(s.handleAgencySave))
	s.registerDocRoutes()
	s.registerRequestRoutes()
	s.registerReportRoutes()
	s.registerRepeatedRoutes()
	s.registerPublishRuleRoutes()
}

type workbenchPage struct {
	Page
	W *disclosure.Workbench
}

func (s *Server) handleWorkbench(w http.ResponseWriter, r *http.Request) error {
	wb, err := s.svc.Disclosure.Workbench(r.Context(), httpkit.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "disclosure/workbench", workbenchPage{Page: s.page(w, r, "政务公开工作台"), W: wb})
}

type agenciesPage struct {
	Page
	Agencies []*disclosure.Agency
}

func (s *Server) handleAgencies(w http.ResponseWriter, r *http.Request) error {
	as, err := s.svc.Disclosure.Agencies(r.Context(), disclosure.AgencyFilter{})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "disclosure/agencies", agenciesPage{Page: s.page(w, r, "公开主体"), Agencies: as})
}

type agencyFormPage struct {
	Page
	Form    form
	Agency  *disclosure.Agency
	Regions []option
}

func (s *Server) agencyForm(w http.ResponseWriter, r *http.Request, status int, ag *disclosure.Agency, f form) error {
	p := agencyFormPage{Page: s.page(w, r, "新建公开主体"), Form: f, Agency: ag}
	if ag != nil {
		p.Title = "编辑公开主体：" + ag.Name
	}
	rs, err := s.svc.Org.Regions(r.Context(), org.RegionFilter{})
	if err != nil {
		return err
	}
	for _, x := range rs {
		p.Regions = append(p.Regions, option{idStr(x.ID), x.Name + "（" + x.Code + "）"})
	}
	return s.render(w, status, "disclosure/agency_form", p)
}

func (s *Server) handleAgencyNew(w http.ResponseWriter, r *http.Request) error {
	return s.agencyForm(w, r, http.StatusOK, nil, newForm(url.Values{"index_template": {disclosure.DefaultIndexTemplate}}, nil))
}

func (s *Server) handleAgencyEdit(w http.ResponseWriter, r *http.Request) error {
	ag, err := s.agencyFromPath(r)
	if err != nil {
		return err
	}
	v := url.Values{"name": {ag.Name}, "code": {ag.Code}, "index_template": {ag.IndexTemplate}, "guide": {ag.Guide},
		"address": {ag.Address}, "phone": {ag.Phone}, "hours": {ag.Hours}, "region_id": {idStr(ag.RegionID)}}
	return s.agencyForm(w, r, http.StatusOK, ag, newForm(v, nil))
}

func (s *Server) handleAgencySave(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	region, err := optionalID(v, "region_id")
	var id int64
	if err == nil && r.PathValue("id") != "" {
		id, err = pathID(r.PathValue("id"))
	}
	var ag *disclosure.Agency
	if err == nil {
		in := disclosure.AgencyInput{RegionID: derefID(region), Name: v.Get("name"), Code: v.Get("code"),
			IndexTemplate: v.Get("index_template"), Guide: v.Get("guide"), Address: v.Get("address"), Phone: v.Get("phone"), Hours: v.Get("hours")}
		ag, err = s.svc.Disclosure.SaveAgency(r.Context(), httpkit.ActorFrom(r.Context()), id, in)
	}
	if apperr.Is(err, apperr.Invalid) {
		existing, _ := s.agencyFromPathOptional(r)
		return s.agencyForm(w, r, http.StatusUnprocessableEntity, existing, newForm(v, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/disclosure/agencies", "已保存公开主体："+ag.Name)
}

func (s *Server) agencyFromPathOptional(r *http.Request) (*disclosure.Agency, error) {
	if r.PathValue("id") == "" {
		return nil, nil
	}
	return s.agencyFromPath(r)
}

// agencyOptions lists the agencies for a select.
func (s *Server) agencyOptions(r *http.Request) ([]option, error) {
	as, err := s.svc.Disclosure.Agencies(r.Context(), disclosure.AgencyFilter{})
	var out []option
	for _, ag := range as {
		out = append(out, option{idStr(ag.ID), ag.Name})
	}
	return out, err
}

// draftAgencyOptions lists the agencies the actor drafts for
// (disclosure.CanDraft): the only ones a document form may name.
func (s *Server) draftAgencyOptions(r *http.Request) ([]option, error) {
	as, err := s.svc.Disclosure.Agencies(r.Context(), disclosure.AgencyFilter{})
	a := httpkit.ActorFrom(r.Context())
	var out []option
	for _, ag := range as {
		if disclosure.CanDraft(a, ag) == nil {
			out = append(out, option{idStr(ag.ID), ag.Name})
		}
	}
	return out, err
}

// firstAgency is the agency a staff list shows: the one asked for, else
// the first one the workbench gives the actor.
func (s *Server) firstAgency(r *http.Request) (int64, error) {
	if id, err := optionalID(r.URL.Query(), "agency"); err != nil || id != nil {
		return derefID(id), err
	}
	wb, err := s.svc.Disclosure.Workbench(r.Context(), httpkit.ActorFrom(r.Context()))
	if err != nil {
		return 0, err
	}
	if len(wb.Agencies) == 0 {
		return 0, apperr.New(apperr.Forbidden, "您不是任何公开主体的公开专员")
	}
	return wb.Agencies[0].ID, nil
}
