package postgres

import (
	"context"

	"openhall/internal/complaint"
)

// ComplaintsSubmitted lists the complaints submitted in [f.From, f.To) in
// a region subtree, with their events, oldest first: what the performance
// evaluation measures against its deadlines.
func (s *ComplaintsStore) ComplaintsSubmitted(ctx context.Context, f complaint.FigureFilter) ([]*complaint.Complaint, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT `+complaintColumns+` FROM complaints
		WHERE created_at >= $1 AND created_at < $2 AND starts_with(region_path, $3) AND kind = 'complaint' ORDER BY created_at, id`,
		f.From, f.To, f.RegionPrefix)
	list, err := collect(rows, err, scanComplaint)
	if err != nil {
		return nil, err
	}
	return list, s.loadEvents(ctx, list)
}
