package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/sqlstore"
	"github.com/kshop-dev/kshop/internal/sqlstore/sqltest"
)

var testMigrations = fstest.MapFS{
	"0001_items.sql":           {Data: []byte("-- items\nCREATE TABLE {{prefix}}items (\n  id TEXT PRIMARY KEY,\n  n BIGINT NOT NULL\n);\n")},
	"0002_blob.postgresql.sql": {Data: []byte("ALTER TABLE {{prefix}}items ADD COLUMN data BYTEA;\n")},
	"0002_blob.sqlite.sql":     {Data: []byte("ALTER TABLE {{prefix}}items ADD COLUMN data BLOB;\n")},
	"0003_index.sql":           {Data: []byte("CREATE INDEX {{prefix}}items_n ON {{prefix}}items (n);\nINSERT INTO {{prefix}}items (id, n) VALUES ('a', 1);\nINSERT INTO {{prefix}}items (id, n) VALUES ('b', 2);\n")},
	"README.md":                {Data: []byte("not a migration")},
}

func store(t testing.TB, tg sqltest.Target, db *sql.DB, mutate ...func(*sqlstore.Config)) *sqlstore.Store {
	t.Helper()
	cfg := sqlstore.Config{Op: "test.New", Name: "test", Migrations: testMigrations, Prefix: tg.Prefix}
	for _, m := range mutate {
		m(&cfg)
	}
	s, err := sqlstore.New(db, tg.Dialect, cfg)
	require.NoError(t, err)
	return s
}

func TestMigrations(t *testing.T) {
	t.Parallel()
	sqltest.Dialects(t, func(t *testing.T, tg sqltest.Target) {
		ctx := context.Background()
		s := store(t, tg, tg.Open(t))
		assert.Equal(t, 3, s.Version())
		err := s.Ready(ctx, "test.Op")
		var se *sqlstore.SchemaError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, sqlstore.SchemaError{Op: "test.Op", Store: "test", Have: 0, Want: 3}, *se)
		assert.EqualError(t, err, "test.Op: the test schema is at version 0, older than this code's 3; run Migrate")

		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = store(t, tg, tg.Open(t)).Migrate(ctx, "test.Migrate")
			}()
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err)
		}
		var n int
		require.NoError(t, s.DB.QueryRowContext(ctx, s.Q("SELECT count(*) FROM {{prefix}}items")).Scan(&n))
		assert.Equal(t, 2, n, "each migration ran once")
		require.NoError(t, s.Ready(ctx, "test.Op"))
		v, err := s.SchemaVersion(ctx, "test.Op")
		require.NoError(t, err)
		assert.Equal(t, 3, v)

		// Code that knows only version 1 refuses the newer schema, and leaves it alone.
		old := store(t, tg, tg.Open(t), func(c *sqlstore.Config) {
			c.Migrations = fstest.MapFS{"0001_items.sql": testMigrations["0001_items.sql"]}
		})
		err = old.Ready(ctx, "test.Op")
		assert.ErrorIs(t, err, sqlstore.ErrSchemaTooNew)
		assert.EqualError(t, err, "test.Op: the test schema is at version 3, newer than this code's 1; upgrade the code (a downgrade is refused)")
		assert.ErrorIs(t, old.Migrate(ctx, "test.Migrate"), sqlstore.ErrSchemaTooNew)
	})
}

func TestBadConfig(t *testing.T) {
	t.Parallel()
	db := sqltest.SQLite(t).Open(t)
	_, err := sqlstore.New(db, sqlstore.SQLite, sqlstore.Config{Op: "x.New", Migrations: fstest.MapFS{"0002_a.sql": {}}})
	assert.ErrorContains(t, err, "version 1 is missing")
	_, err = sqlstore.New(db, sqlstore.SQLite, sqlstore.Config{Op: "x.New", Migrations: fstest.MapFS{"init.sql": {}}})
	assert.ErrorContains(t, err, "NNNN_name.sql")
	_, err = sqlstore.New(db, sqlstore.Dialect(9), sqlstore.Config{Op: "x.New", Prefix: "1bad", Migrations: testMigrations})
	var ve *kshop.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Problems, 2)
	assert.Equal(t, "Dialect(9)", sqlstore.Dialect(9).String())
	assert.Equal(t, "postgresql", sqlstore.PostgreSQL.String())
	s := store(t, sqltest.Target{Dialect: sqlstore.PostgreSQL}, db)
	assert.Equal(t, "SELECT x FROM kshop_t WHERE a = $1 AND b = $2", s.Q("SELECT x FROM {{prefix}}t WHERE a = ? AND b = ?"))
}

