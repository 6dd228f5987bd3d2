package app

import (
	"context"
	"fmt"
	"strconv"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/complaint"
	"openhall/internal/org"
	"openhall/internal/rating"
)

// caseLookups give ratings and complaints the cases they concern.
type caseLookups struct{ a *App }

func (c caseLookups) CaseInfo(ctx context.Context, id int64) (*rating.CaseInfo, error) {
	cs, err := c.a.Stores.Cases.LoadCase(ctx, id, false)
	if err != nil {
		return nil, err
	}
	return caseInfoOf(cs), nil
}

func (c caseLookups) CaseInfoByNumber(ctx context.Context, number string) (*rating.CaseInfo, error) {
	cs, _, err := c.a.Stores.Cases.FindCaseByNumber(ctx, number)
	if err != nil {
		return nil, err
	}
	return caseInfoOf(cs), nil
}

func (c caseLookups) CaseByNumber(ctx context.Context, number string) (*complaint.CaseRef, error) {
	cs, _, err := c.a.Stores.Cases.FindCaseByNumber(ctx, number)
	if err != nil {
		return nil, err
	}
	p := cs.Procedure
	return &complaint.CaseRef{ID: cs.ID, Number: cs.Number, ItemName: p.ItemName, AppliedAt: cs.SubmittedAt, RegionPath: p.RegionPath,
		DepartmentID: p.DepartmentID, ApplicantUserID: cs.Applicant.UserID, AgentID: cs.AgentID}, nil
}

// CaseByCode checks number and 查询密码 with the progress lookup itself, so
// that a complaint's wrong guesses are counted with the lookup's.
func (c caseLookups) CaseByCode(ctx context.Context, number, code, addr string) (*complaint.CaseRef, error) {
	if _, err := c.a.Services.Cases.Lookup(ctx, number, code, addr); err != nil {
		return nil, err
	}
	return c.CaseByNumber(ctx, number)
}

// caseInfoOf is what ratings need of a case: its stage (proStatus) and
// where its ratings count, the clerk who accepted it being its person.
func caseInfoOf(cs *cases.Case) *rating.CaseInfo {
	p := cs.Procedure
	info := &rating.CaseInfo{ID: cs.ID, Number: cs.Number, Stage: stageOf(cs), ClosedAt: cs.ClosedAt,
		ApplicantUserID: cs.Applicant.UserID, ApplicantKind: cs.Applicant.Kind,
		Target: rating.Target{RegionPath: p.RegionPath, RegionCode: p.RegionCode, DepartmentID: p.DepartmentID,
			Department: p.Department, ItemCode: p.ItemCode, ItemName: p.ItemName, Instant: p.Instant}}
	for _, e := range cs.Events {
		if e.Kind == cases.EventAccepted {
			info.StaffID = e.ActorID
		}
	}
	return info
}

// stageOf maps a case's status to the stage a rating is for; drafts and
// withdrawn or deleted cases are not rated.
func stageOf(cs *cases.Case) rating.Stage {
	switch cs.Status {
	case cases.StatusSubmitted, cases.StatusSupplement:
		return rating.StagePending
	case cases.StatusReview, cases.StatusCorrection:
		return rating.StageProcessing
	case cases.StatusClosed:
		if cs.Completion == cases.CompletionVoided || cs.Completion == cases.CompletionDeleted {
			return 0
		}
		return rating.StageDone
	}
	return 0
}

// orgLookups resolve windows, regions, departments and items for ratings
// and complaints, and name the keys of figures.
type orgLookups struct{ a *App }

