package lunasofttest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/kshop-dev/kshop/internal/fakefault"
)

// Fault is injected into the next requests of one call (see InjectFault). Its fields are those
// of every kshop fake server: Call (CallSend, or a path; "" for every call), Kind, Status (for
// FaultStatus, default 500), Delay (held first, whatever the kind), CarryOut (carry the request
// out — record the messages and post their webhooks — before the answer fails) and Times
// (default 1).
type Fault = fakefault.Fault

// FaultKind is what an injected fault does to the answer.
type FaultKind = fakefault.Kind

// Fault kinds, the same in every kshop fake server.
const (
	// FaultDelay carries the request out, then holds the answer for Fault.Delay (released
	// early when the client goes away or the server closes).
	FaultDelay = fakefault.Delay
	// FaultStatus answers Fault.Status (default 500) with Lunasoft's error body.
	FaultStatus = fakefault.Status
	// FaultTooManyRequests answers 429 with Retry-After: 0; the request is never carried out.
	FaultTooManyRequests = fakefault.TooManyRequests
	// FaultHTMLPage answers HTTP 200 with an HTML page, as a proxy or firewall does.
	FaultHTMLPage = fakefault.HTMLPage
	// FaultEmptyBody answers HTTP 200 with an empty body.
	FaultEmptyBody = fakefault.EmptyBody
	// FaultTruncated answers HTTP 200 with the answer's body cut in the middle.
	FaultTruncated = fakefault.Truncated
	// FaultDrop reads the request and closes the connection without an answer.
	FaultDrop = fakefault.Drop
)

// CallSend names the send call for Fault.Call and Requests.
const CallSend = "Send"

// InjectFault queues a fault. Faults apply in the order injected, each to its Times next
// matching requests.
func (s *Server) InjectFault(f Fault) { s.faults.Inject(f) }

// ClearFaults drops every queued fault.
func (s *Server) ClearFaults() { s.faults.Clear() }

// takeFault consumes one use of the first fault for the path, or else for its call.
func (s *Server) takeFault(path, call string) *Fault {
	if f := s.faults.Take(path); f != nil {
		return f
	}
	if call != "" {
		return s.faults.Take(call)
	}
	return nil
}

// failAnswer writes the faulty answer of f; payload is what the server would have answered
// (nil when the request was not carried out).
func failAnswer(w http.ResponseWriter, f *Fault, payload map[string]any) {
	switch f.Kind {
	case FaultStatus:
		writeJSON(w, f.Status, map[string]any{"code": f.Status, "msg": "일시적인 서버 오류입니다."})
	case FaultTooManyRequests:
		w.Header().Set("Retry-After", "0")
		writeJSON(w, http.StatusTooManyRequests, map[string]any{"code": 429, "msg": "요청이 너무 많습니다."})
	case FaultHTMLPage:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("<!DOCTYPE html><html><head><title>Blocked</title></head><body>Request blocked</body></html>"))
	case FaultEmptyBody:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
	case FaultTruncated:
		if payload == nil {
			payload = map[string]any{"code": 0, "msg": "success", "messages": []any{}}
		}
		body := encode(payload)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body[:len(body)/2])
	case FaultDrop:
		if !fakefault.DropConnection(w) {
			writeJSON(w, http.StatusInternalServerError, map[string]any{"code": 500, "msg": "cannot drop the connection"})
		}
	default:
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"code": 503, "msg": "fault"})
	}
}

func encode(payload map[string]any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(payload)
	return buf.Bytes()
}

func writeJSON(w http.ResponseWriter, status int, payload map[string]any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(encode(payload))
}
