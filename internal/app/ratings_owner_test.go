package app_test

import (
	"context"
	"strings"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/apptest"
	"openhall/internal/rating"
)

// TestAnonymousRatingStaysWithItsAuthor: a bad review given anonymously is
// hidden from the department, not from its author: it is among their
// ratings, they read the department's feedback and evaluate again. Another
// applicant sees none of it.
func TestAnonymousRatingStaysWithItsAuthor(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, clock := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		mine := decidedCase(t, a, "个体工商户设立登记", "citizen")
		theirs := approveThrough(t, a, "食品经营许可")
		citizen, company := actor(t, a, "citizen"), actor(t, a, "company")
		r, err := a.Services.Ratings.RateCase(ctx, citizen, mine.ID, rating.Input{Level: rating.Dissatisfied, Comment: "排队太久", Anonymous: true})
		if err != nil || !r.Anonymous || r.RaterUserID != 0 {
			t.Fatalf("anonymous rating: %+v %v", r, err)
		}
		if _, err := a.Services.Ratings.RateCase(ctx, company, theirs.ID, rating.Input{Level: rating.Satisfied}); err != nil {
			t.Fatal(err)
		}
		wantMine(t, a, "citizen", mine.ID)
		wantMine(t, a, "company", theirs.ID)
		if _, err := a.Services.Ratings.RaterRating(ctx, company, r.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another applicant opens the anonymous rating: %v", err)
		}
		tickets, err := a.Services.Ratings.Tickets(ctx, actor(t, a, "approver"), true)
		if err != nil || len(tickets) != 1 {
			t.Fatalf("department tickets: %d, %v", len(tickets), err)
		}
		feedBack(t, a, clock, tickets[0].Ticket.ID)
		v, err := a.Services.Ratings.RaterRating(ctx, citizen, r.ID)
		if err != nil || !v.CanAgain || v.Feedback == nil || !strings.Contains(v.Feedback.Reason, "增设") {
			t.Fatalf("the author's view after the feedback: %+v %v", v, err)
		}
		if _, err := a.Services.Ratings.Again(ctx, company, r.ID, "", rating.Input{Level: rating.VerySatisfied}); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another applicant evaluates again: %v", err)
		}
		r2, err := a.Services.Ratings.Again(ctx, citizen, r.ID, "", rating.Input{Level: rating.Satisfied, Comment: "改进了"})
		if err != nil || !r2.Anonymous || r2.RaterUserID != 0 || r2.FirstID != r.ID {
			t.Fatalf("second evaluation: %+v %v", r2, err)
		}
		_, err = a.Services.Ratings.Again(ctx, citizen, r.ID, "", rating.Input{Level: rating.Satisfied})
		if !apperr.Is(err, apperr.Conflict) || !strings.Contains(apperr.MessageOf(err), "已作出二次评价") {
			t.Fatalf("a second evaluation given twice: %v", err)
		}
	})
}

// wantMine checks that the user's ratings are exactly those of the case.
func wantMine(t *testing.T, a *apptest.App, user string, caseID int64) {
	t.Helper()
	list, err := a.Services.Ratings.Mine(context.Background(), actor(t, a, user))
	if err != nil || len(list) != 1 || list[0].CaseID != caseID {
		t.Fatalf("%s's ratings: %d (%v), want the one of case %d", user, len(list), err, caseID)
	}
}

// feedBack takes an anonymous review's ticket (no one to call back) to the
// department's feedback.
func feedBack(t *testing.T, a *apptest.App, clock *testClock, id int64) {
	t.Helper()
	for i, s := range []struct {
		who string
		cmd rating.TicketCommand
	}{
		{"approver", rating.TicketCommand{Kind: rating.TcVerify, Code: rating.FindingFounded, Reason: "调取排队记录，情况属实"}},
		{"approver", rating.TicketCommand{Kind: rating.TcRectify, Code: rating.RemedyRectify, Reason: "高峰时段增开窗口"}},
		{"depthead", rating.TicketCommand{Kind: rating.TcFeedback, Reason: "已在高峰时段增设一个窗口，感谢监督"}},
	} {
		clock.Set(cstAt(3, 10+i, 10))
		if _, err := a.Services.Ratings.ActTicket(context.Background(), actor(t, a, s.who), id, s.cmd, 0); err != nil {
			t.Fatalf("%s: %v", s.cmd.Kind, err)
		}
	}
}

// TestStaffCannotRateByLink: staff see the receipts they print, with the
// QR code; their accounts neither open nor use the link, so the stage
// stays the applicant's to rate.
func TestStaffCannotRateByLink(t *testing.T) {
	a, _ := demoApp(t, "sqlite", cstAt(3, 9, 10))
	ctx := context.Background()
	c := decidedCase(t, a, "个体工商户设立登记", "citizen")
	tok := strings.TrimPrefix(a.Services.Ratings.CaseLink(c.ID), "/rate/")
	for _, user := range []string{"clerk", "approver", "supervisor", "admin"} {
		staff := actor(t, a, user)
		if _, err := a.Services.Ratings.LinkFor(ctx, staff, tok); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("%s opens the rating link: %v", user, err)
		}
		if _, err := a.Services.Ratings.RateLink(ctx, staff, tok, rating.Input{Level: rating.VerySatisfied}); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("%s rates through the link: %v", user, err)
		}
	}
	ls, err := a.Services.Ratings.LinkFor(ctx, nil, tok)
	if err != nil || !ls.CanRate {
		t.Fatalf("the stage is still open to rate: %+v %v", ls, err)
	}
	if _, err := a.Services.Ratings.RateCase(ctx, actor(t, a, "citizen"), c.ID, rating.Input{Level: rating.Satisfied}); err != nil {
		t.Fatalf("the applicant rates: %v", err)
	}
	_, err = a.Services.Ratings.RateLink(ctx, nil, tok, rating.Input{Level: rating.Satisfied})
	if !apperr.Is(err, apperr.Conflict) || strings.Contains(apperr.MessageOf(err), "您已") {
		t.Fatalf("a second rating of the stage: %v", err)
	}
}

// TestLinkRatingIsNotTheApplicants: someone else logged in who holds a
// case's rating link rates anonymously, and the rating is not listed as
// the applicant's nor opened as theirs: its words are not theirs.
func TestLinkRatingIsNotTheApplicants(t *testing.T) {
	a, _ := demoApp(t, "sqlite", cstAt(3, 9, 10))
	ctx := context.Background()
	c := decidedCase(t, a, "个体工商户设立登记", "citizen")
	tok := strings.TrimPrefix(a.Services.Ratings.CaseLink(c.ID), "/rate/")
	r, err := a.Services.Ratings.RateLink(ctx, actor(t, a, "company"), tok, rating.Input{Level: rating.VeryDissatisfied, Comment: "别人的差评"})
	if err != nil || !r.Anonymous || r.RaterUserID != 0 {
		t.Fatalf("a link rating by someone else: %+v %v", r, err)
	}
	citizen := actor(t, a, "citizen")
	if list, err := a.Services.Ratings.Mine(ctx, citizen); err != nil || len(list) != 0 {
		t.Fatalf("the applicant's ratings hold %d (%v)", len(list), err)
	}
	if _, err := a.Services.Ratings.RaterRating(ctx, citizen, r.ID); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("the applicant opens someone else's link rating: %v", err)
	}
}
