package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/blob"
	"openhall/internal/cases"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

func (s *Server) registerCaseRoutes() {
	s.handle("POST /api/v1/uploads", s.handleUpload)
	s.handle("GET /api/v1/procedures/{version}", s.handleProcedure)
	s.handle("POST /api/v1/cases", s.handleFile)
	s.handle("GET /api/v1/cases", s.handleMyCases)
	s.handle("GET /api/v1/cases/{id}", s.handleCase)
	s.handle("POST /api/v1/cases/{id}/actions", s.handleCaseAction)
	s.handle("GET /api/v1/queues/intake", s.handleIntake)
	s.handle("GET /api/v1/queues/approval", s.handleApprovals)
	s.handle("POST /api/v1/progress", s.handleProgress)
	s.registerCaseDeskRoutes()
}

// maxFilingBytes bounds the files of a multipart filing before its item is
// known; readFiling lowers it to the item's materials.
const maxFilingBytes = 64 << 20

// uploadJSON describes a stored file a case can refer to.
type uploadJSON struct {
	SHA256   string `json:"sha256"`
	Size     int64  `json:"size"`
	MIME     string `json:"mime"`
	FileName string `json:"file_name"`
}

// handleUpload stores one material (multipart field "file") and returns its
// address. Content decides the type; a disguised file is refused.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	if err := s.svc.Cases.AllowUpload(r.Context(), a); err != nil {
		return err
	}
	p, err := httpkit.OpenParts(w, r, 0)
	if err != nil {
		return err
	}
	ups, err := p.Files(r.Context(), s.svc.Blobs, func(field string) (httpkit.FileRule, bool) {
		return httpkit.FileRule{MaxBytes: cases.MaxMaterialBytes}, field == "file"
	})
	if err != nil {
		return err
	}
	if len(ups) != 1 {
		return apperr.Field("file", "请以 multipart/form-data 的 file 字段上传一个文件（不超过 10 MB）")
	}
	b := ups[0].Blob
	if err := s.svc.Cases.Uploaded(r.Context(), a, b.SHA256); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, uploadJSON{SHA256: b.SHA256, Size: b.Size, MIME: b.MIME, FileName: ups[0].Name})
}

