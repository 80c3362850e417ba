package transport

import (
	"context"
	"net/http"
	"time"
)

// timeoutTransport bounds each attempt by Config.Timeout when the http.Client has no Timeout of
// its own. An http.Client's Timeout does the same but costs, per request, a request copy, a
// deadline context with its timer, a body wrapper and their closures; here the call state,
// already the request's context, is bound for the attempt (see callState.bindAttempt), and
// the bound is released as soon as checkRetry has read the answer (which is when net/http's
// wrapper would stop its timer too). When the caller's context ends sooner than the timeout,
// that deadline already bounds the attempt and nothing is added.
//
// The bound lives below go-retryablehttp, on the request net/http sends, and is released
// before go-retryablehttp waits to retry: the wait still ends only with the caller's context,
// never because the previous attempt timed out.
type timeoutTransport struct {
	base    http.RoundTripper
	timeout time.Duration
	watch   *attemptWatch
}

func newTimeoutTransport(base http.RoundTripper, timeout time.Duration) *timeoutTransport {
	return &timeoutTransport{base: base, timeout: timeout, watch: &attemptWatch{timeout: timeout}}
}

// attemptTimeoutError is the cause of an attempt that outlived the timeout. Like net/http's
// Client.Timeout error, it is a net.Error timeout and matches context.DeadlineExceeded.
type attemptTimeoutError struct{ d time.Duration }

func (e *attemptTimeoutError) Error() string {
	return "attempt timed out after " + e.d.String()
}
func (e *attemptTimeoutError) Timeout() bool        { return true }
func (e *attemptTimeoutError) Temporary() bool      { return true }
func (e *attemptTimeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// RoundTrip sends req with the attempt's time bound.
func (t *timeoutTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	st := stateFrom(req.Context())
	if st == nil {
		return t.base.RoundTrip(req)
	}
	if dl, ok := st.caller.Deadline(); ok && time.Until(dl) <= t.timeout {
		return t.base.RoundTrip(req)
	}
	st.bindAttempt(t.watch)
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		st.releaseAttempt()
	}
	return resp, err
}

// CloseIdleConnections closes the idle connections of the underlying transport.
func (t *timeoutTransport) CloseIdleConnections() {
	type closeIdler interface{ CloseIdleConnections() }
	if c, ok := t.base.(closeIdler); ok {
		c.CloseIdleConnections()
	}
}
