package sqlite

import (
	"context"
	"time"
)

// GrantUpload records that the user uploaded the file with sha256.
func (s *CasesStore) GrantUpload(ctx context.Context, userID int64, sha256 string, at time.Time) error {
	_, err := s.db.q(ctx).ExecContext(ctx, `INSERT INTO upload_grants (user_id, sha256, at) VALUES (?, ?, ?)
		ON CONFLICT (user_id, sha256) DO NOTHING`, userID, sha256, micro(at))
	return mapError(err)
}

// HasUpload reports whether the user uploaded the file with sha256 or has
// it among the materials of a case they applied for or filed for someone.
func (s *CasesStore) HasUpload(ctx context.Context, userID int64, sha256 string) (bool, error) {
	var ok bool
	err := s.db.q(ctx).QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM upload_grants WHERE user_id = ?1 AND sha256 = ?2)
		OR EXISTS (SELECT 1 FROM case_materials m JOIN cases c ON c.id = m.case_id
			WHERE m.sha256 = ?2 AND (c.applicant_user_id = ?1 OR c.agent_id = ?1))`, userID, sha256).Scan(&ok)
	return ok, mapError(err)
}
