package subscription

import (
	"fmt"
	"slices"

	"github.com/kshop-dev/kshop"
)

// Plan defaults and bounds (Cafe24 product-group rule, from its Admin API field catalogue
// unless noted).
const (
	// defaultStartOffsetDays: the earliest selectable start is today + 3 days (Cafe24
	// shipments_start_date default 3, read as an offset in days: inferred).
	defaultStartOffsetDays = 3
	minStartOffsetDays     = 1
	maxStartOffsetDays     = 30
	// maxDiscountSteps is Cafe24's limit on discount_values entries.
	maxDiscountSteps = 40
	// maxRoundLimit bounds a round limit; 0 means unlimited.
	maxRoundLimit = 999
	// maxStartAheadDays bounds how far ahead a first delivery may be chosen, so a mistyped
	// year is refused instead of scheduling a notice decades away.
	maxStartAheadDays = 366
)

// Cafe24RoundLimits returns Cafe24's round-limit choices (subscription_shipments_count):
// 2, 3, 4, 6, 8, 10, 12. Its subscription API lists 2, 3, 4, 6, 10, 12 (no 8); the
// setting list is used here.
func Cafe24RoundLimits() []int { return []int{2, 3, 4, 6, 8, 10, 12} }

// PaymentMethod is how the buyer pays.
type PaymentMethod uint8

// Payment methods. Recurring billing accepts PaymentCard only (Cafe24 정기배송(정기결제) FAQ).
const (
	PaymentCard PaymentMethod = iota + 1
	PaymentBankTransfer
	PaymentVirtualAccount
	PaymentMobile
	PaymentPoints
	PaymentOther
)

// String names the method.
func (m PaymentMethod) String() string {
	switch m {
	case PaymentCard:
		return "card"
	case PaymentBankTransfer:
		return "bank transfer"
	case PaymentVirtualAccount:
		return "virtual account"
	case PaymentMobile:
		return "mobile"
	case PaymentPoints:
		return "points"
	case PaymentOther:
		return "other"
	}
	return fmt.Sprintf("PaymentMethod(%d)", uint8(m))
}

// paymentMethod refuses every method but PaymentCard: recurring delivery on Korean shop
// platforms bills a registered card (Cafe24: "카드결제" only).
func (p *problems) paymentMethod(field string, m PaymentMethod) {
	if m != PaymentCard {
		p.add(field, kshop.RuleNotAllowed, "recurring billing accepts card payment only").Err = ErrPaymentMethod
	}
}

// Plan is a product-group rule (Cafe24 "정기배송 상품 설정"): the cycles and round limits a
// buyer may choose, the per-round discounts and the earliest start. A Plan is a plain value;
// NewSubscription validates and copies it, so later edits by the caller do not affect
// existing subscriptions.
type Plan struct {
	Name string
	// Cycles the buyer may choose; at least one.
	Cycles []Cycle
	// RoundLimits the buyer may choose; 0 means unlimited. Empty means "unlimited only".
	RoundLimits []int
	// DiscountUnit applies to every step.
	DiscountUnit DiscountUnit
	// Discounts: from round FromRound on, Value off; the step with the greatest FromRound
	// not above the round number wins.
	Discounts []DiscountStep
	// StartOffsetDays: the earliest start is today + StartOffsetDays (0 means 3; 1–30).
	StartOffsetDays int
}

// Validate checks the plan and returns every problem at once as a *kshop.ValidationError
// (fields "Plan.Cycles[0]", …).
func (p Plan) Validate() error {
	var ps problems
	ps.plan("Plan", p)
	return ps.err("subscription.Plan.Validate")
}

