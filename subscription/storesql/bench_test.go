package storesql_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/kshop-dev/kshop/internal/benchcmp"
	"github.com/kshop-dev/kshop/internal/sqlstore/sqltest"
	"github.com/kshop-dev/kshop/subscription"
	"github.com/kshop-dev/kshop/subscription/storesql"
)

// BenchmarkCompare measures action Claim (fresh action IDs) at 1, 8 and 32 concurrent
// workers against a hand-written INSERT … ON CONFLICT DO NOTHING loop into a table of the
// same shape on the same pool of 32 connections, opened and kept idle before either side is
// timed (sqltest.BenchPool). PostgreSQL pairs run when KSHOP_TEST_POSTGRES_URL is set.
func BenchmarkCompare(b *testing.B) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	rules, err := subscription.NewRules(subscription.WithTimeSource(clk))
	if err != nil {
		b.Fatal(err)
	}
	for _, tg := range sqltest.Targets(b) {
		db := sqltest.BenchPool(b, tg, 32)
		st := newStore(b, tg, db, rules, clk)
		if err := st.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		base := tg.Prefix + "baseline"
		if _, err := db.ExecContext(ctx, "CREATE TABLE "+base+` (action_id TEXT NOT NULL PRIMARY KEY, subscription_id TEXT NOT NULL,
			token TEXT NOT NULL, instance TEXT NOT NULL, attempts INTEGER NOT NULL, claimed_at BIGINT NOT NULL, lease_until BIGINT NOT NULL, done_at BIGINT)`); err != nil {
			b.Fatal(err)
		}
		insert := "INSERT INTO " + base + " (action_id, subscription_id, token, instance, attempts, claimed_at, lease_until, done_at) VALUES (?, ?, ?, ?, 1, ?, ?, NULL) ON CONFLICT (action_id) DO NOTHING"
		if tg.Dialect == storesql.PostgreSQL {
			insert = "INSERT INTO " + base + " (action_id, subscription_id, token, instance, attempts, claimed_at, lease_until, done_at) VALUES ($1, $2, $3, $4, 1, $5, $6, NULL) ON CONFLICT (action_id) DO NOTHING"
		}
		run := 0
		for _, c := range []int{1, 8, 32} {
			benchcmp.Pair(b, fmt.Sprintf("storesql.Claim@%s-c%d", tg.Name, c), func(b *testing.B) {
				run++
				sub := "K" + strconv.Itoa(run)
				sqltest.Workers(b, c, func(i int64) error {
					a := subscription.Action{Kind: subscription.ActionCharge, SubscriptionID: sub, RoundSeq: int(i), Round: int(i), Attempt: 1, At: clk.Now()}
					_, _, err := st.Claim(ctx, a)
					return err
				})
			}, func(b *testing.B) {
				run++
				sub := "B" + strconv.Itoa(run)
				sqltest.Workers(b, c, func(i int64) error {
					now := time.Now()
					_, err := db.ExecContext(ctx, insert, sub+"/"+strconv.FormatInt(i, 10)+"/charge/1", sub, "0123456789abcdef0123456789abcdef", "bench", now.UnixMicro(), now.Add(5*time.Minute).UnixMicro())
					return err
				})
			})
		}
	}
}
