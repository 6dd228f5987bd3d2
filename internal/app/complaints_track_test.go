package app_test

import (
	"context"
	"testing"

	"openhall/internal/apperr"
	"openhall/internal/apptest"
	"openhall/internal/complaint"
)

// TestComplaintTrackGuessesLockTheAddress: wrong 查询码 for a complaint
// number lock the address that sent them, not the number: its owner
// still opens it with the right code from another address, and guessing
// from a locked address is refused whatever number it tries.
func TestComplaintTrackGuessesLockTheAddress(t *testing.T) {
	apptest.ForEach(t, func(t *testing.T, backend string) {
		a, _ := demoApp(t, backend, cstAt(3, 9, 10))
		ctx := context.Background()
		w := demoWindow(t, a, "A01")
		in := complaint.Input{Subject: complaint.SubjectWindow, WindowID: w.ID, Content: "窗口工作人员态度生硬", Anonymous: true}
		mine, err := a.Services.Complaints.Submit(ctx, nil, in)
		if err != nil {
			t.Fatal(err)
		}
		other, err := a.Services.Complaints.Submit(ctx, nil, in)
		if err != nil {
			t.Fatal(err)
		}
		wrong := "00000000"
		if mine.QueryCode == wrong {
			wrong = "11111111"
		}
		number := mine.Complaint.Number
		for i := 0; ; i++ {
			_, err := a.Services.Complaints.Track(ctx, number, wrong, "203.0.113.7")
			if apperr.Is(err, apperr.TooMany) {
				break
			}
			if !apperr.Is(err, apperr.NotFound) || i == 20 {
				t.Fatalf("guess %d: %v", i+1, err)
			}
		}
		if _, err := a.Services.Complaints.Track(ctx, number, mine.QueryCode, "198.51.100.2"); err != nil {
			t.Fatalf("the owner from another address: %v", err)
		}
		if _, err := a.Services.Complaints.Track(ctx, other.Complaint.Number, other.QueryCode, "203.0.113.7"); !apperr.Is(err, apperr.TooMany) {
			t.Fatalf("the guessing address on another number: %v", err)
		}
		if _, err := a.Services.Complaints.ActByCode(ctx, number, wrong, "203.0.113.7", complaint.Command{Kind: complaint.CmdReopen, Text: "再次申请"}); !apperr.Is(err, apperr.TooMany) {
			t.Fatalf("a step from the guessing address: %v", err)
		}
	})
}
