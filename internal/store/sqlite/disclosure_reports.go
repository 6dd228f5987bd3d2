package sqlite

import (
	"context"
	"fmt"
	"time"

	"openhall/internal/disclosure"
)

const disclosureReportColumns = `id, agency_id, year, section1, section5, section6, permits, penalties, enforcement, fees_wan, doc_id,
	snapshot, updated_at`

func scanDisclosureReport(sc scanner) (*disclosure.Report, error) {
	var r disclosure.Report
	var updated int64
	err := sc.Scan(&r.ID, &r.AgencyID, &r.Year, &r.Section1, &r.Section5, &r.Section6, &r.Permits, &r.Penalties, &r.Enforcement,
		&r.FeesWan, &r.DocID, &r.Snapshot, &updated)
	r.UpdatedAt = fromMicro(updated)
	return &r, err
}

// FindReport returns an agency's report of a year.
func (s *DisclosureStore) FindReport(ctx context.Context, agencyID int64, year int) (*disclosure.Report, error) {
	r, err := scanDisclosureReport(s.db.q(ctx).QueryRowContext(ctx, `SELECT `+disclosureReportColumns+`
		FROM disclosure_reports WHERE agency_id = ? AND year = ?`, agencyID, year))
	return r, notFound(err, fmt.Sprintf("%d 年度报告尚未编写", year))
}

// FindReports returns an agency's reports, newest year first.
func (s *DisclosureStore) FindReports(ctx context.Context, agencyID int64) ([]*disclosure.Report, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+disclosureReportColumns+`
		FROM disclosure_reports WHERE agency_id = ? ORDER BY year DESC`, agencyID)
	out, err := collect(rows, err, scanDisclosureReport)
	return out, mapError(err)
}

// SaveReport inserts or replaces the report of an agency's year.
func (s *DisclosureStore) SaveReport(ctx context.Context, r *disclosure.Report) error {
	return s.db.InTx(ctx, func(ctx context.Context) error {
		err := s.db.q(ctx).QueryRowContext(ctx, `INSERT INTO disclosure_reports (agency_id, year, section1, section5, section6,
			permits, penalties, enforcement, fees_wan, doc_id, snapshot, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (agency_id, year) DO UPDATE SET section1 = excluded.section1, section5 = excluded.section5,
			section6 = excluded.section6, permits = excluded.permits, penalties = excluded.penalties,
			enforcement = excluded.enforcement, fees_wan = excluded.fees_wan, doc_id = excluded.doc_id,
			snapshot = excluded.snapshot, updated_at = excluded.updated_at RETURNING id`,
			r.AgencyID, r.Year, r.Section1, r.Section5, r.Section6, r.Permits, r.Penalties, r.Enforcement, r.FeesWan,
			nullID(r.DocID), r.Snapshot, micro(r.UpdatedAt)).Scan(&r.ID)
		return mapError(err)
	})
}

