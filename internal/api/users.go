package api

import (
	"context"
	"net/http"
	"time"

	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

// registerUserRoutes serves accounts and their roles. The identity service
// decides who may do what: system administrators manage accounts within
// their scope, anyone may register a public account.
func (s *Server) registerUserRoutes() {
	s.handle("GET /api/v1/users", s.handleUsers)
	s.handle("GET /api/v1/users/{id}", s.handleUser)
	s.handle("POST /api/v1/users", s.handleUserCreate)
	s.handle("PATCH /api/v1/users/{id}", s.handleUserUpdate)
	s.handle("POST /api/v1/users/{id}/grants", s.handleGrantCreate)
	s.handle("DELETE /api/v1/grants/{id}", deleteOne(func(ctx context.Context, a *identity.Actor, id int64) error {
		return s.svc.Identity.RevokeRole(ctx, a, id)
	}))
	s.handle("POST /api/v1/register", s.handleRegister)
}

// userJSON is an account. Never the password hash; the ID number and the
// phone number are masked unless the reader owns the account or is a
// system administrator (identity.CanSeePersonalData).
type userJSON struct {
	ID          int64         `json:"id"`
	Kind        identity.Kind `json:"kind"`
	KindLabel   string        `json:"kind_label"`
	Username    string        `json:"username"`
	Name        string        `json:"name"`
	IDNumber    string        `json:"id_number"`
	CreditCode  string        `json:"credit_code"`
	ContactName string        `json:"contact_name"`
	Phone       string        `json:"phone"`
	Email       string        `json:"email"`
	Disabled    bool          `json:"disabled"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

// userDetailJSON is an account with its roles.
type userDetailJSON struct {
	userJSON
	Grants []grantJSON `json:"grants"`
}

// userView converts users for one reader.
func userView(reader *identity.Actor) func(*identity.User) userJSON {
	return func(u *identity.User) userJSON {
		idNumber, phone := u.IDNumber, u.Phone
		if !identity.CanSeePersonalData(reader, u) {
			idNumber, phone = pii.MaskIDNumber(idNumber), pii.MaskMobile(phone)
		}
		return userJSON{ID: u.ID, Kind: u.Kind, KindLabel: u.Kind.Label(), Username: u.Username, Name: u.Name,
			IDNumber: idNumber, CreditCode: u.CreditCode, ContactName: u.ContactName, Phone: phone, Email: u.Email,
			Disabled: u.Disabled, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
	}
}

// usersJSON is a page of accounts.
type usersJSON struct {
	Items []userJSON `json:"items"`
	Total int        `json:"total"`
}

// userCreateRequest is the body of POST /api/v1/users: a staff account.
type userCreateRequest struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// registerRequest is the body of POST /api/v1/register: a public account.
type registerRequest struct {
	Kind        identity.Kind `json:"kind"`
	Username    string        `json:"username"`
	Name        string        `json:"name"`
	IDNumber    string        `json:"id_number"`
	CreditCode  string        `json:"credit_code"`
	ContactName string        `json:"contact_name"`
	Phone       string        `json:"phone"`
	Email       string        `json:"email"`
	Password    string        `json:"password"`
}

// userUpdateRequest is the body of PATCH /api/v1/users/{id}; absent fields
// stay as they are.
type userUpdateRequest struct {
	Name        *string `json:"name"`
	Phone       *string `json:"phone"`
	Email       *string `json:"email"`
	ContactName *string `json:"contact_name"`
	Disabled    *bool   `json:"disabled"`
	Password    *string `json:"password"`
}

// grantRequest is the body of POST /api/v1/users/{id}/grants.
type grantRequest struct {
	Role         string `json:"role"`
	RegionID     *int64 `json:"region_id"`
	DepartmentID *int64 `json:"department_id"`
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	q := newQuery(r)
	f := identity.UserFilter{Query: q.str("q"), Offset: q.int("offset", 0, 0, 1<<30), Limit: q.int("limit", 50, 1, 200)}
	if k := identity.Kind(q.str("kind")); k != "" {
		q.f.Check(!k.Valid(), "kind", "参数 kind 应为 person、legal 或 staff")
		f.Kind = &k
	}
	if err := q.err(); err != nil {
		return err
	}
	users, total, err := s.svc.Identity.FindUsers(r.Context(), a, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, usersJSON{Items: listOf(users, userView(a)).Items, Total: total})
}

func (s *Server) handleUser(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	u, grants, err := s.svc.Identity.FindUser(r.Context(), a, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, userDetailJSON{userJSON: userView(a)(u), Grants: listOf(grants, toGrant).Items})
}

func (s *Server) handleUserCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	var in userCreateRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	u, err := s.svc.Identity.CreateUser(r.Context(), a, identity.UserInput{Kind: identity.KindStaff, Username: in.Username,
		Name: in.Name, IDNumber: in.IDNumber, Phone: in.Phone, Email: in.Email, Password: in.Password})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, userView(a)(u))
}

func (s *Server) handleUserUpdate(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in userUpdateRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	u, err := s.svc.Identity.UpdateUser(r.Context(), a, id, identity.UserUpdate{Name: in.Name, Phone: in.Phone,
		Email: in.Email, ContactName: in.ContactName, Disabled: in.Disabled, Password: in.Password})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, userView(a)(u))
}

func (s *Server) handleGrantCreate(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in grantRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	g, err := s.svc.Identity.GrantRole(r.Context(), a, identity.GrantInput{UserID: id, Role: in.Role,
		RegionID: in.RegionID, DepartmentID: in.DepartmentID})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, toGrant(g))
}

// handleRegister creates a public account for a citizen or a company. It
// needs no login and tells a stranger nothing about existing accounts.
func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) error {
	var in registerRequest
	if err := decode(r, &in); err != nil {
		return err
	}
	err := s.svc.Identity.Register(r.Context(), identity.UserInput{Kind: in.Kind, Username: in.Username, Name: in.Name,
		IDNumber: in.IDNumber, CreditCode: in.CreditCode, ContactName: in.ContactName, Phone: in.Phone, Email: in.Email,
		Password: in.Password}, httpkit.ClientAddr(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusAccepted, registeredJSON{Message: identity.RegisteredMessage})
}

// registeredJSON is the one answer to a registration that passed its
// checks: the same whether it created an account or found the ID number
// already registered (see identity.RegisteredMessage).
type registeredJSON struct {
	Message string `json:"message"`
}
