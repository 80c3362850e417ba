package subscription

import (
	"fmt"
	"log/slog"
	"math"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kshop-dev/kshop"
)

// State is a subscription's state.
type State uint8

// Subscription states (Cafe24 U 이용중 / P 일시정지 / C 해지, refined after Stripe and
// Shopify: the kind of ending is kept).
const (
	StateActive           State = iota + 1 // 이용중: rounds are scheduled, noticed and charged
	StatePaused                            // 일시정지: no rounds until resumed
	StateCancelledByBuyer                  // 해지 by the buyer
	StateCancelledByAdmin                  // 해지 by the shop
	StateExpired                           // the round limit was reached (automatic 해지)
	StateTerminated                        // payment-gateway change or reset (Cafe24 정기배송(정기결제) FAQ)
	StateFailed                            // billing retries exhausted under FailSubscription
)

// String names the state.
func (s State) String() string {
	switch s {
	case StateActive:
		return "active"
	case StatePaused:
		return "paused"
	case StateCancelledByBuyer:
		return "cancelled by buyer"
	case StateCancelledByAdmin:
		return "cancelled by admin"
	case StateExpired:
		return "expired"
	case StateTerminated:
		return "terminated"
	case StateFailed:
		return "failed"
	}
	return fmt.Sprintf("State(%d)", uint8(s))
}

// Ended reports whether s is final (cancelled, expired, terminated or failed).
func (s State) Ended() bool { return s >= StateCancelledByBuyer && s <= StateFailed }

// RoundStatus is a round's status: scheduled → noticed → charged, or retrying → charged |
// failed; skipped and cancelled end a round without a charge.
type RoundStatus uint8

// Round statuses.
const (
	RoundScheduled RoundStatus = iota + 1 // dates known; amount not yet sent in a notice
	RoundNoticed                          // payment notice sent; order and amount fixed
	RoundCharged                          // card charged; the order exists
	RoundRetrying                         // a charge failed; retries are scheduled
	RoundFailed                           // every retry failed
	RoundSkipped                          // delivers nothing (request, closed day, collision)
	RoundCancelled                        // stopped after its notice, without a charge
)

// String names the status.
func (s RoundStatus) String() string {
	switch s {
	case RoundScheduled:
		return "scheduled"
	case RoundNoticed:
		return "noticed"
	case RoundCharged:
		return "charged"
	case RoundRetrying:
		return "retrying"
	case RoundFailed:
		return "failed"
	case RoundSkipped:
		return "skipped"
	case RoundCancelled:
		return "cancelled"
	}
	return fmt.Sprintf("RoundStatus(%d)", uint8(s))
}

// Actor is who asks for a change.
type Actor uint8

// Actors.
const (
	ActorBuyer  Actor = iota + 1 // the subscriber
	ActorAdmin                   // the shop operator
	ActorSystem                  // this package or the caller's automation
)

// String names the actor.
func (a Actor) String() string {
	switch a {
	case ActorBuyer:
		return "buyer"
	case ActorAdmin:
		return "admin"
	case ActorSystem:
		return "system"
	}
	return fmt.Sprintf("Actor(%d)", uint8(a))
}

// Customer is the subscriber. Name, Phone and Email are personal data: they are carried
// into events for the caller's notifications and never put into errors.
type Customer struct {
	ID    string
	Name  string
	Phone string
	Email string
}

// Receiver is where the rounds are delivered. Personal data; never put into errors.
type Receiver struct {
	Name     string
	Phone    string // Cafe24 limits cellphone to 20 characters
	ZipCode  string
	Address1 string
	Address2 string
	Message  string
}

// String names the customer by ID only: Name, Phone and Email never reach fmt output.
func (c Customer) String() string { return "subscription.Customer{ID: " + c.ID + "}" }

// GoString is String, for %#v.
func (c Customer) GoString() string { return c.String() }

// Format prints String for every verb, so no field is reached by reflection.
func (c Customer) Format(f fmt.State, verb rune) { formatSummary(f, verb, c.String()) }

