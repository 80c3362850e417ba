package storesql_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/epost/shipping"
	"github.com/kshop-dev/kshop/epost/shipping/shippingtest"
	"github.com/kshop-dev/kshop/epost/shipping/storesql"
	"github.com/kshop-dev/kshop/internal/sqlstore/sqltest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreTopFunction("database/sql.(*DB).connectionOpener"))
}

// fresh returns a new target of tg's dialect (a new SQLite file, or new PostgreSQL tables).
func fresh(t testing.TB, tg sqltest.Target) sqltest.Target {
	t.Helper()
	if tg.Dialect == storesql.PostgreSQL {
		return sqltest.Postgres(t)
	}
	return sqltest.SQLite(t)
}

func newStore(t testing.TB, tg sqltest.Target, db *sql.DB) *storesql.Store {
	t.Helper()
	s, err := storesql.New(db, tg.Dialect, storesql.WithTablePrefix(tg.Prefix))
	require.NoError(t, err)
	return s
}

func migrated(t testing.TB, tg sqltest.Target) *storesql.Store {
	t.Helper()
	s := newStore(t, tg, tg.Open(t))
	require.NoError(t, s.Migrate(context.Background()))
	return s
}

// The SQL store passes the conformance suite the MemoryStore passes: records, rollback, plans,
// outbox, cursor, leases, the whole workflow on eposttest, a crash between any two sync steps,
// and two syncers splitting a pass.
func TestConformance(t *testing.T) {
	t.Parallel()
	sqltest.Dialects(t, func(t *testing.T, tg sqltest.Target) {
		shippingtest.Run(t, func(t *testing.T) shipping.Store { return migrated(t, fresh(t, tg)) })
	})
}

// Two syncers, each on its own pool, over one database of 10,000 delivered waybills: each
// waybill is tracked once (trace requests counted per waybill number), each line changes
// once, both syncers do part of the work, and each event is offered once. Under -race the
// sizes shrink; .ci/run also runs this package without -race, at full size.
func TestTwoSyncersSplit10k(t *testing.T) {
	t.Parallel()
	sqltest.Dialects(t, func(t *testing.T, tg sqltest.Target) {
		n := 10_000
		switch {
		case testing.Short() || raceOn && tg.Dialect == storesql.SQLite:
			n = 500
		case raceOn:
			n = 2_000
		}
		a := migrated(t, tg)
		b := newStore(t, tg, tg.Open(t))
		start := time.Now()
		shippingtest.TwoSyncers(t, a, b, n)
		t.Logf("%s: %v", tg.Name, time.Since(start))
	})
}

