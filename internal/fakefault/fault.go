package fakefault

import (
	"net/http"
	"time"
)

// Kind is what an injected fault does to the answer. Every fake server (ssodatest, eposttest,
// and the ones to come) re-exports this type and its constants, so a test injects faults the same
// way whatever the vendor.
type Kind int

// Fault kinds. Delay comes first whatever the kind; CarryOut decides whether the request is
// carried out (the message recorded, the parcel booked) before the answer fails.
const (
	// Delay only holds the answer for Fault.Delay, then answers normally. With a client timeout
	// shorter than the delay the request is carried out but the client cannot know.
	Delay Kind = iota + 1
	// Status answers Fault.Status (default 500) with the vendor's error page.
	Status
	// TooManyRequests answers 429 with Retry-After: 0. The request is never carried out.
	TooManyRequests
	// HTMLPage answers HTTP 200 with an HTML page, as a proxy or a firewall does.
	HTMLPage
	// EmptyBody answers HTTP 200 with an empty body.
	EmptyBody
	// Truncated answers HTTP 200 with a body cut in the middle.
	Truncated
	// Drop reads the request and closes the connection without an answer.
	Drop
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case Delay:
		return "delay"
	case Status:
		return "status"
	case TooManyRequests:
		return "429"
	case HTMLPage:
		return "HTML page"
	case EmptyBody:
		return "empty body"
	case Truncated:
		return "truncated body"
	case Drop:
		return "dropped connection"
	default:
		return "no fault"
	}
}

// Fault is injected into the next requests of one call of a fake server.
type Fault struct {
	// Call is the call it affects, by the fake's own call names ("Send", "InsertOrder"); ""
	// affects every call.
	Call string
	// Kind is what happens.
	Kind Kind
	// Status is the HTTP status of a Status fault (default 500).
	Status int
	// Delay holds the answer back first, whatever the kind; it ends early when the client goes
	// away or the server closes.
	Delay time.Duration
	// CarryOut makes the server carry the request out (record the send, book the parcel, do the
	// cancel) before it fails the answer: the case that leaves the client's outcome unknown.
	// TooManyRequests never carries out.
	CarryOut bool
	// Times is how many requests the fault affects (default 1).
	Times int
}

// Normalized returns f with its defaults filled in: Times 1, Status 500 for a Status fault.
func (f Fault) Normalized() Fault {
	if f.Times <= 0 {
		f.Times = 1
	}
	if f.Kind == Status && f.Status == 0 {
		f.Status = http.StatusInternalServerError
	}
	if f.Kind == TooManyRequests {
		f.CarryOut = false
	}
	return f
}

// CarriesOut reports whether the request is carried out before the faulty answer: always for
// a pure Delay, never for TooManyRequests, otherwise as CarryOut says.
func (f Fault) CarriesOut() bool {
	switch f.Kind {
	case Delay:
		return true
	case TooManyRequests:
		return false
	default:
		return f.CarryOut
	}
}

// Faults is a fake server's fault list: Inject, Clear and Take over a Queue of Fault keyed by
// call. The zero value is ready to use and safe for concurrent use.
type Faults struct{ q Queue[Fault] }

// Inject queues f (normalized) for its Times next requests of f.Call.
func (fs *Faults) Inject(f Fault) {
	f = f.Normalized()
	fs.q.Push(f.Call, f.Times, f)
}

// Clear drops every queued fault.
func (fs *Faults) Clear() { fs.q.Clear() }

// Take consumes one use of the first fault matching call, or returns nil.
func (fs *Faults) Take(call string) *Fault {
	f, ok := fs.q.Take(call)
	if !ok {
		return nil
	}
	return &f
}

// Hold waits d, or until the request's client goes away or done is closed, and returns how
// long it waited: Go's timers wake late by up to about a millisecond, which a benchmark that
// compares against d needs to know.
func Hold(r *http.Request, d time.Duration, done <-chan struct{}) time.Duration {
	if d <= 0 {
		return 0
	}
	start := time.Now()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	case <-done:
	}
	return time.Since(start)
}
