package complaint

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"openhall/internal/apperr"
	"openhall/internal/identity"
)

// View is a complaint as one person sees it.
type View struct {
	Complaint   *Complaint
	Clocks      Clocks
	Identity    bool // the viewer sees who complained
	Desk        bool
	Department  bool
	Complainant bool
	Options     []CommandKind
	// Stage is the deadline of the step the complaint waits for now
	// (Clocks.Stage), nil when none runs: the complainant sees it, the
	// staff every clock.
	Stage *Stage
	// CanShowPhone: the complainant's phone, masked here, may be shown to
	// the actor in full (ShowPhone); PhoneShown: it is.
	CanShowPhone, PhoneShown bool
}

// Get returns a complaint for someone allowed to see it; the department
// sees who complained only when the complainant agreed.
func (s *Service) Get(ctx context.Context, a *identity.Actor, id int64) (*View, error) {
	c, err := s.loadFor(ctx, a, id, false)
	if err != nil {
		return nil, err
	}
	return s.view(a, c, false)
}

// loadFor loads a complaint for someone allowed to see it; a missing
// complaint and one out of sight are the same error.
func (s *Service) loadFor(ctx context.Context, a *identity.Actor, id int64, lock bool) (*Complaint, error) {
	if a == nil {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录，或凭投诉编号和查询码查询")
	}
	c, err := s.d.Store.LoadComplaint(ctx, id, lock)
	if apperr.Is(err, apperr.NotFound) {
		return nil, errNoComplaint
	}
	if err != nil {
		return nil, err
	}
	if err := CanView(a, c); err != nil {
		return nil, err
	}
	return c, nil
}

func (s *Service) view(a *identity.Actor, c *Complaint, holder bool) (*View, error) {
	cal, err := s.d.Calendars.ForRegion(c.RegionPath)
	if err != nil {
		return nil, err
	}
	v := &View{Complaint: c, Desk: IsDesk(a, c), Department: isDepartment(a, c), Complainant: holder || isComplainant(a, c)}
	if v.Clocks, err = ComputeClocks(c, cal, s.d.Now()); err != nil {
		return nil, err
	}
	if st, ok := v.Clocks.Stage(c.Status, c.Kind); ok {
		v.Stage = &st
	}
	v.Identity = v.Complainant || SeesIdentity(a, c)
	if !v.Identity {
		v.Complaint = hideIdentity(c)
	}
	if !v.Complainant && !SeesCase(a, c) {
		v.Complaint = hideCase(v.Complaint)
	}
	if !v.Desk && !v.Department {
		v.Complaint = hideInternal(v.Complaint)
	}
	if !v.Complainant {
		v.Complaint = maskPersonal(v.Complaint)
		v.CanShowPhone = v.Complaint.Complainant.Phone != "" && CanShowPhone(a, c) == nil
	}
	for _, k := range []CommandKind{CmdAccept, CmdRefuse, CmdAssign, CmdReturn, CmdReply, CmdAnswer, CmdRate, CmdReopen} {
		if _, err := Transition(c, probe(k), s.d.Now()); apperr.CodeOf(err) != apperr.Conflict && authorize(a, c, k, holder) == nil {
			v.Options = append(v.Options, k)
		}
	}
	return v, nil
}

// probe is a command filled enough to pass the state check alone.
func probe(k CommandKind) Command {
	return Command{Kind: k, Text: "probe", DepartmentID: 1, Days: 1, Level: 1}
}

// hideIdentity is a copy of c without who complained: the complainant's
// name and phone, and their name on the steps they took.
func hideIdentity(c *Complaint) *Complaint {
	cp := *c
	cp.Complainant = Complainant{}
	cp.Events = append([]Event(nil), c.Events...)
	for i, e := range cp.Events {
		if e.Kind == EvSubmitted && c.Channel == ChannelOnline || e.Kind == EvRated || e.Kind == EvReopened {
			cp.Events[i].ActorID, cp.Events[i].ActorLabel = 0, "投诉人"
		}
	}
	return &cp
}

