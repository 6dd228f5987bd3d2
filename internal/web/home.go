package web

import (
	"net/http"

	"openhall/internal/apperr"
	"openhall/internal/httpkit"
	"openhall/internal/identity"
)

type homePage struct {
	Page
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, http.StatusOK, "home", homePage{Page: s.page(w, r, "阳光政务大厅")})
}

// staffLink is a shortcut on the staff workbench.
type staffLink struct {
	Label, URL, Hint string
}

type staffPage struct {
	Page
	Roles       []identity.Role
	Links       []staffLink
	MissingYear int // the coming year has no holiday schedule yet
}

// handleStaffHome is the workbench: what each of the actor's roles can do.
func (s *Server) handleStaffHome(w http.ResponseWriter, r *http.Request) error {
	a := httpkit.ActorFrom(r.Context())
	p := staffPage{Page: s.page(w, r, "工作台"), Roles: a.Roles()}
	if year, missing := s.svc.Calendar.MissingNextYear(); missing {
		p.MissingYear = year
	}
	for _, n := range p.Nav {
		if n.URL != "/" && n.URL != "/staff" && n.URL != "/account" {
			p.Links = append(p.Links, staffLink{Label: n.Label, URL: n.URL})
		}
	}
	return s.render(w, http.StatusOK, "staff", p)
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) error {
	return apperr.New(apperr.NotFound, "您要找的页面不存在，可能已被移动或删除")
}
