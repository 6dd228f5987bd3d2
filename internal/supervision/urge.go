package supervision

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/identity"
)

// Urge is a 催办: a reminder to the people holding a case's current steps,
// sent through the notification system (inbox and SMS).
type Urge struct {
	ID          int64
	CaseID      int64
	CaseNumber  string
	Message     string
	Holders     string // who was reminded, in words: "西湖区市场监督管理局 审批人员"
	Recipients  int
	SentAt      time.Time
	SentBy      int64
	SentByLabel string
}

// holder is one pool holding a step of an open case.
type holder struct {
	role       identity.Role
	regionPath string
	dept       int64
	label      string
}

// holders are the pools holding the case now: the window clerks while it
// waits for the first review, each open branch's current step otherwise.
func holders(c *cases.Case) []holder {
	p := &c.Procedure
	switch c.Status {
	case cases.StatusSubmitted:
		return []holder{{identity.RoleWindowClerk, p.RegionPath, p.DepartmentID, "受理窗口人员"}}
	case cases.StatusReview:
		var out []holder
		for i := range c.Branches {
			b := &c.Branches[i]
			if b.Done {
				continue
			}
			step := c.CurrentStep(b)
			out = append(out, holder{step.Role, p.RegionPath, p.Branches[i].DepartmentID,
				p.Branches[i].Department + "“" + step.Name + "”环节" + step.Role.Label()})
		}
		return out
	}
	return nil
}

// UrgeCase sends a 催办 to the holders of the case's current steps.
func (s *Service) UrgeCase(ctx context.Context, a *identity.Actor, caseID int64, message string) (*Urge, error) {
	message = strings.TrimSpace(message)
	if n := utf8.RuneCountInString(message); n > 500 {
		return nil, apperr.Field("message", "催办说明不能超过 500 字")
	}
	c, err := s.d.Cases.LoadCase(ctx, caseID, false)
	if err != nil {
		return nil, err
	}
	if err := CanUrge(a, c.Procedure.RegionPath, depts(c)...); err != nil {
		return nil, err
	}
	hs := holders(c)
	if len(hs) == 0 {
		return nil, apperr.New(apperr.Conflict, "办件当前为“%s”，不在工作人员手中，无需催办", c.Status.Label())
	}
	var u *Urge
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		u, err = s.sendUrge(ctx, a, c, hs, message)
		return err
	})
	return u, err
}

func (s *Service) sendUrge(ctx context.Context, a *identity.Actor, c *cases.Case, hs []holder, message string) (*Urge, error) {
	var users []int64
	var labels []string
	for _, h := range hs {
		roles := []identity.Role{h.role}
		if h.role == identity.RoleApprover {
			roles = append(roles, identity.RoleDeptHead) // a head may act on any step of the department
		}
		for _, r := range roles {
			ids, err := s.d.Store.StaffWith(ctx, string(r), h.regionPath, h.dept)
			if err != nil {
				return nil, err
			}
			users = append(users, ids...)
		}
		labels = append(labels, h.label)
	}
	users = unique(users)
	u := &Urge{CaseID: c.ID, CaseNumber: c.Number, Message: message, Holders: strings.Join(labels, "；"), Recipients: len(users),
		SentAt: s.d.Now(), SentBy: a.UserID, SentByLabel: a.Audit().Label}
	if err := s.d.Store.CreateUrge(ctx, u); err != nil {
		return nil, err
	}
	body := fmt.Sprintf("办件 %s（%s）当前为“%s”，请抓紧办理。", c.Number, c.Procedure.ItemName, c.Status.Label())
	if message != "" {
		body += "催办说明：" + message
	}
	if err := s.d.Notifier.NotifyStaff(ctx, users, "supervision.urge", "催办：办件 "+c.Number, body, fmt.Sprintf("/cases/%d", c.ID), true); err != nil {
		return nil, err
	}
	return u, s.record(ctx, a, "region:"+c.Procedure.RegionPath, "urge", "case", c.ID,
		map[string]any{"number": c.Number, "holders": u.Holders, "recipients": u.Recipients, "message": message})
}

// depts are the departments handling a case.
func depts(c *cases.Case) []int64 {
	out := []int64{c.Procedure.DepartmentID}
	for _, b := range c.Procedure.Branches {
		out = append(out, b.DepartmentID)
	}
	return out
}
