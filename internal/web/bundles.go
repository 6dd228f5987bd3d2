package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"openhall/internal/cases"
	"openhall/internal/hall"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
)

// 一件事一次办 for the public: the list, a bundle's page with its combined
// form, the filing, and the application's one progress page.

func (s *Server) registerBundleRoutes() {
	s.mux.HandleFunc("GET /bundles", s.h(s.handleBundles))
	s.mux.HandleFunc("GET /bundles/{id}", s.h(s.handleBundle))
	s.mux.HandleFunc("POST /bundles/{id}/apply", s.requireLogin(s.handleBundleApply))
	s.mux.HandleFunc("GET /bundle-applications/{id}", s.requireLogin(s.handleBundleApplication))
	s.registerBundleAdminRoutes()
}

type bundlesPage struct {
	Page
	Bundles []*hall.Bundle
}

func (s *Server) handleBundles(w http.ResponseWriter, r *http.Request) error {
	bs, err := s.svc.Hall.Bundles(r.Context(), "")
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "hall/bundles", bundlesPage{Page: s.page(w, r, "一件事一次办"), Bundles: bs})
}

type bundlePage struct {
	Page
	Form    *hall.Form
	Values  form
	Key     string
	CanFile bool   // the viewer may file it
	Why     string // why not, when logged in
}

// Answer is a shared field's value in the form shown again.
func (p bundlePage) Answer(name string) string { return p.Values.Get("shared." + name) }

// Own is an item's own field's value in the form shown again.
func (p bundlePage) Own(code, name string) string { return p.Values.Get("own." + code + "." + name) }

// Kept is the file a material group already received, "" for none.
func (p bundlePage) Kept(key string) string { return p.Values.Get("kept.file." + key) }

func (s *Server) bundlePage(w http.ResponseWriter, r *http.Request, status int, f form) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	bf, err := s.svc.Hall.Form(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := bundlePage{Page: s.page(w, r, bf.Bundle.Name), Form: bf, Values: f, Key: f.Get("key")}
	if p.Key == "" {
		p.Key = newKey()
	}
	switch {
	case a == nil:
	case !a.IsPublic():
		p.Why = "一件事由申请人本人登录个人或法人账号在网上申请"
	case string(a.Kind) != string(bf.Bundle.Audience):
		p.Why = fmt.Sprintf("本一件事面向%s，%s账号不能申请", bf.Bundle.Audience.Label(), a.Kind.Label())
	default:
		p.CanFile = bf.Bundle.Status == hall.BundleActive
	}
	return s.render(w, status, "hall/bundle", p)
}

func (s *Server) handleBundle(w http.ResponseWriter, r *http.Request) error {
	return s.bundlePage(w, r, http.StatusOK, newForm(nil, nil))
}

// handleBundleApply files the combined form: the files are stored first,
// then every case in one transaction; a form with errors comes back with
// what was typed and the files already received.
func (s *Server) handleBundleApply(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	in, err := s.bundleFilingOf(r, id)
	var filed *hall.Filed
	if err == nil {
		filed, err = s.svc.Hall.FileBundle(r.Context(), httpkit.ActorFrom(r.Context()), in)
	}
	if formError(err) {
		v := url.Values{}
		for k, x := range r.PostForm {
			v[k] = x
		}
		for key, m := range in.Files {
			v.Set("kept.file."+key, keptRef(m))
		}
		return s.bundlePage(w, r, httpkit.WriteStatus(w, err), newForm(v, err))
	}
	if err != nil {
		return err
	}
	msg := "一件事已提交。编号：" + filed.Application.Number + "，查询密码：" + filed.QueryCode + "（本页随时可查看）"
	if filed.Repeated {
		msg = "该申请此前已提交，编号 " + filed.Application.Number
	}
	return s.redirect(w, r, fmt.Sprintf("/bundle-applications/%d", filed.Application.ID), msg)
}

// bundleFilingOf reads the combined form: shared answers, each item's own
// fields, and one file per material group (new or kept).
func (s *Server) bundleFilingOf(r *http.Request, id int64) (hall.Filing, error) {
	ups, err := s.readUploads(r, 0, bundleFileRules)
	v := r.PostForm
	in := hall.Filing{BundleID: id, Key: first(v, "key"), Note: first(v, "note"), Shared: map[string]string{},
		Own: map[string]map[string]string{}, Files: map[string]cases.MaterialFile{}}
	for k, vals := range v {
		if len(vals) == 0 {
			continue
		}
		if name, ok := strings.CutPrefix(k, "shared."); ok {
			in.Shared[name] = vals[0]
		} else if rest, ok := strings.CutPrefix(k, "own."); ok {
			code, field, _ := strings.Cut(rest, ".")
			if in.Own[code] == nil {
				in.Own[code] = map[string]string{}
			}
			in.Own[code][field] = vals[0]
		}
	}
	for _, up := range ups {
		key, _ := strings.CutPrefix(up.Field, "file.")
		in.Files[key] = cases.MaterialFile{FileName: up.Name, SHA256: up.Blob.SHA256, Size: up.Blob.Size, MIME: up.Blob.MIME}
	}
	for k, vals := range v {
		if key, ok := strings.CutPrefix(k, "kept.file."); ok && len(vals) > 0 && in.Files[key].SHA256 == "" {
			if m, ok := s.keptFile(r, vals[0]); ok {
				in.Files[key] = m
			}
		}
	}
	return in, err
}

// bundleFileRules takes one file per material group (field file.<key>).
func bundleFileRules(field string) (httpkit.FileRule, bool) {
	return httpkit.FileRule{MaxBytes: cases.MaxMaterialBytes}, strings.HasPrefix(field, "file.")
}

type bundleAppPage struct {
	Page
	View *hall.View
}

// handleBundleApplication is the one progress page of a filed bundle.
func (s *Server) handleBundleApplication(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := s.svc.Hall.Application(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "hall/application", bundleAppPage{Page: s.page(w, r, v.Application.Name), View: v})
}

// canManageBundles: administrators see the bundle pages' management links.
func canManageBundles(a *identity.Actor) bool { return a.Has(identity.RoleSysAdmin) }
