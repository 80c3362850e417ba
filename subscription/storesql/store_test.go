package storesql_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/sqlstore/sqltest"
	"github.com/kshop-dev/kshop/subscription"
	"github.com/kshop-dev/kshop/subscription/storesql"
)

// clock is the simulated time shared by the rules and the stores.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func kst(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, kshop.KST()) }

func plan() subscription.Plan {
	return subscription.Plan{Name: "원두", Cycles: subscription.AllCycles(), RoundLimits: []int{0, 2, 3, 4},
		DiscountUnit: subscription.DiscountPercent, Discounts: []subscription.DiscountStep{{FromRound: 1, Value: 10}}}
}

func newSub(t testing.TB, rules *subscription.Rules, id string, start subscription.Date, c subscription.Cycle) *subscription.Subscription {
	t.Helper()
	s, err := subscription.NewSubscription(plan(), rules, subscription.Application{
		ID:       id,
		Customer: subscription.Customer{ID: "m-" + id, Name: "홍길동", Phone: "01012345678"},
		Receiver: subscription.Receiver{Name: "홍길동", Phone: "01012345678", Address1: "서울 중구 세종대로 110"},
		Start:    start, Cycle: c,
		Items: []subscription.Item{{Product: subscription.Product{ID: "bean", Kind: subscription.ProductRegular, SubscriptionEnabled: true},
			Name: "원두 200g", Quantity: 1, UnitPrice: 15000}},
		PaymentMethod: subscription.PaymentCard, BillingKeyRef: "bk_" + id,
	})
	require.NoError(t, err)
	return s
}

func newStore(t testing.TB, tg sqltest.Target, db *sql.DB, rules *subscription.Rules, clk *clock, opts ...storesql.Option) *storesql.Store {
	t.Helper()
	s, err := storesql.New(db, tg.Dialect, rules, append([]storesql.Option{storesql.WithTablePrefix(tg.Prefix), storesql.WithClock(clk.Now)}, opts...)...)
	require.NoError(t, err)
	return s
}

func TestOptimisticVersions(t *testing.T) {
	t.Parallel()
	sqltest.Dialects(t, func(t *testing.T, tg sqltest.Target) {
		ctx := context.Background()
		clk := &clock{t: kst(2026, 3, 1, 9)}
		rules, err := subscription.NewRules(subscription.WithTimeSource(clk))
		require.NoError(t, err)
		a := newStore(t, tg, tg.Open(t), rules, clk)
		b := newStore(t, tg, tg.Open(t), rules, clk)
		_, _, err = a.Get(ctx, "S-1")
		assert.ErrorIs(t, err, storesql.ErrSchemaOutdated, "before Migrate")
		require.NoError(t, a.Migrate(ctx))

		sub := newSub(t, rules, "S-1", subscription.Date{Year: 2026, Month: 3, Day: 10}, subscription.Cycle1M)
		v, err := a.Create(ctx, sub)
		require.NoError(t, err)
		assert.Equal(t, int64(1), v)
		_, err = b.Create(ctx, sub)
		assert.ErrorIs(t, err, storesql.ErrExists)

		sa, va, err := a.Get(ctx, "S-1")
		require.NoError(t, err)
		sb, vb, err := b.Get(ctx, "S-1")
		require.NoError(t, err)
		assert.Equal(t, sub.Snapshot().NextSeq, sa.Snapshot().NextSeq)

		require.NoError(t, sa.Pause(subscription.ActorBuyer))
		v, err = a.Save(ctx, sa, va)
		require.NoError(t, err)
		assert.Equal(t, int64(2), v)

		require.NoError(t, sb.ChangeCycle(subscription.ActorBuyer, subscription.Cycle2W))
		_, err = b.Save(ctx, sb, vb)
		var ce *storesql.ConflictError
		require.ErrorAs(t, err, &ce, "a stale write is refused")
		assert.Equal(t, storesql.ConflictError{Op: "storesql.Save", ID: "S-1", Expected: 1, Actual: 2}, *ce)
		got, v, err := b.Get(ctx, "S-1")
		require.NoError(t, err)
		assert.Equal(t, subscription.StatePaused, got.State(), "the stale write changed nothing")
		assert.Equal(t, subscription.Cycle1M, got.Snapshot().Cycle)
		assert.Equal(t, int64(2), v)

		v, err = b.Update(ctx, "S-1", func(s *subscription.Subscription) error { return s.Resume(subscription.ActorBuyer) })
		require.NoError(t, err)
		assert.Equal(t, int64(3), v)
		_, err = b.Update(ctx, "S-1", func(s *subscription.Subscription) error { return s.Resume(subscription.ActorBuyer) })
		assert.ErrorIs(t, err, subscription.ErrWrongState, "the change's own error comes back")

		_, _, err = a.Get(ctx, "S-404")
		assert.ErrorIs(t, err, storesql.ErrNotFound)
	})
}

