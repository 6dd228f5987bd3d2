package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/cases"
	"openhall/internal/catalog"
	"openhall/internal/certs"
	"openhall/internal/consult"
	"openhall/internal/disclosure/search"
	"openhall/internal/identity"
	"openhall/internal/jobs"
	"openhall/internal/mailbox"
	"openhall/internal/notify"
	"openhall/internal/powers"
	"openhall/internal/publicity"
)

// addParticipation builds consultations and surveys, the mailboxes, the
// power lists and the 双公示 register over the other services.
func (a *App) addParticipation(o Options) {
	s, st := a.Services, a.Stores
	s.Consult = consult.NewService(consult.Deps{Store: st.Consult, Tx: st, Audit: s.Audit, Agencies: s.Disclosure,
		Documents: s.Disclosure, Calendars: s.Calendar, Search: s.Disclosure.Search(), Now: o.Now})
	s.Mailbox = mailbox.NewService(mailbox.Deps{Store: st.Mailbox, Tx: st, Audit: s.Audit, Agencies: s.Disclosure,
		Departments: s.Org, Calendars: s.Calendar, Notifier: letterNotifier{s.Notify}, Now: o.Now})
	s.Powers = powers.NewService(powers.Deps{Store: st.Powers, Tx: st, Audit: s.Audit, Items: s.Catalog,
		Laws: lawFinder{s.Disclosure.Search()}, Departments: s.Org, Now: o.Now})
	s.Publicity = publicity.NewService(publicity.Deps{Store: st.Publicity, Tx: st, Audit: s.Audit, Settings: st.Settings,
		Benchmarks: s.Powers, Items: s.Catalog, Departments: s.Org, Calendars: s.Calendar, Now: o.Now})
	s.Certs.SetRevokeListener(revocationFeed{a})
}

// letterNotifier tells people about letters in their inbox and by email.
type letterNotifier struct{ n *notify.Service }

func (l letterNotifier) NotifyLetter(ctx context.Context, userID int64, lt *mailbox.Letter, title, body string) error {
	_, err := l.n.Notify(ctx, notify.Message{UserID: userID, Kind: "mailbox.letter", Title: title, Body: body,
		Link: fmt.Sprintf("/participate/letters/%d", lt.ID), Email: true})
	return err
}

// lawFinder finds a law's published document in the disclosure catalogue
// by its exact title (with or without 中华人民共和国).
type lawFinder struct{ s search.Searcher }

func (f lawFinder) FindLaw(ctx context.Context, name string) (int64, bool, error) {
	name = strings.TrimPrefix(strings.TrimSpace(name), "中华人民共和国")
	if name == "" {
		return 0, false, nil
	}
	res, err := f.s.Search(ctx, search.Query{Text: `"` + name + `"`, Kind: search.KindDocument, Limit: 20})
	if err != nil {
		return 0, false, err
	}
	for _, h := range res.Hits {
		title := ""
		for _, sp := range h.Title {
			title += sp.Text
		}
		if title == name || title == "中华人民共和国"+name {
			return h.Ref, true, nil
		}
	}
	return 0, false, nil
}

// permitDecided is the job that entered a decided case in the register
// before decisions were entered in their own transaction; jobs of it
// still queued are run.
type permitDecided struct {
	CaseID int64 `json:"case_id"`
}

func (permitDecided) Kind() string { return "publicity.permit_decided" }

// decisionFeed hands decisions from the cases module to the register, in
// the decision's transaction: the entry exists if and only if the decision
// committed, and the case is not read again to make it.
type decisionFeed struct{ a *App }

func (f decisionFeed) CaseDecided(ctx context.Context, c *cases.Case, e cases.Event) error {
	if e.Decision != cases.DecisionApproved {
		return nil // 行政许可法 Art 40 makes 准予 decisions public
	}
	return f.a.enterPermit(ctx, c)
}

// permitRevoked is the job that marks a case's permit revoked in the
// register once its certificate is revoked.
type permitRevoked struct {
	CaseNumber string `json:"case_number"`
	Reason     string `json:"reason"`
}

