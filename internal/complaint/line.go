package complaint

import (
	"strconv"
	"strings"
)

// AssignLine says where the departments stand that the desk may give c to
// (the rule of inLine, which Act enforces): in the regions above c's,
// named by id, or in c's region and below it, the subtree at path. A form
// offers those and no others.
func AssignLine(c *Complaint) (above []int64, subtree string) {
	parts := strings.Split(strings.Trim(c.RegionPath, "/"), "/")
	for _, p := range parts[:max(len(parts)-1, 0)] {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			above = append(above, id)
		}
	}
	return above, c.RegionPath
}
