package ledgersql

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"io/fs"
	"sync"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
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
// the settings the ledger is tested with (busy timeout, WAL, immediate transactions).
func SQLiteDSN(path string) string { return sqlstore.SQLiteDSN(path) }

// Error is a database failure of one ledger call; errors.Is matches its Kind (ErrClosed,
// ErrConnection, ErrContention, ErrDiskFull, ErrDatabase) and the driver's error.
type Error = sqlstore.Error

// SchemaError says the ledger's tables are older (run Migrate) or newer (refused) than the code.
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

// ErrNotHeld is returned by Release for a ref this Ledger value did not claim (another
// instance's claim, one made before a restart, or one already released): nothing is freed.
var ErrNotHeld = errors.New("ledgersql: this ledger holds no claim on the ref; nothing released")

// MaxRefLength is the longest ref accepted (alimtalk.DeliveryRef makes 35 characters).
const MaxRefLength = 255

// Option configures New.
type Option func(*sqlstore.Config)

// WithTablePrefix puts prefix before the ledger's table names (default "kshop_"), so they
// live beside the shop's own tables: letters, digits and "_", up to 40.
func WithTablePrefix(prefix string) Option { return func(c *sqlstore.Config) { c.Prefix = prefix } }

// WithInstanceID names this process in the claims it makes (default: host name and process
// ID), so an operator can see who claimed a ref.
func WithInstanceID(id string) Option { return func(c *sqlstore.Config) { c.Instance = id } }

// WithClock sets the clock that stamps claims (default time.Now).
func WithClock(now func() time.Time) Option { return func(c *sqlstore.Config) { c.Now = now } }

// WithMaxAttempts bounds how often one call runs when the database reports contention
// (serialization failure, deadlock, SQLite busy); default 8.
func WithMaxAttempts(n int) Option { return func(c *sqlstore.Config) { c.MaxAttempts = n } }

// DefaultHeld is how many of its own claims a Ledger remembers for Release.
const DefaultHeld = 65_536

// Ledger is an alimtalk.Ledger in a SQL database. It is safe for concurrent use, and any
// number of Ledgers (processes, pools) may share one database.
type Ledger struct {
	st *sqlstore.Store
	q  queries
	// instance is st.Instance as a driver argument, boxed once rather than on every claim.
	instance any

	mu      sync.Mutex
	held    map[string]string // ref → token of a claim this ledger made and has not released
	order   [][]heldClaim     // claims in claim order, in chunks of heldChunk, for forgetting the oldest
	n       int               // claims in order (at most limit)
	next    int               // once order is full, the position of the oldest claim
	limit   int
	orphans map[string]orphanClaim // ref → a claim whose INSERT may have committed unseen
}

var _ alimtalk.Ledger = (*Ledger)(nil)

// queries are the ledger's statements for its dialect and prefix, built once in New: a claim
// is one statement, and rewriting its text on every call was a third of Claim's allocations.
type queries struct {
	claim, adopt, release, lookup, prune string
}

func newQueries(st *sqlstore.Store) queries {
	return queries{
		claim: st.Q(`INSERT INTO {{prefix}}alimtalk_ledger (ref, token, instance, claimed_at)
		VALUES (?, ?, ?, ?) ON CONFLICT (ref) DO NOTHING`),
		adopt:   st.Q(`UPDATE {{prefix}}alimtalk_ledger SET token = ? WHERE ref = ? AND token = ?`),
		release: st.Q(`DELETE FROM {{prefix}}alimtalk_ledger WHERE ref = ? AND token = ?`),
		lookup:  st.Q(`SELECT ref, token, instance, claimed_at FROM {{prefix}}alimtalk_ledger WHERE ref = ?`),
		prune:   st.Q(`DELETE FROM {{prefix}}alimtalk_ledger WHERE claimed_at < ?`),
	}
}

