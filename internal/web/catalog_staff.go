package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/catalog"
	"openhall/internal/catalog/sheet"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/org"
)

// registerCatalogStaffRoutes serves the catalogue work pages: the list and
// review queue, the item form, the review and status actions, Excel.
func (s *Server) registerCatalogStaffRoutes() {
	st := s.requireStaff
	s.mux.HandleFunc("GET /staff/catalog", st(s.handleCatalogWork))
	s.mux.HandleFunc("GET /staff/catalog/new", st(s.handleItemNew))
	s.mux.HandleFunc("POST /staff/catalog", st(s.handleItemCreate))
	s.mux.HandleFunc("GET /staff/catalog/template.xlsx", st(s.handleTemplate))
	s.mux.HandleFunc("GET /staff/catalog/export.xlsx", st(s.handleExport))
	s.mux.HandleFunc("POST /staff/catalog/import", st(s.handleImport))
	s.mux.HandleFunc("POST /staff/catalog/files", st(s.handleFileUpload))
	s.mux.HandleFunc("GET /staff/catalog/{id}", st(s.handleItemWork))
	s.mux.HandleFunc("GET /staff/catalog/{id}/edit", st(s.handleDraftEdit))
	s.mux.HandleFunc("POST /staff/catalog/{id}/draft", st(s.handleDraftSave))
	s.mux.HandleFunc("POST /staff/catalog/{id}/{action}", st(s.handleItemAction))
}

type catalogWorkPage struct {
	Page
	Items   []*catalog.Item
	Queue   []queueEntry
	Message string
	Import  []string // problems of a refused import
}

type queueEntry struct {
	Version *catalog.Version
	Item    *catalog.Item
}

func (s *Server) handleCatalogWork(w http.ResponseWriter, r *http.Request) error {
	return s.catalogWork(w, r, http.StatusOK, nil)
}

// catalogWork shows the actor's items and the versions waiting for them;
// a refused import is shown with every problem.
func (s *Server) catalogWork(w http.ResponseWriter, r *http.Request, status int, importErr error) error {
	a := httpkit.ActorFrom(r.Context())
	if err := catalog.CanWork(a); err != nil {
		return err
	}
	p := catalogWorkPage{Page: s.page(w, r, "事项管理")}
	vs, err := s.svc.Catalog.Queue(r.Context(), a, catalog.StateDraft, catalog.StateSubmitted, catalog.StateRejected)
	if err != nil {
		return err
	}
	for _, v := range vs {
		it, err := s.svc.Catalog.Item(r.Context(), v.ItemID)
		if err != nil {
			return err
		}
		p.Queue = append(p.Queue, queueEntry{v, it})
	}
	if p.Items, _, err = s.svc.Catalog.Items(r.Context(), catalog.ItemFilter{Limit: catalog.MaxPage, PathPrefix: ownPath(a)}); err != nil {
		return err
	}
	if importErr != nil {
		p.Message, p.Import = apperr.MessageOf(importErr), sheet.ProblemsOf(importErr)
	}
	return s.render(w, status, "catalog/work", p)
}

// ownPath narrows the work list to the actor's region when they have one
// region-bound grant; the services still decide every action.
func ownPath(a *identity.Actor) string {
	if a.IsGlobalAdmin() || len(a.Grants) != 1 {
		return ""
	}
	return a.Grants[0].RegionPath
}

type itemFormPage struct {
	Page
	Form    form
	Fields  []sheet.Field
	Item    *catalog.Item
	Version *catalog.Version
	Depts   []option
	Options map[string][]option
	Hints   map[string]string
}

// listHints explain the line format of each list field.
var listHints = map[string]string{
	"legal_bases":        "每行一项：法律法规名称|条款|条文摘要，如 《中华人民共和国食品安全法》|第三十五条",
	"materials":          "每行一项：名称|来源渠道|出具单位|原件份数|复印件份数|必要或按情形提交|提交情形|上传电子件、窗口出示原件或领取时签署|空白表格文件号|样表文件号|备注",
	"steps":              "每行一个环节：名称|窗口人员、审批人员或部门负责人|时限|时限单位|窗口用时（分钟）|等候（分钟）|是否并行|办理部门信用代码|说明",
	"special_procedures": "每行一项：延长审批或除延长审批之外的情况|名称|是否中止计时|时限|时限单位|依据",
	"fees.items":         "每行一项：名称|收费依据|收费标准|金额（元）|计费数量|基数（元）|单价（元）|免计数量|最低（元）|最高（元）",
	"faqs":               "每行一问：问题|解答",
	"co_departments":     "每行一个部门的统一社会信用代码",
	"audiences":          "以、分隔：自然人、企业法人、事业法人、社会组织法人、行政机关、其他组织",
	"forms":              "以、分隔：窗口办理、网上办理、移动端办理、快递申请、其他",
}

