package postgres

import (
	"context"
	"encoding/json"
	"errors"

	"openhall/internal/apperr"
	"openhall/internal/consult"

	"github.com/jackc/pgx/v5"
)

const surveyColumns = `s.id, s.agency_id, s.title, s.intro, s.questions, s.opens_on, s.closes_on, s.status, s.created_by,
	s.created_at, s.updated_at, a.name, r.path`

const surveyFrom = ` FROM surveys s JOIN disclosure_agencies a ON a.id = s.agency_id JOIN regions r ON r.id = a.region_id`

// CreateSurvey inserts a survey.
func (s *ConsultStore) CreateSurvey(ctx context.Context, sv *consult.Survey) error {
	qs, err := json.Marshal(sv.Questions)
	if err != nil {
		return err
	}
	return mapError(s.db.q(ctx).QueryRow(ctx, `INSERT INTO surveys (agency_id, title, intro, questions, opens_on,
		closes_on, status, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		sv.AgencyID, sv.Title, sv.Intro, qs, dateText(sv.OpensOn), dateText(sv.ClosesOn), sv.Status, sv.CreatedBy,
		sv.CreatedAt, sv.UpdatedAt).Scan(&sv.ID))
}

// UpdateSurvey saves a survey.
func (s *ConsultStore) UpdateSurvey(ctx context.Context, sv *consult.Survey) error {
	qs, err := json.Marshal(sv.Questions)
	if err != nil {
		return err
	}
	_, err = s.db.q(ctx).Exec(ctx, `UPDATE surveys SET title = $1, intro = $2, questions = $3, opens_on = $4, closes_on = $5,
		status = $6, updated_at = $7 WHERE id = $8`, sv.Title, sv.Intro, qs, dateText(sv.OpensOn), dateText(sv.ClosesOn),
		sv.Status, sv.UpdatedAt, sv.ID)
	return mapError(err)
}

// FindSurvey returns one survey.
func (s *ConsultStore) FindSurvey(ctx context.Context, id int64) (*consult.Survey, error) {
	sv, err := scanSurvey(s.db.q(ctx).QueryRow(ctx, `SELECT `+surveyColumns+surveyFrom+` WHERE s.id = $1`, id))
	return sv, notFound(err, "调查不存在")
}

// FindSurveys lists surveys newest first, with the total.
func (s *ConsultStore) FindSurveys(ctx context.Context, f consult.SurveyFilter) ([]*consult.Survey, int, error) {
	w := newWhere()
	if f.AgencyID != 0 {
		w.add("s.agency_id = ?", f.AgencyID)
	}
	if f.Public {
		w.add("s.status <> 'draft'")
	}
	cond := ` WHERE ` + w.sql()
	var total int
	if err := s.db.q(ctx).QueryRow(ctx, `SELECT count(*)`+surveyFrom+cond, w.args...).Scan(&total); err != nil {
		return nil, 0, mapError(err)
	}
	page := ` LIMIT ` + w.arg(limitOf(f.Limit)) + ` OFFSET ` + w.arg(f.Offset)
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+surveyColumns+surveyFrom+cond+` ORDER BY s.id DESC`+page, w.args...)
	out, err := collect(rows, err, scanSurvey)
	return out, total, err
}

func scanSurvey(r pgx.Row) (*consult.Survey, error) {
	var sv consult.Survey
	var qs []byte
	var opens, closes string
	err := r.Scan(&sv.ID, &sv.AgencyID, &sv.Title, &sv.Intro, &qs, &opens, &closes, &sv.Status, &sv.CreatedBy, &sv.CreatedAt,
		&sv.UpdatedAt, &sv.AgencyName, &sv.RegionPath)
	if err != nil {
		return nil, err
	}
	sv.OpensOn, sv.ClosesOn, sv.CreatedAt, sv.UpdatedAt = textDate(opens), textDate(closes), sv.CreatedAt.UTC(), sv.UpdatedAt.UTC()
	return &sv, json.Unmarshal(qs, &sv.Questions)
}

// CreateResponse inserts a response; the voter's second is a Conflict.
func (s *ConsultStore) CreateResponse(ctx context.Context, r *consult.Response) error {
	answers, err := json.Marshal(r.Answers)
	if err != nil {
		return err
	}
	err = s.db.q(ctx).QueryRow(ctx, `INSERT INTO survey_responses (survey_id, voter, answers, created_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (survey_id, voter) DO NOTHING RETURNING id`,
		r.SurveyID, r.Voter, answers, r.CreatedAt).Scan(&r.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.New(apperr.Conflict, "该账号或设备已参加过本次调查")
	}
	return mapError(err)
}

// FindResponses returns a survey's responses in order.
func (s *ConsultStore) FindResponses(ctx context.Context, surveyID int64) ([]*consult.Response, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT id, survey_id, voter, answers, created_at FROM survey_responses
		WHERE survey_id = $1 ORDER BY id`, surveyID)
	return collect(rows, err, func(r pgx.Row) (*consult.Response, error) {
		var x consult.Response
		var answers []byte
		if err := r.Scan(&x.ID, &x.SurveyID, &x.Voter, &answers, &x.CreatedAt); err != nil {
			return nil, err
		}
		x.CreatedAt = x.CreatedAt.UTC()
		return &x, json.Unmarshal(answers, &x.Answers)
	})
}
