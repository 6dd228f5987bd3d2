package app_test

import (
	"context"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/apptest"
	"openhall/internal/complaint"
)

// TestComplaintSentTwiceFilesOnce: a complaint sent again with its key
// files nothing more and answers with the first receipt, 查询码 included,
// which opens the complaint; the key with other words is refused.
func TestComplaintSentTwiceFilesOnce(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		w := demoWindow(t, a, "A01")
		in := complaint.Input{Subject: complaint.SubjectWindow, WindowID: w.ID, Content: "窗口工作人员态度生硬", Anonymous: true, Key: "k-0123456789abcdef"}
		first, err := a.Services.Complaints.Submit(ctx, nil, in)
		if err != nil {
			t.Fatal(err)
		}
		again, err := a.Services.Complaints.Submit(ctx, nil, in)
		if err != nil || !again.Repeated || again.Complaint.ID != first.Complaint.ID || again.QueryCode != first.QueryCode {
			t.Fatalf("sent again: %+v %v", again, err)
		}
		if _, err := a.Services.Complaints.Track(ctx, first.Complaint.Number, again.QueryCode, "10.0.0.1"); err != nil {
			t.Fatalf("the repeated receipt's code: %v", err)
		}
		mine := in
		mine.Anonymous = false
		citizen := actor(t, a, "citizen")
		if _, err := a.Services.Complaints.Submit(ctx, citizen, mine); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("the key by someone else: %v", err)
		}
		other := in
		other.Content = "另一件事：取号机故障"
		if _, err := a.Services.Complaints.Submit(ctx, nil, other); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("the key with other words: %v", err)
		}
		mine.Key = "k-fedcba9876543210"
		for range 2 {
			if _, err := a.Services.Complaints.Submit(ctx, citizen, mine); err != nil {
				t.Fatal(err)
			}
		}
		if list, err := a.Services.Complaints.Mine(ctx, citizen); err != nil || len(list) != 1 {
			t.Fatalf("the citizen's complaints sent twice: %d %v", len(list), err)
		}
		short := in
		short.Key = "short"
		if _, err := a.Services.Complaints.Submit(ctx, nil, short); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("a short key: %v", err)
		}
	})
}
