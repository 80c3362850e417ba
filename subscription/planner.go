package subscription

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kshop-dev/kshop"
)

// Planner holds many subscriptions and tells which actions are due. It is safe for
// concurrent use: Add and Remove take a write lock; Due, Get, All, Agenda and GatewayReset a read lock.
//
// Due is cheap per subscription: a subscription publishes the instant of its next action
// in an atomic, so one with nothing due costs one atomic load and no allocation; only due
// subscriptions are locked.
type Planner struct {
	mu    sync.RWMutex
	subs  []*Subscription
	index map[string]int
}

// NewPlanner returns an empty planner.
func NewPlanner() *Planner {
	return &Planner{index: make(map[string]int)}
}

// Add registers subscriptions. It refuses nil and an ID already held
// (ErrDuplicateSubscription), adding none of them then; the *kshop.ValidationError names
// every refused position ("subs[2]").
func (p *Planner) Add(subs ...*Subscription) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var ps problems
	seen := make(map[string]bool, len(subs))
	for i, s := range subs {
		if s == nil {
			ps.arg(index("subs", i), kshop.RuleRequired, "nil subscription")
			continue
		}
		if _, dup := p.index[s.id]; dup || seen[s.id] {
			ps.arg(index("subs", i), kshop.RuleConflict, "a subscription with that ID is already held").Err = ErrDuplicateSubscription
		}
		seen[s.id] = true
	}
	if err := ps.err("subscription.Planner.Add"); err != nil {
		return err
	}
	p.subs = slices.Grow(p.subs, len(subs))
	for _, s := range subs {
		p.index[s.id] = len(p.subs)
		p.subs = append(p.subs, s)
	}
	return nil
}

// Remove unregisters a subscription and reports whether it was held.
func (p *Planner) Remove(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	i, ok := p.index[id]
	if !ok {
		return false
	}
	last := len(p.subs) - 1
	p.subs[i] = p.subs[last]
	p.index[p.subs[i].id] = i
	p.subs[last] = nil
	p.subs = p.subs[:last]
	delete(p.index, id)
	return true
}

// Get returns the subscription with that ID.
func (p *Planner) Get(id string) (*Subscription, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	i, ok := p.index[id]
	if !ok {
		return nil, false
	}
	return p.subs[i], true
}

// All returns the subscriptions held, sorted by ID (a fresh slice): what a shop stores with
// Snapshot before a shutdown, or shows an operator.
func (p *Planner) All() []*Subscription {
	p.mu.RLock()
	out := slices.Clone(p.subs)
	p.mu.RUnlock()
	slices.SortFunc(out, func(a, b *Subscription) int { return strings.Compare(a.id, b.id) })
	return out
}

// Len returns the number of subscriptions held.
func (p *Planner) Len() int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return len(p.subs)
}

// Due returns the actions due at asOf: at most one per subscription (its pending notice,
// charge, retry or expiry whose instant is not after asOf), sorted by instant, then
// subscription ID, then round. Due changes nothing, so it is idempotent: an action stays
// due, with the same ID, until its outcome is recorded on the subscription (RecordNoticeSent,
// RecordCharge, RecordExpired) or a change makes it moot; after that a second Due at the
// same instant no longer returns it. Paused and ended subscriptions have no actions.
func (p *Planner) Due(asOf time.Time) []Action {
	return p.AppendDue(nil, asOf)
}

// AppendDue is Due appending to dst (reuse dst across calls to avoid allocations).
func (p *Planner) AppendDue(dst []Action, asOf time.Time) []Action {
	p.mu.RLock()
	start := len(dst)
	dst = appendDue(dst, asOf, p.subs)
	p.mu.RUnlock()
	sortActions(dst[start:])
	return dst
}

// AppendDue appends the actions due at asOf for subs (in Planner.Due's order) to dst;
// it is the planner's loop for callers who keep subscriptions elsewhere.
func AppendDue(dst []Action, asOf time.Time, subs []*Subscription) []Action {
	start := len(dst)
	dst = appendDue(dst, asOf, subs)
	sortActions(dst[start:])
	return dst
}

func appendDue(dst []Action, asOf time.Time, subs []*Subscription) []Action {
	limit := asOf.UnixNano()
	for _, s := range subs {
		if s == nil || s.nextDue.Load() > limit {
			continue
		}
		if a, ok := s.dueLocked(asOf); ok {
			dst = append(dst, a)
		}
	}
	return dst
}

func sortActions(a []Action) {
	slices.SortFunc(a, func(x, y Action) int {
		return cmp.Or(
			x.At.Compare(y.At),
			strings.Compare(x.SubscriptionID, y.SubscriptionID),
			cmp.Compare(x.RoundSeq, y.RoundSeq),
			cmp.Compare(x.Kind, y.Kind),
			cmp.Compare(x.Attempt, y.Attempt),
		)
	})
}

// GatewayReset runs GatewayReset over every subscription held, in the order they were
// added (removals may reorder). The planner is not locked while keys are deleted.
func (p *Planner) GatewayReset(ctx context.Context, deleteKey BillingKeyDeleter, reason string) (GatewayResetReport, error) {
	p.mu.RLock()
	subs := slices.Clone(p.subs)
	p.mu.RUnlock()
	return gatewayReset(ctx, "subscription.Planner.GatewayReset", subs, deleteKey, reason)
}
