package storesql_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/internal/sqlstore/sqltest"
	"github.com/kshop-dev/kshop/subscription"
	"github.com/kshop-dev/kshop/subscription/storesql"
)

// A worker is killed (context cancelled, pool closed) at a random instant while it runs a due
// notice: before its claim, between claim and send, between send and record, in the middle of
// the record transaction. A new worker then runs after the lease. In every run the notice ends
// recorded exactly once, the subscription is either untouched or fully recorded (never half),
// and the notice went out at most once per claim.
func TestCrashLoop(t *testing.T) {
	t.Parallel()
	runs := 200
	if testing.Short() {
		runs = 40
	}
	sqltest.Dialects(t, func(t *testing.T, tg sqltest.Target) {
		ctx := context.Background()
		clk := &clock{t: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
		rules, err := subscription.NewRules(subscription.WithTimeSource(clk))
		require.NoError(t, err)
		lease := storesql.WithLease(30 * time.Minute)
		survivor := newStore(t, tg, tg.Open(t), rules, clk, lease, storesql.WithInstanceID("survivor"))
		require.NoError(t, survivor.Migrate(ctx))
		create := func(id string) {
			clk.Set(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
			_, err := survivor.Create(ctx, newSub(t, rules, id, subscription.Date{Year: 2026, Month: 3, Day: 10}, subscription.Cycle1M))
			require.NoError(t, err)
		}
		create("C-000")
		// The notice instant of these subscriptions.
		probe, _, err := survivor.Get(ctx, "C-000")
		require.NoError(t, err)
		next, ok := probe.NextAction()
		require.True(t, ok)
		noticeAt := next.At

		w := newWorld()
		never := func() bool { return false }
		// Calibrate: how long a fresh worker takes to run one notice.
		clk.Set(noticeAt)
		start := time.Now()
		require.NoError(t, work(ctx, newStore(t, tg, tg.Open(t), rules, clk, lease), noticeAt, w, never))
		span := time.Since(start)

		rng := rand.New(rand.NewPCG(3, uint64(len(tg.Name))))
		var reruns, victimDone int
		killedAt := map[string]int{}
		for run := 1; run <= runs; run++ {
			id := fmt.Sprintf("C-%03d", run)
			key := id + "/0/notice"
			create(id)
			clk.Set(noticeAt)
			victimDB := tg.Open(t)
			victim := newStore(t, tg, victimDB, rules, clk, lease, storesql.WithInstanceID("victim"))
			vctx, cancel := context.WithCancel(ctx)
			closed := make(chan struct{})
			var once sync.Once
			kill := func() {
				once.Do(func() {
					cancel()
					go func() { _ = victimDB.Close(); close(closed) }() // Close waits for a running tx
				})
			}
			// Even runs die at a chosen step, odd runs at a random instant (inside a statement,
			// mid-transaction, at commit).
			at := -1
			if run%2 == 0 {
				at = rng.IntN(len(killPoints))
				killedAt[killPoints[at]]++
			}
			hook := func(point string) {
				if at >= 0 && point == killPoints[at] {
					kill()
				}
			}
			done := make(chan error, 1)
			go func() { done <- workOn(vctx, victim, id, noticeAt, w, hook) }()
			if at < 0 {
				time.Sleep(time.Duration(rng.Int64N(int64(span) + 1)))
				kill()
			}
			verr := <-done
			kill()
			<-closed

			sub, v, err := survivor.Get(ctx, id)
			require.NoError(t, err)
			r, _ := sub.CurrentRound()
			require.True(t, (v == 1 && r.Status == subscription.RoundScheduled) || (v == 2 && r.Status == subscription.RoundNoticed),
				"run %d: version %d with round %s: half-written", run, v, r.Status)
			if verr == nil && v == 2 {
				victimDone++
			}

			clk.Set(noticeAt.Add(31 * time.Minute)) // past the victim's lease
			require.NoError(t, workOn(ctx, survivor, id, clk.Now(), w, func(string) {}), "run %d", run)

			sub, v, err = survivor.Get(ctx, id)
			require.NoError(t, err)
			r, _ = sub.CurrentRound()
			require.Equal(t, int64(2), v, "run %d: recorded exactly once", run)
			require.Equal(t, subscription.RoundNoticed, r.Status, "run %d", run)
			st, found, err := survivor.Action(ctx, key)
			require.NoError(t, err)
			require.True(t, found, "run %d", run)
			require.True(t, st.Done, "run %d", run)
			require.LessOrEqual(t, w.notices[key], st.Attempts, "run %d: at most one send per claim", run)
			require.GreaterOrEqual(t, w.notices[key], 1, "run %d: sent", run)
			if w.notices[key] > 1 {
				reruns++
			}
		}
		t.Logf("%d runs: %d finished by the victim, %d re-run after the victim sent and died; step kills %v", runs, victimDone, reruns, killedAt)
		require.Positive(t, reruns+victimDone)
	})
}

// killPoints are the steps of workOn a worker can be killed at.
var killPoints = []string{"start", "due", "claimed", "sent", "recording"}

// workOn runs the due action of one subscription, as work does for all, calling hook at each
// step.
func workOn(ctx context.Context, st *storesql.Store, id string, now time.Time, w *world, hook func(string)) error {
	hook("start")
	due, err := st.Due(ctx, now)
	hook("due")
	if err != nil {
		return err
	}
	for _, a := range due {
		if a.SubscriptionID != id {
			continue
		}
		c, ok, err := st.Claim(ctx, a)
		if err != nil || !ok {
			return err
		}
		hook("claimed")
		if ctx.Err() != nil {
			return ctx.Err() // a dead worker sends nothing
		}
		w.mu.Lock()
		w.notices[a.ID()]++
		w.mu.Unlock()
		hook("sent")
		if _, err := st.Record(ctx, c, func(s *subscription.Subscription) ([]subscription.Event, error) {
			hook("recording")
			return nil, s.RecordNoticeSent(a)
		}); err != nil {
			if errors.Is(err, storesql.ErrAlreadyRecorded) {
				return nil
			}
			return err
		}
	}
	return nil
}
