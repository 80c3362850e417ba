package ledgersql_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite"

	"github.com/kshop-dev/kshop/alimtalk/ledgersql"
)

// A ledger on SQLite: the first claim of a ref wins, a second one (here after a restart, from
// a new pool and Ledger) loses, and only the ledger that claimed a ref can release it.
func Example() {
	dir, _ := os.MkdirTemp("", "ledgersql-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "shop.db")
	ctx := context.Background()

	db, _ := sql.Open("sqlite", ledgersql.SQLiteDSN(path))
	ledger, _ := ledgersql.New(db, ledgersql.SQLite, ledgersql.WithInstanceID("web-1"))
	if err := ledger.Migrate(ctx); err != nil {
		fmt.Println(err)
		return
	}
	fresh, _ := ledger.Claim(ctx, "at-0123456789abcdef")
	fmt.Println("first claim:", fresh)
	_ = db.Close()

	db, _ = sql.Open("sqlite", ledgersql.SQLiteDSN(path))
	defer db.Close()
	restarted, _ := ledgersql.New(db, ledgersql.SQLite, ledgersql.WithInstanceID("web-1"))
	_ = restarted.Migrate(ctx) // nothing to do
	again, _ := restarted.Claim(ctx, "at-0123456789abcdef")
	fmt.Println("after a restart:", again)
	fmt.Println(restarted.Release(ctx, "at-0123456789abcdef"))
	c, _, _ := restarted.Lookup(ctx, "at-0123456789abcdef")
	fmt.Println("claimed by", c.Instance)
	// Output:
	// first claim: true
	// after a restart: false
	// ledgersql: this ledger holds no claim on the ref; nothing released
	// claimed by web-1
}

// Before Migrate the ledger refuses to work, with an error that says what to do.
func ExampleLedger_Migrate() {
	db, _ := sql.Open("sqlite", "file::memory:")
	db.SetMaxOpenConns(1) // one in-memory database
	defer db.Close()
	ledger, _ := ledgersql.New(db, ledgersql.SQLite, ledgersql.WithTablePrefix("shop_"))
	_, err := ledger.Claim(context.Background(), "at-1")
	fmt.Println(err)
	fmt.Println(ledger.Migrate(context.Background()))
	ok, err := ledger.Claim(context.Background(), "at-1")
	fmt.Println(ok, err)
	// Output:
	// ledgersql.Claim: the alimtalk ledger schema is at version 0, older than this code's 1; run Migrate
	// <nil>
	// true <nil>
}
