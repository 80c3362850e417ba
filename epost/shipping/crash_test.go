package shipping_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/epost/shipping"
)

var errCrash = errors.New("crash injected")

// crashStore is a Store whose process "dies" at its failAt-th Update (counted from 1): that
// Update is not applied, and every later call fails too.
type crashStore struct {
	shipping.Store
	mu      sync.Mutex
	failAt  int
	updates int
	crashed bool
}

func (c *crashStore) Update(ctx context.Context, fn func(shipping.Tx) error) error {
	c.mu.Lock()
	c.updates++
	if c.crashed || c.updates == c.failAt {
		c.crashed = true
		c.mu.Unlock()
		return errCrash
	}
	c.mu.Unlock()
	return c.Store.Update(ctx, fn)
}

func (c *crashStore) View(ctx context.Context, fn func(shipping.Tx) error) error {
	c.mu.Lock()
	dead := c.crashed
	c.mu.Unlock()
	if dead {
		return errCrash
	}
	return c.Store.View(ctx, fn)
}

// prepareSync books three orders (per order and per item), prints one, and makes every
// parcel delivered on the fake: a sync has five lines to move.
func prepareSync(t *testing.T) *kit {
	t.Helper()
	ctx := context.Background()
	k := setup(t)
	require.NoError(t, k.sh.AddOrders(ctx,
		order("A1", "010-1234-5678", line("1", shipping.StatusPaid), line("2", shipping.StatusPaid)),
		order("B1", "010-1234-5678", line("1", shipping.StatusPaid), line("2", shipping.StatusPreparing)),
		order("C1", "010-1234-5678")))
	_, err := k.sh.Issue(ctx, shipping.IssueRequest{Mode: shipping.PerOrder, Select: shipping.Selection{OrderIDs: []string{"A1", "C1"}}})
	require.NoError(t, err)
	_, err = k.sh.Issue(ctx, shipping.IssueRequest{Mode: shipping.PerItem})
	require.NoError(t, err)
	res, err := k.sh.Reserve(ctx)
	require.NoError(t, err)
	require.Len(t, res.Reserved, 4)
	_, err = k.sh.MarkPrinted(ctx, "A1")
	require.NoError(t, err)
	for _, w := range res.Reserved {
		deliver(k.srv, w.RegiNo)
	}
	return k
}

func TestSyncSurvivesACrashBetweenAnyTwoSteps(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	want := map[string]shipping.Status{"A1/1": shipping.StatusDelivered, "A1/2": shipping.StatusDelivered,
		"B1/1": shipping.StatusDelivered, "B1/2": shipping.StatusDelivered, "C1/1": shipping.StatusDelivered}
	for failAt := 1; ; failAt++ {
		k := prepareSync(t)
		before := len(k.events.all())
		crashing := &crashStore{Store: k.store, failAt: failAt}
		sh1 := k.shipper(t, crashing)
		sy1, err := sh1.NewSyncer(shipping.SyncOptions{Concurrency: 1, BatchSize: 1, RateInterval: -1})
		require.NoError(t, err)
		_, err = sy1.SyncNow(ctx)
		finished := err == nil && !crashing.crashed
		if !finished {
			require.ErrorIs(t, err, errCrash, "failAt %d", failAt)
			// Restart: a new process over the same store, once the outbox's delivery lease
			// the dead one may hold has run out.
			k.clock.Add(shipping.DefaultDeliveryLease)
			sh2 := k.shipper(t, k.store)
			sy2, err := sh2.NewSyncer(shipping.SyncOptions{Concurrency: 1, BatchSize: 1, RateInterval: -1})
			require.NoError(t, err)
			_, err = sy2.SyncNow(ctx)
			require.NoError(t, err, "failAt %d", failAt)
		}

		// No lost change: every line delivered. No doubled change: one tracking event per line.
		perLine := map[string]map[string]bool{}
		for _, ev := range k.events.all()[before:] {
			key := ev.OrderID + "/" + ev.LineID
			if perLine[key] == nil {
				perLine[key] = map[string]bool{}
			}
			perLine[key][ev.ID] = true
			assert.Equal(t, shipping.CauseTracking, ev.Cause)
		}
		for key, st := range want {
			o, l := key[:2], key[3:]
			assert.Equal(t, st, lineOf(t, k.sh, o, l).Status, "failAt %d %s", failAt, key)
			assert.Len(t, perLine[key], 1, "failAt %d %s: one change", failAt, key)
		}
		assert.Len(t, perLine, len(want))
		plans := 0
		require.NoError(t, k.store.View(ctx, func(tx shipping.Tx) error {
			p, err := tx.Plans()
			plans = len(p)
			return err
		}))
		assert.Zero(t, plans, "failAt %d: no plan left", failAt)
		if finished {
			require.Greater(t, failAt, 5, "the sync has several steps")
			return
		}
	}
}
