package ssodatest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kshop-dev/kshop/internal/fakefault"
)

// FaultKind is what an injected fault does to a request.
type FaultKind int

// Fault kinds.
const (
	// FaultLatency processes the request, then holds the answer for Fault.Delay (released
	// early when the client goes away or the server closes). With a client timeout shorter
	// than the delay, the message is taken but the client cannot know: outcome unknown.
	FaultLatency FaultKind = iota + 1
	// FaultStatus answers Fault.Status (default 500) with an error envelope. The request is
	// processed first only when Fault.Process is set.
	FaultStatus
	// FaultDropAfterRead reads and processes the request (a send is recorded, points are
	// deducted), then closes the connection without answering, like a server that did the
	// work and crashed before replying.
	FaultDropAfterRead
	// FaultDropUnprocessed reads the request and closes the connection without processing it.
	FaultDropUnprocessed
	// FaultTooManyRequests answers 429 without processing the request.
	FaultTooManyRequests
	// FaultHTMLPage answers HTTP 200 with an HTML page, as a proxy or firewall does, without
	// processing the request.
	FaultHTMLPage
)

// Fault is injected into the next requests of a path.
type Fault struct {
	// Path is the path it affects (a ssoda.Paths value); "" affects every path.
	Path string
	// Kind is what happens.
	Kind FaultKind
	// Status is the HTTP status of FaultStatus (default 500).
	Status int
	// Delay is how long FaultLatency holds the answer.
	Delay time.Duration
	// Process makes FaultStatus process the request before failing the answer.
	Process bool
	// Times is how many requests the fault affects (default 1).
	Times int
}

// processes reports whether the request is carried out despite the fault.
func (f *Fault) processes() bool {
	switch f.Kind {
	case FaultLatency, FaultDropAfterRead:
		return true
	case FaultStatus:
		return f.Process
	}
	return false
}

// InjectFault queues a fault. Faults apply in the order injected, each to its Times next
// matching requests.
func (s *Server) InjectFault(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	if f.Kind == FaultStatus && f.Status == 0 {
		f.Status = http.StatusInternalServerError
	}
	s.faults.Push(f.Path, f.Times, f)
}

// ClearFaults drops every queued fault.
func (s *Server) ClearFaults() {
	s.faults.Clear()
}

// takeFault consumes one use of the first fault matching path.
func (s *Server) takeFault(path string) *Fault {
	f, ok := s.faults.Take(path)
	if !ok {
		return nil
	}
	return &f
}

// applyFault answers a fault that does not process the request.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f *Fault) {
	switch f.Kind {
	case FaultStatus:
		writeJSON(w, f.Status, failure(itoa(f.Status), "일시적인 서버 오류입니다."))
	case FaultTooManyRequests:
		w.Header().Set("Retry-After", "0")
		writeJSON(w, http.StatusTooManyRequests, failure("429", "요청이 너무 많습니다."))
	case FaultHTMLPage:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("<!DOCTYPE html><html><head><title>Blocked</title></head><body>Request blocked</body></html>"))
	case FaultDropUnprocessed:
		drop(w)
	default:
		s.hold(r, f.Delay)
		writeJSON(w, http.StatusServiceUnavailable, failure("503", "fault"))
	}
}

// hold waits d, or until the client goes away or the server closes.
func (s *Server) hold(r *http.Request, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	case <-s.closing:
	}
}

// drop closes the connection without an answer.
func drop(w http.ResponseWriter) {
	if !fakefault.DropConnection(w) {
		writeJSON(w, http.StatusInternalServerError, failure("500", "cannot drop the connection"))
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
