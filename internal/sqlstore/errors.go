package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
)

// The error kinds every store reports; errors.Is matches them through *Error and *SchemaError.
var (
	// ErrClosed: the *sql.DB the store was given is closed.
	ErrClosed = errors.New("sqlstore: the database pool is closed")
	// ErrConnection: the connection broke during the call. A claim or a record either
	// committed or did not; the store's operations are built so that calling again is safe.
	ErrConnection = errors.New("sqlstore: the database connection was lost")
	// ErrContention: the database kept refusing the transaction (serialization failure,
	// deadlock, SQLite busy) through every bounded retry.
	ErrContention = errors.New("sqlstore: the database stayed contended through every retry")
	// ErrDiskFull: the database has no room left (SQLite SQLITE_FULL, PostgreSQL 53100).
	ErrDiskFull = errors.New("sqlstore: the database is full")
	// ErrSchemaOutdated: the tables are older than the code (or missing); run Migrate.
	ErrSchemaOutdated = errors.New("sqlstore: the database schema is older than this code; run Migrate")
	// ErrSchemaTooNew: the tables were migrated by a newer release; this code refuses them.
	ErrSchemaTooNew = errors.New("sqlstore: the database schema is newer than this code; upgrade the code")
	// ErrDatabase: any other database failure (the driver's error is wrapped).
	ErrDatabase = errors.New("sqlstore: database error")
)

// Error is a database failure of one store call: the call, its kind (one of the Err
// variables above, matched by errors.Is), how many attempts were made, and the driver's error.
type Error struct {
	// Op is the store method: "ledgersql.Claim".
	Op string
	// Kind is ErrClosed, ErrConnection, ErrContention, ErrDiskFull or ErrDatabase.
	Kind error
	// Attempts is how many times the transaction ran (more than 1 after retries).
	Attempts int
	// Err is the driver's error (or the context's).
	Err error
}

// Error returns "op: kind: cause".
func (e *Error) Error() string {
	msg := e.Op + ": " + strings.TrimPrefix(e.Kind.Error(), "sqlstore: ")
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" (%d attempts)", e.Attempts)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap gives the kind and the cause, so errors.Is matches both (context.Canceled too).
func (e *Error) Unwrap() []error { return []error{e.Kind, e.Err} }

// SchemaError says the schema of one store is not the one the code was built for.
type SchemaError struct {
	// Op is the store method that found it.
	Op string
	// Store names the store's schema ("alimtalk ledger").
	Store string
	// Have is the version in the database (0: no tables); Want the code's.
	Have, Want int
}

// Error explains what to do.
func (e *SchemaError) Error() string {
	if e.Have > e.Want {
		return fmt.Sprintf("%s: the %s schema is at version %d, newer than this code's %d; upgrade the code (a downgrade is refused)", e.Op, e.Store, e.Have, e.Want)
	}
	return fmt.Sprintf("%s: the %s schema is at version %d, older than this code's %d; run Migrate", e.Op, e.Store, e.Have, e.Want)
}

// Unwrap gives ErrSchemaTooNew or ErrSchemaOutdated.
func (e *SchemaError) Unwrap() error {
	if e.Have > e.Want {
		return ErrSchemaTooNew
	}
	return ErrSchemaOutdated
}

// sqlStater is what pgx's *pgconn.PgError offers (the stores import no driver).
type sqlStater interface{ SQLState() string }

// sqliteCoder is what modernc.org/sqlite's *sqlite.Error offers.
type sqliteCoder interface{ Code() int }

// SQLite primary result codes (extended codes keep them in the low byte).
const (
	sqliteBusy   = 5
	sqliteLocked = 6
	sqliteFull   = 13
)

// retryable reports whether the transaction may simply run again: a serialization failure or
// a deadlock on PostgreSQL, a busy or locked database on SQLite. The server rolled the
// transaction back, so nothing of it committed.
func retryable(err error) bool {
	var st sqlStater
	if errors.As(err, &st) {
		switch st.SQLState() {
		case "40001", "40P01":
			return true
		}
	}
	var sc sqliteCoder
	if errors.As(err, &sc) && isSQLiteError(err) {
		switch sc.Code() & 0xff {
		case sqliteBusy, sqliteLocked:
			return true
		}
	}
	return false
}

// isSQLiteError guards the Code() interface, which other error types have too.
func isSQLiteError(err error) bool {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(fmt.Sprintf("%T", e), "sqlite") {
			return true
		}
	}
	return false
}

// kindOf classifies a failure that is not (or no longer) retried.
func kindOf(err error) error {
	var st sqlStater
	if errors.As(err, &st) {
		code := st.SQLState()
		switch {
		case code == "40001" || code == "40P01":
			return ErrContention
		case code == "53100":
			return ErrDiskFull
		case strings.HasPrefix(code, "08"), code == "57P01", code == "57P02", code == "57P03":
			return ErrConnection
		}
		return ErrDatabase
	}
	var sc sqliteCoder
	if errors.As(err, &sc) && isSQLiteError(err) {
		switch sc.Code() & 0xff {
		case sqliteBusy, sqliteLocked:
			return ErrContention
		case sqliteFull:
			return ErrDiskFull
		}
		return ErrDatabase
	}
	// database/sql does not export its "database is closed" error.
	if strings.Contains(err.Error(), "sql: database is closed") {
		return ErrClosed
	}
	var ne net.Error
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF) || errors.As(err, &ne) || strings.Contains(err.Error(), "conn closed") {
		return ErrConnection
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// The call was abandoned; whatever the statement did is rolled back unless it had
		// committed, exactly as for a lost connection.
		return ErrConnection
	}
	return ErrDatabase
}

// Wrap turns a driver error into an *Error for op (nil stays nil; typed errors of this
// package pass through).
func Wrap(op string, err error) error {
	return wrapAttempts(op, err, 1)
}

func wrapAttempts(op string, err error, attempts int) error {
	if err == nil {
		return nil
	}
	var e *Error
	var se *SchemaError
	if errors.As(err, &e) || errors.As(err, &se) {
		return err
	}
	return &Error{Op: op, Kind: kindOf(err), Attempts: attempts, Err: err}
}
