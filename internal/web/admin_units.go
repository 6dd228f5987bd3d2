package web

import (
	"fmt"
	"net/http"
	"net/url"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/org"
)

func (s *Server) registerUnitRoutes(admin func(handlerFunc) http.HandlerFunc) {
	for _, u := range []struct {
		path       string
		list, form handlerFunc
		save       handlerFunc
	}{
		{"centres", s.handleCentres, s.handleCentreForm, s.handleCentreSave},
		{"departments", s.handleDepartments, s.handleDepartmentForm, s.handleDepartmentSave},
		{"windows", s.handleWindows, s.handleWindowForm, s.handleWindowSave},
	} {
		s.mux.HandleFunc("GET /admin/"+u.path, admin(u.list))
		s.mux.HandleFunc("GET /admin/"+u.path+"/new", admin(u.form))
		s.mux.HandleFunc("POST /admin/"+u.path, admin(u.save))
		s.mux.HandleFunc("GET /admin/"+u.path+"/{id}/edit", admin(u.form))
		s.mux.HandleFunc("POST /admin/"+u.path+"/{id}", admin(u.save))
	}
}

// editID returns the id of the object being edited, 0 when creating.
func editID(r *http.Request) (int64, error) {
	if r.PathValue("id") == "" {
		return 0, nil
	}
	return pathID(r.PathValue("id"))
}

// unitPage is the data of the centre, department and window pages.
type unitPage struct {
	Page
	Form        form
	Editing     bool
	Centres     []*org.Centre
	Departments []*org.Department
	Windows     []*org.Window
	Regions     []option
	CentreOpts  []option
	KindOpts    []option
	DeptOpts    []option
	StaffOpts   []option
}

func (s *Server) unitPage(w http.ResponseWriter, r *http.Request, title string, f form) (unitPage, error) {
	a := httpkit.ActorFrom(r.Context())
	p := unitPage{Page: s.page(w, r, title), Form: f, Editing: r.PathValue("id") != ""}
	rs, err := s.svc.Org.AdminRegions(r.Context(), a)
	if err != nil {
		return p, err
	}
	for _, x := range rs {
		p.Regions = append(p.Regions, option{idStr(x.ID), fmt.Sprintf("%s（%s）", x.Name, x.Level.Label())})
	}
	if p.Centres, err = s.svc.Org.AdminCentres(r.Context(), a); err != nil {
		return p, err
	}
	for _, c := range p.Centres {
		p.CentreOpts = append(p.CentreOpts, option{idStr(c.ID), c.Name})
	}
	if p.Departments, err = s.svc.Org.AdminDepartments(r.Context(), a); err != nil {
		return p, err
	}
	for _, d := range p.Departments {
		p.DeptOpts = append(p.DeptOpts, option{idStr(d.ID), d.Name + "（" + d.CentreName + "）"})
	}
	return p, nil
}

