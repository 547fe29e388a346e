//go:build unix

package e2e_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user and system) the test process has
// used, its GC workers included: what a benchmark's work costs whatever
// else runs on the machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
