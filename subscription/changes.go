package subscription

import (
	"fmt"
	"slices"

	"github.com/kshop-dev/kshop"
)

// Changes by the buyer or the shop. The rule behind all of them (Cafe24 정기배송(정기결제)
// FAQ): until the
// payment notice is prepared, a change applies to the upcoming round; once it is, the
// round's order and amount are fixed and a change applies from the next round — except
// cancelling every item, which stops the fixed round without a charge and ends the
// subscription.

// actor checks who asks for a change.
func (p *problems) actor(by Actor) {
	if by != ActorBuyer && by != ActorAdmin && by != ActorSystem {
		p.arg("by", kshop.RuleRange, "ActorBuyer, ActorAdmin or ActorSystem")
	}
}

// validActor is the whole validation of a method whose only input is the actor.
func validActor(method string, by Actor) error {
	var p problems
	p.actor(by)
	return p.err("subscription.Subscription." + method)
}

// Pause stops scheduling rounds (Active → Paused). An upcoming round whose notice was not
// prepared is dropped. Refused (*TransitionError) when the subscription is not active, and
// when the current round's amount is already fixed (ErrRoundFixed): a noticed round is
// charged as noticed, so pause after it.
func (s *Subscription) Pause(by Actor) error {
	if err := validActor("Pause", by); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requireLive("pause", true); err != nil {
		return err
	}
	if r := s.current(); fixedRound(r) {
		return s.transitionErr("pause", r, ErrRoundFixed)
	}
	s.dropUnfixed()
	s.state = StatePaused
	s.refresh()
	return nil
}

// Resume restarts a paused subscription (Paused → Active). The next round is the first
// cycle date, counted from the schedule's anchor so the dates stay on the cycle, whose
// charge instant has not passed; dates that passed during the pause are not delivered.
// Refused when the subscription is not paused.
func (s *Subscription) Resume(by Actor) error {
	if err := validActor("Resume", by); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != StatePaused {
		if s.state.Ended() {
			return s.transitionErr("resume", nil, ErrSubscriptionEnded)
		}
		return s.transitionErr("resume", nil, ErrWrongState)
	}
	s.state = StateActive
	s.scheduleNext(s.rules.Now())
	s.refresh()
	return nil
}

