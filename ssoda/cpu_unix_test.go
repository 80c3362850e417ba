//go:build unix

package ssoda_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time (user + system) the process has used so far, and whether it
// is known.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
