package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/disclosure"
	"openhall/internal/httpkit"
)

func (s *Server) registerRequestRoutes() {
	s.mux.HandleFunc("GET /disclosure/requests", s.requireStaff(s.handleStaffRequests))
	s.mux.HandleFunc("GET /disclosure/requests/new", s.requireStaff(s.handleRequestNew))
	s.mux.HandleFunc("POST /disclosure/requests", s.requireStaff(s.handleRequestRegister))
	s.mux.HandleFunc("GET /disclosure/requests/{id}", s.requireStaff(s.handleStaffRequest))
	s.mux.HandleFunc("POST /disclosure/requests/{id}/{action}", s.requireStaff(s.handleRequestAction))
	s.mux.HandleFunc("GET /disclosure/requests/{id}/letter/{kind}", s.requireStaff(s.handleLetter))
}

type staffRequestsPage struct {
	Page
	AgencyID int64
	Agencies []option
	Requests []*disclosure.RequestView
	Total    int
	All      bool
}

func (s *Server) handleStaffRequests(w http.ResponseWriter, r *http.Request) error {
	agency, err := s.firstAgency(r)
	if err != nil {
		return err
	}
	p := staffRequestsPage{Page: s.page(w, r, "依申请公开"), AgencyID: agency, All: r.URL.Query().Get("all") == "1"}
	f := disclosure.RequestFilter{AgencyID: agency, Open: !p.All, Limit: 500}
	if p.Requests, p.Total, err = s.svc.Disclosure.AgencyRequests(r.Context(), httpkit.ActorFrom(r.Context()), f); err != nil {
		return err
	}
	if p.Agencies, err = s.agencyOptions(r); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "disclosure/requests", p)
}

func (s *Server) handleRequestNew(w http.ResponseWriter, r *http.Request) error {
	agency, err := s.firstAgency(r)
	if err != nil {
		return err
	}
	v := url.Values{"agency_id": {idStr(agency)}, "channel": {string(disclosure.ChannelInPerson)}, "applicant_type": {"person"}}
	return s.requestForm(w, r, http.StatusOK, true, newForm(v, nil))
}

// handleRequestRegister registers a request received in person, by post or
// by fax, with its Art 31 receipt date.
func (s *Server) handleRequestRegister(w http.ResponseWriter, r *http.Request) error {
	in := requestInput(r.PostForm, disclosure.Channel(r.PostForm.Get("channel")))
	req, err := s.svc.Disclosure.SubmitRequest(r.Context(), httpkit.ActorFrom(r.Context()), in)
	if apperr.Is(err, apperr.Invalid) {
		return s.requestForm(w, r, http.StatusUnprocessableEntity, true, newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/disclosure/requests/"+idStr(req.ID), "已登记申请 "+req.Number)
}

func (s *Server) handleStaffRequest(w http.ResponseWriter, r *http.Request) error {
	return s.showStaffRequest(w, r, http.StatusOK, newForm(nil, nil))
}

func (s *Server) showStaffRequest(w http.ResponseWriter, r *http.Request, status int, f form) error {
	p, err := s.requestView(w, r, "办理申请")
	if err != nil {
		return err
	}
	p.Staff, p.Form = true, f
	for _, at := range disclosure.AnswerTypes {
		o := answerOption{Value: string(at.Type), Label: at.Label}
		for _, rs := range at.Reasons {
			o.Reasons = append(o.Reasons, option{rs.Code, rs.Label + "（" + rs.Article + "）"})
		}
		p.Answers = append(p.Answers, o)
	}
	if p.FeeRank, p.Fee, err = s.svc.Disclosure.SuggestFee(r.Context(), p.View); err != nil {
		return err
	}
	p.Topic, err = s.svc.Disclosure.RequestTopic(r.Context(), httpkit.ActorFrom(r.Context()), p.View.Request.ID)
	if p.CanTag = err == nil; err != nil && !apperr.Is(err, apperr.Forbidden) {
		return err
	}
	if !p.Form.Values.Has("topic") {
		p.Form.Values.Set("topic", p.Topic)
	}
	return s.render(w, status, "disclosure/request", p)
}

// handleRequestAction records a clock event, the receipt, the answer or an
// answer file.
func (s *Server) handleRequestAction(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r.PathValue("id"))
	if err != nil {
		return err
	}
	msg, err := s.requestStep(r, id, r.PathValue("action"))
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.showStaffRequest(w, r, http.StatusUnprocessableEntity, newForm(r.PostForm, err))
	}
	if err != nil {
		return err
	}
	return s.redirect(w, r, "/disclosure/requests/"+idStr(id), msg)
}

func (s *Server) requestStep(r *http.Request, id int64, action string) (string, error) {
	ctx, a, v := r.Context(), httpkit.ActorFrom(r.Context()), r.PostForm
	var err error
	switch action {
	case "confirm":
		_, err = s.svc.Disclosure.ConfirmReceipt(ctx, a, id, v.Get("on"))
		return "已确认收到申请", err
	case "events":
		in, err := eventInput(v)
		if err != nil {
			return "", err
		}
		_, err = s.svc.Disclosure.RecordEvent(ctx, a, id, in)
		kind := in.Kind
		return "已记录：" + kind.Label(), err
	case "topic":
		topic, err := s.svc.Disclosure.TagRequest(ctx, a, id, v.Get("topic"))
		if topic == "" {
			return "已清除申请主题", err
		}
		return "已标注申请主题：" + topic, err
	case "answer":
		_, err = s.svc.Disclosure.Answer(ctx, a, id, disclosure.AnswerInput{Type: disclosure.AnswerType(v.Get("type")),
			Reason: v.Get("reason"), Text: v.Get("text"), ReferTo: v.Get("refer_to")})
		return "已答复，可打印告知书送达申请人", err
	case "attachments":
		up, uerr := s.uploaded(r, "file", maxAttachmentBytes)
		if uerr != nil {
			return "", uerr
		}
		_, err = s.svc.Disclosure.AttachToRequest(ctx, a, id, up.Name, up.ContentType, up.Data)
		return "已上传答复材料", err
	}
	return "", apperr.New(apperr.NotFound, "页面不存在")
}

// eventInput reads the event form; a number field that is not a whole
// number is named, not read as zero.
func eventInput(v url.Values) (disclosure.EventInput, error) {
	in := disclosure.EventInput{Kind: disclosure.EventKind(v.Get("kind")), On: v.Get("on"), Party: v.Get("party"), Note: v.Get("note")}
	var f apperr.Fields
	number := func(name, label string) int64 {
		n, err := strconv.ParseInt(strings.TrimSpace(v.Get(name)), 10, 64)
		f.Check(err != nil && strings.TrimSpace(v.Get(name)) != "", name, label+"须为整数")
		return n
	}
	in.Days, in.Amount, in.Pages = int(number("days", "工作日数")), number("amount", "收费金额"), int(number("pages", "页数"))
	return in, f.Err()
}
