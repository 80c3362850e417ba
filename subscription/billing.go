package subscription

import (
	"strconv"
	"strings"
	"time"

	"github.com/kshop-dev/kshop"
)

// ActionKind says what a due Action asks the caller to do.
type ActionKind uint8

// Action kinds.
const (
	// ActionSendNotice: send the payment notice (mail + SMS / AlimTalk). Get its content
	// with Subscription.Notice, send it, then call RecordNoticeSent.
	ActionSendNotice ActionKind = iota + 1
	// ActionCharge: charge the card. Get the request with ChargeRequest, charge, then call
	// RecordCharge with the outcome.
	ActionCharge
	// ActionRetryCharge: retry a failed charge; same calls as ActionCharge.
	ActionRetryCharge
	// ActionExpire: the round limit was reached and the last delivery day has come; call
	// RecordExpired (and send the events it returns).
	ActionExpire
)

// String returns "send notice", "charge", "retry charge" or "expire".
func (k ActionKind) String() string {
	switch k {
	case ActionSendNotice:
		return "send notice"
	case ActionCharge:
		return "charge"
	case ActionRetryCharge:
		return "retry charge"
	case ActionExpire:
		return "expire"
	}
	return "ActionKind(" + strconv.Itoa(int(k)) + ")"
}

// Action is one thing due for one subscription. Until its outcome is recorded, the
// planner returns the same action (same ID) again at every later instant, so a worker that
// crashed half-way runs it again: the caller must make the side effect itself idempotent,
// e.g. by passing ID() as the idempotency key of the AlimTalk send or of the card charge.
type Action struct {
	Kind           ActionKind
	SubscriptionID string
	// RoundSeq is the round's Seq (-1 for ActionExpire); Round is its number (회차).
	RoundSeq int
	Round    int
	// Attempt is the charge attempt: 1 for ActionCharge, 2 and up for retries.
	Attempt int
	// At is the instant the action became due.
	At time.Time
}

// ID returns the action's stable identifier: "S-1/4/notice", "S-1/4/charge/1",
// "S-1/4/charge/3" (second retry), "S-1/expire".
func (a Action) ID() string {
	var b strings.Builder
	b.Grow(len(a.SubscriptionID) + 20)
	b.WriteString(a.SubscriptionID)
	switch a.Kind {
	case ActionSendNotice:
		b.WriteByte('/')
		b.WriteString(strconv.Itoa(a.RoundSeq))
		b.WriteString("/notice")
	case ActionCharge, ActionRetryCharge:
		b.WriteByte('/')
		b.WriteString(strconv.Itoa(a.RoundSeq))
		b.WriteString("/charge/")
		b.WriteString(strconv.Itoa(a.Attempt))
	case ActionExpire:
		b.WriteString("/expire")
	default:
		b.WriteString("/unknown")
	}
	return b.String()
}

// matchPending checks that a is the action the subscription waits for.
func (s *Subscription) matchPending(a Action, verb string) error {
	p := s.pending
	if a.SubscriptionID != s.id || p.kind == 0 || a.Kind != p.kind || a.RoundSeq != p.seq || a.Attempt != p.attempt {
		return s.transitionErr(verb, s.current(), ErrStaleAction)
	}
	return nil
}

func wrongKind(op string, k ActionKind) error {
	return invalidArg("subscription.Subscription."+op, "Action.Kind", kshop.RuleNotAllowed, op+" does not take a "+k.String()+" action")
}

