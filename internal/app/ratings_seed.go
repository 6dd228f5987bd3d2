package app

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"openhall/internal/org"
	"openhall/internal/rating"
)

// ratingSeedBatch is how many ratings one transaction inserts.
const ratingSeedBatch = 5000

// SeedRatings fills the database for capacity measurements with n ratings
// spread over the year before end: of the region's departments, windows
// and their staff and of a hundred items, at every level (mostly good),
// through the stores, and folds them into the per-day counts as a serving
// node does. progress, if not nil, hears the count after each transaction.
func (a *App) SeedRatings(ctx context.Context, regionCode string, n int, end time.Time, progress func(done int)) error {
	targets, err := a.seedTargets(ctx, regionCode)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(uint64(n), 2026))
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	for done := 0; done < n; done += ratingSeedBatch {
		size := min(ratingSeedBatch, n-done)
		rs := make([]*rating.Rating, size)
		for i := range rs {
			rs[i] = seedRating(rng, targets, end, fmt.Sprintf("seed-%s-%d", run, done+i))
		}
		err := a.Stores.InTx(ctx, func(ctx context.Context) error {
			fresh := make([]*rating.Rating, len(rs))
			for i, r := range rs {
				c := *r
				fresh[i] = &c
			}
			if err := a.Stores.Ratings.CreateRatings(ctx, fresh); err != nil {
				return err
			}
			return a.seedTickets(ctx, fresh)
		})
		if err != nil {
			return err
		}
		if progress != nil {
			progress(done + size)
		}
	}
	_, err = a.Services.Ratings.FoldCounts(ctx)
	return err
}

// seedTickets gives every bad rating its ticket, as the service would;
// seven in ten have been handled to the end.
func (a *App) seedTickets(ctx context.Context, rs []*rating.Rating) error {
	for _, r := range rs {
		if !r.Level.Bad() {
			continue
		}
		t := &rating.Ticket{RatingID: r.ID, Target: r.Target, Anonymous: r.Anonymous}
		t.ApplyTicket(rating.TicketEvent{Kind: rating.TevOpened, At: r.At, ActorLabel: "系统", Days: 2, Days2: 15})
		if r.ID%10 < 7 {
			seedHandled(t, r.At)
		}
		if err := a.Stores.Ratings.CreateTicket(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// seedHandled walks a ticket through call back, verification, rectification
// and feedback to its close.
func seedHandled(t *rating.Ticket, at time.Time) {
	first := rating.TicketCommand{Kind: rating.TcCallback, Reason: "已电话回访"}
	if t.Anonymous {
		first = rating.TicketCommand{Kind: rating.TcSkipCallback}
	}
	for i, c := range []rating.TicketCommand{first, {Kind: rating.TcVerify, Code: rating.FindingFounded, Reason: "情况属实"},
		{Kind: rating.TcRectify, Code: rating.RemedyRectify, Reason: "已整改"}, {Kind: rating.TcFeedback, Reason: "已反馈"},
		{Kind: rating.TcCloseUnrated}} {
		evs, err := rating.TransitionTicket(t, c, at.Add(time.Duration(i+1)*time.Hour))
		if err != nil {
			return
		}
		for _, e := range evs {
			t.ApplyTicket(e)
		}
	}
}

// seedTargets lists where seeded ratings count: each window with one of
// its staff, and each department of the region with an item.
func (a *App) seedTargets(ctx context.Context, regionCode string) ([]rating.Target, error) {
	region, err := a.Services.Org.RegionByCode(ctx, regionCode)
	if err != nil {
		return nil, err
	}
	var out []rating.Target
	ws, err := a.Services.Org.Windows(ctx, org.WindowFilter{PathPrefix: region.Path})
	if err != nil {
		return nil, err
	}
	for _, w := range ws {
		staff := int64(0)
		if len(w.StaffIDs) > 0 {
			staff = w.StaffIDs[0]
		}
		out = append(out, rating.Target{RegionPath: region.Path, RegionCode: region.Code, WindowID: w.ID, StaffID: staff})
	}
	ds, err := a.Services.Org.Departments(ctx, org.DepartmentFilter{PathPrefix: region.Path})
	if err != nil {
		return nil, err
	}
	for i := range 100 {
		d := ds[i%len(ds)]
		out = append(out, rating.Target{RegionPath: region.Path, RegionCode: region.Code, DepartmentID: d.ID, Department: d.Name,
			ItemCode: fmt.Sprintf("XK%05d000", i+1), ItemName: fmt.Sprintf("测试事项%d", i+1)})
	}
	return out, nil
}

// seedLevels weights the levels: mostly good, a few bad.
var seedLevels = []rating.Level{1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5}

func seedRating(rng *rand.Rand, targets []rating.Target, end time.Time, key string) *rating.Rating {
	t := targets[rng.IntN(len(targets))]
	at := end.Add(-time.Duration(rng.Int64N(int64(365 * 24 * time.Hour)))).UTC().Truncate(time.Microsecond)
	r := &rating.Rating{Subject: rating.SubjectCase, Stage: rating.StageDone, Number: rating.FirstEvaluation,
		Level: seedLevels[rng.IntN(len(seedLevels))], Channel: rating.ChannelPC, Target: t, Source: rating.SourceLocal, Key: key, At: at}
	if t.WindowID != 0 {
		r.Subject, r.Channel, r.Anonymous = rating.SubjectVisit, rating.ChannelTablet, true
	}
	return r
}
