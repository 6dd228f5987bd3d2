package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/calendar"
	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/certs"
	"openhall/internal/hall"
	"openhall/internal/identity"
	"openhall/internal/jobs"
	"openhall/internal/notify"
	"openhall/internal/store"
)

// addCases builds the cases service over the catalogue and the support
// services.
func (a *App) addCases(ctx context.Context, o Options, procs cases.Procedures) error {
	secret, err := a.secret(ctx, "case-query")
	if err != nil {
		return err
	}
	s := a.Services
	s.Cases = cases.NewService(cases.Deps{Store: a.Stores.Cases, Tx: a.Stores, Audit: s.Audit, Procedures: procs,
		Calendars: s.Calendar, Notifier: closedCases{caseNotifier{n: s.Notify, a: a}, s.Ratings}, Certifier: certifier{a}, Throttle: lookupThrottle{a.Stores.Identity, a.Stores.Backend, o.now()},
		Uploads: uploadQuota{a.Stores.Identity, a.Stores.Backend, o.now()}, Accounts: a.Stores.Identity, Scheduler: caseTimers{a}, Secret: secret, Now: o.Now,
		Watcher: a.caseWatcher(), Decisions: decisionFeed{a}})
	s.Certs.SetAuthorizer(a.certificateViewer)
	s.Hall = hall.NewService(hall.Deps{Store: a.Stores.Hall, Tx: a.Stores, Audit: s.Audit, Cases: s.Cases, Catalog: s.Catalog,
		Orgs: s.Org, Calendars: s.Calendar, Notifier: s.Notify, Now: o.Now})
	return nil
}

func (o Options) now() func() time.Time {
	if o.Now == nil {
		return time.Now
	}
	return o.Now
}

// caseNotifier tells the applicant (and the agent who filed) about a case:
// in the inbox, by email and by SMS.
type caseNotifier struct {
	n *notify.Service
	a *App
}

