// Package kerr holds the error vocabulary shared by every kshop package: the single
// ErrOutcomeUnknown sentinel and the APIError method set that vendor error types implement.
//
// Public packages re-export these (kshop.ErrOutcomeUnknown, alimtalk.ErrOutcomeUnknown,
// ssoda.ErrOutcomeUnknown, …) as the same value, so errors.Is works whichever name a caller uses.
package kerr

import "errors"

// ErrOutcomeUnknown is wrapped by every error returned from a non-idempotent call (a send, a
// booking, a cancel) when the request may have reached the vendor but no conclusive answer came
// back: a timeout, a reset, a 5xx or a truncated body after the request was written. The call
// may or may not have been carried out; callers reconcile through the vendor's list or lookup
// calls and must not blindly send again.
var ErrOutcomeUnknown = errors.New("outcome unknown: the request may have been carried out")

// APIError is the method set shared by every vendor's *APIError type, so one errors.As against
// this interface works across vendors.
type APIError interface {
	error
	// HTTPStatusCode is the HTTP status of the vendor's answer (200 for vendors that report
	// failures inside a 200 body; 0 when no HTTP answer was received).
	HTTPStatusCode() int
	// Code is the vendor's own result or error code as a string ("" when the vendor gave none).
	Code() string
	// Retryable reports whether sending the same request again may succeed and is safe.
	Retryable() bool
}
