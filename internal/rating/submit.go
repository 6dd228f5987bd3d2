package rating

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"openhall/internal/apperr"
	"openhall/internal/audit"
	"openhall/internal/identity"
)

// Input is what a rater says.
type Input struct {
	Level      Level
	Indicators map[Indicator]Level
	Comment    string
	Anonymous  bool
	Channel    Channel // for online ratings: pc or mobile
}

// maxComment bounds the free text of a rating.
const maxComment = 500

// validate checks the input for a channel. A bad review given on a page
// must say what was wrong, so the department knows what to rectify; the
// counter tablet's big buttons ask for no text.
func (in *Input) validate(ch Channel, needReason bool) error {
	in.Comment = strings.TrimSpace(in.Comment)
	var f apperr.Fields
	f.Check(!in.Level.Valid(), "level", "请选择满意度（非常满意、满意、基本满意、不满意、非常不满意）")
	f.Check(!readable(in.Comment), "comment", "评价内容含有无法识别的字符（空字符、控制字符或不完整的汉字编码），请删除后重新填写")
	f.Check(utf8.RuneCountInString(in.Comment) > maxComment, "comment", fmt.Sprintf("评价内容不能超过 %d 字", maxComment))
	f.Check(needReason && in.Level.Bad() && utf8.RuneCountInString(in.Comment) < 2, "comment", "请写明不满意的原因，以便整改")
	allowed := IndicatorsFor(ch)
	for ind, l := range in.Indicators {
		f.Check(!containsInd(allowed, ind), "indicators."+string(ind), "该渠道不评价“"+ind.Label()+"”")
		f.Check(!l.Valid(), "indicators."+string(ind), "“"+ind.Label()+"”的满意度无效")
	}
	return f.Err()
}

// readable reports whether text is valid UTF-8 without control
// characters other than line breaks and tabs: what a person can have
// typed, and what every database stores as given.
func readable(text string) bool {
	if !utf8.ValidString(text) {
		return false
	}
	return !strings.ContainsFunc(text, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
	})
}

func containsInd(list []Indicator, i Indicator) bool {
	for _, x := range list {
		if x == i {
			return true
		}
	}
	return false
}

// CaseState is a case's ratings and whether its applicant may rate now.
type CaseState struct {
	Ratings  []*Rating
	Withheld bool   // the actor handles the case and is shown none of its ratings
	Stage    Stage  // the stage a rating now would be for
	CanRate  bool   // the actor may rate the stage now
	Why      string // why not, when the actor is the applicant
	Link     string // the receipt's rating link
}

// ForCase returns the ratings of a case that the actor may see (the
// applicant their own, the 监察人员 and 系统管理员 of its region all of
// them; the caller has checked that the actor sees the case) and whether
// the actor may rate.
func (s *Service) ForCase(ctx context.Context, a *identity.Actor, caseID int64) (*CaseState, error) {
	info, err := s.d.Cases.CaseInfo(ctx, caseID)
	if err != nil {
		return nil, err
	}
	list, _, err := s.d.Store.FindRatings(ctx, Filter{CaseID: caseID, Limit: 50})
	if err != nil {
		return nil, err
	}
	st := &CaseState{Ratings: visibleRatings(a, info, list), Stage: info.Stage, Link: s.CaseLink(caseID)}
	st.Withheld = a.IsStaff() && !overseesCase(a, info)
	if CanRateCase(a, info) == nil {
		st.Why = whyNot(info, list)
		st.CanRate = st.Why == ""
	}
	return st, nil
}

// visibleRatings are the ratings of a case its page shows: to the public
// the rater's own and the default ones, and to the applicant the anonymous
// ones of their case too (given from its page, or by whoever holds its
// receipt's QR code), so that a stage they rated anonymously does not show
// as unrated; all of them to 监察人员 and administrators; none to the
// clerks and departments handling the case, so that no rating, anonymous
// or not, can be held against the applicant while the case is in their
// hands (bad ones reach them as tickets).
func visibleRatings(a *identity.Actor, info *CaseInfo, list []*Rating) []*Rating {
	if overseesCase(a, info) {
		return list
	}
	var out []*Rating
	for _, r := range list {
		if a != nil && a.IsPublic() && (r.Default || r.RaterUserID == a.UserID || r.Anonymous && info.ApplicantUserID == a.UserID) {
			out = append(out, r)
		}
	}
	return out
}