// internalNote stands, for the complainant, in place of what the
// department told the desk: the desk answers the complainant itself.
const internalNote = "（承办部门向受理机构的反馈，不对外公开；受理机构将据此答复您）"

// hideInternal is a copy of c without the texts the department addressed
// to the desk (its reply and its reason for returning the complaint):
// the complainant hears the desk's answer, not the department's draft.
func hideInternal(c *Complaint) *Complaint {
	cp := *c
	cp.Events = append([]Event(nil), c.Events...)
	for i, e := range cp.Events {
		if (e.Kind == EvReplied || e.Kind == EvReturned) && e.Text != "" {
			cp.Events[i].Text = internalNote
		}
	}
	return &cp
}

// Act applies one command of a logged-in person.
func (s *Service) Act(ctx context.Context, a *identity.Actor, id int64, cmd Command, version int) (*Complaint, error) {
	var c *Complaint
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		if c, err = s.loadFor(ctx, a, id, true); err != nil {
			return err
		}
		return s.act(ctx, a, c, cmd, version, false)
	})
	return c, err
}

func (s *Service) act(ctx context.Context, a *identity.Actor, c *Complaint, cmd Command, version int, holder bool) error {
	if !cmd.Kind.Valid() {
		return apperr.Field("kind", fmt.Sprintf("未知的操作“%s”", cmd.Kind))
	}
	if version != 0 && version != c.Version {
		return apperr.New(apperr.Conflict, "%s已被他人处理（当前为“%s”），请刷新后重试", c.Kind.Label(), c.Status.Label())
	}
	if err := authorize(a, c, cmd.Kind, holder); err != nil {
		return err
	}
	if cmd.DepartmentID != 0 {
		name, path, err := s.d.Orgs.DepartmentName(ctx, cmd.DepartmentID)
		if err != nil {
			return apperr.Field("department_id", "所选部门不存在")
		}
		if !inLine(c.RegionPath, path) {
			return apperr.Field("department_id", "所选部门不属于该"+c.Kind.Label()+"所在地区或其上级、下级地区，不能转办")
		}
		cmd.Department = name
	}
	who := a.Audit()
	if a == nil {
		who.Label = "投诉人"
	}
	cmd.ActorID, cmd.ActorLabel = who.ID, who.Label
	evs, err := Transition(c, cmd, s.d.Now())
	if err != nil {
		return err
	}
	from := c.Version
	for _, e := range evs {
		c.Apply(e)
	}
	added := c.Events[len(c.Events)-len(evs):]
	if err := s.d.Store.SaveComplaint(ctx, c, from, added); err != nil {
		return err
	}
	if holder || isComplainant(a, c) {
		who = complainantAudit
	}
	if err := s.record(ctx, who, c, added); err != nil {
		return err
	}
	if err := s.planReminders(ctx, c, added); err != nil {
		return err
	}
	return s.effects(ctx, c, added)
}

// inLine reports whether a department of the region at deptPath may be
// given a complaint about the region at path: one of the region, above it
// or below it. Another branch's department, which its staff would then
// read (isDepartment), may not.
func inLine(path, deptPath string) bool {
	return strings.HasPrefix(path, deptPath) || strings.HasPrefix(deptPath, path)
}