// itemForm renders the create form (item nil) or the draft form.
func (s *Server) itemForm(w http.ResponseWriter, r *http.Request, status int, it *catalog.Item, v *catalog.Version, f form) error {
	p := itemFormPage{Page: s.page(w, r, "新建事项"), Form: f, Fields: sheet.Fields(), Item: it, Version: v, Options: codeOptions(), Hints: listHints}
	if it != nil {
		p.Title = "编辑事项：" + it.Name
	}
	ds, err := s.svc.Org.Departments(r.Context(), org.DepartmentFilter{})
	if err != nil {
		return err
	}
	for _, d := range ds {
		p.Depts = append(p.Depts, option{d.CreditCode, d.Name + "（" + d.RegionName + "）"})
	}
	return s.render(w, status, "catalog/form", p)
}

// codeOptions are the choices of the form's code-table fields, by label.
func codeOptions() map[string][]option {
	m := map[string][]option{}
	add := func(field string, labels ...string) {
		for _, l := range labels {
			m[field] = append(m[field], option{l, l})
		}
	}
	for _, t := range catalog.ItemTypes() {
		add("type", t.Label())
	}
	for _, l := range catalog.Levels() {
		add("level", l.Label())
	}
	for _, n := range catalog.SubjectNatures() {
		add("subject.nature", n.Label())
	}
	for _, k := range catalog.CaseKinds() {
		add("kind", k.Label())
	}
	for _, sc := range catalog.Scopes() {
		add("scope", sc.Label())
	}
	for _, u := range []calendar.Unit{calendar.UnitWorkday, calendar.UnitNaturalDay, calendar.UnitHour} {
		add("legal_limit.unit", u.Label())
		add("promised_limit.unit", u.Label())
	}
	add("result.type", "证照", "批准文书", "其他")
	add("fees", "否", "是")
	for _, b := range []string{"online", "appointment", "delivery"} {
		add(b, "否", "是")
	}
	return m
}

func (s *Server) handleItemNew(w http.ResponseWriter, r *http.Request) error {
	in := catalog.ItemInput{Guide: catalog.Guide{Kind: catalog.KindPromised, Scope: catalog.ScopeNone,
		Subject: catalog.Subject{Nature: catalog.NatureStatutory}, Forms: []catalog.HandlingForm{catalog.FormWindow}}}
	in.Guide.LegalLimit.Unit, in.Guide.PromisedLimit.Unit = calendar.UnitWorkday, calendar.UnitWorkday
	return s.itemForm(w, r, http.StatusOK, nil, nil, valuesForm(sheet.FormValues(&in), nil))
}

// valuesForm turns field values into a form, mapping catalogue errors to
// the form fields that show them.
func valuesForm(values map[string]string, err error) form {
	v := url.Values{}
	for k, x := range values {
		v.Set(k, x)
	}
	f := newForm(v, err)
	if len(f.Errors) > 0 {
		mapped := map[string]string{}
		for k, msg := range f.Errors {
			k = sheet.FormField(k)
			if mapped[k] != "" {
				msg = mapped[k] + "；" + msg
			}
			mapped[k] = msg
		}
		f.Errors = mapped
	}
	return f
}

// parseItemForm reads the posted form through the sheet layout, so that
// the form, the Excel template and the demo data read alike.
func parseItemForm(r *http.Request) (catalog.ItemInput, map[string]string, error) {
	values := map[string]string{}
	for _, fd := range sheet.Fields() {
		values[fd.Name] = r.PostForm.Get(fd.Name)
	}
	in, errs := sheet.Parse(sheet.FromForm(func(name string) string { return values[name] }))
	var f apperr.Fields
	for _, e := range errs {
		f.Add(e.FormField(), e.Message)
	}
	return in, values, f.Err()
}

