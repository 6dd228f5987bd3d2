//go:build !unix

package loadgen

import "time"

// selfCPU is not measured here.
func selfCPU() time.Duration { return 0 }
