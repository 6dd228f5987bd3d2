package rating

import (
	"context"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// Mine lists the actor's ratings, newest first: those given under their
// name, and the anonymous ones they gave from their cases' pages, whose
// feedback and second evaluation are theirs too; anonymity hides the rater
// from the department, not from themselves. An anonymous rating given
// through a case's link may be anyone's who holds its receipt: it is
// followed through that link, not listed here.
func (s *Service) Mine(ctx context.Context, a *identity.Actor) ([]*Rating, error) {
	if a == nil {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	list, _, err := s.d.Store.FindRatings(ctx, Filter{OwnerUserID: a.UserID, Limit: 200})
	return list, err
}

// RaterView is a rating as its rater sees it: with the handling of a bad
// review (the department's feedback) and whether to evaluate again.
type RaterView struct {
	Rating   *Rating
	Second   *Rating // the second evaluation, once given
	Ticket   *Ticket
	Feedback *TicketEvent
	CanAgain bool
}

// RaterRating returns one of the actor's ratings.
func (s *Service) RaterRating(ctx context.Context, a *identity.Actor, id int64) (*RaterView, error) {
	r, err := s.ratingOf(ctx, a, id)
	if err != nil {
		return nil, err
	}
	v := &RaterView{Rating: r}
	if r.Number == SecondEvaluation {
		return v, nil
	}
	t, err := s.d.Store.FindTicketByRating(ctx, r.ID)
	if apperr.Is(err, apperr.NotFound) {
		return v, nil
	}
	if err != nil {
		return nil, err
	}
	v.Ticket, v.Feedback, v.CanAgain = t, t.feedback(), t.Status == TicketFedBack
	seconds, _, err := s.d.Store.FindRatings(ctx, Filter{FirstID: r.ID, Limit: 1})
	if err == nil && len(seconds) > 0 {
		v.Second = seconds[0]
	}
	return v, err
}

// ratingOf loads one of the actor's own ratings; a missing rating and
// someone else's are the same error.
func (s *Service) ratingOf(ctx context.Context, a *identity.Actor, id int64) (*Rating, error) {
	r, err := s.d.Store.FindRatingByID(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return nil, errNoRating
	}
	if err != nil {
		return nil, err
	}
	if a == nil || a.UserID == 0 {
		return nil, errNoRating
	}
	if r.RaterUserID == a.UserID {
		return r, nil
	}
	if !ownAnonymous(r) {
		return nil, errNoRating
	}
	info, err := s.d.Cases.CaseInfo(ctx, r.CaseID)
	if err != nil || info.ApplicantUserID != a.UserID {
		return nil, errNoRating
	}
	return r, nil
}

// ownAnonymous reports whether r is an anonymous rating its case's
// applicant gave from the case's page (RateCase: PC or mobile), the only
// way an anonymous rating is known to be theirs.
func ownAnonymous(r *Rating) bool {
	return r.Anonymous && r.CaseID != 0 && (r.Channel == ChannelPC || r.Channel == ChannelMobile)
}