// effects tells whoever acts next, and returns answers to the hotline.
func (s *Service) effects(ctx context.Context, c *Complaint, evs []Event) error {
	for _, e := range evs {
		var err error
		switch e.Kind {
		case EvAssigned:
			err = s.tellDepartment(ctx, c, e)
		case EvReplied, EvRated:
			err = s.tellDesk(ctx, c, fmt.Sprintf("%s %s：%s", c.Kind.Label(), c.Number, e.Kind.Label()), shownText(e))
		case EvReturned, EvReopened: // back with the desk, on its clock (Clocks.Desk)
			err = s.tellDesk(ctx, c, fmt.Sprintf("%s %s：%s，请在 %d 个工作日内重新转办或答复", c.Kind.Label(), c.Number, e.Kind.Label(), DeskDays), shownText(e))
		case EvAnswered, EvRefused:
			err = s.answerComplainant(ctx, c, e)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) tellDepartment(ctx context.Context, c *Complaint, e Event) error {
	ids, err := s.d.Store.DepartmentStaff(ctx, e.DepartmentID, c.RegionPath, []identity.Role{identity.RoleApprover, identity.RoleDeptHead})
	if err != nil || len(ids) == 0 {
		return err
	}
	return s.d.Notifier.Tell(ctx, ids, Note{Kind: "complaint.assigned", Title: fmt.Sprintf("转办%s %s，请在 %d 个工作日内答复", c.Kind.Label(), c.Number, e.Days),
		Body: departmentSubject(c).Label, Link: fmt.Sprintf("/complaints/%d", c.ID)})
}

// answerComplainant tells the complainant the answer (or the refusal) and
// returns it to the hotline when the complaint came from there.
func (s *Service) answerComplainant(ctx context.Context, c *Complaint, e Event) error {
	if c.Complainant.UserID != 0 {
		err := s.d.Notifier.Tell(ctx, []int64{c.Complainant.UserID}, Note{Kind: "complaint.answered", SMS: true,
			Title: fmt.Sprintf("您的%s %s：%s", c.Kind.Label(), c.Number, e.Kind.Label()), Body: e.Text, Link: fmt.Sprintf("/complaints/%d", c.ID)})
		if err != nil {
			return err
		}
	}
	if c.Channel == ChannelHotline && c.HotlineTicket != "" && s.d.Hotline != nil {
		return s.d.Hotline.ReturnAnswer(ctx, c.Kind, c.HotlineTicket, c.Number, hotlineText(e), e.At)
	}
	return nil
}

// Track opens a complaint with its number and 查询码, without login.
// Wrong guesses are counted per address (guessKeys).
func (s *Service) Track(ctx context.Context, number, code, addr string) (*View, error) {
	c, err := s.byCode(ctx, number, code, addr)
	if err != nil {
		return nil, err
	}
	return s.view(nil, c, true)
}

// ActByCode applies a complainant's command (rate, reopen) given with the
// number and 查询码.
func (s *Service) ActByCode(ctx context.Context, number, code, addr string, cmd Command) (*Complaint, error) {
	var c *Complaint
	err := s.d.Tx.InTx(ctx, func(ctx context.Context) error {
		found, err := s.byCode(ctx, number, code, addr)
		if err != nil {
			return err
		}
		if c, err = s.d.Store.LoadComplaint(ctx, found.ID, true); err != nil {
			return err
		}
		return s.act(ctx, nil, c, cmd, 0, true)
	})
	return c, err
}

func (s *Service) byCode(ctx context.Context, number, code, addr string) (*Complaint, error) {
	number, code = strings.ToUpper(halfWidth(number)), halfWidth(code)
	var f apperr.Fields
	f.Check(number == "", "number", "请输入投诉编号")
	f.Check(code == "", "code", "请输入查询码")
	if err := f.Err(); err != nil {
		return nil, err
	}
	keys := guessKeys(addr)
	until, err := s.d.Throttle.LockedUntil(ctx, keys)
	if err != nil {
		return nil, err
	}
	if now := s.d.Now(); now.Before(until) {
		return nil, apperr.New(apperr.TooMany, "查询错误次数过多，请于 %s 后再试", until.In(chinaTime).Format("15:04")).After(until.Sub(now))
	}
	c, hash, err := s.d.Store.FindComplaintByNumber(ctx, number)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	if c == nil || !hmacEqual(hash, s.hash(code)) {
		for _, k := range keys {
			s.d.Throttle.Fail(ctx, k)
		}
		return nil, apperr.New(apperr.NotFound, "投诉编号或查询码不正确")
	}
	return c, nil
}

// guessKeys name the counters of wrong 查询码 from an address: past the
// throttle's limit the address is refused for a while, whichever numbers
// it tries. They are not counted per complaint number: numbers run in
// sequence, so anyone could lock every complainant out of their own
// complaint; an 8-digit 查询码 guessed a few times per address and
// quarter of an hour stays out of reach.
func guessKeys(addr string) []string {
	return []string{"complaint-addr:" + addr}
}

// halfWidth is s as it was meant to be typed: the full-width letters and
// digits a Chinese input method may give (“ＴＳ２６…”, “５８０５…”) as ASCII,
// and without spaces, which no number or 查询码 holds. The number is also
// upper-cased by the caller, so that “ts26…” finds the complaint.
func halfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case r >= '！' && r <= '～':
			return r - '！' + '!'
		}
		return r
	}, s)
}

