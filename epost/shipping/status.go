package shipping

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/kshop-dev/kshop"
)

// Status is an order line's status, as Godomall's two-character code ("p1", "g1", "d1"). Status
// is per order line (Godomall's 상품주문번호), not per order: two lines of one order may be in
// different statuses. The zero value is not a status.
type Status string

// Godomall's order statuses (Godomall 5 admin, 기본설정 > 주문정책 > 주문 상태 설정). The letter
// is the family.
const (
	StatusPendingDeposit Status = "o1" // 입금대기
	StatusPaid           Status = "p1" // 결제완료
	StatusPreparing      Status = "g1" // 상품준비중 (required)
	StatusPurchaseOrder  Status = "g2" // 구매발주 (optional)
	StatusGoodsReceived  Status = "g3" // 상품입고 (optional)
	StatusGoodsReleased  Status = "g4" // 상품출고 (optional)
	StatusShipping       Status = "d1" // 배송중
	StatusDelivered      Status = "d2" // 배송완료
	StatusConfirmed      Status = "s1" // 구매확정

	StatusAutoCancelled    Status = "c1" // 자동취소
	StatusSoldOutCancelled Status = "c2" // 품절취소
	StatusAdminCancelled   Status = "c3" // 관리자취소
	StatusCancelRequested  Status = "c4" // 고객취소요청

	StatusPaymentAttempt Status = "f1" // 결제시도
	StatusPaymentAborted Status = "f2" // 고객결제중단
	StatusPaymentFailed  Status = "f3" // 결제실패
	StatusPaymentCheck   Status = "f4" // PG확인요망

	StatusReturnRequested Status = "b1" // 반품접수
	StatusReturnInTransit Status = "b2" // 반송중 (optional)
	StatusReturnOnHold    Status = "b3" // 반품보류 (optional)
	StatusReturned        Status = "b4" // 반품회수완료

	StatusExchangeRequested  Status = "e1" // 교환접수
	StatusExchangeInTransit  Status = "e2" // 반송중 (optional)
	StatusExchangeReshipping Status = "e3" // 재배송중 (optional)
	StatusExchangeOnHold     Status = "e4" // 교환보류 (optional)
	StatusExchanged          Status = "e5" // 교환완료

	StatusRefundRequested Status = "r1" // 환불접수
	StatusRefundOnHold    Status = "r2" // 환불보류 (optional)
	StatusRefunded        Status = "r3" // 환불완료

	StatusAddOnPending   Status = "z1" // 추가입금대기
	StatusAddOnPaid      Status = "z2" // 추가결제완료
	StatusAddOnShipping  Status = "z3" // 추가배송중
	StatusAddOnDelivered Status = "z4" // 추가배송완료
	StatusAddOnDone      Status = "z5" // 교환추가완료
)

// Family is a status's group, the code's letter.
type Family byte

// The families of Godomall's statuses.
const (
	FamilyPending  Family = 'o' // 입금대기
	FamilyPayment  Family = 'p' // 결제완료
	FamilyGoods    Family = 'g' // 상품준비
	FamilyDelivery Family = 'd' // 배송
	FamilySettled  Family = 's' // 구매확정
	FamilyCancel   Family = 'c' // 취소
	FamilyFailure  Family = 'f' // 결제실패
	FamilyReturn   Family = 'b' // 반품
	FamilyExchange Family = 'e' // 교환
	FamilyRefund   Family = 'r' // 환불
	FamilyAddOn    Family = 'z' // 교환 추가결제
)

var familyNames = map[Family]string{
	FamilyPending: "입금대기", FamilyPayment: "결제완료", FamilyGoods: "상품준비", FamilyDelivery: "배송",
	FamilySettled: "구매확정", FamilyCancel: "취소", FamilyFailure: "결제실패", FamilyReturn: "반품",
	FamilyExchange: "교환", FamilyRefund: "환불", FamilyAddOn: "교환 추가결제",
}

// String is the family's Korean name ("반품"), or "?" for a byte that is no family.
func (f Family) String() string {
	if n, ok := familyNames[f]; ok {
		return n
	}
	return "?"
}

// Closed reports whether lines of this family are outside the forward order flow (cancelled,
// failed, returned, exchanged, refunded): this package never moves them.
func (f Family) Closed() bool {
	switch f {
	case FamilyCancel, FamilyFailure, FamilyReturn, FamilyExchange, FamilyRefund, FamilyAddOn:
		return true
	}
	return false
}

type statusInfo struct {
	name     string
	optional bool // a sub-status a shop may switch off
}

