package consult

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/identity"
)

// QuestionKind is how a survey question is answered.
type QuestionKind string

// Question kinds.
const (
	Single   QuestionKind = "single"   // 单选
	Multiple QuestionKind = "multiple" // 多选
	FreeText QuestionKind = "text"     // 填空
)

// Label is the kind's Chinese name.
func (k QuestionKind) Label() string {
	switch k {
	case Single:
		return "单选"
	case Multiple:
		return "多选"
	case FreeText:
		return "填空"
	}
	return string(k)
}

// Question is one question of a survey. Choice questions must be answered;
// free-text ones may be left empty.
type Question struct {
	Text    string       `json:"text"`
	Kind    QuestionKind `json:"kind"`
	Options []string     `json:"options,omitempty"`
}

// SurveyStatus is where a survey stands; an open survey closes by itself
// after its last day.
type SurveyStatus string

// Survey statuses.
const (
	SurveyDraft  SurveyStatus = "draft"
	SurveyOpen   SurveyStatus = "open"
	SurveyClosed SurveyStatus = "closed" // closed early by the office
)

// Survey is an online questionnaire (网上调查).
type Survey struct {
	ID        int64
	AgencyID  int64
	Title     string
	Intro     string
	Questions []Question
	OpensOn   calendar.Date // set when published
	ClosesOn  calendar.Date // the last day answers are taken
	Status    SurveyStatus
	CreatedBy int64
	CreatedAt time.Time
	UpdatedAt time.Time

	AgencyName string // filled when loaded
	RegionPath string // filled when loaded
}

// Closed reports whether the survey takes no more answers on day.
func (s *Survey) Closed(day calendar.Date) bool {
	return s.Status == SurveyClosed || (s.Status == SurveyOpen && day.After(s.ClosesOn))
}

// StatusLabel says where the survey stands on day.
func (s *Survey) StatusLabel(day calendar.Date) string {
	switch {
	case s.Status == SurveyDraft:
		return "草稿"
	case s.Closed(day):
		return "已结束"
	}
	return "进行中"
}

// Answer is the answer to one question: the chosen options' indexes, or
// the text.
type Answer struct {
	Choices []int  `json:"choices,omitempty"`
	Text    string `json:"text,omitempty"`
}

// Response is one respondent's answers. Voter identifies the account or
// the device (a hash), so that each answers once.
type Response struct {
	ID        int64
	SurveyID  int64
	Voter     string
	Answers   []Answer
	CreatedAt time.Time
}

// SurveyFilter selects surveys.
type SurveyFilter struct {
	AgencyID int64
	Public   bool // published ones only
	Offset   int
	Limit    int
}

// SurveyStore keeps surveys and their responses.
type SurveyStore interface {
	CreateSurvey(ctx context.Context, s *Survey) error
	UpdateSurvey(ctx context.Context, s *Survey) error
	FindSurvey(ctx context.Context, id int64) (*Survey, error)
	FindSurveys(ctx context.Context, f SurveyFilter) ([]*Survey, int, error)
	// CreateResponse inserts a response; a second one from the same voter
	// is a Conflict.
	CreateResponse(ctx context.Context, r *Response) error
	FindResponses(ctx context.Context, surveyID int64) ([]*Response, error)
}

// SurveyInput creates or edits a draft survey.
type SurveyInput struct {
	AgencyID  int64
	Title     string
	Intro     string
	Questions []Question
	ClosesOn  string // YYYY-MM-DD
}

// Limits of a survey.
const (
	maxQuestions = 50
	maxOptions   = 20
	maxAnswer    = 500
)

func (in *SurveyInput) validate(today calendar.Date) (calendar.Date, error) {
	var f apperr.Fields
	f.Check(in.AgencyID <= 0, "agency_id", "请选择公开主体")
	checkText(&f, "title", "调查标题", strings.TrimSpace(in.Title), maxTitle, true)
	checkText(&f, "intro", "调查说明", in.Intro, maxExplanation, false)
	closes, err := calendar.ParseDate(strings.TrimSpace(in.ClosesOn))
	switch {
	case err != nil:
		f.Add("closes_on", "请填写截止日期（YYYY-MM-DD）")
	case closes.Before(today):
		f.Add("closes_on", "截止日期不能早于今天（"+today.String()+"）")
	}
	if msg := checkQuestions(in.Questions); msg != "" {
		f.Add("questions", msg)
	}
	return closes, f.Err()
}

func checkQuestions(qs []Question) string {
	if len(qs) == 0 {
		return "请至少设置一个问题"
	}
	if len(qs) > maxQuestions {
		return fmt.Sprintf("问题不能超过 %d 个", maxQuestions)
	}
	for i, q := range qs {
		if msg := checkQuestion(q); msg != "" {
			return fmt.Sprintf("第 %d 题：%s", i+1, msg)
		}
	}
	return ""
}

func checkQuestion(q Question) string {
	switch {
	case strings.TrimSpace(q.Text) == "":
		return "题目不能为空"
	case utf8.RuneCountInString(q.Text) > maxTitle:
		return fmt.Sprintf("题目不能超过 %d 个字", maxTitle)
	case q.Kind != Single && q.Kind != Multiple && q.Kind != FreeText:
		return "题型应为单选、多选或填空"
	case q.Kind == FreeText && len(q.Options) > 0:
		return "填空题不设选项"
	case q.Kind != FreeText && (len(q.Options) < 2 || len(q.Options) > maxOptions):
		return fmt.Sprintf("选择题应有 2–%d 个选项", maxOptions)
	}
	for _, o := range q.Options {
		if strings.TrimSpace(o) == "" || utf8.RuneCountInString(o) > 100 {
			return "选项不能为空，也不能超过 100 个字"
		}
	}
	return ""
}

// ParseQuestions reads questions written one per line as
// 题型|题目|选项1;选项2;…, where 题型 is 单选, 多选 or 填空.
func ParseQuestions(text string) ([]Question, error) {
	var out []Question
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		parts := strings.Split(line, "|")
		q := Question{Text: strings.TrimSpace(parts[min(1, len(parts)-1)])}
		switch strings.TrimSpace(parts[0]) {
		case "单选":
			q.Kind = Single
		case "多选":
			q.Kind = Multiple
		case "填空":
			q.Kind = FreeText
		default:
			return nil, apperr.Field("questions", fmt.Sprintf("第 %d 行：应以“单选|”“多选|”或“填空|”开头", i+1))
		}
		if len(parts) > 2 && q.Kind != FreeText {
			for _, o := range strings.Split(parts[2], ";") {
				q.Options = append(q.Options, strings.TrimSpace(o))
			}
		}
		out = append(out, q)
	}
	return out, nil
}

// FormatQuestions writes questions in the line format ParseQuestions reads.
func FormatQuestions(qs []Question) string {
	var b strings.Builder
	for _, q := range qs {
		b.WriteString(q.Kind.Label() + "|" + q.Text)
		if len(q.Options) > 0 {
			b.WriteString("|" + strings.Join(q.Options, ";"))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// VoterKey identifies a respondent: the account when logged in, else a hash
// of the device's token (a cookie the UI sets). Neither is personal data.
func VoterKey(a *identity.Actor, device string) (string, error) {
	if a != nil {
		return fmt.Sprintf("u:%d", a.UserID), nil
	}
	if len(device) < 16 {
		return "", apperr.New(apperr.Invalid, "无法识别设备：请允许本站保存 Cookie，或登录后作答")
	}
	sum := sha256.Sum256([]byte(device))
	return "d:" + hex.EncodeToString(sum[:16]), nil
}