func hmacEqual(a, b []byte) bool {
	if len(a) == 0 || len(a) != len(b) {
		return false
	}
	var v byte
	for i := range a {
		v |= a[i] ^ b[i]
	}
	return v == 0
}

// Item is a complaint as a row of a list.
type Item struct {
	Complaint *Complaint
	Clocks    Clocks
}

// Queue lists the complaints the actor handles: the desk's of its regions
// and the departments' assigned to them; open ones unless all. The most
// urgent come first (Clocks.Before).
func (s *Service) Queue(ctx context.Context, a *identity.Actor, all bool) ([]Item, error) {
	f := Filter{Open: !all, Limit: 500}
	for _, g := range a.Grants {
		switch {
		case g.Role == identity.RoleSupervisor && g.DepartmentID == nil: // one naming a department is no desk (IsDesk)
			f.RegionPrefixes = append(f.RegionPrefixes, g.RegionPath)
		case (g.Role == identity.RoleApprover || g.Role == identity.RoleDeptHead) && g.DepartmentID != nil:
			f.DepartmentIDs = append(f.DepartmentIDs, *g.DepartmentID)
		}
	}
	if len(f.RegionPrefixes)+len(f.DepartmentIDs) == 0 {
		return nil, apperr.New(apperr.Forbidden, "投诉办理仅供监察人员和承办部门使用")
	}
	list, err := s.items(ctx, a, f)
	if err != nil || all {
		return list, err
	}
	// A department's to-do is what is assigned to it now: one it returned
	// or replied to, or one reopened and not yet assigned again, waits for
	// the desk and offers the department no step.
	out := list[:0]
	for _, it := range list {
		if IsDesk(a, it.Complaint) || it.Complaint.Status == StatusAssigned {
			out = append(out, it)
		}
	}
	return out, nil
}

// Mine lists the complaints the actor filed under their name.
func (s *Service) Mine(ctx context.Context, a *identity.Actor) ([]Item, error) {
	if a == nil {
		return nil, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	return s.items(ctx, a, Filter{ComplainantID: a.UserID, Limit: 200})
}

// ForCase lists the complaints about a case, for its timeline: only the
// desk sees them.
func (s *Service) ForCase(ctx context.Context, a *identity.Actor, caseID int64) ([]Item, error) {
	if !a.Has(identity.RoleSupervisor) {
		return nil, nil
	}
	list, err := s.items(ctx, a, Filter{CaseID: caseID, Limit: 50})
	var out []Item
	for _, it := range list {
		if IsDesk(a, it.Complaint) {
			out = append(out, it)
		}
	}
	return out, err
}

func (s *Service) items(ctx context.Context, a *identity.Actor, f Filter) ([]Item, error) {
	list, err := s.d.Store.FindComplaints(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]Item, 0, len(list))
	for _, c := range list {
		v, err := s.view(a, c, false)
		if err != nil {
			return nil, err
		}
		out = append(out, Item{Complaint: v.Complaint, Clocks: v.Clocks})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Clocks.Before(out[j].Clocks) })
	return out, nil
}