// A syncer is killed (its context cancelled and its pool closed) at a random point of a
// sync, 200 times on fresh data: as it starts its k-th store call, k drawn from the calls a
// whole sync makes, so the points cover the sync whatever the machine's load; the pool closes
// concurrently, so the call in flight may or may not land. Each time another instance on its
// own pool first syncs while the dead one's leases still run (it may not take those
// waybills), then after they ended (it takes them over): every line ends delivered with
// exactly one change, no plan is left, and the pass closes.
func TestCrashLoop(t *testing.T) {
	t.Parallel()
	sqltest.Dialects(t, func(t *testing.T, tg sqltest.Target) {
		runs := 200
		if testing.Short() || raceOn && tg.Dialect == storesql.SQLite {
			runs = 30
		}
		ctx := context.Background()
		const perRun = 6
		lease := 10 * time.Minute
		opts := func(id string) shipping.SyncOptions {
			return shipping.SyncOptions{InstanceID: id, Concurrency: 2, BatchSize: 2, RateInterval: -1, Lease: lease}
		}
		// Calibrate: how many store calls a whole sync of one run makes.
		k := shippingtest.NewKit(t)
		counting := &killingStore{Store: migrated(t, fresh(t, tg))}
		shippingtest.SeedTracked(t, k, counting, "K-", perRun)
		counting.calls.Store(0)
		sy, err := k.Shipper(t, counting, nil).NewSyncer(opts("calibrate"))
		require.NoError(t, err)
		_, err = sy.SyncNow(ctx)
		require.NoError(t, err)
		span := counting.calls.Load()
		require.Greater(t, span, int64(5), "a sync makes several store calls")

		rng := rand.New(rand.NewPCG(7, uint64(len(tg.Name))))
		// One database for every run (fresh IDs each run, so earlier runs' delivered waybills
		// are no longer tracked); each run has its own fake and its own victim pool.
		s := migrated(t, tg)
		var waited, victimDone, takenOver int
		for run := 1; run <= runs; run++ {
			prefix := fmt.Sprintf("R%03d-", run)
			k := shippingtest.NewKit(t)
			shippingtest.SeedTracked(t, k, s, prefix, perRun)
			log := &shippingtest.EventLog{}

			victimDB := tg.Open(t)
			vctx, cancel := context.WithCancel(ctx)
			closed := make(chan error, 1)
			// The process dies: its context ends and its pool closes at once, so it gets no
			// chance to give its leases back.
			victimStore := &killingStore{Store: newStore(t, tg, victimDB), at: 1 + rng.Int64N(span), kill: func() {
				cancel()
				go func() { closed <- victimDB.Close() }() // Close waits for a running statement
			}}
			victim, err := k.Shipper(t, victimStore, log).NewSyncer(opts("victim"))
			require.NoError(t, err)
			_, verr := victim.SyncNow(vctx)
			if !victimStore.killed.Load() {
				victimStore.kill()
			}
			require.NoError(t, <-closed)
			if verr == nil {
				victimDone++
			}

			survivor, err := k.Shipper(t, s, log).NewSyncer(opts("survivor"))
			require.NoError(t, err)
			_, err = survivor.SyncNow(ctx)
			require.NoError(t, err, "run %d", run)
			held := 0
			for i := range perRun {
				l, err := s.WaybillLease(ctx, fmt.Sprintf("%s%07d", prefix, i))
				require.NoError(t, err)
				w, err := k.Shipper(t, s, nil).Waybill(ctx, fmt.Sprintf("%s%07d", prefix, i))
				require.NoError(t, err)
				// A lease on a waybill the victim finished is harmless; one on a waybill
				// still to track must hold it back until it ends.
				if l.Owner == "victim" && l.Until > k.Clock.Now().UnixMicro() && w.Tracking {
					held++
				}
			}
			var cur shipping.Cursor
			require.NoError(t, s.View(ctx, func(tx shipping.Tx) (err error) { cur, err = tx.Cursor(); return err }))
			if held > 0 {
				waited++
				require.True(t, cur.InPass, "run %d: the dead syncer's leased waybills wait for its lease", run)
			}
			// Later syncs, after the dead one's leases ended, take its waybills over. On
			// PostgreSQL the dead pool's backend may keep its row locks (SKIP LOCKED passes
			// them by) or land its last COMMIT a moment after the survivor looked, so the
			// survivor syncs until the pass is closed and no plan is left.
			k.Clock.Add(lease + time.Second)
			tracked := 0
			for try := 0; ; try++ {
				rep, err := survivor.SyncNow(ctx)
				require.NoError(t, err, "run %d", run)
				tracked += rep.Tracked
				var plans []shipping.Plan
				require.NoError(t, s.View(ctx, func(tx shipping.Tx) (err error) {
					if cur, err = tx.Cursor(); err != nil {
						return err
					}
					plans, err = tx.Plans()
					return err
				}))
				if !cur.InPass && len(plans) == 0 {
					break
				}
				require.Less(t, try, 200, "run %d: the survivor finishes the pass", run)
				time.Sleep(10 * time.Millisecond)
			}
			if held > 0 {
				require.GreaterOrEqual(t, tracked, held, "run %d: taken over", run)
				takenOver++
			}

			// Events the survivor could not hand over yet stay in the outbox: not lost.
			_, err = k.Shipper(t, s, log).DeliverEvents(ctx)
			require.NoError(t, err, "run %d", run)
			perLine := map[string]map[string]bool{}
			for _, ev := range log.All() {
				key := ev.OrderID + "/" + ev.LineID
				if perLine[key] == nil {
					perLine[key] = map[string]bool{}
				}
				perLine[key][ev.ID] = true
			}
			require.Len(t, perLine, perRun, "run %d: nothing lost", run)
			for key, ids := range perLine {
				require.Len(t, ids, 1, "run %d %s: nothing doubled", run, key)
			}
			require.NoError(t, s.View(ctx, func(tx shipping.Tx) error {
				ps, err := tx.Plans()
				require.Empty(t, ps, "run %d: no plan left", run)
				c, _ := tx.Cursor()
				require.False(t, c.InPass, "run %d: the pass closed", run)
				for i := range perRun {
					o, err := tx.Order(fmt.Sprintf("%s%07d", prefix, i))
					require.NoError(t, err)
					require.Equal(t, shipping.StatusDelivered, o.Lines[0].Status, "run %d", run)
				}
				return err
			}))
		}
		t.Logf("%s: %d runs; the victim finished %d; %d left leases the survivor waited out and took over (%d)", tg.Name, runs, victimDone, waited, takenOver)
		if runs >= 100 {
			assert.Positive(t, waited, "some kills left live leases")
		}
	})
}

