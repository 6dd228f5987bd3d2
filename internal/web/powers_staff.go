package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/catalog"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/org"
	"openhall/internal/powers"
	"openhall/internal/tabular"
)

func (s *Server) registerPowerStaffRoutes() {
	s.mux.HandleFunc("GET /staff/powers", s.requireStaff(s.handlePowerDesk))
	s.mux.HandleFunc("GET /staff/powers/new", s.requireStaff(s.handlePowerNew))
	s.mux.HandleFunc("POST /staff/powers", s.requireStaff(s.handlePowerCreate))
	s.mux.HandleFunc("POST /staff/powers/{id}/draft", s.requireStaff(s.handlePowerRedraft))
	s.mux.HandleFunc("GET /staff/powers/versions/{id}", s.requireStaff(s.handlePowerVersion))
	s.mux.HandleFunc("POST /staff/powers/versions/{id}/{action}", s.requireStaff(s.handlePowerAction))
}

func actorOf(r *http.Request) *identity.Actor { return httpkit.ActorFrom(r.Context()) }

type powerDeskPage struct {
	Page
	Powers []*powers.Power
	CanAdd bool // the actor edits some department's list
}

func (s *Server) handlePowerDesk(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.svc.Powers.Managed(r.Context(), actorOf(r))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "powers/desk", powerDeskPage{Page: s.page(w, r, "权责清单管理"), Powers: ps,
		CanAdd: len(s.editableDepts(r)) > 0})
}

type powerFormPage struct {
	Page
	Form    form
	P       *powers.Power
	V       *powers.Version
	Depts   []option
	Types   []option
	Items   []option
	Edit    bool
	Review  bool
	Message string   // a refused workbook's summary
	Import  []string // and its problems
}

func (s *Server) handlePowerNew(w http.ResponseWriter, r *http.Request) error {
	return s.powerForm(w, r, http.StatusOK, nil, nil, newForm(url.Values{"type": {string(catalog.TypePenalty)}}, nil))
}

// powerForm shows the form of a new power (p nil) or of a version.
func (s *Server) powerForm(w http.ResponseWriter, r *http.Request, status int, p *powers.Power, v *powers.Version, f form) error {
	pg := powerFormPage{Page: s.page(w, r, "新增职权"), Form: f, P: p, V: v, Edit: true}
	if p != nil {
		pg.Title = p.Name + " · 第 " + strconv.Itoa(v.Number) + " 版"
		pg.Edit, pg.Review = powers.CanEdit(actorOf(r), p) == nil, powers.CanReview(actorOf(r), p, v) == nil
		return s.renderPowerForm(w, r, status, &pg, p.DepartmentID)
	}
	pg.Depts = s.editableDepts(r)
	if len(pg.Depts) == 0 {
		return apperr.New(apperr.Forbidden, "只有部门的审批人员、部门负责人或区域系统管理员可以编制权责清单")
	}
	return s.renderPowerForm(w, r, status, &pg, 0)
}

func (s *Server) renderPowerForm(w http.ResponseWriter, r *http.Request, status int, pg *powerFormPage, deptID int64) error {
	for _, t := range catalog.ItemTypes() {
		if t != catalog.TypePower {
			pg.Types = append(pg.Types, option{string(t), t.Label()})
		}
	}
	if deptID != 0 {
		its, _, err := s.svc.Catalog.Items(r.Context(), catalog.ItemFilter{DepartmentID: deptID, Limit: catalog.MaxPage})
		if err != nil {
			return err
		}
		for _, it := range its {
			pg.Items = append(pg.Items, option{idStr(it.ID), it.Name + "（" + it.Type.Label() + "）"})
		}
	}
	return s.render(w, status, "powers/form", pg)
}

// editableDepts are the departments whose lists the actor may edit
// (powers.CanEdit): those they approve in or head, and every department of
// the regions they administer.
func (s *Server) editableDepts(r *http.Request) []option {
	a := actorOf(r)
	var out []option
	seen := map[int64]bool{}
	add := func(d *org.Department) {
		if !seen[d.ID] {
			seen[d.ID] = true
			out = append(out, option{idStr(d.ID), d.Name})
		}
	}
	for _, g := range a.Grants {
		if (g.Role == identity.RoleApprover || g.Role == identity.RoleDeptHead) && g.DepartmentID != nil {
			if d, err := s.svc.Org.Department(r.Context(), *g.DepartmentID); err == nil {
				add(d)
			}
		}
	}
	if ds, err := s.svc.Org.AdminDepartments(r.Context(), a); err == nil {
		for _, d := range ds {
			add(d)
		}
	}
	return out
}