// LogValue logs the customer's ID only.
func (c Customer) LogValue() slog.Value { return slog.GroupValue(slog.String("id", c.ID)) }

// String hides the whole address: it is personal data through and through.
func (r Receiver) String() string { return "subscription.Receiver{REDACTED}" }

// GoString is String, for %#v.
func (r Receiver) GoString() string { return r.String() }

// Format prints String for every verb, so no field is reached by reflection.
func (r Receiver) Format(f fmt.State, verb rune) { formatSummary(f, verb, r.String()) }

// LogValue logs nothing of the receiver.
func (r Receiver) LogValue() slog.Value { return slog.StringValue("REDACTED") }

// formatSummary writes a type's summary for any verb (%q quotes it).
func formatSummary(f fmt.State, verb rune, text string) {
	if verb == 'q' {
		text = strconv.Quote(text)
	}
	_, _ = f.Write([]byte(text))
}

// Round is one delivery of a subscription.
type Round struct {
	// Seq is unique and increasing within the subscription; action IDs use it.
	Seq int
	// Number is the round number (회차): 1 + the rounds charged before it. A skipped or
	// failed round does not use up a number.
	Number int
	RoundDates
	Status RoundStatus
	// Fixed is set once the payment notice was prepared: from then on Items and Quote are
	// frozen (Cafe24 정기배송(정기결제) FAQ). For an unfixed round, CurrentRound fills Items and Quote with a
	// preview from the subscription's current items.
	Fixed bool
	Items []Item
	Quote Quote
	// Receiver is the receiver of the order, set when the round is charged.
	Receiver Receiver
	// Attempts counts charge attempts (1 = the first charge; more are retries).
	Attempts       int
	FirstFailureAt time.Time
	LastFailure    string
	OrderRef       string
	FixedAt        time.Time
	NoticedAt      time.Time
	SettledAt      time.Time // charged, failed, skipped or cancelled
	Reason         string    // why it was cancelled
}

// clone deep-copies the round.
func (r Round) clone() Round {
	r.Items = cloneItems(r.Items)
	return r
}

// Application is what a buyer submits (정기배송 신청).
type Application struct {
	// ID identifies the subscription, e.g. Cafe24's "S-20210716-00000001": 1–64 of
	// A–Z a–z 0–9 . _ : - (it is part of every action ID).
	ID       string
	Customer Customer
	Receiver Receiver
	// Start is the first delivery date (배송시작일), at least the plan's earliest start.
	Start Date
	Cycle Cycle
	// RoundLimit is the total number of rounds (0 = unlimited); one of the plan's options.
	RoundLimit    int
	Items         []Item
	PaymentMethod PaymentMethod
	// BillingKeyRef references the card's billing key at the payment gateway.
	BillingKeyRef string
}

// segment is the current cycle schedule: the cycle date at index i is
// cycle.addKeepingDay(anchor, anchorDay, i); next is the first index not yet considered.
type segment struct {
	anchor    Date
	anchorDay int
	cycle     Cycle
	next      int
}

func (g segment) nominal(i int) Date { return g.cycle.addKeepingDay(g.anchor, g.anchorDay, i) }

// pendingAction is the one action a subscription waits for.
type pendingAction struct {
	kind    ActionKind // 0: nothing pending
	seq     int
	number  int
	attempt int
	at      time.Time
}

// noDue marks "nothing pending" in Subscription.nextDue.
const noDue = math.MaxInt64

// Subscription is one buyer's recurring delivery. All methods are safe for concurrent use:
// a mutex guards the state, and the instant of the next pending action is kept in an
// atomic so the planner can pass over a subscription with nothing due without locking it.
type Subscription struct {
	nextDue atomic.Int64 // UnixNano of pending.at, or noDue

	mu                  sync.Mutex
	id                  string
	plan                Plan
	rules               *Rules
	customer            Customer
	receiver            Receiver
	items               []Item
	limit               int
	billingKeyRef       string
	billingKeyDeleted   bool
	state               State
	start               Date
	createdAt           time.Time
	endedAt             time.Time
	endReason           string
	seg                 segment
	rounds              []Round
	cur                 int // index in rounds of the current (unsettled) round, or -1
	nextSeq             int
	charged             int
	lastChargedDelivery Date
	pending             pendingAction
}

