package subscription

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func actionIDs(as []Action) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.ID()
	}
	return out
}

func TestPlannerRegistry(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	rules := newRulesT(t, clk)
	a := newSubT(t, rules, "S-a", d(2026, 3, 31), Cycle1M)
	b := newSubT(t, rules, "S-b", d(2026, 3, 31), Cycle1M)
	c := newSubT(t, rules, "S-c", d(2026, 3, 31), Cycle1M)
	p := NewPlanner()
	require.NoError(t, p.Add(a, b))
	assert.ErrorIs(t, p.Add(c, a), ErrDuplicateSubscription)
	assert.ErrorIs(t, p.Add(c, c), ErrDuplicateSubscription)
	assert.ErrorIs(t, p.Add(nil), ErrInvalid)
	assert.Equal(t, 2, p.Len(), "a refused Add adds nothing")
	require.NoError(t, p.Add(c))
	got, ok := p.Get("S-b")
	require.True(t, ok)
	assert.Same(t, b, got)
	assert.True(t, p.Remove("S-a"))
	assert.False(t, p.Remove("S-a"))
	_, ok = p.Get("S-a")
	assert.False(t, ok)
	got, ok = p.Get("S-c")
	require.True(t, ok)
	assert.Same(t, c, got, "index fixed after the swap-remove")
	assert.Equal(t, 2, p.Len())
}

func TestPlannerDueIsDeterministicAndIdempotent(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	rules := newRulesT(t, clk)
	p := NewPlanner()
	// Added out of order; two share the notice instant.
	z := newSubT(t, rules, "S-z", d(2026, 3, 31), Cycle1M)
	a := newSubT(t, rules, "S-a", d(2026, 3, 31), Cycle1M)
	m := newSubT(t, rules, "S-m", d(2026, 3, 30), Cycle1M)
	later := newSubT(t, rules, "S-later", d(2026, 4, 30), Cycle1M)
	require.NoError(t, p.Add(z, a, m, later))

	assert.Empty(t, p.Due(kstAt(2026, 3, 28, 8, 59)))
	asOf := kstAt(2026, 3, 29, 9, 0)
	first := p.Due(asOf)
	assert.Equal(t, []string{"S-m/0/notice", "S-a/0/notice", "S-z/0/notice"}, actionIDs(first),
		"sorted by instant (S-m's notice is a day earlier), then ID")
	assert.Equal(t, first, p.Due(asOf), "Due changes nothing")

	// A worker records S-a; S-z's worker "crashed" (nothing recorded).
	_, err := a.Notice(first[1])
	require.NoError(t, err)
	require.NoError(t, a.RecordNoticeSent(first[1]))
	second := p.Due(asOf)
	assert.Equal(t, []string{"S-m/0/notice", "S-z/0/notice"}, actionIDs(second),
		"the recorded action is gone; the unrecorded ones come back with the same IDs")

	// Later: S-a's charge is due, S-m's too (notice recorded late), S-z still its notice.
	require.NoError(t, m.RecordNoticeSent(second[0]))
	third := p.Due(kstAt(2026, 3, 30, 9, 0))
	assert.Equal(t, []string{"S-m/0/charge/1", "S-z/0/notice", "S-a/0/charge/1"}, actionIDs(third),
		"S-m's charge and S-z's notice share 03-29 09:00: ordered by ID")

	buf := make([]Action, 0, 8)
	buf = p.AppendDue(buf[:0], kstAt(2026, 3, 30, 9, 0))
	assert.Equal(t, third, buf)
	assert.Equal(t, third, AppendDue(nil, kstAt(2026, 3, 30, 9, 0), []*Subscription{a, nil, z, m, later}))
}

