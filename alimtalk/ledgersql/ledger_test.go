package ledgersql_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/alimtalktest"
	"github.com/kshop-dev/kshop/alimtalk/ledgersql"
	"github.com/kshop-dev/kshop/internal/sqlstore/sqltest"
)

func newLedger(t testing.TB, tg sqltest.Target, db *sql.DB, opts ...ledgersql.Option) *ledgersql.Ledger {
	t.Helper()
	l, err := ledgersql.New(db, tg.Dialect, append([]ledgersql.Option{ledgersql.WithTablePrefix(tg.Prefix)}, opts...)...)
	require.NoError(t, err)
	return l
}

func migrated(t testing.TB, tg sqltest.Target, db *sql.DB, opts ...ledgersql.Option) *ledgersql.Ledger {
	t.Helper()
	l := newLedger(t, tg, db, opts...)
	require.NoError(t, l.Migrate(context.Background()))
	return l
}

func TestClaimRelease(t *testing.T) {
	t.Parallel()
	sqltest.Dialects(t, func(t *testing.T, tg sqltest.Target) {
		ctx := context.Background()
		at := time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)
		a := migrated(t, tg, tg.Open(t), ledgersql.WithInstanceID("web-1"), ledgersql.WithClock(func() time.Time { return at }))
		b := migrated(t, tg, tg.Open(t), ledgersql.WithInstanceID("web-2"))

		ok, err := a.Claim(ctx, "at-1")
		require.NoError(t, err)
		assert.True(t, ok, "first claim wins")
		ok, err = a.Claim(ctx, "at-1")
		require.NoError(t, err)
		assert.False(t, ok, "second claim by the same ledger loses")
		ok, err = b.Claim(ctx, "at-1")
		require.NoError(t, err)
		assert.False(t, ok, "a claim from another instance loses")

		c, found, err := b.Lookup(ctx, "at-1")
		require.NoError(t, err)
		require.True(t, found)
		assert.Equal(t, ledgersql.Claim{Ref: "at-1", Instance: "web-1", ClaimedAt: at, Mine: false}, c)
		c, _, err = a.Lookup(ctx, "at-1")
		require.NoError(t, err)
		assert.True(t, c.Mine)

		assert.ErrorIs(t, b.Release(ctx, "at-1"), ledgersql.ErrNotHeld, "b never claimed it")
		_, found, _ = a.Lookup(ctx, "at-1")
		assert.True(t, found, "a foreign release frees nothing")

		require.NoError(t, a.Release(ctx, "at-1"))
		assert.ErrorIs(t, a.Release(ctx, "at-1"), ledgersql.ErrNotHeld, "released once only")
		_, found, _ = a.Lookup(ctx, "at-1")
		assert.False(t, found)
		ok, err = b.Claim(ctx, "at-1")
		require.NoError(t, err)
		assert.True(t, ok, "a released ref can be claimed again")

		// A restarted instance (a new Ledger on the same database) cannot release the old claim.
		restarted := migrated(t, tg, tg.Open(t), ledgersql.WithInstanceID("web-2"))
		assert.ErrorIs(t, restarted.Release(ctx, "at-1"), ledgersql.ErrNotHeld)

		n, err := a.Prune(ctx, time.Now().Add(time.Hour))
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
		_, found, _ = a.Lookup(ctx, "at-1")
		assert.False(t, found)
	})
}