// pgErr and sqliteErr look like the drivers' errors to the classifier.
type pgErr struct{ code string }

func (e *pgErr) Error() string    { return "pg error " + e.code }
func (e *pgErr) SQLState() string { return e.code }

type sqliteErr struct{ code int }

func (e *sqliteErr) Error() string { return "sqlite error" }
func (e *sqliteErr) Code() int     { return e.code }

func TestRetryIsBounded(t *testing.T) {
	t.Parallel()
	tg := sqltest.SQLite(t)
	s := store(t, tg, tg.Open(t), func(c *sqlstore.Config) { c.MaxAttempts = 4 })
	for _, tc := range []struct {
		err   error
		kind  error
		calls int32
	}{
		{&pgErr{"40001"}, sqlstore.ErrContention, 4},
		{&pgErr{"40P01"}, sqlstore.ErrContention, 4},
		{&sqliteErr{5}, sqlstore.ErrContention, 4},
		{&sqliteErr{517}, sqlstore.ErrContention, 4}, // SQLITE_BUSY_SNAPSHOT
		{&sqliteErr{13}, sqlstore.ErrDiskFull, 1},
		{&pgErr{"53100"}, sqlstore.ErrDiskFull, 1},
		{&pgErr{"57P01"}, sqlstore.ErrConnection, 1},
		{&pgErr{"23505"}, sqlstore.ErrDatabase, 1},
	} {
		var calls atomic.Int32
		err := s.Tx(context.Background(), "test.Op", func(*sql.Tx) error { calls.Add(1); return tc.err })
		var e *sqlstore.Error
		require.ErrorAs(t, err, &e)
		assert.ErrorIs(t, err, tc.kind, "%v", tc.err)
		assert.ErrorIs(t, err, tc.err)
		assert.Equal(t, tc.calls, calls.Load(), "%v", tc.err)
		assert.Equal(t, int(tc.calls), e.Attempts)
	}
	mine := errors.New("mine")
	assert.Same(t, mine, s.Tx(context.Background(), "test.Op", func(*sql.Tx) error { return sqlstore.Abort(mine) }))
}

// Two transactions lock two rows in opposite orders: PostgreSQL kills one with a deadlock
// (40P01), Tx runs it again, and both commit their changes exactly once.
func TestDeadlockRetried(t *testing.T) {
	t.Parallel()
	tg := sqltest.Postgres(t)
	ctx := context.Background()
	s := store(t, tg, tg.Open(t))
	require.NoError(t, s.Migrate(ctx, "test.Migrate"))
	var calls atomic.Int32
	var wg sync.WaitGroup
	barrier := make(chan struct{})
	var once sync.Once
	errs := make([]error, 2)
	for i, order := range [][2]string{{"a", "b"}, {"b", "a"}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.Tx(ctx, "test.Op", func(tx *sql.Tx) error {
				calls.Add(1)
				if _, err := tx.ExecContext(ctx, s.Q("UPDATE {{prefix}}items SET n = n + 10 WHERE id = ?"), order[0]); err != nil {
					return err
				}
				select {
				case barrier <- struct{}{}:
				case <-barrier:
				case <-time.After(time.Second):
				}
				once.Do(func() {})
				_, err := tx.ExecContext(ctx, s.Q("UPDATE {{prefix}}items SET n = n + 100 WHERE id = ?"), order[1])
				return err
			})
		}()
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	assert.Greater(t, calls.Load(), int32(2), "one transaction ran again")
	var a, b int
	require.NoError(t, s.DB.QueryRowContext(ctx, s.Q("SELECT n FROM {{prefix}}items WHERE id = 'a'")).Scan(&a))
	require.NoError(t, s.DB.QueryRowContext(ctx, s.Q("SELECT n FROM {{prefix}}items WHERE id = 'b'")).Scan(&b))
	assert.Equal(t, 1+110, a, "each transaction's change applied once")
	assert.Equal(t, 2+110, b)
}

