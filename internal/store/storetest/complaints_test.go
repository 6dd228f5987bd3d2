package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"openhall/internal/apperr"
	"openhall/internal/complaint"
	"openhall/internal/hotline"
)

func newComplaint(path string, ticket string, who complaint.Complainant, at time.Time) *complaint.Complaint {
	c := &complaint.Complaint{Kind: complaint.KindComplaint, RegionPath: path, Channel: complaint.ChannelOnline, HotlineTicket: ticket,
		Subject: complaint.Subject{Kind: complaint.SubjectWindow, WindowID: 3, Label: "A01 综合窗口"}, Complainant: who, Content: "排队两小时无人受理"}
	if ticket != "" {
		c.Channel = complaint.ChannelHotline
	}
	c.Apply(complaint.Event{Kind: complaint.EvSubmitted, At: at, ActorLabel: "匿名"})
	return c
}

func numberOf(id int64) string { return fmt.Sprintf("TS26030900%06d", id) }

// TestComplaintsStore: complaints get their numbers, events and
// projection round-trip, stale saves are refused, a hotline ticket is
// held once, lists and counts filter by scope.
func TestComplaintsStore(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		now := func() time.Time { return ratingDay }
		st := b.Open(t, now).Complaints
		ctx := context.Background()
		c := newComplaint("/1/2/3/", "", complaint.Complainant{UserID: 0, Name: "王五", Phone: "13900001111"}, ratingDay)
		if err := st.CreateComplaint(ctx, c, "", []byte("hash"), numberOf); err != nil {
			t.Fatal(err)
		}
		if c.ID == 0 || c.Number != numberOf(c.ID) {
			t.Fatalf("id %d number %q", c.ID, c.Number)
		}
		from := c.Version
		evs, _ := complaint.Transition(c, complaint.Command{Kind: complaint.CmdAccept, DepartmentID: 7, Department: "甲局", Days: 10}, ratingDay.Add(time.Hour))
		for _, e := range evs {
			c.Apply(e)
		}
		if err := st.SaveComplaint(ctx, c, from, c.Events[1:]); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveComplaint(ctx, c, from, c.Events[1:]); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("stale save: %v", err)
		}
		got, hash, err := st.FindComplaintByNumber(ctx, c.Number)
		if err != nil || string(hash) != "hash" || got.Status != complaint.StatusAssigned || got.DepartmentID != 7 || len(got.Events) != 3 ||
			got.Events[2].Days != 10 || got.Complainant.Phone != "13900001111" || got.Subject.Label != "A01 综合窗口" {
			t.Fatalf("read back %+v %v", got, err)
		}
		checkHotlineComplaint(t, st)
		checkComplaintLists(t, st, c)
	})
}

func checkHotlineComplaint(t *testing.T, st complaint.Store) {
	ctx := context.Background()
	h := newComplaint("/1/2/4/", "12345-0001", complaint.Complainant{}, ratingDay.Add(2*time.Hour))
	if err := st.CreateComplaint(ctx, h, "", []byte("h"), numberOf); err != nil {
		t.Fatal(err)
	}
	dup := newComplaint("/1/2/4/", "12345-0001", complaint.Complainant{}, ratingDay)
	if err := st.CreateComplaint(ctx, dup, "", []byte("h"), numberOf); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("a hotline ticket twice: %v", err)
	}
	if got, err := st.FindComplaintByHotline(ctx, "12345-0001"); err != nil || got.ID != h.ID {
		t.Fatalf("by hotline %v", err)
	}
	if _, err := st.FindComplaintByHotline(ctx, "nope"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("unknown ticket: %v", err)
	}
}

func checkComplaintLists(t *testing.T, st complaint.Store, c *complaint.Complaint) {
	ctx := context.Background()
	desk, err := st.FindComplaints(ctx, complaint.Filter{RegionPrefixes: []string{"/1/2/3/"}, Open: true, Limit: 10})
	if err != nil || len(desk) != 1 || desk[0].ID != c.ID || len(desk[0].Events) != 3 {
		t.Fatalf("desk list %d %v", len(desk), err)
	}
	all, _ := st.FindComplaints(ctx, complaint.Filter{RegionPrefixes: []string{"/1/2/"}, Limit: 10})
	dept, _ := st.FindComplaints(ctx, complaint.Filter{DepartmentIDs: []int64{7}, Limit: 10})
	other, _ := st.FindComplaints(ctx, complaint.Filter{DepartmentIDs: []int64{8}, Limit: 10})
	if len(all) != 2 || len(dept) != 1 || len(other) != 0 {
		t.Fatalf("lists: all %d, department %d, other %d", len(all), len(dept), len(other))
	}
	counts, err := st.CountComplaints(ctx, complaint.FigureFilter{By: "department", From: ratingDay.Add(-time.Hour), To: ratingDay.Add(24 * time.Hour), RegionPrefix: "/1/2/"})
	if err != nil || len(counts) != 2 {
		t.Fatalf("counts %+v %v", counts, err)
	}
}

func TestHotlineAnswersStore(t *testing.T) {
	ForEach(t, func(t *testing.T, b Backend) {
		st := b.Open(t, nil).Hotline
		ctx := context.Background()
		for i := range 3 {
			a := &hotline.Answer{Kind: "complaint", TicketNo: fmt.Sprintf("T%d", i), Ref: "TS1", Text: "已答复", AnsweredAt: ratingDay}
			if err := st.AddHotlineAnswer(ctx, a); err != nil || a.ID == 0 {
				t.Fatal(err)
			}
		}
		first, err := st.FindHotlineAnswers(ctx, 0, 2)
		if err != nil || len(first) != 2 || first[0].TicketNo != "T0" {
			t.Fatalf("first page %v", err)
		}
		rest, _ := st.FindHotlineAnswers(ctx, first[1].ID, 10)
		if len(rest) != 1 || rest[0].TicketNo != "T2" || !rest[0].AnsweredAt.Equal(ratingDay) {
			t.Fatalf("after %d: %+v", first[1].ID, rest)
		}
	})
}
