package mailbox

import (
	"context"
	"fmt"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/identity"
	"openhall/internal/pii"
)

// Act applies one command to a letter for a, refusing it when a may not do
// it, when the letter's state does not allow it, or when the letter changed
// since a saw it (seen; zero skips the check).
func (s *Service) Act(ctx context.Context, a *identity.Actor, id int64, cmd Command, seen time.Time) (*Letter, error) {
	var l *Letter
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if l, err = s.d.Store.FindLetter(ctx, id); err != nil {
			return err
		}
		if err := s.authorize(a, l, cmd.Kind); err != nil {
			return err
		}
		if !seen.IsZero() && !seen.Equal(l.UpdatedAt) {
			return apperr.New(apperr.Conflict, "信件已被他人处理（当前为“%s”），请刷新后重试", l.Status.Label())
		}
		if err := s.prepare(ctx, l, &cmd); err != nil {
			return err
		}
		cmd.ActorID, cmd.ActorLabel = a.UserID, a.Audit().Label
		return s.apply(ctx, a, l, cmd)
	})
	return l, err
}

// authorize: the office triages and answers, the department drafts, the
// writer rates.
func (s *Service) authorize(a *identity.Actor, l *Letter, k CommandKind) error {
	switch k {
	case CmdDraft:
		return CanDraft(a, l)
	case CmdRate:
		return CanRate(a, l)
	}
	return CanHandle(a, l.Box())
}

// prepare fills in what the command needs from elsewhere: the assigned
// department (which must lie in the agency's region) and who answers.
func (s *Service) prepare(ctx context.Context, l *Letter, cmd *Command) error {
	switch cmd.Kind {
	case CmdAssign:
		if cmd.DeptID <= 0 {
			return apperr.Field("department_id", "请选择承办部门")
		}
		d, err := s.d.Departments.Department(ctx, cmd.DeptID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.Field("department_id", "所选部门不存在")
		}
		if err != nil {
			return err
		}
		if _, path, err := s.d.Departments.DepartmentRegion(ctx, d.ID); err != nil || !strings.HasPrefix(path, l.RegionPath) {
			return apperr.Field("department_id", "只能分办给本辖区内的部门")
		}
		cmd.DeptName = d.Name
	case CmdAnswer:
		cmd.AnswerUnit = l.AgencyName
		if l.DeptID != 0 && l.DeptName != "" {
			cmd.AnswerUnit = l.DeptName
		}
		if cmd.Publish && pii.Redact(cmd.PublicText) != cmd.PublicText {
			return apperr.Field("public_text", "公开版本中仍有身份证号、手机号等个人信息，请删除后再公开")
		}
	}
	return nil
}

// apply runs the transition, saves and records the change with its
// effects, in the caller's transaction.
func (s *Service) apply(ctx context.Context, a *identity.Actor, l *Letter, cmd Command) error {
	before := l.UpdatedAt
	evs, err := Transition(l, cmd, s.d.Now())
	if err != nil {
		return err
	}
	for _, e := range evs {
		l.Apply(e, cmd)
	}
	if cmd.Kind == CmdAssign {
		l.DeptName = cmd.DeptName
	}
	l.UpdatedAt = s.d.Now()
	if err := s.d.Store.SaveLetter(ctx, l, before, evs); err != nil {
		return err
	}
	if err := s.record(ctx, a, l.RegionPath, "mailbox.letter."+string(cmd.Kind), "letter", l.ID,
		map[string]any{"status": l.Status, "department": l.DeptID, "days": l.Days, "published": l.Published, "rating": l.Rating}); err != nil {
		return err
	}
	return s.effects(ctx, l, cmd)
}

