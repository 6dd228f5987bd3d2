package api

import (
	"net/http"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
)

func (s *Server) registerSessionRoutes() {
	s.handle("POST /api/v1/session", s.handleLogin)
	s.handle("DELETE /api/v1/session", s.handleLogout)
	s.handle("GET /api/v1/me", s.handleMe)
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// meResponse describes the logged-in account.
type meResponse struct {
	ID        int64       `json:"id"`
	Kind      string      `json:"kind"`
	Username  string      `json:"username"`
	Name      string      `json:"name"`
	Roles     []string    `json:"roles"`
	Grants    []grantJSON `json:"grants"`
	CSRFToken string      `json:"csrf_token,omitempty"`
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	var in loginRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	token, a, err := s.svc.Identity.Login(r.Context(), identity.LoginInput{Username: in.Username, Password: in.Password,
		Address: httpkit.ClientAddr(r), UserAgent: r.UserAgent()})
	if err != nil {
		return err
	}
	s.sessions.SetSession(w, r, token)
	r.AddCookie(&http.Cookie{Name: httpkit.SessionCookie, Value: token})
	r = r.WithContext(httpkit.WithActor(r.Context(), a))
	me := toMe(a)
	me.CSRFToken = s.sessions.CSRFToken(w, r)
	return writeJSON(w, http.StatusCreated, me)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	if err := s.svc.Identity.Logout(r.Context(), a, httpkit.SessionToken(r)); err != nil {
		return err
	}
	s.sessions.ClearSession(w, r)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	me := toMe(a)
	me.CSRFToken = s.sessions.CSRFToken(w, r)
	return writeJSON(w, http.StatusOK, me)
}

func toMe(a *identity.Actor) meResponse {
	me := meResponse{ID: a.UserID, Kind: string(a.Kind), Username: a.Username, Name: a.Name, Roles: []string{}, Grants: []grantJSON{}}
	for _, role := range a.Roles() {
		me.Roles = append(me.Roles, string(role))
	}
	for _, g := range a.Grants {
		me.Grants = append(me.Grants, toGrant(g))
	}
	return me
}

// grantJSON is a role on a scope.
type grantJSON struct {
	ID           int64  `json:"id"`
	UserID       int64  `json:"user_id"`
	Role         string `json:"role"`
	RoleLabel    string `json:"role_label"`
	RegionID     *int64 `json:"region_id"`
	RegionName   string `json:"region_name,omitempty"`
	DepartmentID *int64 `json:"department_id"`
	DeptName     string `json:"department_name,omitempty"`
}

func toGrant(g *identity.Grant) grantJSON {
	return grantJSON{ID: g.ID, UserID: g.UserID, Role: string(g.Role), RoleLabel: g.Role.Label(), RegionID: g.RegionID,
		RegionName: g.RegionName, DepartmentID: g.DepartmentID, DeptName: g.DeptName}
}

func errNoRoute(r *http.Request) error {
	return apperr.New(apperr.NotFound, "没有这个接口：%s %s（接口文档见 /api/v1/openapi.json）", r.Method, r.URL.Path)
}
