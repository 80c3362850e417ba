package storesql

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/sqlstore"
	"github.com/kshop-dev/kshop/internal/wire"
	"github.com/kshop-dev/kshop/subscription"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Dialect is the SQL database behind the *sql.DB: PostgreSQL or SQLite.
type Dialect = sqlstore.Dialect

// The dialects.
const (
	// PostgreSQL through github.com/jackc/pgx/v5/stdlib: many instances, one database.
	PostgreSQL = sqlstore.PostgreSQL
	// SQLite through modernc.org/sqlite (pure Go): one instance surviving restarts.
	SQLite = sqlstore.SQLite
)

// SQLiteDSN returns the modernc.org/sqlite data source name for a database file at path, with
// the settings the store is tested with (busy timeout, WAL, immediate transactions).
func SQLiteDSN(path string) string { return sqlstore.SQLiteDSN(path) }

// Error is a database failure of one store call; errors.Is matches its Kind (ErrClosed,
// ErrConnection, ErrContention, ErrDiskFull, ErrDatabase) and the driver's error.
type Error = sqlstore.Error

// SchemaError says the store's tables are older (run Migrate) or newer (refused) than the code.
type SchemaError = sqlstore.SchemaError

// Error kinds (the same values as every kshop SQL store's).
var (
	ErrClosed         = sqlstore.ErrClosed
	ErrConnection     = sqlstore.ErrConnection
	ErrContention     = sqlstore.ErrContention
	ErrDiskFull       = sqlstore.ErrDiskFull
	ErrDatabase       = sqlstore.ErrDatabase
	ErrSchemaOutdated = sqlstore.ErrSchemaOutdated
	ErrSchemaTooNew   = sqlstore.ErrSchemaTooNew
)

// Errors of the store's own rules.
var (
	// ErrNotFound: no subscription with that ID is stored.
	ErrNotFound = errors.New("storesql: no such subscription")
	// ErrExists: Create found a subscription with that ID already stored.
	ErrExists = errors.New("storesql: subscription already stored")
	// ErrConflict is matched by every *ConflictError: someone saved the subscription since it
	// was read.
	ErrConflict = errors.New("storesql: subscription changed since it was read")
	// ErrLeaseLost: the action's lease expired and another worker claimed it, so this
	// worker's outcome is not recorded (the other worker re-runs the action with the same
	// idempotency key).
	ErrLeaseLost = errors.New("storesql: the action's claim was taken over after its lease expired")
	// ErrAlreadyRecorded: the action's outcome is recorded already; nothing changed.
	ErrAlreadyRecorded = errors.New("storesql: the action's outcome is already recorded")
)

// ConflictError is a stale write refused by the optimistic version check.
type ConflictError struct {
	// Op is the call: "storesql.Save".
	Op string
	// ID is the subscription's ID.
	ID string
	// Expected is the version the write was based on; Actual the stored one (0: deleted).
	Expected, Actual int64
}

// Error says which versions disagreed.
func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s: subscription %q is at version %d, not %d: reload it and apply the change again", e.Op, e.ID, e.Actual, e.Expected)
}

// Unwrap gives ErrConflict.
func (e *ConflictError) Unwrap() error { return ErrConflict }

// Option configures New.
type Option func(*config)

type config struct {
	sqlstore.Config
	lease time.Duration
}

// WithTablePrefix puts prefix before the store's table names (default "kshop_"): letters,
// digits and "_", up to 40.
func WithTablePrefix(prefix string) Option { return func(c *config) { c.Prefix = prefix } }

// WithInstanceID names this process in the action claims it makes (default: host name and
// process ID).
func WithInstanceID(id string) Option { return func(c *config) { c.Instance = id } }

// WithClock sets the clock of claims and leases (default time.Now). Instances sharing a
// database must agree on the time to well within the lease.
func WithClock(now func() time.Time) Option { return func(c *config) { c.Now = now } }

// WithMaxAttempts bounds how often one call runs when the database reports contention
// (serialization failure, deadlock, SQLite busy); default 8.
func WithMaxAttempts(n int) Option { return func(c *config) { c.MaxAttempts = n } }

// WithLease sets how long an action claim excludes other workers (default DefaultLease).
// Choose it longer than the slowest notice send or card charge: a worker still running when
// its lease ends may see another worker re-run the action (with the same idempotency key).
func WithLease(d time.Duration) Option { return func(c *config) { c.lease = d } }

