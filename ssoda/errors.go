package ssoda

import (
	"errors"
	"net"
	"net/http"
	"regexp"
	"strings"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/vendorerr"
)

// The shared error vocabulary, re-exported: each is the same value as its kshop namesake, so
// errors.Is works whichever name a caller uses.
var (
	// ErrOutcomeUnknown is wrapped by every error of a send (or cancel, template registration,
	// profile call) that may or may not have been carried out: a timeout, a reset, a 5xx or an
	// unreadable answer after the request was written. Do not send again: find the message's
	// fate with Client.ReconcileResult.
	ErrOutcomeUnknown = kshop.ErrOutcomeUnknown
	// ErrNotSent is wrapped by errors of calls that certainly never reached Ssoda (every
	// attempt failed before the request was written, or 429 until the retries ran out):
	// sending again is safe.
	ErrNotSent = kshop.ErrNotSent
	// ErrBadResponse is matched by *ResponseError: an answer that is not Ssoda's JSON (an HTML
	// error page, an empty, truncated or oversize body, duplicate keys, a shape Ssoda does not
	// document).
	ErrBadResponse = kshop.ErrBadResponse
	// ErrInvalid is matched by every *kshop.ValidationError this package returns before any
	// I/O. (Per-message problems of a send stay in the message's Result as alimtalk's
	// FieldErrors, which match alimtalk.ErrInvalid.)
	ErrInvalid = kshop.ErrInvalid
)

// Sentinels for errors.Is; the typed errors carry the details.
var (
	// ErrUnauthorized means Ssoda refused the API key or the token key: HTTP 401 or 403, or
	// an answer whose message speaks of the api key or the token (see APIError for the
	// heuristic). An IP refusal is ErrIPNotAllowed instead.
	ErrUnauthorized = errors.New("ssoda: API key or token key refused")
	// ErrIPNotAllowed means this server's IP address is not registered for the token (Ssoda
	// console: API 연동 안내 > API 토큰 관리). errors.As with *IPNotAllowedError gives the
	// address Ssoda saw.
	ErrIPNotAllowed = errors.New("ssoda: server IP not registered for the token")
	// ErrPagingStalled is yielded by the All… iterators when the server answers the same page
	// twice (it ignores the page parameter): the listing would never end.
	ErrPagingStalled = errors.New("ssoda: the server repeated a page; listing stopped")
	// ErrSenderNumber is matched by *SenderNumberError: a failover sender number that is not
	// registered, not yet approved, or blocked.
	ErrSenderNumber = errors.New("ssoda: sender number not usable")
)

// maxErrorBody caps the raw body kept in errors.
const maxErrorBody = 4 << 10

// APIError is an answer in which Ssoda refused a call: an HTTP status other than 2xx, or an
// HTTP 200 whose "code" is not "200". It implements kshop.APIError; its fields are the same in
// every kshop vendor package.
//
// It matches ErrUnauthorized on HTTP 401/403, on result codes "401"/"403", and on messages
// that name the API key or the token together with a refusal ("유효하지 않은", "invalid",
// "없는", "만료", …); Ssoda publishes no code table, so this heuristic is inferred from
// callers. It matches ErrIPNotAllowed (through an *IPNotAllowedError in its chain) when the
// message says the sending server's IP is not registered, as in
// "token에 등록되지 않은 발송서버 ip입니다. (1.2.3.4)". When the call was a send (or another
// non-idempotent call) answered with a 5xx after its request was written, OutcomeUnknown is
// true and it wraps ErrOutcomeUnknown: Ssoda may have carried it out.
type APIError struct {
	// Op is the call, as this package's method: "Send", "SendFriendTalk", "Templates.Add",
	// "Reservations.Cancel", "History.AlimTalk", …
	Op string
	// HTTPStatus is the HTTP status of the answer (200 for refusals inside a 200 body).
	HTTPStatus int
	// VendorCode is Ssoda's "code" as text ("3016"; "" when the answer had none).
	VendorCode string
	// Message is Ssoda's "error" (or "message") text, with secrets redacted and phone numbers
	// masked.
	Message string
	// Body is the answer's body, at most 4 KiB, with secrets redacted and phone numbers
	// masked. It is never printed by Error.
	Body []byte

	ip             *IPNotAllowedError
	unauthorized   bool
	outcomeUnknown bool
	cause          error // the transport's error that carried the answer, if any
}

