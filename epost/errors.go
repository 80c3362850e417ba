package epost

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/vendorerr"
	"github.com/kshop-dev/kshop/internal/wire"
)

// The shared error vocabulary, re-exported so that code using only this package can match it.
// Each is the same value as in package kshop.
var (
	// ErrOutcomeUnknown is wrapped by every error of a non-idempotent call (InsertOrder,
	// GetResCancelCmd, InsertOffice) when the request may have reached Korea Post but no
	// conclusive answer came back, and by ReconcileOrder when it cannot tell either.
	ErrOutcomeUnknown = kshop.ErrOutcomeUnknown
	// ErrNotSent is wrapped by errors of calls that certainly never reached Korea Post.
	ErrNotSent = kshop.ErrNotSent
	// ErrBadResponse is wrapped by every *ResponseError: an answer that is not the XML the
	// service documents (empty body, an HTML page, broken or truncated XML, a missing element).
	ErrBadResponse = kshop.ErrBadResponse
	// ErrInvalid is wrapped by every validation error (*kshop.ValidationError): the input was
	// refused before any I/O.
	ErrInvalid = kshop.ErrInvalid
)

// Sentinel errors of this package. Match them with errors.Is; the typed errors carry the
// details.
var (
	// ErrSecurityKey is the cause (FieldError.Err) of a validation problem with the security
	// key (보안키).
	ErrSecurityKey = errors.New("epost: bad security key")
	// ErrCiphertext is matched by a *CiphertextError: regData that cannot be decrypted.
	ErrCiphertext = errors.New("epost: bad regData ciphertext")
	// ErrRegDataTooLong is the cause (FieldError.Err) when the encrypted regData would exceed
	// MaxRegDataLen.
	ErrRegDataTooLong = errors.New("epost: regData longer than 4000 characters")
	// ErrNotFound is matched by an *APIError that means "no such record": ERR-225 from
	// GetResInfo/GetResCancelCmd, ERR-125 (no result), ERR-001 from the contract-customer
	// trace, and the public trace's "no data" answer.
	ErrNotFound = errors.New("epost: not found")
	// ErrCancelRefused is matched by a *CancelRefusedError: Korea Post answered canceledYn=N.
	ErrCancelRefused = errors.New("epost: cancel refused")
	// ErrTestWaybill is the cause (FieldError.Err) when TESTREGINOAPI (the waybill of a
	// testYn=Y order) is tracked or cancelled: test orders never reach a post office.
	ErrTestWaybill = errors.New("epost: TESTREGINOAPI is the waybill of a test order")
	// ErrNoTraceService is returned by Track when neither tracking service has a key.
	ErrNoTraceService = errors.New("epost: no tracking service configured (WithTraceServiceKey or WithBizTraceKey)")
)

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
	// ProblemMalformedXML: the body is not well-formed XML (or not XML at all), including
	// mismatched or unbalanced tags.
	ProblemMalformedXML
	// ProblemMissingElement: the XML lacks an element the call cannot do without (regiNo, a
	// list entry), or has a shape the service does not document.
	ProblemMissingElement
	// ProblemUnexpectedValue: an element holds a value the call cannot use (a waybill that
	// is not 13 digits, two different waybills, a test waybill for a real order).
	ProblemUnexpectedValue
	// ProblemTruncated: the body ended in the middle of the answer (the connection closed).
	ProblemTruncated
	// ProblemTooLarge: the body exceeded the client's size limit.
	ProblemTooLarge
	// ProblemConflict: the answer holds both a result and an error code, so it says neither.
	ProblemConflict
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
	case ProblemTruncated:
		return "truncated body"
	case ProblemTooLarge:
		return "body over the size limit"
	case ProblemConflict:
		return "answer holds both a result and an error code"
	default:
		return "bad answer"
	}
}

// maxErrorBody caps the raw body kept on errors.
const maxErrorBody = 4 << 10

// ResponseError is an answer that could not be understood. When the call was non-idempotent
// (InsertOrder, GetResCancelCmd, InsertOffice) the request did reach Korea Post, so the error
// also wraps ErrOutcomeUnknown: the booking may exist. It implements kshop.APIError.
type ResponseError struct {
	// Op is the call, as this package's method names it ("InsertOrder", "TrackPublic").
	Op string
	// HTTPStatus is the HTTP status of the answer (0 when none arrived complete).
	HTTPStatus int
	// VendorCode is the vendor's code when the answer carried one (a conflicting answer), else
	// "".
	VendorCode string
	// Message says what is wrong: "HTML page instead of XML", "truncated body", "missing
	// element (regiNo)", "body over the size limit"…
	Message string
	// Body is the raw answer, capped at 4 KiB. It may hold personal data: do not log it.
	Body []byte
	// Service is the service that answered.
	Service Service
	// Problem classifies Message.
	Problem ResponseProblem

	outcomeUnknown bool
}

// newResponseError builds a ResponseError whose Message is the problem plus detail.
func newResponseError(svc Service, op string, status int, p ResponseProblem, detail string, body []byte, unknown bool) *ResponseError {
	msg := p.String()
	if detail != "" {
		msg += " (" + detail + ")"
	}
	return &ResponseError{Op: op, HTTPStatus: status, Message: msg, Body: wire.CapBody(body, maxErrorBody), Service: svc, Problem: p, outcomeUnknown: unknown}
}

