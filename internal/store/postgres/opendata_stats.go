package postgres

import (
	"context"

	"openhall/internal/opendata/sources"

	"github.com/jackc/pgx/v5"
)

// CaseMonthlyStats counts cases per department and month of submission
// (China time, UTC+8): submitted, closed, closed with a promised date,
// closed by it. One GROUP BY over the covering index opendata_case_stats.
func (s *OpenDataStore) CaseMonthlyStats(ctx context.Context) ([]sources.CaseStat, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT department_id,
		to_char((submitted_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM') AS month, count(*),
		count(closed_at), count(closed_at) FILTER (WHERE promised_due <> ''),
		count(closed_at) FILTER (WHERE promised_due <> ''
			AND to_char((closed_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD') <= promised_due)
		FROM cases WHERE submitted_at IS NOT NULL
		GROUP BY department_id, month ORDER BY month, department_id`)
	return collect(rows, err, func(sc pgx.Row) (sources.CaseStat, error) {
		var c sources.CaseStat
		err := sc.Scan(&c.DepartmentID, &c.Month, &c.Submitted, &c.Closed, &c.OnTimeBase, &c.OnTime)
		return c, err
	})
}

// PublishedReports returns the frozen tables of every annual report whose
// document is published.
func (s *OpenDataStore) PublishedReports(ctx context.Context) ([]sources.ReportSnapshot, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT r.agency_id, r.year, r.snapshot FROM disclosure_reports r
		JOIN disclosure_docs d ON d.id = r.doc_id WHERE d.status = 'published' AND r.snapshot IS NOT NULL
		ORDER BY r.agency_id, r.year`)
	return collect(rows, err, func(sc pgx.Row) (sources.ReportSnapshot, error) {
		var r sources.ReportSnapshot
		err := sc.Scan(&r.AgencyID, &r.Year, &r.Tables)
		return r, err
	})
}

// LicenceDecisions returns granted licences (双公示) of items whose code
// starts with prefix, in case id order after the id after; it reads the
// index opendata_case_licences.
func (s *OpenDataStore) LicenceDecisions(ctx context.Context, prefix string, after int64, limit int) ([]sources.Licence, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT id, coalesce(number, ''), coalesce(applicant->>'kind', ''), applicant_name,
		coalesce(applicant->>'credit_code', ''), item_name, department_id, certificate, closed_at
		FROM cases WHERE decision = 'approved' AND id > $1 AND closed_at IS NOT NULL AND left(item_code, length($2)) = $3
		ORDER BY id LIMIT $4`, after, prefix, prefix, limit)
	return collect(rows, err, func(sc pgx.Row) (sources.Licence, error) {
		var l sources.Licence
		err := sc.Scan(&l.CaseID, &l.Number, &l.ApplicantKind, &l.ApplicantName, &l.CreditCode, &l.ItemName, &l.DepartmentID,
			&l.Certificate, &l.ClosedAt)
		return l, err
	})
}
