package subscription

import (
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/kshop-dev/kshop"
)

// Snapshot is a consistent copy of a subscription's whole state: store it (it is a plain
// value; Date and Cycle marshal as text) and rebuild the subscription after a restart
// with Restore. Restore(rules, s.Snapshot()) gives a subscription whose Snapshot equals
// the original's.
//
// It holds personal data (Customer, Receiver) and BillingKeyRef, which lets its holder
// charge the card: store it as carefully as the card's billing key. Printed with any fmt
// verb, or logged with log/slog as a value of its own, it shows only a summary without them.
// Its JSON is how it is stored and carries everything, so a value that holds a Snapshot and
// is logged through slog's JSON handler (which marshals it) logs it whole: log the Snapshot
// itself, or its ID.
type Snapshot struct {
	ID       string
	State    State
	Plan     Plan
	Customer Customer
	Receiver Receiver
	Items    []Item
	// BillingKeyRef references the card's billing key at the payment gateway.
	BillingKeyRef     string
	BillingKeyDeleted bool
	Cycle             Cycle
	RoundLimit        int
	RoundsCharged     int
	Start             Date
	// Anchor is the cycle date the schedule counts from: the start date until the cycle
	// changes. AnchorDay is the day of month monthly cycles keep (Anchor.Day unless the
	// anchor itself was clamped to a month end). NextCycleIndex is the first cycle
	// position not yet scheduled.
	Anchor         Date
	AnchorDay      int
	NextCycleIndex int
	// NextSeq is the Seq the next round will get (Seqs are never reused).
	NextSeq int
	// Rounds are every round so far, oldest first. For an unfixed scheduled round, Items
	// and Quote are a preview from the current items; Restore ignores them.
	Rounds    []Round
	CreatedAt time.Time
	EndedAt   time.Time
	EndReason string
	// Next is the pending action, if any (NextOK false when nothing is pending). Restore
	// recomputes it.
	Next   Action
	NextOK bool
}

// Snapshot returns a consistent deep copy of the subscription.
func (s *Subscription) Snapshot() Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snapshotLocked()
}

func (s *Subscription) snapshotLocked() Snapshot {
	snap := Snapshot{
		ID: s.id, State: s.state, Plan: s.plan.clone(), Customer: s.customer, Receiver: s.receiver,
		Items: cloneItems(s.items), BillingKeyRef: s.billingKeyRef, BillingKeyDeleted: s.billingKeyDeleted,
		Cycle: s.seg.cycle, RoundLimit: s.limit, RoundsCharged: s.charged, Start: s.start,
		Anchor: s.seg.anchor, AnchorDay: s.seg.anchorDay, NextCycleIndex: s.seg.next, NextSeq: s.nextSeq,
		CreatedAt: s.createdAt, EndedAt: s.endedAt, EndReason: s.endReason,
	}
	snap.Rounds = make([]Round, len(s.rounds))
	for i, r := range s.rounds {
		snap.Rounds[i] = s.viewRound(r)
	}
	if s.pending.kind != 0 {
		snap.Next, snap.NextOK = s.actionLocked(), true
	}
	return snap
}

// String summarises the snapshot without personal data or the billing key:
// "subscription.Snapshot{ID: S-1, State: active, Cycle: 1M, Rounds: 3, RoundsCharged: 2}".
func (snap Snapshot) String() string {
	return "subscription.Snapshot{ID: " + snap.ID + ", State: " + snap.State.String() + ", Cycle: " + snap.Cycle.String() +
		", Rounds: " + strconv.Itoa(len(snap.Rounds)) + ", RoundsCharged: " + strconv.Itoa(snap.RoundsCharged) + "}"
}

// GoString is String, so %#v prints no personal data either.
func (snap Snapshot) GoString() string { return snap.String() }

// Format prints String for every verb (%q quotes it), so no field is reached by reflection.
func (snap Snapshot) Format(f fmt.State, verb rune) { formatSummary(f, verb, snap.String()) }

// String summarises the subscription as its Snapshot does, without personal data or the
// billing key.
func (s *Subscription) String() string { return s.Snapshot().String() }

// GoString is String, for %#v.
func (s *Subscription) GoString() string { return s.String() }

// Format prints String for every verb, so %v of a subscription reaches none of its fields.
func (s *Subscription) Format(f fmt.State, verb rune) { formatSummary(f, verb, s.String()) }

// LogValue logs the Snapshot's summary.
func (s *Subscription) LogValue() slog.Value { return s.Snapshot().LogValue() }

// LogValue logs the summary fields only.
func (snap Snapshot) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", snap.ID), slog.String("state", snap.State.String()), slog.String("cycle", snap.Cycle.String()),
		slog.Int("rounds", len(snap.Rounds)), slog.Int("rounds_charged", snap.RoundsCharged),
	)
}

// maxSnapshotCycleIndex bounds NextCycleIndex and round indices of a restored snapshot
// (a weekly cycle for 10,000 years stays below it).
const maxSnapshotCycleIndex = 1 << 20

