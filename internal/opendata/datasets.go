package opendata

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/calendar"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
)

// DatasetInput describes an uploaded dataset (generated ones are described
// by their source).
type DatasetInput struct {
	PublisherID  int64
	Name         string
	Title        string
	Description  string
	Theme        string
	Keywords     string // separated by commas, 、 or spaces
	Frequency    string
	TemporalFrom string
	TemporalTo   string
	Spatial      string
	License      string
	ContactName  string
	ContactEmail string
	ContactPhone string
	Tier         Tier
	TierReason   string
	Columns      []Column
}

var (
	nameRe       = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{1,99}$`)
	columnNameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)
	emailRe      = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	phoneRe      = regexp.MustCompile(`^[0-9+\- ]{5,20}$`)
	keywordSep   = regexp.MustCompile(`[,，、;；\s]+`)
)

func checkLen(f *apperr.Fields, field, label, v string, max int, required bool) {
	n := utf8.RuneCountInString(strings.TrimSpace(v))
	f.Check(required && n == 0, field, "请填写"+label)
	f.Check(n > max, field, fmt.Sprintf("%s不能超过 %d 个字", label, max))
}

func (in *DatasetInput) validate() (calendar.Date, calendar.Date, error) {
	var f apperr.Fields
	in.Name = strings.ToLower(strings.TrimSpace(in.Name))
	f.Check(in.PublisherID == 0, "publisher_id", "请选择发布单位")
	f.Check(!nameRe.MatchString(in.Name), "name", "标识名须为 2–100 位小写字母、数字、“-”或“_”，以字母或数字开头（用于网址和 CKAN 接口）")
	checkLen(&f, "title", "数据集名称", in.Title, 200, true)
	checkLen(&f, "description", "数据集描述", in.Description, 5000, true)
	f.Check(ThemeLabel(in.Theme) == "", "theme", "请选择数据领域")
	f.Check(FrequencyLabel(in.Frequency) == "", "frequency", "请选择更新频率")
	f.Check(LicenseLabel(in.License) == "", "license", "请选择开放许可")
	checkLen(&f, "spatial", "空间范围", in.Spatial, 100, false)
	checkLen(&f, "contact_name", "联系人", in.ContactName, 50, true)
	in.ContactEmail, in.ContactPhone = strings.TrimSpace(in.ContactEmail), strings.TrimSpace(in.ContactPhone)
	f.Check(in.ContactEmail != "" && !emailRe.MatchString(in.ContactEmail), "contact_email", "电子邮箱格式不正确")
	f.Check(in.ContactPhone != "" && !phoneRe.MatchString(in.ContactPhone), "contact_phone", "联系电话格式不正确，如 0571-87061234")
	f.Check(in.ContactEmail == "" && in.ContactPhone == "", "contact_email", "请至少填写电子邮箱或联系电话之一")
	in.checkTier(&f)
	checkColumns(&f, in.Columns, in.Tier)
	from, to := optionalDate(&f, "temporal_from", "时间范围起", in.TemporalFrom), optionalDate(&f, "temporal_to", "时间范围止", in.TemporalTo)
	f.Check(from != (calendar.Date{}) && to != (calendar.Date{}) && to.Before(from), "temporal_to", "时间范围止不能早于起")
	return from, to, f.Err()
}

func (in *DatasetInput) checkTier(f *apperr.Fields) {
	in.TierReason = strings.TrimSpace(in.TierReason)
	switch in.Tier {
	case TierOpen:
	case TierConditional:
		f.Check(in.TierReason == "", "tier_reason", "有条件开放须写明开放条件（如使用范围、安全要求）")
	case TierClosed:
		f.Check(in.TierReason == "", "tier_reason", "不予开放须写明理由（如涉及个人隐私、国家秘密）")
	default:
		f.Add("tier", "请选择开放属性")
	}
	checkLen(f, "tier_reason", "开放条件或理由", in.TierReason, 1000, false)
}

// checkColumns validates declared columns; personal data is refused in any
// dataset that is open, even conditionally.
func checkColumns(f *apperr.Fields, cols []Column, tier Tier) {
	if len(cols) == 0 {
		f.Add("columns", "请至少声明一列（列名、标题、类型）")
		return
	}
	f.Check(len(cols) > 100, "columns", "最多 100 列")
	seen := map[string]bool{}
	for i, c := range cols {
		field := "columns." + strconv.Itoa(i)
		switch {
		case !columnNameRe.MatchString(c.Name):
			f.Add(field, fmt.Sprintf("第 %d 列的列名“%s”须以字母开头，只含字母、数字和下划线", i+1, c.Name))
		case seen[c.Name]:
			f.Add(field, fmt.Sprintf("第 %d 列的列名“%s”重复", i+1, c.Name))
		case strings.TrimSpace(c.Title) == "" || utf8.RuneCountInString(c.Title) > 50:
			f.Add(field, fmt.Sprintf("第 %d 列须有 50 字以内的标题", i+1))
		case c.Type.Label() == "":
			f.Add(field, fmt.Sprintf("第 %d 列的类型须为文本、整数、数值或日期", i+1))
		case c.Personal && tier != TierClosed:
			f.Add(field, fmt.Sprintf("第 %d 列“%s”含个人信息：含个人信息的数据集只能标为不予开放，或删除该列后开放", i+1, c.Title))
		}
		seen[c.Name] = true
	}
}

func optionalDate(f *apperr.Fields, field, label, s string) calendar.Date {
	s = strings.TrimSpace(s)
	if s == "" {
		return calendar.Date{}
	}
	d, err := calendar.ParseDate(s)
	f.Check(err != nil, field, label+"格式应为 YYYY-MM-DD")
	return d
}

// Keywords splits a keyword field.
func Keywords(s string) []string {
	var out []string
	for _, k := range keywordSep.Split(strings.TrimSpace(s), -1) {
		if k != "" && len(out) < 20 {
			out = append(out, k)
		}
	}
	return out
}

func (s *Service) publisher(ctx context.Context, field string, id int64) (*disclosure.Agency, error) {
	ag, err := s.d.Agencies.Agency(ctx, id)
	if apperr.Is(err, apperr.NotFound) && field != "" {
		return nil, apperr.Field(field, "所选发布单位不存在")
	}
	return ag, err
}

func (s *Service) record(ctx context.Context, a *identity.Actor, ag *disclosure.Agency, action, objType string, id int64, change any) error {
	return s.d.Audit.Append(ctx, audit.Record{Actor: a.Audit(), Scope: "region:" + ag.RegionPath, Action: action,
		ObjectType: objType, ObjectID: strconv.FormatInt(id, 10), Change: change})
}

func datasetChange(d *Dataset) map[string]any {
	return map[string]any{"name": d.Name, "title": d.Title, "tier": d.Tier, "status": d.Status, "version": d.Version}
}

// SaveDataset creates (id 0) or edits an uploaded dataset's description.
// Editing a published dataset is allowed and counts as a modification.
func (s *Service) SaveDataset(ctx context.Context, a *identity.Actor, id int64, in DatasetInput) (*Dataset, error) {
	from, to, err := in.validate()
	if err != nil {
		return nil, err
	}
	var d *Dataset
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		d = &Dataset{Status: StatusDraft, Source: SourceUpload, CreatedBy: a.UserID, CreatedAt: s.now()}
		if id != 0 {
			var err error
			if d, _, err = s.managed(ctx, a, id); err != nil {
				return err
			}
			if d.Source != SourceUpload {
				return apperr.New(apperr.Conflict, "“%s”由平台自动生成，其描述随来源模块更新，不能手工修改", d.Title)
			}
		}
		ag, err := s.publisher(ctx, "publisher_id", in.PublisherID)
		if err != nil {
			return err
		}
		if err := CanManage(a, ag); err != nil {
			return err
		}
		if err := s.checkColumnsChange(d, in.Columns); err != nil {
			return err
		}
		fill(d, in, from, to)
		return s.saveDataset(ctx, a, ag, d)
	})
	return d, err
}

// checkColumnsChange refuses a new column layout once data was uploaded:
// a new layout needs a new dataset, or the rows would not fit.
func (s *Service) checkColumnsChange(d *Dataset, cols []Column) error {
	if !d.HasData() || len(cols) != len(d.Columns) {
		if d.HasData() {
			return apperr.Field("columns", "已有数据的数据集不能增删列；如数据结构改变，请新建数据集")
		}
		return nil
	}
	for i := range cols {
		if cols[i].Name != d.Columns[i].Name || cols[i].Type != d.Columns[i].Type {
			return apperr.Field("columns", "已有数据的数据集不能改变列名或类型；如数据结构改变，请新建数据集")
		}
	}
	return nil
}

func fill(d *Dataset, in DatasetInput, from, to calendar.Date) {
	d.PublisherID, d.Name, d.Title, d.Description = in.PublisherID, in.Name, strings.TrimSpace(in.Title), strings.TrimSpace(in.Description)
	d.Theme, d.Keywords, d.Frequency, d.TemporalFrom, d.TemporalTo = in.Theme, Keywords(in.Keywords), in.Frequency, from, to
	d.Spatial, d.License, d.ContactName = strings.TrimSpace(in.Spatial), in.License, strings.TrimSpace(in.ContactName)
	d.ContactEmail, d.ContactPhone, d.Tier, d.TierReason, d.Columns = in.ContactEmail, in.ContactPhone, in.Tier, in.TierReason, in.Columns
}

func (s *Service) saveDataset(ctx context.Context, a *identity.Actor, ag *disclosure.Agency, d *Dataset) error {
	now := s.now()
	d.UpdatedAt, d.PublisherName, d.RegionPath = now, ag.Name, ag.RegionPath
	if d.Status == StatusPublished {
		d.ModifiedAt = now
	}
	action, err := "opendata.dataset.update", error(nil)
	if d.ID == 0 {
		action, err = "opendata.dataset.create", s.d.Store.CreateDataset(ctx, d)
	} else {
		err = s.d.Store.UpdateDataset(ctx, d)
	}
	if err != nil {
		return err
	}
	return s.record(ctx, a, ag, action, "opendata_dataset", d.ID, datasetChange(d))
}

// managed loads a dataset for one who may manage it.
func (s *Service) managed(ctx context.Context, a *identity.Actor, id int64) (*Dataset, *disclosure.Agency, error) {
	d, err := s.d.Store.FindDatasetByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	ag, err := s.publisher(ctx, "", d.PublisherID)
	if err != nil {
		return nil, nil, err
	}
	return d, ag, CanManage(a, ag)
}

// SetStatus publishes or withdraws a dataset. A dataset is published only
// with data (or when 不予开放, whose entry only lists it).
func (s *Service) SetStatus(ctx context.Context, a *identity.Actor, id int64, st Status) (*Dataset, error) {
	var d *Dataset
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var ag *disclosure.Agency
		var err error
		if d, ag, err = s.managed(ctx, a, id); err != nil {
			return err
		}
		switch {
		case st != StatusPublished && st != StatusWithdrawn:
			return apperr.Field("status", "只能发布或撤回")
		case st == StatusPublished && !d.HasData() && d.Tier != TierClosed:
			return apperr.New(apperr.Conflict, "“%s”还没有数据，请先上传数据文件再发布", d.Title)
		}
		s.markStatus(d, st)
		return s.saveDataset(ctx, a, ag, d)
	})
	return d, err
}

func (s *Service) markStatus(d *Dataset, st Status) {
	d.Status = st
	if st == StatusPublished && d.IssuedAt.IsZero() {
		d.IssuedAt = s.now()
	}
}
