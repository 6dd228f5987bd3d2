package api

import (
	"strconv"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/catalog"
)

// The machine-readable guide. Enumerations carry their national code and
// a *_label; limits carry a text as the public guide writes them; every
// step carries its time limit, time at the counter and waiting time, so
// that a client can total them the way eRegulations does.

type codeLabel struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

func codesOf[T interface {
	~string
	Label() string
}](xs []T) []codeLabel {
	out := make([]codeLabel, 0, len(xs))
	for _, x := range xs {
		out = append(out, codeLabel{string(x), x.Label()})
	}
	return out
}

type limitJSON struct {
	N         int           `json:"n"`
	Unit      calendar.Unit `json:"unit"`
	UnitLabel string        `json:"unit_label"`
	Text      string        `json:"text"`
	Note      string        `json:"note,omitempty"`
}

func toLimit(l calendar.Limit, note string) limitJSON {
	return limitJSON{N: l.N, Unit: l.Unit, UnitLabel: l.Unit.Label(), Text: catalog.LimitText(l), Note: note}
}

// itemJSON is an item in a list.
type itemJSON struct {
	ID             int64       `json:"id"`
	Code           string      `json:"code"`
	ImplCode       string      `json:"impl_code"`
	Name           string      `json:"name"`
	Type           string      `json:"type"`
	TypeLabel      string      `json:"type_label"`
	Level          string      `json:"level"`
	LevelLabel     string      `json:"level_label"`
	RegionID       int64       `json:"region_id"`
	RegionName     string      `json:"region_name"`
	DepartmentID   int64       `json:"department_id"`
	DepartmentName string      `json:"department_name"`
	Status         string      `json:"status"`
	StatusLabel    string      `json:"status_label"`
	StatusReason   string      `json:"status_reason"`
	StatusDate     *string     `json:"status_date"`
	Kind           string      `json:"kind"`
	KindLabel      string      `json:"kind_label"`
	PromisedLimit  limitJSON   `json:"promised_limit"`
	Audiences      []codeLabel `json:"audiences"`
	Themes         []string    `json:"themes"`
	Online         bool        `json:"online"`
	URL            string      `json:"url"`
	UpdatedAt      time.Time   `json:"updated_at"`
}

func toItem(it *catalog.Item) itemJSON {
	j := itemJSON{ID: it.ID, Code: it.Code, ImplCode: it.ImplCode, Name: it.Name, Type: string(it.Type), TypeLabel: it.Type.Label(),
		Level: string(it.Level), LevelLabel: it.Level.Label(), RegionID: it.RegionID, RegionName: it.RegionName,
		DepartmentID: it.DepartmentID, DepartmentName: it.DepartmentName, Status: string(it.Status), StatusLabel: it.Status.Label(),
		StatusReason: it.StatusReason, Kind: string(it.Kind), KindLabel: it.Kind.Label(), PromisedLimit: toLimit(it.Promised, ""),
		Audiences: codesOf(it.Audiences), Themes: strs(it.Themes), Online: it.Online, URL: "/items/" + it.ImplCode, UpdatedAt: it.UpdatedAt}
	if it.StatusDate != (calendar.Date{}) {
		d := it.StatusDate.String()
		j.StatusDate = &d
	}
	return j
}

