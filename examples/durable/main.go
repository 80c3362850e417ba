// Command durable shows the SQLite AlimTalk ledger surviving a restart: it dispatches three
// order events, closes the database as a stopping process would, reopens it as the next
// process, dispatches the same events again, and shows that the second pass sent nothing.
// Run it twice with the same -db file and the second run sends nothing either:
// go run ./examples/durable -db /var/lib/shop/alimtalk.db.
// Many instances share PostgreSQL instead: sql.Open("pgx", "postgres://user:password@host:5432/shop")
// with github.com/jackc/pgx/v5/stdlib, and ledgersql.PostgreSQL.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"

	_ "modernc.org/sqlite"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/alimtalktest"
	"github.com/kshop-dev/kshop/alimtalk/ledgersql"
)

func main() {
	path := flag.String("db", "", "SQLite database file (default: a new one under os.TempDir())")
	flag.Parse()
	if *path == "" {
		dir, err := os.MkdirTemp("", "kshop-durable")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
		*path = filepath.Join(dir, "alimtalk.db")
	}
	provider := alimtalktest.NewSender() // in production: a provider client such as ssoda's
	for process := 1; process <= 2; process++ {
		before := len(provider.Accepted())
		if err := run(*path, provider); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("process %d: sent %d new messages\n", process, len(provider.Accepted())-before)
	}
}

// run is one process's life: open the ledger, migrate, dispatch, close.
func run(path string, provider alimtalk.Sender) error {
	ctx := context.Background()
	db, err := sql.Open("sqlite", ledgersql.SQLiteDSN(path))
	if err != nil {
		return err
	}
	defer db.Close()
	ledger, err := ledgersql.New(db, ledgersql.SQLite, ledgersql.WithInstanceID("shop-web"))
	if err != nil {
		return err
	}
	if err := ledger.Migrate(ctx); err != nil {
		return err
	}
	cfg := alimtalk.Config{Enabled: true, OrderEnabled: true, ShopName: "리리비", ShopURL: "https://lilibi.example.com",
		SenderNumber: "02-123-4567", Events: map[alimtalk.EventKind]alimtalk.EventConfig{
			alimtalk.EventOrderReceived: {Enabled: true, TemplateCode: "ORDER_C", Audience: alimtalk.AudienceCustomer}}}
	templates := alimtalk.NewTemplateSet(alimtalk.Template{Code: "ORDER_C", Content: "[#{shopName}] #{customerName}님의 주문 #{orderNo} 접수"})
	d, err := alimtalk.NewDispatcher(cfg, provider, templates, alimtalk.WithLedger(ledger))
	if err != nil {
		return err
	}
	for i := 1; i <= 3; i++ {
		ev := alimtalk.Event{Kind: alimtalk.EventOrderReceived, ID: "order-" + strconv.Itoa(i), OrderNo: strconv.Itoa(1000 + i),
			CustomerName: "홍길동", CustomerPhone: "010-1234-567" + strconv.Itoa(i)}
		if _, err := d.Dispatch(ctx, ev); err != nil {
			return err
		}
	}
	return nil
}
