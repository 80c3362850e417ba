package eposttest

import (
	"net/http"

	"github.com/kshop-dev/kshop/internal/fakefault"
)

// Fault is injected into the next requests of one call: Call is the call's name
// ("InsertOrder", "GetResInfo", CallPublicTrace, …; "" affects every call), Kind what happens,
// Status the HTTP status of a FaultStatus (default 500), Delay a hold before the answer,
// CarryOut whether the request is carried out (the order booked, the cancel done) before the
// answer fails, and Times how many requests it affects (default 1). Every fake server of this
// SDK shares this shape.
type Fault = fakefault.Fault

// FaultKind is what an injected fault does to the answer.
type FaultKind = fakefault.Kind

// Fault kinds. Delay comes first whatever the kind.
const (
	// FaultDelay only holds the answer for Fault.Delay, then answers normally; the request is
	// carried out.
	FaultDelay = fakefault.Delay
	// FaultStatus answers Fault.Status (default 500) with an HTML error page.
	FaultStatus = fakefault.Status
	// FaultTooManyRequests answers 429 with Retry-After: 0; the request is never carried out.
	FaultTooManyRequests = fakefault.TooManyRequests
	// FaultHTMLPage answers HTTP 200 with an HTML page, as a firewall block page does.
	FaultHTMLPage = fakefault.HTMLPage
	// FaultEmptyBody answers HTTP 200 with an empty body.
	FaultEmptyBody = fakefault.EmptyBody
	// FaultTruncated answers HTTP 200 with XML cut in the middle.
	FaultTruncated = fakefault.Truncated
	// FaultDrop reads the request and closes the connection without answering.
	FaultDrop = fakefault.Drop
)

// InjectFault queues a fault. Faults apply in the order injected, each to its Times next
// matching requests. A fault without a Kind only delays.
func (s *Server) InjectFault(f Fault) {
	if f.Kind == 0 {
		f.Kind = FaultDelay
	}
	s.faults.Inject(f)
}

// ClearFaults drops every queued fault.
func (s *Server) ClearFaults() { s.faults.Clear() }

func applyFault(w http.ResponseWriter, f *Fault) {
	switch f.Kind {
	case FaultStatus:
		writeHTML(w, f.Status, http.StatusText(f.Status))
	case FaultTooManyRequests:
		w.Header().Set("Retry-After", "0")
		writeHTML(w, http.StatusTooManyRequests, http.StatusText(http.StatusTooManyRequests))
	case FaultTruncated:
		w.Header().Set("Content-Type", "text/xml; charset=UTF-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><response><reqNo><![CDATA[2024`))
	case FaultEmptyBody:
		w.WriteHeader(http.StatusOK)
	case FaultHTMLPage:
		writeHTML(w, http.StatusOK, "Request Blocked")
	case FaultDrop:
		if !fakefault.DropConnection(w) {
			writeHTML(w, http.StatusInternalServerError, "cannot drop the connection")
		}
	}
}
