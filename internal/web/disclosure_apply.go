package web

import (
	"net/http"
	"net/url"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/disclosure"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
)

// Requests for disclosure from the applicant's side: the online form and
// the applicant's own requests with their status and letters.
func (s *Server) registerApplyRoutes() {
	s.mux.HandleFunc("GET /open/apply", s.requireLogin(s.handleRequestForm))
	s.mux.HandleFunc("POST /open/apply", s.requireLogin(s.handleRequestFile))
	s.mux.HandleFunc("GET /my/requests", s.requireLogin(s.handleMyRequests))
	s.mux.HandleFunc("GET /my/requests/{id}", s.requireLogin(s.handleMyRequest))
	s.mux.HandleFunc("GET /my/requests/{id}/letter/{kind}", s.requireLogin(s.handleLetter))
}

type requestFormPage struct {
	Page
	Form           form
	Agencies       []option
	ApplicantTypes []option
	Channels       []option
	Deliveries     []option
	Staff          bool // registering a request received by another channel
	Action         string
}

func (s *Server) requestForm(w http.ResponseWriter, r *http.Request, status int, staffForm bool, f form) error {
	as, err := s.svc.Disclosure.Agencies(r.Context(), disclosure.AgencyFilter{})
	if err != nil {
		return err
	}
	p := requestFormPage{Page: s.page(w, r, "政府信息公开申请"), Form: f, Staff: staffForm, Action: "/open/apply"}
	if staffForm {
		p.Title, p.Action = "登记政府信息公开申请", "/disclosure/requests"
	}
	for _, ag := range as {
		p.Agencies = append(p.Agencies, option{idStr(ag.ID), ag.Name})
	}
	for _, t := range disclosure.ApplicantTypes {
		p.ApplicantTypes = append(p.ApplicantTypes, option{string(t), t.Label()})
	}
	for _, c := range disclosure.Channels[1:] {
		p.Channels = append(p.Channels, option{string(c), c.Label() + "：" + c.ReceiptRule()})
	}
	for _, d := range disclosure.Deliveries {
		p.Deliveries = append(p.Deliveries, option{d, d})
	}
	return s.render(w, status, "disclosure/request_form", p)
}

// handleRequestForm shows the online form, filled with the account's data.
func (s *Server) handleRequestForm(w http.ResponseWriter, r *http.Request) error {
	a := httpkit.ActorFrom(r.Context())
	v := url.Values{"agency_id": {r.URL.Query().Get("agency")}, "name": {a.Name}, "applicant_type": {"person"}}
	if a.Kind == identity.KindLegal {
		v.Set("applicant_type", "business")
	}
	return s.requestForm(w, r, http.StatusOK, false, newForm(v, nil))
}

// requestInput reads the request form.
func requestInput(v url.Values, channel disclosure.Channel) disclosure.RequestInput {
	id, _ := strconv.ParseInt(v.Get("agency_id"), 10, 64)
	return disclosure.RequestInput{AgencyID: id, ApplicantType: disclosure.ApplicantType(v.Get("applicant_type")), Name: v.Get("name"),
		IDType: v.Get("id_type"), IDNumber: v.Get("id_number"), Phone: v.Get("phone"), Email: v.Get("email"),
		Address: v.Get("address"), Description: v.Get("description"), Delivery: v.Get("delivery"), Channel: channel,
		ReceivedOn: v.Get("received_on")}
}

func (s *Server) handleRequestFile(w http.ResponseWriter, r *http.Request) error {
	req, err := s.svc.Disclosure.SubmitRequest(r.Context(), httpkit.ActorFrom(r.Context()), requestInput(r.PostForm, disclosure.ChannelOnline))
	if apperr.Is(err, apperr.Invalid) {
		return s.requestForm(w, r, http.StatusUnprocessableEntity, false, newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	msg := "申请已提交，编号 " + req.Number + "。受理机关确认收到之日为收到申请之日。"
	if len(req.Missing) > 0 {
		msg += "申请缺少部分内容，受理机关将一次性告知需要补正的事项。"
	}
	return s.redirect(w, r, "/my/requests/"+idStr(req.ID), msg)
}

type myRequestsPage struct {
	Page
	Requests []*disclosure.RequestView
}

func (s *Server) handleMyRequests(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.svc.Disclosure.MyRequests(r.Context(), httpkit.ActorFrom(r.Context()))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "disclosure/my_requests", myRequestsPage{Page: s.page(w, r, "我的政府信息公开申请"), Requests: vs})
}

type requestPage struct {
	Page
	View        *disclosure.RequestView
	Attachments []*disclosure.Attachment
	Staff       bool
	Form        form
	Answers     []answerOption
	FeeRank     int
	Fee         int64
	LetterKinds []option
	Topic       string // the request's 申请主题 (Art 44 report)
	CanTag      bool
}

// answerOption is an answer type with its sub-reasons, for the answer form.
type answerOption struct {
	Value, Label string
	Reasons      []option
}

func (s *Server) requestView(w http.ResponseWriter, r *http.Request, title string) (*requestPage, error) {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	v, err := s.svc.Disclosure.Request(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return nil, err
	}
	p := &requestPage{Page: s.page(w, r, title+" "+v.Request.Number), View: v, Form: newForm(nil, nil)}
	for _, k := range disclosure.LetterKinds {
		if hasEvent(v, k) {
			p.LetterKinds = append(p.LetterKinds, option{string(k), letterLabels[k]})
		}
	}
	if v.Request.Status == disclosure.ReqAnswered {
		p.LetterKinds = append(p.LetterKinds, option{string(disclosure.EvAnswered), "答复告知书"})
	}
	p.Attachments, err = s.svc.Disclosure.Attachments(r.Context(), "request", id)
	return p, err
}

// letterLabels name the letters of request events.
var letterLabels = map[disclosure.EventKind]string{disclosure.EvCorrection: "补正通知书", disclosure.EvExtension: "延期答复告知书",
	disclosure.EvConsultThird: "征求第三方意见函", disclosure.EvConsultAgency: "征求其他机关意见函", disclosure.EvFeeNotice: "收费通知书"}

func hasEvent(v *disclosure.RequestView, k disclosure.EventKind) bool {
	for _, e := range v.Events {
		if e.Kind == k {
			return true
		}
	}
	return false
}

func (s *Server) handleMyRequest(w http.ResponseWriter, r *http.Request) error {
	p, err := s.requestView(w, r, "申请")
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "disclosure/request", p)
}

type letterPage struct {
	Page
	Letter *disclosure.Letter
	Back   string
}

// handleLetter shows a printable letter of a request to whoever may see
// the request.
func (s *Server) handleLetter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	v, err := s.svc.Disclosure.Request(r.Context(), httpkit.ActorFrom(r.Context()), id)
	if err != nil {
		return err
	}
	l, err := disclosure.LetterFor(v, disclosure.EventKind(r.PathValue("kind")))
	if err != nil {
		return apperr.Wrap(err, apperr.NotFound, "该文书不存在")
	}
	back := "/my/requests/" + idStr(id)
	if v.Request.UserID != httpkit.ActorFrom(r.Context()).UserID {
		back = "/disclosure/requests/" + idStr(id)
	}
	return s.render(w, http.StatusOK, "disclosure/letter", letterPage{Page: s.page(w, r, l.Title), Letter: l, Back: back})
}
