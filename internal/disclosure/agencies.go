package disclosure

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/identity"
)

// AgencyInput creates or edits an agency.
type AgencyInput struct {
	RegionID      int64
	DepartmentID  *int64
	Name          string
	Code          string
	IndexTemplate string
	Guide         string
	Address       string
	Phone         string
	Hours         string
}

func (in *AgencyInput) normalize() {
	for _, p := range []*string{&in.Name, &in.Code, &in.IndexTemplate, &in.Address, &in.Phone, &in.Hours} {
		*p = strings.TrimSpace(*p)
	}
	if in.IndexTemplate == "" {
		in.IndexTemplate = DefaultIndexTemplate
	}
}

func (in *AgencyInput) validate() error {
	var f apperr.Fields
	checkLen(&f, "name", "机构名称", in.Name, 100, true)
	checkLen(&f, "code", "机构代码", in.Code, 30, true)
	checkLen(&f, "guide", "公开指南", in.Guide, 20000, false)
	checkLen(&f, "address", "办公地址", in.Address, 200, false)
	checkLen(&f, "phone", "联系电话", in.Phone, 50, false)
	checkLen(&f, "hours", "办公时间", in.Hours, 200, false)
	f.Check(in.RegionID <= 0, "region_id", "请选择所属区域")
	if err := CheckIndexTemplate(in.IndexTemplate); err != nil {
		f.Add("index_template", err.Error())
	}
	return f.Err()
}

func checkLen(f *apperr.Fields, field, label, v string, maxRunes int, required bool) {
	n := utf8.RuneCountInString(strings.TrimSpace(v))
	f.Check(required && n == 0, field, "请填写"+label)
	f.Check(n > maxRunes, field, fmt.Sprintf("%s不能超过 %d 个字", label, maxRunes))
}

func (s *Service) record(ctx context.Context, a *identity.Actor, ag *Agency, action, objType string, id int64, change any) error {
	return s.audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + ag.RegionPath, Action: action,
		ObjectType: objType, ObjectID: strconv.FormatInt(id, 10), Change: change})
}

// Agency returns one agency.
func (s *Service) Agency(ctx context.Context, id int64) (*Agency, error) {
	return s.store.FindAgencyByID(ctx, id)
}

// Agencies lists agencies.
func (s *Service) Agencies(ctx context.Context, f AgencyFilter) ([]*Agency, error) {
	return s.store.FindAgencies(ctx, f)
}

// AgencyByName returns the agency with exactly this name.
func (s *Service) AgencyByName(ctx context.Context, name string) (*Agency, error) {
	as, err := s.store.FindAgencies(ctx, AgencyFilter{Name: name})
	if err != nil {
		return nil, err
	}
	if len(as) == 0 {
		return nil, apperr.New(apperr.NotFound, "公开主体“%s”不存在", name)
	}
	return as[0], nil
}

// SaveAgency creates (id 0) or edits an agency.
func (s *Service) SaveAgency(ctx context.Context, a *identity.Actor, id int64, in AgencyInput) (*Agency, error) {
	in.normalize()
	var saved *Agency
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		// Built afresh on every run: a rerun must not find the ID the
		// first, rolled-back insert set and take the update path.
		ag := &Agency{}
		saved = nil
		if id != 0 {
			var err error
			if ag, err = s.store.FindAgencyByID(ctx, id); err != nil {
				return err
			}
			in.RegionID, in.DepartmentID = ag.RegionID, ag.DepartmentID
		}
		if err := in.validate(); err != nil {
			return err
		}
		path, err := s.regions.RegionPath(ctx, in.RegionID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.Field("region_id", "所选区域不存在")
		} else if err != nil {
			return err
		}
		ag.RegionID, ag.DepartmentID, ag.RegionPath = in.RegionID, in.DepartmentID, path
		if err := CanManageAgency(a, ag); err != nil {
			return err
		}
		ag.Name, ag.Code, ag.IndexTemplate, ag.Guide = in.Name, in.Code, in.IndexTemplate, in.Guide
		ag.Address, ag.Phone, ag.Hours = in.Address, in.Phone, in.Hours
		if err := s.saveAgency(ctx, a, ag); err != nil {
			return err
		}
		saved = ag
		return nil
	})
	return saved, err
}

func (s *Service) saveAgency(ctx context.Context, a *identity.Actor, ag *Agency) error {
	now := s.now()
	ag.UpdatedAt = now
	action, err := "disclosure.agency.update", error(nil)
	if ag.ID == 0 {
		ag.CreatedAt, action = now, "disclosure.agency.create"
		err = s.store.CreateAgency(ctx, ag)
	} else {
		err = s.store.UpdateAgency(ctx, ag)
	}
	if err != nil {
		return err
	}
	return s.record(ctx, a, ag, action, "agency", ag.ID, ag)
}
