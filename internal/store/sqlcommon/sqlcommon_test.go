package sqlcommon

import (
	"reflect"
	"testing"
	"time"
)

// TestWhereDialects builds one filter with both dialects: the same
// conditions, placeholders and arguments in the order they appear.
func TestWhereDialects(t *testing.T) {
	at := time.Date(2026, 2, 14, 9, 0, 0, 0, time.UTC)
	build := func(d Dialect) *Where {
		w := NewWhere(d)
		w.Add("kind = ?", "citizen")
		w.AnyOf([]string{w.In("department_id", []int64{3, 5}), w.Prefix("region_path", "/1/2/")})
		w.Add("at >= ?", w.Time(at))
		w.Add(w.Contains("name", "张"))
		w.Add(w.InText("status", []string{"open", "closed"}))
		return w
	}
	for _, c := range []struct {
		d    Dialect
		sql  string
		args []any
	}{
		{SQLite, "1 = 1 AND kind = ? AND (department_id IN (?, ?) OR substr(region_path, 1, ?) = ?) AND at >= ? AND instr(name, ?) > 0 AND status IN (?, ?)",
			[]any{"citizen", int64(3), int64(5), 5, "/1/2/", at.UnixMicro(), "张", "open", "closed"}},
		{Postgres, "1 = 1 AND kind = $1 AND (department_id = ANY($2) OR region_path LIKE $3) AND at >= $4 AND strpos(name, $5) > 0 AND status = ANY($6)",
			[]any{"citizen", []int64{3, 5}, "/1/2/%", at, "张", []string{"open", "closed"}}},
	} {
		w := build(c.d)
		if w.SQL() != c.sql || !reflect.DeepEqual(w.Args, c.args) {
			t.Errorf("%T:\n got %s %#v\nwant %s %#v", c.d, w.SQL(), w.Args, c.sql, c.args)
		}
	}
}

// TestAnyOfNothing adds no condition for an empty disjunction.
func TestAnyOfNothing(t *testing.T) {
	w := NewWhere(Postgres)
	w.AnyOf(nil)
	if w.SQL() != "1 = 1" || len(w.Args) != 0 {
		t.Errorf("got %q %v", w.SQL(), w.Args)
	}
}

func TestLikePrefixEscapes(t *testing.T) {
	if got := LikePrefix(`a_b%c\`); got != `a\_b\%c\\%` {
		t.Errorf("LikePrefix = %q", got)
	}
}

// TestTimeDest reads both backends' representations of a time and of none.
func TestTimeDest(t *testing.T) {
	at := time.Date(2026, 10, 8, 1, 2, 3, 4000, time.FixedZone("CST", 8*3600))
	for _, c := range []struct {
		in   any
		want time.Time
	}{
		{at.UnixMicro(), at.UTC()}, {at, at.UTC()}, {int64(0), time.Time{}}, {nil, time.Time{}},
	} {
		got := time.Unix(1, 0)
		if err := Time(&got).Scan(c.in); err != nil || !got.Equal(c.want) || got.Location() != time.UTC && !got.IsZero() {
			t.Errorf("Time.Scan(%v) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	var x time.Time
	if err := Time(&x).Scan("2026-01-01"); err == nil {
		t.Error("Time.Scan accepted text")
	}
}

// TestJSONDest decodes text and bytes, and leaves the value alone for NULL.
func TestJSONDest(t *testing.T) {
	type v struct{ A int }
	for _, in := range []any{`{"A":7}`, []byte(`{"A":7}`)} {
		var got v
		if err := JSON(&got).Scan(in); err != nil || got.A != 7 {
			t.Errorf("JSON.Scan(%T) = %+v, %v", in, got, err)
		}
	}
	got := v{A: 1}
	if err := JSON(&got).Scan(nil); err != nil || got.A != 1 {
		t.Errorf("JSON.Scan(nil) = %+v, %v", got, err)
	}
	if err := JSON(&got).Scan(`{`); err == nil {
		t.Error("JSON.Scan accepted broken JSON")
	}
}
