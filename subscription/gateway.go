package subscription

import (
	"context"
	"errors"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/wire"
)

// BillingKeyDeleter deletes a billing key at the payment gateway. It is injected so this
// package does no I/O; it must be safe to call again for a key already deleted.
type BillingKeyDeleter func(ctx context.Context, billingKeyRef string) error

// GatewayResetReport is the outcome of GatewayReset.
type GatewayResetReport struct {
	// Terminated lists the subscriptions this call terminated, in input order.
	Terminated []string
	// KeysDeleted lists the subscriptions whose billing key is now recorded as deleted.
	KeysDeleted []string
	// Events are EventTerminated, addressed to the customer and to the operator, for each
	// terminated subscription (Cafe24 sends the "정기배송 자동 해지" mail to both).
	Events []Event
	// Errors holds one *BillingKeyError per subscription whose key could not be deleted.
	Errors []error
}

// Err joins Errors (nil when every deletion succeeded).
func (r GatewayResetReport) Err() error { return errors.Join(r.Errors...) }

// GatewayReset applies a payment-gateway change or reset (Cafe24 정기배송(정기결제) FAQ:
// changing the gateway ends every subscription and deletes the stored cards): every active or
// paused subscription is terminated (a round in progress is cancelled without a charge),
// then the billing key of every given subscription not yet recorded as deleted is deleted
// through deleteKey — ended subscriptions included, as the platform deletes all stored
// cards. A key shared by several subscriptions is deleted once. A failed deletion is
// collected as a *BillingKeyError and never stops the others; once ctx is done the
// remaining deletions are not attempted and report ctx.Err(). Calling GatewayReset again
// retries only the failed deletions and terminates nothing twice.
//
// The returned error is nil, a *kshop.ValidationError (nothing was done: a nil ctx or
// deleteKey, a bad reason), or report.Err() (the report is complete either way). Deletions
// run one after another in input order, so the report is deterministic.
func GatewayReset(ctx context.Context, subs []*Subscription, deleteKey BillingKeyDeleter, reason string) (GatewayResetReport, error) {
	return gatewayReset(ctx, "subscription.GatewayReset", subs, deleteKey, reason)
}

func gatewayReset(ctx context.Context, op string, subs []*Subscription, deleteKey BillingKeyDeleter, reason string) (GatewayResetReport, error) {
	if err := wire.CheckContext(ctx, op); err != nil {
		return GatewayResetReport{}, err
	}
	var p problems
	if deleteKey == nil {
		p.arg("deleteKey", kshop.RuleRequired, "")
	}
	p.text("reason", reason, false, maxFieldLength, true)
	if err := p.err(op); err != nil {
		return GatewayResetReport{}, err
	}
	if reason == "" {
		reason = "payment gateway reset"
	}
	var rep GatewayResetReport
	for _, s := range subs {
		if s == nil {
			continue
		}
		if ev, ok := s.terminate(reason); ok {
			rep.Terminated = append(rep.Terminated, s.id)
			rep.Events = append(rep.Events, ev...)
		}
	}

	outcome := make(map[string]error) // billing key ref → result of its deletion
	for _, s := range subs {
		if s == nil {
			continue
		}
		ref, pending := s.keyToDelete()
		if !pending {
			continue
		}
		err, done := outcome[ref]
		if !done {
			if cerr := ctx.Err(); cerr != nil {
				err = cerr
			} else {
				err = deleteKey(ctx, ref)
			}
			outcome[ref] = err
		}
		if err != nil {
			rep.Errors = append(rep.Errors, &BillingKeyError{SubscriptionID: s.id, MaskedKeyRef: maskKeyRef(ref), Err: err})
			continue
		}
		s.markKeyDeleted()
		rep.KeysDeleted = append(rep.KeysDeleted, s.id)
	}
	return rep, rep.Err()
}

// terminate ends an active or paused subscription with StateTerminated.
func (s *Subscription) terminate(reason string) ([]Event, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state.Ended() {
		return nil, false
	}
	now := s.rules.Now()
	var stopped *Round
	if r := s.current(); fixedRound(r) {
		r.Status, r.SettledAt, r.Reason = RoundCancelled, now, reason
		stopped = r
	} else {
		s.dropUnfixed()
	}
	s.end(StateTerminated, now, reason)
	s.refresh()
	e := s.roundEvent(EventTerminated, AudienceCustomer, stopped, now)
	e.Reason = reason
	return bothAudiences(e), true
}

func (s *Subscription) keyToDelete() (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.billingKeyRef, !s.billingKeyDeleted && s.billingKeyRef != ""
}

func (s *Subscription) markKeyDeleted() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.billingKeyDeleted = true
}
