package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"time"
)

// aborted carries an error out of a transaction function unchanged and without a retry.
type aborted struct{ err error }

func (a *aborted) Error() string { return a.err.Error() }
func (a *aborted) Unwrap() error { return a.err }

// Abort marks err, returned from a Tx function, as the caller's own: Tx rolls back and
// returns err as it is, without retrying or classifying it.
func Abort(err error) error {
	if err == nil {
		return nil
	}
	return &aborted{err: err}
}

// Tx runs fn in a transaction and commits it. When the database refuses the transaction in a
// way that rolled it back whole (PostgreSQL serialization failure 40001 or deadlock 40P01,
// SQLite busy or locked), fn runs again in a new transaction, up to the store's MaxAttempts
// times with a short jittered backoff, so fn must only touch the database through tx and
// values it re-reads. Other failures come back as an *Error; an error fn returns through
// Abort comes back as it is. The context ends the waits between attempts too.
func (s *Store) Tx(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	return s.tx(ctx, op, nil, fn)
}

// ReadTx is Tx for a read-only transaction: READ ONLY on PostgreSQL, a deferred (snapshot)
// transaction on SQLite that takes no write lock, so reads do not queue behind writers.
func (s *Store) ReadTx(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	return s.tx(ctx, op, &sql.TxOptions{ReadOnly: true}, fn)
}

func (s *Store) tx(ctx context.Context, op string, opts *sql.TxOptions, fn func(tx *sql.Tx) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = s.txOnce(ctx, opts, fn)
		var a *aborted
		if errors.As(err, &a) {
			return a.err
		}
		if err == nil {
			return nil
		}
		if !retryable(err) || attempt >= s.maxAttempts {
			return wrapAttempts(op, err, attempt)
		}
		if werr := sleep(ctx, backoff(attempt)); werr != nil {
			return wrapAttempts(op, werr, attempt)
		}
	}
}

func (s *Store) txOnce(ctx context.Context, opts *sql.TxOptions, fn func(tx *sql.Tx) error) error {
	tx, err := s.DB.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Exec runs one statement (already prepared with Q) with the same bounded retry as Tx and
// returns the rows it affected. On SQLite the store's statements run one at a time, queued in
// the process (see Store.writer); a context that ends while queued returns before the
// statement is sent.
func (s *Store) Exec(ctx context.Context, op, query string, args ...any) (int64, error) {
	for attempt := 1; ; attempt++ {
		res, err := s.exec(ctx, query, args)
		if err == nil {
			n, rerr := res.RowsAffected()
			return n, wrapAttempts(op, rerr, attempt)
		}
		if !retryable(err) || attempt >= s.maxAttempts {
			return 0, wrapAttempts(op, err, attempt)
		}
		if werr := sleep(ctx, backoff(attempt)); werr != nil {
			return 0, wrapAttempts(op, werr, attempt)
		}
	}
}

// exec runs one statement, on SQLite after the store's earlier writes have finished.
func (s *Store) exec(ctx context.Context, query string, args []any) (sql.Result, error) {
	if s.writer != nil {
		select {
		case s.writer <- struct{}{}:
			defer func() { <-s.writer }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return s.DB.ExecContext(ctx, query, args...)
}

// backoff grows from about 2 ms to 250 ms, with full jitter so that the instances that
// collided do not collide again.
func backoff(attempt int) time.Duration {
	d := 2 * time.Millisecond << min(attempt-1, 7)
	d = min(d, 250*time.Millisecond)
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