func (l orgLookups) window(ctx context.Context, id int64) (*org.Window, *org.Centre, *org.Region, error) {
	w, err := l.a.Services.Org.Window(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := l.a.Services.Org.Centre(ctx, w.CentreID)
	if err != nil {
		return nil, nil, nil, err
	}
	r, err := l.a.Services.Org.Region(ctx, c.RegionID)
	return w, c, r, err
}

func (l orgLookups) WindowInfo(ctx context.Context, id int64) (*rating.WindowInfo, error) {
	w, c, r, err := l.window(ctx, id)
	if err != nil {
		return nil, apperr.New(apperr.NotFound, "窗口不存在")
	}
	info := &rating.WindowInfo{ID: w.ID, Number: w.Number, Name: w.Name, CentreName: c.Name, RegionPath: r.Path, RegionCode: r.Code,
		StaffIDs: w.StaffIDs}
	if w.Kind == org.WindowDedicated && len(w.DepartmentIDs) == 1 {
		info.DepartmentID = w.DepartmentIDs[0]
		if d, err := l.a.Services.Org.Department(ctx, info.DepartmentID); err == nil {
			info.Department = d.Name
		}
	}
	return info, nil
}

func (l orgLookups) WindowRef(ctx context.Context, id int64) (*complaint.WindowRef, error) {
	info, err := l.WindowInfo(ctx, id)
	if err != nil {
		return nil, err
	}
	return &complaint.WindowRef{ID: info.ID, Label: fmt.Sprintf("%s %s（%s）", info.Number, info.Name, info.CentreName),
		RegionPath: info.RegionPath, DepartmentID: info.DepartmentID}, nil
}

func (l orgLookups) ItemRef(ctx context.Context, code string) (*complaint.ItemRef, error) {
	it, err := l.a.Services.Catalog.ItemByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	path, err := l.a.Services.Org.RegionPath(ctx, it.RegionID)
	if err != nil {
		return nil, err
	}
	return &complaint.ItemRef{Code: it.ImplCode, Name: it.Name, RegionPath: path, DepartmentID: it.DepartmentID}, nil
}

func (l orgLookups) RegionPath(ctx context.Context, id int64) (string, error) {
	return l.a.Services.Org.RegionPath(ctx, id)
}

func (l orgLookups) RegionByCode(ctx context.Context, code string) (string, error) {
	r, err := l.a.Services.Org.RegionByCode(ctx, code)
	if err != nil {
		return "", err
	}
	return r.Path, nil
}

func (l orgLookups) DepartmentByCode(ctx context.Context, code string) (int64, string, string, error) {
	d, err := l.a.Services.Org.DepartmentByCreditCode(ctx, code)
	if err != nil {
		return 0, "", "", err
	}
	path, err := l.a.Services.Org.RegionPath(ctx, d.RegionID)
	return d.ID, d.Name, path, err
}

func (l orgLookups) DepartmentCode(ctx context.Context, id int64) string {
	if d, err := l.a.Services.Org.Department(ctx, id); err == nil {
		return d.CreditCode
	}
	return ""
}

func (l orgLookups) DepartmentName(ctx context.Context, id int64) (string, string, error) {
	d, err := l.a.Services.Org.Department(ctx, id)
	if err != nil {
		return "", "", err
	}
	path, err := l.a.Services.Org.RegionPath(ctx, d.RegionID)
	return d.Name, path, err
}

// Label names a key of figures; for complaints the dimension comes as a
// plain string.
func (l orgLookups) Label(ctx context.Context, by rating.Dimension, key string) string {
	id, _ := strconv.ParseInt(key, 10, 64)
	switch by {
	case rating.ByDepartment:
		if id == 0 {
			return "服务中心（综合窗口）"
		}
		if d, err := l.a.Services.Org.Department(ctx, id); err == nil {
			return d.Name
		}
	case rating.ByWindow:
		if id == 0 {
			return "网上及非窗口服务"
		}
		if w, err := l.WindowRef(ctx, id); err == nil {
			return w.Label
		}
	case rating.ByStaff:
		if id == 0 {
			return "未关联工作人员"
		}
		if u, err := l.a.Stores.Identity.FindUserByID(ctx, id); err == nil {
			return u.Name
		}
	case rating.ByItem:
		return l.itemLabel(ctx, key)
	}
	return key
}

func (l orgLookups) itemLabel(ctx context.Context, code string) string {
	if code == "" {
		return "未关联事项"
	}
	items, _, err := l.a.Services.Catalog.Items(ctx, catalog.ItemFilter{Code: code, Limit: 1})
	if err == nil && len(items) > 0 {
		return items[0].Name + "（" + code + "）"
	}
	return code
}

// complaintOrgs adapts orgLookups to complaint.Orgs, whose dimension is a
// string.
type complaintOrgs struct{ orgLookups }

func (c complaintOrgs) Label(ctx context.Context, by string, key string) string {
	return c.orgLookups.Label(ctx, rating.Dimension(by), key)
}