func (c caseNotifier) NotifyCase(ctx context.Context, cs *cases.Case, e cases.Event) error {
	title, body := caseMessage(cs, e)
	if d := c.dates(cs, e); d != "" {
		body += d
	}
	for _, uid := range []int64{cs.Applicant.UserID, cs.AgentID} {
		if uid == 0 {
			continue
		}
		m := notify.Message{UserID: uid, Kind: "case." + string(e.Kind), Title: title, Body: body,
			Link: fmt.Sprintf("/cases/%d", cs.ID), Email: true, SMS: uid == cs.Applicant.UserID}
		if err := c.n.Post(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// dates adds to a message the date it announces: the promised completion
// on acceptance, the end of a 补正 period; with the 暂定 note where a
// year's holiday schedule is missing, never a zero date.
func (c caseNotifier) dates(cs *cases.Case, e cases.Event) string {
	svc := c.a.Services.Cases
	switch e.Kind {
	case cases.EventAccepted:
		cl, err := svc.Clocks(cs)
		if err != nil || cl.Promised.Due.IsZero() || cs.Procedure.Instant {
			return ""
		}
		return fmt.Sprintf("承诺于 %s%s前作出决定。", cl.Promised.Due, calendar.ProvisionalNote(cl.Promised.Provisional))
	case cases.EventSupplementRequested, cases.EventReturnedToApplicant:
		cal, err := c.a.Services.Calendar.ForRegion(cs.Procedure.RegionPath)
		if err != nil {
			return ""
		}
		due, err := cases.SupplementDue(cs, cal, calendar.DefaultOfficeHours())
		if err != nil {
			return ""
		}
		d := calendar.DateOf(due)
		return fmt.Sprintf("补正期限至 %s%s。", d, calendar.ProvisionalNote(cal.Provisional(calendar.DateOf(e.At), d)))
	}
	return ""
}

// caseMessage says what happened in plain words.
func caseMessage(c *cases.Case, e cases.Event) (string, string) {
	title := fmt.Sprintf("办件 %s %s", c.Number, e.Kind.Label())
	item := c.Procedure.ItemName
	switch e.Kind {
	case cases.EventAccepted:
		return title, fmt.Sprintf("您申请的“%s”已受理，受理通知书编号 %s。", item, e.Ref)
	case cases.EventRefused:
		return title, fmt.Sprintf("您申请的“%s”不予受理，理由：%s。", item, e.Reason)
	case cases.EventSupplementRequested, cases.EventReturnedToApplicant:
		return title, fmt.Sprintf("您申请的“%s”需补正：%s。请在规定期限内补正。", item, strings.Join(e.Items, "；"))
	case cases.EventExtensionApproved:
		return title, fmt.Sprintf("您申请的“%s”经批准延长审批 %d 个工作日。", item, e.Days)
	case cases.EventDecided:
		if c.Status == cases.StatusPayment {
			return title, fmt.Sprintf("您申请的“%s”已准予许可。请缴纳费用 %s 后领取办理结果（缴费通知书可在办件页查看）。", item, catalog.Yuan(c.Fee.Owed()))
		}
		return title, fmt.Sprintf("您申请的“%s”已作出决定：%s。", item, e.Decision.Label())
	case cases.EventSpecialStarted:
		k, _ := c.Procedure.AllowsSpecial(e.Code)
		counts := "所需时间计入办理时限"
		if k.StopsClock {
			counts = "所需时间不计算在办理时限内（行政许可法第四十五条）"
		}
		return title, fmt.Sprintf("您申请的“%s”需进行%s，预计需要 %d 个%s，%s。", item, k.Name, e.Days, k.DaysUnit().Label(), counts)
	case cases.EventRefunded:
		return title, fmt.Sprintf("您申请的“%s”已缴的费用 %s 已退还，退费凭证 %s。", item, catalog.Yuan(c.Fee.RefundedFen), e.Ref)
	case cases.EventCertificateIssued:
		return title, fmt.Sprintf("“%s”的电子证照已出具，证照编号 %s。", item, e.Ref)
	}
	return title, fmt.Sprintf("您申请的“%s”：%s。", item, e.Kind.Label())
}

// certifier issues a case's certificate with the key of the centre the
// approving department is stationed in.
type certifier struct{ a *App }

func (c certifier) IssueCertificate(ctx context.Context, actor *identity.Actor, cs *cases.Case) (string, error) {
	dept, err := c.a.Services.Org.Department(ctx, cs.Procedure.DepartmentID)
	if err != nil {
		return "", err
	}
	if dept.CentreID == nil {
		return "", apperr.New(apperr.Conflict, "%s未进驻服务中心，没有签发电子证照的印章，请先设置进驻中心", dept.Name)
	}
	cert, err := c.a.Services.Certs.Issue(ctx, actor, certs.IssueInput{CentreID: *dept.CentreID,
		HolderUserID: cs.Applicant.UserID, Data: certificateData(cs, dept.Name, dept.CreditCode, c.a.now())})
	if err != nil {
		return "", err
	}
	return cert.Number(), nil
}

func certificateData(cs *cases.Case, issuer, issuerCode string, now time.Time) certs.Data {
	today := calendar.DateOf(now)
	holder := certs.Holder{Name: cs.Applicant.Name, IDType: certs.IDResident, IDNumber: cs.Applicant.IDNumber}
	if cs.Applicant.Kind == string(identity.KindLegal) {
		holder.IDType, holder.IDNumber = certs.IDCreditCode, cs.Applicant.CreditCode
	}
	d := certs.Data{Name: cs.Procedure.Result.Name, Holder: holder, ItemName: cs.Procedure.ItemName, ItemCode: cs.Procedure.ItemCode,
		ValidFrom: today, IssuerName: issuer, IssuerCreditCode: issuerCode, IssueDate: today, CaseNumber: cs.Number}
	if m := cs.Procedure.Result.ValidMonths; m > 0 {
		to := calendar.DateOf(today.Time().AddDate(0, m, -1))
		d.ValidTo = &to
	}
	return d
}

// certificateViewer lets the holder, the person who filed the case and the
// staff who may see the case open a certificate's full view.
// The holder's data appears in full to the holder and to those who see
// the case's applicant in full (cases.NeedsPersonalData), masked to other
// viewers of the case (监察人员, administrators), as on the case page.
func (a *App) certificateViewer(ctx context.Context, actor *identity.Actor, cert *certs.Certificate) (bool, error) {
	if actor != nil && cert.HolderUserID != 0 && actor.UserID == cert.HolderUserID {
		return true, nil
	}
	forbidden := apperr.New(apperr.Forbidden, "只有持证人、申请人和办理该办件的工作人员可以查看证照全文；公开验证请扫描证照上的二维码")
	c, _, err := a.Stores.Cases.FindCaseByNumber(ctx, cert.Data.CaseNumber)
	if err != nil || cases.CanView(actor, c) != nil {
		return false, forbidden
	}
	return cases.NeedsPersonalData(actor, c), nil
}

// supplementTimeout is the timer job of a 补正 notice.
type supplementTimeout struct {
	CaseID int64 `json:"case_id"`
	Round  int   `json:"round"`
}

func (supplementTimeout) Kind() string { return "cases.supplement_timeout" }

// caseTimers puts case timers on the job queue.
type caseTimers struct{ a *App }

func (t caseTimers) ScheduleSupplementTimeout(ctx context.Context, caseID int64, round int, at time.Time) error {
	return t.a.queue.Enqueue(ctx, supplementTimeout{CaseID: caseID, Round: round}, &jobs.Options{RunAt: at})
}

func (a *App) registerCaseJobs(reg *jobs.Registry) {
	jobs.Register(reg, func(ctx context.Context, j supplementTimeout) error {
		return a.Services.Cases.SupplementTimedOut(ctx, j.CaseID, j.Round)
	})
}

// uploadQuota bounds the files an account uploads on its own (ahead of a
// filing): uploadsPerWindow in uploadWindow. Its counters are kept with the
// login throttle's (the failures column counting uploads), so every node
// of a cluster sees them.
type uploadQuota struct {
	s   identity.Store
	tx  store.Backend
	now func() time.Time
}

const (
	uploadsPerWindow = 200
	uploadWindow     = time.Hour
)

// Check refuses an upload under key when the window's uploads are used up,
// before the file is stored; it counts nothing.
func (q uploadQuota) Check(ctx context.Context, key string) error {
	_, err := q.current(ctx, key, q.now().UTC())
	return err
}

// Take counts one upload under key, read and written in one transaction
// (the caller's, or its own) so that concurrent uploads are all counted;
// the record is built afresh on each run of the transaction.
func (q uploadQuota) Take(ctx context.Context, key string) error {
	now := q.now().UTC()
	return q.tx.InTx(ctx, func(ctx context.Context) error {
		t, err := q.current(ctx, key, now)
		if err != nil {
			return err
		}
		t.Failures++
		return q.s.PutThrottle(ctx, t)
	})
}

// current is key's count in the window running at now, or the refusal
// when it is used up.
func (q uploadQuota) current(ctx context.Context, key string, now time.Time) (*identity.Throttle, error) {
	t, err := q.s.FindThrottle(ctx, key)
	if apperr.Is(err, apperr.NotFound) || err == nil && now.Sub(t.WindowStart) > uploadWindow {
		t, err = &identity.Throttle{Key: key, WindowStart: now}, nil
	}
	if err != nil {
		return nil, err
	}
	if t.Failures >= uploadsPerWindow {
		wait := max(time.Minute, t.WindowStart.Add(uploadWindow).Sub(now)).Round(time.Minute)
		return nil, apperr.New(apperr.TooMany, "上传过于频繁：每个账号每小时最多单独上传 %d 个文件，请在约 %d 分钟后再试；随申请一并提交的材料不受此限",
			uploadsPerWindow, int(wait.Minutes())).After(t.WindowStart.Add(uploadWindow).Sub(now))
	}
	return t, nil
}

// lookupThrottle limits wrong guesses of progress lookups: 10 per key in 15
// minutes, then 15 minutes' wait. It keeps its counters with the login
// throttle's, so every node of a cluster sees them.
type lookupThrottle struct {
	s   identity.Store
	tx  store.Backend
	now func() time.Time
}

const (
	lookupFailures = 10
	lookupWindow   = 15 * time.Minute
)

// Fail counts one wrong guess under key, read and written in one
// transaction so that concurrent guesses are all counted.
func (l lookupThrottle) Fail(ctx context.Context, key string) error {
	now := l.now().UTC()
	return l.tx.InTx(ctx, func(ctx context.Context) error {
		t, err := l.s.FindThrottle(ctx, key)
		if apperr.Is(err, apperr.NotFound) || err == nil && now.Sub(t.WindowStart) > lookupWindow {
			t, err = &identity.Throttle{Key: key, WindowStart: now}, nil
		}
		if err != nil {
			return err
		}
		t.Failures++
		if t.Failures >= lookupFailures {
			t.LockedUntil = now.Add(lookupWindow)
		}
		return l.s.PutThrottle(ctx, t)
	})
}
