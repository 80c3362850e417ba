package ledgersql_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/kshop-dev/kshop/alimtalk/ledgersql"
	"github.com/kshop-dev/kshop/internal/benchcmp"
	"github.com/kshop-dev/kshop/internal/sqlstore/sqltest"
)

// BenchmarkCompare measures Claim (fresh refs) at 1, 8 and 32 concurrent workers against a
// hand-written INSERT … ON CONFLICT DO NOTHING loop into a table of the same shape (and index)
// on the same pool of 32 connections, opened and kept idle before either side is timed
// (sqltest.BenchPool). PostgreSQL pairs run when KSHOP_TEST_POSTGRES_URL is set.
func BenchmarkCompare(b *testing.B) {
	ctx := context.Background()
	for _, tg := range sqltest.Targets(b) {
		db := sqltest.BenchPool(b, tg, 32)
		l := migrated(b, tg, db)
		base := tg.Prefix + "baseline"
		if _, err := db.ExecContext(ctx, "CREATE TABLE "+base+" (ref TEXT NOT NULL PRIMARY KEY, token TEXT NOT NULL, instance TEXT NOT NULL, claimed_at BIGINT NOT NULL)"); err != nil {
			b.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, "CREATE INDEX "+base+"_claimed_at ON "+base+" (claimed_at)"); err != nil {
			b.Fatal(err)
		}
		insert := "INSERT INTO " + base + " (ref, token, instance, claimed_at) VALUES (?, ?, ?, ?) ON CONFLICT (ref) DO NOTHING"
		if tg.Dialect == ledgersql.PostgreSQL {
			insert = "INSERT INTO " + base + " (ref, token, instance, claimed_at) VALUES ($1, $2, $3, $4) ON CONFLICT (ref) DO NOTHING"
		}
		run := 0
		for _, c := range []int{1, 8, 32} {
			benchcmp.Pair(b, fmt.Sprintf("ledgersql.Claim@%s-c%d", tg.Name, c), func(b *testing.B) {
				run++
				prefix := "k" + strconv.Itoa(run) + "-"
				sqltest.Workers(b, c, func(i int64) error {
					_, err := l.Claim(ctx, prefix+strconv.FormatInt(i, 10))
					return err
				})
			}, func(b *testing.B) {
				run++
				prefix := "b" + strconv.Itoa(run) + "-"
				sqltest.Workers(b, c, func(i int64) error {
					_, err := db.ExecContext(ctx, insert, prefix+strconv.FormatInt(i, 10), "0123456789abcdef0123456789abcdef", "bench", time.Now().UnixMicro())
					return err
				})
			})
		}
	}
}
