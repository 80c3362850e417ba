package storesql

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/kshop-dev/kshop/epost/shipping"
	"github.com/kshop-dev/kshop/internal/sqlstore"
	"github.com/kshop-dev/kshop/internal/wire"
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

// ErrReadOnly is returned by a write inside View.
var ErrReadOnly = errors.New("storesql: write in a read-only transaction")

// Option configures New.
type Option func(*sqlstore.Config)

// WithTablePrefix puts prefix before the store's table names (default "kshop_"): letters,
// digits and "_", up to 40.
func WithTablePrefix(prefix string) Option { return func(c *sqlstore.Config) { c.Prefix = prefix } }

// WithMaxAttempts bounds how often one transaction runs when the database reports contention
// (serialization failure, deadlock, SQLite busy); default 8.
func WithMaxAttempts(n int) Option { return func(c *sqlstore.Config) { c.MaxAttempts = n } }

// Store is a shipping.Store in a SQL database. It is safe for concurrent use, and any number
// of Stores (processes, pools) may share one database.
type Store struct {
	st *sqlstore.Store
}

var _ shipping.Store = (*Store)(nil)

// New returns a store over db (opened with the "pgx" driver of github.com/jackc/pgx/v5/stdlib
// or the "sqlite" driver of modernc.org/sqlite, best with SQLiteDSN). It makes no database
// call; run Migrate before use. A nil db, an unknown dialect or a bad option is refused with
// a *kshop.ValidationError.
func New(db *sql.DB, dialect Dialect, opts ...Option) (*Store, error) {
	sub, _ := fs.Sub(migrationFiles, "migrations")
	c := sqlstore.Config{Op: "storesql.New", Name: "shipping", Migrations: sub}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	st, err := sqlstore.New(db, dialect, c)
	if err != nil {
		return nil, err
	}
	return &Store{st: st}, nil
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

// Update implements shipping.Store: fn runs in one database transaction, committed when fn
// returns nil. When the database refuses the transaction in a way that rolled it back whole
// (serialization failure, deadlock, SQLite busy), fn runs again, bounded by WithMaxAttempts.
// fn's own error comes back as it is; a database failure as an *Error.
//
// On PostgreSQL every record a write transaction reads by ID (order, waybill, plan, cursor) is
// locked until the transaction ends (SELECT … FOR UPDATE), so a read-modify-write by one
// instance never overwrites another's; on SQLite the transaction holds the write lock.
func (s *Store) Update(ctx context.Context, fn func(shipping.Tx) error) error {
	const op = "storesql.Update"
	if err := s.begin(ctx, op); err != nil {
		return err
	}
	return s.st.Tx(ctx, op, func(tx *sql.Tx) error {
		t := &sqlTx{s: s, ctx: ctx, tx: tx, write: true}
		err := fn(t)
		if t.dbErr != nil {
			return t.dbErr // classified (and retried when it may be) by sqlstore
		}
		if err != nil {
			return sqlstore.Abort(err)
		}
		if t.seqDirty {
			if _, err := tx.ExecContext(ctx, s.st.Q(`UPDATE {{prefix}}shipping_meta SET num = ? WHERE name = 'event_seq'`), int64(t.seq)); err != nil {
				return err
			}
		}
		return nil
	})
}

// View implements shipping.Store: fn runs in a read-only transaction (a snapshot on SQLite).
func (s *Store) View(ctx context.Context, fn func(shipping.Tx) error) error {
	const op = "storesql.View"
	if err := s.begin(ctx, op); err != nil {
		return err
	}
	return s.st.ReadTx(ctx, op, func(tx *sql.Tx) error {
		t := &sqlTx{s: s, ctx: ctx, tx: tx}
		err := fn(t)
		if t.dbErr != nil {
			return t.dbErr
		}
		return sqlstore.Abort(err)
	})
}

// LeaseWaybills implements shipping.Store in one statement: an UPDATE of the first
// req.Limit waybills the pass still needs whose lease is free, ended or req.Owner's. On
// PostgreSQL the candidates are picked FOR UPDATE SKIP LOCKED, so concurrent syncers take
// disjoint batches without waiting for each other; on SQLite the single writer makes the
// UPDATE atomic.
func (s *Store) LeaseWaybills(ctx context.Context, req shipping.LeaseRequest) ([]shipping.Waybill, error) {
	const op = "storesql.LeaseWaybills"
	if err := s.begin(ctx, op); err != nil {
		return nil, err
	}
	if err := shipping.CheckLeaseRequest(op, req); err != nil {
		return nil, err
	}
	lock := ""
	if s.st.Dialect == PostgreSQL {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	after := ""
	args := []any{req.Owner, sqlstore.Micros(req.Until), req.Pass, req.Owner, sqlstore.Micros(req.Now)}
	if req.After != "" {
		after = " AND id > ?"
		args = append(args, req.After)
	}
	args = append(args, req.Limit)
	q := s.st.Q(`UPDATE {{prefix}}shipping_waybills SET lease_owner = ?, lease_until = ?
		WHERE id IN (SELECT id FROM {{prefix}}shipping_waybills
			WHERE tracking = 1 AND synced_pass < ? AND (lease_owner = ? OR lease_until <= ?)` + after + `
			ORDER BY id LIMIT ?` + lock + `)
		RETURNING data`)
	var out []shipping.Waybill
	err := s.st.Tx(ctx, op, func(tx *sql.Tx) error {
		out = out[:0]
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var data string
			if err := rows.Scan(&data); err != nil {
				return err
			}
			var w shipping.Waybill
			if err := json.Unmarshal([]byte(data), &w); err != nil {
				return sqlstore.Abort(fmt.Errorf("%s: stored waybill unreadable: %w", op, err))
			}
			out = append(out, w)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b shipping.Waybill) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// ReleaseWaybills implements shipping.Store.
func (s *Store) ReleaseWaybills(ctx context.Context, owner string, ids []string) error {
	const op = "storesql.ReleaseWaybills"
	if err := s.begin(ctx, op); err != nil {
		return err
	}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		args := make([]any, 0, len(chunk)+1)
		args = append(args, owner)
		for _, id := range chunk {
			args = append(args, id)
		}
		q := s.st.Q(`UPDATE {{prefix}}shipping_waybills SET lease_owner = '', lease_until = 0
			WHERE lease_owner = ? AND id IN (` + placeholders(len(chunk)) + `)`)
		if _, err := s.st.Exec(ctx, op, q, args...); err != nil {
			return err
		}
	}
	return nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// Lease is what the store knows about one waybill's sync lease.
type Lease struct {
	// Owner is the syncer holding it ("" when free); Until is when it ends.
	Owner string
	Until int64 // microseconds since the Unix epoch, UTC
}

// WaybillLease returns a waybill's lease, for an operator looking at a stuck sync.
// shipping.ErrNotFound when no such waybill is stored.
func (s *Store) WaybillLease(ctx context.Context, id string) (Lease, error) {
	const op = "storesql.WaybillLease"
	if err := s.begin(ctx, op); err != nil {
		return Lease{}, err
	}
	var l Lease
	err := s.st.DB.QueryRowContext(ctx, s.st.Q(`SELECT lease_owner, lease_until FROM {{prefix}}shipping_waybills WHERE id = ?`), id).Scan(&l.Owner, &l.Until)
	if errors.Is(err, sql.ErrNoRows) {
		return Lease{}, fmt.Errorf("%s: waybill %q: %w", op, id, shipping.ErrNotFound)
	}
	return l, sqlstore.Wrap(op, err)
}

// sqlTx is one transaction of the store.
type sqlTx struct {
	s     *Store
	ctx   context.Context
	tx    *sql.Tx
	write bool
	// dbErr is the first database failure: it decides the transaction's fate even when fn
	// went on or returned something else.
	dbErr error
	// seq is the outbox's last sequence number once loaded (and locked) in this transaction.
	seq       uint64
	seqLoaded bool
	seqDirty  bool
}

// fail records a database failure and returns it typed for fn.
func (t *sqlTx) fail(op string, err error) error {
	if t.dbErr == nil {
		t.dbErr = err
	}
	return sqlstore.Wrap(op, err)
}

func (t *sqlTx) readOnly(op string) error {
	if t.write {
		return nil
	}
	return fmt.Errorf("%s: %w", op, ErrReadOnly)
}

// forUpdate locks what a write transaction reads by ID on PostgreSQL.
func (t *sqlTx) forUpdate() string {
	if t.write && t.s.st.Dialect == PostgreSQL {
		return " FOR UPDATE"
	}
	return ""
}

func (t *sqlTx) exec(op, query string, args ...any) error {
	if _, err := t.tx.ExecContext(t.ctx, t.s.st.Q(query), args...); err != nil {
		return t.fail(op, err)
	}
	return nil
}

// getData reads one record's JSON by key; found false when none.
func (t *sqlTx) getData(op, query string, key any, into any) (bool, error) {
	var data string
	err := t.tx.QueryRowContext(t.ctx, t.s.st.Q(query+t.forUpdate()), key).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, t.fail(op, err)
	}
	if err := json.Unmarshal([]byte(data), into); err != nil {
		return false, fmt.Errorf("%s: stored record unreadable: %w", op, err)
	}
	return true, nil
}

// list reads the JSON records a query returns.
func list[V any](t *sqlTx, op, query string, args ...any) ([]V, error) {
	rows, err := t.tx.QueryContext(t.ctx, t.s.st.Q(query), args...)
	if err != nil {
		return nil, t.fail(op, err)
	}
	defer rows.Close()
	var out []V
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, t.fail(op, err)
		}
		var v V
		if err := json.Unmarshal([]byte(data), &v); err != nil {
			return nil, fmt.Errorf("%s: stored record unreadable: %w", op, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, t.fail(op, err)
	}
	return out, nil
}

func encode(op string, v any) (string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("%s: %w", op, err)
	}
	return string(data), nil
}

func (t *sqlTx) Order(id string) (shipping.Order, error) {
	var o shipping.Order
	ok, err := t.getData("storesql.Tx.Order", `SELECT data FROM {{prefix}}shipping_orders WHERE id = ?`, id, &o)
	if err != nil {
		return shipping.Order{}, err
	}
	if !ok {
		return shipping.Order{}, shipping.ErrNotFound
	}
	return o, nil
}

func (t *sqlTx) PutOrder(o shipping.Order) error {
	const op = "storesql.Tx.PutOrder"
	if err := t.readOnly(op); err != nil {
		return err
	}
	data, err := encode(op, o)
	if err != nil {
		return err
	}
	return t.exec(op, `INSERT INTO {{prefix}}shipping_orders (id, data) VALUES (?, ?)
		ON CONFLICT (id) DO UPDATE SET data = excluded.data`, o.ID, data)
}

func (t *sqlTx) Orders(after string, limit int) ([]shipping.Order, error) {
	q := `SELECT data FROM {{prefix}}shipping_orders WHERE id > ? ORDER BY id`
	args := []any{after}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	return list[shipping.Order](t, "storesql.Tx.Orders", q, args...)
}

func (t *sqlTx) Waybill(id string) (shipping.Waybill, error) {
	var w shipping.Waybill
	ok, err := t.getData("storesql.Tx.Waybill", `SELECT data FROM {{prefix}}shipping_waybills WHERE id = ?`, id, &w)
	if err != nil {
		return shipping.Waybill{}, err
	}
	if !ok {
		return shipping.Waybill{}, shipping.ErrNotFound
	}
	return w, nil
}

func (t *sqlTx) PutWaybill(w shipping.Waybill) error {
	const op = "storesql.Tx.PutWaybill"
	if err := t.readOnly(op); err != nil {
		return err
	}
	data, err := encode(op, w)
	if err != nil {
		return err
	}
	tracking := 0
	if w.Tracking {
		tracking = 1
	}
	return t.exec(op, `INSERT INTO {{prefix}}shipping_waybills (id, order_id, state, tracking, synced_pass, data) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET order_id = excluded.order_id, state = excluded.state, tracking = excluded.tracking,
			synced_pass = excluded.synced_pass, data = excluded.data`,
		w.ID, w.OrderID, string(w.State), tracking, w.SyncedPass, data)
}

func (t *sqlTx) Waybills(q shipping.WaybillQuery) ([]shipping.Waybill, error) {
	var where []string
	var args []any
	if len(q.States) > 0 {
		where = append(where, `state IN (`+placeholders(len(q.States))+`)`)
		for _, st := range q.States {
			args = append(args, string(st))
		}
	}
	if q.Tracking {
		where = append(where, `tracking = 1`)
	}
	if q.OrderID != "" {
		where = append(where, `order_id = ?`)
		args = append(args, q.OrderID)
	}
	if q.NotSyncedIn > 0 {
		where = append(where, `synced_pass < ?`)
		args = append(args, q.NotSyncedIn)
	}
	where = append(where, `id > ?`)
	args = append(args, q.After)
	query := `SELECT data FROM {{prefix}}shipping_waybills WHERE ` + strings.Join(where, ` AND `) + ` ORDER BY id`
	if q.Limit > 0 {
		query += ` LIMIT ?`
		args = append(args, q.Limit)
	}
	return list[shipping.Waybill](t, "storesql.Tx.Waybills", query, args...)
}

func (t *sqlTx) Cursor() (shipping.Cursor, error) {
	var c shipping.Cursor
	return c, t.getMeta("storesql.Tx.Cursor", "cursor", &c)
}

func (t *sqlTx) PutCursor(c shipping.Cursor) error {
	return t.putMeta("storesql.Tx.PutCursor", "cursor", c)
}

func (t *sqlTx) DeliveryLease() (shipping.DeliveryLease, error) {
	var l shipping.DeliveryLease
	return l, t.getMeta("storesql.Tx.DeliveryLease", "delivery", &l)
}

func (t *sqlTx) PutDeliveryLease(l shipping.DeliveryLease) error {
	return t.putMeta("storesql.Tx.PutDeliveryLease", "delivery", l)
}

// getMeta reads the single-row record name of shipping_meta into into; the migrations create
// every such row, so a missing one means an outdated schema.
func (t *sqlTx) getMeta(op, name string, into any) error {
	ok, err := t.getData(op, `SELECT data FROM {{prefix}}shipping_meta WHERE name = ?`, name, into)
	if err == nil && !ok {
		err = fmt.Errorf("%s: the %s row is missing: %w", op, name, ErrSchemaOutdated)
	}
	return err
}

// putMeta replaces the single-row record name of shipping_meta.
func (t *sqlTx) putMeta(op, name string, v any) error {
	if err := t.readOnly(op); err != nil {
		return err
	}
	data, err := encode(op, v)
	if err != nil {
		return err
	}
	return t.exec(op, `UPDATE {{prefix}}shipping_meta SET data = ? WHERE name = ?`, data, name)
}

func (t *sqlTx) Plans() ([]shipping.Plan, error) {
	return list[shipping.Plan](t, "storesql.Tx.Plans", `SELECT data FROM {{prefix}}shipping_plans ORDER BY id`)
}

func (t *sqlTx) PutPlan(p shipping.Plan) error {
	const op = "storesql.Tx.PutPlan"
	if err := t.readOnly(op); err != nil {
		return err
	}
	data, err := encode(op, p)
	if err != nil {
		return err
	}
	return t.exec(op, `INSERT INTO {{prefix}}shipping_plans (id, data) VALUES (?, ?)
		ON CONFLICT (id) DO UPDATE SET data = excluded.data`, p.ID, data)
}

func (t *sqlTx) DeletePlan(id string) error {
	const op = "storesql.Tx.DeletePlan"
	if err := t.readOnly(op); err != nil {
		return err
	}
	return t.exec(op, `DELETE FROM {{prefix}}shipping_plans WHERE id = ?`, id)
}

func (t *sqlTx) HasPlan(id string) (bool, error) {
	var one int
	err := t.tx.QueryRowContext(t.ctx, t.s.st.Q(`SELECT 1 FROM {{prefix}}shipping_plans WHERE id = ?`+t.forUpdate()), id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, t.fail("storesql.Tx.HasPlan", err)
	}
	return true, nil
}

// AppendEvent numbers the event from the outbox's counter row, read once per transaction and
// locked (PostgreSQL) or under the write lock (SQLite) until commit: transactions that append
// events commit in the order of their numbers, so acknowledging up to a number never skips an
// event that commits later.
func (t *sqlTx) AppendEvent(e shipping.Event) (uint64, error) {
	const op = "storesql.Tx.AppendEvent"
	if err := t.readOnly(op); err != nil {
		return 0, err
	}
	if !t.seqLoaded {
		var n int64
		if err := t.tx.QueryRowContext(t.ctx, t.s.st.Q(`SELECT num FROM {{prefix}}shipping_meta WHERE name = 'event_seq'`+t.forUpdate())).Scan(&n); err != nil {
			return 0, t.fail(op, err)
		}
		t.seq, t.seqLoaded = uint64(n), true
	}
	t.seq++
	e.Seq = t.seq
	data, err := encode(op, e)
	if err != nil {
		return 0, err
	}
	if err := t.exec(op, `INSERT INTO {{prefix}}shipping_events (seq, data) VALUES (?, ?)`, int64(e.Seq), data); err != nil {
		return 0, err
	}
	t.seqDirty = true
	return e.Seq, nil
}

func (t *sqlTx) Events(after uint64, limit int) ([]shipping.Event, error) {
	q := `SELECT data FROM {{prefix}}shipping_events WHERE seq > ? ORDER BY seq`
	args := []any{int64(after)}
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	return list[shipping.Event](t, "storesql.Tx.Events", q, args...)
}

func (t *sqlTx) AckEvents(seq uint64) error {
	const op = "storesql.Tx.AckEvents"
	if err := t.readOnly(op); err != nil {
		return err
	}
	return t.exec(op, `DELETE FROM {{prefix}}shipping_events WHERE seq <= ?`, int64(seq))
}