// powerContent reads a version's content from the form.
func powerContent(v url.Values) (powers.Content, error) {
	c := powers.Content{Name: v.Get("name"), Type: catalog.ItemType(v.Get("type")), Subject: v.Get("subject"),
		Undertaker: v.Get("undertaker"), Process: v.Get("process"), Supervision: v.Get("supervision"),
		Duties: lines(v.Get("duties")), Accountability: lines(v.Get("accountability"))}
	for _, l := range lines(v.Get("bases")) {
		law, article, _ := strings.Cut(l, "|")
		c.Bases = append(c.Bases, powers.Basis{Law: law, Article: article})
	}
	for _, id := range v["item_ids"] {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil {
			c.ItemIDs = append(c.ItemIDs, n)
		}
	}
	var err error
	if c.Benchmarks, err = powers.ParseBenchmarkLines(v.Get("benchmarks")); err != nil {
		return c, apperr.Field("benchmarks", "裁量基准"+err.Error())
	}
	return c, nil
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// contentValues fills a form with a version's content.
func contentValues(c powers.Content) url.Values {
	v := url.Values{"name": {c.Name}, "type": {string(c.Type)}, "subject": {c.Subject}, "undertaker": {c.Undertaker},
		"process": {c.Process}, "supervision": {c.Supervision}, "duties": {strings.Join(c.Duties, "\n")},
		"accountability": {strings.Join(c.Accountability, "\n")}, "benchmarks": {powers.FormatBenchmarkLines(c.Benchmarks)}}
	var bases []string
	for _, b := range c.Bases {
		bases = append(bases, b.Law+"|"+b.Article)
	}
	v.Set("bases", strings.Join(bases, "\n"))
	for _, id := range c.ItemIDs {
		v.Add("item_ids", idStr(id))
	}
	return v
}

func (s *Server) handlePowerCreate(w http.ResponseWriter, r *http.Request) error {
	c, err := powerContent(r.PostForm)
	var v *powers.Version
	if err == nil {
		dept, _ := strconv.ParseInt(r.PostForm.Get("department_id"), 10, 64)
		_, v, err = s.svc.Powers.Create(r.Context(), actorOf(r), powers.Input{DepartmentID: dept, Code: r.PostForm.Get("code"), Content: c})
	}
	if apperr.Is(err, apperr.Invalid) {
		return s.powerForm(w, r, http.StatusUnprocessableEntity, nil, nil, newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/powers/versions/"+idStr(v.ID), "已保存职权草稿")
}

func (s *Server) handlePowerVersion(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	v, p, err := s.svc.Powers.Version(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	return s.powerForm(w, r, http.StatusOK, p, v, newForm(contentValues(v.Content), nil))
}

func (s *Server) handlePowerRedraft(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := s.svc.Powers.NewDraft(r.Context(), actorOf(r), id)
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/powers/versions/"+idStr(v.ID), "已新建第 "+strconv.Itoa(v.Number)+" 版草稿")
}

// handlePowerAction saves, submits, approves or rejects a version, or
// imports its benchmark from a workbook.
func (s *Server) handlePowerAction(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	action := r.PathValue("action")
	v, err := s.powerStep(w, r, id, action)
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) || apperr.Is(err, apperr.Forbidden) {
		return s.powerRefused(w, r, id, action, err)
	}
	if err != nil {
		return err
	}
	msg := map[string]string{"save": "已保存草稿", "submit": "已提交审核", "approve": "已审核发布", "reject": "已退回",
		"import": "已导入裁量基准 " + strconv.Itoa(len(v.Content.Benchmarks)) + " 条"}[action]
	return s.redirect(w, r, "/staff/powers/versions/"+idStr(v.ID), msg)
}

func (s *Server) powerStep(w http.ResponseWriter, r *http.Request, id int64, action string) (*powers.Version, error) {
	ctx, a := r.Context(), actorOf(r)
	switch action {
	case "save":
		c, err := powerContent(r.PostForm)
		if err != nil {
			return nil, err
		}
		return s.svc.Powers.SaveDraft(ctx, a, id, c)
	case "submit":
		return s.svc.Powers.Submit(ctx, a, id)
	case "approve":
		return s.svc.Powers.Approve(ctx, a, id)
	case "reject":
		return s.svc.Powers.Reject(ctx, a, id, r.PostForm.Get("reason"))
	case "import":
		up, err := s.uploaded(r, "file", maxWorkbookBytes)
		if err != nil {
			return nil, err
		}
		rows, err := powers.ReadBenchmarks(bytes.NewReader(up.Data))
		if err != nil {
			return nil, err
		}
		return s.svc.Powers.ImportBenchmarks(ctx, a, id, rows)
	}
	return nil, apperr.New(apperr.NotFound, "页面不存在")
}

// powerRefused shows the version again with the form as typed (a save) or
// as stored (other steps), and the reason.
func (s *Server) powerRefused(w http.ResponseWriter, r *http.Request, id int64, action string, err error) error {
	v, p, gerr := s.svc.Powers.Version(r.Context(), actorOf(r), id)
	if gerr != nil {
		return gerr
	}
	f := newForm(contentValues(v.Content), err)
	if action == "save" {
		f = newForm(r.PostForm, err)
	}
	pg := powerFormPage{Page: s.page(w, r, p.Name), Form: f, P: p, V: v}
	pg.Title = p.Name + " · 第 " + strconv.Itoa(v.Number) + " 版"
	pg.Edit, pg.Review = powers.CanEdit(actorOf(r), p) == nil, powers.CanReview(actorOf(r), p, v) == nil
	if action == "import" {
		pg.Message, pg.Import = apperr.MessageOf(err), tabular.ProblemsOf(err)
	}
	return s.renderPowerForm(w, r, http.StatusUnprocessableEntity, &pg, p.DepartmentID)
}