// Error describes the problem without secrets or personal data.
func (e *ResponseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "epost: %s: ", opName(e.Op, e.Service))
	if e.Message != "" {
		b.WriteString(e.Message)
	} else {
		b.WriteString(e.Problem.String())
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, ", HTTP %d", e.HTTPStatus)
	}
	if e.outcomeUnknown {
		b.WriteString("; ")
		b.WriteString(ErrOutcomeUnknown.Error())
	}
	return b.String()
}

// Unwrap exposes ErrBadResponse and, when the outcome is unknown, ErrOutcomeUnknown.
func (e *ResponseError) Unwrap() []error {
	if e.outcomeUnknown {
		return []error{ErrBadResponse, ErrOutcomeUnknown}
	}
	return []error{ErrBadResponse}
}

// HTTPStatusCode is the HTTP status of the answer.
func (e *ResponseError) HTTPStatusCode() int { return e.HTTPStatus }

// Code is VendorCode, usually "".
func (e *ResponseError) Code() string { return e.VendorCode }

// Retryable follows the rule every vendor package shares: never when the outcome is unknown,
// else on HTTP 429 and on 5xx other than 501.
func (e *ResponseError) Retryable() bool { return vendorerr.Retryable(e.HTTPStatus, e.outcomeUnknown) }

// OutcomeUnknown reports whether the call may have been carried out.
func (e *ResponseError) OutcomeUnknown() bool { return e.outcomeUnknown }

// APIError is a refusal by Korea Post: an <error><error_code>ERR-xxx</error_code> answer (in
// an HTTP 200 body, as the service sends it), the trace services' error forms, or an HTTP error
// status. It implements kshop.APIError.
type APIError struct {
	// Op is the call, as this package's method names it ("InsertOrder", "TrackPublic").
	Op string
	// HTTPStatus is the HTTP status (200 for the usual in-body errors).
	HTTPStatus int
	// VendorCode is the vendor's code as sent: "ERR-211", "ERR-001", a data.go.kr
	// returnReasonCode ("30") or the public trace's returnCode. Empty for a bare HTTP error.
	VendorCode string
	// Message is the vendor's message (redacted; phone numbers masked), or the HTTP status
	// text of a bare HTTP error.
	Message string
	// Body is the raw answer, capped at 4 KiB. It may hold personal data: do not log it.
	Body []byte
	// Service is the service that answered.
	Service Service
	// Parsed is VendorCode decoded by the ERR-ABC grammar (Valid false for other codes).
	Parsed ErrorCode
	// Hint is our advice for well-known confusing codes, e.g. that ERR-211 usually means a
	// wrong security key.
	Hint string

	outcomeUnknown bool
	notFound       bool
	cause          error
}

// Error describes the problem without secrets or personal data.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "epost: %s: ", opName(e.Op, e.Service))
	switch {
	case e.VendorCode != "" && e.Message != "":
		fmt.Fprintf(&b, "%s %s", e.VendorCode, e.Message)
	case e.VendorCode != "":
		b.WriteString(e.VendorCode)
	case e.Message != "":
		b.WriteString(e.Message)
	default:
		b.WriteString("error")
	}
	if e.HTTPStatus != 0 && e.HTTPStatus != http.StatusOK {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
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

func opName(op string, svc Service) string {
	if op != "" {
		return op
	}
	return string(svc)
}

// HTTPStatusCode is the HTTP status of the answer (200 for the usual in-body errors).
func (e *APIError) HTTPStatusCode() int { return e.HTTPStatus }

// Code is the vendor's code as sent ("ERR-211"), or "" for a bare HTTP error.
func (e *APIError) Code() string { return e.VendorCode }

// Retryable follows the rule every vendor package shares: never when the outcome is unknown,
// else on HTTP 429 and on 5xx other than 501 (a lookup answered 503 may be asked again).
func (e *APIError) Retryable() bool { return vendorerr.Retryable(e.HTTPStatus, e.outcomeUnknown) }

// OutcomeUnknown reports whether a non-idempotent call may have been carried out: a 5xx
// answer to InsertOrder, GetResCancelCmd or InsertOffice.
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
	} else if e.HTTPStatus == http.StatusTooManyRequests {
		// Turned away unprocessed (after every retry): nothing was carried out.
		errs = append(errs, ErrNotSent)
	}
	if e.notFound {
		errs = append(errs, ErrNotFound)
	}
	return errs
}

// UnknownOrderError is returned by InsertOrder when the booking may or may not exist (a
// timeout, a dropped connection, a 5xx or an unreadable answer after the request was sent).
// It carries everything reconciliation needs; pass it to Client.ReconcileUnknown:
//
//	var unknown *epost.UnknownOrderError
//	if errors.As(err, &unknown) {
//		rec, err := c.ReconcileUnknown(ctx, unknown)
//		// err != nil: still unknown, ask again later; rec.Booked: booked after all
//	}
//
// It wraps ErrOutcomeUnknown.
type UnknownOrderError struct {
	// OrderNo is the orderNo that was sent (filled by the client when the request left it
	// empty).
	OrderNo string
	// ReqType is the request's reqType.
	ReqType ReqType
	// ReqYmd is the KST date (YYYYMMDD) on which the request was sent.
	ReqYmd string
	// ReqYmds lists every KST date the booking may be registered under, ReqYmd first: a call
	// sent close to midnight (or that straddled it) may be dated the day before or after.
	ReqYmds []string
	// Err is the underlying error; it wraps ErrOutcomeUnknown.
	Err error
}

// Error describes the problem without secrets or personal data.
func (e *UnknownOrderError) Error() string {
	return fmt.Sprintf("epost: InsertOrder of orderNo %q (reqYmd %s) may have been booked; reconcile with ReconcileUnknown before booking again: %v",
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
