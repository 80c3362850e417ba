// Package sqltest opens the databases the SQL stores' tests run on: SQLite always (a file in
// t.TempDir()), PostgreSQL when KSHOP_TEST_POSTGRES_URL is set (scripts/pg starts one). Only
// tests import it, so only test binaries link the drivers.
package sqltest

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite" // driver "sqlite"

	"github.com/kshop-dev/kshop/internal/sqlstore"
)

// EnvURL names the variable holding the PostgreSQL DSN.
const EnvURL = "KSHOP_TEST_POSTGRES_URL"

// Target is one database for one test: a dialect, a fresh table prefix, and a way to open
// as many independent pools on it as the test needs (several "instances").
type Target struct {
	Name    string
	Dialect sqlstore.Dialect
	Prefix  string
	// DSN is what Open opens (a file DSN for SQLite).
	DSN string
	// Path is the SQLite file ("" for PostgreSQL).
	Path string
}

var skipOnce sync.Once

// Dialects runs fn as subtests "sqlite" and "postgresql", each on a fresh Target. The
// PostgreSQL one is skipped when KSHOP_TEST_POSTGRES_URL is unset, and fails when it is set
// and the server cannot be reached.
func Dialects(t *testing.T, fn func(t *testing.T, tg Target)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		fn(t, SQLite(t))
	})
	t.Run("postgresql", func(t *testing.T) {
		t.Parallel()
		fn(t, Postgres(t))
	})
}

// SQLite returns a Target on a new database file in t.TempDir().
func SQLite(t testing.TB) Target {
	path := filepath.Join(t.TempDir(), "kshop.db")
	return Target{Name: "sqlite", Dialect: sqlstore.SQLite, Prefix: "t" + sqlstore.NewToken()[:8] + "_", DSN: sqlstore.SQLiteDSN(path), Path: path}
}

// Postgres returns a Target on the server of KSHOP_TEST_POSTGRES_URL, skipping the test when
// the variable is unset (explained on the first skip) and failing it when the server does not
// answer. Its tables are dropped when the test ends.
func Postgres(t testing.TB) Target {
	url := pgURL()
	if url == "" {
		msg := "PostgreSQL skipped"
		skipOnce.Do(func() {
			msg = "PostgreSQL tests skipped: set " + EnvURL + " to a pgx DSN (scripts/pg start prints one) to run them; SQLite tests always run"
		})
		t.Skip(msg)
	}
	tg := Target{Name: "postgresql", Dialect: sqlstore.PostgreSQL, Prefix: "t" + sqlstore.NewToken()[:8] + "_", DSN: url}
	db := tg.Open(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, db.PingContext(ctx), "%s is set but the server does not answer", EnvURL)
	t.Cleanup(func() {
		drop, err := sql.Open("pgx", url)
		if err != nil {
			return
		}
		defer drop.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		rows, err := drop.QueryContext(ctx, `SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename LIKE $1`, tg.Prefix+"%")
		if err != nil {
			return
		}
		var names []string
		for rows.Next() {
			var n string
			if rows.Scan(&n) == nil {
				names = append(names, n)
			}
		}
		_ = rows.Close()
		for _, n := range names {
			_, _ = drop.ExecContext(ctx, `DROP TABLE IF EXISTS "`+n+`" CASCADE`)
		}
	})
	return tg
}

func pgURL() string { return os.Getenv(EnvURL) }

// Open opens a new pool on the target, closed when the test ends (closing it earlier is fine).
func (tg Target) Open(t testing.TB) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if tg.Dialect == sqlstore.PostgreSQL {
		driver = "pgx"
	}
	db, err := sql.Open(driver, tg.DSN)
	require.NoError(t, err)
	db.SetMaxOpenConns(8)
	t.Cleanup(func() { _ = db.Close() })
	return db
}
