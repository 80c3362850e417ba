package storesql_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite"

	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/eposttest"
	"github.com/kshop-dev/kshop/epost/shipping"
	"github.com/kshop-dev/kshop/epost/shipping/storesql"
)

// The workflow on SQLite survives a restart: one "process" books and prints a parcel; a new
// one over the same file syncs it to 배송완료.
func Example() {
	dir, _ := os.MkdirTemp("", "shipping-storesql")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	srv := eposttest.NewServer(eposttest.Options{})
	defer srv.Close()
	client, _ := srv.NewClient(epost.WithRetry(0, 0))
	cfg := shipping.Config{OfficeSer: eposttest.DefaultOfficeSer, ShopName: "케이샵"}
	open := func() (*sql.DB, *storesql.Store) {
		db, _ := sql.Open("sqlite", storesql.SQLiteDSN(filepath.Join(dir, "shop.db")))
		store, _ := storesql.New(db, storesql.SQLite, storesql.WithTablePrefix("shop_"))
		return db, store
	}

	db, store := open()
	if err := store.Migrate(ctx); err != nil {
		fmt.Println(err)
		return
	}
	sh, _ := shipping.New(client, store, cfg)
	_ = sh.AddOrders(ctx, shipping.Order{ID: "A1", Recipient: shipping.Recipient{Name: "홍길동", Zip: "04524",
		Addr1: "서울 중구 세종대로 110", Addr2: "1층", Mobile: "010-1234-5678"},
		Lines: []shipping.Line{{ID: "1", GoodsName: "원두 200g", Qty: 1, Status: shipping.StatusPaid}}})
	_, _ = sh.Issue(ctx, shipping.IssueRequest{Mode: shipping.PerOrder})
	res, err := sh.Reserve(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, _ = sh.MarkPrinted(ctx, "A1")
	srv.AddTraceEvent(res.Reserved[0].RegiNo, eposttest.TraceEvent{Place: "서울중앙우체국", Status: "배달완료"})
	_ = db.Close() // the process ends

	db, store = open()
	defer db.Close()
	sh, _ = shipping.New(client, store, cfg)
	syncer, _ := sh.NewSyncer(shipping.SyncOptions{InstanceID: "web-1", RateInterval: -1})
	rep, err := syncer.SyncNow(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ev := range rep.Events {
		fmt.Println(ev.OrderID, ev.LineID, ev.From, "→", ev.To, ev.Cause)
	}
	// Output:
	// A1 1 d1 배송중 → d2 배송완료 tracking
}
