//go:build unix

package proxy

import (
	"syscall"
	"time"
)

// cpuNow is the CPU time (user and system) the test process has used: on a
// shared machine it moves far less with other people's load than the clock.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return time.Duration(time.Now().UnixNano())
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