// saved finishes a save: re-show the form on a validation error, else go back
// to the list.
func (s *Server) saved(w http.ResponseWriter, r *http.Request, err error, list, msg string, reshow func(int, form) error) error {
	if apperr.Is(err, apperr.Invalid) {
		return reshow(http.StatusUnprocessableEntity, newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, list, msg)
}

func (s *Server) handleCentres(w http.ResponseWriter, r *http.Request) error {
	p, err := s.unitPage(w, r, "服务中心", newForm(nil, nil))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin/centres", p)
}

func (s *Server) centreForm(w http.ResponseWriter, r *http.Request, status int, f form) error {
	p, err := s.unitPage(w, r, "服务中心", f)
	if err != nil {
		return err
	}
	for _, k := range org.CentreKinds {
		p.KindOpts = append(p.KindOpts, option{string(k), k.Label()})
	}
	return s.render(w, status, "admin/centre_form", p)
}

func (s *Server) handleCentreForm(w http.ResponseWriter, r *http.Request) error {
	id, err := editID(r)
	if err != nil {
		return err
	}
	f := newForm(url.Values{"region_id": {r.URL.Query().Get("region")}}, nil)
	if id != 0 {
		c, err := s.svc.Org.Centre(r.Context(), id)
		if err != nil {
			return err
		}
		f.Values = url.Values{"region_id": {idStr(c.RegionID)}, "name": {c.Name}, "kind": {string(c.Kind)},
			"address": {c.Address}, "phone": {c.Phone}, "hours": {c.Hours}}
	}
	return s.centreForm(w, r, http.StatusOK, f)
}

func (s *Server) handleCentreSave(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	id, err := editID(r)
	if err != nil {
		return err
	}
	regionID, err := requiredID(v, "region_id", "所在区域")
	if err == nil {
		in := org.CentreInput{RegionID: regionID, Name: v.Get("name"), Kind: org.CentreKind(v.Get("kind")),
			Address: v.Get("address"), Phone: v.Get("phone"), Hours: v.Get("hours")}
		_, err = s.svc.Org.SaveCentre(r.Context(), httpkit.ActorFrom(r.Context()), id, in)
	}
	return s.saved(w, r, err, "/admin/centres", "已保存服务中心："+v.Get("name"),
		func(st int, f form) error { return s.centreForm(w, r, st, f) })
}

func (s *Server) handleDepartments(w http.ResponseWriter, r *http.Request) error {
	p, err := s.unitPage(w, r, "部门", newForm(nil, nil))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin/departments", p)
}

func (s *Server) departmentForm(w http.ResponseWriter, r *http.Request, status int, f form) error {
	p, err := s.unitPage(w, r, "部门", f)
	if err != nil {
		return err
	}
	return s.render(w, status, "admin/department_form", p)
}

func (s *Server) handleDepartmentForm(w http.ResponseWriter, r *http.Request) error {
	id, err := editID(r)
	if err != nil {
		return err
	}
	f := newForm(nil, nil)
	if id != 0 {
		d, err := s.svc.Org.Department(r.Context(), id)
		if err != nil {
			return err
		}
		f.Values = url.Values{"region_id": {idStr(d.RegionID)}, "centre_id": {idStr(derefID(d.CentreID))},
			"name": {d.Name}, "credit_code": {d.CreditCode}, "phone": {d.Phone}}
	}
	return s.departmentForm(w, r, http.StatusOK, f)
}

func (s *Server) handleDepartmentSave(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	id, err := editID(r)
	if err != nil {
		return err
	}
	var f apperr.Fields
	regionID, err := requiredID(v, "region_id", "所属区域")
	f.AddErr("region_id", err)
	centreID, err := optionalID(v, "centre_id")
	f.AddErr("centre_id", err)
	err = f.Err()
	if err == nil {
		in := org.DepartmentInput{RegionID: regionID, CentreID: centreID, Name: v.Get("name"), CreditCode: v.Get("credit_code"), Phone: v.Get("phone")}
		_, err = s.svc.Org.SaveDepartment(r.Context(), httpkit.ActorFrom(r.Context()), id, in)
	}
	return s.saved(w, r, err, "/admin/departments", "已保存部门："+v.Get("name"),
		func(st int, f form) error { return s.departmentForm(w, r, st, f) })
}

func (s *Server) handleWindows(w http.ResponseWriter, r *http.Request) error {
	p, err := s.unitPage(w, r, "窗口", newForm(nil, nil))
	if err != nil {
		return err
	}
	p.Windows, err = s.svc.Org.AdminWindows(r.Context(), httpkit.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin/windows", p)
}

func (s *Server) windowForm(w http.ResponseWriter, r *http.Request, status int, f form) error {
	p, err := s.unitPage(w, r, "窗口", f)
	if err != nil {
		return err
	}
	p.KindOpts = []option{{string(org.WindowDedicated), org.WindowDedicated.Label()}, {string(org.WindowComprehensive), org.WindowComprehensive.Label()}}
	kind := identity.KindStaff
	staffUsers, _, err := s.svc.Identity.FindUsers(r.Context(), httpkit.ActorFrom(r.Context()), identity.UserFilter{Kind: &kind, Limit: 200})
	if err != nil {
		return err
	}
	for _, u := range staffUsers {
		p.StaffOpts = append(p.StaffOpts, option{idStr(u.ID), u.Name + "（" + u.Username + "）"})
	}
	return s.render(w, status, "admin/window_form", p)
}

func (s *Server) handleWindowForm(w http.ResponseWriter, r *http.Request) error {
	id, err := editID(r)
	if err != nil {
		return err
	}
	f := newForm(nil, nil)
	if id != 0 {
		win, err := s.svc.Org.Window(r.Context(), id)
		if err != nil {
			return err
		}
		f.Values = url.Values{"centre_id": {idStr(win.CentreID)}, "number": {win.Number}, "name": {win.Name}, "kind": {string(win.Kind)}}
		for _, d := range win.DepartmentIDs {
			f.Values.Add("department_ids", idStr(d))
		}
		for _, u := range win.StaffIDs {
			f.Values.Add("staff_ids", idStr(u))
		}
	}
	return s.windowForm(w, r, http.StatusOK, f)
}

func (s *Server) handleWindowSave(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	id, err := editID(r)
	if err != nil {
		return err
	}
	var f apperr.Fields
	centreID, err := requiredID(v, "centre_id", "服务中心")
	f.AddErr("centre_id", err)
	depts, err := ids(v, "department_ids")
	f.AddErr("department_ids", err)
	staffIDs, err := ids(v, "staff_ids")
	f.AddErr("staff_ids", err)
	err = f.Err()
	if err == nil {
		in := org.WindowInput{CentreID: centreID, Number: v.Get("number"), Name: v.Get("name"), Kind: org.WindowKind(v.Get("kind")),
			DepartmentIDs: depts, StaffIDs: staffIDs}
		_, err = s.svc.Org.SaveWindow(r.Context(), httpkit.ActorFrom(r.Context()), id, in)
	}
	return s.saved(w, r, err, "/admin/windows", "已保存窗口："+v.Get("number"),
		func(st int, f form) error { return s.windowForm(w, r, st, f) })
}
