package web

import (
	"fmt"
	"net/http"
	"net/url"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/httpkit"
)

// A draft is resumed in the application form, with what was typed and the
// files already handed in; it is saved again or submitted.

// draftValues are a draft's form values, its files kept.
func draftValues(c *cases.Case) url.Values {
	v := url.Values{}
	for k, x := range c.Form {
		v.Set("form."+k, x)
	}
	keepUploads(v, "material.", c.Materials)
	return v
}

func (s *Server) draftPage(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	c, _, err := s.svc.Cases.Get(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	if c.Status != cases.StatusDraft {
		return apperr.New(apperr.Conflict, "办件 %s 已提交，不能再修改申请内容", c.Number)
	}
	if f == nil {
		nf := newForm(draftValues(c), nil)
		f = &nf
	}
	p := c.Procedure
	return s.showApply(w, r, status, *f, &p, fmt.Sprintf("/cases/%d/edit", c.ID), c)
}

func (s *Server) handleDraftForm(w http.ResponseWriter, r *http.Request) error {
	return s.draftPage(w, r, http.StatusOK, nil)
}

// handleDraft saves or submits a resumed draft.
func (s *Server) handleDraft(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	c, _, err := s.svc.Cases.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := c.Procedure
	in, err := s.applicationOf(r, &p, 0, a)
	if err == nil {
		c, err = s.svc.Cases.UpdateDraft(r.Context(), a, id, in)
	}
	if formError(err) {
		f := s.keptForm(r, in, err)
		return s.draftPage(w, r, http.StatusUnprocessableEntity, &f)
	}
	if err != nil {
		return err
	}
	if c.Status == cases.StatusDraft {
		return s.redirect(w, r, fmt.Sprintf("/cases/%d", c.ID), "草稿已保存")
	}
	return s.redirect(w, r, fmt.Sprintf("/cases/%d", c.ID), "申请已提交。办件编号："+c.Number+"，查询密码可在办件页和申请回执上查看")
}