// overseesCase reports whether the actor is a 监察人员 or 系统管理员 of the
// case's region, who see all of its ratings; a grant elsewhere does not
// count, even when the actor sees the case in another role.
func overseesCase(a *identity.Actor, info *CaseInfo) bool {
	return a.HasIn(identity.RoleSupervisor, info.RegionPath, 0) || a.HasIn(identity.RoleSysAdmin, info.RegionPath, 0)
}

// whyNot says why the case's current stage cannot be rated, "" if it can.
func whyNot(info *CaseInfo, list []*Rating) string {
	if info.Stage == 0 {
		return "该办件当前不在可评价的阶段"
	}
	if stageRated(info, list) {
		return fmt.Sprintf("该办件“%s”阶段已有评价，每个阶段只能评价一次", info.Stage.Label())
	}
	return ""
}

// stageRated reports whether the case's current stage has its first
// evaluation among list (一事一评: one per stage).
func stageRated(info *CaseInfo, list []*Rating) bool {
	for _, r := range list {
		if info.Stage.Valid() && r.Stage == info.Stage && r.Number == FirstEvaluation {
			return true
		}
	}
	return false
}

// RateCase records the applicant's rating of their case at its current
// stage (一事一评), opening a ticket when it is bad.
func (s *Service) RateCase(ctx context.Context, a *identity.Actor, caseID int64, in Input) (*Rating, error) {
	if in.Channel != ChannelMobile {
		in.Channel = ChannelPC
	}
	if err := in.validate(in.Channel, true); err != nil {
		return nil, err
	}
	var r *Rating
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		info, err := s.d.Cases.CaseInfo(ctx, caseID)
		if err != nil {
			return err
		}
		if err := CanRateCase(a, info); err != nil {
			return err
		}
		if r, err = s.caseRating(ctx, info, in); err != nil {
			return err
		}
		if !in.Anonymous {
			r.RaterUserID = a.UserID
		}
		return s.create(ctx, raterAudit(a, in.Anonymous), r)
	})
	return r, err
}

// caseRating builds the first rating of the case's current stage.
func (s *Service) caseRating(ctx context.Context, info *CaseInfo, in Input) (*Rating, error) {
	list, _, err := s.d.Store.FindRatings(ctx, Filter{CaseID: info.ID, Limit: 50})
	if err != nil {
		return nil, err
	}
	if why := whyNot(info, list); why != "" {
		return nil, apperr.New(apperr.Conflict, "%s", why)
	}
	return &Rating{Subject: SubjectCase, CaseID: info.ID, CaseNumber: info.Number, Stage: info.Stage, Number: FirstEvaluation,
		Level: in.Level, Indicators: in.Indicators, Channel: in.Channel, Anonymous: in.Anonymous, RaterKind: info.ApplicantKind,
		Comment: in.Comment, Target: info.Target, Source: SourceLocal, Key: newKey(), At: s.d.Now()}, nil
}

// create stores a rating, its audit entry and, for a bad first rating,
// its ticket, in the caller's transaction.
func (s *Service) create(ctx context.Context, who audit.Actor, r *Rating) error {
	if err := s.d.Store.CreateRatings(ctx, []*Rating{r}); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return apperr.New(apperr.Conflict, "该阶段已有评价，每个阶段只能评价一次")
		}
		return err
	}
	if err := s.recordRating(ctx, who, r); err != nil {
		return err
	}
	if r.Level.Bad() && r.Number == FirstEvaluation && !r.Excluded {
		_, err := s.openTicket(ctx, r)
		return err
	}
	return nil
}

// LinkSubject is what a rating link lets its holder rate.
type LinkSubject struct {
	Kind     SubjectKind
	Case     *CaseInfo // for a case
	Visit    *Visit    // for a visit
	Window   string    // the window's name, for a visit
	Rated    *Rating   // the first rating already given, if any
	Ticket   *Ticket   // its ticket, if any
	CanRate  bool      // a first rating may be given now
	CanAgain bool      // a second evaluation may be given now
	Why      string    // why no rating can be given
	Channel  Channel   // the channel a rating here is recorded with
	Feedback *TicketEvent

	// StageRated: the case's current stage has its first evaluation.
	StageRated bool
}

