package postgres

import (
	"context"

	"openhall/internal/apperr"
	"openhall/internal/disclosure"

	"github.com/jackc/pgx/v5"
)

// FindPublishRules lists the publication periods an administrator added.
func (s *DisclosureStore) FindPublishRules(ctx context.Context) ([]*disclosure.PublishRule, error) {
	rows, err := s.db.q(ctx).Query(ctx, `SELECT category, days, calendar, basis FROM disclosure_publish_rules ORDER BY category`)
	return scanAll(rows, err, func(r pgx.Row) (*disclosure.PublishRule, error) {
		var p disclosure.PublishRule
		return &p, r.Scan(&p.Category, &p.Days, &p.Calendar, &p.Basis)
	})
}

// PutPublishRule inserts or replaces a category's period.
func (s *DisclosureStore) PutPublishRule(ctx context.Context, p *disclosure.PublishRule) error {
	_, err := s.db.q(ctx).Exec(ctx, `INSERT INTO disclosure_publish_rules (category, days, calendar, basis)
		VALUES ($1, $2, $3, $4) ON CONFLICT (category) DO UPDATE SET days = excluded.days, calendar = excluded.calendar,
		basis = excluded.basis`, p.Category, p.Days, p.Calendar, p.Basis)
	return mapError(err)
}

// DeletePublishRule removes a category's period; NotFound if it has none.
func (s *DisclosureStore) DeletePublishRule(ctx context.Context, category string) error {
	tag, err := s.db.q(ctx).Exec(ctx, `DELETE FROM disclosure_publish_rules WHERE category = $1`, category)
	if err != nil {
		return mapError(err)
	}
	if tag.RowsAffected() == 0 {
		return apperr.New(apperr.NotFound, "该类别没有另行设定的公开时限")
	}
	return nil
}