func TestSchemaVersions(t *testing.T) {
	t.Parallel()
	sqltest.Dialects(t, func(t *testing.T, tg sqltest.Target) {
		ctx := context.Background()
		db := tg.Open(t)
		l := newLedger(t, tg, db)

		_, err := l.Claim(ctx, "at-1")
		var se *ledgersql.SchemaError
		require.ErrorAs(t, err, &se, "no tables yet")
		assert.ErrorIs(t, err, ledgersql.ErrSchemaOutdated)
		assert.Equal(t, 0, se.Have)
		assert.Contains(t, err.Error(), "run Migrate")

		// Eight instances migrate at once: all succeed, the schema is created once.
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = newLedger(t, tg, tg.Open(t)).Migrate(ctx)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "instance %d", i)
		}
		ok, err := l.Claim(ctx, "at-1")
		require.NoError(t, err)
		assert.True(t, ok)

		// A newer release migrated the tables: this code refuses them.
		_, err = db.ExecContext(ctx, "UPDATE "+tg.Prefix+"schema_versions SET version = 99")
		require.NoError(t, err)
		fresh := newLedger(t, tg, tg.Open(t))
		_, err = fresh.Claim(ctx, "at-2")
		require.ErrorAs(t, err, &se)
		assert.ErrorIs(t, err, ledgersql.ErrSchemaTooNew)
		assert.Equal(t, 99, se.Have)
		err = fresh.Migrate(ctx)
		assert.ErrorIs(t, err, ledgersql.ErrSchemaTooNew, "Migrate refuses to touch a newer schema")
		var v int
		require.NoError(t, db.QueryRowContext(ctx, "SELECT version FROM "+tg.Prefix+"schema_versions").Scan(&v))
		assert.Equal(t, 99, v)
		_, found, err := fresh.Lookup(ctx, "at-2")
		assert.ErrorIs(t, err, ledgersql.ErrSchemaTooNew)
		assert.False(t, found)
	})
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	tg := sqltest.SQLite(t)
	db := tg.Open(t)
	var ve *kshop.ValidationError

	_, err := ledgersql.New(nil, 0, ledgersql.WithTablePrefix("shop-orders"), ledgersql.WithMaxAttempts(-1), nil)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "ledgersql.New", ve.Op)
	var fields []string
	for _, p := range ve.Problems {
		fields = append(fields, p.Field)
	}
	assert.Equal(t, []string{"db", "dialect", "WithTablePrefix", "WithMaxAttempts"}, fields)

	l := migrated(t, tg, db)
	//lint:ignore SA1012 a nil context is the bad input under test
	_, err = l.Claim(nil, "at-1")
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "ctx", ve.Problems[0].Field)
	_, err = l.Claim(context.Background(), "")
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, kshop.RuleRequired, ve.Problems[0].Rule)
	long := string(make([]byte, ledgersql.MaxRefLength+1))
	_, err = l.Claim(context.Background(), long)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, kshop.RuleTooLong, ve.Problems[0].Rule)
	assert.ErrorIs(t, l.Release(context.Background(), ""), kshop.ErrInvalid)
	//lint:ignore SA1012 a nil context is the bad input under test
	assert.ErrorIs(t, l.Migrate(nil), kshop.ErrInvalid)
}

func TestClosedPool(t *testing.T) {
	t.Parallel()
	sqltest.Dialects(t, func(t *testing.T, tg sqltest.Target) {
		ctx := context.Background()
		db := tg.Open(t)
		l := migrated(t, tg, db)
		ok, err := l.Claim(ctx, "at-held")
		require.NoError(t, err)
		require.True(t, ok)
		require.NoError(t, db.Close())

		ok, err = l.Claim(ctx, "at-1")
		assert.False(t, ok)
		var e *ledgersql.Error
		require.ErrorAs(t, err, &e)
		assert.ErrorIs(t, err, ledgersql.ErrClosed)
		assert.Equal(t, "ledgersql.Claim", e.Op)
		assert.ErrorIs(t, l.Release(ctx, "at-held"), ledgersql.ErrClosed)

		other := migrated(t, tg, tg.Open(t))
		_, found, err := other.Lookup(ctx, "at-1")
		require.NoError(t, err)
		assert.False(t, found, "no claim was written")
		_, found, _ = other.Lookup(ctx, "at-held")
		assert.True(t, found, "a failed release keeps the claim")
	})
}

// dispatcherKit builds dispatchers sharing one fake provider.
type dispatcherKit struct {
	provider  *alimtalktest.Sender
	templates alimtalk.TemplateSet
	cfg       alimtalk.Config
	clock     func() time.Time
}