func (ps *problems) plan(field string, p Plan) {
	if len(p.Cycles) == 0 {
		ps.add(field+".Cycles", kshop.RuleRequired, "offer at least one cycle")
	}
	for i, c := range p.Cycles {
		if !c.Valid() {
			ps.add(index(field+".Cycles", i), kshop.RuleRange, "not one of the 11 cycles")
		}
	}
	for i, n := range p.RoundLimits {
		if n != 0 && (n < 2 || n > maxRoundLimit) {
			ps.add(index(field+".RoundLimits", i), kshop.RuleRange, "0 (unlimited) or 2–999")
		}
	}
	if p.DiscountUnit != DiscountPercent && p.DiscountUnit != DiscountAmount {
		ps.add(field+".DiscountUnit", kshop.RuleRange, "percent or amount")
	}
	if len(p.Discounts) > maxDiscountSteps {
		fe := ps.add(field+".Discounts", kshop.RuleTooMany, "")
		fe.Limit, fe.Got = maxDiscountSteps, len(p.Discounts)
	} else {
		seen := make(map[int]bool, len(p.Discounts))
		for i, s := range p.Discounts {
			f := index(field+".Discounts", i)
			ps.rangeInt(f+".FromRound", s.FromRound, 1, maxRoundLimit)
			if seen[s.FromRound] {
				ps.add(f+".FromRound", kshop.RuleConflict, "two steps from the same round")
			}
			seen[s.FromRound] = true
			if p.DiscountUnit == DiscountPercent && (s.Value < 0 || s.Value > 100) {
				ps.add(f+".Value", kshop.RuleRange, "percent 0–100")
			}
			if p.DiscountUnit == DiscountAmount && (s.Value < 0 || s.Value > maxUnitPrice) {
				ps.add(f+".Value", kshop.RuleRange, "amount 0–100,000,000,000 won")
			}
		}
	}
	if p.StartOffsetDays != 0 {
		ps.rangeInt(field+".StartOffsetDays", p.StartOffsetDays, minStartOffsetDays, maxStartOffsetDays)
	}
	ps.text(field+".Name", p.Name, false, maxNameLength, false)
}

// clone returns a deep copy, so a subscription never shares slices with the caller.
func (p Plan) clone() Plan {
	p.Cycles = slices.Clone(p.Cycles)
	p.RoundLimits = slices.Clone(p.RoundLimits)
	p.Discounts = slices.Clone(p.Discounts)
	return p
}

// OffersCycle reports whether c is one of the plan's cycles.
func (p Plan) OffersCycle(c Cycle) bool { return slices.Contains(p.Cycles, c) }

// OffersRoundLimit reports whether n is one of the plan's round limits (0 = unlimited is
// offered when RoundLimits is empty).
func (p Plan) OffersRoundLimit(n int) bool {
	if len(p.RoundLimits) == 0 {
		return n == 0
	}
	return slices.Contains(p.RoundLimits, n)
}

// EarliestStart returns the earliest start (first delivery) date a buyer may choose today.
func (p Plan) EarliestStart(today Date) Date {
	off := p.StartOffsetDays
	if off == 0 {
		off = defaultStartOffsetDays
	}
	return today.AddDays(off)
}

// CheckProduct returns a *kshop.ValidationError when prod cannot be sold by subscription:
// set products and 1+N event products are refused even when enabled (Cafe24 정기배송(정기결제)
// FAQ), and other products must be enabled for recurring delivery. The problem's Err is
// ErrSetProduct, ErrBundleEventProduct or ErrProductNotEnabled, each matching ErrNotEligible.
func (p Plan) CheckProduct(prod Product) error {
	var ps problems
	ps.product("Product", prod)
	return ps.err("subscription.Plan.CheckProduct")
}

func (ps *problems) product(field string, prod Product) {
	switch prod.Kind {
	case ProductSet:
		ps.add(field+".Kind", kshop.RuleNotAllowed, "").Err = ErrSetProduct
		return
	case ProductBundleEvent:
		ps.add(field+".Kind", kshop.RuleNotAllowed, "").Err = ErrBundleEventProduct
		return
	case ProductRegular:
	default:
		ps.add(field+".Kind", kshop.RuleRange, "unknown product kind")
		return
	}
	if !prod.SubscriptionEnabled {
		ps.add(field+".SubscriptionEnabled", kshop.RuleNotAllowed, "").Err = ErrProductNotEnabled
	}
}

// DiscountFor returns the discount in KRW for round number round (1-based) on subtotal,
// and the FromRound of the step applied (0 when none). The latest step whose FromRound is
// not above round wins; a percent discount is floored to the won; an amount discount never
// exceeds the subtotal.
func (p Plan) DiscountFor(round int, subtotal int64) (discount int64, fromRound int) {
	var best *DiscountStep
	for i := range p.Discounts {
		s := &p.Discounts[i]
		if s.FromRound <= round && (best == nil || s.FromRound > best.FromRound) {
			best = s
		}
	}
	if best == nil || subtotal <= 0 {
		return 0, 0
	}
	switch p.DiscountUnit {
	case DiscountPercent:
		discount = percentOf(subtotal, best.Value)
	case DiscountAmount:
		discount = min(best.Value, subtotal)
	}
	return discount, best.FromRound
}

// Quote prices items for round number round.
func (p Plan) Quote(round int, items []Item) Quote {
	sub := sumItems(items)
	disc, from := p.DiscountFor(round, sub)
	return Quote{Round: round, Subtotal: sub, Discount: disc, Total: sub - disc, DiscountFromRound: from}
}
