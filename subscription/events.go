package subscription

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kshop-dev/kshop/internal/wire"
)

// EventKind says what an Event reports.
type EventKind uint8

// Event kinds. Each maps naturally to one notification template (Cafe24 has "정기배송 결제
// 안내" mail/SMS and "정기배송 자동 해지" mail; the others are for shops that notify more).
const (
	EventPaymentNotice EventKind = iota + 1 // 정기배송 결제 안내: amount and items, before the charge
	EventCharged                            // the round was charged; the order exists
	EventChargeFailed                       // a charge failed; a retry is scheduled (NextRetryAt)
	EventRoundFailed                        // every retry failed; the round is not delivered
	EventFailed                             // the subscription failed (FailSubscription policy)
	EventExpired                            // the round limit was reached (자동 해지)
	EventCancelled                          // cancelled by the buyer or the shop
	EventTerminated                         // payment gateway changed or reset (자동 해지)
)

// String names the kind ("payment_notice", "terminated", …).
func (k EventKind) String() string {
	switch k {
	case EventPaymentNotice:
		return "payment_notice"
	case EventCharged:
		return "charged"
	case EventChargeFailed:
		return "charge_failed"
	case EventRoundFailed:
		return "round_failed"
	case EventFailed:
		return "failed"
	case EventExpired:
		return "expired"
	case EventCancelled:
		return "cancelled"
	case EventTerminated:
		return "terminated"
	}
	return fmt.Sprintf("EventKind(%d)", uint8(k))
}

// Audience is who an event is addressed to.
type Audience uint8

// Audiences.
const (
	AudienceCustomer Audience = iota + 1
	AudienceOperator
)

// String returns "customer" or "operator".
func (a Audience) String() string {
	switch a {
	case AudienceCustomer:
		return "customer"
	case AudienceOperator:
		return "operator"
	}
	return fmt.Sprintf("Audience(%d)", uint8(a))
}

// Event is something to tell the customer or the operator. It carries everything a
// notification template needs (customer, round number, delivery date, amount, items)
// without this package knowing the messaging API: Vars flattens it for an AlimTalk
// template's #{…} variables. Events hold personal data (Customer); do not log them whole.
type Event struct {
	Kind           EventKind
	Audience       Audience
	SubscriptionID string
	Customer       Customer
	// RoundSeq is the round's Seq (-1 when no round is involved); Round is its number.
	RoundSeq     int
	Round        int
	DeliveryDate Date
	// Amount is the round total in KRW (the fixed amount for notices and charges).
	Amount int64
	Quote  Quote
	Items  []Item
	// OrderRef is the order created by a charge.
	OrderRef string
	// Reason explains failures, cancellations and terminations.
	Reason string
	// Attempt is the charge attempt (EventCharged, EventChargeFailed, EventRoundFailed).
	Attempt int
	// NextRetryAt is the next billing retry (EventChargeFailed).
	NextRetryAt time.Time
	// At is when it happened (or, for a notice, when it became due).
	At time.Time
}

// Key returns a stable key for the event, usable as an idempotency key when sending it:
// subscription, round, kind (and attempt for charge failures) and audience.
func (e Event) Key() string {
	var b strings.Builder
	b.WriteString(e.SubscriptionID)
	b.WriteByte('/')
	if e.RoundSeq >= 0 {
		b.WriteString(strconv.Itoa(e.RoundSeq))
		b.WriteByte('/')
	}
	b.WriteString(e.Kind.String())
	if e.Kind == EventChargeFailed {
		b.WriteString("/a")
		b.WriteString(strconv.Itoa(e.Attempt))
	}
	b.WriteByte('/')
	b.WriteString(e.Audience.String())
	return b.String()
}

// Vars flattens the event into template variables (values formatted for Korean
// messages). Keys:
//
//	subscription_id, customer_name, round ("3"), delivery_date ("2026-03-31"),
//	amount ("29,700원"), subtotal, discount, items ("원두 200g x2 외 1건"), item_count,
//	order_ref, reason, next_retry ("2026-03-30 17:00")
//
// Amounts read as alimtalk.FormatWon writes them ("7,500원"), so a template's #{결제금액}
// needs no unit after it.
//
// Keys with no value for the event are present with "".
func (e Event) Vars() map[string]string {
	v := map[string]string{
		"subscription_id": e.SubscriptionID,
		"customer_name":   e.Customer.Name,
		"round":           "",
		"delivery_date":   "",
		"amount":          formatWon(e.Amount),
		"subtotal":        formatWon(e.Quote.Subtotal),
		"discount":        formatWon(e.Quote.Discount),
		"items":           summarizeItems(e.Items),
		"item_count":      strconv.Itoa(len(e.Items)),
		"order_ref":       e.OrderRef,
		"reason":          e.Reason,
		"next_retry":      "",
	}
	if e.Round > 0 {
		v["round"] = strconv.Itoa(e.Round)
	}
	if !e.DeliveryDate.IsZero() {
		v["delivery_date"] = e.DeliveryDate.String()
	}
	if !e.NextRetryAt.IsZero() {
		v["next_retry"] = wire.FormatKST(e.NextRetryAt, wire.LayoutMinute)
	}
	return v
}

// formatWon formats an amount of won as alimtalk.FormatWon does ("1,234,000원"), so a
// template gets the same text whichever package filled it.
func formatWon(n int64) string { return wire.Thousands(n) + "원" }

// summarizeItems gives the usual Korean one-line summary: "첫상품 x수량 외 N건".
func summarizeItems(items []Item) string {
	if len(items) == 0 {
		return ""
	}
	first := items[0].Name
	if first == "" {
		first = items[0].Product.ID
	}
	s := first + " x" + strconv.Itoa(items[0].Quantity)
	if len(items) > 1 {
		s += " 외 " + strconv.Itoa(len(items)-1) + "건"
	}
	return s
}

// roundEvent builds an event about round r for audience a.
func (s *Subscription) roundEvent(kind EventKind, a Audience, r *Round, at time.Time) Event {
	e := Event{Kind: kind, Audience: a, SubscriptionID: s.id, Customer: s.customer, RoundSeq: -1, At: at}
	if r != nil {
		e.RoundSeq, e.Round, e.DeliveryDate = r.Seq, r.Number, r.Delivery
		if r.Fixed {
			e.Items = cloneItems(r.Items)
			e.Quote = r.Quote
			e.Amount = r.Quote.Total
		}
		e.OrderRef = r.OrderRef
	}
	return e
}

// bothAudiences returns the event addressed to the customer and to the operator.
func bothAudiences(e Event) []Event {
	op := e
	op.Audience = AudienceOperator
	op.Items = cloneItems(e.Items)
	e.Audience = AudienceCustomer
	return []Event{e, op}
}
