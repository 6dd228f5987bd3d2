package config

import "testing"

func TestGoProcs(t *testing.T) {
	pg := Default()
	pg.DB = "postgres://db/openhall"
	set := Default()
	set.Procs = 3
	for _, c := range []struct {
		name string
		cfg  Config
		want int
	}{{"sqlite", Default(), 8}, {"postgres", pg, 4}, {"explicit", set, 3}} {
		if got := c.cfg.GoProcs(4); got != c.want {
			t.Errorf("%s: GoProcs(4) = %d, want %d", c.name, got, c.want)
		}
	}
	bad := Default()
	bad.Procs = -1
	if bad.Validate() == nil {
		t.Error("--procs -1 accepted")
	}
}
