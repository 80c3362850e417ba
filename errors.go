package kshop

import "errors"

// The error vocabulary every kshop package shares. Each vendor package re-exports these same
// values (ssoda.ErrOutcomeUnknown == kshop.ErrOutcomeUnknown), so errors.Is works whichever name a
// caller uses.
var (
	// ErrOutcomeUnknown is wrapped by every error of a non-idempotent call (an AlimTalk send, a
	// parcel booking, a cancel) when the request may have reached the vendor but no conclusive
	// answer came back: a timeout, a reset, a 5xx or an unreadable answer after the request was
	// written. The call may or may not have been carried out. Do not send again: reconcile through
	// the vendor's lookup (ssoda's Client.ReconcileResult, epost's Client.ReconcileOrder) first.
	ErrOutcomeUnknown = errors.New("outcome unknown: the request may have been carried out")

	// ErrNotSent is wrapped by errors of calls that certainly never reached the vendor: every
	// attempt failed before the request was completely written (refused connection, DNS or TLS
	// failure), or the vendor refused it with 429 until the retries ran out. Sending again is safe.
	ErrNotSent = errors.New("request was not sent")

	// ErrBadResponse is wrapped by every vendor's *ResponseError: an answer that could not be
	// understood (an HTML error page, an empty or truncated body, a shape the vendor does not
	// document, a body over the size limit). For a non-idempotent call it comes with
	// ErrOutcomeUnknown, because the vendor did receive the request.
	ErrBadResponse = errors.New("answer could not be understood")

	// ErrInvalid is wrapped by every validation error (*ValidationError, *FieldError and the
	// domain packages' field errors): bad input refused before anything was sent.
	ErrInvalid = errors.New("invalid input")
)

// APIError is the method set every vendor's *APIError and *ResponseError implement, so one
// errors.As against this interface handles failures of every vendor the same way:
//
//	var apiErr kshop.APIError
//	if errors.As(err, &apiErr) {
//		switch {
//		case apiErr.OutcomeUnknown():
//			// the vendor may have acted: reconcile, do not resend
//		case apiErr.Retryable():
//			// refused for now (429, a 5xx of a lookup): trying again later is safe
//		default:
//			// refused for good: apiErr.Code() says why, in the vendor's own words
//		}
//	}
type APIError interface {
	error
	// HTTPStatusCode is the HTTP status of the vendor's answer (200 for vendors that report
	// failures inside a 200 body; 0 when no HTTP answer was received).
	HTTPStatusCode() int
	// Code is the vendor's own result or error code as a string ("" when the vendor gave none).
	Code() string
	// Retryable reports whether sending the same request again may succeed and is safe: never
	// true when OutcomeUnknown is.
	Retryable() bool
	// OutcomeUnknown reports whether the call may have been carried out although it failed; the
	// error then also wraps ErrOutcomeUnknown.
	OutcomeUnknown() bool
}
