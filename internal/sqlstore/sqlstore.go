package sqlstore

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kshop-dev/kshop"
)

// Dialect is the SQL database behind the *sql.DB a store is given.
type Dialect int

// The dialects the stores speak. The zero value is refused, so a forgotten dialect is an
// error rather than a guess.
const (
	// PostgreSQL through github.com/jackc/pgx/v5/stdlib (driver name "pgx"): many instances
	// sharing one database.
	PostgreSQL Dialect = iota + 1
	// SQLite through modernc.org/sqlite (driver name "sqlite", pure Go): one instance that
	// must survive restarts. Open it with SQLiteDSN.
	SQLite
)

// String returns "postgresql" or "sqlite".
func (d Dialect) String() string {
	switch d {
	case PostgreSQL:
		return "postgresql"
	case SQLite:
		return "sqlite"
	}
	return "Dialect(" + strconv.Itoa(int(d)) + ")"
}

func (d Dialect) valid() bool { return d == PostgreSQL || d == SQLite }

// SQLiteDSN returns the modernc.org/sqlite data source name the stores are tested with for a
// database file at path: a 10-second busy timeout (writers wait for each other instead of
// failing), WAL journal (readers never block the writer), synchronous=NORMAL (durable across
// process crashes; the last commits may be lost on power loss) and immediate transactions (a
// transaction takes the write lock when it begins, so two writers never deadlock upgrading).
func SQLiteDSN(path string) string {
	return "file:" + path + "?_busy_timeout=10000&_journal_mode=WAL&_synchronous=NORMAL&_txlock=immediate"
}

// Config describes one store's schema and options.
type Config struct {
	// Op prefixes validation errors: "ledgersql.New".
	Op string
	// Name is the store's schema in the version table and in messages ("alimtalk ledger").
	Name string
	// Migrations holds NNNN_name.sql files (for both dialects), or NNNN_name.postgresql.sql
	// and NNNN_name.sqlite.sql (one per dialect). Statements end with ";" at a line end and
	// write table names as {{prefix}}name.
	Migrations fs.FS
	// Prefix is put before every table name; letters, digits and "_" (default "kshop_").
	Prefix string
	// MaxAttempts bounds the runs of a transaction that meets contention (default 8).
	MaxAttempts int
	// Instance names this process in claims (default: host name and process ID).
	Instance string
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// DefaultPrefix is the table prefix when none is given.
const DefaultPrefix = "kshop_"

var prefixRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,39}$`)

// Store is one store's handle on the caller's *sql.DB: its dialect, table prefix, migrations,
// version check and transaction helper. It is safe for concurrent use.
type Store struct {
	DB       *sql.DB
	Dialect  Dialect
	Prefix   string
	Instance string
	Now      func() time.Time

	name        string
	migrations  []migration
	maxAttempts int
	ready       atomic.Bool
	// writer queues this store's single-statement writes on SQLite (nil on PostgreSQL): SQLite
	// has one writer at a time, and a writer that finds the lock taken waits in SQLite's busy
	// handler, which sleeps 1, 2, 5, 10 … ms between tries; with many goroutines that turns
	// into idle gaps and a throughput below one connection's. Queued in Go, the next writer
	// starts the moment the last one ends. The database still decides every conflict.
	writer chan struct{}
}

// New checks cfg and returns a store. It makes no database call: the schema is checked on
// first use and created by Migrate.
func New(db *sql.DB, d Dialect, cfg Config) (*Store, error) {
	var problems []*kshop.FieldError
	if db == nil {
		problems = append(problems, &kshop.FieldError{Field: "db", Rule: kshop.RuleRequired, Detail: "pass the application's *sql.DB"})
	}
	if !d.valid() {
		problems = append(problems, &kshop.FieldError{Field: "dialect", Rule: kshop.RuleNotAllowed, Detail: "use PostgreSQL or SQLite"})
	}
	prefix := cfg.Prefix
	if prefix == "" {
		prefix = DefaultPrefix
	} else if !prefixRE.MatchString(prefix) {
		problems = append(problems, &kshop.FieldError{Field: "WithTablePrefix", Rule: kshop.RuleFormat, Limit: 40,
			Detail: "a prefix is up to 40 letters, digits and underscores, not starting with a digit"})
	}
	if cfg.MaxAttempts < 0 || cfg.MaxAttempts > 100 {
		problems = append(problems, &kshop.FieldError{Field: "WithMaxAttempts", Rule: kshop.RuleRange, Limit: 100, Got: cfg.MaxAttempts})
	}
	if len(cfg.Instance) > 200 {
		problems = append(problems, &kshop.FieldError{Field: "WithInstanceID", Rule: kshop.RuleTooLong, Limit: 200, Got: len(cfg.Instance)})
	}
	if err := kshop.NewValidationError(cfg.Op, problems); err != nil {
		return nil, err
	}
	migs, err := loadMigrations(cfg.Migrations, d)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Op, err) // a packaging bug, not bad input
	}
	s := &Store{
		DB: db, Dialect: d, Prefix: strings.ToLower(prefix), Instance: cfg.Instance, Now: cfg.Now,
		name: cfg.Name, migrations: migs, maxAttempts: cfg.MaxAttempts,
	}
	if s.Instance == "" {
		host, _ := os.Hostname()
		s.Instance = host + ":" + strconv.Itoa(os.Getpid())
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.maxAttempts == 0 {
		s.maxAttempts = 8
	}
	if d == SQLite {
		s.writer = make(chan struct{}, 1)
	}
	return s, nil
}

// Version is the schema version this code needs.
func (s *Store) Version() int { return len(s.migrations) }

// T returns the prefixed name of table name.
func (s *Store) T(name string) string { return s.Prefix + name }

// Q prepares a query written with {{prefix}} table names and "?" placeholders for the
// dialect: PostgreSQL gets $1, $2, ... (the queries hold no "?" inside literals).
func (s *Store) Q(query string) string {
	query = strings.ReplaceAll(query, "{{prefix}}", s.Prefix)
	if s.Dialect != PostgreSQL {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// NewToken returns a random claim token (128 bits, hex).
func NewToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b[:])
}

// Micros converts an instant to the stored form: microseconds since the Unix epoch, UTC, so
// both dialects compare instants as integers.
func Micros(t time.Time) int64 { return t.UnixMicro() }

// FromMicros converts the stored form back.
func FromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }
