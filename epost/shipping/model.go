package shipping

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/internal/phone"
	"github.com/kshop-dev/kshop/internal/secret"
)

// FeePayment is the order's shipping-fee condition (배송비 조건), which decides the waybill kind.
type FeePayment string

// Shipping-fee conditions.
const (
	// FeePrepaid (선결제): the shop pays; a prepaid waybill (payType 1, numbers start with 6).
	// The zero value "" means prepaid too.
	FeePrepaid FeePayment = "prepaid"
	// FeeCollect (착불): the recipient pays; a collect waybill (payType 2, numbers start with 7).
	FeeCollect FeePayment = "collect"
)

func (f FeePayment) payType() epost.PayType {
	if f == FeeCollect {
		return epost.PayCollect
	}
	return epost.PayPrepaid
}

// Recipient is where the parcel goes. It is personal data: every way of printing it (fmt verbs
// including %#v, slog) shows only a masked name and masked phones, never the address.
type Recipient struct {
	Name   string // 수령자
	Zip    string // 5-digit postal code
	Addr1  string // road address
	Addr2  string // detail address
	Phone  string // 전화번호, any common writing
	Mobile string // 휴대폰번호, any common writing
}

// String shows a masked name and masked phones.
func (r Recipient) String() string {
	var b strings.Builder
	b.WriteString("Recipient{name:")
	b.WriteString(maskName(r.Name))
	if r.Phone != "" {
		b.WriteString(" phone:" + phone.Mask(r.Phone))
	}
	if r.Mobile != "" {
		b.WriteString(" mobile:" + phone.Mask(r.Mobile))
	}
	b.WriteString("}")
	return b.String()
}

// GoString is String, for %#v.
func (r Recipient) GoString() string { return r.String() }

// Format prints String for every verb, so no verb reaches the fields through reflection.
func (r Recipient) Format(f fmt.State, verb rune) { secret.Format(f, verb, r.String()) }

// LogValue keeps the address and full phones out of slog output.
func (r Recipient) LogValue() slog.Value { return slog.StringValue(r.String()) }

func maskName(name string) string {
	rs := []rune(strings.TrimSpace(name))
	switch len(rs) {
	case 0:
		return `""`
	case 1, 2:
		return string(rs[0]) + "*"
	}
	return string(rs[0]) + strings.Repeat("*", len(rs)-2) + string(rs[len(rs)-1])
}

// Order is a shop order as step 1 sees it: the recipient, the shipping-fee condition and the
// lines. Add orders with Shipper.AddOrders; the store keeps each line's status and issue state.
type Order struct {
	// ID is the shop's order number (Godomall 주문번호): ASCII letters, digits, '-' and '_', at
	// most 32 characters. It is the Korea Post orderNo of a per-order waybill.
	ID string
	// OrderedAt is when the order was placed (주문일시).
	OrderedAt time.Time
	// Fee is the shipping-fee condition: prepaid (also "") or collect.
	Fee FeePayment
	// Recipient is the parcel's destination and contacts.
	Recipient Recipient
	// Message is the delivery message (배송 메시지), sent as delivMsg.
	Message string
	// Lines are the order's lines (상품주문), at least one.
	Lines []Line
}

// IssueState is a line's waybill issue state (발급상태).
type IssueState string

// Issue states.
const (
	IssueNone         IssueState = ""              // 미발급
	IssueIssued       IssueState = "issued"        // 발급
	IssueContactError IssueState = "contact-error" // 연락처오류: no waybill until the contact is corrected
)

// Line is one order line (상품주문) and its workflow state.
type Line struct {
	// ID is the line's number within the order (Godomall 상품주문번호): ASCII letters, digits,
	// '-' and '_', at most 12 characters.
	ID string
	// GoodsName is the goods' name (sent as goodsNm); GoodsCode optional (goodsCd).
	GoodsName string
	GoodsCode string
	// Qty is the quantity, at least 1.
	Qty int
	// Status is the line's order status.
	Status Status

	// Issue is the issue state; set by the workflow.
	Issue IssueState
	// WaybillID is the live waybill carrying the line ("" when none); set by the workflow.
	WaybillID string
	// Linked is true while Korea Post's states drive the line's status. An operator's manual
	// change clears it for good: sync never touches the line for that waybill again.
	Linked bool
}

// LogValue logs the order's ID, fee condition, masked recipient and line count: slog never
// sees the address or full phones.
func (o Order) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", o.ID), slog.String("fee", string(o.Fee)),
		slog.String("recipient", o.Recipient.String()), slog.Int("lines", len(o.Lines)))
}

// clone copies o deeply, so the store and its callers never share slices.
func (o Order) clone() Order {
	o.Lines = slices.Clone(o.Lines)
	return o
}

func (o *Order) line(id string) *Line {
	for i := range o.Lines {
		if o.Lines[i].ID == id {
			return &o.Lines[i]
		}
	}
	return nil
}

