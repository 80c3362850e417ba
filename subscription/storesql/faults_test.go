package storesql_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/internal/sqlstore/sqltest"
	"github.com/kshop-dev/kshop/subscription"
	"github.com/kshop-dev/kshop/subscription/storesql"
)

// Faults of the database reach the caller typed and leave no claim behind: a closed pool and a
// schema newer than the code. (A full disk and a connection dropped mid-transaction go through
// the same sqlstore calls, tested in internal/sqlstore: ErrDiskFull, ErrConnection, nothing
// written.)
func TestFaultsLeaveNoClaim(t *testing.T) {
	t.Parallel()
	sqltest.Dialects(t, func(t *testing.T, tg sqltest.Target) {
		ctx := context.Background()
		clk := &clock{t: kst(2026, 3, 1, 9)}
		rules, err := subscription.NewRules(subscription.WithTimeSource(clk))
		require.NoError(t, err)
		good := newStore(t, tg, tg.Open(t), rules, clk)
		require.NoError(t, good.Migrate(ctx))
		_, err = good.Create(ctx, newSub(t, rules, "S-F", subscription.Date{Year: 2026, Month: 3, Day: 10}, subscription.Cycle1M))
		require.NoError(t, err)
		clk.Set(kst(2026, 3, 8, 9))
		due, err := good.Due(ctx, clk.Now())
		require.NoError(t, err)
		require.Len(t, due, 1)
		act := due[0]
		unclaimed := func(msg string) {
			t.Helper()
			_, found, err := good.Action(ctx, act.ID())
			require.NoError(t, err)
			assert.False(t, found, msg)
		}

		// A closed pool.
		closedDB := tg.Open(t)
		closed := newStore(t, tg, closedDB, rules, clk)
		require.NoError(t, closedDB.Close())
		_, ok, err := closed.Claim(ctx, act)
		assert.False(t, ok)
		assert.ErrorIs(t, err, storesql.ErrClosed)
		unclaimed("a closed pool claims nothing")

		// A schema migrated by a newer release: refused before anything is written.
		db := tg.Open(t)
		_, err = db.ExecContext(ctx, "UPDATE "+tg.Prefix+"schema_versions SET version = version + 90 WHERE store = 'subscription'")
		require.NoError(t, err)
		newer := newStore(t, tg, tg.Open(t), rules, clk)
		_, ok, err = newer.Claim(ctx, act)
		assert.False(t, ok)
		assert.ErrorIs(t, err, storesql.ErrSchemaTooNew)
		_, err = db.ExecContext(ctx, "UPDATE "+tg.Prefix+"schema_versions SET version = version - 90 WHERE store = 'subscription'")
		require.NoError(t, err)
		unclaimed("a newer schema claims nothing")

	})
}
