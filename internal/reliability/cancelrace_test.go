package reliability_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/epost"
)

// raceTrials returns the number of randomized trials: full, or trimmed with -short.
func raceTrials(full, short int) int {
	if testing.Short() {
		return short
	}
	return full
}

// jitter returns a random duration in [0, d).
func jitter(d time.Duration) time.Duration { return rand.N(d) }

// raceServer answers every request with a 503 after a random pause of up to *pause, so that
// the answer and the client's randomly timed cancellation meet at every possible moment.
func raceServer(t *testing.T, body, ctype string, pause *atomic.Int64) *faultServer {
	return startServer(t, func(x *exchange) {
		if p := time.Duration(pause.Load()); p > 0 {
			x.sleep(jitter(p))
		}
		x.reply(503, ctype, body)
	})
}

// latency measures the median duration of call under the same concurrency as the trials
// (the race server answers at once while its pause is 0): the randomized cancellations are
// spread over twice that, so they fall before, during and after the answer in about equal
// parts whatever the machine's load and the cost of -race.
func latency(call func()) time.Duration {
	const workers, each = raceWorkers, 4
	var mu sync.Mutex
	var ds []time.Duration
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				start := time.Now()
				call()
				mu.Lock()
				ds = append(ds, time.Since(start))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return max(ds[len(ds)/2], 200*time.Microsecond)
}

// raceWorkers is how many trials run at once.
const raceWorkers = 8

var raceMarker = regexp.MustCompile(`race-(\d+)-`)

// TestCancelRaceSend sends messages whose context is cancelled at a random moment while the
// server answers 503 at a random moment: a message the server received is never reported
// rejected, accepted or not sent, and no message is received twice.
func TestCancelRaceSend(t *testing.T) {
	t.Parallel()
	n := raceTrials(1400, 300)
	var pause atomic.Int64
	s := raceServer(t, ssodaServerError, jsonType, &pause)
	c := ssodaClient(t, s.url, nil)
	lat := latency(func() { _, _ = c.Send(context.Background(), []alimtalk.Message{message("warm-up")}) })
	pause.Store(int64(lat / 2))

	type trial struct {
		status alimtalk.Status
		err    error
	}
	trials := make([]trial, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < raceWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ctx, cancel := context.WithCancel(context.Background())
				timer := time.AfterFunc(jitter(2*lat), cancel)
				rs, err := c.Send(ctx, []alimtalk.Message{message(fmt.Sprintf("race-%d-", i))})
				timer.Stop()
				cancel()
				o := sendOutcome(rs, err)
				trials[i] = trial{status: o.status, err: o.err}
				_ = observe("cancel race send", o.err)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	settle(s)

	copies := make([]int, n)
	for _, r := range s.Requests() {
		if m := raceMarker.FindSubmatch(r.Body); m != nil {
			var i int
			_, _ = fmt.Sscan(string(m[1]), &i)
			copies[i]++
		}
	}
	counts := map[string]int{}
	bad, reached, stopped := 0, 0, 0
	for i, tr := range trials {
		unknown := errors.Is(tr.err, kshop.ErrOutcomeUnknown)
		if copies[i] > 0 {
			reached++
		} else if tr.status == alimtalk.StatusNotSent {
			stopped++
		}
		var apiErr kshop.APIError
		isAPI := errors.As(tr.err, &apiErr)
		key := tr.status.String()
		if isAPI {
			key += fmt.Sprintf(" (HTTP %d)", apiErr.HTTPStatusCode())
		}
		counts[key]++
		fail := func(format string, args ...any) {
			bad++
			if bad <= 10 {
				t.Errorf("trial %d: "+format, append([]any{i}, args...)...)
			}
		}
		switch {
		case copies[i] > 1:
			fail("the server received the message %d times", copies[i])
		case tr.status != alimtalk.StatusUnknown && tr.status != alimtalk.StatusNotSent:
			fail("status %v for a 503 or a cancelled call (err: %v)", tr.status, tr.err)
		case copies[i] == 1 && tr.status != alimtalk.StatusUnknown:
			fail("the server received the message but its status is %v (err: %v)", tr.status, tr.err)
		case unknown != (tr.status == alimtalk.StatusUnknown):
			fail("status %v but errors.Is(ErrOutcomeUnknown) = %v", tr.status, unknown)
		case isAPI && unknown && apiErr.Retryable():
			fail("an unknown outcome is Retryable")
		}
	}
	t.Logf("%d trials (call latency %v): %v; %d violations", n, lat, counts, bad)
	// The race is only tested if the cancels fell on both sides of the send.
	assert.Positive(t, reached, "some messages reached the server before the cancel")
	assert.Positive(t, stopped, "some cancels stopped a message before it was sent")
	summary.set("cancel race", fmt.Sprintf("ssoda.Send %d trials %v, %d violations", n, counts, bad))
}

// TestCancelRaceInsertOrder is TestCancelRaceSend for ePost bookings: a booking the server
// received always ends in an *UnknownOrderError, never a plain refusal.
func TestCancelRaceInsertOrder(t *testing.T) {
	t.Parallel()
	n := raceTrials(600, 150)
	var pause atomic.Int64
	s := raceServer(t, epostServerError, xmlType, &pause)
	c := epostClient(t, s.url, nil)
	lat := latency(func() { _, _ = c.InsertOrder(context.Background(), order("WARM-UP")) })
	pause.Store(int64(lat / 2))

	errs := make([]error, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < raceWorkers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ctx, cancel := context.WithCancel(context.Background())
				timer := time.AfterFunc(jitter(2*lat), cancel)
				_, err := c.InsertOrder(ctx, order(fmt.Sprintf("RACE-%d", i)))
				timer.Stop()
				cancel()
				errs[i] = err
				_ = observe("cancel race InsertOrder", err)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	settle(s)

	copies := map[string]int{}
	for _, r := range s.Requests() {
		copies[orderNoOf(r.Body)]++
	}
	delete(copies, "WARM-UP")
	counts := map[string]int{}
	bad := 0
	for i, err := range errs {
		orderNo := fmt.Sprintf("RACE-%d", i)
		var uoe *epost.UnknownOrderError
		isUnknown := errors.As(err, &uoe) && errors.Is(err, kshop.ErrOutcomeUnknown)
		switch {
		case isUnknown:
			counts["unknown"]++
		case errors.Is(err, kshop.ErrNotSent) || errors.Is(err, context.Canceled):
			counts["not sent"]++
		default:
			counts[fmt.Sprintf("%T", err)]++
		}
		fail := func(format string, args ...any) {
			bad++
			if bad <= 10 {
				t.Errorf("trial %d: "+format, append([]any{i}, args...)...)
			}
		}
		switch {
		case err == nil:
			fail("a 503 or a cancelled call succeeded")
		case copies[orderNo] > 1:
			fail("the server received the booking %d times", copies[orderNo])
		case copies[orderNo] == 1 && !isUnknown:
			fail("the server received the booking but the error is %T %v, not an *UnknownOrderError", err, err)
		case isUnknown && uoe.OrderNo != orderNo:
			fail("UnknownOrderError.OrderNo = %q, want %q", uoe.OrderNo, orderNo)
		case !isUnknown && errors.Is(err, kshop.ErrOutcomeUnknown):
			fail("an unknown booking is not an *UnknownOrderError: %T", err)
		}
	}
	assert.Positive(t, counts["unknown"], "some bookings reached the server")
	t.Logf("%d trials (call latency %v): %v; %d violations", n, lat, counts, bad)
	summary.set("cancel race 2", fmt.Sprintf("epost.InsertOrder %d trials %v, %d violations", n, counts, bad))
}
