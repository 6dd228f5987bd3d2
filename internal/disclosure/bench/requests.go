package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"openhall/internal/calendar"
	"openhall/internal/disclosure"
)

// Requests stores n requests to an agency received in year (a tenth of them
// in the last weeks of the year before, so that some are carried in), with
// the answers and applicant types spread over Table 3, a few still open.
// It writes through the store, in transactions of batchSize.
func Requests(ctx context.Context, tx Transactor, st disclosure.RequestStore, agencyID int64, year, n int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, uint64(agencyID)))
	start := calendar.NewDate(year, 1, 1)
	for done := 0; done < n; done += batchSize {
		err := tx.InTx(ctx, func(ctx context.Context) error {
			for i := done; i < min(done+batchSize, n); i++ {
				q := request(r, agencyID, start, year, i)
				if err := st.CreateRequest(ctx, q); err != nil {
					return err
				}
				if err := st.UpdateRequest(ctx, q); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("request batch at %d: %w", done, err)
		}
	}
	return nil
}

func request(r *rand.Rand, agencyID int64, start calendar.Date, year, i int) *disclosure.Request {
	received := start.AddDays(r.IntN(365))
	if i%10 == 0 {
		received = start.AddDays(-1 - r.IntN(30))
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	q := &disclosure.Request{AgencyID: agencyID, Number: fmt.Sprintf("BENCH%d-%d-%07d", agencyID, year, i), ApplicantKind: "person",
		ApplicantType: disclosure.ApplicantTypes[r.IntN(len(disclosure.ApplicantTypes))], Name: "申请人", Description: "基准测试",
		Channel: disclosure.ChannelOnline, SubmittedAt: now, ReceivedOn: received, Status: disclosure.ReqProcessing,
		CreatedAt: now, UpdatedAt: now}
	if r.IntN(20) == 0 { // still open at the end of the year
		return q
	}
	at := disclosure.AnswerTypes[r.IntN(len(disclosure.AnswerTypes))]
	q.Status, q.Answer, q.Reason = disclosure.ReqAnswered, at.Type, at.Reasons[r.IntN(len(at.Reasons))].Code
	q.AnsweredOn = received.AddDays(1 + r.IntN(30))
	return q
}
