package transport

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDecideTable(t *testing.T) {
	t.Parallel()
	refused := &url.Error{Op: "Post", URL: "https://x", Err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}}
	reset := &url.Error{Op: "Post", URL: "https://x", Err: &net.OpError{Op: "read", Err: syscall.ECONNRESET}}
	eof := &url.Error{Op: "Post", URL: "https://x", Err: io.EOF}
	timeout := &url.Error{Op: "Post", URL: "https://x", Err: context.DeadlineExceeded}
	cert := &url.Error{Op: "Post", URL: "https://x", Err: x509.UnknownAuthorityError{}}
	truncated := fmt.Errorf("read answer body: %w", io.ErrUnexpectedEOF)

	type want struct{ retry, unknown, fail bool }
	cases := []struct {
		name string
		in   attemptResult
		idem want
		non  want
	}{
		{"dial refused", attemptResult{err: refused}, want{retry: true}, want{retry: true}},
		{"reset before written", attemptResult{err: reset}, want{retry: true}, want{retry: true}},
		{"reset after written", attemptResult{err: reset, written: true}, want{retry: true}, want{fail: true, unknown: true}},
		{"EOF after written", attemptResult{err: eof, written: true}, want{retry: true}, want{fail: true, unknown: true}},
		{"timeout after written", attemptResult{err: timeout, written: true}, want{retry: true}, want{fail: true, unknown: true}},
		{"timeout before written", attemptResult{err: timeout}, want{retry: true}, want{retry: true}},
		{"certificate error", attemptResult{err: cert}, want{fail: true}, want{fail: true}},
		{"429", attemptResult{status: 429, written: true}, want{retry: true}, want{retry: true}},
		{"500", attemptResult{status: 500, written: true}, want{retry: true}, want{fail: true, unknown: true}},
		{"502", attemptResult{status: 502, written: true}, want{retry: true}, want{fail: true, unknown: true}},
		{"503", attemptResult{status: 503, written: true}, want{retry: true}, want{fail: true, unknown: true}},
		{"504", attemptResult{status: 504, written: true}, want{retry: true}, want{fail: true, unknown: true}},
		{"501", attemptResult{status: 501, written: true}, want{}, want{}},
		{"200", attemptResult{status: 200, written: true}, want{}, want{}},
		{"400", attemptResult{status: 400, written: true}, want{}, want{}},
		{"404", attemptResult{status: 404, written: true}, want{}, want{}},
		{"truncated body", attemptResult{status: 200, written: true, bodyErr: truncated}, want{retry: true}, want{fail: true, unknown: true}},
		{"body too large", attemptResult{status: 200, written: true, bodyErr: ErrResponseTooLarge}, want{fail: true}, want{fail: true, unknown: true}},
		{"context ended, written", attemptResult{err: timeout, written: true, ctxErr: context.Canceled}, want{fail: true}, want{fail: true, unknown: true}},
		{"context ended, unwritten", attemptResult{err: refused, ctxErr: context.Canceled}, want{fail: true}, want{fail: true}},
		{"context ended, answer complete", attemptResult{status: 200, written: true, ctxErr: context.Canceled}, want{}, want{}},
		// An answer's class never depends on the context: a 5xx that arrives as the context ends
		// is unknown for a send, exactly as without the context (only the retry is off).
		{"context ended, 503 complete", attemptResult{status: 503, written: true, ctxErr: context.Canceled}, want{}, want{fail: true, unknown: true}},
		{"deadline passed, 500 complete", attemptResult{status: 500, written: true, ctxErr: context.DeadlineExceeded}, want{}, want{fail: true, unknown: true}},
		{"context ended, 503 not traced", attemptResult{status: 503, ctxErr: context.Canceled}, want{}, want{fail: true, unknown: true}},
		{"context ended, 429 complete", attemptResult{status: 429, written: true, ctxErr: context.Canceled}, want{}, want{}},
		{"context ended, 400 complete", attemptResult{status: 400, written: true, ctxErr: context.Canceled}, want{}, want{}},
		{"context ended, body cut", attemptResult{status: 200, written: true, bodyErr: truncated, ctxErr: context.Canceled}, want{fail: true}, want{fail: true, unknown: true}},
		{"context ended, answered but not traced, body cut", attemptResult{status: 200, bodyErr: truncated, ctxErr: context.Canceled}, want{fail: true}, want{fail: true, unknown: true}},
	}
	for _, tc := range cases {
		for _, class := range []Class{Idempotent, NonIdempotent} {
			w := tc.idem
			if class == NonIdempotent {
				w = tc.non
			}
			in := tc.in
			in.class = class
			t.Run(tc.name+"/"+class.String(), func(t *testing.T) {
				t.Parallel()
				d := decide(in)
				assert.Equal(t, w.retry, d.retry, "retry (%s)", d.reason)
				assert.Equal(t, w.unknown, d.outcomeUnknown, "outcome unknown (%s)", d.reason)
				assert.Equal(t, w.fail, d.fail, "fail (%s)", d.reason)
				assert.NotEmpty(t, d.reason)
			})
		}
	}
}

func TestErrorKindNamesWithoutText(t *testing.T) {
	t.Parallel()
	secretURL := "https://x/?key=SECRET"
	cases := map[string]error{
		"connection refused": &url.Error{URL: secretURL, Err: &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}},
		"connection reset":   &url.Error{URL: secretURL, Err: &net.OpError{Op: "read", Err: syscall.ECONNRESET}},
		"connection closed":  &url.Error{URL: secretURL, Err: io.EOF},
		"timeout":            &url.Error{URL: secretURL, Err: context.DeadlineExceeded},
		"DNS lookup failed":  &url.Error{URL: secretURL, Err: &net.DNSError{Err: "no such host", Name: "x"}},
		"connection failed":  errors.New("something odd"),
	}
	for want, err := range cases {
		assert.Equal(t, want, errorKind(err))
	}
}

func TestWasWritten(t *testing.T) {
	t.Parallel()
	writeErr := &url.Error{Op: "Post", URL: "https://x", Err: fmt.Errorf("net/http: HTTP/1.x transport connection broken: %w", &net.OpError{Op: "write", Err: syscall.ECONNRESET})}
	readErr := &url.Error{Op: "Post", URL: "https://x", Err: &net.OpError{Op: "read", Err: syscall.ECONNRESET}}
	assert.False(t, wasWritten(false, nil), "never traced")
	assert.False(t, wasWritten(false, readErr))
	assert.False(t, wasWritten(true, writeErr), "buffered, but the flush failed")
	assert.True(t, wasWritten(true, readErr), "written, then the read failed")
	assert.True(t, wasWritten(true, nil))
}
