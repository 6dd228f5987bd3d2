package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// jobSummary counts the run's jobs by what became of them.
type jobSummary struct {
	Deliveries, Timers int // notification deliveries, default-rating timers
	Completed          int // deliveries done
	Orphaned           int // running on the killed node when it died: River's rescuer retries them
	RunAgain           int // completed deliveries that took more than one attempt
}

func (s jobSummary) String() string {
	return fmt.Sprintf("%d notification deliveries (%d completed, %d more than one attempt, %d left running by the killed node), %d default-rating timers",
		s.Deliveries, s.Completed, s.RunAgain, s.Orphaned, s.Timers)
}

// settleJobs waits (up to 30 s) until no job of the run is due and unworked
// and none runs but those the killed node had taken.
func settleJobs(ctx context.Context, conn *pgx.Conn, rep *clusterReport) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		var pending int
		err := conn.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'notify.deliver' AND
			(state IN ('available', 'retryable', 'scheduled') AND scheduled_at <= now() OR state = 'running' AND attempted_at >= $1)`,
			rep.Killed).Scan(&pending)
		if err != nil || pending == 0 {
			return err
		}
		if time.Now().After(deadline) {
			rep.problem("%d notification deliveries still due and unworked 30 s after the load", pending)
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// checkJobs checks the jobs the run's cases caused: each closed case has
// exactly one default-rating timer and one rating invitation, each
// delivery of a notification is queued once, and every delivery either
// ran and recorded its outcome or was left running by the killed node.
func checkJobs(ctx context.Context, conn *pgx.Conn, rep *clusterReport) error {
	for _, c := range []struct{ sql, what string }{
		{`SELECT c.number, (SELECT count(*) FROM river_job j WHERE j.kind = 'rating.default' AND (j.args->>'case_id')::bigint = c.id)
			FROM cases c WHERE c.idempotency_key LIKE 'cluster-%' AND c.closed_at IS NOT NULL`, "default-rating timers"},
		{`SELECT c.number, (SELECT count(*) FROM notifications n WHERE n.kind = 'rating.invite' AND n.link = '/cases/' || c.id || '#rating')
			FROM cases c WHERE c.idempotency_key LIKE 'cluster-%' AND c.closed_at IS NOT NULL`, "rating invitations"},
		{`SELECT 'notification ' || n.id || ' by ' || ch, (SELECT count(*) FROM river_job j WHERE j.kind = 'notify.deliver'
			AND (j.args->>'notification_id')::bigint = n.id AND j.args->>'channel' = ch)
			FROM notifications n CROSS JOIN LATERAL (SELECT 'sms' AS ch WHERE n.sms UNION ALL SELECT 'email' WHERE n.email) chs
			WHERE n.created_at >= $1`, "delivery jobs"},
	} {
		if err := checkOnce(ctx, conn, rep, c.sql, c.what); err != nil {
			return err
		}
	}
	return summarizeDeliveries(ctx, conn, rep)
}

// checkOnce reports every row whose count is not exactly one.
func checkOnce(ctx context.Context, conn *pgx.Conn, rep *clusterReport, sql, what string) error {
	args := []any{}
	if strings.Contains(sql, "$1") && len(rep.Windows) > 0 {
		args = append(args, rep.Windows[0].From.Add(-time.Minute))
	}
	rows, err := conn.Query(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	n, bad := 0, 0
	for rows.Next() {
		var name string
		var count int
		if err := rows.Scan(&name, &count); err != nil {
			return err
		}
		n++
		if count != 1 {
			if bad++; bad <= 5 {
				rep.problem("%s: %d %s, want exactly one", name, count, what)
			}
		}
	}
	rep.note("%s: %d checked, %d not exactly once", what, n, bad)
	return rows.Err()
}

// summarizeDeliveries counts the run's delivery jobs by state and checks
// that each completed one recorded its outcome, and that none ran twice
// except one the killed node had taken.
func summarizeDeliveries(ctx context.Context, conn *pgx.Conn, rep *clusterReport) error {
	from := time.Now().Add(-time.Hour)
	if len(rep.Windows) > 0 {
		from = rep.Windows[0].From.Add(-time.Minute)
	}
	rows, err := conn.Query(ctx, `SELECT j.id, j.state, j.attempt, coalesce(j.attempted_at, j.created_at), d.notification_id IS NOT NULL
		FROM river_job j LEFT JOIN notification_deliveries d ON d.notification_id = (j.args->>'notification_id')::bigint AND d.channel = j.args->>'channel'
		WHERE j.kind = 'notify.deliver' AND j.created_at >= $1`, from)
	if err != nil {
		return err
	}
	s := &rep.Jobs
	for rows.Next() {
		var id int64
		var state string
		var attempt int
		var at time.Time
		var delivered bool
		if err := rows.Scan(&id, &state, &attempt, &at, &delivered); err != nil {
			return err
		}
		s.Deliveries++
		classifyDelivery(rep, id, state, attempt, at, delivered)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return conn.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = 'rating.default' AND created_at >= $1`, from).Scan(&s.Timers)
}

func classifyDelivery(rep *clusterReport, id int64, state string, attempt int, at time.Time, delivered bool) {
	s := &rep.Jobs
	switch {
	case state == "completed" && !delivered:
		rep.problem("delivery job %d completed without recording its delivery", id)
	case state == "completed":
		s.Completed++
		if attempt > 1 {
			// The logging SMS gateway never fails, and River rescues a dead
			// node's jobs only after rescueAfter: within a run, a second
			// attempt means a job was run twice.
			s.RunAgain++
			rep.problem("delivery job %d completed after %d attempts", id, attempt)
		}
	case state == "running" && at.Before(rep.Killed):
		s.Orphaned++
	case state == "scheduled" || state == "retryable":
		rep.note("delivery job %d waits for a retry (%s, attempt %d)", id, state, attempt)
	default:
		rep.problem("delivery job %d is %s (attempt %d) after the load settled", id, state, attempt)
	}
}
