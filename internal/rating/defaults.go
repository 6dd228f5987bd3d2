package rating

import (
	"context"
	"fmt"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/identity"
	"openhall/internal/workclock"
)

// CaseClosed invites the applicant of a case that just closed to rate it
// and sets the timer of its default rating, inside the case's transaction.
func (s *Service) CaseClosed(ctx context.Context, info *CaseInfo) error {
	if info.Stage != StageDone {
		return nil
	}
	if info.ApplicantUserID != 0 {
		err := s.d.Notifier.Tell(ctx, []int64{info.ApplicantUserID}, Note{Kind: "rating.invite", SMS: true,
			Title: fmt.Sprintf("请对办件 %s 的办理作出评价", info.Number),
			Body:  fmt.Sprintf("您申请的“%s”已办结，欢迎对本次服务作出评价（非常满意、满意、基本满意、不满意、非常不满意）。", info.ItemName),
			Link:  fmt.Sprintf("/cases/%d#rating", info.ID)})
		if err != nil {
			return err
		}
	}
	end, prov, err := s.defaultDue(ctx, info)
	if err != nil {
		return err
	}
	return s.d.Scheduler.ScheduleDefaultRating(ctx, info.ID, workclock.CheckAt(end, prov, s.d.Now()))
}

// defaultDue is when the rating period of a closed case ends (the start
// of the day after its last working day) and the first year it reaches
// without a holiday schedule (0 if none).
func (s *Service) defaultDue(ctx context.Context, info *CaseInfo) (time.Time, int, error) {
	lim, err := s.LimitsFor(ctx, info.RegionPath)
	if err != nil {
		return time.Time{}, 0, err
	}
	return s.endOfPeriod(info.RegionPath, info.ClosedAt, lim.DefaultDays)
}

// GiveDefault is the default-rating timer's handler: a case still without
// a rating of its outcome when the rating period has passed is rated 满意
// by the system, marked as the default (channel 7 系统默认评价); while the
// period's end is provisional, only once provisionalGrace has passed too.
// The level
// given by default follows local practice (默认好评) and is unverified
// against GB/T 39734 §7.2. A late or repeated timer does nothing.
func (s *Service) GiveDefault(ctx context.Context, caseID int64) error {
	return s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		info, err := s.d.Cases.CaseInfo(ctx, caseID)
		if apperr.Is(err, apperr.NotFound) || err == nil && info.Stage != StageDone {
			return nil
		}
		if err != nil {
			return err
		}
		list, _, err := s.d.Store.FindRatings(ctx, Filter{CaseID: caseID, Limit: 50})
		if err != nil || whyNot(info, list) != "" {
			return err
		}
		end, prov, err := s.defaultDue(ctx, info)
		if err != nil {
			return err
		}
		if over, next := s.passed(end, prov); !over {
			return s.d.Scheduler.ScheduleDefaultRating(ctx, caseID, next)
		}
		r := &Rating{Subject: SubjectCase, CaseID: info.ID, CaseNumber: info.Number, Stage: StageDone, Number: FirstEvaluation,
			Level: Satisfied, Channel: ChannelDefault, RaterUserID: info.ApplicantUserID, RaterKind: info.ApplicantKind,
			Default: true, Target: info.Target, Source: SourceLocal, Key: newKey(), At: s.d.Now()}
		return s.create(ctx, identity.SystemActor().Audit(), r)
	})
}
