// Package migrate loads the numbered SQL migrations each storage backend
// embeds and decides which are pending. Applying them is the backend's job
// (each in its own transaction); this package only holds the shared rules.
package migrate

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
)

// Migration is one numbered SQL file.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

var fileName = regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.sql$`)

// Load reads every NNNN_name.sql in dir, sorted by version. Versions must
// start at 1 and have no gaps, so a missing file is noticed at build time.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		m := fileName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("migration file %q is not named NNNN_name.sql", e.Name())
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		v, _ := strconv.Atoi(m[1])
		ms = append(ms, Migration{Version: v, Name: m[2], SQL: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration versions must run 1..n without gaps; found %04d at position %d", m.Version, i+1)
		}
	}
	return ms, nil
}

// Status says how far a database is behind the program.
type Status struct {
	Current int // highest version applied
	Latest  int // highest version the program knows
	// JobsCurrent reports whether the job queue's own schema is up to date.
	JobsCurrent bool
}

// UpToDate reports whether nothing is pending.
func (s Status) UpToDate() bool { return s.Current == s.Latest && s.JobsCurrent }

// Describe explains the status in Chinese for operators.
func (s Status) Describe() string {
	switch {
	case s.Current > s.Latest:
		return fmt.Sprintf("数据库结构版本 %d 比程序支持的版本 %d 更新，请升级 openhall 程序", s.Current, s.Latest)
	case s.Current < s.Latest:
		return fmt.Sprintf("数据库结构版本 %d 落后于程序所需的版本 %d，请先运行 openhall migrate", s.Current, s.Latest)
	case !s.JobsCurrent:
		return "后台任务队列的数据表尚未迁移到当前版本，请先运行 openhall migrate"
	}
	return fmt.Sprintf("数据库结构为最新版本 %d", s.Current)
}

// Pending returns the migrations after current.
func Pending(all []Migration, current int) []Migration {
	if current >= len(all) {
		return nil
	}
	return all[current:]
}
