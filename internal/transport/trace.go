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
// request's context, so the state travels there.
//
// The state is itself the call's context (the caller's, plus the state as a value), which
// saves a context.WithValue per call; its attempts' contexts derive from it.
type callState struct {
	context.Context // the caller's context
	class           Class
	start           time.Time

	mu       sync.Mutex
	attempt  int
	current  *attemptTrace
	status   int
	header   http.Header
	body     []byte
	final    *decision // set when the policy stopped the call with an error
	last     decision  // the last attempt's decision
	lastErr  error     // the last attempt's body-read error
	attempts int
	// everWritten is true once any attempt was completely written.
	everWritten bool

	// The current attempt's time bound (see timeoutTransport): its timer and the release of
	// its context. Used only on the calling goroutine.
	timer  *time.Timer
	cancel context.CancelCauseFunc

	// first is the first attempt's trace, allocated with the state.
	first      attemptTrace
	firstTrace httptrace.ClientTrace
}

type stateKey struct{}

// Value returns the state for stateKey, else the caller's context's value.
func (st *callState) Value(key any) any {
	if key == (stateKey{}) {
		return st
	}
	return st.Context.Value(key)
}

func stateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(stateKey{}).(*callState)
	return st
}

// attemptContext returns the context of attempt n, with a fresh trace, so a late callback of
// an earlier attempt can never mark this one as written. The first attempt's trace lives in the
// state, so the common single-attempt call allocates no trace of its own.
func (st *callState) attemptContext(n int) context.Context {
	at, trace := &st.first, &st.firstTrace
	if n > 0 {
		at, trace = &attemptTrace{}, &httptrace.ClientTrace{}
	}
	trace.WroteRequest = at.wroteRequest
	st.mu.Lock()
	st.attempt = n
	st.current = at
	st.attempts = n + 1
	st.mu.Unlock()
	return httptrace.WithClientTrace(st, trace)
}

func (at *attemptTrace) wroteRequest(info httptrace.WroteRequestInfo) {
	if info.Err == nil {
		at.written.Store(true)
	}
}

// beginAttempt gives every attempt after the first its own context (the first got it when the
// request was built). go-retryablehttp sends exactly the *http.Request it passes to
// RequestLogHook (a copy of the previous attempt's), so replacing its context here scopes the
// trace to this attempt.
func (st *callState) beginAttempt(req *http.Request, n int) {
	if n == 0 {
		return
	}
	*req = *req.WithContext(st.attemptContext(n))
}

// releaseAttempt stops the current attempt's timer and releases its context, once its answer
// was read (or it failed).
func (st *callState) releaseAttempt() {
	if st.timer != nil {
		st.timer.Stop()
		st.timer = nil
	}
	if st.cancel != nil {
		st.cancel(nil)
		st.cancel = nil
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
