package disclosure

import (
	"context"
	"encoding/json"
	"fmt"

	"openhall/internal/apperr"
)

// PublishedReport is an annual report as the public sees it (Art 50: made
// public by 31 January): the published document and the tables frozen when
// it was made.
type PublishedReport struct {
	Year   int
	Doc    *Document
	Tables *Tables
}

// PublishedReports lists an agency's published annual reports, newest year
// first; reports whose document is not (or no longer) published are left out.
func (s *Service) PublishedReports(ctx context.Context, agencyID int64) ([]*PublishedReport, error) {
	reps, err := s.store.FindReports(ctx, agencyID)
	if err != nil {
		return nil, err
	}
	var out []*PublishedReport
	for _, rep := range reps {
		p, err := s.published(ctx, rep)
		if apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// PublishedReport is one year's published report of an agency.
func (s *Service) PublishedReport(ctx context.Context, agencyID int64, year int) (*PublishedReport, error) {
	rep, err := s.store.FindReport(ctx, agencyID, year)
	if err != nil {
		return nil, err
	}
	return s.published(ctx, rep)
}

func (s *Service) published(ctx context.Context, rep *Report) (*PublishedReport, error) {
	missing := apperr.New(apperr.NotFound, "%d 年度报告尚未公开", rep.Year)
	if rep.DocID == nil || len(rep.Snapshot) == 0 {
		return nil, missing
	}
	d, err := s.store.FindDocumentByID(ctx, *rep.DocID)
	if err != nil {
		return nil, err
	}
	if d.Status != StatusPublished {
		return nil, missing
	}
	var t Tables
	if err := json.Unmarshal(rep.Snapshot, &t); err != nil {
		return nil, fmt.Errorf("report %d snapshot: %w", rep.ID, err)
	}
	return &PublishedReport{Year: rep.Year, Doc: d, Tables: &t}, nil
}