// TestPlannerConcurrentWorkers runs two workers on the same due actions at once (as after
// a crash and a restart racing a slow worker). Each action's side effect is keyed by its ID
// (as the caller must do); exactly one worker records each outcome and the other gets
// ErrStaleAction.
func TestPlannerConcurrentWorkers(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 1, 9, 0))
	rules := newRulesT(t, clk)
	p := NewPlanner()
	const n = 50
	for i := 0; i < n; i++ {
		require.NoError(t, p.Add(newSubT(t, rules, fmt.Sprintf("S-%03d", i), d(2026, 3, 10+i%5), Cycle1W)))
	}
	var sent sync.Map // idempotency store: action ID → struct{}
	var sideEffects, recorded, stale atomic.Int64
	work := func(asOf time.Time) {
		due := p.Due(asOf)
		var wg sync.WaitGroup
		for w := 0; w < 2; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, a := range due {
					s, ok := p.Get(a.SubscriptionID)
					if !ok {
						continue
					}
					if _, dup := sent.LoadOrStore(a.ID(), struct{}{}); !dup {
						sideEffects.Add(1)
					}
					var err error
					switch a.Kind {
					case ActionSendNotice:
						err = s.RecordNoticeSent(a)
					case ActionCharge, ActionRetryCharge:
						_, err = s.RecordCharge(a, Charged("O-"+a.ID()))
					}
					switch {
					case err == nil:
						recorded.Add(1)
					case errors.Is(err, ErrStaleAction):
						stale.Add(1)
					default:
						t.Errorf("unexpected error: %v", err)
					}
				}
			}()
		}
		wg.Wait()
	}
	for day := d(2026, 3, 8); day.Before(d(2026, 4, 1)); day = day.AddDays(1) {
		clk.Set(day.At(Clock(9, 0)))
		work(clk.Now())
	}
	assert.Equal(t, sideEffects.Load(), recorded.Load(), "every side effect recorded exactly once")
	assert.Equal(t, recorded.Load(), stale.Load(), "the losing worker saw a stale action, every time")
	assert.Positive(t, recorded.Load())
	for i := 0; i < n; i++ {
		s, _ := p.Get(fmt.Sprintf("S-%03d", i))
		snap := s.Snapshot()
		assert.GreaterOrEqual(t, snap.RoundsCharged, 3)
		for _, r := range snap.Rounds {
			if r.Status == RoundCharged {
				assert.Equal(t, 1, r.Attempts)
			}
		}
	}
}

func TestPlannerGatewayReset(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	rules := newRulesT(t, clk)
	p := NewPlanner()
	require.NoError(t, p.Add(newSubT(t, rules, "S-1", d(2026, 3, 31), Cycle1M), newSubT(t, rules, "S-2", d(2026, 3, 31), Cycle1M)))
	rep, err := p.GatewayReset(context.Background(), func(context.Context, string) error { return nil }, "PG 초기화")
	require.NoError(t, err)
	assert.Equal(t, []string{"S-1", "S-2"}, rep.Terminated)
	assert.Empty(t, p.Due(kstAt(2030, 1, 1, 0, 0)))
}

func TestActionAndEventKeys(t *testing.T) {
	t.Parallel()
	a := Action{Kind: ActionSendNotice, SubscriptionID: "S-1", RoundSeq: 4}
	assert.Equal(t, "S-1/4/notice", a.ID())
	a.Kind, a.Attempt = ActionRetryCharge, 3
	assert.Equal(t, "S-1/4/charge/3", a.ID())
	a.Kind = ActionExpire
	assert.Equal(t, "S-1/expire", a.ID())
	a.Kind = 0
	assert.Equal(t, "S-1/unknown", a.ID())
	assert.Equal(t, "retry charge", ActionRetryCharge.String())

	e := Event{Kind: EventChargeFailed, Audience: AudienceCustomer, SubscriptionID: "S-1", RoundSeq: 2, Attempt: 3}
	assert.Equal(t, "S-1/2/charge_failed/a3/customer", e.Key())
	e = Event{Kind: EventTerminated, Audience: AudienceOperator, SubscriptionID: "S-1", RoundSeq: -1}
	assert.Equal(t, "S-1/terminated/operator", e.Key())
}

func TestEventVars(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	s := newSubT(t, newRulesT(t, clk), "S-1", d(2026, 3, 31), Cycle1M)
	a, _ := s.NextAction()
	ev, err := s.Notice(a)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{
		"subscription_id": "S-1", "customer_name": "홍길동", "round": "1", "delivery_date": "2026-03-31",
		"amount": "29,700원", "subtotal": "33,000원", "discount": "3,300원", "items": "원두 200g x2 외 1건",
		"item_count": "2", "order_ref": "", "reason": "", "next_retry": "",
	}, ev.Vars())
	ev = Event{Kind: EventChargeFailed, NextRetryAt: kstAt(2026, 3, 30, 17, 0).UTC(), Items: []Item{{Product: testProduct("p"), Quantity: 1}}}
	assert.Equal(t, "2026-03-30 17:00", ev.Vars()["next_retry"])
	assert.Equal(t, "p x1", ev.Vars()["items"])
}