func newKit() *dispatcherKit {
	clock := func() time.Time { return time.Date(2026, 3, 20, 14, 0, 0, 0, kshop.KST()) }
	return &dispatcherKit{
		provider:  alimtalktest.NewSender(alimtalktest.WithClock(clock)),
		templates: alimtalk.NewTemplateSet(alimtalk.Template{Code: "ORDER_C", Content: "[#{shopName}] #{customerName}님의 주문 #{orderNo} 접수"}),
		cfg: alimtalk.Config{
			Enabled: true, OrderEnabled: true, ShopName: "리리비", ShopURL: "https://lilibi.example.com", SenderNumber: "02-123-4567",
			Events: map[alimtalk.EventKind]alimtalk.EventConfig{
				alimtalk.EventOrderReceived: {Enabled: true, TemplateCode: "ORDER_C", Audience: alimtalk.AudienceCustomer},
			},
		},
		clock: clock,
	}
}

func (k *dispatcherKit) dispatcher(t testing.TB, l alimtalk.Ledger) *alimtalk.Dispatcher {
	t.Helper()
	d, err := alimtalk.NewDispatcher(k.cfg, k.provider, k.templates, alimtalk.WithLedger(l), alimtalk.WithClock(k.clock))
	require.NoError(t, err)
	return d
}

func event(i int) alimtalk.Event {
	return alimtalk.Event{Kind: alimtalk.EventOrderReceived, ID: "order-" + strconv.Itoa(i), OrderNo: strconv.Itoa(i),
		CustomerName: "홍길동", CustomerPhone: fmt.Sprintf("010-%04d-%04d", 1000+i%9000, i)}
}

// Eight instances (separate pools) dispatch the same 1,000 events at once: the provider gets
// each exactly once.
func TestDispatchersExactlyOnce(t *testing.T) {
	t.Parallel()
	sqltest.Dialects(t, func(t *testing.T, tg sqltest.Target) {
		const instances, events = 8, 1000
		kit := newKit()
		var ds []*alimtalk.Dispatcher
		for i := range instances {
			ds = append(ds, kit.dispatcher(t, migrated(t, tg, tg.Open(t), ledgersql.WithInstanceID("i"+strconv.Itoa(i)))))
		}
		var dupes, fails atomic.Int64
		var wg sync.WaitGroup
		for i, d := range ds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(i), 7))
				for _, e := range rng.Perm(events) {
					rep, err := d.Dispatch(context.Background(), event(e))
					if err != nil || len(rep.Deliveries) != 1 {
						fails.Add(1)
						continue
					}
					switch rep.Deliveries[0].Status {
					case alimtalk.StatusDuplicate:
						dupes.Add(1)
					case alimtalk.StatusAccepted:
					default:
						fails.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		assert.Zero(t, fails.Load())
		accepted := kit.provider.Accepted()
		assert.Len(t, accepted, events, "every event sent exactly once")
		seen := map[string]bool{}
		for _, m := range accepted {
			assert.False(t, seen[m.Ref], "ref %s sent twice", m.Ref)
			seen[m.Ref] = true
		}
		assert.Equal(t, int64(instances*events-events), dupes.Load())
	})
}

// A worker is killed (context cancelled, pool closed) at a random point while dispatching;
// a fresh instance then dispatches everything again. Nothing is sent twice, and every event
// is either sent or held by a claim of the killed instance (an unknown outcome, visible to
// Lookup for reconciliation): none is silently dropped.
// hookLedger calls hook before and after each Claim and Release: the kill points of the
// crash loop.
type hookLedger struct {
	alimtalk.Ledger
	hook func()
}

func (h *hookLedger) Claim(ctx context.Context, ref string) (bool, error) {
	h.hook()
	defer h.hook()
	return h.Ledger.Claim(ctx, ref)
}