// killingStore counts the store calls a syncer makes and runs kill as the at-th one starts
// (at 0: never).
type killingStore struct {
	shipping.Store
	calls  atomic.Int64
	at     int64
	kill   func()
	killed atomic.Bool
}

func (k *killingStore) hit() {
	if n := k.calls.Add(1); n == k.at && k.killed.CompareAndSwap(false, true) {
		k.kill()
	}
}

func (k *killingStore) Update(ctx context.Context, fn func(shipping.Tx) error) error {
	k.hit()
	return k.Store.Update(ctx, fn)
}

func (k *killingStore) View(ctx context.Context, fn func(shipping.Tx) error) error {
	k.hit()
	return k.Store.View(ctx, fn)
}

func (k *killingStore) LeaseWaybills(ctx context.Context, req shipping.LeaseRequest) ([]shipping.Waybill, error) {
	k.hit()
	return k.Store.LeaseWaybills(ctx, req)
}

func (k *killingStore) ReleaseWaybills(ctx context.Context, owner string, ids []string) error {
	k.hit()
	return k.Store.ReleaseWaybills(ctx, owner, ids)
}

func TestFaults(t *testing.T) {
	t.Parallel()
	sqltest.Dialects(t, func(t *testing.T, tg sqltest.Target) {
		ctx := context.Background()
		noop := func(shipping.Tx) error { return nil }
		req := shipping.LeaseRequest{Owner: "a", Pass: 1, Limit: 1, Now: time.Unix(0, 0), Until: time.Unix(60, 0)}

		// Before Migrate: a typed error that says to run it, for every call.
		s := newStore(t, tg, tg.Open(t))
		for _, err := range []error{s.Update(ctx, noop), s.View(ctx, noop), s.ReleaseWaybills(ctx, "a", []string{"x"})} {
			var se *storesql.SchemaError
			require.ErrorAs(t, err, &se)
			assert.ErrorIs(t, err, storesql.ErrSchemaOutdated)
			assert.Equal(t, 0, se.Have)
			assert.ErrorContains(t, err, "run Migrate")
		}
		_, err := s.LeaseWaybills(ctx, req)
		assert.ErrorIs(t, err, storesql.ErrSchemaOutdated)
		require.NoError(t, s.Migrate(ctx))
		require.NoError(t, s.Migrate(ctx), "Migrate twice is fine")
		require.NoError(t, s.Update(ctx, noop))

		// A schema migrated by a newer release: refused, and Migrate does not touch it.
		db := tg.Open(t)
		var current int
		require.NoError(t, db.QueryRowContext(ctx, "SELECT version FROM "+tg.Prefix+"schema_versions WHERE store = 'shipping'").Scan(&current))
		require.Equal(t, 2, current, "0002 adds the outbox's delivery lease")
		_, err = db.ExecContext(ctx, "UPDATE "+tg.Prefix+"schema_versions SET version = 99 WHERE store = 'shipping'")
		require.NoError(t, err)
		newer := newStore(t, tg, db)
		assert.ErrorIs(t, newer.Update(ctx, noop), storesql.ErrSchemaTooNew)
		err = newer.Migrate(ctx)
		assert.ErrorIs(t, err, storesql.ErrSchemaTooNew)
		assert.ErrorContains(t, err, "upgrade the code")
		_, err = db.ExecContext(ctx, "UPDATE "+tg.Prefix+"schema_versions SET version = "+strconv.Itoa(current)+" WHERE store = 'shipping'")
		require.NoError(t, err)

		// A closed pool.
		closedDB := tg.Open(t)
		closed := newStore(t, tg, closedDB)
		require.NoError(t, closed.View(ctx, noop))
		require.NoError(t, closedDB.Close())
		assert.ErrorIs(t, closed.Update(ctx, noop), storesql.ErrClosed)
		assert.ErrorIs(t, closed.View(ctx, noop), storesql.ErrClosed)
		_, err = closed.LeaseWaybills(ctx, req)
		assert.ErrorIs(t, err, storesql.ErrClosed)
		var e *storesql.Error
		require.ErrorAs(t, closed.ReleaseWaybills(ctx, "a", []string{"x"}), &e)
		assert.Equal(t, "storesql.ReleaseWaybills", e.Op)

		// Bad input: typed, never a panic.
		_, err = storesql.New(nil, 0, storesql.WithTablePrefix("no-dash"), storesql.WithMaxAttempts(-1))
		var ve *kshop.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Len(t, ve.Problems, 4)
		var nilCtx context.Context
		assert.ErrorAs(t, s.Migrate(nilCtx), &ve)
		assert.ErrorAs(t, s.Update(nilCtx, noop), &ve)
		_, err = s.LeaseWaybills(ctx, shipping.LeaseRequest{})
		assert.ErrorAs(t, err, &ve)
		_, err = s.WaybillLease(ctx, "nope")
		assert.ErrorIs(t, err, shipping.ErrNotFound)
	})
}