// Link resolves a rating link for its holder, anyone who has the QR code
// or SMS: no login is needed.
func (s *Service) Link(ctx context.Context, tok string) (*LinkSubject, error) {
	kind, id, ok := s.parseToken(tok)
	if !ok {
		return nil, apperr.New(apperr.NotFound, "评价链接无效，请核对二维码或短信中的链接")
	}
	switch kind {
	case 'c':
		return s.caseLink(ctx, id)
	case 'v':
		return s.visitSubject(ctx, id)
	}
	return nil, apperr.New(apperr.NotFound, "评价链接无效")
}

// LinkFor resolves a rating link for the person opening it: what it rates,
// its rating and the department's feedback. A staff account is refused
// (CanRateByLink): what a rating says is not shown to those who served.
func (s *Service) LinkFor(ctx context.Context, a *identity.Actor, tok string) (*LinkSubject, error) {
	if err := CanRateByLink(a); err != nil {
		return nil, err
	}
	return s.Link(ctx, tok)
}

func (s *Service) caseLink(ctx context.Context, caseID int64) (*LinkSubject, error) {
	info, err := s.d.Cases.CaseInfo(ctx, caseID)
	if err != nil {
		return nil, err
	}
	list, _, err := s.d.Store.FindRatings(ctx, Filter{CaseID: caseID, Limit: 50})
	if err != nil {
		return nil, err
	}
	ls := &LinkSubject{Kind: SubjectCase, Case: info, Channel: ChannelQR, StageRated: stageRated(info, list)}
	ls.Why = whyNot(info, list)
	ls.CanRate = ls.Why == ""
	if first := latestFirst(list); first != nil {
		if err := s.withTicket(ctx, ls, first); err != nil {
			return nil, err
		}
	}
	return ls, nil
}

// Offer is what a page that found a case offers its visitor about rating
// it: the case's link, and whether the current stage is still to be
// rated, was rated already, or waits for a second evaluation.
type Offer struct {
	Link       string // the case's rating link, as its receipt's QR code gives it
	CanRate    bool   // the current stage may be rated now
	StageRated bool   // the current stage has its first evaluation
	CanAgain   bool   // the department's feedback waits for a second evaluation
}

// CaseOffer is what the progress lookup offers whoever found the case with
// its number and 查询密码, as the case's rating link would: nil for a staff
// account, who never rates through a link (CanRateByLink).
func (s *Service) CaseOffer(ctx context.Context, a *identity.Actor, caseID int64) (*Offer, error) {
	if CanRateByLink(a) != nil {
		return nil, nil
	}
	ls, err := s.caseLink(ctx, caseID)
	if err != nil {
		return nil, err
	}
	return &Offer{Link: s.CaseLink(caseID), CanRate: ls.CanRate, StageRated: ls.StageRated, CanAgain: ls.CanAgain}, nil
}

// latestFirst is the latest first rating that has not been re-rated.
func latestFirst(list []*Rating) *Rating {
	var out *Rating
	for _, r := range list {
		if r.Number == FirstEvaluation && (out == nil || r.At.After(out.At)) {
			out = r
		}
	}
	return out
}

// withTicket adds the first rating's ticket and its feedback to ls.
func (s *Service) withTicket(ctx context.Context, ls *LinkSubject, first *Rating) error {
	ls.Rated = first
	t, err := s.d.Store.FindTicketByRating(ctx, first.ID)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	ls.Ticket, ls.Feedback = t, t.feedback()
	ls.CanAgain = t.Status == TicketFedBack
	return nil
}

// feedback is the ticket's feedback to the citizen, if given.
func (t *Ticket) feedback() *TicketEvent {
	for i := len(t.Events) - 1; i >= 0; i-- {
		if t.Events[i].Kind == TevFedBack {
			return &t.Events[i]
		}
	}
	return nil
}

