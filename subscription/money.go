package subscription

import (
	"fmt"
	"slices"
	"unicode/utf8"
)

// Limits that keep every amount far from int64 overflow (100 × 9,999 × 10¹¹ < 10¹⁷).
const (
	MaxItems       = 100
	MaxQuantity    = 9999
	MaxUnitPrice   = 100_000_000_000 // 1000억원
	maxIDLength    = 64
	maxNameLength  = 200
	maxFieldLength = 200
)

// ProductKind tells whether a product can be sold by subscription at all.
type ProductKind uint8

// Product kinds. Set and 1+N event products are refused (Cafe24 seed 002).
const (
	ProductRegular     ProductKind = iota // an ordinary product
	ProductSet                            // 세트상품
	ProductBundleEvent                    // 1+N 이벤트 상품
)

// String returns "regular", "set" or "1+N event".
func (k ProductKind) String() string {
	switch k {
	case ProductRegular:
		return "regular"
	case ProductSet:
		return "set"
	case ProductBundleEvent:
		return "1+N event"
	}
	return fmt.Sprintf("ProductKind(%d)", uint8(k))
}

// Product is what the plan needs to know about a catalogue product.
type Product struct {
	ID   string
	Kind ProductKind
	// SubscriptionEnabled is the shop's per-product switch (Cafe24 "정기배송 상품 설정").
	SubscriptionEnabled bool
}

// Item is one line of a subscription: a product option, a quantity and the unit price in
// KRW (option price included) that the next unfixed round will charge.
type Item struct {
	Product   Product
	OptionID  string
	Name      string // shown in notices
	Quantity  int
	UnitPrice int64
}

// ItemKey identifies an item within a subscription.
type ItemKey struct {
	ProductID string
	OptionID  string
}

// Key returns the item's key.
func (it Item) Key() ItemKey { return ItemKey{ProductID: it.Product.ID, OptionID: it.OptionID} }

// LineTotal returns Quantity × UnitPrice.
func (it Item) LineTotal() int64 { return int64(it.Quantity) * it.UnitPrice }

func validateItem(field string, it Item) error {
	switch {
	case it.Product.ID == "" || len(it.Product.ID) > maxIDLength:
		return &ValidationError{Field: field + ".Product.ID", Reason: fmt.Sprintf("must be 1–%d bytes", maxIDLength)}
	case len(it.OptionID) > maxIDLength:
		return &ValidationError{Field: field + ".OptionID", Reason: fmt.Sprintf("must be at most %d bytes", maxIDLength)}
	case utf8.RuneCountInString(it.Name) > maxNameLength || !utf8.ValidString(it.Name):
		return &ValidationError{Field: field + ".Name", Reason: fmt.Sprintf("must be valid UTF-8 of at most %d characters", maxNameLength)}
	case it.Quantity < 1 || it.Quantity > MaxQuantity:
		return &ValidationError{Field: field + ".Quantity", Reason: fmt.Sprintf("must be 1–%d", MaxQuantity)}
	case it.UnitPrice < 0 || it.UnitPrice > MaxUnitPrice:
		return &ValidationError{Field: field + ".UnitPrice", Reason: fmt.Sprintf("must be 0–%d won", int64(MaxUnitPrice))}
	}
	return nil
}

func validateItems(items []Item) error {
	if len(items) == 0 || len(items) > MaxItems {
		return &ValidationError{Field: "Items", Reason: fmt.Sprintf("must hold 1–%d items", MaxItems)}
	}
	seen := make(map[ItemKey]bool, len(items))
	for i, it := range items {
		field := fmt.Sprintf("Items[%d]", i)
		if err := validateItem(field, it); err != nil {
			return err
		}
		if seen[it.Key()] {
			return &ValidationError{Field: field, Reason: "duplicate product option"}
		}
		seen[it.Key()] = true
	}
	return nil
}

// Quote is a round's amount in KRW: the sum of the lines, the plan discount for the round
// number, and the total charged.
type Quote struct {
	// Round is the round number (회차) the discount was chosen for.
	Round    int
	Subtotal int64
	Discount int64
	Total    int64
	// DiscountFromRound is the FromRound of the discount step applied (0: none).
	DiscountFromRound int
}

// DiscountUnit is how discount steps are expressed (Cafe24 discount_value_unit P / W).
type DiscountUnit uint8

// Discount units.
const (
	DiscountPercent DiscountUnit = iota // percent of the round subtotal, 1–100
	DiscountAmount                      // a fixed amount in KRW off the round subtotal
)

// String returns "percent" or "amount".
func (u DiscountUnit) String() string {
	switch u {
	case DiscountPercent:
		return "percent"
	case DiscountAmount:
		return "amount"
	}
	return fmt.Sprintf("DiscountUnit(%d)", uint8(u))
}

// DiscountStep applies Value from round FromRound on, until a later step takes over
// (Cafe24 discount_values: round 1 → 10 %, round 5 → 20 %).
type DiscountStep struct {
	FromRound int
	Value     int64
}

// percentOf returns floor(amount × pct / 100) without overflow for any amount ≥ 0 and
// 0 ≤ pct ≤ 100: the discount is floored to the won, so rounding never favours the buyer
// by a won the shop did not intend (원 단위 절사).
func percentOf(amount, pct int64) int64 {
	return amount/100*pct + amount%100*pct/100
}

func sumItems(items []Item) int64 {
	var s int64
	for _, it := range items {
		s += it.LineTotal()
	}
	return s
}

func cloneItems(items []Item) []Item { return slices.Clone(items) }
