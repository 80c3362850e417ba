package alimtalk

import (
	"context"
	"strconv"
	"time"
)

// Sender sends AlimTalk messages through one provider. ssoda.Client implements it;
// alimtalktest.Sender is a recording fake. Package alimtalk/provider holds the helpers for
// writing one.
//
// Send returns exactly one Result per message, in the order of msgs, and an error only when
// the whole call failed. A message that fails validation fails alone (StatusInvalid) and the
// rest are still sent. When the error wraps ErrOutcomeUnknown, some messages may have been
// sent: reconcile by Ref, never resend blindly. Implementations must be safe for concurrent
// use and must never retry a send that may have reached the provider.
type Sender interface {
	Send(ctx context.Context, msgs []Message) ([]Result, error)
}

// Status is what happened to one message.
type Status int

// Statuses. The zero value is StatusUnknown, the safe assumption: a Result whose Status was
// never set must be treated as "may have been sent".
const (
	// StatusUnknown: the message may or may not have been accepted (timeout, 5xx after the
	// request was written). Err wraps ErrOutcomeUnknown. Reconcile by Ref; do not resend.
	StatusUnknown Status = iota
	// StatusAccepted: the provider accepted the message for immediate delivery. Acceptance is
	// not delivery: Kakao may still fail it, and the failover SMS/LMS then goes out.
	StatusAccepted
	// StatusReserved: the provider accepted the message for delivery at ScheduledAt.
	StatusReserved
	// StatusRejected: the provider refused this message (Err says why; a vendor *APIError).
	// It was not sent.
	StatusRejected
	// StatusInvalid: the message failed validation before anything was sent (Err is
	// FieldErrors). Fix the input; sending it again unchanged fails the same way.
	StatusInvalid
	// StatusNotSent: the call failed before this message could reach the provider (Err is
	// the call's error). Sending it again is safe.
	StatusNotSent
	// StatusDuplicate: the dispatcher skipped the message because its Ref was already
	// dispatched (see Ledger). Nothing was sent this time.
	StatusDuplicate
)

// String returns a lower-case name: "unknown", "accepted", "reserved", "rejected",
// "invalid", "not sent" or "duplicate".
func (s Status) String() string {
	switch s {
	case StatusUnknown:
		return "unknown"
	case StatusAccepted:
		return "accepted"
	case StatusReserved:
		return "reserved"
	case StatusRejected:
		return "rejected"
	case StatusInvalid:
		return "invalid"
	case StatusNotSent:
		return "not sent"
	case StatusDuplicate:
		return "duplicate"
	default:
		return "status(" + strconv.Itoa(int(s)) + ")"
	}
}

// Succeeded reports whether the provider took the message (accepted or reserved).
func (s Status) Succeeded() bool { return s == StatusAccepted || s == StatusReserved }

// SafeToRetry reports whether sending the same message again cannot produce a duplicate:
// true for rejected, invalid and not-sent messages; false for unknown ones (the first attempt
// may have been delivered) and for messages already taken.
func (s Status) SafeToRetry() bool {
	return s == StatusRejected || s == StatusInvalid || s == StatusNotSent
}

// Result is the outcome of one message.
type Result struct {
	// Ref is the message's Ref (the caller's correlation key).
	Ref string
	// To is the recipient's normalized digits ("" when the number was invalid).
	To string
	// MessageID is the provider's id for the message ("" when none was given).
	MessageID string
	// Status is what happened.
	Status Status
	// ScheduledAt is the reservation time in KST (zero for immediate sends).
	ScheduledAt time.Time
	// SentAt is when the request carrying the message was sent (zero when nothing was sent).
	// With To and Text it is what a provider's reconciliation needs to find the message again.
	SentAt time.Time
	// Text is the rendered AlimTalk text that was sent ("" when the message was invalid).
	Text string
	// Err says why the message was not taken, or wraps ErrOutcomeUnknown. Its dynamic type
	// is typed for errors.As: FieldErrors / *FieldError (with *PhoneError,
	// *MissingVariablesError, *MismatchError or *StateError inside) for StatusInvalid; the
	// vendor's *APIError (which implements kshop.APIError) for StatusRejected; for
	// StatusUnknown and StatusNotSent, the call's error.
	Err error
}
