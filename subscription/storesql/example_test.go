package storesql_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/subscription"
	"github.com/kshop-dev/kshop/subscription/storesql"
)

// A subscription stored on SQLite; two workers see the notice due, one claims it, sends it
// and records it; the other finds nothing to do.
func Example() {
	dir, _ := os.MkdirTemp("", "storesql-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 3, 20, 9, 0, 0, 0, kshop.KST())}
	rules, _ := subscription.NewRules(subscription.WithTimeSource(clk))

	db, _ := sql.Open("sqlite", storesql.SQLiteDSN(filepath.Join(dir, "shop.db")))
	defer db.Close()
	store, _ := storesql.New(db, storesql.SQLite, rules, storesql.WithClock(clk.Now))
	if err := store.Migrate(ctx); err != nil {
		fmt.Println(err)
		return
	}
	sub, err := subscription.NewSubscription(plan(), rules, subscription.Application{
		ID: "S-1", Customer: subscription.Customer{ID: "m-1", Name: "홍길동", Phone: "01012345678"},
		Receiver: subscription.Receiver{Name: "홍길동", Phone: "01012345678", Address1: "서울 중구 세종대로 110"},
		Start:    subscription.Date{Year: 2026, Month: 3, Day: 31}, Cycle: subscription.Cycle1M,
		Items:         []subscription.Item{{Product: subscription.Product{ID: "bean", SubscriptionEnabled: true}, Name: "원두", Quantity: 1, UnitPrice: 15000}},
		PaymentMethod: subscription.PaymentCard, BillingKeyRef: "bk_1",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, _ = store.Create(ctx, sub)

	clk.Set(time.Date(2026, 3, 29, 9, 0, 0, 0, kshop.KST()))
	for _, worker := range []string{"worker-1", "worker-2"} {
		due, _ := store.Due(ctx, clk.Now())
		for _, a := range due {
			claim, ok, _ := store.Claim(ctx, a)
			if !ok {
				fmt.Println(worker, "skips", a.ID())
				continue
			}
			fmt.Println(worker, "sends the notice with key", a.ID())
			_, err := store.Record(ctx, claim, func(s *subscription.Subscription) ([]subscription.Event, error) {
				return nil, s.RecordNoticeSent(a)
			})
			fmt.Println(worker, "recorded:", err)
		}
		if len(due) == 0 {
			fmt.Println(worker, "has nothing due")
		}
	}
	_, version, _ := store.Get(ctx, "S-1")
	fmt.Println("version", version)
	// Output:
	// worker-1 sends the notice with key S-1/0/notice
	// worker-1 recorded: <nil>
	// worker-2 has nothing due
	// version 2
}

// A stale write is refused with a *ConflictError.
func ExampleStore_Save() {
	ctx := context.Background()
	rules, _ := subscription.NewRules(subscription.WithTimeSource(&clock{t: time.Date(2026, 3, 20, 9, 0, 0, 0, kshop.KST())}))
	db, _ := sql.Open("sqlite", "file::memory:")
	db.SetMaxOpenConns(1)
	defer db.Close()
	store, _ := storesql.New(db, storesql.SQLite, rules)
	_ = store.Migrate(ctx)
	sub, _ := subscription.NewSubscription(plan(), rules, subscription.Application{
		ID: "S-1", Customer: subscription.Customer{ID: "m-1", Name: "홍길동", Phone: "01012345678"},
		Receiver: subscription.Receiver{Name: "홍길동", Phone: "01012345678", Address1: "서울 중구 세종대로 110"},
		Start:    subscription.Date{Year: 2026, Month: 3, Day: 31}, Cycle: subscription.Cycle1M,
		Items:         []subscription.Item{{Product: subscription.Product{ID: "bean", SubscriptionEnabled: true}, Name: "원두", Quantity: 1, UnitPrice: 15000}},
		PaymentMethod: subscription.PaymentCard, BillingKeyRef: "bk_1",
	})
	_, _ = store.Create(ctx, sub)

	admin, v1, _ := store.Get(ctx, "S-1")
	buyer, _, _ := store.Get(ctx, "S-1")
	_ = admin.Pause(subscription.ActorBuyer)
	v2, err := store.Save(ctx, admin, v1)
	fmt.Println(v2, err)
	_ = buyer.ChangeCycle(subscription.ActorBuyer, subscription.Cycle2W)
	_, err = store.Save(ctx, buyer, v1)
	fmt.Println(err)
	// Output:
	// 2 <nil>
	// storesql.Save: subscription "S-1" is at version 2, not 1: reload it and apply the change again
}