// IssueMode is how step 1 groups lines into waybills (발급방법).
type IssueMode string

// Issue modes.
const (
	// PerOrder (주문별 송장발급): one waybill for all eligible lines of an order; the Korea Post
	// orderNo is the order number.
	PerOrder IssueMode = "order"
	// PerItem (상품별 송장발급): one waybill per line; the orderNo is the order number, '-' and
	// the line number.
	PerItem IssueMode = "item"
)

// WaybillState is where a waybill is in the workflow.
type WaybillState string

// Waybill states. The step-2 list (예약 전) holds Issued and ReserveUnknown waybills.
const (
	// WaybillIssued (예약 전): issued in step 1, not yet sent to Korea Post.
	WaybillIssued WaybillState = "issued"
	// WaybillReserving: InsertOrder is planned or on its way; a crash leaves it here, and the
	// next Reserve or sync reconciles it before anything is sent again.
	WaybillReserving WaybillState = "reserving"
	// WaybillReserveUnknown: InsertOrder's outcome is unknown and reconciliation could not tell
	// yet.
	WaybillReserveUnknown WaybillState = "reserve-unknown"
	// WaybillReserved (예약 후): booked; RegiNo is the waybill number.
	WaybillReserved WaybillState = "reserved"
	// WaybillCancelling: GetResCancelCmd is planned or on its way.
	WaybillCancelling WaybillState = "cancelling"
	// WaybillCancelUnknown: the cancel's outcome is unknown; reconciled like a booking.
	WaybillCancelUnknown WaybillState = "cancel-unknown"
	// WaybillCancelled: cancelled at Korea Post; its number is never used again.
	WaybillCancelled WaybillState = "cancelled"
	// WaybillVoided: withdrawn before it was ever sent (a step-1 waybill cancelled, or whose
	// contact turned out wrong at reservation).
	WaybillVoided WaybillState = "voided"
)

// Waybill is one parcel: a Korea Post orderNo, the lines it carries and, once reserved, the
// booking's numbers.
type Waybill struct {
	// ID is the Korea Post orderNo, unique per waybill: the order number (per order) or order
	// number, '-' and line number (per item), with "-R2", "-R3" … for later attempts. It is
	// never reused, so ReconcileOrder's view of it stays exact.
	ID      string
	OrderID string
	LineIDs []string
	Mode    IssueMode
	PayType epost.PayType
	State   WaybillState
	// IssuedAt is when step 1 issued it.
	IssuedAt time.Time
	// PlannedAt is when the current reservation or cancel was written as under way.
	PlannedAt time.Time
	// ReqYmds are the KST dates InsertOrder may have been registered under (written before the
	// call); reconciliation asks each.
	ReqYmds []string
	// Booking numbers, once reserved.
	RegiNo string // 운송장번호, 13 digits
	ReqNo  string // 소포 주문번호
	ResNo  string // 소포 예약번호
	ReqYmd string // the booking's date
	// Printed is true once the label was printed.
	Printed bool
	// Tracking is true while sync checks this waybill: reserved, not delivered, and carrying a
	// linked line.
	Tracking bool
	// LastTracked is the last tracking status sync saw.
	LastTracked epost.TrackingStatus
	// SyncedPass is the last sync pass that tracked it (0: none yet).
	SyncedPass int
	// LastError is the code of the last refusal (a vendor code or a rule), never a value.
	LastError string
}

func (w Waybill) clone() Waybill {
	w.LineIDs = slices.Clone(w.LineIDs)
	w.ReqYmds = slices.Clone(w.ReqYmds)
	return w
}

// Event is one status change of one line, for notifications (배송 시작, 배송 완료 AlimTalk).
type Event struct {
	// ID is stable: the same change always has the same ID, so a consumer that sees an event
	// twice (after a crash between delivering and acknowledging it) can tell.
	ID string
	// Seq orders events in the store's outbox.
	Seq       uint64
	OrderID   string
	LineID    string
	From, To  Status
	Cause     Cause
	WaybillID string // the Korea Post orderNo of the waybill, "" for a manual change without one
	RegiNo    string // the waybill number, when reserved
	At        time.Time
}

// Plan is a change written to the store before it is applied: a crash between the two leaves
// the plan, and the next sync applies it, exactly once.
type Plan struct {
	ID        string
	OrderID   string
	LineID    string
	WaybillID string
	From, To  Status
	Cause     Cause
	At        time.Time
}

// Cursor is the sync's position, so a long sync resumes where it stopped. Which waybills a
// pass has done is kept on each waybill (Waybill.SyncedPass), so several syncers can share a
// pass.
type Cursor struct {
	// Pass counts sync passes; InPass is true while one is under way.
	Pass   int
	InPass bool
	// Total is the number of tracked waybills when the pass started; Done how many are done.
	Total, Done int
	// Started and Finished time the last pass.
	Started, Finished time.Time
}
