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
type callState struct {
	class   Class
	baseCtx context.Context // the call's context without any per-attempt trace
	start   time.Time

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
}

type stateKey struct{}

func stateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(stateKey{}).(*callState)
	return st
}

// beginAttempt gives the request a fresh trace, so a late callback of an earlier attempt can
// never mark this one as written.
func (st *callState) beginAttempt(req *http.Request, n int) {
	at := &attemptTrace{}
	trace := &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				at.written.Store(true)
			}
		},
	}
	st.mu.Lock()
	st.attempt = n
	st.current = at
	st.attempts = n + 1
	st.mu.Unlock()
	// go-retryablehttp sends exactly the *http.Request it passes to RequestLogHook, so replacing
	// its context here scopes the trace to this attempt.
	*req = *req.WithContext(httptrace.WithClientTrace(st.baseCtx, trace))
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