func strs(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// guideDocJSON is the full guide of one version of an item.
type guideDocJSON struct {
	itemJSON
	Version versionJSON   `json:"version"`
	Guide   guideJSON     `json:"guide"`
	Totals  totalsJSON    `json:"totals"`
	History []historyJSON `json:"history"`
}

type versionJSON struct {
	ID            int64     `json:"id"`
	Number        int       `json:"number"`
	State         string    `json:"state"`
	StateLabel    string    `json:"state_label"`
	EffectiveDate *string   `json:"effective_date"`
	Changes       []string  `json:"changes"`
	ReviewNote    string    `json:"review_note"`
	UpdatedAt     time.Time `json:"updated_at"`
}

func toVersion(v *catalog.Version) versionJSON {
	j := versionJSON{ID: v.ID, Number: v.Number, State: string(v.State), StateLabel: v.State.Label(), Changes: strs(v.Changes),
		ReviewNote: v.ReviewNote, UpdatedAt: v.UpdatedAt}
	if v.State == catalog.StatePublished {
		d := v.EffectiveDate.String()
		j.EffectiveDate = &d
	}
	return j
}

type historyJSON struct {
	Date      string `json:"date"`
	VersionID *int64 `json:"version_id"`
	Text      string `json:"text"`
}

func toHistory(h []catalog.HistoryEntry) []historyJSON {
	out := make([]historyJSON, 0, len(h))
	for _, e := range h {
		j := historyJSON{Date: e.Date.String(), Text: e.Text}
		if e.VersionID != 0 {
			id := e.VersionID
			j.VersionID = &id
		}
		out = append(out, j)
	}
	return out
}

// totalsJSON sums the per-step figures, as eRegulations publishes them.
type totalsJSON struct {
	Steps          int   `json:"steps"`
	CounterMinutes int   `json:"counter_minutes"`
	WaitMinutes    int   `json:"wait_minutes"`
	Visits         int   `json:"visits"` // steps with time at the counter: trips to the window
	FeeFen         int64 `json:"fixed_fee_fen"`
	HasFormulaFee  bool  `json:"has_formula_fee"`
}

func totals(g *catalog.Guide) totalsJSON {
	t := totalsJSON{Steps: len(g.Steps)}
	for _, s := range g.Steps {
		t.CounterMinutes += s.CounterMin
		t.WaitMinutes += s.WaitMin
		if s.CounterMin > 0 {
			t.Visits++
		}
	}
	if g.Fees.Charged {
		for _, f := range g.Fees.Items {
			if f.Formula != nil {
				t.HasFormulaFee = true
			} else {
				t.FeeFen += f.AmountFen
			}
		}
	}
	return t
}

type guideJSON struct {
	Name          string               `json:"name"`
	Subject       subjectJSON          `json:"subject"`
	CoDepartments []catalog.DeptRef    `json:"co_departments"`
	LegalBases    []catalog.LegalBasis `json:"legal_bases"`
	Conditions    string               `json:"conditions"`
	Materials     []materialJSON       `json:"materials"`
	Steps         []stepJSON           `json:"steps"`
	LegalLimit    limitJSON            `json:"legal_limit"`
	PromisedLimit limitJSON            `json:"promised_limit"`
	Kind          codeLabel            `json:"kind"`
	Procedures    []procedureJSON      `json:"special_procedures"`
	Fees          feesJSON             `json:"fees"`
	Result        resultJSON           `json:"result"`
	Scope         codeLabel            `json:"scope"`
	Audiences     []codeLabel          `json:"audiences"`
	Themes        []string             `json:"themes"`
	Forms         []codeLabel          `json:"forms"`
	Location      string               `json:"location"`
	Hours         string               `json:"hours"`
	Consult       string               `json:"consult"`
	Complaint     string               `json:"complaint"`
	Online        bool                 `json:"online"`
	OnlineURL     string               `json:"online_url"`
	Appointment   bool                 `json:"appointment"`
	Delivery      bool                 `json:"delivery"`
	FAQs          []catalog.FAQ        `json:"faqs"`
	JointMode     codeLabel            `json:"joint_mode"`
	Fields        []catalog.FormField  `json:"fields"`
}

type subjectJSON struct {
	Name        string `json:"name"`
	CreditCode  string `json:"credit_code"`
	Nature      string `json:"nature"`
	NatureLabel string `json:"nature_label"`
}

type fileJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

func toFile(f *catalog.FileRef) *fileJSON {
	if f == nil {
		return nil
	}
	return &fileJSON{ID: f.ID, Name: f.Name, URL: "/catalog/files/" + strconv.FormatInt(f.ID, 10)}
}

type materialJSON struct {
	Name      string    `json:"name"`
	Source    string    `json:"source"`
	Issuer    string    `json:"issuer"`
	Originals int       `json:"originals"`
	Copies    int       `json:"copies"`
	Need      codeLabel `json:"need"`
	Condition string    `json:"condition"`
	Type      codeLabel `json:"type"`
	Form      *fileJSON `json:"form"`
	Sample    *fileJSON `json:"sample"`
	Note      string    `json:"note"`
}

type stepJSON struct {
	Name           string           `json:"name"`
	Role           codeLabel        `json:"role"`
	Department     *catalog.DeptRef `json:"department"`
	Limit          limitJSON        `json:"limit"`
	CounterMinutes int              `json:"counter_minutes"`
	WaitMinutes    int              `json:"wait_minutes"`
	Parallel       bool             `json:"parallel"`
	Description    string           `json:"description"`
}

type procedureJSON struct {
	Kind       codeLabel `json:"kind"`
	Name       string    `json:"name"`
	StopsClock bool      `json:"stops_clock"`
	MaxLimit   limitJSON `json:"max_limit"`
	Basis      string    `json:"basis"`
}

type feesJSON struct {
	Charged bool      `json:"charged"`
	Text    string    `json:"text"`
	Items   []feeJSON `json:"items"`
	Note    string    `json:"note"`
	Due     codeLabel `json:"due"`
	Payment string    `json:"payment"`
}

type feeJSON struct {
	catalog.Fee
	Description string `json:"description"`
}

type resultJSON struct {
	Name        string    `json:"name"`
	Type        codeLabel `json:"type"`
	ValidMonths int       `json:"valid_months"`
	Validity    string    `json:"validity"`
	Sample      *fileJSON `json:"sample"`
}

func toGuide(g *catalog.Guide) guideJSON {
	j := guideJSON{Name: g.Name, Subject: subjectJSON{g.Subject.Name, g.Subject.CreditCode, string(g.Subject.Nature), g.Subject.Nature.Label()},
		CoDepartments: nonNil(g.CoDepartments), LegalBases: nonNil(g.LegalBases), Conditions: g.Conditions,
		LegalLimit: toLimit(g.LegalLimit.Limit, g.LegalLimit.Note), PromisedLimit: toLimit(g.PromisedLimit.Limit, g.PromisedLimit.Note),
		Kind: codeLabel{string(g.Kind), g.Kind.Label()}, Scope: codeLabel{string(g.Scope), g.Scope.Label()},
		Audiences: codesOf(g.Audiences), Themes: strs(g.Themes), Forms: codesOf(g.Forms), Location: g.Location, Hours: g.Hours,
		Consult: g.Consult, Complaint: g.Complaint, Online: g.Online, OnlineURL: g.OnlineURL, Appointment: g.Appointment,
		Delivery: g.Delivery, FAQs: nonNil(g.FAQs), Fees: toFees(g.Fees), Fields: nonNil(g.Fields),
		JointMode: codeLabel{string(g.JointMode), g.JointMode.Label()},
		Result:    resultJSON{g.Result.Name, codeLabel{string(g.Result.Type), g.Result.Type.Label()}, g.Result.ValidMonths, g.Result.Validity, toFile(g.Result.Sample)}}
	for _, m := range g.Materials {
		j.Materials = append(j.Materials, materialJSON{m.Name, m.Source, m.Issuer, m.Originals, m.Copies, codeLabel{string(m.Need), m.Need.Label()},
			m.Condition, codeLabel{string(m.Type), m.Type.Label()}, toFile(m.Form), toFile(m.Sample), m.Note})
	}
	for _, s := range g.Steps {
		j.Steps = append(j.Steps, stepJSON{s.Name, codeLabel{string(s.Role), s.Role.Label()}, s.Department, toLimit(s.Limit, ""),
			s.CounterMin, s.WaitMin, s.Parallel, s.Description})
	}
	for _, p := range g.Procedures {
		j.Procedures = append(j.Procedures, procedureJSON{codeLabel{string(p.Kind), p.Kind.Label()}, p.Name, p.StopsClock, toLimit(p.MaxLimit, ""), p.Basis})
	}
	j.Materials, j.Steps, j.Procedures = nonNil(j.Materials), nonNil(j.Steps), nonNil(j.Procedures)
	return j
}

func toFees(f catalog.Fees) feesJSON {
	j := feesJSON{Charged: f.Charged, Text: "不收费", Items: []feeJSON{}, Note: f.Note, Due: codeLabel{string(f.Due), f.Due.Label()},
		Payment: f.Payment}
	if f.Charged {
		j.Text = "收费"
	}
	for _, it := range f.Items {
		j.Items = append(j.Items, feeJSON{Fee: it, Description: it.Describe()})
	}
	return j
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