// effects tell the writer about the answer and report hotline letters'
// answers back, inside the same transaction.
func (s *Service) effects(ctx context.Context, l *Letter, cmd Command) error {
	if cmd.Kind != CmdAnswer && cmd.Kind != CmdReject {
		return nil
	}
	if l.UserID != 0 && s.d.Notifier != nil {
		title := fmt.Sprintf("您的来信“%s”已%s", l.Subject, map[CommandKind]string{CmdAnswer: "答复", CmdReject: "处理"}[cmd.Kind])
		if err := s.d.Notifier.NotifyLetter(ctx, l.UserID, l, title, l.Answer); err != nil {
			return err
		}
	}
	if l.Source == SourceHotline && s.d.Hotline != nil {
		return s.d.Hotline.LetterAnswered(ctx, l)
	}
	return nil
}

// Clock measures a letter's deadline now on its region's calendar.
func (s *Service) Clock(l *Letter) (Clock, error) {
	cal, err := s.d.Calendars.ForRegion(l.RegionPath)
	if err != nil {
		return Clock{}, err
	}
	return ComputeClock(l, cal, s.d.Now())
}

// View is a letter as one person may see it.
type View struct {
	Letter   *Letter
	Clock    Clock
	Handle   bool // the actor is the office
	Draft    bool // the actor drafts for the department
	Rate     bool // the actor may rate the answer now
	Personal bool // the actor may see the writer's name and phone
}

// Get returns a letter to the writer, the office, the assigned department
// and supervisors; the writer's name and phone are masked for everyone but
// the writer and the office.
func (s *Service) Get(ctx context.Context, a *identity.Actor, id int64) (*View, error) {
	l, err := s.d.Store.FindLetter(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &View{Letter: l, Handle: CanHandle(a, l.Box()) == nil, Draft: CanDraft(a, l) == nil}
	v.Rate = CanRate(a, l) == nil && l.Status == StatusAnswered && l.Rating == RatingNone
	v.Personal = v.Handle || IsWriter(a, l)
	supervises := a.HasIn(identity.RoleSupervisor, l.RegionPath, 0)
	if !v.Personal && !v.Draft && !supervises {
		return nil, apperr.New(apperr.NotFound, "信件不存在")
	}
	if !v.Personal {
		l.WriterName, l.WriterPhone = pii.MaskName(l.WriterName), pii.MaskMobile(l.WriterPhone)
	}
	v.Clock, err = s.Clock(l)
	return v, err
}

// PublicLetter is a published letter as the portal shows it: no name, no
// phone, the text as the office made it public.
type PublicLetter struct {
	ID          int64
	Number      string
	MailboxID   int64
	MailboxName string
	Topic       string
	Subject     string
	Text        string
	Answer      string
	AnswerUnit  string
	ReceivedAt  time.Time
	AnsweredAt  time.Time
}

func publicOf(l *Letter) PublicLetter {
	return PublicLetter{ID: l.ID, Number: l.Number(), MailboxID: l.MailboxID, MailboxName: l.MailboxName, Topic: l.Topic,
		Subject: pii.Redact(l.Subject), Text: l.PublicText, Answer: pii.Redact(l.Answer), AnswerUnit: l.AnswerUnit,
		ReceivedAt: l.ReceivedAt, AnsweredAt: l.AnsweredAt}
}

// Published returns a published letter.
func (s *Service) Published(ctx context.Context, id int64) (PublicLetter, error) {
	l, err := s.d.Store.FindLetter(ctx, id)
	if err != nil {
		return PublicLetter{}, err
	}
	if !l.Published {
		return PublicLetter{}, apperr.New(apperr.NotFound, "信件不存在或未公开")
	}
	return publicOf(l), nil
}

// PublishedLetters lists a mailbox's published letters, newest first.
func (s *Service) PublishedLetters(ctx context.Context, mailboxID int64, offset, limit int) ([]PublicLetter, int, error) {
	ls, n, err := s.d.Store.FindLetters(ctx, LetterFilter{MailboxID: mailboxID, Published: true, Offset: offset, Limit: limit})
	out := make([]PublicLetter, len(ls))
	for i, l := range ls {
		out[i] = publicOf(l)
	}
	return out, n, err
}
