package consult

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/disclosure"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

// CreateSurvey writes a draft survey.
func (s *Service) CreateSurvey(ctx context.Context, a *identity.Actor, in SurveyInput) (*Survey, error) {
	closes, err := in.validate(s.today())
	if err != nil {
		return nil, err
	}
	ag, err := s.agency(ctx, in.AgencyID)
	if err != nil {
		return nil, err
	}
	if err := CanManage(a, ag); err != nil {
		return nil, err
	}
	var sv *Survey
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		now := s.d.Now()
		sv = &Survey{AgencyID: ag.ID, Title: strings.TrimSpace(in.Title), Intro: strings.TrimSpace(in.Intro), Questions: in.Questions,
			ClosesOn: closes, Status: SurveyDraft, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now,
			AgencyName: ag.Name, RegionPath: ag.RegionPath}
		if err := s.d.Store.CreateSurvey(ctx, sv); err != nil {
			return err
		}
		return s.record(ctx, a, ag, "survey.create", "survey", sv.ID, map[string]any{"title": sv.Title, "closes_on": closes.String()})
	})
	return sv, err
}

// managedSurvey loads a survey the actor manages.
func (s *Service) managedSurvey(ctx context.Context, a *identity.Actor, id int64) (*Survey, *disclosure.Agency, error) {
	sv, err := s.d.Store.FindSurvey(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	ag, err := s.d.Agencies.Agency(ctx, sv.AgencyID)
	if err != nil {
		return nil, nil, err
	}
	return sv, ag, CanManage(a, ag)
}

// PublishSurvey opens a draft survey from today.
func (s *Service) PublishSurvey(ctx context.Context, a *identity.Actor, id int64) (*Survey, error) {
	return s.changeSurvey(ctx, a, id, "survey.publish", func(sv *Survey) error {
		if sv.Status != SurveyDraft {
			return apperr.New(apperr.Conflict, "该调查已发布")
		}
		if sv.ClosesOn.Before(s.today()) {
			return apperr.Field("closes_on", "截止日期已过，请修改后再发布")
		}
		sv.Status, sv.OpensOn = SurveyOpen, s.today()
		return nil
	})
}

// CloseSurvey ends an open survey early; its results become public.
func (s *Service) CloseSurvey(ctx context.Context, a *identity.Actor, id int64) (*Survey, error) {
	return s.changeSurvey(ctx, a, id, "survey.close", func(sv *Survey) error {
		if sv.Status != SurveyOpen || sv.Closed(s.today()) {
			return apperr.New(apperr.Conflict, "只有进行中的调查可以提前结束")
		}
		sv.Status = SurveyClosed
		return nil
	})
}

func (s *Service) changeSurvey(ctx context.Context, a *identity.Actor, id int64, action string, change func(*Survey) error) (*Survey, error) {
	var sv *Survey
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var ag *disclosure.Agency
		var err error
		if sv, ag, err = s.managedSurvey(ctx, a, id); err != nil {
			return err
		}
		if err := change(sv); err != nil {
			return err
		}
		sv.UpdatedAt = s.d.Now()
		if err := s.d.Store.UpdateSurvey(ctx, sv); err != nil {
			return err
		}
		return s.record(ctx, a, ag, action, "survey", sv.ID, map[string]any{"status": sv.Status})
	})
	return sv, err
}

// Survey returns a published survey, or a draft to those who manage it.
func (s *Service) Survey(ctx context.Context, a *identity.Actor, id int64) (*Survey, error) {
	sv, err := s.d.Store.FindSurvey(ctx, id)
	if err != nil {
		return nil, err
	}
	if sv.Status != SurveyDraft {
		return sv, nil
	}
	if _, _, err := s.managedSurvey(ctx, a, id); err != nil {
		return nil, apperr.New(apperr.NotFound, "调查不存在或尚未发布")
	}
	return sv, nil
}

// Surveys lists surveys, newest first: published ones, or one agency's
// all of them for the office.
func (s *Service) Surveys(ctx context.Context, a *identity.Actor, f SurveyFilter) ([]*Survey, int, error) {
	if !f.Public {
		ag, err := s.agency(ctx, f.AgencyID)
		if err != nil {
			return nil, 0, err
		}
		if err := CanManage(a, ag); err != nil {
			return nil, 0, err
		}
	}
	return s.d.Store.FindSurveys(ctx, f)
}