// Cancel ends the subscription (해지) at the request of the buyer (StateCancelledByBuyer)
// or the shop (ActorAdmin or ActorSystem: StateCancelledByAdmin). Cancelling everything
// after a notice stops that round: it is cancelled and not charged. Returns
// EventCancelled for the customer and the operator. Refused once ended.
func (s *Subscription) Cancel(by Actor, reason string) ([]Event, error) {
	var p problems
	p.actor(by)
	p.text("reason", reason, false, maxFieldLength, true)
	if err := p.err("subscription.Subscription.Cancel"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requireLive("cancel", false); err != nil {
		return nil, err
	}
	return s.cancelLocked(by, reason), nil
}

// cancelLocked cancels the current round (dropping it if unfixed) and ends the subscription.
func (s *Subscription) cancelLocked(by Actor, reason string) []Event {
	now := s.rules.Now()
	var stopped *Round
	if r := s.current(); fixedRound(r) {
		r.Status, r.SettledAt, r.Reason = RoundCancelled, now, "subscription cancelled"
		stopped = r
	} else {
		s.dropUnfixed()
	}
	st := StateCancelledByBuyer
	if by != ActorBuyer {
		st = StateCancelledByAdmin
	}
	s.end(st, now, reason)
	s.refresh()
	e := s.roundEvent(EventCancelled, AudienceCustomer, stopped, now)
	e.Reason = reason
	return bothAudiences(e)
}

// ItemChange reports what a change to the items did.
type ItemChange struct {
	// AppliesToCurrentRound is false when the current round's amount was already fixed by
	// its notice: the round is charged as noticed and the change starts with the next one.
	AppliesToCurrentRound bool
	// SubscriptionEnded is set when no item is left: the subscription is cancelled.
	SubscriptionEnded bool
	// CurrentRoundCancelled is set when the fixed current round was stopped without a charge.
	CurrentRoundCancelled bool
	// Events are EventCancelled (customer and operator) when the subscription ended.
	Events []Event
}

// CancelItems removes items (해지 of some products). Cancelling some items after the
// notice applies from the next round and the noticed round is charged the noticed amount;
// cancelling every remaining item cancels the subscription, and a noticed round is then
// not charged. Refused once ended; unknown or repeated keys are validation errors.
func (s *Subscription) CancelItems(by Actor, keys ...ItemKey) (ItemChange, error) {
	const op = "subscription.Subscription.CancelItems"
	var p problems
	p.actor(by)
	if len(keys) == 0 {
		p.arg("keys", kshop.RuleRequired, "at least one item")
	}
	if err := p.err(op); err != nil {
		return ItemChange{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requireLive("cancel items", false); err != nil {
		return ItemChange{}, err
	}
	remove := make(map[ItemKey]bool, len(keys))
	for i, k := range keys {
		switch {
		case remove[k]:
			p.arg(index("keys", i), kshop.RuleConflict, "the same item twice")
		case s.itemIndex(k) < 0:
			p.arg(index("keys", i), kshop.RuleNotAllowed, "no such item in the subscription")
		}
		remove[k] = true
	}
	if err := p.err(op); err != nil {
		return ItemChange{}, err
	}
	fixed := fixedRound(s.current())
	if len(remove) == len(s.items) {
		ev := s.cancelLocked(by, "all items cancelled")
		return ItemChange{SubscriptionEnded: true, CurrentRoundCancelled: fixed, Events: ev}, nil
	}
	s.items = slices.DeleteFunc(s.items, func(it Item) bool { return remove[it.Key()] })
	s.refresh()
	return ItemChange{AppliesToCurrentRound: !fixed}, nil
}

// ChangeQuantity sets an item's quantity (1–9999), with the same timing as CancelItems;
// quantity 0 cancels the item.
func (s *Subscription) ChangeQuantity(by Actor, key ItemKey, quantity int) (ItemChange, error) {
	const op = "subscription.Subscription.ChangeQuantity"
	var p problems
	p.actor(by)
	if quantity < 0 || quantity > maxQuantity {
		p.arg("quantity", kshop.RuleRange, "0–9999")
	}
	if err := p.err(op); err != nil {
		return ItemChange{}, err
	}
	if quantity == 0 {
		return s.CancelItems(by, key)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requireLive("change quantity", false); err != nil {
		return ItemChange{}, err
	}
	i := s.itemIndex(key)
	if i < 0 {
		return ItemChange{}, invalidArg(op, "key", kshop.RuleNotAllowed, "no such item in the subscription")
	}
	s.items[i].Quantity = quantity
	s.refresh()
	return ItemChange{AppliesToCurrentRound: !fixedRound(s.current())}, nil
}

// UpdatePrice sets the unit price (KRW, option price included) of an item, e.g. after a
// catalogue price change. It applies from the next round whose notice is not yet prepared:
// fixed rounds keep their noticed amount (Cafe24: price edits apply from the next round).
// It reports whether the subscription holds the item. Refused once ended.
func (s *Subscription) UpdatePrice(key ItemKey, unitPrice int64) (bool, error) {
	if unitPrice < 0 || unitPrice > maxUnitPrice {
		return false, invalidArg("subscription.Subscription.UpdatePrice", "unitPrice", kshop.RuleRange, "0–100,000,000,000 won")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requireLive("update price", false); err != nil {
		return false, err
	}
	i := s.itemIndex(key)
	if i < 0 {
		return false, nil
	}
	s.items[i].UnitPrice = unitPrice
	return true, nil
}

// SkipRound skips the upcoming round seq (a buyer's "skip this round"); the next cycle
// date becomes the upcoming round. Allowed only while the round's notice is not prepared:
// once noticed its order and amount are fixed, and the only way to stop it is cancelling
// every item. Errors: ErrRoundCharged for a charged round,
// ErrRoundFixed after the notice, ErrNoSuchRound for any other seq, ErrWrongState when
// not active.
func (s *Subscription) SkipRound(by Actor, seq int) error {
	if err := validActor("SkipRound", by); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requireLive("skip round", true); err != nil {
		return err
	}
	r := s.current()
	if r == nil || r.Seq != seq {
		for i := range s.rounds {
			if s.rounds[i].Seq == seq && s.rounds[i].Status == RoundCharged {
				return s.transitionErr("skip round", &s.rounds[i], ErrRoundCharged)
			}
		}
		return s.transitionErr("skip round", nil, ErrNoSuchRound)
	}
	if fixedRound(r) {
		return s.transitionErr("skip round", r, ErrRoundFixed)
	}
	now := s.rules.Now()
	r.Status, r.Skipped, r.SkipReason, r.SettledAt = RoundSkipped, true, SkipByRequest, now
	s.scheduleNext(now)
	s.refresh()
	return nil
}

// ChangeCycle switches to cycle c, which the plan must offer. It applies to rounds whose
// notice is not yet prepared: the new schedule is anchored on the fixed current round if
// there is one, else on the last charged round, else on the start date, so the next
// delivery is one new cycle after the last one. Month-based schedules keep their anchor day
// (a 1M schedule anchored on the 31st stays on month ends under 2M). Refused once ended.
func (s *Subscription) ChangeCycle(by Actor, c Cycle) error {
	const op = "subscription.Subscription.ChangeCycle"
	var p problems
	p.actor(by)
	if !c.Valid() {
		p.arg("c", kshop.RuleRange, "not one of the 11 cycles")
	}
	if err := p.err(op); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requireLive("change cycle", false); err != nil {
		return err
	}
	if !s.plan.OffersCycle(c) {
		p.arg("c", kshop.RuleNotAllowed, c.String()+" is not one of the plan's cycles").Err = ErrNotOffered
		return p.err(op)
	}
	if c == s.seg.cycle {
		return nil
	}
	dropped := s.dropUnfixed()
	var anchor *Round
	if r := s.current(); r != nil {
		anchor = r
	} else {
		for i := len(s.rounds) - 1; i >= 0; i-- {
			if s.rounds[i].Status == RoundCharged {
				anchor = &s.rounds[i]
				break
			}
		}
	}
	monthly := s.seg.cycle.Months() > 0 && c.Months() > 0
	ng := segment{cycle: c, anchor: s.start, anchorDay: s.start.Day}
	if anchor != nil {
		ng.anchor, ng.anchorDay, ng.next = anchor.Nominal, anchor.Nominal.Day, 1
	}
	if monthly {
		ng.anchorDay = s.seg.anchorDay
	}
	s.seg = ng
	if dropped || s.cur < 0 {
		s.scheduleNext(s.rules.Now())
	}
	s.refresh()
	return nil
}

// ChangeReceiver changes the delivery receiver (buyer or shop; Cafe24 lets the admin change
// it at any time). It applies to every round not yet charged, including a noticed one (the
// noticed amount is not recomputed); a charged round keeps the receiver of its order.
// Refused once ended.
func (s *Subscription) ChangeReceiver(by Actor, rcv Receiver) error {
	var p problems
	p.actor(by)
	p.receiver("Receiver", rcv)
	if err := p.err("subscription.Subscription.ChangeReceiver"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requireLive("change receiver", false); err != nil {
		return err
	}
	s.receiver = rcv
	return nil
}

// SetRoundLimit changes the total number of rounds (0 = unlimited), which the plan must
// offer. The buyer may not go below the current round: the rounds charged, plus the
// current round when its notice fixed it (Cafe24 article 38177862747289). Reaching the
// limit drops an unfixed upcoming round; expiry then becomes pending at the last delivery
// date. Raising it schedules the next round again. Refused once ended.
func (s *Subscription) SetRoundLimit(by Actor, n int) error {
	if err := validActor("SetRoundLimit", by); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requireLive("change round limit", false); err != nil {
		return err
	}
	if !s.plan.OffersRoundLimit(n) {
		var p problems
		p.arg("n", kshop.RuleNotAllowed, "not one of the plan's round limits").Err = ErrNotOffered
		return p.err("subscription.Subscription.SetRoundLimit")
	}
	floor := s.charged
	if r := s.current(); fixedRound(r) {
		floor = r.Number
	}
	if n != 0 && n < floor {
		return s.transitionErr(fmt.Sprintf("set round limit to %d", n), s.current(), ErrBelowCurrentRound)
	}
	s.limit = n
	if n != 0 && s.charged >= n {
		s.dropUnfixed()
	} else if s.cur < 0 && s.state == StateActive {
		s.scheduleNext(s.rules.Now())
	}
	s.refresh()
	return nil
}
