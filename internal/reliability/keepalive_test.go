package reliability_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda"
)

// churnServer answers every request with ok, then closes the connection at random: at once,
// after a short idle pause (so the client may already be reusing it), with a reset, or when
// the next request starts arriving. Clients cannot tell these closes from a crash.
func churnServer(t *testing.T, ctype, ok string) *faultServer {
	s := newServer(t)
	s.beforeRead = func(c *serverConn, seq int) bool {
		if seq > 0 && rand.N(10) == 0 {
			// Keep-alive then FIN just as the next request arrives.
			c.peekRequest(time.Second)
			c.fin()
			return false
		}
		return true
	}
	s.handle = func(x *exchange) {
		x.reply(200, ctype, ok)
		switch p := rand.N(100); {
		case p < 40: // keep the connection
		case p < 65:
			x.fin()
		case p < 90:
			x.sleep(jitter(3 * time.Millisecond))
			x.fin()
		default:
			x.sleep(jitter(2 * time.Millisecond))
			x.reset()
		}
	}
	s.start()
	return s
}

var kaMarker = regexp.MustCompile(`ka-(\d+)-`)

// TestKeepAliveChurn sends thousands of messages over connections the server closes at
// random: no message reaches the server twice, every accepted message reached it once, and
// no message reported not sent reached it at all.
func TestKeepAliveChurn(t *testing.T) {
	t.Parallel()
	n := raceTrials(2000, 500)
	const batch = 50
	s := churnServer(t, jsonType, ssodaSendOK)
	c := ssodaClient(t, s.url, nil, ssoda.WithConcurrency(8))

	results := make([]alimtalk.Result, n)
	var wg sync.WaitGroup
	for start := 0; start < n; start += batch * 4 {
		for b := start; b < min(n, start+batch*4); b += batch {
			wg.Add(1)
			go func(from int) {
				defer wg.Done()
				var msgs []alimtalk.Message
				for i := from; i < min(n, from+batch); i++ {
					msgs = append(msgs, message(fmt.Sprintf("ka-%d-", i)))
				}
				ctx, cancel := context.WithTimeout(context.Background(), defaultCellTimeout)
				defer cancel()
				rs, err := c.Send(ctx, msgs)
				_ = observe("keep-alive churn", err)
				observeResults("keep-alive churn", rs)
				copy(results[from:], rs)
			}(b)
		}
		wg.Wait()
	}
	settle(s)

	copies := make([]int, n)
	for _, r := range s.Requests() {
		if m := kaMarker.FindSubmatch(r.Body); m != nil {
			var i int
			_, _ = fmt.Sscan(string(m[1]), &i)
			copies[i]++
		}
	}
	counts := map[alimtalk.Status]int{}
	dups, bad := 0, 0
	for i, r := range results {
		counts[r.Status]++
		fail := func(format string, args ...any) {
			bad++
			if bad <= 10 {
				t.Errorf("message %d: "+format, append([]any{i}, args...)...)
			}
		}
		if copies[i] > 1 {
			dups++
			fail("received %d times", copies[i])
		}
		switch r.Status {
		case alimtalk.StatusAccepted:
			if copies[i] != 1 {
				fail("accepted but received %d times", copies[i])
			}
		case alimtalk.StatusNotSent:
			if copies[i] != 0 {
				fail("reported not sent but received %d times (err: %v)", copies[i], r.Err)
			}
		case alimtalk.StatusUnknown:
			if !errors.Is(r.Err, kshop.ErrOutcomeUnknown) {
				fail("unknown without ErrOutcomeUnknown: %v", r.Err)
			}
		default:
			fail("status %v (err: %v)", r.Status, r.Err)
		}
	}
	assert.Positive(t, counts[alimtalk.StatusAccepted])
	t.Logf("%d sends over %d connections: %v; %d duplicates", n, s.accepted.Load(), counts, dups)
	summary.set("keep-alive", fmt.Sprintf("%d sends over %d connections closed at random: %v, %d duplicates, %d violations",
		n, s.accepted.Load(), counts, dups, bad))
}

// TestKeepAliveChurnInsertOrder is TestKeepAliveChurn for ePost bookings.
func TestKeepAliveChurnInsertOrder(t *testing.T) {
	t.Parallel()
	n := raceTrials(300, 100)
	s := churnServer(t, xmlType, epostOrderOK)
	c := epostClient(t, s.url, nil)

	errs := make([]error, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ctx, cancel := context.WithTimeout(context.Background(), defaultCellTimeout)
				_, errs[i] = c.InsertOrder(ctx, order(fmt.Sprintf("KA-%d", i)))
				cancel()
				_ = observe("keep-alive churn InsertOrder", errs[i])
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
	ok, unknown, dups := 0, 0, 0
	for i, err := range errs {
		no := fmt.Sprintf("KA-%d", i)
		if copies[no] > 1 {
			dups++
			t.Errorf("booking %s received %d times", no, copies[no])
		}
		switch {
		case err == nil:
			ok++
			assert.Equal(t, 1, copies[no], "booking %s succeeded", no)
		case errors.Is(err, kshop.ErrOutcomeUnknown):
			unknown++
		case errors.Is(err, kshop.ErrNotSent):
			assert.Zero(t, copies[no], "booking %s reported not sent was received", no)
		default:
			t.Errorf("booking %s: unexpected error %T %v", no, err, err)
		}
	}
	assert.Positive(t, ok)
	t.Logf("%d bookings: %d booked, %d unknown, %d duplicates", n, ok, unknown, dups)
	summary.set("keep-alive 2", fmt.Sprintf("%d InsertOrder over connections closed at random: %d booked, %d unknown, %d duplicates", n, ok, unknown, dups))
}
