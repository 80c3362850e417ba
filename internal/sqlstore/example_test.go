package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing/fstest"

	_ "modernc.org/sqlite"

	"github.com/kshop-dev/kshop/internal/sqlstore"
)

// A store's life: New (no database call), Migrate, then transactions with bounded retries.
func Example() {
	db, _ := sql.Open("sqlite", "file::memory:")
	db.SetMaxOpenConns(1)
	defer db.Close()
	ctx := context.Background()
	s, err := sqlstore.New(db, sqlstore.SQLite, sqlstore.Config{
		Op: "example.New", Name: "example", Prefix: "shop_",
		Migrations: fstest.MapFS{"0001_init.sql": {Data: []byte("CREATE TABLE {{prefix}}notes (id TEXT PRIMARY KEY);\n")}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Ready(ctx, "example.Op"))
	fmt.Println(s.Migrate(ctx, "example.Migrate"))
	err = s.Tx(ctx, "example.Op", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.Q("INSERT INTO {{prefix}}notes (id) VALUES (?)"), "n-1")
		return err
	})
	fmt.Println(err)
	// Output:
	// example.Op: the example schema is at version 0, older than this code's 1; run Migrate
	// <nil>
	// <nil>
}
