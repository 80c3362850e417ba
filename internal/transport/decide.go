package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
)

// attemptResult is what one attempt produced, as decide needs it.
type attemptResult struct {
	class   Class
	written bool  // httptrace saw the whole request written
	status  int   // 0 when no answer arrived
	err     error // transport error from http.Client.Do
	bodyErr error // error while reading the answer's body
	ctxErr  error // the call's context error after the attempt
}

// decision is what the client does after an attempt.
type decision struct {
	retry          bool
	outcomeUnknown bool   // the request may have been carried out
	fail           bool   // stop with an error even though an answer may exist
	tooLarge       bool   // the answer's body exceeded the limit
	reason         string // why, for logs and error strings
}

// decide is the retry policy as a pure function, so the whole table is testable without I/O.
func decide(a attemptResult) decision {
	answered := a.status != 0
	if a.ctxErr != nil {
		switch {
		case answered && a.bodyErr == nil:
			// A complete answer is classified by its status alone, as if the context were still
			// alive: a 5xx to a non-idempotent call is unknown, never a refusal, whatever the
			// context says. Only a retry is off, since the context allows no further attempt.
			d := decide(attemptResult{class: a.class, written: a.written, status: a.status})
			if d.retry {
				return decision{reason: d.reason + " as the context ended"}
			}
			return d
		case a.class == NonIdempotent && (a.written || answered):
			return decision{fail: true, outcomeUnknown: true, reason: "context ended after the request was written"}
		default:
			return decision{fail: true, reason: "context ended before an answer"}
		}
	}
	if a.err != nil {
		if permanent(a.err) {
			return decision{fail: true, reason: "permanent transport error"}
		}
		if a.class == Idempotent {
			return decision{retry: true, reason: "transport error: " + errorKind(a.err)}
		}
		if !a.written {
			return decision{retry: true, reason: "request was not sent: " + errorKind(a.err)}
		}
		return decision{fail: true, outcomeUnknown: true, reason: errorKind(a.err) + " after the request was written"}
	}
	if a.bodyErr != nil {
		if errors.Is(a.bodyErr, ErrResponseTooLarge) {
			return decision{fail: true, tooLarge: true, outcomeUnknown: a.class == NonIdempotent, reason: "answer body larger than the limit"}
		}
		if a.class == Idempotent {
			return decision{retry: true, reason: "answer body truncated"}
		}
		return decision{fail: true, outcomeUnknown: true, reason: "answer body truncated after the request was written"}
	}
	switch {
	case a.status == http.StatusTooManyRequests:
		return decision{retry: true, reason: "server answered 429"}
	case a.status >= 500 && a.status != http.StatusNotImplemented:
		if a.class == Idempotent {
			return decision{retry: true, reason: fmt.Sprintf("server answered %d", a.status)}
		}
		return decision{fail: true, outcomeUnknown: true, reason: fmt.Sprintf("server answered %d after the request was written", a.status)}
	}
	return decision{reason: fmt.Sprintf("answer %d", a.status)}
}

// wasWritten tells whether an attempt's request was completely written: net/http reported it
// written (for HTTP/1.x, into its buffer) and the attempt did not then fail on a socket write,
// which is how a failed final flush shows. When net/http reports the torn-down connection's
// read error instead of the write error, the attempt counts as written: the safe side, which
// costs a retry but can never duplicate a send.
func wasWritten(traced bool, err error) bool {
	if !traced {
		return false
	}
	if err == nil {
		return true
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "write" {
		return false
	}
	return true
}

// permanent reports transport errors that no retry can cure: certificate problems, a bad
// scheme, an invalid header. All of them happen before anything is written.
func permanent(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalidCert      x509.CertificateInvalidError
		certVerify       *tls.CertificateVerificationError
	)
	if errors.As(err, &unknownAuthority) || errors.As(err, &hostname) || errors.As(err, &invalidCert) || errors.As(err, &certVerify) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "unsupported protocol scheme") ||
		strings.Contains(msg, "invalid header") ||
		strings.Contains(msg, "stopped after") && strings.Contains(msg, "redirects")
}

// errorKind names a transport error for humans without repeating its text (which may hold a
// URL with secrets).
func errorKind(err error) string {
	var dnsErr *net.DNSError
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.As(err, &dnsErr):
		return "DNS lookup failed"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed"
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	default:
		return "connection failed"
	}
}
