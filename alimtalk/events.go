package alimtalk

// Group is one of the three tabs of Godomall's auto-send settings (알림톡 발송 조건): order and
// shipping (주문배송), member (회원) and board (게시물). Each has its own on/off switch
// (Godomall kakaoAuto orderUseFlag, memberUseFlag, boardUseFlag).
type Group int

// Event groups.
const (
	GroupOrder  Group = iota + 1 // 주문배송
	GroupMember                  // 회원
	GroupBoard                   // 게시물
)

// String returns "order", "member" or "board".
func (g Group) String() string {
	switch g {
	case GroupOrder:
		return "order"
	case GroupMember:
		return "member"
	case GroupBoard:
		return "board"
	default:
		return "unknown"
	}
}

// EventKind is a shop event that can trigger an AlimTalk. The list is modelled on Godomall's
// auto-send conditions (Godomall 카카오 알림톡 app guide: order/shipping, member and board
// tabs); which events a given Godomall build offers is not public, so the names here are
// ours. Godomall's own config key is known for one: member.JOIN (EventMemberJoined).
type EventKind string

// Order and shipping events (GroupOrder).
const (
	// EventOrderReceived: an order paid by card or another instant method was received (주문접수).
	EventOrderReceived EventKind = "order.received"
	// EventBankTransferOrder: a bank-transfer order was received and awaits the deposit
	// (무통장 주문접수; variables include the account and the due date).
	EventBankTransferOrder EventKind = "order.bank_transfer"
	// EventDepositRequest: a reminder to pay a bank-transfer order (입금요청).
	EventDepositRequest EventKind = "order.deposit_request"
	// EventPaymentConfirmed: the payment or deposit was confirmed (입금확인/결제완료).
	EventPaymentConfirmed EventKind = "order.payment_confirmed"
	// EventShippingStarted: the parcel was handed to the courier (배송중; courier and waybill).
	EventShippingStarted EventKind = "order.shipping_started"
	// EventDelivered: the parcel was delivered (배송완료).
	EventDelivered EventKind = "order.delivered"
	// EventOrderCancelled: the order was cancelled (주문취소).
	EventOrderCancelled EventKind = "order.cancelled"
	// EventRefundCompleted: the refund was paid (환불완료).
	EventRefundCompleted EventKind = "order.refund_completed"
	// EventExchangeRequested: an exchange was requested (교환접수).
	EventExchangeRequested EventKind = "order.exchange_requested"
	// EventReturnRequested: a return was requested (반품접수).
	EventReturnRequested EventKind = "order.return_requested"
)

// Member events (GroupMember).
const (
	// EventMemberJoined: a member signed up (회원가입; Godomall member.JOIN).
	EventMemberJoined EventKind = "member.joined"
	// EventMemberApproved: an operator approved a pending sign-up (가입승인).
	EventMemberApproved EventKind = "member.approved"
	// EventPasswordChanged: the member's password was changed (비밀번호 변경 안내).
	EventPasswordChanged EventKind = "member.password_changed"
	// EventDormantNotice: the account will become dormant (휴면전환 사전안내; DueDate).
	EventDormantNotice EventKind = "member.dormant_notice"
	// EventPointsExpiring: the member's points will expire (적립금 소멸 안내; Amount, DueDate).
	EventPointsExpiring EventKind = "member.points_expiring"
)

// Board events (GroupBoard).
const (
	// EventPostRegistered: a customer posted (an inquiry, a review): usually for operators
	// (게시글 등록 알림).
	EventPostRegistered EventKind = "board.post_registered"
	// EventAnswerRegistered: an operator answered the customer's post (답변 등록 알림).
	EventAnswerRegistered EventKind = "board.answer_registered"
)

var eventCatalog = []struct {
	kind  EventKind
	group Group
	label string
}{
	{EventOrderReceived, GroupOrder, "주문접수"},
	{EventBankTransferOrder, GroupOrder, "무통장 주문접수"},
	{EventDepositRequest, GroupOrder, "입금요청"},
	{EventPaymentConfirmed, GroupOrder, "입금확인"},
	{EventShippingStarted, GroupOrder, "배송중"},
	{EventDelivered, GroupOrder, "배송완료"},
	{EventOrderCancelled, GroupOrder, "주문취소"},
	{EventRefundCompleted, GroupOrder, "환불완료"},
	{EventExchangeRequested, GroupOrder, "교환접수"},
	{EventReturnRequested, GroupOrder, "반품접수"},
	{EventMemberJoined, GroupMember, "회원가입"},
	{EventMemberApproved, GroupMember, "가입승인"},
	{EventPasswordChanged, GroupMember, "비밀번호 변경"},
	{EventDormantNotice, GroupMember, "휴면전환 안내"},
	{EventPointsExpiring, GroupMember, "적립금 소멸 안내"},
	{EventPostRegistered, GroupBoard, "게시글 등록"},
	{EventAnswerRegistered, GroupBoard, "답변 등록"},
}

// EventKinds returns every known event kind, grouped (order, member, board).
func EventKinds() []EventKind {
	out := make([]EventKind, len(eventCatalog))
	for i, e := range eventCatalog {
		out[i] = e.kind
	}
	return out
}

// Group returns the kind's group (0 for an unknown kind).
func (k EventKind) Group() Group {
	for _, e := range eventCatalog {
		if e.kind == k {
			return e.group
		}
	}
	return 0
}

// Known reports whether k is one of the kinds listed by EventKinds.
func (k EventKind) Known() bool { return k.Group() != 0 }

// Label returns the Korean label an admin screen shows for k ("주문접수"), "" when unknown.
func (k EventKind) Label() string {
	for _, e := range eventCatalog {
		if e.kind == k {
			return e.label
		}
	}
	return ""
}