// Restore rebuilds a subscription from a Snapshot under rules (the shop's rules now: a
// changed calendar or retry schedule applies to rounds not yet scheduled). The pending
// action is recomputed, so an action that was due and not recorded before the snapshot is
// due again with the same ID. Restore does not consult the clock: it changes nothing, and
// a notice or charge whose instant passed while the process was down is due at once.
//
// A snapshot that could not come from Snapshot (bad fields, rounds out of order, counts
// that disagree) is refused with a *kshop.ValidationError (Op "subscription.Restore")
// listing every problem.
func Restore(rules *Rules, snap Snapshot) (*Subscription, error) {
	var p problems
	if rules == nil {
		p.arg("rules", kshop.RuleRequired, "build them with NewRules")
	}
	p.snapshot(snap)
	if err := p.err("subscription.Restore"); err != nil {
		return nil, err
	}
	return restore(rules, snap), nil
}

// restore builds the subscription from a checked (or self-made) snapshot.
func restore(rules *Rules, snap Snapshot) *Subscription {
	s := &Subscription{
		id: snap.ID, plan: snap.Plan.clone(), rules: rules, customer: snap.Customer, receiver: snap.Receiver,
		items: cloneItems(snap.Items), limit: snap.RoundLimit, billingKeyRef: snap.BillingKeyRef,
		billingKeyDeleted: snap.BillingKeyDeleted, state: snap.State, start: snap.Start,
		createdAt: snap.CreatedAt, endedAt: snap.EndedAt, endReason: snap.EndReason,
		seg:     segment{anchor: snap.Anchor, anchorDay: snap.AnchorDay, cycle: snap.Cycle, next: snap.NextCycleIndex},
		nextSeq: snap.NextSeq, charged: snap.RoundsCharged, cur: -1,
	}
	s.rounds = make([]Round, len(snap.Rounds))
	for i, r := range snap.Rounds {
		r = r.clone()
		if !r.Fixed && r.Status == RoundScheduled {
			// A preview, not state: an unfixed round is priced from the items when fixed.
			r.Items, r.Quote = nil, Quote{}
		}
		if r.Status == RoundCharged {
			s.lastChargedDelivery = r.Delivery
		}
		if unsettled(r.Status) {
			s.cur = i
		}
		s.rounds[i] = r
	}
	s.refresh()
	return s
}

// unsettled reports whether a round with status st is still in progress.
func unsettled(st RoundStatus) bool {
	return st == RoundScheduled || st == RoundNoticed || st == RoundRetrying
}

// snapshot checks what Restore needs to rebuild a consistent subscription.
func (p *problems) snapshot(snap Snapshot) {
	p.id("ID", snap.ID)
	if snap.State < StateActive || snap.State > StateFailed {
		p.add("State", kshop.RuleRange, "not a subscription state")
	}
	p.plan("Plan", snap.Plan)
	p.customer("Customer", snap.Customer)
	p.receiver("Receiver", snap.Receiver)
	p.items("Items", snap.Items)
	p.text("BillingKeyRef", snap.BillingKeyRef, true, maxFieldLength, false)
	if !snap.Cycle.Valid() {
		p.add("Cycle", kshop.RuleRange, "not one of the 11 cycles")
	}
	if snap.RoundLimit != 0 {
		p.rangeInt("RoundLimit", snap.RoundLimit, 2, maxRoundLimit)
	}
	if !snap.Start.Valid() {
		p.add("Start", kshop.RuleRange, "no such date")
	}
	if !snap.Anchor.Valid() {
		p.add("Anchor", kshop.RuleRange, "no such date")
	}
	p.rangeInt("AnchorDay", snap.AnchorDay, 1, 31)
	p.rangeInt("NextCycleIndex", snap.NextCycleIndex, 0, maxSnapshotCycleIndex)
	p.rangeInt("NextSeq", snap.NextSeq, 0, maxSnapshotCycleIndex)

	charged, open := 0, -1
	for i, r := range snap.Rounds {
		f := index("Rounds", i)
		if r.Seq < 0 || r.Seq >= snap.NextSeq || (i > 0 && r.Seq <= snap.Rounds[i-1].Seq) {
			p.add(f+".Seq", kshop.RuleRange, "increasing and below NextSeq")
		}
		if r.Status < RoundScheduled || r.Status > RoundCancelled {
			p.add(f+".Status", kshop.RuleRange, "not a round status")
		}
		p.rangeInt(f+".Number", r.Number, 1, maxSnapshotCycleIndex)
		p.rangeInt(f+".CycleIndex", r.CycleIndex, 0, maxSnapshotCycleIndex)
		if !r.Delivery.Valid() || !r.Nominal.Valid() {
			p.add(f+".Delivery", kshop.RuleRange, "no such date")
		}
		if len(r.Items) > maxItems {
			fe := p.add(f+".Items", kshop.RuleTooMany, "")
			fe.Limit, fe.Got = maxItems, len(r.Items)
		}
		if r.Status == RoundRetrying && (r.Attempts < 1 || r.FirstFailureAt.IsZero()) {
			p.add(f+".Attempts", kshop.RuleRange, "a retrying round has failed at least once")
		}
		switch {
		case r.Status == RoundCharged:
			charged++
		case unsettled(r.Status):
			if open >= 0 {
				p.add(f+".Status", kshop.RuleConflict, "two rounds in progress")
			}
			open = i
		}
	}
	if charged != snap.RoundsCharged {
		fe := p.add("RoundsCharged", kshop.RuleConflict, "must equal the charged rounds")
		fe.Got = snap.RoundsCharged
	}
	if open >= 0 && (open != len(snap.Rounds)-1 || snap.State != StateActive) {
		p.add(index("Rounds", open)+".Status", kshop.RuleConflict, "only the last round of an active subscription can be in progress")
	}
}
