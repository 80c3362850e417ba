package storesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/sqlstore"
	"github.com/kshop-dev/kshop/subscription"
)

// ActionClaim is this worker's exclusive hold on one planner action until LeaseUntil.
type ActionClaim struct {
	// Action is the claimed action; run its side effect with Action.ID() as the idempotency
	// key (AlimTalk ref, gateway order ID).
	Action subscription.Action
	// Attempt counts the claims of this action, this one included: above 1, an earlier
	// worker claimed it and did not record an outcome (it may have done the side effect).
	Attempt int
	// ClaimedAt and LeaseUntil bound the hold, by the store's clock (UTC).
	ClaimedAt, LeaseUntil time.Time

	token string
}

// actionQueries are the claim statements for the store's dialect and prefix, built once in
// New: a claim is usually one INSERT, and rewriting its text on every call cost allocations.
type actionQueries struct {
	claim, takeOver, attempts string
}

func newActionQueries(st *sqlstore.Store) actionQueries {
	return actionQueries{
		claim: st.Q(`INSERT INTO {{prefix}}subscription_actions
		(action_id, subscription_id, token, instance, attempts, claimed_at, lease_until, done_at)
		VALUES (?, ?, ?, ?, 1, ?, ?, NULL) ON CONFLICT (action_id) DO NOTHING`),
		takeOver: st.Q(`UPDATE {{prefix}}subscription_actions
		SET token = ?, instance = ?, attempts = attempts + 1, claimed_at = ?, lease_until = ?
		WHERE action_id = ? AND done_at IS NULL AND lease_until <= ?`),
		attempts: st.Q(`SELECT attempts FROM {{prefix}}subscription_actions WHERE action_id = ? AND token = ?`),
	}
}

// Claim takes action a for this worker: true when no one holds it and its outcome is not
// recorded; false when another worker holds a lease on it that has not expired, or its
// outcome is recorded. Of concurrent claims across instances exactly one gets true. A claim
// whose holder died without recording expires after the lease (WithLease) and the next Claim
// takes it over, with Attempt counting up.
func (s *Store) Claim(ctx context.Context, a subscription.Action) (*ActionClaim, bool, error) {
	const op = "storesql.Claim"
	if err := s.begin(ctx, op); err != nil {
		return nil, false, err
	}
	id := a.ID()
	if a.SubscriptionID == "" || a.Kind == 0 {
		return nil, false, kshop.NewValidationError(op, []*kshop.FieldError{{Field: "a", Rule: kshop.RuleRequired, Detail: "an action from Due"}})
	}
	now := s.st.Now()
	c := &ActionClaim{Action: a, Attempt: 1, ClaimedAt: now.UTC(), LeaseUntil: now.Add(s.lease).UTC(), token: sqlstore.NewToken()}
	n, err := s.st.Exec(ctx, op, s.q.claim, id, a.SubscriptionID, c.token, s.instance, sqlstore.Micros(now), sqlstore.Micros(c.LeaseUntil))
	if err != nil {
		return nil, false, err
	}
	if n == 1 {
		return c, true, nil
	}
	// Held or done: take it over only if its lease has expired and no outcome is recorded.
	// One statement, so two workers cannot both take over.
	n, err = s.st.Exec(ctx, op, s.q.takeOver, c.token, s.instance, sqlstore.Micros(now), sqlstore.Micros(c.LeaseUntil), id, sqlstore.Micros(now))
	if err != nil || n == 0 {
		return nil, false, err
	}
	err = s.st.DB.QueryRowContext(ctx, s.q.attempts, id, c.token).Scan(&c.Attempt)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, false, sqlstore.Wrap(op, err)
	}
	return c, true, nil
}

// Release gives a claim up before its lease ends, for a worker that certainly did not do the
// side effect (e.g. it is shutting down), so another worker need not wait for the lease. It
// frees nothing once the outcome is recorded or the claim was taken over.
func (s *Store) Release(ctx context.Context, c *ActionClaim) error {
	const op = "storesql.Release"
	if err := s.begin(ctx, op); err != nil {
		return err
	}
	if c == nil || c.token == "" {
		return kshop.NewValidationError(op, []*kshop.FieldError{{Field: "c", Rule: kshop.RuleRequired, Detail: "a claim from Claim"}})
	}
	_, err := s.st.Exec(ctx, op, s.st.Q(`UPDATE {{prefix}}subscription_actions SET lease_until = ?
		WHERE action_id = ? AND token = ? AND done_at IS NULL`), int64(0), c.Action.ID(), c.token)
	return err
}

