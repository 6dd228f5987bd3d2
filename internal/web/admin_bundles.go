package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/catalog"
	"openhall/internal/hall"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
)

// Administrators define 一件事: the items, one per line as 实施编码 with an
// optional condition (实施编码|字段=值), and the shared fields, one per line
// as 名称|类型|是否必填|最小值|最大值|单位|选项（、分隔）|说明|对应事项字段
// (实施编码:字段，以；分隔) — the same one-line-per-entry layout as the
// catalogue's Excel template.

func (s *Server) registerBundleAdminRoutes() {
	admin := func(fn handlerFunc) http.HandlerFunc { return s.requireRole(identity.RoleSysAdmin, fn) }
	s.mux.HandleFunc("GET /admin/bundles", admin(s.handleAdminBundles))
	s.mux.HandleFunc("GET /admin/bundles/new", admin(s.handleBundleForm))
	s.mux.HandleFunc("POST /admin/bundles", admin(s.handleBundleSave))
	s.mux.HandleFunc("GET /admin/bundles/{id}/edit", admin(s.handleBundleForm))
	s.mux.HandleFunc("POST /admin/bundles/{id}", admin(s.handleBundleSave))
	s.mux.HandleFunc("POST /admin/bundles/{id}/status", admin(s.handleBundleStatus))
}

type adminBundlesPage struct {
	Page
	Bundles []*hall.Bundle
	Form    form
	Editing *hall.Bundle
	Regions []option
}

func (s *Server) handleAdminBundles(w http.ResponseWriter, r *http.Request) error {
	bs, err := s.svc.Hall.AdminBundles(r.Context(), httpkit.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "admin/bundles", adminBundlesPage{Page: s.page(w, r, "一件事管理"), Bundles: bs})
}

func (s *Server) bundleForm(w http.ResponseWriter, r *http.Request, status int, f form) error {
	a := httpkit.ActorFrom(r.Context())
	p := adminBundlesPage{Page: s.page(w, r, "编辑一件事"), Form: f}
	rs, err := s.svc.Org.AdminRegions(r.Context(), a)
	if err != nil {
		return err
	}
	for _, x := range rs {
		p.Regions = append(p.Regions, option{idStr(x.ID), fmt.Sprintf("%s（%s）", x.Name, x.Level.Label())})
	}
	if r.PathValue("id") != "" {
		id, err := pathID(r.PathValue("id"))
		if err != nil {
			return err
		}
		if p.Editing, err = s.svc.Hall.Bundle(r.Context(), a, id); err != nil {
			return err
		}
		if f.Values.Get("name") == "" && f.Message == "" {
			p.Form = newForm(bundleValues(p.Editing), nil)
		}
	}
	return s.render(w, status, "admin/bundle_form", p)
}

func (s *Server) handleBundleForm(w http.ResponseWriter, r *http.Request) error {
	return s.bundleForm(w, r, http.StatusOK, newForm(url.Values{"audience": {"person"}}, nil))
}

func (s *Server) handleBundleSave(w http.ResponseWriter, r *http.Request) error {
	id, err := editID(r)
	if err != nil {
		return err
	}
	in, err := bundleInputOf(r.PostForm)
	var b *hall.Bundle
	if err == nil {
		b, err = s.svc.Hall.SaveBundle(r.Context(), httpkit.ActorFrom(r.Context()), id, in)
	}
	if apperr.Is(err, apperr.Invalid) {
		return s.bundleForm(w, r, http.StatusUnprocessableEntity, newForm(r.PostForm, bundleFieldErrors(err)))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, fmt.Sprintf("/admin/bundles/%d/edit", b.ID), "已保存一件事“"+b.Name+"”（"+b.Status.Label()+"）")
}

func (s *Server) handleBundleStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	b, err := s.svc.Hall.SetBundleStatus(r.Context(), httpkit.ActorFrom(r.Context()), id, hall.BundleStatus(r.PostFormValue("status")))
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/admin/bundles", "“"+b.Name+"”"+b.Status.Label())
}

// bundleFieldErrors files a bundle's errors under the form's fields:
// items.N under items, fields.N.… under fields.
func bundleFieldErrors(err error) error {
	fs := apperr.FieldsOf(err)
	if fs == nil {
		return err
	}
	var out apperr.Fields
	for k, msg := range fs {
		out.Add(strings.SplitN(k, ".", 2)[0], msg)
	}
	return &apperr.Error{Code: apperr.Invalid, Message: apperr.MessageOf(err), Fields: out}
}

