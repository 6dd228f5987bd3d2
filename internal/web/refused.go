package web

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
)

// A form refused before its handler ran (the page expired, the login timed
// out while the visitor was typing, the token no longer matches) saved
// nothing. Pages are sent with Cache-Control: no-store, so the browser's
// back button shows them afresh and what was typed is gone too. The
// refusal therefore shows the visitor what they wrote, to copy into the
// form again; only when the form came from our own pages, so that no other
// site can make our pages show text of its choosing.

// keptField is a text the visitor typed into a refused form.
type keptField struct {
	Name  string
	Label string
	Value string
}

// keptLabels names the fields people write in; others are 填写的内容.
var keptLabels = map[string]string{"content": "内容", "comment": "评价意见", "reason": "理由", "answer": "答复",
	"reply": "答复", "note": "说明", "message": "留言", "feedback": "反馈", "detail": "详情", "summary": "摘要",
	"result": "结果", "resolution": "处理结果", "conclusion": "结论", "title": "标题", "body": "正文",
	"real_name": "姓名", "phone": "联系电话", "address": "地址", "email": "电子邮箱"}

// renderRefused answers an unsafe request refused before its handler.
func (s *Server) renderRefused(w http.ResponseWriter, r *http.Request, err error) {
	if ae := httpkit.AuthError(r.Context()); ae != nil && apperr.Is(ae, apperr.Unauthenticated) && apperr.Is(err, apperr.Forbidden) {
		err = apperr.New(apperr.Unauthenticated, "%s。本次提交未保存，登录后请在原页面重新提交", apperr.MessageOf(ae))
	}
	if httpkit.Sent(err) || httpkit.Started(w) || r.PostForm == nil || s.origins.Check(r) != nil {
		s.renderError(w, r, err)
		return
	}
	kept := keptText(r)
	if len(kept) == 0 {
		s.renderError(w, r, err)
		return
	}
	status := httpkit.WriteStatus(w, err)
	p := errorPage{Page: s.page(w, r, errorTitle(status)), Status: status, Message: apperr.MessageOf(err), Kept: kept}
	if rerr := s.render(w, status, "error", p); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		http.Error(w, p.Message, status)
	}
}

// notTyped are the fields a form fills in by itself, and the secrets that
// are never shown back.
var notTyped = []string{"csrf_token", "key", "version", "password", "new_password", "old_password", "password_confirm", "query_code"}

// keptText lists what the visitor typed: the form's text fields, in name
// order, except those filled in by the page, secrets, and choices (a short
// value of ASCII letters and digits is a choice or an id, not writing).
func keptText(r *http.Request) []keptField {
	var out []keptField
	for name, values := range r.PostForm {
		if slices.Contains(notTyped, name) || strings.Contains(name, "password") {
			continue
		}
		for _, v := range values {
			if v = strings.TrimSpace(v); typed(v) {
				out = append(out, keptField{Name: name, Label: cmp.Or(keptLabels[name], "填写的内容"), Value: v})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b keptField) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func typed(v string) bool {
	if utf8.RuneCountInString(v) < 2 {
		return false
	}
	return strings.ContainsFunc(v, func(c rune) bool {
		return c > 127 || c == ' ' || c == '\n'
	}) || len(v) > 32
}
