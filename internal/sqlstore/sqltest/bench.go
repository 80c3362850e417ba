package sqltest

import (
	"context"
	"database/sql"
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

// BenchPool opens a pool on tg for a benchmark of n concurrent workers: at most n connections,
// all kept idle between calls (database/sql keeps only 2 by default, so with more workers
// every call would open and close a connection and the comparison would measure connection
// setup, a PostgreSQL backend fork, instead of the claims), and n of them opened before the
// timer starts so that neither side of a pair pays for them.
func BenchPool(b *testing.B, tg Target, n int) *sql.DB {
	b.Helper()
	db := tg.Open(b)
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	ctx := context.Background()
	conns := make([]*sql.Conn, 0, n)
	for range n {
		c, err := db.Conn(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.PingContext(ctx); err != nil {
			b.Fatal(err)
		}
		conns = append(conns, c)
	}
	for _, c := range conns {
		_ = c.Close() // back to the idle pool
	}
	return db
}
