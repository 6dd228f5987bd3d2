package hall

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/identity"
)

// Application is one filing of a bundle: one number, one 查询密码, one case
// per item included, each going through its own department's workflow.
type Application struct {
	ID              int64
	BundleID        int64
	Number          string // YJS + the number of its first case
	Name            string // the bundle's name when filed
	ApplicantUserID int64
	AgentID         int64
	ApplicantName   string
	Form            map[string]string // the shared answers
	QueryCodeHash   []byte
	QueryCode       []byte // sealed
	Key             string // idempotency key
	Members         []Member
	CreatedAt       time.Time
}

// Member is one case of an application.
type Member struct {
	CaseID   int64
	ImplCode string
	Number   string // filled when loaded
	ItemName string // filled when loaded
}

// NumberPrefix starts every bundle application's number.
const NumberPrefix = "YJS"

// Filing is an application for a bundle as the combined form sends it.
type Filing struct {
	BundleID int64
	Shared   map[string]string             // shared field → value
	Note     string                        // 申请说明, copied into every case's summary
	Own      map[string]map[string]string  // item 实施编码 → its own field → value
	Files    map[string]cases.MaterialFile // material group key → the stored file
	Key      string                        // idempotency key: a retry returns the first application
}

// Filed is the result of filing a bundle.
type Filed struct {
	Application *Application
	QueryCode   string // "" when the request was a retry
	Repeated    bool
}

// FileBundle files a bundle: each included item becomes a case (checked as
// if filed alone), all in one transaction with the application.
func (s *Service) FileBundle(ctx context.Context, a *identity.Actor, in Filing) (*Filed, error) {
	if in.Key == "" || len(in.Key) > 100 {
		return nil, apperr.Field("key", "缺少或无效的提交标识，请刷新页面后重试")
	}
	if prev, err := s.d.Store.FindApplicationByKey(ctx, in.Key); err == nil {
		return s.repeated(a, prev)
	}
	form, cs, err := s.prepareBundle(ctx, a, in)
	if err != nil {
		return nil, err
	}
	var app *Application
	code, err := s.d.Cases.CreateMany(ctx, a, cs, "bundle:"+in.Key, func(ctx context.Context, cs []*cases.Case, code string) error {
		app = s.application(a, form, in, cs, code)
		if err := s.d.Store.CreateApplication(ctx, app); err != nil {
			return err
		}
		return s.record(ctx, a, "region:"+form.Bundle.RegionPath, "hall.bundle.file", "bundle_application", app.ID,
			map[string]any{"number": app.Number, "bundle": form.Bundle.ID, "cases": len(cs)})
	})
	if apperr.Is(err, apperr.Conflict) {
		if prev, ferr := s.d.Store.FindApplicationByKey(ctx, in.Key); ferr == nil {
			return s.repeated(a, prev)
		}
	}
	if err != nil {
		return nil, err
	}
	return &Filed{Application: app, QueryCode: code}, nil
}

func (s *Service) repeated(a *identity.Actor, app *Application) (*Filed, error) {
	if !ownsApplication(a, app) {
		return nil, apperr.New(apperr.Conflict, "该提交标识已被使用")
	}
	return &Filed{Application: app, Repeated: true}, nil
}

// application builds the application record of the cases just created.
func (s *Service) application(a *identity.Actor, form *Form, in Filing, cs []*cases.Case, code string) *Application {
	app := &Application{BundleID: form.Bundle.ID, Number: NumberPrefix + cs[0].Number, Name: form.Bundle.Name,
		ApplicantUserID: cs[0].Applicant.UserID, AgentID: cs[0].AgentID, ApplicantName: cs[0].Applicant.Name, Form: in.Shared,
		QueryCodeHash: s.d.Cases.HashCode(code), QueryCode: s.d.Cases.SealCode(code), Key: in.Key, CreatedAt: s.d.Now()}
	for _, c := range cs {
		app.Members = append(app.Members, Member{CaseID: c.ID, ImplCode: implOf(form, c), Number: c.Number, ItemName: c.Procedure.ItemName})
	}
	return app
}

func implOf(form *Form, c *cases.Case) string {
	for _, it := range form.Items {
		if it.VersionID == c.Procedure.ItemVersionID {
			return it.ImplCode
		}
	}
	return ""
}

