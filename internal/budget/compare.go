package budget

import (
	"context"
	"fmt"

	"openhall/internal/apperr"
)

// Change is one line of a table this year against the same line (same
// table and code) of last year's published set of the same kind.
type Change struct {
	Code     string
	Name     string
	Current  []Amount
	Previous []Amount // nil when last year had no such line
}

// Delta is this year minus last year in column j.
func (c Change) Delta(j int) Amount {
	if c.Previous == nil {
		return c.Current[j]
	}
	return c.Current[j] - c.Previous[j]
}

// DeltaText is Delta in 万元, "—" when last year had no such line.
func (c Change) DeltaText(j int) string {
	if c.Previous == nil {
		return "—"
	}
	return c.Delta(j).String()
}

// Percent is the change in column j as a percentage, "—" when last year
// had nothing to compare with.
func (c Change) Percent(j int) string {
	if c.Previous == nil || c.Previous[j] == 0 {
		return "—"
	}
	return fmt.Sprintf("%+.1f%%", float64(c.Delta(j))*100/float64(c.Previous[j]))
}

// TableChanges is one table's year-on-year comparison.
type TableChanges struct {
	Table *Table
	Lines []Change
}

// Comparison is a set against last year's.
type Comparison struct {
	Year, PrevYear int
	HasPrevious    bool
	Tables         []TableChanges
	SanGong        []Change // the "三公" rows, in display order
}

// Compare compares a set with last year's published set of the same
// agency and kind; without one, every line shows as new.
func (s *Service) Compare(ctx context.Context, v *View) (*Comparison, error) {
	prev, err := s.PublishedSet(ctx, v.AgencyID, v.Year-1, v.Kind)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return nil, err
	}
	var prevLines []Line
	if prev != nil {
		prevLines = prev.Lines
	}
	return compare(v.Kind.Schema(), v.Year, v.Lines, prevLines, prev != nil), nil
}

func compare(sc *Schema, year int, cur, prev []Line, hasPrev bool) *Comparison {
	old := map[string][]Amount{}
	for _, l := range prev {
		old[l.Table+"/"+l.Code] = l.Amounts
	}
	c := &Comparison{Year: year, PrevYear: year - 1, HasPrevious: hasPrev}
	byTable := map[string][]Change{}
	for _, l := range cur {
		byTable[l.Table] = append(byTable[l.Table], Change{Code: l.Code, Name: l.Name, Current: l.Amounts, Previous: old[l.Table+"/"+l.Code]})
	}
	for i := range sc.Tables {
		c.Tables = append(c.Tables, TableChanges{Table: &sc.Tables[i], Lines: byTable[sc.Tables[i].Key]})
	}
	for _, code := range SanGong {
		for _, ch := range byTable["sangong"] {
			if ch.Code == code {
				c.SanGong = append(c.SanGong, ch)
			}
		}
	}
	return c
}