// world is the outside the workers act on: a notifier and a gateway that count calls per
// idempotency key and, like real ones, dedupe by it.
type world struct {
	mu      sync.Mutex
	notices map[string]int
	charges map[string]int
	died    map[string]int // kills after the side effect, per action ID
}

func newWorld() *world {
	return &world{notices: map[string]int{}, charges: map[string]int{}, died: map[string]int{}}
}

var errKilled = errors.New("worker killed")

// work is one worker's pass at instant now. die decides whether the worker is killed after
// doing an action's side effect and before recording it.
func work(ctx context.Context, st *storesql.Store, now time.Time, w *world, die func() bool) error {
	due, err := st.Due(ctx, now)
	if err != nil {
		return err
	}
	for _, a := range due {
		c, ok, err := st.Claim(ctx, a)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		var record func(*subscription.Subscription) ([]subscription.Event, error)
		switch a.Kind {
		case subscription.ActionSendNotice:
			w.mu.Lock()
			w.notices[a.ID()]++
			w.mu.Unlock()
			record = func(s *subscription.Subscription) ([]subscription.Event, error) { return nil, s.RecordNoticeSent(a) }
		case subscription.ActionCharge, subscription.ActionRetryCharge:
			w.mu.Lock()
			w.charges[a.ID()]++
			w.mu.Unlock()
			res := subscription.Charged("ORD-" + a.ID())
			if a.Attempt == 1 && strings.HasSuffix(a.SubscriptionID, "-decline") {
				res = subscription.Declined("잔액부족")
			}
			record = func(s *subscription.Subscription) ([]subscription.Event, error) { return s.RecordCharge(a, res) }
		case subscription.ActionExpire:
			record = func(s *subscription.Subscription) ([]subscription.Event, error) { return s.RecordExpired(a) }
		}
		if die() {
			w.mu.Lock()
			w.died[a.ID()]++
			w.mu.Unlock()
			return errKilled
		}
		if _, err := st.Record(ctx, c, record); err != nil {
			return fmt.Errorf("record %s: %w", a.ID(), err)
		}
	}
	return nil
}