// New returns a ledger over db, a pool the caller opened with the dialect's driver ("pgx"
// from github.com/jackc/pgx/v5/stdlib, or "sqlite" from modernc.org/sqlite, best with
// SQLiteDSN). It makes no database call; run Migrate once before use (at every start is
// fine). A nil db, an unknown dialect or a bad option is refused with a
// *kshop.ValidationError.
func New(db *sql.DB, dialect Dialect, opts ...Option) (*Ledger, error) {
	sub, _ := fs.Sub(migrationFiles, "migrations")
	c := sqlstore.Config{Op: "ledgersql.New", Name: "alimtalk ledger", Migrations: sub}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	st, err := sqlstore.New(db, dialect, c)
	if err != nil {
		return nil, err
	}
	return &Ledger{st: st, q: newQueries(st), instance: st.Instance, held: map[string]string{}, limit: DefaultHeld, orphans: map[string]orphanClaim{}}, nil
}

// Migrate creates or upgrades the ledger's tables. Several instances may run it at once (a
// PostgreSQL advisory lock, SQLite's write lock); a schema newer than this code is refused
// with a *SchemaError wrapping ErrSchemaTooNew.
func (l *Ledger) Migrate(ctx context.Context) error {
	if err := wire.CheckContext(ctx, "ledgersql.Migrate"); err != nil {
		return err
	}
	return l.st.Migrate(ctx, "ledgersql.Migrate")
}

func checkRef(op, ref string) error {
	switch {
	case ref == "":
		return kshop.NewValidationError(op, []*kshop.FieldError{{Field: "ref", Rule: kshop.RuleRequired}})
	case len(ref) > MaxRefLength:
		return kshop.NewValidationError(op, []*kshop.FieldError{{Field: "ref", Rule: kshop.RuleTooLong, Limit: MaxRefLength, Got: len(ref)}})
	}
	return nil
}

// Claim records ref with a fresh claim token, this instance's ID and the time, and reports
// true; it reports false when ref is already claimed, by anyone. Of any number of concurrent
// claims of one ref, across pools and processes, exactly one gets true: the claim is one
// INSERT … ON CONFLICT DO NOTHING on the ref's primary key.
//
// When Claim returns an error the ref is not claimed by this call: if the INSERT may have
// committed unseen (a connection lost or a context ended mid-statement), the ledger deletes
// that row by its token at once, or, when the database cannot be reached, remembers it and
// adopts or deletes it on its next call. A nil ctx or an empty or over-long ref is refused
// with a *kshop.ValidationError; a schema not at this code's version with a *SchemaError.
func (l *Ledger) Claim(ctx context.Context, ref string) (bool, error) {
	const op = "ledgersql.Claim"
	if err := wire.CheckContext(ctx, op); err != nil {
		return false, err
	}
	if err := checkRef(op, ref); err != nil {
		return false, err
	}
	if err := l.st.Ready(ctx, op); err != nil {
		return false, err
	}
	l.sweepOrphans(ctx)
	token := sqlstore.NewToken()
	n, err := l.st.Exec(ctx, op, l.q.claim, ref, token, l.instance, sqlstore.Micros(l.st.Now()))
	if err != nil {
		l.orphan(ref, token)
		return false, err
	}
	if n == 1 {
		l.hold(ref, token)
		return true, nil
	}
	// Taken. If the taker is an earlier call of ours that failed after its INSERT committed,
	// that claim was never reported to anyone: adopt it.
	if old, ok := l.orphanOf(ref); ok {
		return l.adopt(ctx, op, ref, old)
	}
	return false, nil
}

