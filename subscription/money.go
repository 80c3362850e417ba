package subscription

import (
	"fmt"
	"slices"

	"github.com/kshop-dev/kshop"
)

// Limits that keep every amount far from int64 overflow (100 × 9,999 × 10¹¹ < 10¹⁷) and
// every text within what Korean shop platforms store (Cafe24 limits phones to 20 characters).
const (
	maxItems       = 100
	maxQuantity    = 9999
	maxUnitPrice   = 100_000_000_000 // 1000억원
	maxIDLength    = 64
	maxNameLength  = 200
	maxFieldLength = 200
	maxPhoneLength = 20
	maxZipLength   = 10
)

// ProductKind tells whether a product can be sold by subscription at all.
type ProductKind uint8

// Product kinds. Set and 1+N event products are refused (Cafe24 정기배송(정기결제) FAQ).
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

func (p *problems) item(field string, it Item) {
	p.id(field+".Product.ID", it.Product.ID)
	if it.OptionID != "" {
		p.id(field+".OptionID", it.OptionID)
	}
	p.text(field+".Name", it.Name, false, maxNameLength, false)
	p.rangeInt(field+".Quantity", it.Quantity, 1, maxQuantity)
	if it.UnitPrice < 0 || it.UnitPrice > maxUnitPrice {
		p.add(field+".UnitPrice", kshop.RuleRange, "0–100,000,000,000 won")
	}
}

// items checks the item list: 1–100 valid items, no product option twice.
func (p *problems) items(field string, items []Item) {
	if len(items) == 0 {
		p.add(field, kshop.RuleRequired, "at least one item")
		return
	}
	if len(items) > maxItems {
		fe := p.add(field, kshop.RuleTooMany, "")
		fe.Limit, fe.Got = maxItems, len(items)
		return
	}
	seen := make(map[ItemKey]bool, len(items))
	for i, it := range items {
		f := index(field, i)
		p.item(f, it)
		if seen[it.Key()] {
			p.add(f, kshop.RuleConflict, "the same product option twice")
		}
		seen[it.Key()] = true
	}
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