// prepareBundle checks the filing and builds one case per included item,
// naming every problem by the combined form's fields.
func (s *Service) prepareBundle(ctx context.Context, a *identity.Actor, in Filing) (*Form, []*cases.Case, error) {
	form, err := s.Form(ctx, a, in.BundleID)
	if err != nil {
		return nil, nil, err
	}
	if err := canFileBundle(a, form.Bundle); err != nil {
		return nil, nil, err
	}
	errs := form.checkShared(in.Shared)
	note := strings.TrimSpace(in.Note)
	errs.Check(note == "" || utf8.RuneCountInString(note) > 400, "note", "请填写申请说明（不超过 400 字）")
	included := form.Included(in.Shared)
	if len(included) == 0 {
		errs.Add("shared", "按所填情况，没有需要办理的事项")
	}
	var cs []*cases.Case
	for _, it := range included {
		c, err := s.d.Cases.Prepare(ctx, a, form.fileInput(it, in, note))
		if err != nil {
			form.mapErrors(&errs, it, err)
			continue
		}
		cs = append(cs, c)
	}
	if len(errs) > 0 {
		return nil, nil, &apperr.Error{Code: apperr.Invalid, Message: "申请表有误，请按提示修改后重新提交（已选择的文件已保留）。", Fields: errs}
	}
	return form, cs, nil
}

// fileInput is an item's application built from the combined form.
func (f *Form) fileInput(it FormItem, in Filing, note string) cases.FileInput {
	fi := cases.FileInput{ItemVersionID: it.VersionID, Form: map[string]string{"summary": "【一件事·" + f.Bundle.Name + "】" + note}}
	for _, fd := range it.Procedure.Fields {
		if sf, ok := f.sharedFor(it.ImplCode, fd.Name); ok {
			fi.Form[fd.Name] = in.Shared[sf.Name]
		} else if fd.Name != "summary" {
			fi.Form[fd.Name] = in.Own[it.ImplCode][fd.Name]
		}
	}
	for _, m := range it.Procedure.Materials {
		g, ok := f.groupOf(it.ImplCode, m.Code)
		if file, has := in.Files[g.Key]; ok && has {
			file.Code = m.Code
			fi.Materials = append(fi.Materials, file)
		}
	}
	return fi
}

// mapErrors names an item's errors by the combined form's fields: a shared
// field, the item's own field, or a material group.
func (f *Form) mapErrors(errs *apperr.Fields, it FormItem, err error) {
	fields := apperr.FieldsOf(err)
	if len(fields) == 0 {
		errs.Add("item."+it.ImplCode, "“"+it.Procedure.ItemName+"”："+apperr.MessageOf(err))
		return
	}
	for k, msg := range fields {
		switch name, isForm := strings.CutPrefix(k, "form."); {
		case isForm && name == "summary":
			errs.Add("note", msg)
		case isForm:
			if sf, ok := f.sharedFor(it.ImplCode, name); ok {
				errs.Add("shared."+sf.Name, msg)
			} else {
				errs.Add("own."+it.ImplCode+"."+name, "“"+it.Procedure.ItemName+"”："+msg)
			}
		case strings.HasPrefix(k, "material."):
			if g, ok := f.groupOf(it.ImplCode, strings.TrimPrefix(k, "material.")); ok {
				errs.Add("file."+g.Key, "请上传“"+g.Name+"”（"+it.Procedure.ItemName+"需要）")
			}
		default:
			errs.Add("item."+it.ImplCode, "“"+it.Procedure.ItemName+"”："+msg)
		}
	}
}

// canFileBundle: a citizen or company files a bundle for its audience.
func canFileBundle(a *identity.Actor, b *Bundle) error {
	switch {
	case a == nil:
		return apperr.New(apperr.Unauthenticated, "请先登录后再申请")
	case b.Status != BundleActive:
		return apperr.New(apperr.Conflict, "“%s”%s，暂不能申请", b.Name, b.Status.Label())
	case !a.IsPublic():
		return apperr.New(apperr.Forbidden, "一件事由申请人本人在网上申请")
	case string(a.Kind) != string(b.Audience):
		return apperr.New(apperr.Conflict, "“%s”面向%s，%s账号不能申请", b.Name, b.Audience.Label(), a.Kind.Label())
	}
	return nil
}

// ownsApplication: the applicant, or the person who filed it.
func ownsApplication(a *identity.Actor, app *Application) bool {
	return a != nil && ((app.ApplicantUserID != 0 && app.ApplicantUserID == a.UserID) || (app.AgentID != 0 && app.AgentID == a.UserID))
}
