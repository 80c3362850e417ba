package reliability_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda"
)

// dispatchTemplate is the template the dispatcher renders: the order number makes each
// event's text unique.
func dispatchTemplate() alimtalk.TemplateSet {
	return alimtalk.NewTemplateSet(alimtalk.Template{
		Code: templateCode, Name: "주문접수", CategoryCode: "004001",
		Content: "#{customerName}님, 주문 #{orderNo} 이(가) 접수되었습니다.",
	})
}

// newDispatcher builds a dispatcher with the default in-memory ledger over c.
func newDispatcher(t testing.TB, c *ssoda.Client) *alimtalk.Dispatcher {
	t.Helper()
	cfg := alimtalk.Config{
		Enabled: true, OrderEnabled: true, ShopName: "케이샵", ShopURL: "https://shop.example.com",
		SenderNumber: "02-1234-5678",
		Events: map[alimtalk.EventKind]alimtalk.EventConfig{
			alimtalk.EventOrderReceived: {Enabled: true, TemplateCode: templateCode, Audience: alimtalk.AudienceCustomer, Timing: alimtalk.Immediate()},
		},
	}
	d, err := alimtalk.NewDispatcher(cfg, c, dispatchTemplate(), alimtalk.WithLedger(alimtalk.NewMemoryLedger(0)), alimtalk.WithClock(testNow))
	require.NoError(t, err)
	return d
}

func orderEvent(id string) alimtalk.Event {
	return alimtalk.Event{Kind: alimtalk.EventOrderReceived, ID: id, CustomerName: "홍길동", CustomerPhone: recipient, OrderNo: id, Amount: 7500}
}

// TestDispatcherRedelivery dispatches an event through every fault, then re-delivers it once
// the server is healthy: when the first dispatch may have reached the server, the second sends
// nothing (StatusDuplicate); when it certainly did not take the message, the second sends it.
func TestDispatcherRedelivery(t *testing.T) {
	t.Parallel()
	send := calls[0]
	var mu sync.Mutex
	resent, duplicates := 0, 0
	t.Run("faults", func(t *testing.T) {
		fanRun(t, 32, len(faults), func(i int) string { return faults[i].name }, func(t *testing.T, i int) {
			skipped := redeliver(t, send, faults[i])
			mu.Lock()
			defer mu.Unlock()
			if skipped {
				duplicates++
			} else {
				resent++
			}
		})
	})
	t.Logf("re-delivery: %d faults skipped as duplicates, %d sent again after a certain refusal", duplicates, resent)
}

// redeliver dispatches an event through fault f, then again once the server is healthy, and
// reports whether the second dispatch was skipped as a duplicate.
func redeliver(t *testing.T, send callSpec, f fault) (skipped bool) {
	ctx, cancel := context.WithTimeout(context.Background(), defaultCellTimeout)
	defer cancel()
	h := &hooks{cancel: cancel}
	s, base := f.serve(t, send, h)
	d := newDispatcher(t, ssodaClient(t, base, f.httpClient(t, h)))
	ev := orderEvent(fmt.Sprintf("D%x", fnv32(f.name)))

	rep1, err1 := d.Dispatch(ctx, ev)
	_ = observe("dispatch "+f.name, err1)
	require.NotNil(t, rep1)
	require.Len(t, rep1.Deliveries, 1)
	first := rep1.Deliveries[0]
	_ = observe("dispatch "+f.name, first.Err)
	assert.Equal(t, f.want.status, first.Status, "first dispatch (err: %v)", first.Err)
	assert.Equal(t, first.Status == alimtalk.StatusUnknown, errors.Is(first.Err, kshop.ErrOutcomeUnknown))

	received1 := 0
	if s != nil {
		settle(s)
		received1 = s.Received()
		s.healthy.Store(true)
	}
	ctx2, cancel2 := context.WithTimeout(context.Background(), defaultCellTimeout)
	defer cancel2()
	rep2, err2 := d.Dispatch(ctx2, ev)
	_ = observe("re-dispatch "+f.name, err2)
	require.NotNil(t, rep2)
	require.Len(t, rep2.Deliveries, 1)
	second := rep2.Deliveries[0]
	received2 := received1
	if s != nil {
		settle(s)
		received2 = s.Received()
	}

	switch first.Status {
	case alimtalk.StatusUnknown, alimtalk.StatusAccepted, alimtalk.StatusReserved:
		// The first may have reached Ssoda (or did): never again.
		assert.Equal(t, alimtalk.StatusDuplicate, second.Status, "re-delivery after %v", first.Status)
		assert.Equal(t, received1, received2, "re-delivery after %v sent a second request", first.Status)
		skipped = true
	case alimtalk.StatusRejected, alimtalk.StatusNotSent:
		// Certainly not taken: the ledger released the claim, so the retry sends.
		if s == nil {
			assert.Equal(t, alimtalk.StatusNotSent, second.Status)
		} else {
			assert.Equal(t, alimtalk.StatusAccepted, second.Status, "re-delivery after %v (err: %v)", first.Status, second.Err)
			assert.Equal(t, received1+1, received2)
		}
		skipped = false
	default:
		t.Errorf("unexpected first status %v", first.Status)
	}
	return skipped
}

// TestDispatcherRedeliveryRace re-delivers events whose first dispatch met a 503 and a
// randomly timed cancellation (the race of the original defect): every event reaches the
// server at most once.
func TestDispatcherRedeliveryRace(t *testing.T) {
	t.Parallel()
	n := raceTrials(200, 80)
	var mu sync.Mutex
	seen := map[string]int{}
	s := startServer(t, func(x *exchange) {
		m := raceMarker.FindString(string(x.req.Body))
		mu.Lock()
		seen[m]++
		first := seen[m] == 1
		mu.Unlock()
		if first {
			x.sleep(jitter(1500 * time.Microsecond))
			x.reply(503, jsonType, ssodaServerError)
			return
		}
		x.reply(200, jsonType, ssodaSendOK)
	})
	d := newDispatcher(t, ssodaClient(t, s.url, nil))

	var wg sync.WaitGroup
	next := make(chan int)
	statuses := make([][2]alimtalk.Status, n)
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				ev := orderEvent(fmt.Sprintf("race-%d-", i))
				ctx, cancel := context.WithCancel(context.Background())
				timer := time.AfterFunc(jitter(2500*time.Microsecond), cancel)
				rep1, err := d.Dispatch(ctx, ev)
				timer.Stop()
				cancel()
				_ = observe("dispatch race", err)
				rep2, err := d.Dispatch(context.Background(), ev)
				_ = observe("dispatch race", err)
				if rep1 != nil && len(rep1.Deliveries) == 1 && rep2 != nil && len(rep2.Deliveries) == 1 {
					statuses[i] = [2]alimtalk.Status{rep1.Deliveries[0].Status, rep2.Deliveries[0].Status}
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	settle(s)

	dups := 0
	mu.Lock()
	for i := 0; i < n; i++ {
		if c := seen[fmt.Sprintf("race-%d-", i)]; c > 1 {
			dups++
			if dups <= 10 {
				t.Errorf("event %d reached the server %d times (dispatch statuses %v)", i, c, statuses[i])
			}
		}
	}
	mu.Unlock()
	t.Logf("%d events re-delivered after a 503 and a random cancel: %d duplicates", n, dups)
	summary.set("dispatcher", fmt.Sprintf("%d faults + %d raced events re-delivered, %d duplicates", len(faults), n, dups))
}
