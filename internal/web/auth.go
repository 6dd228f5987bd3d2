package web

import (
	"net/http"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
)

func (s *Server) registerAuthRoutes() {
	s.mux.HandleFunc("GET /login", s.h(s.handleLoginForm))
	s.mux.HandleFunc("POST /login", s.h(s.handleLogin))
	s.mux.HandleFunc("POST /logout", s.h(s.handleLogout))
	s.mux.HandleFunc("GET /register", s.h(s.handleRegisterForm))
	s.mux.HandleFunc("POST /register", s.h(s.handleRegister))
	s.mux.HandleFunc("GET /account", s.requireLogin(s.handleAccount))
	s.mux.HandleFunc("POST /account/password", s.requireLogin(s.handlePassword))
}

type loginPage struct {
	Page
	Form form
	Next string
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) error {
	if httpkit.ActorFrom(r.Context()) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	return s.render(w, http.StatusOK, "login", loginPage{Page: s.page(w, r, "登录"), Form: newForm(nil, nil), Next: r.URL.Query().Get("next")})
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) error {
	in := identity.LoginInput{Username: r.PostFormValue("username"), Password: r.PostFormValue("password"),
		Address: httpkit.ClientAddr(r), UserAgent: r.UserAgent()}
	token, a, err := s.svc.Identity.Login(r.Context(), in)
	if err != nil {
		return s.loginFailed(w, r, err)
	}
	s.sessions.SetSession(w, r, token)
	next := safeNext(r.PostFormValue("next"))
	if next == "/" && a.IsStaff() {
		next = "/staff"
	}
	return s.redirect(w, r, next, "欢迎，"+a.Name)
}

// loginFailed shows the login form again with the reason; the password is
// never echoed back.
func (s *Server) loginFailed(w http.ResponseWriter, r *http.Request, err error) error {
	code := apperr.CodeOf(err)
	if code != apperr.Invalid && code != apperr.Unauthenticated && code != apperr.TooMany {
		return err
	}
	r.PostForm.Del("password")
	p := loginPage{Page: s.page(w, r, "登录"), Form: newForm(r.PostForm, err), Next: r.PostFormValue("next")}
	return s.render(w, httpkit.WriteStatus(w, err), "login", p)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.Identity.Logout(r.Context(), httpkit.ActorFrom(r.Context()), httpkit.SessionToken(r)); err != nil {
		return err
	}
	s.sessions.ClearSession(w, r)
	return s.redirect(w, r, "/", "您已安全退出")
}

type registerPage struct {
	Page
	Form form
}

func (s *Server) handleRegisterForm(w http.ResponseWriter, r *http.Request) error {
	f := newForm(nil, nil)
	f.Values.Set("kind", string(identity.KindPerson))
	return s.render(w, http.StatusOK, "register", registerPage{Page: s.page(w, r, "注册账号"), Form: f})
}

func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	in := identity.UserInput{Kind: identity.Kind(v.Get("kind")), Username: v.Get("username"), Name: v.Get("name"),
		IDNumber: v.Get("id_number"), CreditCode: v.Get("credit_code"), ContactName: v.Get("contact_name"),
		Phone: v.Get("phone"), Email: v.Get("email"), Password: v.Get("password")}
	if v.Get("password") != v.Get("password2") {
		return s.registerFailed(w, r, apperr.Field("password2", "两次输入的密码不一致"))
	}
	if err := s.svc.Identity.Register(r.Context(), in, httpkit.ClientAddr(r)); err != nil {
		return s.registerFailed(w, r, err)
	}
	return s.redirect(w, r, "/login", identity.RegisteredMessage)
}

func (s *Server) registerFailed(w http.ResponseWriter, r *http.Request, err error) error {
	if !apperr.Is(err, apperr.Invalid) && !apperr.Is(err, apperr.TooMany) {
		return err
	}
	r.PostForm.Del("password")
	r.PostForm.Del("password2")
	return s.render(w, httpkit.WriteStatus(w, err), "register", registerPage{Page: s.page(w, r, "注册账号"), Form: newForm(r.PostForm, err)})
}

type accountPage struct {
	Page
	User   *identity.User
	Grants []*identity.Grant
	Form   form
}

func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) error {
	return s.showAccount(w, r, http.StatusOK, newForm(nil, nil))
}

func (s *Server) showAccount(w http.ResponseWriter, r *http.Request, status int, f form) error {
	a := httpkit.ActorFrom(r.Context())
	u, grants, err := s.svc.Identity.FindUser(r.Context(), a, a.UserID)
	if err != nil {
		return err
	}
	return s.render(w, status, "account", accountPage{Page: s.page(w, r, "我的账户"), User: u, Grants: grants, Form: f})
}

func (s *Server) handlePassword(w http.ResponseWriter, r *http.Request) error {
	v := r.PostForm
	if v.Get("new_password") != v.Get("new_password2") {
		return s.showAccount(w, r, http.StatusUnprocessableEntity, newForm(nil, apperr.Field("new_password2", "两次输入的新密码不一致")))
	}
	a := httpkit.ActorFrom(r.Context())
	if err := s.svc.Identity.ChangePassword(r.Context(), a, httpkit.SessionToken(r), v.Get("current_password"), v.Get("new_password")); err != nil {
		if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.TooMany) {
			return s.showAccount(w, r, httpkit.WriteStatus(w, err), newForm(nil, err))
		}
		return err
	}
	return s.redirect(w, r, "/account", "密码已修改")
}
