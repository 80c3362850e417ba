package transport

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/secret"
)

// Sentinel errors of this package.
var (
	// ErrResponseTooLarge means an answer's body exceeded Config.MaxBodyBytes.
	ErrResponseTooLarge = errors.New("answer body larger than the limit")
	// ErrInsecureURL means a base URL is not https and its host is neither loopback nor allowed.
	ErrInsecureURL = errors.New("base URL must use https")
	// ErrNotSent means every attempt failed before the request was completely written: the
	// vendor cannot have acted on it, so sending again later is safe. It is kshop.ErrNotSent.
	ErrNotSent = kshop.ErrNotSent
)

// Error is a failed call: no usable answer, or an answer that leaves the outcome of a
// non-idempotent call unknown. Its Error string is redacted; the raw Body of the last answer is
// kept for the vendor package to decode but never printed.
type Error struct {
	Method   string      // HTTP method
	URL      string      // the request URL, redacted
	Class    Class       // the call's class
	Attempts int         // attempts made
	Reason   string      // why the call stopped
	Status   int         // status of the last answer, 0 when none arrived
	Header   http.Header // headers of the last answer
	Body     []byte      // body of the last answer (capped at the size limit)

	outcomeUnknown bool
	notSent        bool
	cause          error // redacted cause
}

// Error returns a redacted, one-line description.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s", e.Method, e.URL, e.Reason)
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, "; last answer HTTP %d", e.Status)
	}
	if e.outcomeUnknown {
		b.WriteString("; ")
		b.WriteString(kshop.ErrOutcomeUnknown.Error())
	}
	if e.cause != nil {
		b.WriteString(": ")
		b.WriteString(e.cause.Error())
	}
	return b.String()
}

// Unwrap exposes the cause, kshop.ErrOutcomeUnknown when the call may have been carried out, and
// ErrNotSent when it certainly was not.
func (e *Error) Unwrap() []error {
	errs := make([]error, 0, 3)
	if e.cause != nil {
		errs = append(errs, e.cause)
	}
	if e.outcomeUnknown {
		errs = append(errs, kshop.ErrOutcomeUnknown)
	}
	if e.notSent {
		errs = append(errs, ErrNotSent)
	}
	return errs
}

// OutcomeUnknown reports whether a non-idempotent call may have been carried out.
func (e *Error) OutcomeUnknown() bool { return e.outcomeUnknown }

// GoString is Error, for %#v: the raw Body and Header (kept for the vendor package to decode)
// must never be printed field by field.
func (e *Error) GoString() string { return e.Error() }

// Format prints Error for every verb, so no verb reaches Body or Header through reflection.
func (e *Error) Format(f fmt.State, verb rune) { secret.Format(f, verb, e.Error()) }

// redactedError carries a cause whose text went through the Redactor, while keeping the
// original reachable for errors.Is and errors.As (timeouts, context errors, net errors). The
// original's own Error string is never used by this package.
type redactedError struct {
	text string
	err  error
}

func (r *redactedError) Error() string { return r.text }
func (r *redactedError) Unwrap() error { return r.err }