// A failure inside Update leaves nothing half-written: a transaction that hits a database
// error after some writes (here: a dropped connection on PostgreSQL) keeps none of them.
func TestDroppedConnectionLeavesNothing(t *testing.T) {
	t.Parallel()
	tg := sqltest.Postgres(t)
	ctx := context.Background()
	s := migrated(t, tg)
	admin := tg.Open(t)
	var once sync.Once
	err := s.Update(ctx, func(tx shipping.Tx) error {
		if err := tx.PutOrder(shippingtest.Order("D-1", "010-1234-5678")); err != nil {
			return err
		}
		var killErr error
		once.Do(func() {
			// Only this transaction's backend: the one whose last statement wrote this test's table.
			_, killErr = admin.ExecContext(ctx, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
				WHERE pid <> pg_backend_pid() AND state = 'idle in transaction' AND query LIKE $1`, "%"+tg.Prefix+"shipping_orders%")
		})
		if killErr != nil {
			return killErr
		}
		return tx.PutOrder(shippingtest.Order("D-2", "010-1234-5678"))
	})
	require.ErrorIs(t, err, storesql.ErrConnection)
	require.NoError(t, s.View(ctx, func(tx shipping.Tx) error {
		_, err1 := tx.Order("D-1")
		_, err2 := tx.Order("D-2")
		assert.ErrorIs(t, err1, shipping.ErrNotFound)
		assert.ErrorIs(t, err2, shipping.ErrNotFound)
		return nil
	}))
}