// Respond records one respondent's answers while the survey is open; one
// response per account or device.
func (s *Service) Respond(ctx context.Context, a *identity.Actor, id int64, device string, answers []Answer) error {
	voter, err := VoterKey(a, device)
	if err != nil {
		return err
	}
	return s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		sv, err := s.d.Store.FindSurvey(ctx, id)
		if err != nil {
			return err
		}
		if sv.Status == SurveyDraft {
			return apperr.New(apperr.NotFound, "调查不存在或尚未发布")
		}
		if sv.Closed(s.today()) {
			return apperr.New(apperr.Conflict, "调查已于 %s 结束，不再接受答卷", sv.ClosesOn)
		}
		clean, err := checkAnswers(sv, answers)
		if err != nil {
			return err
		}
		r := &Response{SurveyID: sv.ID, Voter: voter, Answers: clean, CreatedAt: s.d.Now()}
		if err := s.d.Store.CreateResponse(ctx, r); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.New(apperr.Conflict, "您已参加过本次调查，每个账号或设备只能作答一次")
			}
			return err
		}
		return s.record(ctx, a, &disclosure.Agency{RegionPath: sv.RegionPath}, "survey.respond", "survey", sv.ID, map[string]any{"response": r.ID})
	})
}

// checkAnswers checks answers against the questions, naming the question,
// and masks personal data in free text.
func checkAnswers(sv *Survey, answers []Answer) ([]Answer, error) {
	var f apperr.Fields
	if len(answers) != len(sv.Questions) {
		return nil, apperr.New(apperr.Invalid, "答卷应包含全部 %d 个问题的回答", len(sv.Questions))
	}
	out := make([]Answer, len(answers))
	for i, q := range sv.Questions {
		field := fmt.Sprintf("q%d", i)
		if msg := checkAnswer(q, answers[i]); msg != "" {
			f.Add(field, fmt.Sprintf("第 %d 题：%s", i+1, msg))
		}
		out[i] = Answer{Choices: answers[i].Choices, Text: pii.Redact(strings.TrimSpace(answers[i].Text))}
	}
	return out, f.Err()
}

func checkAnswer(q Question, an Answer) string {
	if q.Kind == FreeText {
		if utf8.RuneCountInString(an.Text) > maxAnswer {
			return fmt.Sprintf("回答不能超过 %d 个字", maxAnswer)
		}
		if markup.MatchString(an.Text) {
			return "回答不能包含 HTML 标签或脚本"
		}
		return ""
	}
	if len(an.Choices) == 0 {
		return "请选择"
	}
	if q.Kind == Single && len(an.Choices) > 1 {
		return "单选题只能选一项"
	}
	seen := map[int]bool{}
	for _, c := range an.Choices {
		if c < 0 || c >= len(q.Options) || seen[c] {
			return "选项无效"
		}
		seen[c] = true
	}
	return ""
}

// QuestionResult counts one question's answers.
type QuestionResult struct {
	Question Question
	Counts   []int    // per option
	Percents []int    // per option, of the responses, rounded
	Texts    []string // free-text answers (personal data masked), newest last
}

// Results are a survey's answers counted.
type Results struct {
	Responses int
	Questions []QuestionResult
}

// Results counts the answers: public once the survey is closed, and to the
// office at any time.
func (s *Service) Results(ctx context.Context, a *identity.Actor, sv *Survey) (*Results, error) {
	if !sv.Closed(s.today()) {
		if _, _, err := s.managedSurvey(ctx, a, sv.ID); err != nil {
			return nil, apperr.New(apperr.Forbidden, "调查结束后公布结果")
		}
	}
	rs, err := s.d.Store.FindResponses(ctx, sv.ID)
	if err != nil {
		return nil, err
	}
	return Tally(sv, rs), nil
}

// Tally counts responses per question and option.
func Tally(sv *Survey, rs []*Response) *Results {
	out := &Results{Responses: len(rs), Questions: make([]QuestionResult, len(sv.Questions))}
	for i, q := range sv.Questions {
		qr := QuestionResult{Question: q, Counts: make([]int, len(q.Options)), Percents: make([]int, len(q.Options))}
		for _, r := range rs {
			if i >= len(r.Answers) {
				continue
			}
			for _, c := range r.Answers[i].Choices {
				if c >= 0 && c < len(qr.Counts) {
					qr.Counts[c]++
				}
			}
			if t := r.Answers[i].Text; t != "" {
				qr.Texts = append(qr.Texts, t)
			}
		}
		for j, n := range qr.Counts {
			if len(rs) > 0 {
				qr.Percents[j] = (n*100 + len(rs)/2) / len(rs)
			}
		}
		out.Questions[i] = qr
	}
	return out
}

// CanManageSurvey reports whether a manages the survey.
func (s *Service) CanManageSurvey(ctx context.Context, a *identity.Actor, sv *Survey) bool {
	_, _, err := s.managedSurvey(ctx, a, sv.ID)
	return a != nil && err == nil
}