// DefaultLease is the action lease when WithLease is not given.
const DefaultLease = 5 * time.Minute

// DueLimit caps how many subscriptions one Due call reads.
const DueLimit = 1000

// Store keeps subscriptions and action claims in a SQL database. It is safe for concurrent
// use, and any number of Stores (processes, pools) may share one database.
type Store struct {
	st    *sqlstore.Store
	rules *subscription.Rules
	lease time.Duration
	q     actionQueries
	// instance is st.Instance as a driver argument, boxed once rather than on every claim.
	instance any
}

// New returns a store over db (opened with the "pgx" driver of github.com/jackc/pgx/v5/stdlib
// or the "sqlite" driver of modernc.org/sqlite, best with SQLiteDSN) that restores
// subscriptions under rules. It makes no database call; run Migrate before use. A nil db or
// rules, an unknown dialect or a bad option is refused with a *kshop.ValidationError.
func New(db *sql.DB, dialect Dialect, rules *subscription.Rules, opts ...Option) (*Store, error) {
	sub, _ := fs.Sub(migrationFiles, "migrations")
	c := config{Config: sqlstore.Config{Op: "storesql.New", Name: "subscription", Migrations: sub}, lease: DefaultLease}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	var problems []*kshop.FieldError
	if rules == nil {
		problems = append(problems, &kshop.FieldError{Field: "rules", Rule: kshop.RuleRequired})
	}
	if c.lease < time.Second || c.lease > 24*time.Hour {
		problems = append(problems, &kshop.FieldError{Field: "WithLease", Rule: kshop.RuleRange, Detail: "between 1s and 24h"})
	}
	st, err := sqlstore.New(db, dialect, c.Config)
	var ve *kshop.ValidationError
	if errors.As(err, &ve) {
		problems = append(ve.Problems, problems...)
	} else if err != nil {
		return nil, err
	}
	if err := kshop.NewValidationError("storesql.New", problems); err != nil {
		return nil, err
	}
	return &Store{st: st, rules: rules, lease: c.lease, q: newActionQueries(st), instance: st.Instance}, nil
}

// Migrate creates or upgrades the store's tables. Several instances may run it at once; a
// schema newer than this code is refused with a *SchemaError wrapping ErrSchemaTooNew.
func (s *Store) Migrate(ctx context.Context) error {
	if err := wire.CheckContext(ctx, "storesql.Migrate"); err != nil {
		return err
	}
	return s.st.Migrate(ctx, "storesql.Migrate")
}

func (s *Store) begin(ctx context.Context, op string) error {
	if err := wire.CheckContext(ctx, op); err != nil {
		return err
	}
	return s.st.Ready(ctx, op)
}

// row is a subscription as stored.
type row struct {
	snapshot string
	state    string
	nextAt   sql.NullInt64
}

func encode(sub *subscription.Subscription) (row, error) {
	snap := sub.Snapshot()
	data, err := json.Marshal(snap)
	if err != nil {
		return row{}, err
	}
	r := row{snapshot: string(data), state: snap.State.String()}
	if a, ok := sub.NextAction(); ok {
		r.nextAt = sql.NullInt64{Int64: sqlstore.Micros(a.At), Valid: true}
	}
	return r, nil
}

func (s *Store) decode(op, data string) (*subscription.Subscription, error) {
	var snap subscription.Snapshot
	if err := json.Unmarshal([]byte(data), &snap); err != nil {
		return nil, fmt.Errorf("%s: stored snapshot unreadable: %w", op, err)
	}
	return subscription.Restore(s.rules, snap)
}

// Create stores a new subscription at version 1. An ID already stored is refused with
// ErrExists, changing nothing.
func (s *Store) Create(ctx context.Context, sub *subscription.Subscription) (int64, error) {
	const op = "storesql.Create"
	if err := s.begin(ctx, op); err != nil {
		return 0, err
	}
	if sub == nil {
		return 0, kshop.NewValidationError(op, []*kshop.FieldError{{Field: "sub", Rule: kshop.RuleRequired}})
	}
	r, err := encode(sub)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	n, err := s.st.Exec(ctx, op, s.st.Q(`INSERT INTO {{prefix}}subscriptions (id, version, state, next_at, snapshot, updated_at)
		VALUES (?, 1, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`), sub.ID(), r.state, r.nextAt, r.snapshot, sqlstore.Micros(s.st.Now()))
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, fmt.Errorf("%s: %q: %w", op, sub.ID(), ErrExists)
	}
	return 1, nil
}

