package epost

import (
	"context"
	"sync"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Defaults of TrackMany.
const (
	DefaultTrackConcurrency = 4
	DefaultTrackInterval    = 200 * time.Millisecond
	maxTrackConcurrency     = 32
)

// TrackManyOptions tune TrackMany. The zero value tracks with 4 workers and at most one
// request started every 200 ms (5 per second), through the service Track would use.
type TrackManyOptions struct {
	// Source picks the service; "" chooses as Track does.
	Source TraceSource
	// Concurrency is the number of requests in flight (default 4, at most 32).
	Concurrency int
	// Interval is the least time between the starts of two requests (default 200 ms);
	// negative disables the limit. Korea Post's firewall blocks callers that burst.
	Interval time.Duration
}

// TrackResult is the outcome for one waybill of TrackMany.
type TrackResult struct {
	// Waybill is the number as given.
	Waybill string
	// Trace is set on success.
	Trace *Trace
	// Err is set on failure: a *kshop.ValidationError for a malformed number, an *APIError
	// matching ErrNotFound for an unknown one, the context's error once ctx ends.
	Err error
}

// TrackMany tracks many waybills with bounded concurrency and a rate limit, and returns one
// result per waybill in input order. One failure never stops the others; malformed numbers
// fail without a request. When ctx ends, the waybills not yet tracked get ctx's error.
func (c *Client) TrackMany(ctx context.Context, waybills []string, opts TrackManyOptions) []TrackResult {
	results := make([]TrackResult, len(waybills))
	if len(waybills) == 0 {
		return results
	}
	if err := wire.CheckContext(ctx, "epost.TrackMany"); err != nil {
		for i := range results {
			results[i] = TrackResult{Waybill: waybills[i], Err: err}
		}
		return results
	}
	workers := opts.Concurrency
	if workers <= 0 {
		workers = DefaultTrackConcurrency
	}
	workers = min(workers, maxTrackConcurrency, len(waybills))
	interval := opts.Interval
	if interval == 0 {
		interval = DefaultTrackInterval
	}
	lim := &startLimiter{interval: interval}

	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results[i] = c.trackOne(ctx, lim, waybills[i], opts.Source)
			}
		}()
	}
	for i := range waybills {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	return results
}

func (c *Client) trackOne(ctx context.Context, lim *startLimiter, waybill string, src TraceSource) TrackResult {
	res := TrackResult{Waybill: waybill}
	if _, fe := normalizeWaybill(waybill); fe != nil {
		res.Err = kshop.NewValidationError("epost.TrackMany", []*kshop.FieldError{fe})
		return res
	}
	if err := lim.wait(ctx); err != nil {
		res.Err = err
		return res
	}
	res.Trace, res.Err = c.track(ctx, waybill, src)
	return res
}

// startLimiter spaces request starts at least interval apart. Each caller reserves the next
// free slot under the lock and sleeps until it outside the lock; the sleep ends early when
// the context ends. It needs no goroutine of its own.
type startLimiter struct {
	interval time.Duration
	mu       sync.Mutex
	next     time.Time
}

func (l *startLimiter) wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if l.interval < 0 {
		return nil
	}
	l.mu.Lock()
	now := time.Now()
	slot := l.next
	if slot.Before(now) {
		slot = now
	}
	l.next = slot.Add(l.interval)
	l.mu.Unlock()

	d := time.Until(slot)
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
