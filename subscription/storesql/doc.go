// Package storesql keeps recurring-delivery subscriptions (package subscription) in the
// shop's own SQL database, so that several planner instances share them and a restart loses
// nothing: each round charged once, each payment notice sent once.
//
// PostgreSQL (github.com/jackc/pgx/v5/stdlib, driver "pgx", e.g.
// "postgres://shop:secret@db.internal:5432/shop?sslmode=verify-full") serves many instances;
// SQLite (modernc.org/sqlite, driver "sqlite", pure Go; open it with SQLiteDSN) one instance.
// The package imports no driver: the application opens the pool and gives it to New with the
// dialect and the shop's subscription.Rules.
//
// # A worker's loop
//
//	due, err := store.Due(ctx, now)              // any instance may ask
//	for _, a := range due {
//		claim, ok, err := store.Claim(ctx, a)     // exactly one instance gets ok
//		if !ok { continue }
//		// do the side effect with a.ID() as the idempotency key (AlimTalk ref, gateway order ID)
//		events, err := store.Record(ctx, claim, func(s *subscription.Subscription) ([]subscription.Event, error) {
//			return s.RecordCharge(a, result)      // or nil, s.RecordNoticeSent(a)
//		})
//	}
//
// # Guarantees
//
//   - Subscriptions are stored as their Snapshot (JSON, with personal data and the billing
//     key reference: protect the table like the card's billing key) with a version. Save
//     refuses a stale write with a *ConflictError (ErrConflict); Update reloads and retries.
//   - Each action ID (notice, charge, retry, expiry) is claimed by one instance at a time: one
//     INSERT … ON CONFLICT DO NOTHING, or one UPDATE taking over a claim whose lease
//     (WithLease) expired without an outcome. A worker that dies between claiming and
//     recording is replaced after the lease by the next worker, which re-runs the action with
//     the same idempotency key (ActionClaim.Attempt > 1 tells it so).
//   - Record applies the outcome and closes the claim in one transaction (row locks on
//     PostgreSQL, SQLite's write lock): an outcome is recorded at most once
//     (ErrAlreadyRecorded), never by a worker whose claim was taken over (ErrLeaseLost), and
//     a transaction cut short (a killed worker, a dropped connection, a full disk) leaves
//     nothing half-written. Tested with four planners over a month of simulated hours and
//     workers killed between claim and record, and with 200 runs killing a worker at random
//     points.
//   - Failures are typed as in every kshop SQL store: ErrClosed, ErrConnection,
//     ErrContention (serialization failures, deadlocks and SQLite busy are retried, bounded,
//     first), ErrDiskFull, ErrSchemaOutdated (run Migrate), ErrSchemaTooNew (refused).
//
// The side effect itself is not in the transaction: the gateway and the AlimTalk provider
// must dedupe by the idempotency key (pass a.ID() as the gateway's order ID; send notices
// through an alimtalk dispatcher with ledgersql), which turns the rare re-run after a crash
// into no second charge or message. Leases use the store's clock: instances must agree on
// the time to well within the lease.
//
// Migrations are embedded SQL applied only by Migrate (never by New), in one transaction,
// safe from several instances at once. WithTablePrefix puts the tables beside the shop's own.
//
// # Pools
//
// Give the pool as many idle connections as open ones (db.SetMaxIdleConns(n) next to
// db.SetMaxOpenConns(n)): database/sql keeps only 2 idle by default, so with more concurrent
// callers most calls open and close a connection, a new server process on PostgreSQL, which
// costs more than the claim itself. On SQLite, which has one writer at a time, the store's
// single-statement writes (Claim, Release, Create, Save) queue in the process rather than in
// SQLite's sleeping busy handler, so claims from many goroutines run about as fast as from one.
package storesql
