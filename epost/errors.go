package epost

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kshop-dev/kshop"
)

// ErrOutcomeUnknown is wrapped by every error of a non-idempotent call (InsertOrder,
// GetResCancelCmd, InsertOffice) when the request may have reached Korea Post but no conclusive
// answer came back. It is the same value as kshop.ErrOutcomeUnknown.
var ErrOutcomeUnknown = kshop.ErrOutcomeUnknown

// Sentinel errors. Match them with errors.Is; the typed errors below carry the details.
var (
	// ErrInvalid is matched by every *ValidationError: the input was refused before any I/O.
	ErrInvalid = errors.New("epost: invalid input")
	// ErrSecurityKey is matched by a *ValidationError about the security key (보안키).
	ErrSecurityKey = errors.New("epost: bad security key")
	// ErrCiphertext is matched by a *CiphertextError: regData that cannot be decrypted.
	ErrCiphertext = errors.New("epost: bad regData ciphertext")
	// ErrRegDataTooLong is matched when the encrypted regData would exceed MaxRegDataLen.
	ErrRegDataTooLong = errors.New("epost: regData longer than 4000 characters")
	// ErrBadResponse is matched by every *ResponseError: an answer that is not the XML the
	// service documents (empty body, an HTML page, broken XML, a missing element).
	ErrBadResponse = errors.New("epost: unexpected answer")
	// ErrNotFound is matched by an *APIError that means "no such record": ERR-225 from
	// GetResInfo/GetResCancelCmd, ERR-001 from the contract-customer trace, and the public
	// trace's "no data" answer.
	ErrNotFound = errors.New("epost: not found")
	// ErrCancelRefused is matched by a *CancelRefusedError: Korea Post answered canceledYn=N.
	ErrCancelRefused = errors.New("epost: cancel refused")
	// ErrTestWaybill is matched when TESTREGINOAPI (the waybill of a testYn=Y order) is
	// tracked or cancelled: test orders never reach a post office.
	ErrTestWaybill = errors.New("epost: TESTREGINOAPI is the waybill of a test order")
	// ErrNoTraceService is returned by Track when neither tracking service has a key.
	ErrNoTraceService = errors.New("epost: no tracking service configured (WithTraceServiceKey or WithBizTraceKey)")
)

// ValidationError reports input refused before any network call: which field (the vendor's
// item name, e.g. "recMob", or an option name) and why. It never contains the field's value,
// except a masked phone number.
type ValidationError struct {
	// Call is the API call being prepared ("InsertOrder"), or "" for the codec and options.
	Call string
	// Field is the vendor's item name ("recMob", "regData") or the Go name of a setting.
	Field string
	// Reason says what is wrong.
	Reason string
	// Err is an optional more specific sentinel (ErrSecurityKey, ErrRegDataTooLong).
	Err error
}

// Error describes the problem without secrets or personal data.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("epost: ")
	if e.Call != "" {
		b.WriteString(e.Call)
		b.WriteString(": ")
	}
	b.WriteString("invalid ")
	b.WriteString(e.Field)
	b.WriteString(": ")
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap lets errors.Is match ErrInvalid and the specific sentinel, if any.
func (e *ValidationError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrInvalid, e.Err}
	}
	return []error{ErrInvalid}
}

func invalid(call, field, reason string) *ValidationError {
	return &ValidationError{Call: call, Field: field, Reason: reason}
}

// CiphertextError reports a regData string that DecryptRegData cannot decrypt: bad hex, a
// length that is not whole 16-byte blocks, or a plaintext that is not UTF-8 text (usually a
// wrong security key).
type CiphertextError struct {
	Reason string // what is wrong with the ciphertext
}

// Error describes the problem without secrets or personal data.
func (e *CiphertextError) Error() string { return "epost: cannot decrypt regData: " + e.Reason }

// Is makes errors.Is(err, ErrCiphertext) true.
func (e *CiphertextError) Is(target error) bool { return target == ErrCiphertext }

// ResponseProblem says what was wrong with an answer that could not be decoded.
type ResponseProblem int