// NewSubscription validates app against plan and rules and returns an active subscription
// whose first round is scheduled. Bad input comes back as one *kshop.ValidationError (Op
// "subscription.NewSubscription") listing every problem: fields, a start before the
// earliest start or more than a year ahead, a cycle or round limit not offered
// (ErrNotOffered), a product that cannot be subscribed (ErrSetProduct,
// ErrBundleEventProduct, ErrProductNotEnabled, all matching ErrNotEligible), a payment
// method other than card (ErrPaymentMethod).
func NewSubscription(plan Plan, rules *Rules, app Application) (*Subscription, error) {
	const op = "subscription.NewSubscription"
	var p problems
	if rules == nil {
		p.arg("rules", kshop.RuleRequired, "build them with NewRules")
	}
	p.plan("Plan", plan)
	p.id("ID", app.ID)
	p.customer("Customer", app.Customer)
	p.receiver("Receiver", app.Receiver)
	p.paymentMethod("PaymentMethod", app.PaymentMethod)
	p.text("BillingKeyRef", app.BillingKeyRef, true, maxFieldLength, false)
	switch {
	case app.Cycle == 0:
		p.add("Cycle", kshop.RuleRequired, "")
	case !app.Cycle.Valid():
		p.add("Cycle", kshop.RuleRange, "not one of the 11 cycles")
	case !plan.OffersCycle(app.Cycle):
		p.add("Cycle", kshop.RuleNotAllowed, app.Cycle.String()+" is not one of the plan's cycles").Err = ErrNotOffered
	}
	if !plan.OffersRoundLimit(app.RoundLimit) {
		p.add("RoundLimit", kshop.RuleNotAllowed, "not one of the plan's round limits").Err = ErrNotOffered
	}
	p.items("Items", app.Items)
	for i, it := range app.Items {
		if i >= maxItems {
			break
		}
		p.product(index("Items", i)+".Product", it.Product)
	}
	var now time.Time
	switch {
	case app.Start.IsZero():
		p.add("Start", kshop.RuleRequired, "")
	case !app.Start.Valid():
		p.add("Start", kshop.RuleRange, "no such date")
	case rules != nil:
		now = rules.Now()
		today := DateOf(now)
		if earliest := plan.EarliestStart(today); app.Start.Before(earliest) {
			p.add("Start", kshop.RuleRange, "before the earliest start "+earliest.String())
		} else if rules.datesFor(0, app.Start).ChargeAt.Before(now) {
			p.add("Start", kshop.RuleRange, "too soon: the first charge would be in the past")
		} else if today.DaysUntil(app.Start) > maxStartAheadDays {
			p.add("Start", kshop.RuleRange, "more than a year ahead")
		}
	}
	if err := p.err(op); err != nil {
		return nil, err
	}

	s := &Subscription{
		id:            app.ID,
		plan:          plan.clone(),
		rules:         rules,
		customer:      app.Customer,
		receiver:      app.Receiver,
		items:         cloneItems(app.Items),
		limit:         app.RoundLimit,
		billingKeyRef: app.BillingKeyRef,
		state:         StateActive,
		start:         app.Start,
		createdAt:     now,
		cur:           -1,
		seg:           segment{anchor: app.Start, anchorDay: app.Start.Day, cycle: app.Cycle},
	}
	s.scheduleNext(now)
	s.refresh()
	return s, nil
}

func (p *problems) customer(field string, c Customer) {
	p.text(field+".ID", c.ID, true, maxIDLength, false)
	p.text(field+".Name", c.Name, false, maxFieldLength, false)
	p.phone(field+".Phone", c.Phone, false)
	p.text(field+".Email", c.Email, false, maxFieldLength, false)
}

