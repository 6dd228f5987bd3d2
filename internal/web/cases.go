package web

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/blob"
	"openhall/internal/cases"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/supervision"
)

func (s *Server) registerCaseRoutes() {
	s.mux.HandleFunc("GET /apply/{version}", s.requireLogin(s.handleApplyForm))
	s.mux.HandleFunc("POST /apply/{version}", s.requireLogin(s.handleApply))
	s.mux.HandleFunc("GET /cases", s.requireLogin(s.handleMyCases))
	s.mux.HandleFunc("GET /cases/{id}", s.requireLogin(s.handleCase))
	s.mux.HandleFunc("POST /cases/{id}/actions", s.requireLogin(s.handleCaseAction))
	s.mux.HandleFunc("POST /cases/{id}/materials", s.requireLogin(s.handleSupplement))
	s.mux.HandleFunc("GET /cases/{id}/materials/{seq}", s.requireLogin(s.handleMaterial))
	s.mux.HandleFunc("GET /cases/{id}/docs/{doc}", s.requireLogin(s.handleCaseDoc))
	s.mux.HandleFunc("GET /progress", s.h(s.handleProgressForm))
	s.mux.HandleFunc("POST /progress", s.h(s.handleProgress))
	s.mux.HandleFunc("GET /staff/intake", s.requireStaff(s.handleIntakeQueue))
	s.mux.HandleFunc("GET /staff/approvals", s.requireStaff(s.handleApprovalQueue))
}

// maxMaterialBytes bounds one uploaded material.
const maxMaterialBytes = 10 << 20

type applyPage struct {
	Page
	Form      form
	Procedure *cases.Procedure
	VersionID int64
	ForOther  bool // a clerk or agent files for someone
	Proxy     bool // a 代办员: needs the signed 委托书
	Key       string
}

func newKey() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Server) applyPage(w http.ResponseWriter, r *http.Request, status int, f form) error {
	version, err := pathID(r.PathValue("version"))
	if err != nil {
		return err
	}
	p, err := s.svc.Cases.Procedure(r.Context(), version)
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	if err := cases.CanFile(a, p, a.IsStaff()); err != nil {
		return err
	}
	key := f.Get("key")
	if key == "" {
		key = newKey()
	}
	page := applyPage{Page: s.page(w, r, "申请："+p.ItemName), Form: f, Procedure: p, VersionID: version,
		ForOther: a.IsStaff(), Proxy: a.Has(identity.RoleProxyAgent) && !a.Has(identity.RoleWindowClerk), Key: key}
	return s.render(w, status, "cases/apply", page)
}

func (s *Server) handleApplyForm(w http.ResponseWriter, r *http.Request) error {
	return s.applyPage(w, r, http.StatusOK, newForm(nil, nil))
}

// handleApply files the application: the uploaded materials are stored
// first (durably), then the case in one transaction.
func (s *Server) handleApply(w http.ResponseWriter, r *http.Request) error {
	version, err := pathID(r.PathValue("version"))
	if err != nil {
		return err
	}
	a := httpkit.ActorFrom(r.Context())
	in, err := s.applicationOf(r, version, a)
	if err == nil {
		var filed *cases.Filed
		if filed, err = s.svc.Cases.File(r.Context(), a, in); err == nil {
			return s.redirect(w, r, fmt.Sprintf("/cases/%d", filed.Case.ID), filedMessage(filed))
		}
	}
	if apperr.Is(err, apperr.Invalid) {
		return s.applyPage(w, r, http.StatusUnprocessableEntity, newForm(r.MultipartForm.Value, err))
	}
	return err
}

func filedMessage(f *cases.Filed) string {
	if f.Repeated {
		return "该申请此前已提交，办件编号 " + f.Case.Number
	}
	if f.Case.Status == cases.StatusDraft {
		return "草稿已保存，办件编号 " + f.Case.Number + "，可随时继续填写后提交"
	}
	return "申请已提交。办件编号：" + f.Case.Number + "，查询密码：" + f.QueryCode + "（请妥善保存，凭编号和密码可随时查询进度）"
}

