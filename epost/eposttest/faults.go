package eposttest

import (
	"net/http"
	"time"

	"github.com/kshop-dev/kshop/internal/fakefault"
)

// FaultKind is what an injected fault does to the answer.
type FaultKind int

// Fault kinds.
const (
	// FaultNone only delays (Fault.Delay), then answers normally.
	FaultNone FaultKind = iota
	// FaultStatus answers Fault.Status (default 500) with an HTML error page.
	FaultStatus
	// FaultMalformedXML answers HTTP 200 with truncated XML.
	FaultMalformedXML
	// FaultEmptyBody answers HTTP 200 with an empty body.
	FaultEmptyBody
	// FaultHTMLPage answers HTTP 200 with an HTML page, as a firewall block page does.
	FaultHTMLPage
	// FaultDropConnection reads the request and closes the connection without answering.
	FaultDropConnection
)

// Fault is injected into the next requests of a call.
type Fault struct {
	// Call is the call it affects ("InsertOrder", CallPublicTrace, …); "" affects every call.
	Call string
	// Kind is what happens; Delay comes first whatever the kind.
	Kind FaultKind
	// Status is the HTTP status of FaultStatus (default 500).
	Status int
	// Delay holds the answer back; it ends early when the client goes away.
	Delay time.Duration
	// CarryOut makes the server process the request first (the order is booked, the cancel
	// done) and only then fail the answer: the case ReconcileOrder exists for.
	CarryOut bool
	// Times is how many requests the fault affects (default 1).
	Times int
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
	s.faults.Push(f.Call, f.Times, f)
}

// ClearFaults drops every queued fault.
func (s *Server) ClearFaults() {
	s.faults.Clear()
}

// takeFault consumes one use of the first fault matching call.
func (s *Server) takeFault(call string) *Fault {
	f, ok := s.faults.Take(call)
	if !ok {
		return nil
	}
	return &f
}

func applyFault(w http.ResponseWriter, f *Fault) {
	switch f.Kind {
	case FaultStatus:
		writeHTML(w, f.Status, http.StatusText(f.Status))
	case FaultMalformedXML:
		w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><response><reqNo><![CDATA[2024`))
	case FaultEmptyBody:
		w.WriteHeader(http.StatusOK)
	case FaultHTMLPage:
		writeHTML(w, http.StatusOK, "Request Blocked")
	case FaultDropConnection:
		if !fakefault.DropConnection(w) {
			writeHTML(w, http.StatusInternalServerError, "cannot drop the connection")
		}
	}
}
