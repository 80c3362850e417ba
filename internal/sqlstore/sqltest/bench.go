package sqltest

import (
	"sync"
	"sync/atomic"
	"testing"
)

// Workers runs op b.N times split over exactly n goroutines (n concurrent workers, unlike
// RunParallel's GOMAXPROCS multiple), giving each call a distinct sequence number.
func Workers(b *testing.B, n int, op func(i int64) error) {
	b.Helper()
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	b.ResetTimer()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				if err := op(i); err != nil {
					failed.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "claims/s")
}

// Targets returns the benchmark targets: SQLite, and PostgreSQL when KSHOP_TEST_POSTGRES_URL
// is set (nil otherwise, so the PostgreSQL pairs are left out).
func Targets(b *testing.B) []Target {
	out := []Target{SQLite(b)}
	if pgURL() != "" {
		out = append(out, Postgres(b))
	}
	return out
}
