package sqlite

import (
	"time"

	"context"

	"openhall/internal/opendata/sources"
)

// CaseMonthlyStats counts cases per department and month of submission
// (China time): submitted, closed, closed with a promised date, closed by
// it. One GROUP BY over the covering index opendata_case_stats; the wide
// case rows are never read.
func (s *OpenDataStore) CaseMonthlyStats(ctx context.Context) ([]sources.CaseStat, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT department_id,
		strftime('%Y-%m', submitted_at / 1000000 + 28800, 'unixepoch') AS month, count(*),
		sum(closed_at > 0), sum(closed_at > 0 AND promised_due <> ''),
		sum(closed_at > 0 AND promised_due <> '' AND date(closed_at / 1000000 + 28800, 'unixepoch') <= promised_due)
		FROM cases INDEXED BY opendata_case_stats WHERE submitted_at > 0
		GROUP BY department_id, month ORDER BY month, department_id`)
	return collect(rows, err, func(sc scanner) (sources.CaseStat, error) {
		var c sources.CaseStat
		err := sc.Scan(&c.DepartmentID, &c.Month, &c.Submitted, &c.Closed, &c.OnTimeBase, &c.OnTime)
		return c, err
	})
}

// PublishedReports returns the frozen tables of every annual report whose
// document is published.
func (s *OpenDataStore) PublishedReports(ctx context.Context) ([]sources.ReportSnapshot, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT r.agency_id, r.year, r.snapshot FROM disclosure_reports r
		JOIN disclosure_docs d ON d.id = r.doc_id WHERE d.status = 'published' AND r.snapshot IS NOT NULL
		ORDER BY r.agency_id, r.year`)
	return collect(rows, err, func(sc scanner) (sources.ReportSnapshot, error) {
		var r sources.ReportSnapshot
		err := sc.Scan(&r.AgencyID, &r.Year, &r.Tables)
		return r, err
	})
}

// LicenceDecisions returns granted licences (双公示) of items whose code
// starts with prefix, in case id order after the id after; it reads the
// index opendata_case_licences.
func (s *OpenDataStore) LicenceDecisions(ctx context.Context, prefix string, after int64, limit int) ([]sources.Licence, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT id, coalesce(number, ''), coalesce(json_extract(applicant, '$.kind'), ''),
		applicant_name, coalesce(json_extract(applicant, '$.credit_code'), ''), item_name, department_id, certificate, closed_at
		FROM cases WHERE decision = 'approved' AND id > ? AND closed_at > 0 AND substr(item_code, 1, length(?)) = ?
		ORDER BY id LIMIT ?`, after, prefix, prefix, limit)
	return collect(rows, err, func(sc scanner) (sources.Licence, error) {
		var l sources.Licence
		var closed int64
		err := sc.Scan(&l.CaseID, &l.Number, &l.ApplicantKind, &l.ApplicantName, &l.CreditCode, &l.ItemName, &l.DepartmentID,
			&l.Certificate, &closed)
		l.ClosedAt = time.UnixMicro(closed)
		return l, err
	})
}