// Notice returns the payment notice for a pending ActionSendNotice and fixes the round's
// items and amount if that was not done yet (Cafe24 정기배송(정기결제) FAQ: from the notice
// on, the order and the amount are fixed). Calling it again returns the same content, so a re-run after a
// crash sends the same notice.
func (s *Subscription) Notice(a Action) (Event, error) {
	if a.Kind != ActionSendNotice {
		return Event{}, wrongKind("Notice", a.Kind)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.matchPending(a, "prepare notice"); err != nil {
		return Event{}, err
	}
	r := s.current()
	s.freeze(r, s.rules.Now())
	return s.roundEvent(EventPaymentNotice, AudienceCustomer, r, r.NoticeAt), nil
}

// RecordNoticeSent records that the notice of a pending ActionSendNotice was sent. The
// round becomes noticed and the charge becomes pending. (If Notice was not called, the
// amount is fixed now.)
func (s *Subscription) RecordNoticeSent(a Action) error {
	if a.Kind != ActionSendNotice {
		return wrongKind("RecordNoticeSent", a.Kind)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.matchPending(a, "record notice"); err != nil {
		return err
	}
	s.noticeSentLocked(s.rules.Now())
	return nil
}

// noticeSentLocked moves the current round to noticed at now.
func (s *Subscription) noticeSentLocked(now time.Time) {
	r := s.current()
	s.freeze(r, now)
	r.Status = RoundNoticed
	r.NoticedAt = now
	s.refresh()
}

// ChargeRequest is what the caller sends to the payment gateway.
type ChargeRequest struct {
	// IdempotencyKey is the action ID; send it as the gateway's order/merchant ID so a
	// repeated attempt is not charged twice.
	IdempotencyKey string
	SubscriptionID string
	RoundSeq       int
	Round          int
	Attempt        int
	Amount         int64
	BillingKeyRef  string
	Items          []Item
	DeliveryDate   Date
	Customer       Customer
}

// ChargeRequest returns the charge for a pending ActionCharge or ActionRetryCharge: the
// amount fixed by the notice.
func (s *Subscription) ChargeRequest(a Action) (ChargeRequest, error) {
	if a.Kind != ActionCharge && a.Kind != ActionRetryCharge {
		return ChargeRequest{}, wrongKind("ChargeRequest", a.Kind)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.matchPending(a, "prepare charge"); err != nil {
		return ChargeRequest{}, err
	}
	r := s.current()
	return ChargeRequest{
		IdempotencyKey: a.ID(), SubscriptionID: s.id, RoundSeq: r.Seq, Round: r.Number, Attempt: a.Attempt,
		Amount: r.Quote.Total, BillingKeyRef: s.billingKeyRef, Items: cloneItems(r.Items),
		DeliveryDate: r.Delivery, Customer: s.customer,
	}, nil
}

// ChargeResult is the outcome of a charge attempt.
type ChargeResult struct {
	Success bool
	// OrderRef is the order created for a successful charge.
	OrderRef string
	// FailureReason is the gateway's reason for a declined charge (no card data in it).
	FailureReason string
}

// Charged returns a successful ChargeResult.
func Charged(orderRef string) ChargeResult { return ChargeResult{Success: true, OrderRef: orderRef} }

// Declined returns a failed ChargeResult.
func Declined(reason string) ChargeResult { return ChargeResult{FailureReason: reason} }

// RecordCharge records the outcome of a pending ActionCharge or ActionRetryCharge.
//
// Success: the round is charged (its receiver is the subscription's receiver now), the
// next round is scheduled (or, when the round limit is reached, expiry becomes pending at
// the last delivery date). Events: EventCharged.
//
// Failure: the round is retried on the Rules' schedule, counted from this first failure
// (EventChargeFailed with NextRetryAt). When no retry is left the round fails
// (EventRoundFailed to customer and operator) and the exhaustion policy applies: the next
// round is scheduled, or the subscription fails (EventFailed to both).
func (s *Subscription) RecordCharge(a Action, res ChargeResult) ([]Event, error) {
	var p problems
	if a.Kind != ActionCharge && a.Kind != ActionRetryCharge {
		p.arg("Action.Kind", kshop.RuleNotAllowed, "RecordCharge does not take a "+a.Kind.String()+" action")
	}
	p.text("ChargeResult.OrderRef", res.OrderRef, false, maxFieldLength, false)
	p.text("ChargeResult.FailureReason", res.FailureReason, false, maxFieldLength, true)
	if err := p.err("subscription.Subscription.RecordCharge"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.matchPending(a, "record charge"); err != nil {
		return nil, err
	}
	now := s.rules.Now()
	r := s.current()
	r.Attempts++
	var events []Event
	if res.Success {
		s.chargedLocked(r, res.OrderRef, now)
		e := s.roundEvent(EventCharged, AudienceCustomer, r, now)
		e.Attempt = r.Attempts
		events = append(events, e)
		s.scheduleNext(now)
		s.refresh()
		return events, nil
	}

	if r.Attempts == 1 {
		r.FirstFailureAt = now
	}
	r.LastFailure = res.FailureReason
	if next, ok := s.rules.retry.slot(r.FirstFailureAt, r.Attempts-1); ok {
		r.Status = RoundRetrying
		e := s.roundEvent(EventChargeFailed, AudienceCustomer, r, now)
		e.Attempt, e.Reason, e.NextRetryAt = r.Attempts, res.FailureReason, next
		events = append(events, e)
		s.refresh()
		return events, nil
	}

	r.Status, r.SettledAt = RoundFailed, now
	e := s.roundEvent(EventRoundFailed, AudienceCustomer, r, now)
	e.Attempt, e.Reason = r.Attempts, res.FailureReason
	events = append(events, bothAudiences(e)...)
	if s.rules.exhaustion == FailSubscription {
		s.end(StateFailed, now, "billing retries exhausted")
		f := s.roundEvent(EventFailed, AudienceCustomer, r, now)
		f.Reason = res.FailureReason
		events = append(events, bothAudiences(f)...)
	} else {
		s.scheduleNext(now)
	}
	s.refresh()
	return events, nil
}

// RecordExpired records a pending ActionExpire: the subscription expires (the round limit
// was reached; Cafe24 turns the application to 해지 automatically). It returns
// EventExpired addressed to the customer and the operator.
func (s *Subscription) RecordExpired(a Action) ([]Event, error) {
	if a.Kind != ActionExpire {
		return nil, wrongKind("RecordExpired", a.Kind)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.matchPending(a, "record expiry"); err != nil {
		return nil, err
	}
	now := s.rules.Now()
	s.expireLocked(now)
	e := s.roundEvent(EventExpired, AudienceCustomer, nil, now)
	e.Round = s.charged
	e.DeliveryDate = s.lastChargedDelivery
	return bothAudiences(e), nil
}

// chargedLocked records a successful charge of round r (whose Attempts already counts it);
// the caller schedules the next round.
func (s *Subscription) chargedLocked(r *Round, orderRef string, now time.Time) {
	r.Status, r.OrderRef, r.SettledAt, r.Receiver = RoundCharged, orderRef, now, s.receiver
	s.charged++
	s.lastChargedDelivery = r.Delivery
}

// expireLocked ends the subscription because its round limit was reached.
func (s *Subscription) expireLocked(now time.Time) {
	s.end(StateExpired, now, "round limit reached")
	s.refresh()
}
