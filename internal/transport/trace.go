package transport

import (
	"context"
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"time"
)

// attemptTrace records, for one attempt, whether net/http finished writing the request. For
// HTTP/1.x that only means it reached the connection's write buffer (WroteRequest fires before
// the final flush), so written also checks that the attempt's error was not a write error; see
// wasWritten. Its callbacks may run on the transport's writer goroutine, hence the atomic.
type attemptTrace struct {
	written atomic.Bool
}

// callState follows one Do call across its attempts. go-retryablehttp hands our hooks only the
// request's context, so the state travels there: the state is itself the request's context,
// for every attempt (see context.go for how it also bounds each attempt in time).
type callState struct {
	caller context.Context // the caller's context
	class  Class
	start  time.Time

	mu      sync.Mutex
	attempt int
	current *attemptTrace
	// inner holds the current attempt's values: the caller's plus its trace. Atomic, not
	// under mu: net/http looks values up several times per request.
	inner    atomic.Pointer[attemptValues]
	status   int
	header   http.Header
	body     []byte
	final    *decision // set when the policy stopped the call with an error
	last     decision  // the last attempt's decision
	lastErr  error     // the last attempt's body-read error
	attempts int
	// everWritten is true once any attempt was completely written.
	everWritten bool

	attemptBound // guarded by mu

	// first is the first attempt's trace and values, allocated with the state.
	first       attemptTrace
	firstTrace  httptrace.ClientTrace
	firstValues attemptValues
}

// attemptValues is the context an attempt's values are looked up in.
type attemptValues struct{ ctx context.Context }

type stateKey struct{}

func stateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(stateKey{}).(*callState)
	return st
}

// newCallState starts following a call made with the caller's context ctx; the first
// attempt's trace is in place.
func newCallState(ctx context.Context, class Class) *callState {
	st := &callState{caller: ctx, class: class, start: time.Now()}
	st.setAttempt(0)
	return st
}

// setAttempt makes n the current attempt, with a fresh trace, so a late callback of an earlier
// attempt can never mark this one as written. The first attempt's trace lives in the state, so
// the common single-attempt call allocates no trace of its own.
func (st *callState) setAttempt(n int) {
	at, trace, values := &st.first, &st.firstTrace, &st.firstValues
	if n > 0 {
		at, trace, values = &attemptTrace{}, &httptrace.ClientTrace{}, &attemptValues{}
	}
	trace.WroteRequest = at.wroteRequest
	values.ctx = httptrace.WithClientTrace(st.caller, trace)
	st.mu.Lock()
	st.attempt = n
	st.current = at
	st.attempts = n + 1
	st.mu.Unlock()
	st.inner.Store(values)
}

func (at *attemptTrace) wroteRequest(info httptrace.WroteRequestInfo) {
	if info.Err == nil {
		at.written.Store(true)
	}
}

// beginAttempt makes every attempt after the first the current one (the first was set when the
// state was made). go-retryablehttp sends the request it passes to RequestLogHook, whose
// context is this state, so the new trace applies to exactly this attempt.
func (st *callState) beginAttempt(n int) {
	if n > 0 {
		st.setAttempt(n)
	}
}

func (st *callState) written() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.current != nil && st.current.written.Load()
}

func (st *callState) recordAnswer(status int, header http.Header, body []byte) {
	st.mu.Lock()
	st.status, st.header, st.body = status, header, body
	st.mu.Unlock()
}

func (st *callState) recordDecision(d decision, a attemptResult) {
	st.mu.Lock()
	st.last, st.lastErr = d, a.bodyErr
	written := a.written
	st.everWritten = st.everWritten || written
	if d.fail {
		dd := d
		st.final = &dd
	}
	st.mu.Unlock()
}
