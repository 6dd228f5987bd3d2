package sources

import (
	"context"
	"fmt"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/catalog"
	"openhall/internal/opendata"
	"openhall/internal/org"
	"openhall/internal/pii"
)

// Licence is one 行政许可 decision granted (准予许可) on a case.
type Licence struct {
	CaseID        int64
	Number        string // 办件编号, the reference of the decision
	ApplicantKind string // person or legal
	ApplicantName string
	CreditCode    string // legal persons only
	ItemName      string
	DepartmentID  int64
	Certificate   string
	ClosedAt      time.Time
}

// LicenceCodePrefix is how the 基本编码 of every 行政许可 item starts: the
// catalogue refuses an item whose code does not match its type, so cases
// are recognised as licences by their item code alone.
func LicenceCodePrefix() string { return catalog.TypeLicence.CodeLetters() }

// Licences is the 行政许可 half of 双公示 (publishing 行政许可 and 行政处罚
// decisions as credit information): every licence granted through the
// platform. The column set follows the 信用中国 行政许可 data standard and
// the period usually quoted for publication (7 working days after the
// decision); neither text was read here, so both are unverified.
// Regenerated hourly, well inside that period. Natural persons appear with
// a masked name and no identity number (个人信息保护法 Art 28: an identity
// number is sensitive personal information).
type Licences struct {
	Decisions interface {
		// LicenceDecisions returns granted licences of items whose code
		// starts with prefix, closed cases with an id above after, in id
		// order, at most limit of them.
		LicenceDecisions(ctx context.Context, prefix string, after int64, limit int) ([]Licence, error)
	}
	Departments interface {
		Department(ctx context.Context, id int64) (*org.Department, error)
	}
}

// Key implements opendata.Source.
func (Licences) Key() string { return "cases.licences" }

// Every implements opendata.Source.
func (Licences) Every() time.Duration { return time.Hour }

var licenceColumns = []opendata.Column{
	text("decision_no", "行政许可决定文书号"), text("holder", "行政相对人名称"), text("holder_kind", "行政相对人类别"),
	text("credit_code", "统一社会信用代码"), text("item", "许可事项"), text("certificate", "许可证书编号"),
	date("decided_on", "许可决定日期"), text("authority", "许可机关"),
}

// Datasets implements opendata.Source.
func (Licences) Datasets(context.Context) ([]opendata.Spec, error) {
	return []opendata.Spec{{Name: "licence-decisions", Title: "行政许可决定（双公示）",
		Description: "通过本平台办结并准予许可的行政许可决定：决定文书号（办件编号）、行政相对人、许可事项、证书编号、决定日期和许可机关。" +
			"自然人仅公示姓氏，不公示身份证件号码。每小时更新。",
		Theme: "market", Keywords: []string{"双公示", "行政许可", "信用信息"}, Frequency: "daily", Columns: licenceColumns}}, nil
}

// licencePage is how many decisions are read at a time.
const licencePage = 500

// Rows implements opendata.Source.
func (l Licences) Rows(ctx context.Context, _ opendata.Spec, emit func([]string) error) error {
	names := departmentNames{d: l.Departments, names: map[int64]string{}}
	for after := int64(0); ; {
		page, err := l.Decisions.LicenceDecisions(ctx, LicenceCodePrefix(), after, licencePage)
		if err != nil {
			return err
		}
		for _, d := range page {
			if err := emit(licenceRow(d, names.name(ctx, d.DepartmentID))); err != nil {
				return err
			}
			after = d.CaseID
		}
		if len(page) < licencePage {
			return nil
		}
	}
}

// licenceRow is a decision as published: a natural person's name masked
// and no credit code for one.
func licenceRow(d Licence, authority string) []string {
	holder, kind, code := d.ApplicantName, "法人及非法人组织", d.CreditCode
	if d.ApplicantKind != "legal" {
		holder, kind, code = pii.MaskName(d.ApplicantName), "自然人", ""
	}
	return []string{d.Number, holder, kind, code, d.ItemName, d.Certificate, calendar.DateOf(d.ClosedAt).String(), authority}
}

// departmentNames looks departments up once each.
type departmentNames struct {
	d interface {
		Department(ctx context.Context, id int64) (*org.Department, error)
	}
	names map[int64]string
}

func (n departmentNames) name(ctx context.Context, id int64) string {
	if s, ok := n.names[id]; ok {
		return s
	}
	s := fmt.Sprintf("部门 %d", id)
	if d, err := n.d.Department(ctx, id); err == nil {
		s = d.Name
	}
	n.names[id] = s
	return s
}
