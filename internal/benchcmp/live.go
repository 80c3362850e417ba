package benchcmp

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// PeakLive runs run once while a sampler forces a GC every 2 ms and reads the live heap. It
// returns the highest live heap seen during the call and the live heap after it with run's
// result still referenced (held), both minus the live heap before the call, for the
// "peak-live-B" and "result-B" metrics. Forcing GCs slows the call down: use it outside the
// timed loop.
func PeakLive(run func() any) (peak, held uint64) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	live := func() uint64 {
		runtime.GC()
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	before := live()
	var top atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if v := live(); v > top.Load() {
					top.Store(v)
				}
			}
		}
	})
	result := run()
	close(done)
	wg.Wait()
	after := live()
	runtime.KeepAlive(result)
	above := func(v uint64) uint64 {
		if v < before {
			return 0
		}
		return v - before
	}
	return above(max(top.Load(), after)), above(after)
}