// adopt takes over the row of an orphaned claim of ref by giving it a new token, in one
// UPDATE that matches only the orphan's token. A sweep of this ledger may be deleting that
// row by the orphan's token at the same moment: whichever statement runs second matches
// nothing, so the ref is never both adopted and freed for somebody else to claim. When the
// sweep won, the ref is free and is claimed afresh.
func (l *Ledger) adopt(ctx context.Context, op, ref, old string) (bool, error) {
	token := sqlstore.NewToken()
	n, err := l.st.Exec(ctx, op, l.q.adopt, token, ref, old)
	if err != nil {
		// Whether the row changed cannot be told now: undo a swap that may have committed
		// (the old token stays an orphan for the sweep). "Already claimed" would drop a
		// message nobody sends.
		l.deleteOrphan(ref, token)
		return false, err
	}
	if n == 1 {
		l.mu.Lock()
		if l.orphans[ref].token == old {
			delete(l.orphans, ref)
		}
		l.mu.Unlock()
		l.hold(ref, token)
		return true, nil
	}
	// The orphan's row is gone (swept) or carries somebody else's token: claim as usual.
	n, err = l.st.Exec(ctx, op, l.q.claim, ref, token, l.instance, sqlstore.Micros(l.st.Now()))
	if err != nil {
		l.orphan(ref, token)
		return false, err
	}
	if n == 1 {
		l.hold(ref, token)
		return true, nil
	}
	return false, nil
}

// Release frees ref when this Ledger claimed it and has not released it yet, so a later
// dispatch may send it; the claim row is deleted only if it still carries this ledger's
// token. For any other ref it frees nothing and returns ErrNotHeld. The dispatcher releases
// only messages that certainly did not go out; unknown outcomes stay claimed.
func (l *Ledger) Release(ctx context.Context, ref string) error {
	const op = "ledgersql.Release"
	if err := wire.CheckContext(ctx, op); err != nil {
		return err
	}
	if err := checkRef(op, ref); err != nil {
		return err
	}
	l.mu.Lock()
	token, ok := l.held[ref]
	l.mu.Unlock()
	if !ok {
		return ErrNotHeld
	}
	if err := l.st.Ready(ctx, op); err != nil {
		return err
	}
	if _, err := l.st.Exec(ctx, op, l.q.release, ref, token); err != nil {
		return err // still held: the caller may release again
	}
	l.mu.Lock()
	if l.held[ref] == token {
		delete(l.held, ref)
	}
	l.mu.Unlock()
	return nil
}

// Claim is one recorded claim.
type Claim struct {
	// Ref is the claimed ref.
	Ref string
	// Instance is the instance ID of the ledger that claimed it (WithInstanceID).
	Instance string
	// ClaimedAt is when, by that ledger's clock (UTC).
	ClaimedAt time.Time
	// Mine reports whether this Ledger value made the claim and can release it.
	Mine bool
}

// Lookup returns the claim on ref, if any: who claimed it and when, for reconciling a
// message whose outcome is unknown.
func (l *Ledger) Lookup(ctx context.Context, ref string) (Claim, bool, error) {
	const op = "ledgersql.Lookup"
	if err := wire.CheckContext(ctx, op); err != nil {
		return Claim{}, false, err
	}
	if err := checkRef(op, ref); err != nil {
		return Claim{}, false, err
	}
	if err := l.st.Ready(ctx, op); err != nil {
		return Claim{}, false, err
	}
	var c Claim
	var token string
	var at int64
	err := l.st.DB.QueryRowContext(ctx, l.q.lookup, ref).
		Scan(&c.Ref, &token, &c.Instance, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Claim{}, false, nil
	}
	if err != nil {
		return Claim{}, false, sqlstore.Wrap(op, err)
	}
	c.ClaimedAt = sqlstore.FromMicros(at)
	l.mu.Lock()
	c.Mine = l.held[ref] == token
	l.mu.Unlock()
	return c, true, nil
}

// Prune deletes the claims made before cutoff and returns how many. A pruned ref can be
// claimed, and so sent, again: keep claims longer than any event can be re-delivered.
func (l *Ledger) Prune(ctx context.Context, cutoff time.Time) (int64, error) {
	const op = "ledgersql.Prune"
	if err := wire.CheckContext(ctx, op); err != nil {
		return 0, err
	}
	if err := l.st.Ready(ctx, op); err != nil {
		return 0, err
	}
	return l.st.Exec(ctx, op, l.q.prune, sqlstore.Micros(cutoff))
}

