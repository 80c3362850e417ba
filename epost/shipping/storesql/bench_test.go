package storesql_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/kshop-dev/kshop/epost/shipping"
	"github.com/kshop-dev/kshop/epost/shipping/shippingtest"
	"github.com/kshop-dev/kshop/epost/shipping/storesql"
	"github.com/kshop-dev/kshop/internal/benchcmp"
	"github.com/kshop-dev/kshop/internal/sqlstore/sqltest"
)

// BenchmarkCompare measures the sync's lease overhead: leasing a batch of 64 waybills and
// releasing it through the store, against a hand-written claim loop (UPDATE … WHERE id IN
// (SELECT … LIMIT 64 FOR UPDATE SKIP LOCKED) RETURNING the records, decoded as the syncer
// needs them, then the release UPDATE) on the same pool and table; ns/waybill is the cost per
// leased waybill. PostgreSQL pairs run when KSHOP_TEST_POSTGRES_URL is set.
func BenchmarkCompare(b *testing.B) {
	const batch = 64
	ctx := context.Background()
	for _, tg := range sqltest.Targets(b) {
		s := migrated(b, tg)
		shippingtest.SeedTracked(b, shippingtest.NewKit(b), s, "L", 1024)
		db := tg.Open(b)
		lock := ""
		if tg.Dialect == storesql.PostgreSQL {
			lock = " FOR UPDATE SKIP LOCKED"
		}
		ph := func(q string) string {
			if tg.Dialect != storesql.PostgreSQL {
				return q
			}
			n := 0
			out := []byte{}
			for i := 0; i < len(q); i++ {
				if q[i] == '?' {
					n++
					out = append(out, fmt.Sprintf("$%d", n)...)
					continue
				}
				out = append(out, q[i])
			}
			return string(out)
		}
		claim := ph(`UPDATE ` + tg.Prefix + `shipping_waybills SET lease_owner = ?, lease_until = ?
			WHERE id IN (SELECT id FROM ` + tg.Prefix + `shipping_waybills WHERE tracking = 1 AND synced_pass < ? AND (lease_owner = ? OR lease_until <= ?)
			ORDER BY id LIMIT ?` + lock + `) RETURNING data`)
		release := ph(`UPDATE ` + tg.Prefix + `shipping_waybills SET lease_owner = '', lease_until = 0 WHERE lease_owner = ?`)
		now := time.Now()
		benchcmp.Pair(b, "shipping.LeaseWaybills@"+tg.Name, func(b *testing.B) {
			for b.Loop() {
				ws, err := s.LeaseWaybills(ctx, shipping.LeaseRequest{Owner: "bench", Pass: 1, Limit: batch, Now: now, Until: now.Add(time.Minute)})
				if err != nil || len(ws) != batch {
					b.Fatal(err, len(ws))
				}
				ids := make([]string, len(ws))
				for i, w := range ws {
					ids[i] = w.ID
				}
				if err := s.ReleaseWaybills(ctx, "bench", ids); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batch), "ns/waybill")
		}, func(b *testing.B) {
			for b.Loop() {
				rows, err := db.QueryContext(ctx, claim, "bench", now.Add(time.Minute).UnixMicro(), 1, "bench", now.UnixMicro(), batch)
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for rows.Next() {
					var data []byte
					var w shipping.Waybill
					if err := rows.Scan(&data); err != nil {
						b.Fatal(err)
					}
					if err := json.Unmarshal(data, &w); err != nil {
						b.Fatal(err)
					}
					n++
				}
				_ = rows.Close()
				if n != batch {
					b.Fatal(n)
				}
				if _, err := db.ExecContext(ctx, release, "bench"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batch), "ns/waybill")
		})
	}
}