// RateLink records the rating given through a QR code or SMS link. The
// applicant logged in may rate under their name; anyone else is recorded
// anonymously, as no identity is known.
func (s *Service) RateLink(ctx context.Context, a *identity.Actor, tok string, in Input) (*Rating, error) {
	if err := CanRateByLink(a); err != nil {
		return nil, err
	}
	var r *Rating
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		ls, err := s.Link(ctx, tok)
		if err != nil {
			return err
		}
		if !ls.CanRate {
			return apperr.New(apperr.Conflict, "%s", orText(ls.Why, "该链接已评价过"))
		}
		if err := in.validate(ls.Channel, true); err != nil {
			return err
		}
		in.Channel = ls.Channel
		r, err = s.linkRating(ctx, a, ls, in)
		if err != nil {
			return err
		}
		return s.create(ctx, raterAudit(a, r.Anonymous), r)
	})
	return r, err
}

func orText(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

func (s *Service) linkRating(ctx context.Context, a *identity.Actor, ls *LinkSubject, in Input) (*Rating, error) {
	if ls.Kind == SubjectVisit {
		return s.visitRating(ls.Visit, in), nil
	}
	r, err := s.caseRating(ctx, ls.Case, in)
	if err != nil {
		return nil, err
	}
	if a != nil && a.UserID == ls.Case.ApplicantUserID && !in.Anonymous {
		r.RaterUserID = a.UserID
	} else {
		r.Anonymous = true
	}
	return r, nil
}

// Again records a second evaluation (二次评价) after the department's
// feedback: by the rater logged in (ratingID), or by the holder of the
// link the first rating came through (tok).
func (s *Service) Again(ctx context.Context, a *identity.Actor, ratingID int64, tok string, in Input) (*Rating, error) {
	var r2 *Rating
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		first, err := s.againFirst(ctx, a, ratingID, tok)
		if err != nil {
			return err
		}
		t, err := s.d.Store.FindTicketByRating(ctx, first.ID)
		if err != nil || t.Status != TicketFedBack {
			return notAgain(t)
		}
		ch := first.Channel
		if first.RaterUserID != 0 && a != nil && a.UserID == first.RaterUserID {
			ch = in.Channel
			if ch != ChannelMobile {
				ch = ChannelPC
			}
		}
		if err := in.validate(ch, true); err != nil {
			return err
		}
		r2 = secondOf(first, in, ch, s.d.Now())
		if err := s.create(ctx, raterAudit(a, first.Anonymous), r2); err != nil {
			return err
		}
		return s.actTicket(ctx, identity.SystemActor(), t, TicketCommand{Kind: TcRerate, Level: r2.Level, RatingID: r2.ID})
	})
	return r2, err
}

// againFirst finds the first rating a second evaluation is for, checking
// that the actor or link may give it.
func (s *Service) againFirst(ctx context.Context, a *identity.Actor, ratingID int64, tok string) (*Rating, error) {
	if tok != "" {
		if err := CanRateByLink(a); err != nil {
			return nil, err
		}
		ls, err := s.Link(ctx, tok)
		if err != nil {
			return nil, err
		}
		if ls.Rated == nil || !ls.CanAgain {
			return nil, notAgain(ls.Ticket)
		}
		return ls.Rated, nil
	}
	return s.ratingOf(ctx, a, ratingID)
}

// notAgain says why no second evaluation can be given on a ticket (nil
// when the rating opened none).
func notAgain(t *Ticket) error {
	if t != nil && t.Outcome == OutcomeRerated {
		return apperr.New(apperr.Conflict, "已作出二次评价，每条评价只能二次评价一次")
	}
	return apperr.New(apperr.Conflict, "收到整改反馈后才能进行二次评价")
}

func secondOf(first *Rating, in Input, ch Channel, now time.Time) *Rating {
	r := *first
	r.ID, r.Number, r.FirstID, r.Level, r.Indicators, r.Comment = 0, SecondEvaluation, first.ID, in.Level, in.Indicators, in.Comment
	r.Channel, r.Default, r.Excluded, r.Source, r.Key, r.At = ch, false, false, SourceLocal, newKey(), now
	return &r
}