type heldClaim struct{ ref, token string }

// heldChunk is how many claims one chunk of Ledger.order holds. Fixed chunks, rather than
// one slice grown by append, keep a young ledger from copying its whole history again and
// again (append grows a large slice by a quarter each time): that copying was the largest
// cost of Claim besides the INSERT until the ledger had made DefaultHeld claims.
const heldChunk = 1024

// hold remembers a claim for Release, forgetting the oldest beyond the limit (a forgotten
// claim stays claimed: the safe direction).
func (l *Ledger) hold(ref, token string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	entry := heldClaim{ref: ref, token: token}
	if l.n < l.limit {
		c := l.n / heldChunk
		if c == len(l.order) {
			l.order = append(l.order, make([]heldClaim, 0, min(heldChunk, l.limit-l.n)))
		}
		l.order[c] = append(l.order[c], entry)
		l.n++
	} else {
		slot := &l.order[l.next/heldChunk][l.next%heldChunk]
		// A released and re-claimed ref has a newer token; its old slot must not forget it.
		if l.held[slot.ref] == slot.token {
			delete(l.held, slot.ref)
		}
		*slot = entry
		l.next = (l.next + 1) % l.limit
	}
	l.held[ref] = token
}

// orphanSettle is how long a failed claim's token is remembered after its row was last seen
// absent: a statement cut off by its context can still commit a moment after the DELETE that
// found nothing, and a Claim that then finds the ref taken by that token adopts it.
const orphanSettle = 5 * time.Minute

// orphanClaim is a claim whose INSERT may have committed although Claim failed.
type orphanClaim struct {
	token string
	since time.Time
}

// orphan deletes a claim whose INSERT may have committed although Claim failed, and keeps its
// token for orphanSettle either way (see orphanSettle), or until a sweep deletes the row.
func (l *Ledger) orphan(ref, token string) {
	deleted := l.deleteOrphan(ref, token)
	l.mu.Lock()
	defer l.mu.Unlock()
	if deleted > 0 {
		return
	}
	if len(l.orphans) < l.limit {
		l.orphans[ref] = orphanClaim{token: token, since: time.Now()}
	}
}

func (l *Ledger) orphanOf(ref string) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	o, ok := l.orphans[ref]
	return o.token, ok
}

// deleteOrphan deletes the orphan's row and reports how many rows went (-1: the database
// could not be reached).
func (l *Ledger) deleteOrphan(ref, token string) int64 {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	res, err := l.st.DB.ExecContext(ctx, l.q.release, ref, token)
	if err != nil {
		return -1
	}
	n, err := res.RowsAffected()
	if err != nil {
		return -1
	}
	return n
}

// sweepOrphans retries the deletion of remembered orphans, a few per call; an orphan is
// forgotten once its row was deleted, or once orphanSettle has passed since it was recorded.
func (l *Ledger) sweepOrphans(ctx context.Context) {
	l.mu.Lock()
	if len(l.orphans) == 0 {
		l.mu.Unlock()
		return
	}
	type pair struct {
		ref string
		orphanClaim
	}
	var batch []pair
	for r, o := range l.orphans {
		batch = append(batch, pair{r, o})
		if len(batch) == 8 {
			break
		}
	}
	l.mu.Unlock()
	for _, p := range batch {
		res, err := l.st.DB.ExecContext(ctx, l.q.release, p.ref, p.token)
		if err != nil {
			return
		}
		n, _ := res.RowsAffected()
		if n == 0 && time.Since(p.since) < orphanSettle {
			continue
		}
		l.mu.Lock()
		if l.orphans[p.ref].token == p.token {
			delete(l.orphans, p.ref)
		}
		l.mu.Unlock()
	}
}