// Record applies the outcome of a claimed action to its subscription and marks the action
// done, in one transaction: record loads the stored subscription, calls record on it (e.g.
// func(s) { return nil, s.RecordNoticeSent(a) } or s.RecordCharge(a, res)), saves it with a
// new version and closes the claim. An outcome is recorded at most once: a second Record
// of the action returns ErrAlreadyRecorded; a claim taken over after its lease expired
// returns ErrLeaseLost (the new holder re-runs the action with the same idempotency key and
// records it). An error from record (subscription.ErrStaleAction when a change made the
// action moot) comes back as it is and nothing is written. record may run more than once
// when the database asks for a retry; it must only act on the subscription it is given.
func (s *Store) Record(ctx context.Context, c *ActionClaim, record func(*subscription.Subscription) ([]subscription.Event, error)) ([]subscription.Event, error) {
	const op = "storesql.Record"
	if err := s.begin(ctx, op); err != nil {
		return nil, err
	}
	if c == nil || c.token == "" || record == nil {
		return nil, kshop.NewValidationError(op, []*kshop.FieldError{{Field: "c", Rule: kshop.RuleRequired, Detail: "a claim from Claim and a record function"}})
	}
	lock := ""
	if s.st.Dialect == sqlstore.PostgreSQL {
		lock = " FOR UPDATE" // SQLite's immediate transaction already holds the write lock
	}
	id := c.Action.ID()
	var events []subscription.Event
	err := s.st.Tx(ctx, op, func(tx *sql.Tx) error {
		events = nil
		var token string
		var done sql.NullInt64
		err := tx.QueryRowContext(ctx, s.st.Q(`SELECT token, done_at FROM {{prefix}}subscription_actions WHERE action_id = ?`+lock), id).Scan(&token, &done)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return sqlstore.Abort(fmt.Errorf("%s: %s: %w", op, id, ErrLeaseLost))
		case err != nil:
			return err
		case done.Valid:
			return sqlstore.Abort(fmt.Errorf("%s: %s: %w", op, id, ErrAlreadyRecorded))
		case token != c.token:
			return sqlstore.Abort(fmt.Errorf("%s: %s: %w", op, id, ErrLeaseLost))
		}
		var version int64
		var data string
		err = tx.QueryRowContext(ctx, s.st.Q(`SELECT version, snapshot FROM {{prefix}}subscriptions WHERE id = ?`+lock), c.Action.SubscriptionID).Scan(&version, &data)
		if errors.Is(err, sql.ErrNoRows) {
			return sqlstore.Abort(fmt.Errorf("%s: %q: %w", op, c.Action.SubscriptionID, ErrNotFound))
		}
		if err != nil {
			return err
		}
		sub, err := s.decode(op, data)
		if err != nil {
			return sqlstore.Abort(err)
		}
		if events, err = record(sub); err != nil {
			return sqlstore.Abort(err)
		}
		r, err := encode(sub)
		if err != nil {
			return sqlstore.Abort(fmt.Errorf("%s: %w", op, err))
		}
		now := sqlstore.Micros(s.st.Now())
		res, err := tx.ExecContext(ctx, s.st.Q(`UPDATE {{prefix}}subscriptions SET version = version + 1, state = ?, next_at = ?, snapshot = ?, updated_at = ?
			WHERE id = ? AND version = ?`), r.state, r.nextAt, r.snapshot, now, sub.ID(), version)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			if err != nil {
				return err
			}
			return sqlstore.Abort(&ConflictError{Op: op, ID: sub.ID(), Expected: version})
		}
		res, err = tx.ExecContext(ctx, s.st.Q(`UPDATE {{prefix}}subscription_actions SET done_at = ? WHERE action_id = ? AND token = ?`), now, id, c.token)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			if err != nil {
				return err
			}
			return sqlstore.Abort(fmt.Errorf("%s: %s: %w", op, id, ErrLeaseLost))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return events, nil
}

// ActionState is what the claim table knows about one action.
type ActionState struct {
	// Instance holds (or last held) the claim; Attempts counts the claims.
	Instance string
	Attempts int
	// LeaseUntil is when the current claim expires.
	LeaseUntil time.Time
	// Done reports whether the outcome is recorded, and when.
	Done   bool
	DoneAt time.Time
}

// Action returns the claim-table state of an action ID ("S-1/4/charge/1"), false when it was
// never claimed: what an operator checks for an action stuck between claim and record.
func (s *Store) Action(ctx context.Context, actionID string) (ActionState, bool, error) {
	const op = "storesql.Action"
	if err := s.begin(ctx, op); err != nil {
		return ActionState{}, false, err
	}
	var st ActionState
	var lease int64
	var done sql.NullInt64
	err := s.st.DB.QueryRowContext(ctx, s.st.Q(`SELECT instance, attempts, lease_until, done_at FROM {{prefix}}subscription_actions WHERE action_id = ?`), actionID).
		Scan(&st.Instance, &st.Attempts, &lease, &done)
	if errors.Is(err, sql.ErrNoRows) {
		return ActionState{}, false, nil
	}
	if err != nil {
		return ActionState{}, false, sqlstore.Wrap(op, err)
	}
	st.LeaseUntil = sqlstore.FromMicros(lease)
	if done.Valid {
		st.Done, st.DoneAt = true, sqlstore.FromMicros(done.Int64)
	}
	return st, true, nil
}
