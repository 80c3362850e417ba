package alimtalk

import (
	"strings"
	"time"

	"github.com/kshop-dev/kshop/internal/wire"
)

// Field is a piece of event data the dispatcher can put into a template. Its value is also
// the default variable name: FieldOrderNo fills #{orderNo}. Config.VariableNames and
// EventConfig.VariableNames rename fields for templates that use other names.
type Field string

// Fields and their default variable names. A field whose data is empty is left out of the
// variables, so a template that needs it fails with a missing-variable error instead of
// sending a blank.
const (
	FieldShopName            Field = "shopName"            // Config.ShopName
	FieldShopURL             Field = "shopUrl"             // Config.ShopURL
	FieldCustomerName        Field = "customerName"        // Event.CustomerName
	FieldOrderNo             Field = "orderNo"             // Event.OrderNo
	FieldProductName         Field = "productName"         // Event.ProductName
	FieldAmount              Field = "amount"              // Event.Amount as "7,500원"
	FieldAmountNumber        Field = "amountNumber"        // Event.Amount as "7,500" (for templates that write 원 themselves)
	FieldBankName            Field = "bankName"            // Event.BankName
	FieldBankAccount         Field = "bankAccount"         // Event.BankAccount
	FieldAccountHolder       Field = "accountHolder"       // Event.AccountHolder
	FieldDepositInfo         Field = "depositInfo"         // "bank/account/holder", Godomall's 입금정보 layout
	FieldDueDate             Field = "dueDate"             // Event.DueDate as "2006-01-02" (KST)
	FieldCourier             Field = "courier"             // Event.Courier
	FieldWaybillNo           Field = "waybillNo"           // Event.WaybillNo
	FieldBoardName           Field = "boardName"           // Event.BoardName
	FieldPostTitle           Field = "postTitle"           // Event.PostTitle
	FieldEventDate           Field = "eventDate"           // Event.OccurredAt as "2006-01-02 15:04" (KST)
	FieldEventName           Field = "eventName"           // the event's Korean label ("주문취소")
	FieldCustomerPhoneMasked Field = "customerPhoneMasked" // the customer's number masked (010-****-5678), for operator copies
)

// Fields returns every field in a fixed order.
func Fields() []Field {
	return []Field{FieldShopName, FieldShopURL, FieldCustomerName, FieldOrderNo, FieldProductName,
		FieldAmount, FieldAmountNumber, FieldBankName, FieldBankAccount, FieldAccountHolder,
		FieldDepositInfo, FieldDueDate, FieldCourier, FieldWaybillNo, FieldBoardName, FieldPostTitle,
		FieldEventDate, FieldEventName, FieldCustomerPhoneMasked}
}

// GodomallVariableNames maps fields to the names of Godomall's own template macros, for
// templates carried over from Godomall with [macro] rewritten as #{macro}. Only the macros
// shown in the Godomall 카카오 알림톡 app guide are listed: [rc_mallNm] (shop name),
// [orderName] (orderer), [orderNo], [settlePrice] (amount without 원: the template writes
// "[settlePrice]원") and [shopUrl]. Use it as Config.VariableNames.
func GodomallVariableNames() map[Field]string {
	return map[Field]string{
		FieldShopName:     "rc_mallNm",
		FieldCustomerName: "orderName",
		FieldOrderNo:      "orderNo",
		FieldAmountNumber: "settlePrice",
		FieldShopURL:      "shopUrl",
	}
}

// FormatWon formats an amount of won with thousands separators and the unit: 7500 →
// "7,500원", -1200 → "-1,200원".
func FormatWon(amount int64) string { return wire.Thousands(amount) + "원" }

// Event is one occurrence of a shop event, with the data its templates may use. Fields that
// do not apply stay empty.
type Event struct {
	// Kind is what happened.
	Kind EventKind
	// ID identifies this occurrence (with Kind): an order number for order events, a member
	// or post id otherwise. Messages get Refs derived from Kind, ID, audience and recipient,
	// so dispatching the same event again yields the same Refs.
	ID string
	// OccurredAt is when it happened (zero = the dispatcher's clock). Reserved timings count
	// from it.
	OccurredAt time.Time

	// CustomerName is the orderer's or member's name.
	CustomerName string
	// CustomerPhone is the customer's mobile number; the customer's message goes there.
	CustomerPhone string

	// OrderNo is the shop's order number.
	OrderNo string
	// ProductName names the goods ("상품A 외 2건").
	ProductName string
	// Amount is in won; it is always filled for order events (0 → "0원").
	Amount int64

	// BankName, BankAccount and AccountHolder are the deposit account of bank-transfer orders.
	BankName, BankAccount, AccountHolder string
	// DueDate is the deposit deadline, the dormancy date or the points expiry.
	DueDate time.Time

	// Courier is the carrier's name ("CJ대한통운").
	Courier string
	// WaybillNo is the parcel's waybill (송장) number.
	WaybillNo string

	// BoardName is the board of a post ("1:1 문의").
	BoardName string
	// PostTitle is the post's title.
	PostTitle string

	// Variables are extra template variables, by variable name. They override the fields.
	Variables map[string]string
}

// variableNames resolves a field's variable name: the event's override, the config's, or the
// default.
func variableName(f Field, perEvent, global map[Field]string) string {
	if n, ok := perEvent[f]; ok && n != "" {
		return n
	}
	if n, ok := global[f]; ok && n != "" {
		return n
	}
	return string(f)
}

// eventVariables builds the template variables for an event.
func eventVariables(cfg *Config, ec *EventConfig, ev *Event, occurred time.Time) map[string]string {
	vars := make(map[string]string, 24)
	set := func(f Field, v string) {
		if v != "" {
			vars[variableName(f, ec.VariableNames, cfg.VariableNames)] = v
		}
	}
	set(FieldShopName, cfg.ShopName)
	set(FieldShopURL, cfg.ShopURL)
	set(FieldCustomerName, ev.CustomerName)
	set(FieldOrderNo, ev.OrderNo)
	set(FieldProductName, ev.ProductName)
	if ev.Amount != 0 || ev.Kind.Group() == GroupOrder {
		set(FieldAmount, FormatWon(ev.Amount))
		set(FieldAmountNumber, wire.Thousands(ev.Amount))
	}
	set(FieldBankName, ev.BankName)
	set(FieldBankAccount, ev.BankAccount)
	set(FieldAccountHolder, ev.AccountHolder)
	if ev.BankName != "" || ev.BankAccount != "" || ev.AccountHolder != "" {
		set(FieldDepositInfo, ev.BankName+"/"+ev.BankAccount+"/"+ev.AccountHolder)
	}
	if !ev.DueDate.IsZero() {
		set(FieldDueDate, wire.FormatKST(ev.DueDate, wire.LayoutDashDate))
	}
	set(FieldCourier, ev.Courier)
	set(FieldWaybillNo, ev.WaybillNo)
	set(FieldBoardName, ev.BoardName)
	set(FieldPostTitle, ev.PostTitle)
	set(FieldEventDate, wire.FormatKST(occurred, wire.LayoutMinute))
	set(FieldEventName, ev.Kind.Label())
	if strings.TrimSpace(ev.CustomerPhone) != "" {
		set(FieldCustomerPhoneMasked, maskPhone(ev.CustomerPhone))
	}
	for k, v := range ev.Variables {
		vars[k] = v
	}
	return vars
}