// The problems a *ResponseError reports.
const (
	// ProblemEmptyBody: the answer had no body (or only white space).
	ProblemEmptyBody ResponseProblem = iota + 1
	// ProblemHTMLPage: the answer is an HTML page (a firewall block page, an error page).
	ProblemHTMLPage
	// ProblemMalformedXML: the body is not well-formed XML (or not XML at all).
	ProblemMalformedXML
	// ProblemMissingElement: the XML lacks an element the call cannot do without (regiNo).
	ProblemMissingElement
	// ProblemUnexpectedValue: an element holds a value the call cannot use (a waybill that
	// is not 13 digits).
	ProblemUnexpectedValue
)

// String names the problem.
func (p ResponseProblem) String() string {
	switch p {
	case ProblemEmptyBody:
		return "empty body"
	case ProblemHTMLPage:
		return "HTML page instead of XML"
	case ProblemMalformedXML:
		return "malformed XML"
	case ProblemMissingElement:
		return "missing element"
	case ProblemUnexpectedValue:
		return "unexpected value"
	default:
		return "bad answer"
	}
}

// maxErrorBody caps the raw body kept on errors.
const maxErrorBody = 4 << 10

// ResponseError is an answer that is not what the service documents. When the call was
// non-idempotent (InsertOrder, GetResCancelCmd, InsertOffice) the request did reach Korea Post,
// so the error also wraps ErrOutcomeUnknown: the booking may exist.
type ResponseError struct {
	Service    Service         // the service that answered
	Call       string          // the API call ("InsertOrder")
	StatusCode int             // the HTTP status of the answer
	Problem    ResponseProblem // what is wrong with it
	// Detail names the element or describes the parse failure.
	Detail string
	// Body is the raw answer, capped at 4 KiB. It may hold personal data: do not log it.
	Body []byte

	outcomeUnknown bool
}

// Error describes the problem without secrets or personal data.
func (e *ResponseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "epost: %s: %s", e.callName(), e.Problem)
	if e.Detail != "" {
		b.WriteString(" (")
		b.WriteString(e.Detail)
		b.WriteString(")")
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, ", HTTP %d", e.StatusCode)
	}
	if e.outcomeUnknown {
		b.WriteString("; ")
		b.WriteString(ErrOutcomeUnknown.Error())
	}
	return b.String()
}

func (e *ResponseError) callName() string {
	if e.Call != "" {
		return e.Call
	}
	return string(e.Service)
}

// Unwrap exposes ErrBadResponse and, for a non-idempotent call, ErrOutcomeUnknown.
func (e *ResponseError) Unwrap() []error {
	if e.outcomeUnknown {
		return []error{ErrBadResponse, ErrOutcomeUnknown}
	}
	return []error{ErrBadResponse}
}

// HTTPStatusCode is the HTTP status of the answer.
func (e *ResponseError) HTTPStatusCode() int { return e.StatusCode }

// Code is always "": the answer carried no vendor code.
func (e *ResponseError) Code() string { return "" }

// Retryable reports false: an undecodable answer is not known to be transient, and for a
// non-idempotent call the outcome must be reconciled first.
func (e *ResponseError) Retryable() bool { return false }

// OutcomeUnknown reports whether the call may have been carried out.
func (e *ResponseError) OutcomeUnknown() bool { return e.outcomeUnknown }

// APIError is a refusal by Korea Post: an <error><error_code>ERR-xxx</error_code> answer (in
// an HTTP 200 body, as the service sends it), the trace services' error forms, or an HTTP error
// status. It implements the kshop APIError method set.
type APIError struct {
	// Service is the service that answered.
	Service Service
	// Call is the API call ("InsertOrder", "PublicTrace").
	Call string
	// StatusCode is the HTTP status (200 for the usual in-body errors).
	StatusCode int
	// ErrorCode is the vendor's code as sent: "ERR-211", "ERR-001", a data.go.kr
	// returnReasonCode ("30") or the public trace's returnCode. Empty for a bare HTTP error.
	ErrorCode string
	// Parsed is ErrorCode decoded by the ERR-ABC grammar (Valid false for other codes).
	Parsed ErrorCode
	// Message is the vendor's message (redacted; phone numbers masked).
	Message string
	// Hint is our advice for well-known confusing codes, e.g. that ERR-211 usually means a
	// wrong security key.
	Hint string
	// Body is the raw answer, capped at 4 KiB. It may hold personal data: do not log it.
	Body []byte

	idempotent     bool
	outcomeUnknown bool
	notFound       bool
	cause          error
}

