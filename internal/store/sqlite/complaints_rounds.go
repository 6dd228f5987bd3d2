package sqlite

import (
	"context"
	"fmt"

	"openhall/internal/complaint"
	"openhall/internal/store/sqlcommon"
)

// saveRounds writes the complaint's rounds (complaint.Complaint.Rounds):
// the first, and the second once it was reopened.
func (s *ComplaintsStore) saveRounds(ctx context.Context, c *complaint.Complaint) error {
	rounds := c.Rounds()
	args := make([]any, 0, 6*len(rounds))
	for i, r := range rounds {
		args = append(args, c.ID, i+1, r.DepartmentID, boolInt(r.Answered), r.Level, boolInt(r.Reopened))
	}
	_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO complaint_rounds (complaint_id, round, department_id, answered, level, reopened)
		VALUES `+tuples(len(rounds), 6)+` ON CONFLICT (complaint_id, round) DO UPDATE SET department_id = excluded.department_id,
		answered = excluded.answered, level = excluded.level, reopened = excluded.reopened`, args...)
	return mapError(err)
}

// CountComplaints counts the complaints of a period per dimension key,
// round by round (sqlcommon.ComplaintFigureColumn): a complaint once per
// key, its answers' ratings and its reopening with the round they belong
// to.
func (s *ComplaintsStore) CountComplaints(ctx context.Context, f complaint.FigureFilter) ([]complaint.Count, error) {
	col := sqlcommon.ComplaintFigureColumn(f.By)
	w := sqlcommon.ComplaintFigureWhere(dialect, f)
	rows, err := s.db.q(ctx).QueryContext(ctx, fmt.Sprintf(`SELECT CAST(%s AS TEXT), count(DISTINCT c.id),
		count(DISTINCT CASE WHEN c.status = 'refused' THEN c.id END), count(DISTINCT CASE WHEN r.answered THEN c.id END),
		SUM(r.level > 0), SUM(r.level BETWEEN 1 AND 3), SUM(r.reopened)
		FROM complaints c JOIN complaint_rounds r ON r.complaint_id = c.id WHERE %s GROUP BY %s`, col, w.SQL(), col), w.Args...)
	return collect(rows, err, shared(sqlcommon.ScanComplaintCount))
}