func (h *hookLedger) Release(ctx context.Context, ref string) error {
	h.hook()
	defer h.hook()
	return h.Ledger.Release(ctx, ref)
}

func TestCrashLoop(t *testing.T) {
	t.Parallel()
	runs := 200
	if testing.Short() {
		runs = 40
	}
	sqltest.Dialects(t, func(t *testing.T, tg sqltest.Target) {
		ctx := context.Background()
		migrated(t, tg, tg.Open(t))
		survivorLedger := newLedger(t, tg, tg.Open(t), ledgersql.WithInstanceID("survivor"))
		rng := rand.New(rand.NewPCG(42, uint64(len(tg.Name))))
		// Calibrate: how long a worker with a new pool takes for a batch, so kills land
		// anywhere in it (before the first claim, between claim and send, after the send).
		calib := newKit()
		start := time.Now()
		cd := calib.dispatcher(t, newLedger(t, tg, tg.Open(t)))
		for i := range 4 {
			rep, err := cd.Dispatch(ctx, event(9000+i))
			require.NoError(t, err)
			require.Equal(t, alimtalk.StatusAccepted, rep.Deliveries[0].Status)
		}
		span := time.Since(start)
		var heldByDead, sent, sentByVictim int
		for run := range runs {
			kit := newKit()
			const batch = 4
			evs := make([]alimtalk.Event, batch)
			for i := range evs {
				evs[i] = event(run*batch + i)
			}
			victimDB := tg.Open(t)
			victimID := "victim-" + strconv.Itoa(run)
			vctx, cancel := context.WithCancel(ctx)
			var once sync.Once
			closed := make(chan struct{})
			kill := func() {
				once.Do(func() {
					cancel()
					go func() { _ = victimDB.Close(); close(closed) }()
				})
			}
			// Even runs die at a chosen step (before or after the n-th claim), odd
			// runs at a random instant (inside a statement, while connecting).
			step := -1
			if run%2 == 0 {
				step = rng.IntN(2*batch + 1) // before or after one of the claims
			}
			var steps atomic.Int32
			hook := func() {
				if int(steps.Add(1))-1 == step {
					kill()
				}
			}
			victim := kit.dispatcher(t, &hookLedger{newLedger(t, tg, victimDB, ledgersql.WithInstanceID(victimID)), hook})
			done := make(chan struct{})
			go func() {
				defer close(done)
				for _, e := range evs {
					if _, err := victim.Dispatch(vctx, e); errors.Is(err, context.Canceled) {
						return
					}
				}
			}()
			if step < 0 {
				time.Sleep(time.Duration(rng.Int64N(int64(span) + 1)))
				kill()
			}
			<-done
			kill()
			<-closed

			survivor := kit.dispatcher(t, survivorLedger)
			for _, e := range evs {
				_, err := survivor.Dispatch(ctx, e)
				require.NoError(t, err)
			}
			count := map[string]int{}
			for _, m := range kit.provider.Accepted() {
				count[m.Ref]++
			}
			for _, e := range evs {
				ref := alimtalk.DeliveryRef(e.Kind, e.ID, alimtalk.AudienceCustomer, e.CustomerPhone)
				require.LessOrEqual(t, count[ref], 1, "run %d: %s sent twice", run, ref)
				c, found, err := survivorLedger.Lookup(ctx, ref)
				require.NoError(t, err)
				require.True(t, found, "run %d: every ref ends claimed", run)
				if count[ref] == 0 {
					require.Equal(t, victimID, c.Instance, "run %d: an unsent ref is held by the killed instance only", run)
					heldByDead++
				} else {
					sent++
					if c.Instance == victimID {
						sentByVictim++
					}
				}
			}
		}
		t.Logf("%d runs: %d sent once (%d by the worker before it was killed), %d held by the killed worker", runs, sent, sentByVictim, heldByDead)
		assert.Positive(t, sentByVictim, "kills landed after some sends")
		assert.Less(t, sentByVictim, sent, "kills landed before some sends")
	})
}
