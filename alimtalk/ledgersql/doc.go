// Package ledgersql is an alimtalk.Ledger in the shop's own SQL database, so that an event is
// sent once across restarts and across instances: give it to alimtalk.WithLedger instead of
// the in-memory default.
//
//	db, err := sql.Open("pgx", "postgres://shop:secret@db.internal:5432/shop?sslmode=verify-full")
//	ledger, err := ledgersql.New(db, ledgersql.PostgreSQL, ledgersql.WithInstanceID("web-1"))
//	err = ledger.Migrate(ctx) // at every start; creates or upgrades kshop_alimtalk_ledger
//	d, err := alimtalk.NewDispatcher(cfg, provider, templates, alimtalk.WithLedger(ledger))
//
// PostgreSQL (github.com/jackc/pgx/v5/stdlib, driver "pgx") serves many instances; SQLite
// (modernc.org/sqlite, driver "sqlite", pure Go; open it with SQLiteDSN) one instance that
// must survive restarts. The package imports no driver: the application opens the pool.
//
// # Guarantees
//
//   - Claim is atomic across pools, processes and machines: one INSERT … ON CONFLICT DO
//     NOTHING on the ref's primary key. Tested with eight dispatchers on separate pools
//     delivering the same 1,000 events at once: the provider receives exactly 1,000.
//   - Release frees only a claim this Ledger value made (each claim carries a random token);
//     another instance's claim, or one made before a restart, is never freed (ErrNotHeld).
//   - Claims record when and by which instance (WithInstanceID); Lookup shows them.
//   - Refs whose outcome is unknown stay claimed: the dispatcher releases only messages that
//     certainly did not go out. A process killed between its claim and its send leaves the
//     ref claimed under its instance ID, exactly like an unknown outcome: reconcile it through
//     the provider by ref, never by sending again.
//   - A Claim that fails leaves no claim behind: a row whose INSERT may have committed
//     unseen is deleted by its token at once, or on the ledger's next call when the database
//     was unreachable. Only a process that dies in that instant leaves such a row (attributed
//     to it, like any claim of a dead instance).
//   - Failures are typed: a closed pool (ErrClosed), a lost connection (ErrConnection),
//     contention that outlasted the bounded retries (ErrContention), a full disk
//     (ErrDiskFull), a schema older than the code (ErrSchemaOutdated: run Migrate) or newer
//     (ErrSchemaTooNew: refused).
//
// Claims are kept until Prune removes them; keep them longer than any event can be
// re-delivered. Migrations are embedded SQL, applied only by Migrate (never by New), in one
// transaction, safe to run from several instances at once (an advisory lock on PostgreSQL).
// WithTablePrefix puts the tables beside the shop's own.
//
// # Pools
//
// Give the pool as many idle connections as open ones (db.SetMaxIdleConns(n) next to
// db.SetMaxOpenConns(n)): database/sql keeps only 2 idle by default, so with more concurrent
// callers most calls open and close a connection, a new server process on PostgreSQL, which
// costs more than the claim itself. On SQLite, which has one writer at a time, the store's
// own writes queue in the process rather than in SQLite's sleeping busy handler, so claims
// from many goroutines run about as fast as from one.
package ledgersql