func (s *Server) handleProcedure(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "version")
	if err != nil {
		return err
	}
	p, err := s.svc.Cases.Procedure(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// fileRequest is the body of POST /api/v1/cases.
type fileRequest struct {
	ItemVersionID int64             `json:"item_version_id"`
	Applicant     *applicantJSON    `json:"applicant"`
	Form          map[string]string `json:"form"`
	Materials     []materialRef     `json:"materials"`
	Authorization *materialRef      `json:"authorization"`
	Draft         bool              `json:"draft"`
}

type applicantJSON struct {
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	IDNumber   string `json:"id_number"`
	CreditCode string `json:"credit_code"`
	Phone      string `json:"phone"`
}

// materialRef names an uploaded file as one of the item's materials, by its
// SHA-256: a file the account uploaded, or one among its own cases'
// materials (see cases.Service.MayName).
type materialRef struct {
	Code     string `json:"code"`
	SHA256   string `json:"sha256"`
	FileName string `json:"file_name"`
}

// handleFile files an application. The Idempotency-Key header is required:
// a retried request returns the first case (200) instead of a second one.
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	in, uploaded, err := s.readFiling(w, r)
	if err != nil {
		return err
	}
	fi, err := s.fileInput(r.Context(), a, in, r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	fi.Materials = append(fi.Materials, uploaded...)
	filed, err := s.svc.Cases.File(r.Context(), a, fi)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if filed.Repeated {
		status = http.StatusOK
	}
	cl, err := s.svc.Cases.Clocks(filed.Case)
	if err != nil {
		return err
	}
	out := s.caseJSON(a, filed.Case, &cl)
	out.QueryCode = filed.QueryCode
	return writeJSON(w, status, out)
}

// readFiling reads the application as JSON, or as multipart/form-data with
// the JSON in the "case" field, before the files, and the files in
// "material.<code>" fields, so that an application and its materials can
// travel in one request. The files stream into the blob store as they
// arrive, within what the item's materials may hold.
func (s *Server) readFiling(w http.ResponseWriter, r *http.Request) (fileRequest, []cases.MaterialFile, error) {
	var in fileRequest
	if !httpkit.IsMultipart(r) {
		return in, nil, decode(r, &in)
	}
	p, err := httpkit.OpenParts(w, r, 0)
	if err != nil {
		return in, nil, err
	}
	if err := decodeString(p.Values.Get("case"), &in); err != nil {
		return in, nil, err
	}
	// Filing checks that the item accepts applications; the limits of the
	// files come from the version alone.
	proc, err := s.svc.Cases.PublishedProcedure(r.Context(), in.ItemVersionID)
	if err != nil {
		return in, nil, err
	}
	p.Limit(proc.UploadBytes() + httpkit.MaxFieldBytes + httpkit.MultipartOverhead)
	ups, err := p.Files(r.Context(), s.svc.Blobs, func(field string) (httpkit.FileRule, bool) {
		code, ok := strings.CutPrefix(field, "material.")
		return httpkit.FileRule{MaxBytes: cases.MaxMaterialBytes}, ok && proc.Uploads(code)
	})
	out := make([]cases.MaterialFile, 0, len(ups))
	for _, up := range ups {
		code, _ := strings.CutPrefix(up.Field, "material.")
		out = append(out, cases.MaterialFile{Code: code, FileName: up.Name, SHA256: up.Blob.SHA256, Size: up.Blob.Size, MIME: up.Blob.MIME})
	}
	return in, out, err
}

func (s *Server) fileInput(ctx context.Context, a *identity.Actor, in fileRequest, key string) (cases.FileInput, error) {
	if strings.TrimSpace(key) == "" {
		return cases.FileInput{}, apperr.New(apperr.Invalid, "请在 Idempotency-Key 请求头中提供本次提交的唯一标识，重试时使用同一标识")
	}
	fi := cases.FileInput{ItemVersionID: in.ItemVersionID, Form: in.Form, Draft: in.Draft, Key: key}
	if fi.Form == nil {
		fi.Form = map[string]string{}
	}
	if a := in.Applicant; a != nil {
		fi.Applicant = &cases.Applicant{Kind: a.Kind, Name: a.Name, IDNumber: a.IDNumber, CreditCode: a.CreditCode, Phone: a.Phone}
	}
	var err error
	if fi.Materials, err = s.materials(ctx, a, in.Materials); err != nil {
		return fi, err
	}
	if in.Authorization != nil {
		ms, err := s.materials(ctx, a, []materialRef{*in.Authorization})
		if err != nil {
			return fi, err
		}
		fi.Authorization = &ms[0]
	}
	return fi, nil
}

// materials resolves references to files the account uploaded. A file it
// may not name is answered as one that does not exist.
func (s *Server) materials(ctx context.Context, a *identity.Actor, refs []materialRef) ([]cases.MaterialFile, error) {
	var out []cases.MaterialFile
	var f apperr.Fields
	for _, m := range refs {
		field := "material." + m.Code
		mine, err := s.svc.Cases.MayName(ctx, a, m.SHA256)
		if err != nil {
			return nil, err
		}
		ok, err := s.svc.Blobs.Exists(m.SHA256)
		if err != nil || !ok || !mine {
			f.Add(field, "找不到该文件，请先通过 POST /api/v1/uploads 上传")
			continue
		}
		rc, b, err := s.svc.Blobs.Open(m.SHA256)
		if err != nil {
			return nil, err
		}
		rc.Close()
		out = append(out, cases.MaterialFile{Code: m.Code, FileName: blob.NameOr(m.FileName, b), SHA256: b.SHA256, Size: b.Size, MIME: b.MIME})
	}
	return out, f.Err()
}

// caseJSON is a case as the API shows it.
type caseJSON struct {
	ID          int64              `json:"id"`
	Number      string             `json:"number"`
	Status      cases.Status       `json:"status"`
	StatusLabel string             `json:"status_label"`
	Decision    cases.Decision     `json:"decision"`
	Completion  cases.Completion   `json:"completion"`
	Version     int                `json:"version"`
	ItemName    string             `json:"item_name"`
	ItemCode    string             `json:"item_code"`
	Applicant   applicantJSON      `json:"applicant"`
	Channel     cases.Channel      `json:"channel"`
	FeeDueFen   int64              `json:"fee_due_fen"`
	FeePaidFen  int64              `json:"fee_paid_fen"`
	Certificate string             `json:"certificate"`
	Rounds      int                `json:"rounds"`
	Form        map[string]string  `json:"form"`
	Materials   []caseMaterialJSON `json:"materials"`
	Events      []eventJSON        `json:"events"`
	Branches    []branchJSON       `json:"branches"`
	Clocks      *clocksJSON        `json:"clocks,omitempty"`
	Actions     []optionJSON       `json:"actions"`
	QueryCode   string             `json:"query_code,omitempty"`
	// Fee details beyond what is due and paid.
	FeeAtAccept    bool   `json:"fee_at_accept"`
	FeePayable     bool   `json:"fee_payable"`
	FeeRefundedFen int64  `json:"fee_refunded_fen"`
	RefundOwedFen  int64  `json:"refund_owed_fen"`
	PersonalMasked bool   `json:"personal_data_masked"`
	BundleNumber   string `json:"bundle_number,omitempty"`
	BundleID       int64  `json:"bundle_application_id,omitempty"`
}

func (s *Server) caseJSON(a *identity.Actor, c *cases.Case, cl *cases.Clocks) caseJSON {
	app := c.Applicant
	out := caseJSON{ID: c.ID, Number: c.Number, Status: c.Status, StatusLabel: c.Status.Label(), Decision: c.Decision,
		Completion: c.Completion, Version: c.Version, ItemName: c.Procedure.ItemName, ItemCode: c.Procedure.ItemCode,
		Applicant: applicantJSON{Kind: app.Kind, Name: app.Name, IDNumber: app.IDNumber, CreditCode: app.CreditCode, Phone: app.Phone},
		Channel:   c.Channel, FeeDueFen: c.Fee.DueFen, FeePaidFen: c.Fee.PaidFen, Certificate: c.Certificate, Rounds: c.Rounds,
		Form: c.Form, Materials: []caseMaterialJSON{}, Events: []eventJSON{}, Branches: []branchJSON{}, Actions: []optionJSON{}}
	out.FeeAtAccept, out.FeePayable, out.FeeRefundedFen, out.RefundOwedFen = c.Procedure.FeeAtAccept, cases.FeePayable(c), c.Fee.RefundedFen, c.RefundOwed()
	if !cases.NeedsPersonalData(a, c) {
		out.PersonalMasked = true
		out.Applicant.Name, out.Applicant.IDNumber, out.Applicant.Phone = pii.MaskName(app.Name), pii.MaskIDNumber(app.IDNumber), pii.MaskMobile(app.Phone)
	}
	for i, m := range c.Materials {
		out.Materials = append(out.Materials, caseMaterialJSON{Seq: i + 1, Code: m.Code, FileName: m.FileName, SHA256: m.SHA256, Size: m.Size, MIME: m.MIME, Round: m.Round, Added: m.Added})
	}
	for _, e := range c.Events {
		out.Events = append(out.Events, toEvent(e))
	}
	for i, b := range c.Branches {
		out.Branches = append(out.Branches, toBranch(c, i, b))
	}
	var clocks cases.Clocks
	if cl != nil {
		clocks = *cl
	}
	for _, o := range cases.Options(a, c, clocks) {
		out.Actions = append(out.Actions, optionJSON{Kind: o.Kind, Label: o.Label, Branch: o.Branch})
	}
	if cl != nil {
		out.Clocks = toClocks(*cl)
	}
	return out
}

type caseMaterialJSON struct {
	Seq      int       `json:"seq"`
	Code     string    `json:"code"`
	FileName string    `json:"file_name"`
	SHA256   string    `json:"sha256"`
	Size     int64     `json:"size"`
	MIME     string    `json:"mime"`
	Round    int       `json:"round"`
	Added    time.Time `json:"added"`
}

type optionJSON struct {
	Kind   cases.CommandKind `json:"kind"`
	Label  string            `json:"label"`
	Branch int               `json:"branch"`
}

// handleCase returns a case with its clocks and the actions the caller may take.
func (s *Server) handleCase(w http.ResponseWriter, r *http.Request) error {
	a, err := actor(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, cl, err := s.svc.Cases.Get(r.Context(), a, id)
	if err != nil {
		return err
	}
	out, err := s.caseWithClocks(r, c, cl)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}