// Get loads a subscription and the version to pass to Save. ErrNotFound when none is stored.
func (s *Store) Get(ctx context.Context, id string) (*subscription.Subscription, int64, error) {
	const op = "storesql.Get"
	if err := s.begin(ctx, op); err != nil {
		return nil, 0, err
	}
	var version int64
	var data string
	err := s.st.DB.QueryRowContext(ctx, s.st.Q(`SELECT version, snapshot FROM {{prefix}}subscriptions WHERE id = ?`), id).Scan(&version, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, fmt.Errorf("%s: %q: %w", op, id, ErrNotFound)
	}
	if err != nil {
		return nil, 0, sqlstore.Wrap(op, err)
	}
	sub, err := s.decode(op, data)
	return sub, version, err
}

// Save writes sub over the stored version and returns the new version. When the stored
// version is no longer version (another instance saved meanwhile) nothing is written and a
// *ConflictError (errors.Is ErrConflict) says so: reload with Get, apply the change again.
func (s *Store) Save(ctx context.Context, sub *subscription.Subscription, version int64) (int64, error) {
	const op = "storesql.Save"
	if err := s.begin(ctx, op); err != nil {
		return 0, err
	}
	if sub == nil {
		return 0, kshop.NewValidationError(op, []*kshop.FieldError{{Field: "sub", Rule: kshop.RuleRequired}})
	}
	r, err := encode(sub)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", op, err)
	}
	n, err := s.st.Exec(ctx, op, s.st.Q(`UPDATE {{prefix}}subscriptions SET version = version + 1, state = ?, next_at = ?, snapshot = ?, updated_at = ?
		WHERE id = ? AND version = ?`), r.state, r.nextAt, r.snapshot, sqlstore.Micros(s.st.Now()), sub.ID(), version)
	if err != nil {
		return 0, err
	}
	if n == 1 {
		return version + 1, nil
	}
	var actual int64
	err = s.st.DB.QueryRowContext(ctx, s.st.Q(`SELECT version FROM {{prefix}}subscriptions WHERE id = ?`), sub.ID()).Scan(&actual)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, sqlstore.Wrap(op, err)
	}
	return 0, &ConflictError{Op: op, ID: sub.ID(), Expected: version, Actual: actual}
}

// Update loads the subscription, applies change and saves it, reloading and applying change
// again (up to 5 times) when another instance saved in between. change must act on the
// subscription it is given only; its error stops the update and is returned as it is.
func (s *Store) Update(ctx context.Context, id string, change func(*subscription.Subscription) error) (int64, error) {
	const op = "storesql.Update"
	var err error
	for range 5 {
		var sub *subscription.Subscription
		var v int64
		if sub, v, err = s.Get(ctx, id); err != nil {
			return 0, err
		}
		if err := change(sub); err != nil {
			return 0, err
		}
		var nv int64
		if nv, err = s.Save(ctx, sub, v); !errors.Is(err, ErrConflict) {
			return nv, err
		}
	}
	var ce *ConflictError
	if errors.As(err, &ce) {
		ce.Op = op
	}
	return 0, err
}

// Due returns the actions due at asOf across the stored subscriptions (at most one per
// subscription, DueLimit subscriptions per call), in Planner.Due's order. Every instance may
// ask: Claim decides which one runs each action.
func (s *Store) Due(ctx context.Context, asOf time.Time) ([]subscription.Action, error) {
	const op = "storesql.Due"
	if err := s.begin(ctx, op); err != nil {
		return nil, err
	}
	rows, err := s.st.DB.QueryContext(ctx, s.st.Q(`SELECT snapshot FROM {{prefix}}subscriptions
		WHERE next_at IS NOT NULL AND next_at <= ? ORDER BY next_at, id LIMIT ?`), sqlstore.Micros(asOf), DueLimit)
	if err != nil {
		return nil, sqlstore.Wrap(op, err)
	}
	defer rows.Close()
	var subs []*subscription.Subscription
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, sqlstore.Wrap(op, err)
		}
		sub, err := s.decode(op, data)
		if err != nil {
			return nil, err
		}
		subs = append(subs, sub)
	}
	if err := rows.Err(); err != nil {
		return nil, sqlstore.Wrap(op, err)
	}
	return subscription.AppendDue(nil, asOf, subs), nil
}
