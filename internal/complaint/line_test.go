package complaint

import (
	"slices"
	"strconv"
	"testing"
)

// TestAssignLine: the regions AssignLine names are those inLine accepts.
func TestAssignLine(t *testing.T) {
	for _, tc := range []struct {
		path  string
		above []int64
	}{
		{"/1/2/3/", []int64{1, 2}},
		{"/1/", nil},
		{"", nil},
	} {
		above, subtree := AssignLine(&Complaint{RegionPath: tc.path})
		if !slices.Equal(above, tc.above) || subtree != tc.path {
			t.Errorf("%q: above %v, subtree %q", tc.path, above, subtree)
		}
		for _, id := range above {
			if p := pathOf(above, id); !inLine(tc.path, p) {
				t.Errorf("%q: region %d (%s) above is not in line", tc.path, id, p)
			}
		}
	}
}

// pathOf is the path of the region id among the ancestors above.
func pathOf(above []int64, id int64) string {
	p := "/"
	for _, a := range above {
		p += strconv.FormatInt(a, 10) + "/"
		if a == id {
			break
		}
	}
	return p
}
