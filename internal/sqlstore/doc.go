// Package sqlstore is what the SQL stores (alimtalk/ledgersql, subscription/storesql, and the
// shipping store next) share: the dialects (PostgreSQL through pgx's stdlib driver, SQLite
// through modernc.org/sqlite), embedded-SQL migrations applied only by an explicit Migrate
// (versioned per store in a shared {{prefix}}schema_versions table, one transaction, safe
// from several instances: a transaction-scoped advisory lock per prefix on PostgreSQL,
// the write lock on SQLite), the schema check every store call makes once (older: run
// Migrate; newer: refused), a transaction helper with bounded, jittered retries of
// serialization failures, deadlocks and SQLite busy errors, and one typed error shape. On
// SQLite a store's single statements (Exec) queue in the process, one writer at a time, so
// that its own goroutines never meet in SQLite's sleeping busy handler.
//
// It imports no driver: errors are classified through the methods the drivers' error types
// have (SQLState() for pgx, Code() for modernc.org/sqlite), and stores take the caller's
// *sql.DB. Queries are written with "?" placeholders and {{prefix}} table names; Q rewrites
// them for the dialect. A new store embeds its NNNN_name.sql files, builds a Store with New
// and re-exports the dialect, error kinds and SchemaError under its own name.
package sqlstore