// Four planners over one database run a month of simulated hours; workers are killed between
// claim and record now and then. Every due notice is sent and every due round charged, once
// per action, a killed worker's action re-run once by another worker with the same key.
func TestMonthOfPlanners(t *testing.T) {
	t.Parallel()
	sqltest.Dialects(t, func(t *testing.T, tg sqltest.Target) {
		ctx := context.Background()
		clk := &clock{t: kst(2026, 3, 1, 0)}
		rules, err := subscription.NewRules(subscription.WithTimeSource(clk))
		require.NoError(t, err)
		const workers = 4
		lease := storesql.WithLease(30 * time.Minute)
		setup := newStore(t, tg, tg.Open(t), rules, clk, lease)
		require.NoError(t, setup.Migrate(ctx))
		cycles := []subscription.Cycle{subscription.Cycle1W, subscription.Cycle2W, subscription.Cycle1M}
		var ids []string
		for i := range 12 {
			id := fmt.Sprintf("S-%02d", i)
			if i%4 == 3 {
				id += "-decline"
			}
			ids = append(ids, id)
			_, err := setup.Create(ctx, newSub(t, rules, id, subscription.Date{Year: 2026, Month: 3, Day: 5 + i}, cycles[i%3]))
			require.NoError(t, err)
		}

		w := newWorld()
		rng := rand.New(rand.NewPCG(1, 2))
		var rngMu sync.Mutex
		die := func() bool {
			rngMu.Lock()
			defer rngMu.Unlock()
			return rng.IntN(10) == 0
		}
		type instance struct {
			db *sql.DB
			st *storesql.Store
		}
		open := func(i int) instance {
			db := tg.Open(t)
			return instance{db, newStore(t, tg, db, rules, clk, lease, storesql.WithInstanceID(fmt.Sprint("planner-", i)))}
		}
		inst := make([]instance, workers)
		for i := range inst {
			inst[i] = open(i)
		}
		end := kst(2026, 4, 1, 0)
		kills := 0
		for now := clk.Now(); now.Before(end); now = now.Add(time.Hour) {
			clk.Set(now)
			errs := make([]error, workers)
			var wg sync.WaitGroup
			for i := range inst {
				wg.Add(1)
				go func() {
					defer wg.Done()
					wctx, cancel := context.WithCancel(ctx)
					defer cancel()
					errs[i] = work(wctx, inst[i].st, now, w, die)
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if errors.Is(err, errKilled) {
					kills++
					_ = inst[i].db.Close() // the process is gone; a new one takes its place
					inst[i] = open(i)
					continue
				}
				require.NoError(t, err, "worker %d at %s", i, now)
			}
		}
		require.Positive(t, kills)

		due := 0
		for _, id := range ids {
			sub, _, err := setup.Get(ctx, id)
			require.NoError(t, err)
			for _, r := range sub.Rounds() {
				if r.NoticeAt.Before(end) {
					due++
					key := fmt.Sprintf("%s/%d/notice", id, r.Seq)
					assert.Equal(t, 1+w.died[key], w.notices[key], "%s: sent once, plus one re-run per kill", key)
					assert.False(t, r.NoticedAt.IsZero(), "%s recorded", key)
				}
				if !r.ChargeAt.Before(end) {
					continue
				}
				assert.Equal(t, subscription.RoundCharged, r.Status, "%s round %d charged", id, r.Seq)
				charged := 0
				for attempt := 1; attempt <= r.Attempts; attempt++ {
					key := fmt.Sprintf("%s/%d/charge/%d", id, r.Seq, attempt)
					assert.Equal(t, 1+w.died[key], w.charges[key], "%s: charged once, plus one re-run per kill", key)
					if attempt == r.Attempts {
						charged++
					}
				}
				assert.Equal(t, 1, charged, "one successful charge per round")
				assert.Equal(t, "ORD-"+fmt.Sprintf("%s/%d/charge/%d", id, r.Seq, r.Attempts), r.OrderRef)
			}
		}
		assert.Greater(t, due, 20)
		t.Logf("%d notices due, %d charge keys, %d kills", due, len(w.charges), kills)
		// A recorded action is never recorded again.
		for key := range w.notices {
			st, found, err := setup.Action(ctx, key)
			require.NoError(t, err)
			require.True(t, found)
			assert.True(t, st.Done, key)
			assert.Equal(t, 1+w.died[key], st.Attempts, key)
		}
	})
}

func TestRecordOnce(t *testing.T) {
	t.Parallel()
	sqltest.Dialects(t, func(t *testing.T, tg sqltest.Target) {
		ctx := context.Background()
		clk := &clock{t: kst(2026, 3, 1, 9)}
		rules, err := subscription.NewRules(subscription.WithTimeSource(clk))
		require.NoError(t, err)
		a := newStore(t, tg, tg.Open(t), rules, clk, storesql.WithInstanceID("a"), storesql.WithLease(time.Minute))
		b := newStore(t, tg, tg.Open(t), rules, clk, storesql.WithInstanceID("b"), storesql.WithLease(time.Minute))
		require.NoError(t, a.Migrate(ctx))
		_, err = a.Create(ctx, newSub(t, rules, "S-1", subscription.Date{Year: 2026, Month: 3, Day: 10}, subscription.Cycle1M))
		require.NoError(t, err)

		clk.Set(kst(2026, 3, 8, 9))
		due, err := a.Due(ctx, clk.Now())
		require.NoError(t, err)
		require.Len(t, due, 1)
		act := due[0]
		ca, ok, err := a.Claim(ctx, act)
		require.NoError(t, err)
		require.True(t, ok)
		_, ok, err = b.Claim(ctx, act)
		require.NoError(t, err)
		assert.False(t, ok, "held by a")

		clk.Set(clk.Now().Add(2 * time.Minute)) // a's lease expires; b takes over
		cb, ok, err := b.Claim(ctx, act)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, 2, cb.Attempt)
		notice := func(s *subscription.Subscription) ([]subscription.Event, error) { return nil, s.RecordNoticeSent(act) }
		_, err = a.Record(ctx, ca, notice)
		assert.ErrorIs(t, err, storesql.ErrLeaseLost, "a lost its lease")
		_, err = b.Record(ctx, cb, notice)
		require.NoError(t, err)
		_, err = b.Record(ctx, cb, notice)
		assert.ErrorIs(t, err, storesql.ErrAlreadyRecorded)
		clk.Set(clk.Now().Add(time.Hour))
		_, ok, err = a.Claim(ctx, act)
		require.NoError(t, err)
		assert.False(t, ok, "a recorded action is never claimed again")
		due, err = a.Due(ctx, clk.Now())
		require.NoError(t, err)
		assert.Empty(t, due)
		sub, v, err := a.Get(ctx, "S-1")
		require.NoError(t, err)
		assert.Equal(t, int64(2), v, "recorded once")
		r, _ := sub.CurrentRound()
		assert.Equal(t, subscription.RoundNoticed, r.Status)

		// A stale action (moot after a change) returns the domain's error and writes nothing.
		clk.Set(kst(2026, 3, 9, 9))
		due, err = a.Due(ctx, clk.Now())
		require.NoError(t, err)
		require.Len(t, due, 1)
		cc, ok, err := a.Claim(ctx, due[0])
		require.NoError(t, err)
		require.True(t, ok)
		_, err = a.Record(ctx, cc, func(s *subscription.Subscription) ([]subscription.Event, error) { return nil, s.RecordNoticeSent(act) })
		assert.ErrorIs(t, err, subscription.ErrStaleAction)
		_, v, _ = a.Get(ctx, "S-1")
		assert.Equal(t, int64(2), v)
		require.NoError(t, a.Release(ctx, cc))
		_, ok, err = b.Claim(ctx, due[0])
		require.NoError(t, err)
		assert.True(t, ok, "a released claim is free at once")
	})
}

