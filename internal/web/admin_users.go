package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

func (s *Server) registerUserRoutes() {
	admin := func(fn handlerFunc) http.HandlerFunc { return s.requireRole(identity.RoleSysAdmin, fn) }
	s.mux.HandleFunc("GET /admin/users", admin(s.handleUsers))
	s.mux.HandleFunc("GET /admin/users/new", admin(s.handleUserNew))
	s.mux.HandleFunc("POST /admin/users", admin(s.handleUserCreate))
	s.mux.HandleFunc("GET /admin/users/{id}", admin(s.handleUser))
	s.mux.HandleFunc("POST /admin/users/{id}", admin(s.handleUserUpdate))
	s.mux.HandleFunc("POST /admin/users/{id}/grants", admin(s.handleGrant))
	s.mux.HandleFunc("POST /admin/grants/{id}/delete", admin(s.handleRevoke))
}

type usersPage struct {
	Page
	Users  []*identity.User
	Total  int
	Query  string
	Kind   string
	Offset int
	Next   int
}

const usersPerPage = 50

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	offset, _ := strconv.Atoi(q.Get("offset"))
	f := identity.UserFilter{Query: q.Get("q"), Offset: max(offset, 0), Limit: usersPerPage}
	if k := identity.Kind(q.Get("kind")); k.Valid() {
		f.Kind = &k
	}
	users, total, err := s.svc.Identity.FindUsers(r.Context(), httpkit.ActorFrom(r.Context()), f)
	if err != nil {
		return err
	}
	p := usersPage{Page: s.page(w, r, "账号与角色"), Users: users, Total: total, Query: f.Query, Kind: q.Get("kind"), Offset: f.Offset}
	if f.Offset+usersPerPage < total {
		p.Next = f.Offset + usersPerPage
	}
	return s.render(w, http.StatusOK, "admin/users", p)
}

type userFormPage struct {
	Page
	Form form
}

func (s *Server) handleUserNew(w http.ResponseWriter, r *http.Request) error {
	f := newForm(url.Values{"kind": {string(identity.KindStaff)}}, nil)
	return s.render(w, http.StatusOK, "admin/user_new", userFormPage{Page: s.page(w, r, "新建工作人员账号"), Form: f})
}

func (s *Server) handleUserCreate(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	in := identity.UserInput{Kind: identity.KindStaff, Username: v.Get("username"), Name: v.Get("name"),
		IDNumber: v.Get("id_number"), Phone: v.Get("phone"), Email: v.Get("email"), Password: v.Get("password")}
	u, err := s.svc.Identity.CreateUser(r.Context(), httpkit.ActorFrom(r.Context()), in)
	if apperr.Is(err, apperr.Invalid) {
		v.Del("password")
		return s.render(w, http.StatusUnprocessableEntity, "admin/user_new", userFormPage{Page: s.page(w, r, "新建工作人员账号"), Form: newForm(v, err)})
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, fmt.Sprintf("/admin/users/%d", u.ID), "已创建账号 "+u.Username+"，请为其授予角色")
}

type userPage struct {
	Page
	User      *identity.User
	Grants    []grantRow
	NoManage  string // why the actor may not change the account (identity.CanManageUser)
	Form      form   // account edit
	GrantForm form
	Roles     []option
	Regions   []option
	Depts     []option
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request, status int, f, gf form) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	u, grants, err := s.svc.Identity.FindUser(r.Context(), a, id)
	if err != nil {
		return err
	}
	if f.Values.Get("name") == "" && f.Errors == nil {
		f.Values = url.Values{"name": {u.Name}, "phone": {shownPhone(a, u)}, "email": {u.Email}}
	}
	up, err := s.unitPage(w, r, "账号："+u.Username, gf)
	if err != nil {
		return err
	}
	p := userPage{Page: up.Page, User: u, Form: f, GrantForm: gf, Regions: up.Regions, Depts: up.DeptOpts,
		NoManage: refusal(identity.CanManageUser(a, u, grants))}
	for _, g := range grants {
		p.Grants = append(p.Grants, grantRow{g, refusal(identity.CanRevoke(a, g))})
	}
	for _, role := range identity.StaffRoles {
		p.Roles = append(p.Roles, option{string(role), role.Label()})
	}
	return s.render(w, status, "admin/user", p)
}

// refusal is what a page says in place of a form the actor may not send:
// the message of err, or "" when err is nil and the form is shown.
func refusal(err error) string {
	if err == nil {
		return ""
	}
	return apperr.MessageOf(err)
}

// grantRow is a role on the account page, with why the actor may not
// revoke it ("" when they may).
type grantRow struct {
	*identity.Grant
	NoRevoke string
}

// shownPhone is the phone number the edit form shows: masked for an
// administrator who may not see the account's personal data (one of a
// region), as the API shows it.
func shownPhone(a *identity.Actor, u *identity.User) string {
	if identity.CanSeePersonalData(a, u) {
		return u.Phone
	}
	return pii.MaskMobile(u.Phone)
}

// submittedPhone is the phone number to store, nil for the masked number
// the form showed and the administrator left as it was.
func submittedPhone(v url.Values) *string {
	phone := v.Get("phone")
	if strings.Contains(phone, "*") {
		return nil
	}
	return &phone
}

func (s *Server) handleUser(w http.ResponseWriter, r *http.Request) error {
	return s.userPage(w, r, http.StatusOK, newForm(nil, nil), newForm(nil, nil))
}

func (s *Server) handleUserUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	v := r.PostForm
	name, email, disabled := v.Get("name"), v.Get("email"), v.Get("disabled") == "1"
	up := identity.UserUpdate{Name: &name, Phone: submittedPhone(v), Email: &email, Disabled: &disabled}
	if pw := v.Get("password"); pw != "" {
		up.Password = &pw
	}
	_, err = s.svc.Identity.UpdateUser(r.Context(), httpkit.ActorFrom(r.Context()), id, up)
	if apperr.Is(err, apperr.Invalid) {
		v.Del("password")
		return s.userPage(w, r, http.StatusUnprocessableEntity, newForm(v, err), newForm(nil, nil))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, fmt.Sprintf("/admin/users/%d", id), "账号已更新")
}

func (s *Server) handleGrant(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	v := r.PostForm
	var f apperr.Fields
	regionID, err := optionalID(v, "region_id")
	f.AddErr("region_id", err)
	deptID, err := optionalID(v, "department_id")
	f.AddErr("department_id", err)
	err = f.Err()
	if err == nil {
		_, err = s.svc.Identity.GrantRole(r.Context(), httpkit.ActorFrom(r.Context()),
			identity.GrantInput{UserID: id, Role: v.Get("role"), RegionID: regionID, DepartmentID: deptID})
	}
	if apperr.Is(err, apperr.Invalid) {
		return s.userPage(w, r, http.StatusUnprocessableEntity, newForm(nil, nil), newForm(v, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, fmt.Sprintf("/admin/users/%d", id), "已授予角色")
}

func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.svc.Identity.RevokeRole(r.Context(), httpkit.ActorFrom(r.Context()), id); err != nil {
		return err
	}
	back := safeNext(r.PostFormValue("back"))
	return s.redirect(w, r, back, "已撤销角色")
}
