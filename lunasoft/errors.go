package lunasoft

import (
	"errors"
	"net/http"
	"regexp"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/vendorerr"
)

// The shared error vocabulary, re-exported: each is the same value as its kshop namesake, so
// errors.Is works whichever name a caller uses.
var (
	// ErrOutcomeUnknown is wrapped by the Result error of every message whose request may have
	// reached Lunasoft without a conclusive answer: a timeout, a reset, a 5xx or an unreadable
	// answer after the request was written. Lunasoft has no lookup API: only its result webhook
	// (Handler, matched by custom_key = Result.Ref) settles such a message. Do not send again.
	ErrOutcomeUnknown = kshop.ErrOutcomeUnknown
	// ErrNotSent is wrapped by errors of requests that certainly never reached Lunasoft (every
	// attempt failed before the request was written, or 429 until the retries ran out):
	// sending again is safe.
	ErrNotSent = kshop.ErrNotSent
	// ErrBadResponse is matched by *ResponseError: an answer that is not Lunasoft's JSON (an
	// HTML error page, an empty, truncated or oversize body, duplicate keys, no result code).
	ErrBadResponse = kshop.ErrBadResponse
	// ErrInvalid is matched by every *kshop.ValidationError this package returns before any
	// I/O. (Per-message problems of a send stay in the message's Result as alimtalk's
	// FieldErrors, which match alimtalk.ErrInvalid.)
	ErrInvalid = kshop.ErrInvalid
)

// ErrUnauthorized means Lunasoft refused the userid or the api_key: HTTP 401 or 403, or a
// refusal whose message speaks of the user id or the key (see APIError). Send stops the
// batch when it sees one: every later request would be refused too.
var ErrUnauthorized = errors.New("lunasoft: userid or api_key refused")

// maxErrorBody caps the raw body kept in errors.
const maxErrorBody = 4 << 10

// APIError is an answer in which Lunasoft refused a request or one message of it: an HTTP
// status other than 2xx, an HTTP 200 whose "code" is not 0, or a per-message result_code
// other than 0. It implements kshop.APIError; its fields are the same in every kshop vendor
// package.
//
// Lunasoft publishes no error-code table for this API. The error matches ErrUnauthorized on
// HTTP 401/403, on codes 1002 and 1003 (Lunasoft's codes for an unknown member id and api key
// in its FriendTalk API; inferred to carry over), and on messages that name the user id or the
// key together with a refusal ("invalid", "유효하지 않은", "일치하지", …). When the send was
// answered with a 5xx after its request was written, OutcomeUnknown is true and it wraps
// ErrOutcomeUnknown: Lunasoft may have taken the messages.
type APIError struct {
	// Op is the call, as this package's method: "Send".
	Op string
	// HTTPStatus is the HTTP status of the answer (200 for refusals inside a 200 body).
	HTTPStatus int
	// VendorCode is Lunasoft's "code" (or the message's result_code) as text ("" when the
	// answer had none).
	VendorCode string
	// Message is Lunasoft's "msg" (or the message's result_msg), with secrets redacted and
	// phone numbers masked.
	Message string
	// Body is the answer's body, at most 4 KiB, with secrets redacted and phone numbers
	// masked. It is never printed by Error.
	Body []byte

	unauthorized   bool
	outcomeUnknown bool
	cause          error // the transport's error that carried the answer, if any
}

// Error describes the refusal without secrets or phone numbers.
func (e *APIError) Error() string {
	return vendorerr.APIText("lunasoft", e.Op, e.HTTPStatus, e.VendorCode, e.Message, e.outcomeUnknown)
}

// HTTPStatusCode returns the HTTP status.
func (e *APIError) HTTPStatusCode() int { return e.HTTPStatus }

// Code returns Lunasoft's result code.
func (e *APIError) Code() string { return e.VendorCode }