var statusTable = map[Status]statusInfo{
	StatusPendingDeposit: {"입금대기", false}, StatusPaid: {"결제완료", false},
	StatusPreparing: {"상품준비중", false}, StatusPurchaseOrder: {"구매발주", true},
	StatusGoodsReceived: {"상품입고", true}, StatusGoodsReleased: {"상품출고", true},
	StatusShipping: {"배송중", false}, StatusDelivered: {"배송완료", false}, StatusConfirmed: {"구매확정", false},

	StatusAutoCancelled: {"자동취소", false}, StatusSoldOutCancelled: {"품절취소", false},
	StatusAdminCancelled: {"관리자취소", false}, StatusCancelRequested: {"고객취소요청", false},
	StatusPaymentAttempt: {"결제시도", false}, StatusPaymentAborted: {"고객결제중단", false},
	StatusPaymentFailed: {"결제실패", false}, StatusPaymentCheck: {"PG확인요망", false},
	StatusReturnRequested: {"반품접수", false}, StatusReturnInTransit: {"반송중", true},
	StatusReturnOnHold: {"반품보류", true}, StatusReturned: {"반품회수완료", false},
	StatusExchangeRequested: {"교환접수", false}, StatusExchangeInTransit: {"반송중", true},
	StatusExchangeReshipping: {"재배송중", true}, StatusExchangeOnHold: {"교환보류", true},
	StatusExchanged:       {"교환완료", false},
	StatusRefundRequested: {"환불접수", false}, StatusRefundOnHold: {"환불보류", true},
	StatusRefunded:     {"환불완료", false},
	StatusAddOnPending: {"추가입금대기", false}, StatusAddOnPaid: {"추가결제완료", false},
	StatusAddOnShipping: {"추가배송중", false}, StatusAddOnDelivered: {"추가배송완료", false},
	StatusAddOnDone: {"교환추가완료", false},
}

// Statuses lists every known status, in family order and then by number.
func Statuses() []Status {
	out := make([]Status, 0, len(statusTable))
	for s := range statusTable {
		out = append(out, s)
	}
	order := "opgdscfberz"
	slices.SortFunc(out, func(a, b Status) int {
		if d := strings.IndexByte(order, a[0]) - strings.IndexByte(order, b[0]); d != 0 {
			return d
		}
		return strings.Compare(string(a), string(b))
	})
	return out
}

// ParseStatus reads a Godomall status code ("p1", "G1"; case and surrounding space ignored).
// An unknown code is an *UnknownStatusError.
func ParseStatus(code string) (Status, error) {
	s := Status(strings.ToLower(strings.TrimSpace(code)))
	if _, ok := statusTable[s]; !ok {
		return "", &UnknownStatusError{Platform: "godomall", Code: code}
	}
	return s, nil
}

// Known reports whether s is one of Godomall's codes.
func (s Status) Known() bool { _, ok := statusTable[s]; return ok }

// Name is the Korean name ("결제완료"), or "" for an unknown code.
func (s Status) Name() string { return statusTable[s].name }

// Family is the status's group; 0 for an unknown code.
func (s Status) Family() Family {
	if !s.Known() {
		return 0
	}
	return Family(s[0])
}

// Optional reports whether a shop may switch the status off (g2–g4, b2, b3, e2–e4, r2).
func (s Status) Optional() bool { return statusTable[s].optional }

// String is "p1 결제완료", or the code alone when it is unknown.
func (s Status) String() string {
	if n := s.Name(); n != "" {
		return string(s) + " " + n
	}
	return string(s)
}

// UnknownStatusError reports a status code that the platform's table does not hold.
type UnknownStatusError struct {
	Platform string // "godomall", "cafe24"
	Code     string // the code as given
}

// ErrUnknownStatus is matched by every *UnknownStatusError.
var ErrUnknownStatus = errors.New("shipping: unknown order status")

// Error names the platform and the code (a status code is never personal data).
func (e *UnknownStatusError) Error() string {
	return "shipping: unknown " + e.Platform + " order status " + strconv.Quote(e.Code)
}

// Is makes errors.Is(err, ErrUnknownStatus) true.
func (e *UnknownStatusError) Is(target error) bool { return target == ErrUnknownStatus }

// StatusConfig is the shop's status setup (Godomall 주문 상태 설정): which statuses form the
// payment group (입금 상태 설정) and which the goods group (상품 상태 설정). Lines in either group
// are the ones step 1 may issue waybills for: after 입금대기 and before 배송중.
type StatusConfig struct {
	// Payment lists the payment group (p family). A reservation moves these lines to 상품준비중.
	Payment []Status
	// Goods lists the goods-group statuses in use: g1 (required) and those of the optional
	// g2 구매발주, g3 상품입고, g4 상품출고 the shop has not switched off. A reservation keeps
	// these lines' status.
	Goods []Status
}

// DefaultStatusConfig is Godomall's default: payment group p1, goods group g1–g4.
func DefaultStatusConfig() StatusConfig {
	return StatusConfig{
		Payment: []Status{StatusPaid},
		Goods:   []Status{StatusPreparing, StatusPurchaseOrder, StatusGoodsReceived, StatusGoodsReleased},
	}
}

