package ssodatest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/kshop-dev/kshop/internal/fakefault"
)

// Fault is injected into the next requests of one call (see InjectFault). Its fields are those
// of every kshop fake server: Call (a call name below, or a path; "" for every call), Kind,
// Status (for FaultStatus, default 500), Delay (held first, whatever the kind), CarryOut
// (carry the request out — record the send, deduct the points, do the cancel — before the
// answer fails) and Times (default 1).
type Fault = fakefault.Fault

// FaultKind is what an injected fault does to the answer.
type FaultKind = fakefault.Kind

// Fault kinds, the same in every kshop fake server.
const (
	// FaultDelay carries the request out, then holds the answer for Fault.Delay (released
	// early when the client goes away or the server closes). With a client timeout shorter
	// than the delay, the message is taken but the client cannot know: outcome unknown.
	FaultDelay = fakefault.Delay
	// FaultStatus answers Fault.Status (default 500) with an error envelope.
	FaultStatus = fakefault.Status
	// FaultTooManyRequests answers 429 with Retry-After: 0; the request is never carried out.
	FaultTooManyRequests = fakefault.TooManyRequests
	// FaultHTMLPage answers HTTP 200 with an HTML page, as a proxy or firewall does.
	FaultHTMLPage = fakefault.HTMLPage
	// FaultEmptyBody answers HTTP 200 with an empty body.
	FaultEmptyBody = fakefault.EmptyBody
	// FaultTruncated answers HTTP 200 with the answer's body cut in the middle (the connection
	// closes before the announced Content-Length).
	FaultTruncated = fakefault.Truncated
	// FaultDrop reads the request and closes the connection without an answer, like a server
	// that crashed (after doing the work, with CarryOut).
	FaultDrop = fakefault.Drop
)

// Call names for Fault.Call and Requests: the ssoda method each path serves. A path (a
// ssoda.Paths value) works too, to single out one of two paths of the same call.
const (
	CallSend                 = "Send"                    // SendAlimTalk
	CallSendFriendTalk       = "SendFriendTalk"          // SendFriendTalk
	CallHistoryAlimTalk      = "History.AlimTalk"        // AlimTalkSentList (Reconcile reads it too)
	CallHistoryFriendTalk    = "History.FriendTalk"      // FriendTalkSentList
	CallReservationsAlimTalk = "Reservations.AlimTalk"   // AlimTalkReservedList
	CallReservationsFriend   = "Reservations.FriendTalk" // FriendTalkReservedList
	CallReservationsCancel   = "Reservations.Cancel"     // both cancel paths
	CallTemplatesAdd         = "Templates.Add"           // TemplateAdd
	CallTemplatesReview      = "Templates.RequestReview" // TemplateRequest
	CallTemplatesList        = "Templates.List"          // TemplateList (Templates.All and Load too)
	CallTemplatesDetail      = "Templates.Detail"        // TemplateDetail
	CallTemplatesCheckCode   = "Templates.CheckCode"     // TemplateCodeCheck
	CallTemplatesCategories  = "Templates.Categories"    // TemplateCategories
	CallProfilesRequestToken = "Profiles.RequestToken"   // ProfileToken
	CallProfilesCategories   = "Profiles.Categories"     // ProfileCategories
	CallProfilesCreate       = "Profiles.Create"         // ProfileCreate
	CallAccountPoints        = "Account.Points"          // RemainingPoints (CheckAccess too)
	CallAccountSenderNumbers = "Account.SenderNumbers"   // SenderNumbers
)

// InjectFault queues a fault. Faults apply in the order injected, each to its Times next
// matching requests.
func (s *Server) InjectFault(f Fault) { s.faults.Inject(f) }

// ClearFaults drops every queued fault.
func (s *Server) ClearFaults() { s.faults.Clear() }

// takeFault consumes one use of the first fault for path, or else for its call.
func (s *Server) takeFault(path string) *Fault {
	if f := s.faults.Take(path); f != nil {
		return f
	}
	if call, ok := s.calls[path]; ok {
		return s.faults.Take(call)
	}
	return nil
}

// failAnswer writes the faulty answer of f; payload is what the server would have answered
// (nil when the request was not carried out).
func (s *Server) failAnswer(w http.ResponseWriter, f *Fault, payload map[string]any) {
	switch f.Kind {
	case FaultStatus:
		writeJSON(w, f.Status, failure(strconv.Itoa(f.Status), "일시적인 서버 오류입니다."))
	case FaultTooManyRequests:
		w.Header().Set("Retry-After", "0")
		writeJSON(w, http.StatusTooManyRequests, failure("429", "요청이 너무 많습니다."))
	case FaultHTMLPage:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("<!DOCTYPE html><html><head><title>Blocked</title></head><body>Request blocked</body></html>"))
	case FaultEmptyBody:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
	case FaultTruncated:
		if payload == nil {
			payload = success(map[string]any{"sent_messages": []any{map[string]any{"msg_id": "0", "reserv": "N"}}})
		}
		body := encode(payload)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body[:len(body)/2])
	case FaultDrop:
		if !fakefault.DropConnection(w) {
			writeJSON(w, http.StatusInternalServerError, failure("500", "cannot drop the connection"))
		}
	default:
		writeJSON(w, http.StatusServiceUnavailable, failure("503", "fault"))
	}
}

func encode(payload map[string]any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(payload)
	return buf.Bytes()
}
