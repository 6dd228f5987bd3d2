package supervision

import (
	"context"

	"openhall/internal/identity"
)

// RulesOf returns a centre's rules (the defaults when it has none) for
// someone who may evaluate it.
func (s *Service) RulesOf(ctx context.Context, a *identity.Actor, centreID int64) (Rules, error) {
	if _, _, _, err := s.centre(ctx, a, centreID); err != nil && !a.Has(identity.RoleSysAdmin) {
		return Rules{}, err
	}
	r, err := s.rules.get(ctx, centreID, s.d.Now())
	r.Policy = s.withDefaultWeights(r.Policy)
	return r, err
}

// SaveRules sets a centre's card thresholds and evaluation policy. The new
// thresholds apply to each case's next evaluation; cards already raised
// stay as they were judged.
func (s *Service) SaveRules(ctx context.Context, a *identity.Actor, centreID int64, r Rules) (Rules, error) {
	path, err := s.centrePath(ctx, centreID)
	if err != nil {
		return Rules{}, err
	}
	if err := CanSetRules(a, path); err != nil {
		return Rules{}, err
	}
	if err := r.Validate(); err != nil {
		return Rules{}, err
	}
	err = s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		fresh := r
		fresh.CentreID, fresh.UpdatedBy, fresh.UpdatedAt = centreID, a.UserID, s.d.Now()
		if err := s.d.Store.PutRules(ctx, &fresh); err != nil {
			return err
		}
		r = fresh
		return s.record(ctx, a, "region:"+path, "rules.save", "centre", centreID, map[string]any{
			"yellow_percent": r.YellowPercent, "yellow_days": r.YellowDays, "reason_min_runes": r.ReasonMinRunes,
			"backfill_minutes": r.BackfillMinutes, "policy": r.Policy})
	})
	s.rules.forget(centreID)
	return r, err
}

// centrePath is the region path of a centre.
func (s *Service) centrePath(ctx context.Context, centreID int64) (string, error) {
	c, err := s.d.Directory.Centre(ctx, centreID)
	if err != nil {
		return "", err
	}
	r, err := s.d.Directory.Region(ctx, c.RegionID)
	if err != nil {
		return "", err
	}
	return r.Path, nil
}