// bundleInputOf reads the editor's form.
func bundleInputOf(v url.Values) (hall.BundleInput, error) {
	regionID, err := requiredID(v, "region_id", "所属区域")
	in := hall.BundleInput{RegionID: regionID, Name: v.Get("name"), Audience: hall.Audience(v.Get("audience"))}
	in.Summary = v.Get("summary")
	var f apperr.Fields
	f.AddErr("region_id", err)
	in.Items = parseBundleItems(&f, v.Get("items"))
	in.Fields = parseSharedFields(&f, v.Get("fields"))
	return in, f.Err()
}

func nonBlank(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// parseBundleItems reads "实施编码" or "实施编码|字段=值" per line.
func parseBundleItems(f *apperr.Fields, text string) []hall.BundleItem {
	var out []hall.BundleItem
	for i, l := range nonBlank(text) {
		code, cond, has := strings.Cut(l, "|")
		it := hall.BundleItem{ImplCode: strings.TrimSpace(code)}
		if has {
			field, value, ok := strings.Cut(cond, "=")
			if !ok {
				f.Add("items", fmt.Sprintf("第 %d 行的办理条件应写成“字段=值”", i+1))
			}
			it.When = &hall.Condition{Field: strings.TrimSpace(field), Equals: strings.TrimSpace(value)}
		}
		out = append(out, it)
	}
	return out
}

// parseSharedFields reads 名称|类型|是否必填|最小值|最大值|单位|选项|说明|对应事项字段 per line.
func parseSharedFields(f *apperr.Fields, text string) []hall.SharedField {
	var out []hall.SharedField
	for i, l := range nonBlank(text) {
		p := strings.Split(l, "|")
		for len(p) < 9 {
			p = append(p, "")
		}
		sf := hall.SharedField{FormField: catalog.FormField{Name: strings.TrimSpace(p[0]), Unit: strings.TrimSpace(p[5]), Hint: strings.TrimSpace(p[7])}}
		line := fmt.Sprintf("第 %d 行", i+1)
		t, err := catalog.ParseFieldType(strings.TrimSpace(p[1]))
		f.AddErr("fields", wrapLine(line, err))
		sf.Type, sf.Required = t, strings.TrimSpace(p[2]) == "是"
		sf.Min, err = optFloat(p[3])
		f.AddErr("fields", wrapLine(line+"的最小值", err))
		sf.Max, err = optFloat(p[4])
		f.AddErr("fields", wrapLine(line+"的最大值", err))
		if c := strings.TrimSpace(p[6]); c != "" {
			sf.Choices = strings.Split(c, "、")
		}
		for _, m := range strings.Split(p[8], "；") {
			code, field, ok := strings.Cut(strings.TrimSpace(m), ":")
			if strings.TrimSpace(m) != "" && !ok {
				f.Add("fields", line+"的对应事项字段应写成“实施编码:字段”")
			}
			if ok {
				sf.Maps = append(sf.Maps, hall.FieldMap{ImplCode: strings.TrimSpace(code), Field: strings.TrimSpace(field)})
			}
		}
		out = append(out, sf)
	}
	return out
}

func wrapLine(line string, err error) error {
	if err == nil {
		return nil
	}
	return apperr.New(apperr.Invalid, "%s：%s", line, err.Error())
}

func optFloat(s string) (*float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("“%s”不是数字", s)
	}
	return &v, nil
}

// bundleValues writes a bundle as the editor's form values.
func bundleValues(b *hall.Bundle) url.Values {
	v := url.Values{"region_id": {idStr(b.RegionID)}, "name": {b.Name}, "audience": {string(b.Audience)}, "summary": {b.Summary}}
	var items, fields []string
	for _, it := range b.Items {
		l := it.ImplCode
		if it.When != nil {
			l += "|" + it.When.Field + "=" + it.When.Equals
		}
		items = append(items, l)
	}
	for _, sf := range b.Fields {
		var maps []string
		for _, m := range sf.Maps {
			maps = append(maps, m.ImplCode+":"+m.Field)
		}
		req := "否"
		if sf.Required {
			req = "是"
		}
		fields = append(fields, strings.Join([]string{sf.Name, sf.Type.Label(), req, numText(sf.Min), numText(sf.Max), sf.Unit,
			strings.Join(sf.Choices, "、"), sf.Hint, strings.Join(maps, "；")}, "|"))
	}
	v.Set("items", strings.Join(items, "\n"))
	v.Set("fields", strings.Join(fields, "\n"))
	return v
}

func numText(p *float64) string {
	if p == nil {
		return ""
	}
	return fmtNum(*p)
}
