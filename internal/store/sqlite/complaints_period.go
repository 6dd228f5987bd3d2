package sqlite

import (
	"context"

	"openhall/internal/complaint"
)

// ComplaintsSubmitted lists the complaints submitted in [f.From, f.To) in
// a region subtree, with their events, oldest first: what the performance
// evaluation measures against its deadlines.
func (s *ComplaintsStore) ComplaintsSubmitted(ctx context.Context, f complaint.FigureFilter) ([]*complaint.Complaint, error) {
	rows, err := s.db.q(ctx).QueryContext(ctx, `SELECT `+complaintColumns+` FROM complaints
		WHERE created_at >= ? AND created_at < ? AND substr(region_path, 1, ?) = ? AND kind = 'complaint' ORDER BY created_at, id`,
		micro(f.From), micro(f.To), len(f.RegionPrefix), f.RegionPrefix)
	list, err := collect(rows, err, scanComplaint)
	if err != nil {
		return nil, err
	}
	return list, s.loadEvents(ctx, list)
}