func (s *Server) handleItemCreate(w http.ResponseWriter, r *http.Request) error {
	in, values, err := parseItemForm(r)
	var it *catalog.Item
	if err == nil {
		it, _, err = s.svc.Catalog.CreateItem(r.Context(), httpkit.ActorFrom(r.Context()), in)
	}
	if apperr.Is(err, apperr.Invalid) {
		return s.itemForm(w, r, http.StatusUnprocessableEntity, nil, nil, valuesForm(values, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/catalog/"+idStr(it.ID), "已创建事项草稿："+it.Name)
}

// workItem loads the item of the path.
func (s *Server) workItem(r *http.Request) (*catalog.Item, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return s.svc.Catalog.Item(r.Context(), id)
}

type itemWorkPage struct {
	Page
	Item     *catalog.Item
	Versions []*catalog.Version
	Open     *catalog.Version
	Form     form
	Today    string
	// What the actor may do here (catalog.CanEdit, CanReview,
	// CanChangeStatus): only those forms are shown.
	CanEdit, CanReview, CanStatus bool
}

func (s *Server) handleItemWork(w http.ResponseWriter, r *http.Request) error {
	return s.itemWork(w, r, http.StatusOK, newForm(nil, nil))
}

// itemWork shows an item's versions and the actions the actor may take.
func (s *Server) itemWork(w http.ResponseWriter, r *http.Request, status int, f form) error {
	it, err := s.workItem(r)
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	vs, err := s.svc.Catalog.Versions(r.Context(), a, it)
	if err != nil {
		return err
	}
	p := itemWorkPage{Page: s.page(w, r, "事项："+it.Name), Item: it, Versions: vs, Form: f, Today: s.svc.Catalog.Today().String()}
	if len(vs) > 0 && vs[0].State.Open() {
		p.Open = vs[0]
	}
	path, err := s.svc.Org.RegionPath(r.Context(), it.RegionID)
	if err != nil {
		return err
	}
	p.CanEdit = catalog.CanEdit(a, path, it.DepartmentID) == nil
	p.CanReview = catalog.CanReview(a, path, it.DepartmentID) == nil
	p.CanStatus = catalog.CanChangeStatus(a, path, it.DepartmentID) == nil
	return s.render(w, status, "catalog/item", p)
}

func (s *Server) handleDraftEdit(w http.ResponseWriter, r *http.Request) error {
	it, err := s.workItem(r)
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	v, err := s.svc.Catalog.OpenVersion(r.Context(), a, it)
	if apperr.Is(err, apperr.NotFound) {
		v, err = s.svc.Catalog.CurrentVersion(r.Context(), it.ID)
	}
	if err != nil {
		return err
	}
	in := catalog.ItemInput{Code: it.Code, ImplCode: it.ImplCode, DeptCode: it.DepartmentCode, Guide: v.Guide}
	return s.itemForm(w, r, http.StatusOK, it, v, valuesForm(sheet.FormValues(&in), nil))
}

func (s *Server) handleDraftSave(w http.ResponseWriter, r *http.Request) error {
	it, err := s.workItem(r)
	if err != nil {
		return err
	}
	in, values, err := parseItemForm(r)
	var v *catalog.Version
	if err == nil {
		v, err = s.svc.Catalog.SaveDraft(r.Context(), httpkit.ActorFrom(r.Context()), it.ID, in.Guide)
	}
	if apperr.Is(err, apperr.Invalid) {
		return s.itemForm(w, r, http.StatusUnprocessableEntity, it, nil, valuesForm(values, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/catalog/"+idStr(it.ID), "已保存第 "+idStr(int64(v.Number))+" 版草稿")
}

// itemActions are the review and status actions, with their flash text.
var itemActions = map[string]string{"submit": "已提交审核", "approve": "已审核通过并发布", "reject": "已退回修改",
	"suspend": "已暂停办理", "resume": "已恢复办理", "cancel": "已取消该事项"}

// handleItemAction runs one review or status action from the item page.
func (s *Server) handleItemAction(w http.ResponseWriter, r *http.Request) error {
	action := r.PathValue("action")
	msg, ok := itemActions[action]
	if !ok {
		return apperr.New(apperr.NotFound, "页面不存在")
	}
	it, err := s.workItem(r)
	if err != nil {
		return err
	}
	if err = s.runItemAction(r, action, it.ID); apperr.Is(err, apperr.Invalid) {
		return s.itemWork(w, r, http.StatusUnprocessableEntity, newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/catalog/"+idStr(it.ID), msg+"："+it.Name)
}

func (s *Server) runItemAction(r *http.Request, action string, id int64) error {
	ctx, a, v := r.Context(), httpkit.ActorFrom(r.Context()), r.PostForm
	date, err := optionalDate(v.Get("date"))
	if err != nil {
		return err
	}
	st := catalog.StatusInput{Reason: v.Get("reason"), Date: date}
	switch action {
	case "submit":
		_, err = s.svc.Catalog.Submit(ctx, a, id)
	case "approve":
		_, err = s.svc.Catalog.Approve(ctx, a, id, catalog.ReviewInput{EffectiveDate: date, Note: v.Get("note")})
	case "reject":
		_, err = s.svc.Catalog.Reject(ctx, a, id, v.Get("reason"))
	case "suspend":
		_, err = s.svc.Catalog.Suspend(ctx, a, id, st)
	case "resume":
		_, err = s.svc.Catalog.Resume(ctx, a, id, st)
	case "cancel":
		_, err = s.svc.Catalog.Cancel(ctx, a, id, st)
	}
	return err
}

// optionalDate reads a YYYY-MM-DD field; blank is the zero date.
func optionalDate(s string) (calendar.Date, error) {
	if strings.TrimSpace(s) == "" {
		return calendar.Date{}, nil
	}
	d, err := calendar.ParseDate(strings.TrimSpace(s))
	if err != nil {
		return d, apperr.Field("date", err.Error())
	}
	return d, nil
}

func (s *Server) handleTemplate(w http.ResponseWriter, r *http.Request) error {
	return sheet.Send(w, "事项目录导入模板.xlsx", nil)
}

func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) error {
	ins, err := s.svc.Catalog.Export(r.Context(), catalog.SearchQuery{})
	if err != nil {
		return err
	}
	return sheet.Send(w, "事项目录.xlsx", ins)
}

// maxWorkbookBytes bounds an uploaded workbook, maxCatalogFileBytes a
// blank form or sample (catalog keeps it in the database).
const (
	maxWorkbookBytes    = 32 << 20
	maxCatalogFileBytes = catalog.MaxFileBytes
)

// uploaded reads the one file of a multipart form field into memory.
func (s *Server) uploaded(r *http.Request, field string, max int64) (httpkit.Upload, error) {
	ups, err := s.readUploads(r, 0, memoryFile(field, max))
	if err == nil && len(ups) == 0 {
		err = apperr.Field(field, "请选择要上传的文件（不超过 "+httpkit.HumanSize(max)+"）")
	}
	if err != nil {
		return httpkit.Upload{}, err
	}
	return ups[0], nil
}

// handleImport creates drafts from an uploaded workbook, all or nothing.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) error {
	up, err := s.uploaded(r, "file", maxWorkbookBytes)
	var its []*catalog.Item
	if err == nil {
		var rows []catalog.ImportRow
		if rows, err = sheet.Read(bytes.NewReader(up.Data)); err == nil {
			its, err = s.svc.Catalog.Import(r.Context(), httpkit.ActorFrom(r.Context()), rows)
		}
	}
	if apperr.Is(err, apperr.Invalid) {
		return s.catalogWork(w, r, http.StatusUnprocessableEntity, err)
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/staff/catalog", "已导入 "+idStr(int64(len(its)))+" 个事项草稿，请逐项提交审核")
}

// handleFileUpload stores a blank form or sample and says its number, to
// be named in a material of a guide.
func (s *Server) handleFileUpload(w http.ResponseWriter, r *http.Request) error {
	up, err := s.uploaded(r, "file", maxCatalogFileBytes)
	if err == nil {
		var f *catalog.File
		if f, err = s.svc.Catalog.AddFile(r.Context(), httpkit.ActorFrom(r.Context()), up.Name, up.ContentType, up.Data); err == nil {
			return s.redirect(w, r, "/staff/catalog", "已上传文件“"+f.Name+"”，文件编号 "+idStr(f.ID)+"：在申请材料中填写该编号即可供下载")
		}
	}
	if apperr.Is(err, apperr.Invalid) {
		return s.catalogWork(w, r, http.StatusUnprocessableEntity, err)
	}
	return err
}