// Retryable reports whether the same request may succeed later and is safe to repeat: HTTP
// 429, or a 5xx (other than 501) whose outcome is known. Refused credentials are permanent,
// and nothing whose outcome is unknown is retryable.
func (e *APIError) Retryable() bool {
	if e.unauthorized {
		return false
	}
	return vendorerr.Retryable(e.HTTPStatus, e.outcomeUnknown)
}

// OutcomeUnknown reports whether the request may have been carried out.
func (e *APIError) OutcomeUnknown() bool { return e.outcomeUnknown }

// Unwrap exposes ErrUnauthorized and ErrOutcomeUnknown as they apply, ErrNotSent after 429s,
// and the transport's error when the answer came with one.
func (e *APIError) Unwrap() []error {
	var errs []error
	if e.cause != nil {
		errs = append(errs, e.cause)
	}
	if e.unauthorized {
		errs = append(errs, ErrUnauthorized)
	}
	if e.outcomeUnknown {
		errs = append(errs, kshop.ErrOutcomeUnknown)
	} else if e.HTTPStatus == http.StatusTooManyRequests {
		// Lunasoft turned the request away unprocessed (after every retry).
		errs = append(errs, kshop.ErrNotSent)
	}
	return errs
}

// ResponseError is an answer that could not be understood: an HTML page from a proxy or
// firewall, an empty, truncated or oversize body, malformed JSON, duplicate keys, or no result
// code. It implements kshop.APIError and wraps ErrBadResponse; for a send whose request reached
// a server it also wraps ErrOutcomeUnknown.
type ResponseError struct {
	// Op is the call, as this package's method ("Send").
	Op string
	// HTTPStatus is the HTTP status of the answer.
	HTTPStatus int
	// VendorCode is the answer's "code" when one could be read, usually "".
	VendorCode string
	// Message says what is wrong: "HTML page instead of JSON", "empty body", "truncated
	// JSON", "body over the size limit", "duplicate key \"code\"", "no result code in the
	// answer", …
	Message string
	// Body is the answer's body, at most 4 KiB, redacted. It is never printed by Error.
	Body []byte
	// ContentType is the answer's Content-Type header.
	ContentType string

	outcomeUnknown bool
	cause          error
}

// Error describes the answer without its body.
func (e *ResponseError) Error() string {
	return vendorerr.ResponseText("lunasoft", e.Op, e.HTTPStatus, e.ContentType, e.Message, e.outcomeUnknown)
}

// HTTPStatusCode returns the HTTP status.
func (e *ResponseError) HTTPStatusCode() int { return e.HTTPStatus }

// Code returns VendorCode (usually "").
func (e *ResponseError) Code() string { return e.VendorCode }

// Retryable reports whether repeating may help and is safe: a 429 or a 5xx (other than 501)
// whose outcome is known.
func (e *ResponseError) Retryable() bool { return vendorerr.Retryable(e.HTTPStatus, e.outcomeUnknown) }

// OutcomeUnknown reports whether the request may have been carried out.
func (e *ResponseError) OutcomeUnknown() bool { return e.outcomeUnknown }

// Unwrap exposes ErrBadResponse, ErrOutcomeUnknown when it applies, and the transport's
// error when the answer came with one.
func (e *ResponseError) Unwrap() []error { return vendorerr.ResponseUnwrap(e.outcomeUnknown, e.cause) }

var (
	keyMention = regexp.MustCompile(`(?i)(api[\s_-]*key|api\s*키|apikey|user[\s_-]*id|userid|member[\s_-]*id|(?:회원|사용자|유저)\s*아이디|인증\s*키|인증키|계정)`)
	// authCodes are Lunasoft's FriendTalk API codes for an unknown member id (1002) and api key
	// (1003), inferred to mean the same at jupiter.
	authCodes = map[string]bool{"1002": true, "1003": true}
)

// unauthorized decides whether a refusal is about the credentials. msg is the raw message.
func unauthorized(status int, code, msg string) bool {
	if status == http.StatusUnauthorized || status == http.StatusForbidden || authCodes[code] {
		return true
	}
	return msg != "" && keyMention.MatchString(msg) && vendorerr.KeyRefusal.MatchString(msg)
}
