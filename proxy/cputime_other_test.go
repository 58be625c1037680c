//go:build !unix

package proxy

import "time"

// cpuNow falls back to the clock where getrusage is not available.
func cpuNow() time.Duration { return time.Duration(time.Now().UnixNano()) }