func (p *problems) receiver(field string, r Receiver) {
	p.text(field+".Name", r.Name, true, maxFieldLength, false)
	p.phone(field+".Phone", r.Phone, true)
	p.text(field+".ZipCode", r.ZipCode, false, maxZipLength, false)
	p.text(field+".Address1", r.Address1, true, maxFieldLength, false)
	p.text(field+".Address2", r.Address2, false, maxFieldLength, false)
	p.text(field+".Message", r.Message, false, maxFieldLength, false)
}

// ID returns the subscription ID.
func (s *Subscription) ID() string { return s.id } // immutable: no lock needed

// State returns the current state.
func (s *Subscription) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

// CurrentRound returns the round in progress (scheduled, noticed or retrying), if any.
// For an unfixed round, Items and Quote are a preview computed from the current items.
func (s *Subscription) CurrentRound() (Round, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur < 0 {
		return Round{}, false
	}
	return s.viewRound(s.rounds[s.cur]), true
}

func (s *Subscription) viewRound(r Round) Round {
	r = r.clone()
	if !r.Fixed && (r.Status == RoundScheduled) {
		r.Items = cloneItems(s.items)
		r.Quote = s.plan.Quote(r.Number, s.items)
	}
	return r
}

// Rounds returns a copy of every round so far, oldest first (rounds dropped before their
// notice by a pause, a cycle change or a lower round limit are not kept).
func (s *Subscription) Rounds() []Round {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Round, len(s.rounds))
	for i, r := range s.rounds {
		out[i] = s.viewRound(r)
	}
	return out
}

// NextAction returns the action the subscription waits for and when it is due, whether or
// not that instant has come.
func (s *Subscription) NextAction() (Action, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending.kind == 0 {
		return Action{}, false
	}
	return s.actionLocked(), true
}

// Due returns the pending action if it is due at asOf. It does not change anything.
func (s *Subscription) Due(asOf time.Time) (Action, bool) {
	if s.nextDue.Load() > asOf.UnixNano() {
		return Action{}, false
	}
	return s.dueLocked(asOf)
}

// dueLocked is Due after the lock-free fast path.
func (s *Subscription) dueLocked(asOf time.Time) (Action, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pending.kind == 0 || s.pending.at.After(asOf) {
		return Action{}, false
	}
	return s.actionLocked(), true
}

func (s *Subscription) actionLocked() Action {
	p := s.pending
	return Action{Kind: p.kind, SubscriptionID: s.id, RoundSeq: p.seq, Round: p.number, Attempt: p.attempt, At: p.at}
}

// transitionErr builds a *TransitionError for the current state; round may be nil.
func (s *Subscription) transitionErr(action string, round *Round, reason error) *TransitionError {
	e := &TransitionError{SubscriptionID: s.id, State: s.state, RoundSeq: -1, Action: action, Reason: reason}
	if round != nil {
		e.RoundSeq, e.RoundStatus = round.Seq, round.Status
	}
	return e
}

// requireLive refuses actions on an ended subscription; with activeOnly also on a paused one.
func (s *Subscription) requireLive(action string, activeOnly bool) error {
	if s.state.Ended() {
		return s.transitionErr(action, nil, ErrSubscriptionEnded)
	}
	if activeOnly && s.state != StateActive {
		return s.transitionErr(action, nil, ErrWrongState)
	}
	return nil
}

// current returns the current round or nil.
func (s *Subscription) current() *Round {
	if s.cur < 0 {
		return nil
	}
	return &s.rounds[s.cur]
}

// fixedRound reports whether r's amount is fixed (notice prepared or sent, or retrying).
func fixedRound(r *Round) bool {
	return r != nil && (r.Fixed || r.Status == RoundNoticed || r.Status == RoundRetrying)
}

// end moves the subscription to a final state.
func (s *Subscription) end(st State, now time.Time, reason string) {
	s.state = st
	s.endedAt = now
	s.endReason = reason
	s.cur = -1
}

// itemsByKey returns the index of key in s.items or -1.
func (s *Subscription) itemIndex(k ItemKey) int {
	return slices.IndexFunc(s.items, func(it Item) bool { return it.Key() == k })
}
