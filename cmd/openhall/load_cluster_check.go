package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"openhall/internal/loadgen"
)

// checkCluster checks, after the load, that the restarted node serves,
// that each node serves the materials filed on the other, and that the
// database holds every acknowledged operation and every job of
// the run exactly once.
func checkCluster(ctx context.Context, o clusterOptions, nodes [2]*node, rep *clusterReport) error {
	countWindows(rep)
	checkWindows(rep)
	checkSharedMaterials(rep, []string{nodes[0].url(), nodes[1].url()})
	conn, err := pgx.Connect(ctx, o.DB)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if err := checkAcks(ctx, conn, rep); err != nil {
		return err
	}
	if err := settleJobs(ctx, conn, rep); err != nil {
		return err
	}
	return checkJobs(ctx, conn, rep)
}

// checkWindows checks that both nodes took load, that A carried it alone
// after the kill and that B took its share again after its restart.
func checkWindows(rep *clusterReport) {
	byNode := func(w window, node int) int {
		n := 0
		for _, a := range rep.Acks {
			if a.Node == node && !a.At.Before(w.From) && a.At.Before(w.To) {
				n++
			}
		}
		return n
	}
	if len(rep.Windows) != 4 {
		rep.problem("the load ran %d of its 4 windows", len(rep.Windows))
		return
	}
	two, alone, rejoined := rep.Windows[1], rep.Windows[2], rep.Windows[3]
	if byNode(two, 0) == 0 || byNode(two, 1) == 0 {
		rep.problem("with two nodes up, A acknowledged %d and B %d operations", byNode(two, 0), byNode(two, 1))
	}
	if n := byNode(alone, 0); n == 0 {
		rep.problem("node A acknowledged nothing after B was killed")
	}
	if n := byNode(rejoined, 1); n == 0 {
		rep.problem("node B acknowledged nothing after its restart")
	}
}

// caseRow is what the database holds of a case of the run.
type caseRow struct {
	id      int64
	number  string
	version int
	closed  bool
}

// checkAcks checks every acknowledged filing and transition against the
// database: the filing is there under its key as the case the client was
// given, and each case is at least at the version an acknowledgment gave.
func checkAcks(ctx context.Context, conn *pgx.Conn, rep *clusterReport) error {
	byKey, byID, err := runCases(ctx, conn)
	if err != nil {
		return err
	}
	lost := 0
	for _, a := range rep.Acks {
		if msg := ackProblem(a, byKey, byID); msg != "" {
			if lost++; lost <= 10 {
				rep.problem("%s", msg)
			}
		}
	}
	if lost > 10 {
		rep.problem("… %d acknowledged operations lost or changed in all", lost)
	}
	rep.note("%d acknowledged operations checked against %d cases of the run", len(rep.Acks), len(byID))
	return nil
}

func ackProblem(a loadgen.Ack, byKey map[string]caseRow, byID map[int64]caseRow) string {
	if a.Op == "submit" {
		c, ok := byKey[a.Key]
		switch {
		case !ok:
			return fmt.Sprintf("acknowledged filing %s (case %s, node %d) is not in the database", a.Key, a.Number, a.Node)
		case c.id != a.Case || c.number != a.Number:
			return fmt.Sprintf("acknowledged filing %s was case %s (id %d), the database has %s (id %d)", a.Key, a.Number, a.Case, c.number, c.id)
		}
		return ""
	}
	c, ok := byID[a.Case]
	if !ok {
		return fmt.Sprintf("case %d of an acknowledged %s is not in the database", a.Case, a.Op)
	}
	if c.version < a.Version {
		return fmt.Sprintf("acknowledged %s of case %s (node %d) gave version %d; the database has %d", a.Op, c.number, a.Node, a.Version, c.version)
	}
	return ""
}

// runCases reads the cases the cluster load filed.
func runCases(ctx context.Context, conn *pgx.Conn) (map[string]caseRow, map[int64]caseRow, error) {
	rows, err := conn.Query(ctx, `SELECT id, number, version, closed_at IS NOT NULL, idempotency_key FROM cases WHERE idempotency_key LIKE 'cluster-%'`)
	if err != nil {
		return nil, nil, err
	}
	byKey, byID := map[string]caseRow{}, map[int64]caseRow{}
	for rows.Next() {
		var c caseRow
		var key string
		if err := rows.Scan(&c.id, &c.number, &c.version, &c.closed, &key); err != nil {
			return nil, nil, err
		}
		byKey[key], byID[c.id] = c, c
	}
	return byKey, byID, rows.Err()
}