// A writer holds SQLite's lock; another pool without a busy timeout gets SQLITE_BUSY, and Tx
// retries until the lock is free.
func TestSQLiteBusyRetried(t *testing.T) {
	t.Parallel()
	tg := sqltest.SQLite(t)
	ctx := context.Background()
	s := store(t, tg, tg.Open(t))
	require.NoError(t, s.Migrate(ctx, "test.Migrate"))
	noWait := tg
	noWait.DSN = strings.Replace(tg.DSN, "_busy_timeout=10000", "_busy_timeout=0", 1)
	impatient := store(t, tg, noWait.Open(t), func(c *sqlstore.Config) { c.MaxAttempts = 50 })

	holder, err := s.DB.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = holder.ExecContext(ctx, s.Q("UPDATE {{prefix}}items SET n = n + 1 WHERE id = 'a'"))
	require.NoError(t, err)
	go func() { time.Sleep(50 * time.Millisecond); _ = holder.Commit() }()
	var calls atomic.Int32
	start := time.Now()
	err = impatient.Tx(ctx, "test.Op", func(tx *sql.Tx) error {
		calls.Add(1)
		_, err := tx.ExecContext(ctx, impatient.Q("UPDATE {{prefix}}items SET n = n + 10 WHERE id = 'a'"))
		return err
	})
	require.NoError(t, err)
	// BEGIN IMMEDIATE was refused (SQLITE_BUSY, no busy timeout) until the holder committed.
	assert.GreaterOrEqual(t, time.Since(start), 40*time.Millisecond, "busy at first, retried")
	assert.Positive(t, calls.Load())
	var n int
	require.NoError(t, s.DB.QueryRowContext(ctx, s.Q("SELECT n FROM {{prefix}}items WHERE id = 'a'")).Scan(&n))
	assert.Equal(t, 12, n)
}

func TestClosedPool(t *testing.T) {
	t.Parallel()
	sqltest.Dialects(t, func(t *testing.T, tg sqltest.Target) {
		db := tg.Open(t)
		s := store(t, tg, db)
		require.NoError(t, s.Migrate(context.Background(), "test.Migrate"))
		require.NoError(t, db.Close())
		_, err := s.Exec(context.Background(), "test.Op", s.Q("INSERT INTO {{prefix}}items (id, n) VALUES ('c', 3)"))
		assert.ErrorIs(t, err, sqlstore.ErrClosed)
		err = s.Tx(context.Background(), "test.Op", func(*sql.Tx) error { return nil })
		assert.ErrorIs(t, err, sqlstore.ErrClosed)
		assert.ErrorContains(t, err, "test.Op: the database pool is closed")
	})
}

// The server drops the connection in the middle of a transaction: the call fails with
// ErrConnection and nothing of the transaction is written.
func TestDroppedConnection(t *testing.T) {
	t.Parallel()
	tg := sqltest.Postgres(t)
	ctx := context.Background()
	s := store(t, tg, tg.Open(t))
	require.NoError(t, s.Migrate(ctx, "test.Migrate"))
	admin := tg.Open(t)
	err := s.Tx(ctx, "test.Op", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.Q("INSERT INTO {{prefix}}items (id, n) VALUES ('half', 1)")); err != nil {
			return err
		}
		var pid int
		if err := tx.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
			return err
		}
		if _, err := admin.ExecContext(ctx, "SELECT pg_terminate_backend($1)", pid); err != nil {
			return sqlstore.Abort(err)
		}
		_, err := tx.ExecContext(ctx, s.Q("INSERT INTO {{prefix}}items (id, n) VALUES ('other', 2)"))
		return err
	})
	assert.ErrorIs(t, err, sqlstore.ErrConnection)
	var n int
	require.NoError(t, s.DB.QueryRowContext(ctx, s.Q("SELECT count(*) FROM {{prefix}}items WHERE id IN ('half', 'other')")).Scan(&n))
	assert.Zero(t, n, "the transaction left nothing")
}

