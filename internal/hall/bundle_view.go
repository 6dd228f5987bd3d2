package hall

import (
	"context"
	"strings"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

// View is a bundle application with where each of its cases stands, and
// the bundle's due date: that of its slowest branch.
type View struct {
	Application *Application
	Cases       []CaseView
	Due         calendar.Date // the latest due date of the running clocks; zero when none runs
	Provisional int           // the year without a schedule Due reaches, 0 if none
	Open        int           // cases still being handled
	QueryCode   string        // for the applicant; "" otherwise
}

// CaseView is one case of an application as its applicant (or the public,
// masked) sees it.
type CaseView struct {
	ID         int64 // 0 in the public view
	Number     string
	ItemName   string
	Department string
	Status     cases.Status
	Decision   cases.Decision
	Clocks     cases.Clocks
	Branches   []cases.BranchState
	Procedure  cases.Procedure
}

// Application returns a bundle application with its cases, for its
// applicant (or the person who filed it) and staff who may see all of its
// cases.
func (s *Service) Application(ctx context.Context, a *identity.Actor, id int64) (*View, error) {
	app, err := s.d.Store.FindApplication(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &View{Application: app}
	for _, m := range app.Members {
		c, cl, err := s.d.Cases.Get(ctx, a, m.CaseID)
		if err != nil {
			return nil, apperr.New(apperr.NotFound, "一件事申请不存在或您无权查看")
		}
		v.add(CaseView{ID: c.ID, Number: c.Number, ItemName: c.Procedure.ItemName, Department: c.Procedure.Department,
			Status: c.Status, Decision: c.Decision, Clocks: cl, Branches: c.Branches, Procedure: c.Procedure})
	}
	if ownsApplication(a, app) {
		v.QueryCode, _ = s.d.Cases.OpenCode(app.QueryCode)
	}
	return v, nil
}

// ApplicationOfCase returns the application a case belongs to; NotFound
// for a case filed on its own, without asking the store.
func (s *Service) ApplicationOfCase(ctx context.Context, c *cases.Case) (*Application, error) {
	if !c.Bundled {
		return nil, apperr.New(apperr.NotFound, "办件 %s 不属于“一件事”申请", c.Number)
	}
	return s.d.Store.FindApplicationOfCase(ctx, c.ID)
}

// add records a case and moves the bundle's due date to its slowest clock.
func (v *View) add(cv CaseView) {
	v.Cases = append(v.Cases, cv)
	if cv.Status.Open() {
		v.Open++
	}
	clocks := []cases.Clock{cv.Clocks.Promised}
	for _, b := range cv.Clocks.Branches {
		clocks = append(clocks, b.Branch)
	}
	for _, c := range clocks {
		if !c.Started || c.Stopped || c.Due == (calendar.Date{}) {
			continue
		}
		if c.Due.After(v.Due) {
			v.Due = c.Due
		}
		v.Provisional = max(v.Provisional, c.Provisional)
	}
}

// MyApplications lists the bundle applications of an applicant.
func (s *Service) MyApplications(ctx context.Context, a *identity.Actor) ([]*Application, error) {
	if a == nil {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	return s.d.Store.FindApplications(ctx, a.UserID, 50)
}

// IsApplicationNumber reports whether a number names a bundle application
// rather than a case.
func IsApplicationNumber(number string) bool {
	return strings.HasPrefix(strings.ToUpper(strings.TrimSpace(number)), NumberPrefix)
}

// Lookup is the public progress query of a bundle application by its
// number and 查询密码: the code is checked (and wrong guesses counted) by
// the case lookup of its first case, which shares the code; the applicant
// is masked.
func (s *Service) Lookup(ctx context.Context, number, code, addr string) (*View, error) {
	number = strings.ToUpper(strings.TrimSpace(number))
	app, err := s.d.Store.FindApplicationByNumber(ctx, number)
	if err != nil {
		// Counted as a wrong guess all the same.
		_, lerr := s.d.Cases.Lookup(ctx, number, code, addr)
		return nil, lerr
	}
	v := &View{Application: &Application{Number: app.Number, Name: app.Name, ApplicantName: pii.MaskName(app.ApplicantName),
		CreatedAt: app.CreatedAt}}
	for i, m := range app.Members {
		p, err := s.d.Cases.Lookup(ctx, m.Number, code, addr)
		if err != nil {
			if i == 0 {
				return nil, err
			}
			return nil, apperr.New(apperr.Conflict, "一件事中的办件 %s 已重置查询密码，请用其编号单独查询", m.Number)
		}
		v.add(CaseView{Number: p.Number, ItemName: p.ItemName, Department: p.Procedure.Department, Status: p.Status,
			Decision: p.Decision, Clocks: p.Clocks, Branches: p.Branches, Procedure: p.Procedure})
	}
	return v, nil
}