// Error describes the problem without secrets or personal data.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "epost: %s: ", e.callName())
	switch {
	case e.ErrorCode != "" && e.Message != "":
		fmt.Fprintf(&b, "%s %s", e.ErrorCode, e.Message)
	case e.ErrorCode != "":
		b.WriteString(e.ErrorCode)
	case e.Message != "":
		b.WriteString(e.Message)
	default:
		b.WriteString("error")
	}
	if e.StatusCode != 0 && e.StatusCode != 200 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	if e.Hint != "" {
		b.WriteString(" — ")
		b.WriteString(e.Hint)
	}
	if e.outcomeUnknown {
		b.WriteString("; ")
		b.WriteString(ErrOutcomeUnknown.Error())
	}
	return b.String()
}

func (e *APIError) callName() string {
	if e.Call != "" {
		return e.Call
	}
	return string(e.Service)
}

// HTTPStatusCode is the HTTP status of the answer (200 for the usual in-body errors).
func (e *APIError) HTTPStatusCode() int { return e.StatusCode }

// Code is the vendor's code as sent ("ERR-211"), or "" for a bare HTTP error.
func (e *APIError) Code() string { return e.ErrorCode }

// Retryable reports whether the same request may succeed later and is safe to send again:
// system errors (ERR-x3x) and HTTP 429 always, HTTP 5xx for idempotent calls. It is false
// whenever the outcome is unknown: reconcile first.
func (e *APIError) Retryable() bool {
	if e.outcomeUnknown {
		return false
	}
	if e.Parsed.Valid && e.Parsed.Kind == KindSystem {
		return true
	}
	if e.StatusCode == 429 {
		return true
	}
	return e.idempotent && e.StatusCode >= 500 && e.StatusCode != 501
}

// OutcomeUnknown reports whether a non-idempotent call may have been carried out.
func (e *APIError) OutcomeUnknown() bool { return e.outcomeUnknown }

// Unwrap exposes the transport error (if any), ErrOutcomeUnknown when the outcome is unknown,
// and ErrNotFound for "no such record" codes.
func (e *APIError) Unwrap() []error {
	errs := make([]error, 0, 3)
	if e.cause != nil {
		errs = append(errs, e.cause)
	}
	if e.outcomeUnknown {
		errs = append(errs, ErrOutcomeUnknown)
	}
	if e.notFound {
		errs = append(errs, ErrNotFound)
	}
	return errs
}

// UnknownOrderError is returned by InsertOrder when the booking may or may not exist (a
// timeout, a dropped connection, a 5xx or an unreadable answer after the request was sent).
// It carries what ReconcileOrder needs. It wraps ErrOutcomeUnknown.
type UnknownOrderError struct {
	// OrderNo is the orderNo that was sent (filled by the client when the request left it
	// empty).
	OrderNo string
	// ReqType is the request's reqType.
	ReqType ReqType
	// ReqYmd is the KST date (YYYYMMDD) on which the request was sent. If the call straddled
	// midnight, the booking may be registered on the next day.
	ReqYmd string
	// Err is the underlying error; it wraps ErrOutcomeUnknown.
	Err error
}

// Error describes the problem without secrets or personal data.
func (e *UnknownOrderError) Error() string {
	return fmt.Sprintf("epost: InsertOrder of orderNo %q (reqYmd %s) may have been booked; reconcile with ReconcileOrder before booking again: %v",
		e.OrderNo, e.ReqYmd, e.Err)
}

// Unwrap returns the underlying error, which wraps ErrOutcomeUnknown.
func (e *UnknownOrderError) Unwrap() error { return e.Err }

// CancelRefusedError is returned by GetResCancelCmd when Korea Post answered canceledYn=N (the
// parcel was already picked up, or its waybill printed for a return). Result holds the answer.
type CancelRefusedError struct {
	Result *CancelResult // the answer, with NotCancelReason
}

// Error describes the problem without secrets or personal data.
func (e *CancelRefusedError) Error() string {
	reason := "no reason given"
	if e.Result != nil && e.Result.NotCancelReason != "" {
		reason = e.Result.NotCancelReason
	}
	return "epost: GetResCancelCmd: cancel refused: " + reason
}

// Is makes errors.Is(err, ErrCancelRefused) true.
func (e *CancelRefusedError) Is(target error) bool { return target == ErrCancelRefused }

func capBody(b []byte) []byte {
	if len(b) > maxErrorBody {
		b = b[:maxErrorBody]
	}
	return append([]byte(nil), b...)
}
