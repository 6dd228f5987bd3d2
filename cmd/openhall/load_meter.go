package main

import (
	"context"
	"fmt"
	"io"

	"openhall/internal/loadgen"
	"openhall/internal/store/dbbench"
)

// meter is the cost meter of a load and the PostgreSQL statistics it reads.
type meter struct {
	*loadgen.Meter
	pg *dbbench.PGMeter
}

// newMeter measures the server at base and, with a PostgreSQL URL, its
// database.
func newMeter(ctx context.Context, base, db string) (*meter, error) {
	m := &meter{Meter: &loadgen.Meter{BaseURL: base}}
	if db == "" {
		return m, nil
	}
	pg, err := dbbench.NewPGMeter(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("连接 PostgreSQL 读取统计失败：%w", err)
	}
	m.pg, m.Meter.DB = pg, pg
	return m, nil
}

func (m *meter) Close() {
	if m.pg != nil {
		m.pg.Close()
	}
}

// reset empties pg_stat_statements, so that the statements listed after a
// load are the load's.
func (m *meter) reset(ctx context.Context) error {
	if m.pg == nil {
		return nil
	}
	return m.pg.ResetStatements(ctx)
}

// printTop lists the statements that took PostgreSQL the most time.
func (m *meter) printTop(ctx context.Context, w io.Writer) {
	if m.pg == nil {
		return
	}
	if !m.pg.HasStatements() {
		fmt.Fprintln(w, "pg_stat_statements 不可用（需 shared_preload_libraries = 'pg_stat_statements'），未列出语句明细")
		return
	}
	top, err := m.pg.TopStatements(ctx, 15)
	if err != nil {
		fmt.Fprintln(w, "读取 pg_stat_statements 失败：", err)
		return
	}
	fmt.Fprintln(w, "statements by PostgreSQL execution time (both phases):")
	for _, s := range top {
		q := s.Query
		if len(q) > 110 {
			q = q[:110] + "…"
		}
		fmt.Fprintf(w, "  %8d calls %9.1f ms %10d WAL B  %s\n", s.Calls, s.TimeMS, s.WALBytes, q)
	}
}
