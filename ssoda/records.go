package ssoda

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/kshop-dev/kshop/internal/phone"
	"github.com/kshop-dev/kshop/internal/wire"
)

// DeliveryStatus is a message's status in Ssoda's sent and reserved lists.
type DeliveryStatus int

// Delivery statuses. The zero value is DeliveryUnknown: Ssoda's text was not recognized
// (MessageRecord.RawStatus keeps it).
const (
	DeliveryUnknown DeliveryStatus = iota
	// DeliveryPending is "대기중": accepted, not yet delivered (confirmed text).
	DeliveryPending
	// DeliverySucceeded is "성공" (confirmed text).
	DeliverySucceeded
	// DeliveryFailed is "실패" (confirmed text). The failover SMS/LMS may still have gone out:
	// see MessageRecord.FailoverText.
	DeliveryFailed
	// DeliveryReserved is a reserved message waiting for its time ("예약", "예약대기";
	// inferred texts).
	DeliveryReserved
	// DeliveryCancelled is a cancelled reservation ("취소", "예약취소"; inferred texts).
	DeliveryCancelled
)

// String returns "unknown", "pending", "succeeded", "failed", "reserved" or "cancelled".
func (s DeliveryStatus) String() string {
	switch s {
	case DeliveryPending:
		return "pending"
	case DeliverySucceeded:
		return "succeeded"
	case DeliveryFailed:
		return "failed"
	case DeliveryReserved:
		return "reserved"
	case DeliveryCancelled:
		return "cancelled"
	default:
		return "unknown"
	}
}

// Final reports whether the status will not change any more (succeeded, failed, cancelled).
func (s DeliveryStatus) Final() bool {
	return s == DeliverySucceeded || s == DeliveryFailed || s == DeliveryCancelled
}

// ParseDeliveryStatus maps Ssoda's status text onto a DeliveryStatus. The confirmed texts are
// 대기중, 성공 and 실패; English words and a few likely variants are accepted too.
func ParseDeliveryStatus(raw string) DeliveryStatus {
	s := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(raw), " ", ""))
	switch s {
	case "대기중", "대기", "발송중", "전송중", "처리중", "pending", "waiting", "sending", "ready":
		return DeliveryPending
	case "성공", "발송성공", "전송성공", "완료", "발송완료", "success", "succeeded", "sent", "delivered":
		return DeliverySucceeded
	case "실패", "발송실패", "전송실패", "fail", "failed", "failure", "error":
		return DeliveryFailed
	case "예약", "예약대기", "예약중", "reserved", "scheduled":
		return DeliveryReserved
	case "취소", "예약취소", "취소완료", "cancel", "canceled", "cancelled":
		return DeliveryCancelled
	}
	return DeliveryUnknown
}

// MessageRecord is one row of a sent or reserved list. Fields Ssoda did not send are empty;
// Raw keeps the row as Ssoda wrote it.
type MessageRecord struct {
	// MessageID is msg_id, the id the send answered.
	MessageID string
	// Time is datetime (the send or request time) read as KST; zero when absent or unreadable.
	Time time.Time
	// RawTime is datetime as Ssoda wrote it.
	RawTime string
	// ScheduledAt is the reservation time of reserved rows (send_time / reserve_time;
	// inferred), zero otherwise.
	ScheduledAt time.Time
	// Status is the status mapped from RawStatus (대기중 / 성공 / 실패, …).
	Status DeliveryStatus
	// RawStatus is the status text as Ssoda wrote it.
	RawStatus string
	// ErrorMessage is error_msg: why delivery failed.
	ErrorMessage string
	// FailoverText is failover_msg: the SMS/LMS sent instead when the AlimTalk failed.
	FailoverText string
	// To is dest_phone and From is send_phone, as Ssoda wrote them. They are personal data:
	// mask them (MaskedTo) before logging.
	To, From string
	// Text is msg_body.
	Text string
	// TemplateCode is template_code when the row carries it (not confirmed).
	TemplateCode string
	// Raw is the row's JSON.
	Raw json.RawMessage
}

// MaskedTo returns the recipient masked for logs (010-****-5678).
func (r MessageRecord) MaskedTo() string { return phone.Mask(r.To) }

// decodeRecord reads one list row permissively; ok is false when the row is not an object.
func decodeRecord(raw json.RawMessage) (MessageRecord, bool) {
	o, ok := wire.ParseObject(raw)
	if !ok {
		return MessageRecord{}, false
	}
	r := MessageRecord{
		MessageID:    o.Str("msg_id", "msgId", "message_id", "mid"),
		RawTime:      o.Str("datetime", "date_time", "sent_time", "reg_date", "regdate", "created_at"),
		RawStatus:    o.Str("status", "result", "status_name", "state"),
		ErrorMessage: o.Str("error_msg", "errorMsg", "err_msg", "error"),
		FailoverText: o.Str("failover_msg", "failoverMsg", "failover_body"),
		To:           o.Str("dest_phone", "destPhone", "phone", "receiver"),
		From:         o.Str("send_phone", "sendPhone", "sender"),
		Text:         o.Str("msg_body", "msgBody", "message"),
		TemplateCode: o.Str("template_code", "templateCode"),
		Raw:          append(json.RawMessage(nil), raw...),
	}
	r.Status = ParseDeliveryStatus(r.RawStatus)
	if r.RawTime != "" {
		if t, err := wire.ParseKSTAny(r.RawTime); err == nil {
			r.Time = t
		}
	}
	if s := o.Str("send_time", "reserve_time", "reserv_time", "reservation_time", "reserved_at"); s != "" {
		if t, err := wire.ParseKSTAny(s); err == nil {
			r.ScheduledAt = t
		}
	}
	return r, true
}

// decodeRecords reads the rows of a list answer: the confirmed top-level result[], or a few
// likely other places. Rows that are not objects are skipped.
func decodeRecords(a *answer) []MessageRecord {
	rows, _ := findRows(a, "result", "list", "rows", "sent_list", "messages", "data")
	out := make([]MessageRecord, 0, len(rows))
	for _, raw := range rows {
		if r, ok := decodeRecord(raw); ok {
			out = append(out, r)
		}
	}
	return out
}
