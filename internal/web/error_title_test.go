package web

import (
	"net/http"
	"testing"
)

// Every refusal is titled by what happened; only a server failure says
// 系统错误.
func TestErrorTitle(t *testing.T) {
	for status, want := range map[int]string{
		http.StatusBadRequest:            "提交的信息有误",
		http.StatusUnprocessableEntity:   "提交的信息有误",
		http.StatusRequestEntityTooLarge: "提交的内容过大",
		http.StatusForbidden:             "无权访问",
		http.StatusNotFound:              "页面不存在",
		http.StatusConflict:              "操作无法完成",
		http.StatusInternalServerError:   "系统错误",
	} {
		if got := errorTitle(status); got != want {
			t.Errorf("status %d: %q, want %q", status, got, want)
		}
	}
}