// Error describes the refusal without secrets or phone numbers.
func (e *APIError) Error() string {
	return vendorerr.APIText("ssoda", e.Op, e.HTTPStatus, e.VendorCode, e.Message, e.outcomeUnknown)
}

// HTTPStatusCode returns the HTTP status.
func (e *APIError) HTTPStatusCode() int { return e.HTTPStatus }

// Code returns Ssoda's result code.
func (e *APIError) Code() string { return e.VendorCode }

// Retryable reports whether the same call may succeed later and is safe to repeat: HTTP 429,
// or a 5xx (other than 501) of a call whose outcome is known. Refusals of credentials and IP
// are permanent, and nothing whose outcome is unknown is retryable.
func (e *APIError) Retryable() bool {
	if e.unauthorized || e.ip != nil {
		return false
	}
	return vendorerr.Retryable(e.HTTPStatus, e.outcomeUnknown)
}

// OutcomeUnknown reports whether the call may have been carried out.
func (e *APIError) OutcomeUnknown() bool { return e.outcomeUnknown }

// Unwrap exposes *IPNotAllowedError, ErrUnauthorized and ErrOutcomeUnknown as they apply, and
// the transport's error when the answer came with one (so ErrNotSent after 429s, or the
// context's error, still match).
func (e *APIError) Unwrap() []error {
	var errs []error
	if e.cause != nil {
		errs = append(errs, e.cause)
	}
	if e.ip != nil {
		errs = append(errs, e.ip)
	}
	if e.unauthorized {
		errs = append(errs, ErrUnauthorized)
	}
	if e.outcomeUnknown {
		errs = append(errs, kshop.ErrOutcomeUnknown)
	} else if e.HTTPStatus == http.StatusTooManyRequests {
		// Ssoda turned the call away unprocessed (after every retry): nothing was carried out.
		errs = append(errs, kshop.ErrNotSent)
	}
	return errs
}

// IPNotAllowedError says that Ssoda refused the call because the server's IP address is not
// registered for the token. It is found in an *APIError's chain.
type IPNotAllowedError struct {
	// IP is the address Ssoda saw, as it wrote it ("" when the message did not say). Register
	// exactly this address: behind NAT or a proxy it differs from the machine's own.
	IP string
}

// Error says what to do.
func (e *IPNotAllowedError) Error() string {
	ip := e.IP
	if ip == "" {
		ip = "unknown"
	}
	return "ssoda: this server's IP (" + ip + ") is not registered for the token; add it in the Ssoda console under API 토큰 관리"
}

// Is makes errors.Is(err, ErrIPNotAllowed) true.
func (e *IPNotAllowedError) Is(target error) bool { return target == ErrIPNotAllowed }

// ResponseError is an answer that could not be understood: an HTML page from a proxy or
// firewall, an empty, truncated or oversize body, malformed JSON, duplicate keys, a shape
// Ssoda does not document, or (for a send) an answer holding both a success and an error. It
// implements kshop.APIError and wraps ErrBadResponse; for a non-idempotent call whose request
// reached a server (a 2xx or 5xx answer, an unreadable body) it also wraps ErrOutcomeUnknown.
type ResponseError struct {
	// Op is the call, as this package's method ("Send", "Reconcile", …).
	Op string
	// HTTPStatus is the HTTP status of the answer.
	HTTPStatus int
	// VendorCode is the answer's "code" when one could be read, usually "".
	VendorCode string
	// Message says what is wrong: "HTML page instead of JSON", "empty body", "truncated
	// JSON", "body over the size limit", "duplicate key \"code\"", "no list in the answer", …
	Message string
	// Body is the answer's body, at most 4 KiB, redacted. It is never printed by Error.
	Body []byte
	// ContentType is the answer's Content-Type header.
	ContentType string

	outcomeUnknown bool
	cause          error // the transport's error that carried the answer, if any
}

// Error describes the answer without its body.
func (e *ResponseError) Error() string {
	return vendorerr.ResponseText("ssoda", e.Op, e.HTTPStatus, e.ContentType, e.Message, e.outcomeUnknown)
}

// HTTPStatusCode returns the HTTP status.
func (e *ResponseError) HTTPStatusCode() int { return e.HTTPStatus }