// ReportDocStats counts Table 2's 规章 and 行政规范性文件: made in the year
// (by 成文日期), repealed or expired in the year, and in force at its end.
func (s *DisclosureStore) ReportDocStats(ctx context.Context, agencyID int64, year int) (disclosure.DocStats, error) {
	y, end := fmt.Sprint(year), fmt.Sprintf("%d-12-31", year)
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT genre,
		sum(CASE WHEN substr(formed_on, 1, 4) = ? THEN 1 ELSE 0 END),
		sum(CASE WHEN validity IN ('repealed', 'expired') AND substr(validity_on, 1, 4) = ? THEN 1 ELSE 0 END),
		sum(CASE WHEN formed_on <= ? AND (validity = 'valid' OR validity_on > ?) THEN 1 ELSE 0 END)
		FROM disclosure_docs WHERE agency_id = ? AND status = 'published' AND genre IN ('rule', 'normative') GROUP BY genre`,
		y, y, end, end, agencyID)
	var st disclosure.DocStats
	if err != nil {
		return st, mapError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var genre string
		var made, repealed, inForce int
		if err := rows.Scan(&genre, &made, &repealed, &inForce); err != nil {
			return st, mapError(err)
		}
		if genre == string(disclosure.GenreRule) {
			st.RulesMade, st.RulesRepealed, st.RulesInForce = made, repealed, inForce
		} else {
			st.NormativeMade, st.NormativeRepealed, st.NormativeInForce = made, repealed, inForce
		}
	}
	return st, mapError(rows.Err())
}

// ReportRequestStats counts Table 3 and Table 4 for a year: received in the
// year, open at its start (carried in), open at its end (carried out), closed
// in it by answer, and the latest 复议/诉讼 state of each case in it.
func (s *DisclosureStore) ReportRequestStats(ctx context.Context, agencyID int64, year int) (disclosure.RequestStats, error) {
	from, to := fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-12-31", year)
	var st disclosure.RequestStats
	var err error
	count := func(cond string, args ...any) []disclosure.RequestCount {
		if err != nil {
			return nil
		}
		var out []disclosure.RequestCount
		out, err = s.requestCounts(ctx, cond, append([]any{agencyID}, args...)...)
		return out
	}
	st.New = count(`received_on BETWEEN ? AND ?`, from, to)
	st.CarriedIn = count(`received_on <> '' AND received_on < ? AND (answered_on = '' OR answered_on >= ?)`, from, from)
	st.CarriedOut = count(`received_on <> '' AND received_on <= ? AND (answered_on = '' OR answered_on > ?)`, to, to)
	if err != nil {
		return st, err
	}
	if st.Closed, err = s.outcomeCounts(ctx, agencyID, from, to); err != nil {
		return st, err
	}
	st.Remedies, err = s.remedyCounts(ctx, agencyID, from, to)
	return st, err
}

func (s *DisclosureStore) requestCounts(ctx context.Context, cond string, args ...any) ([]disclosure.RequestCount, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT applicant_type, count(*) FROM disclosure_requests
		WHERE agency_id = ? AND `+cond+` GROUP BY applicant_type`, args...)
	return collect(rows, err, func(r scanner) (disclosure.RequestCount, error) {
		var c disclosure.RequestCount
		return c, r.Scan(&c.Type, &c.Count)
	})
}

func (s *DisclosureStore) outcomeCounts(ctx context.Context, agencyID int64, from, to string) ([]disclosure.OutcomeCount, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT applicant_type, answer, reason, count(*) FROM disclosure_requests
		WHERE agency_id = ? AND received_on <> '' AND answered_on BETWEEN ? AND ? GROUP BY applicant_type, answer, reason`,
		agencyID, from, to)
	return collect(rows, err, func(r scanner) (disclosure.OutcomeCount, error) {
		var c disclosure.OutcomeCount
		return c, r.Scan(&c.Type, &c.Answer, &c.Reason, &c.Count)
	})
}

func (s *DisclosureStore) remedyCounts(ctx context.Context, agencyID int64, from, to string) ([]disclosure.RemedyCount, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT party, note, count(*) FROM (
			SELECT e.party, e.note, row_number() OVER (PARTITION BY e.request_id, e.party ORDER BY e.id DESC) AS rn
			FROM disclosure_events e JOIN disclosure_requests q ON q.id = e.request_id
			WHERE q.agency_id = ? AND e.kind = 'remedy' AND e.on_date BETWEEN ? AND ?) AS latest
		WHERE rn = 1 GROUP BY party, note`, agencyID, from, to)
	return collect(rows, err, func(r scanner) (disclosure.RemedyCount, error) {
		var c disclosure.RemedyCount
		return c, r.Scan(&c.Kind, &c.Result, &c.Count)
	})
}

// PermitDecisionCount counts a department's cases of items whose code starts
// with codePrefix that were decided (准予 or 不予) in [from, to): a case counts
// once, at its decision, whether or not it has closed since.
func (s *DisclosureStore) PermitDecisionCount(ctx context.Context, departmentID int64, codePrefix string, from, to time.Time) (int, error) {
	var n int
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT count(DISTINCT c.id) FROM cases c JOIN case_events e ON e.case_id = c.id
		WHERE c.department_id = ? AND substr(c.item_code, 1, length(?)) = ? AND e.kind = 'decided' AND e.at >= ? AND e.at < ?`,
		departmentID, codePrefix, codePrefix, micro(from), micro(to)).Scan(&n)
	return n, mapError(err)
}