func (permitRevoked) Kind() string { return "publicity.permit_revoked" }

// revocationFeed hands certificate revocations to the register: a job
// enqueued in the revocation's transaction.
type revocationFeed struct{ a *App }

func (f revocationFeed) CertificateRevoked(ctx context.Context, c *certs.Certificate) error {
	if c.Data.CaseNumber == "" {
		return nil
	}
	return f.a.queue.Enqueue(ctx, permitRevoked{CaseNumber: c.Data.CaseNumber, Reason: c.RevokeReason}, &jobs.Options{MaxAttempts: 10})
}

// revokePermit marks a case's permit revoked, entering the decision first
// if its own job has not run yet.
func (a *App) revokePermit(ctx context.Context, j permitRevoked) error {
	c, _, err := a.Stores.Cases.FindCaseByNumber(ctx, j.CaseNumber)
	if apperr.Is(err, apperr.NotFound) {
		return nil // a certificate issued outside the cases module
	} else if err != nil {
		return err
	}
	if err := a.recordPermit(ctx, c.ID); err != nil && !apperr.Is(err, apperr.Conflict) {
		return err
	}
	return a.Services.Publicity.RevokePermit(ctx, j.CaseNumber, j.Reason)
}

// recordPermit enters a decided case in the register.
func (a *App) recordPermit(ctx context.Context, caseID int64) error {
	c, err := a.Stores.Cases.LoadCase(ctx, caseID, false)
	if err != nil {
		return err
	}
	return a.enterPermit(ctx, c)
}

// enterPermit enters a decided case in the register.
func (a *App) enterPermit(ctx context.Context, c *cases.Case) error {
	d := permitOf(c)
	if d.DecidedAt.IsZero() {
		return apperr.New(apperr.Conflict, "办件 %s 尚未作出决定", c.Number)
	}
	_, err := a.Services.Publicity.RecordPermit(ctx, d)
	return err
}

// permitOf describes a case's decision for the register.
func permitOf(c *cases.Case) publicity.PermitDecision {
	d := publicity.PermitDecision{Source: c.Number, Number: "许可决定-" + c.Number, ItemID: c.Procedure.ItemID, ItemVersionID: c.Procedure.ItemVersionID,
		ItemType: catalog.ItemType(c.Procedure.ItemType),
		ItemName: c.Procedure.ItemName, DepartmentID: c.Procedure.DepartmentID, HolderKind: publicity.HolderPerson,
		HolderName: c.Applicant.Name, ValidMonths: c.Procedure.Result.ValidMonths, Content: c.Procedure.Result.Name}
	if c.Applicant.Kind == string(identity.KindLegal) {
		d.HolderKind, d.CreditCode = publicity.HolderLegal, c.Applicant.CreditCode
	}
	if c.Certificate != "" {
		d.Content += "（证照编号 " + c.Certificate + "）"
	}
	for _, e := range c.Events {
		if e.Kind == cases.EventDecided && e.Decision == cases.DecisionApproved {
			d.DecidedAt = e.At
		}
	}
	return d
}

// Periodic jobs of participation.
type (
	sweepLetters   struct{}
	expireRegister struct{}
)

func (sweepLetters) Kind() string   { return "mailbox.sweep_deadlines" }
func (expireRegister) Kind() string { return "publicity.expire" }

func (a *App) registerParticipationJobs(reg *jobs.Registry) {
	jobs.Register(reg, func(ctx context.Context, j permitDecided) error { return a.recordPermit(ctx, j.CaseID) })
	jobs.Register(reg, a.revokePermit)
	jobs.Register(reg, func(ctx context.Context, _ sweepLetters) error {
		n, err := a.Services.Mailbox.SweepDeadlines(ctx)
		if n > 0 {
			a.Log.Info("letters near or past their deadline", "count", n)
		}
		return err
	})
	reg.Every(time.Hour, sweepLetters{})
	jobs.Register(reg, func(ctx context.Context, _ expireRegister) error {
		_, err := a.Services.Publicity.Expire(ctx)
		return err
	})
	reg.Every(time.Hour, expireRegister{})
}