// applicationOf reads the form: applicant (when filing for someone), the
// item's fields and the uploaded materials.
func (s *Server) applicationOf(r *http.Request, version int64, a *identity.Actor) (cases.FileInput, error) {
	if r.MultipartForm == nil {
		return cases.FileInput{}, apperr.New(apperr.Invalid, "请使用页面上的表单提交申请")
	}
	v := r.MultipartForm.Value
	in := cases.FileInput{ItemVersionID: version, Key: first(v, "key"), Draft: first(v, "draft") == "1", Form: map[string]string{}}
	for k, vals := range v {
		if name, ok := strings.CutPrefix(k, "form."); ok && len(vals) > 0 {
			in.Form[name] = vals[0]
		}
	}
	if a.IsStaff() {
		in.Applicant = &cases.Applicant{Kind: first(v, "applicant_kind"), Name: first(v, "applicant_name"),
			IDNumber: first(v, "applicant_id_number"), CreditCode: first(v, "applicant_credit_code"), Phone: first(v, "applicant_phone")}
	}
	var err error
	in.Materials, err = s.storeUploads(r, r.MultipartForm.File)
	if err != nil {
		return in, err
	}
	if fhs := r.MultipartForm.File["authorization"]; len(fhs) > 0 {
		m, err := s.storeUpload(r, "authorization", fhs[0])
		if err != nil {
			return in, err
		}
		in.Authorization = &m
	}
	return in, nil
}

func first(v url.Values, k string) string {
	if len(v[k]) == 0 {
		return ""
	}
	return strings.TrimSpace(v[k][0])
}

// storeUploads stores every file field named material.<code>, durably,
// before the case that refers to them is written.
func (s *Server) storeUploads(r *http.Request, files map[string][]*multipart.FileHeader) ([]cases.MaterialFile, error) {
	var out []cases.MaterialFile
	var f apperr.Fields
	for field, fhs := range files {
		code, ok := strings.CutPrefix(field, "material.")
		if !ok {
			continue
		}
		for _, fh := range fhs {
			if fh.Size == 0 && fh.Filename == "" {
				continue
			}
			m, err := s.storeUpload(r, field, fh)
			if err != nil {
				f.AddErr(field, err)
				continue
			}
			m.Code = code
			out = append(out, m)
		}
	}
	return out, f.Err()
}

func (s *Server) storeUpload(r *http.Request, field string, fh *multipart.FileHeader) (cases.MaterialFile, error) {
	file, err := fh.Open()
	if err != nil {
		return cases.MaterialFile{}, apperr.Field(field, "无法读取上传的文件，请重新选择")
	}
	defer file.Close()
	b, err := s.svc.Blobs.Put(r.Context(), file, blob.PutOptions{MaxBytes: maxMaterialBytes, Name: fh.Filename})
	if err != nil {
		return cases.MaterialFile{}, err
	}
	return cases.MaterialFile{FileName: fh.Filename, SHA256: b.SHA256, Size: b.Size, MIME: b.MIME}, nil
}

type casesPage struct {
	Page
	Cases   []*cases.Summary
	Total   int
	Heading string
	Queue   string                        // "", "intake" or "approval"
	Cards   map[int64][]*supervision.Card // the cards in force on queued cases
}

func (s *Server) handleMyCases(w http.ResponseWriter, r *http.Request) error {
	a := httpkit.ActorFrom(r.Context())
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	list, total, err := s.svc.Cases.Mine(r.Context(), a, max(offset, 0))
	if err != nil {
		return err
	}
	heading := "我的办件"
	if a.IsStaff() {
		heading = "我代为申请的办件"
	}
	return s.render(w, http.StatusOK, "cases/list", casesPage{Page: s.page(w, r, heading), Cases: list, Total: total, Heading: heading})
}

func (s *Server) handleIntakeQueue(w http.ResponseWriter, r *http.Request) error {
	list, total, err := s.svc.Cases.IntakeQueue(r.Context(), httpkit.ActorFrom(r.Context()), 0)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "cases/list", casesPage{Page: s.page(w, r, "待受理"), Cases: list, Total: total,
		Heading: "待受理的申请", Queue: "intake", Cards: s.queueCards(r, list)})
}

func (s *Server) handleApprovalQueue(w http.ResponseWriter, r *http.Request) error {
	list, total, err := s.svc.Cases.ApprovalQueue(r.Context(), httpkit.ActorFrom(r.Context()), 0)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "cases/list", casesPage{Page: s.page(w, r, "待审批"), Cases: list, Total: total,
		Heading: "待我审批的办件（按到期日排序）", Queue: "approval", Cards: s.queueCards(r, list)})
}
