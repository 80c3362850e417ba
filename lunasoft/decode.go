package lunasoft

import (
	"encoding/json"
	"strings"

	"github.com/kshop-dev/kshop/internal/wire"
)

// answer is a decoded Lunasoft answer: {"code": 0 | "0", "msg": "…" | {…}, "messages": […]},
// with the per-message results at the top or under "msg".
type answer struct {
	status      int
	hasCode     bool
	code        string // the code's text ("0", "1003"); numbers as their decimal literal
	message     string // "msg" when it is text, or the text found inside a "msg" object
	hasMessages bool   // a messages list was found (possibly empty)
	messages    []messageResult
}

// messageResult is one entry of the per-message results.
type messageResult struct {
	no        string // "no" as text; "" when absent
	code      string // result_code as text; "" when absent
	hasCode   bool
	text      string // result_msg
	messageID string // a message id, when the answer gives one
}

// ok reports a plain success: code 0 (string or number, leading zeros allowed).
func (a *answer) ok() bool { return a.hasCode && isZero(a.code) }

// listsAccepted reports an entry that says its message was taken: result_code 0 or a message
// id.
func (a *answer) listsAccepted() bool {
	for _, m := range a.messages {
		if m.hasCode && isZero(m.code) || m.messageID != "" {
			return true
		}
	}
	return false
}

// ok reports a message accepted: result_code 0, or no result_code at all beside an accepted
// request.
func (m messageResult) ok() bool { return !m.hasCode || isZero(m.code) }

// isZero reports whether a code is 0 in any of its written forms ("0", "00", "0000", 0).
func isZero(code string) bool {
	code = strings.TrimSpace(code)
	if code == "" {
		return false
	}
	for i := 0; i < len(code); i++ {
		if code[i] != '0' {
			return false
		}
	}
	return true
}

// parseAnswer decodes an answer body. It never panics, whatever the bytes; a body that is not
// a JSON object, or an object with a key twice (compared as encoding/json compares them,
// ignoring case), comes back as a wire.DecodeProblem. A JSON string holding a JSON object (as
// some relays double-encode) is unwrapped once. Unknown fields are ignored.
func parseAnswer(status int, body []byte) (*answer, wire.DecodeProblem) {
	root, _, problem := wire.ParseRoot(body, envelopeKeys)
	if problem != "" {
		return nil, problem
	}
	a := &answer{status: status}
	if raw, present := root["code"]; present {
		var c wire.Code
		if err := json.Unmarshal(raw, &c); err != nil {
			return nil, "malformed result code"
		}
		a.code = strings.TrimSpace(string(c))
		a.hasCode = a.code != ""
	}
	msgObj, isObj := wire.ParseObject(root["msg"])
	if isObj {
		a.message = msgObj.Str("msg", "message", "error", "result_msg", "error_msg")
	} else {
		a.message = root.Str("msg", "message", "error", "error_msg")
	}
	list, found := root.Arr("messages")
	if !found && isObj {
		list, found = msgObj.Arr("messages")
	}
	if !found {
		if _, present := root["messages"]; present && !wire.IsNull(root["messages"]) {
			return nil, "messages is not a list"
		}
	}
	a.hasMessages = found
	for _, raw := range list {
		m, ok := wire.ParseObject(raw)
		if !ok {
			return nil, "a messages entry is not an object"
		}
		r := messageResult{no: m.Str("no"), text: m.Str("result_msg", "msg", "message"),
			messageID: m.Str("message_id", "msg_id", "msgid", "message_key")}
		for _, k := range []string{"result_code", "resultCode", "code"} {
			if raw, present := m[k]; present && !wire.IsNull(raw) {
				var c wire.Code
				if err := json.Unmarshal(raw, &c); err != nil {
					return nil, "malformed result_code"
				}
				r.code, r.hasCode = strings.TrimSpace(string(c)), true
				break
			}
		}
		a.messages = append(a.messages, r)
	}
	return a, ""
}

// envelopeKeys are the answer's own keys, read whatever their case.
var envelopeKeys = map[string]bool{"code": true, "msg": true, "messages": true, "message": true, "error": true}