// Code returns VendorCode (usually "").
func (e *ResponseError) Code() string { return e.VendorCode }

// Retryable reports whether repeating may help and is safe: a 429 or a 5xx (other than 501) of
// a call whose outcome is known.
func (e *ResponseError) Retryable() bool { return vendorerr.Retryable(e.HTTPStatus, e.outcomeUnknown) }

// OutcomeUnknown reports whether the call may have been carried out.
func (e *ResponseError) OutcomeUnknown() bool { return e.outcomeUnknown }

// Unwrap exposes ErrBadResponse, ErrOutcomeUnknown when it applies, and the transport's error
// when the answer came with one.
func (e *ResponseError) Unwrap() []error { return vendorerr.ResponseUnwrap(e.outcomeUnknown, e.cause) }

// SenderNumberProblem says why a sender number cannot be used.
type SenderNumberProblem int

// Sender-number problems.
const (
	// SenderNotRegistered: the number is not in the account's sender numbers (문자서비스 >
	// 발신번호관리).
	SenderNotRegistered SenderNumberProblem = iota + 1
	// SenderNotConfirmed: registered but not yet approved (no confirm date; landlines wait
	// for Ssoda to check the documents).
	SenderNotConfirmed
	// SenderBlocked: the number has a blocked date.
	SenderBlocked
)

// String describes the problem.
func (p SenderNumberProblem) String() string {
	switch p {
	case SenderNotRegistered:
		return "not registered"
	case SenderNotConfirmed:
		return "not approved yet"
	case SenderBlocked:
		return "blocked"
	default:
		return "unusable"
	}
}

// SenderNumberError says that a sender number cannot send the failover SMS/LMS.
type SenderNumberError struct {
	// Masked is the number, masked (02-***-4567).
	Masked string
	// Problem says why.
	Problem SenderNumberProblem
}

// Error names the masked number and the problem.
func (e *SenderNumberError) Error() string {
	return "ssoda: sender number " + e.Masked + " is " + e.Problem.String() +
		" (Ssoda console: 문자서비스 > 발신번호관리)"
}

// Is makes errors.Is(err, ErrSenderNumber) true.
func (e *SenderNumberError) Is(target error) bool { return target == ErrSenderNumber }

// ipMessage finds Ssoda's IP refusal: "token에 등록되지 않은 발송서버 ip입니다. (1.2.3.4)".
var (
	ipMessage   = regexp.MustCompile(`(?i)(발송\s*서버\s*ip|서버\s*ip|server\s*ip|ip\s*address|아이피|\bip\b[^()]*(등록|허용|allow|regist))`)
	ipRefusal   = regexp.MustCompile(`(?i)(등록되지|등록 되지|미등록|허용되지|허용 되지|not\s+(registered|allowed|whitelisted|permitted)|denied)`)
	ipInParens  = regexp.MustCompile(`[0-9A-Fa-f:.]{3,45}`)
	keyMention  = regexp.MustCompile(`(?i)(api[\s_-]*key|api\s*키|x-api-key|token[\s_-]*key|토큰|token|인증\s*키|인증키|apikey)`)
	authCodeSet = map[string]bool{"401": true, "403": true}
)

// classify decides whether a refusal is about the IP allow-list or the credentials. msg is
// the raw (unredacted) message: the IP must be read before redaction.
func classify(status int, code, msg string) (ip *IPNotAllowedError, unauthorized bool) {
	if msg != "" && ipMessage.MatchString(msg) && ipRefusal.MatchString(msg) {
		return &IPNotAllowedError{IP: extractIP(msg)}, false
	}
	if status == http.StatusUnauthorized || status == http.StatusForbidden || authCodeSet[code] {
		return nil, true
	}
	if msg != "" && keyMention.MatchString(msg) && vendorerr.KeyRefusal.MatchString(msg) {
		return nil, true
	}
	return nil, false
}

// extractIP returns the last valid IP address in msg (Ssoda puts it in parentheses at the
// end), or "".
func extractIP(msg string) string {
	found := ""
	for _, cand := range ipInParens.FindAllString(msg, -1) {
		cand = strings.Trim(cand, ".:")
		if ip := net.ParseIP(cand); ip != nil && strings.ContainsAny(cand, ".:") {
			found = ip.String()
		}
	}
	return found
}