// SQLite runs out of pages (max_page_count plays a full disk): ErrDiskFull, and the
// transaction left nothing.
func TestSQLiteDiskFull(t *testing.T) {
	t.Parallel()
	tg := sqltest.SQLite(t)
	ctx := context.Background()
	s := store(t, tg, tg.Open(t))
	require.NoError(t, s.Migrate(ctx, "test.Migrate"))
	tiny := tg
	tiny.DSN += "&_pragma=max_page_count(16)"
	full := store(t, tg, tiny.Open(t))
	blob := make([]byte, 32<<10)
	err := full.Tx(ctx, "test.Op", func(tx *sql.Tx) error {
		for i := range 8 {
			if _, err := tx.ExecContext(ctx, full.Q("INSERT INTO {{prefix}}items (id, n, data) VALUES (?, ?, ?)"), "big"+string(rune('0'+i)), i, blob); err != nil {
				return err
			}
		}
		return nil
	})
	assert.ErrorIs(t, err, sqlstore.ErrDiskFull)
	var n int
	require.NoError(t, s.DB.QueryRowContext(ctx, s.Q("SELECT count(*) FROM {{prefix}}items")).Scan(&n))
	assert.Equal(t, 2, n, "no half-written transaction")
}

// On SQLite the store's statements queue in the process: goroutines writing at once through a
// pool with no busy timeout and no retries never meet SQLITE_BUSY, and every write lands once.
func TestSQLiteWritesQueue(t *testing.T) {
	t.Parallel()
	tg := sqltest.SQLite(t)
	ctx := context.Background()
	noWait := tg
	noWait.DSN = strings.Replace(tg.DSN, "_busy_timeout=10000", "_busy_timeout=0", 1)
	s := store(t, tg, noWait.Open(t), func(c *sqlstore.Config) { c.MaxAttempts = 1 })
	require.NoError(t, s.Migrate(ctx, "test.Migrate"))
	insert := s.Q("INSERT INTO {{prefix}}items (id, n) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")
	const workers, each = 16, 25
	var wg sync.WaitGroup
	var inserted atomic.Int64
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				n, err := s.Exec(ctx, "test.Op", insert, fmt.Sprintf("w%d-%d", w, i%20), i)
				if err != nil {
					errs[w] = err
					return
				}
				inserted.Add(n)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, int64(workers*20), inserted.Load(), "each new id inserted once, repeats ignored")
	var n int
	require.NoError(t, s.DB.QueryRowContext(ctx, s.Q("SELECT count(*) FROM {{prefix}}items")).Scan(&n))
	assert.Equal(t, 2+workers*20, n)
}

// A statement whose context ends while it waits in the store's queue (here behind a statement
// that waits for another instance's write lock) fails with ErrConnection and the context's
// error at once, and writes nothing.
func TestSQLiteQueuedStatementGivesUp(t *testing.T) {
	t.Parallel()
	tg := sqltest.SQLite(t)
	ctx := context.Background()
	s := store(t, tg, tg.Open(t))
	require.NoError(t, s.Migrate(ctx, "test.Migrate"))
	other := tg.Open(t) // another instance
	holder, err := other.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = holder.ExecContext(ctx, s.Q("UPDATE {{prefix}}items SET n = n + 1 WHERE id = 'a'"))
	require.NoError(t, err)

	first := make(chan error, 1)
	go func() {
		_, err := s.Exec(ctx, "test.Op", s.Q("INSERT INTO {{prefix}}items (id, n) VALUES ('first', 1)"))
		first <- err
	}()
	// The first statement holds the queue once it holds a connection of s's pool.
	require.Eventually(t, func() bool { return s.DB.Stats().InUse == 1 }, 5*time.Second, time.Millisecond)
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = s.Exec(short, "test.Op", s.Q("INSERT INTO {{prefix}}items (id, n) VALUES ('second', 2)"))
	assert.ErrorIs(t, err, sqlstore.ErrConnection)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second, "gave up when its context ended, not after the 10 s busy timeout")

	require.NoError(t, holder.Commit())
	require.NoError(t, <-first, "the statement ahead ran once the lock was free")
	var ids []string
	rows, err := s.DB.QueryContext(ctx, s.Q("SELECT id FROM {{prefix}}items ORDER BY id"))
	require.NoError(t, err)
	for rows.Next() {
		var id string
		require.NoError(t, rows.Scan(&id))
		ids = append(ids, id)
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, []string{"a", "b", "first"}, ids)
}
