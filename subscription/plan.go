package subscription

import (
	"fmt"
	"slices"
)

// Plan defaults and bounds (Cafe24 product-group rule, confirmed in its Admin API field
// catalogue unless noted).
const (
	// DefaultStartOffsetDays is the default earliest selectable start: today + 3 days
	// (Cafe24 shipments_start_date default 3; read as an offset in days — inferred).
	DefaultStartOffsetDays = 3
	MinStartOffsetDays     = 1
	MaxStartOffsetDays     = 30
	// MaxDiscountSteps is Cafe24's limit on discount_values entries.
	MaxDiscountSteps = 40
	// MaxRoundLimit bounds a round limit; 0 means unlimited.
	MaxRoundLimit = 999
)

// Cafe24RoundLimits returns Cafe24's round-limit choices (subscription_shipments_count):
// 2, 3, 4, 6, 8, 10, 12. Its subscription API lists 2, 3, 4, 6, 10, 12 (no 8); the
// setting list is used here.
func Cafe24RoundLimits() []int { return []int{2, 3, 4, 6, 8, 10, 12} }

// PaymentMethod is how the buyer pays.
type PaymentMethod uint8

// Payment methods. Recurring billing accepts PaymentCard only (seed 002).
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

// CheckPaymentMethod returns a *PaymentMethodError unless m is PaymentCard: recurring
// delivery on Korean shop platforms bills a registered card (Cafe24: "카드결제" only).
func CheckPaymentMethod(m PaymentMethod) error {
	if m != PaymentCard {
		return &PaymentMethodError{Method: m}
	}
	return nil
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

// Validate checks the plan and returns the first problem as a *ValidationError.
func (p Plan) Validate() error {
	if len(p.Cycles) == 0 {
		return &ValidationError{Field: "Plan.Cycles", Reason: "must offer at least one cycle"}
	}
	for i, c := range p.Cycles {
		if !c.Valid() {
			return &ValidationError{Field: fmt.Sprintf("Plan.Cycles[%d]", i), Reason: "not a valid cycle"}
		}
	}
	for i, n := range p.RoundLimits {
		if n != 0 && (n < 2 || n > MaxRoundLimit) {
			return &ValidationError{Field: fmt.Sprintf("Plan.RoundLimits[%d]", i), Reason: fmt.Sprintf("must be 0 (unlimited) or 2–%d", MaxRoundLimit)}
		}
	}
	if p.DiscountUnit != DiscountPercent && p.DiscountUnit != DiscountAmount {
		return &ValidationError{Field: "Plan.DiscountUnit", Reason: "must be percent or amount"}
	}
	if len(p.Discounts) > MaxDiscountSteps {
		return &ValidationError{Field: "Plan.Discounts", Reason: fmt.Sprintf("at most %d steps", MaxDiscountSteps)}
	}
	seen := make(map[int]bool, len(p.Discounts))
	for i, s := range p.Discounts {
		field := fmt.Sprintf("Plan.Discounts[%d]", i)
		if s.FromRound < 1 || s.FromRound > MaxRoundLimit {
			return &ValidationError{Field: field + ".FromRound", Reason: fmt.Sprintf("must be 1–%d", MaxRoundLimit)}
		}
		if seen[s.FromRound] {
			return &ValidationError{Field: field + ".FromRound", Reason: "duplicate round"}
		}
		seen[s.FromRound] = true
		if p.DiscountUnit == DiscountPercent && (s.Value < 0 || s.Value > 100) {
			return &ValidationError{Field: field + ".Value", Reason: "percent must be 0–100"}
		}
		if p.DiscountUnit == DiscountAmount && (s.Value < 0 || s.Value > MaxUnitPrice) {
			return &ValidationError{Field: field + ".Value", Reason: fmt.Sprintf("amount must be 0–%d won", int64(MaxUnitPrice))}
		}
	}
	if p.StartOffsetDays != 0 && (p.StartOffsetDays < MinStartOffsetDays || p.StartOffsetDays > MaxStartOffsetDays) {
		return &ValidationError{Field: "Plan.StartOffsetDays", Reason: fmt.Sprintf("must be %d–%d (0 for the default %d)", MinStartOffsetDays, MaxStartOffsetDays, DefaultStartOffsetDays)}
	}
	return nil
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
		off = DefaultStartOffsetDays
	}
	return today.AddDays(off)
}

// CheckProduct returns a *ProductError when p cannot be sold by subscription: set products
// and 1+N event products are refused even when enabled (seed 002), and other products must
// be enabled for recurring delivery.
func (p Plan) CheckProduct(prod Product) error {
	switch prod.Kind {
	case ProductSet:
		return &ProductError{ProductID: prod.ID, Reason: ErrSetProduct}
	case ProductBundleEvent:
		return &ProductError{ProductID: prod.ID, Reason: ErrBundleEventProduct}
	case ProductRegular:
	default:
		return &ValidationError{Field: "Product.Kind", Reason: "unknown product kind"}
	}
	if !prod.SubscriptionEnabled {
		return &ProductError{ProductID: prod.ID, Reason: ErrProductNotEnabled}
	}
	return nil
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