func TestStoreBadInput(t *testing.T) {
	t.Parallel()
	tg := sqltest.SQLite(t)
	var ve *kshop.ValidationError
	_, err := storesql.New(nil, storesql.SQLite, nil, storesql.WithLease(time.Millisecond))
	require.ErrorAs(t, err, &ve)
	var fields []string
	for _, p := range ve.Problems {
		fields = append(fields, p.Field)
	}
	assert.Equal(t, []string{"db", "rules", "WithLease"}, fields)

	clk := &clock{t: kst(2026, 3, 1, 9)}
	rules, _ := subscription.NewRules(subscription.WithTimeSource(clk))
	st := newStore(t, tg, tg.Open(t), rules, clk)
	require.NoError(t, st.Migrate(context.Background()))
	_, err = st.Create(context.Background(), nil)
	assert.ErrorIs(t, err, kshop.ErrInvalid)
	_, _, err = st.Claim(context.Background(), subscription.Action{})
	assert.ErrorIs(t, err, kshop.ErrInvalid)
	_, err = st.Record(context.Background(), nil, nil)
	assert.ErrorIs(t, err, kshop.ErrInvalid)
	//lint:ignore SA1012 a nil context is the bad input under test
	_, err = st.Due(nil, time.Now())
	assert.ErrorIs(t, err, kshop.ErrInvalid)
}