// Validate reports every problem at once in a *kshop.ValidationError (Op
// "shipping.StatusConfig"): unknown codes, statuses outside their group's family, duplicates,
// an empty payment group, and a goods group without g1.
func (c StatusConfig) Validate() error {
	return kshop.NewValidationError("shipping.StatusConfig", c.problems("Statuses"))
}

func (c StatusConfig) problems(prefix string) []*kshop.FieldError {
	var ps []*kshop.FieldError
	check := func(group string, list []Status, fam Family) {
		seen := map[Status]bool{}
		for i, s := range list {
			field := prefix + "." + group + "[" + strconv.Itoa(i) + "]"
			switch {
			case !s.Known():
				ps = append(ps, &kshop.FieldError{Field: field, Rule: kshop.RuleNotAllowed, Detail: "unknown status", Err: &UnknownStatusError{Platform: "godomall", Code: string(s)}})
			case s.Family() != fam:
				ps = append(ps, &kshop.FieldError{Field: field, Rule: kshop.RuleNotAllowed, Detail: "the " + group + " group holds " + string(fam) + " statuses only"})
			case seen[s]:
				ps = append(ps, &kshop.FieldError{Field: field, Rule: kshop.RuleConflict, Detail: "listed twice"})
			}
			seen[s] = true
		}
	}
	check("Payment", c.Payment, FamilyPayment)
	check("Goods", c.Goods, FamilyGoods)
	if len(c.Payment) == 0 {
		ps = append(ps, &kshop.FieldError{Field: prefix + ".Payment", Rule: kshop.RuleRequired, Detail: "Godomall's is p1"})
	}
	if !slices.Contains(c.Goods, StatusPreparing) {
		ps = append(ps, &kshop.FieldError{Field: prefix + ".Goods", Rule: kshop.RuleRequired, Detail: "g1 상품준비중 cannot be switched off"})
	}
	return ps
}

// InPayment reports whether s is in the payment group.
func (c StatusConfig) InPayment(s Status) bool { return slices.Contains(c.Payment, s) }

// InGoods reports whether s is in the goods group.
func (c StatusConfig) InGoods(s Status) bool { return slices.Contains(c.Goods, s) }

// Eligible reports whether lines in status s may get a waybill (step 1): s is in the payment
// or the goods group.
func (c StatusConfig) Eligible(s Status) bool { return c.InPayment(s) || c.InGoods(s) }

// Mapping translates another platform's status codes to Godomall's, keeping the model open:
// a shop on Cafe24 maps its N-codes and uses the same workflow.
type Mapping struct {
	platform string
	to       map[string]Status
	from     map[Status]string
}

// Cafe24 maps Cafe24's order_status N-codes (Cafe24 Admin API): N00 입금전 → o1, N10 상품준비중 →
// g1, N20 배송준비중, N21 배송대기 and N22 배송보류 → g4 상품출고, N30 배송중 → d1, N40 배송완료 → d2,
// N50 구매확정 → s1, and the finished claims C40 취소완료 → c3, R40 반품완료 → b4, E40 교환완료 → e5.
// Cafe24 has no separate paid-but-not-preparing code: a paid order is N10.
var Cafe24 = newMapping("cafe24", map[string]Status{
	"N00": StatusPendingDeposit, "N10": StatusPreparing, "N20": StatusGoodsReleased, "N21": StatusGoodsReleased,
	"N22": StatusGoodsReleased, "N30": StatusShipping, "N40": StatusDelivered, "N50": StatusConfirmed,
	"C40": StatusAdminCancelled, "R40": StatusReturned, "E40": StatusExchanged,
}, map[Status]string{
	StatusPendingDeposit: "N00", StatusPaid: "N10", StatusPreparing: "N10", StatusPurchaseOrder: "N10",
	StatusGoodsReceived: "N10", StatusGoodsReleased: "N20", StatusShipping: "N30", StatusDelivered: "N40",
	StatusConfirmed: "N50", StatusAdminCancelled: "C40", StatusReturned: "R40", StatusExchanged: "E40",
})

func newMapping(platform string, to map[string]Status, from map[Status]string) *Mapping {
	return &Mapping{platform: platform, to: to, from: from}
}

// Platform names the platform ("cafe24").
func (m *Mapping) Platform() string { return m.platform }

// Status translates the platform's code (case and surrounding space ignored); an unknown code
// is an *UnknownStatusError naming the platform.
func (m *Mapping) Status(code string) (Status, error) {
	if s, ok := m.to[strings.ToUpper(strings.TrimSpace(code))]; ok {
		return s, nil
	}
	return "", &UnknownStatusError{Platform: m.platform, Code: code}
}

// Code translates a status back to the platform's code; false when the platform has none.
func (m *Mapping) Code(s Status) (string, bool) {
	c, ok := m.from[s]
	return c, ok
}
