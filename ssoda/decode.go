package ssoda

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/kshop-dev/kshop/internal/wire"
)

// answer is a decoded Ssoda envelope: {"code": "200" | 200, "error": "…", "content": {…}, …}.
type answer struct {
	status  int
	hasCode bool
	code    wire.Code
	message string      // "error" (or "message" on failures), raw
	root    wire.Object // every top-level field
	content json.RawMessage
	raw     []byte // the envelope's bytes
}

// ok reports whether the answer is a success: HTTP 2xx and code "200". An answer without any
// code counts as a success when it carries no "error" text either; working callers do the same
// (they test code only when present), and list answers are read from top-level fields.
func (a *answer) ok() bool {
	if a.status < 200 || a.status > 299 {
		return false
	}
	if a.hasCode {
		return a.code.Is("200")
	}
	return a.message == ""
}

// ambiguity says why an answer to a non-idempotent call reads as neither a plain success nor a
// plain refusal, or "" when it is clear. A 2xx without any result code or error text, a
// success code next to an error text, and a refusal that carries a message id all leave the
// outcome unknown.
func (a *answer) ambiguity() string {
	success := a.hasCode && a.code.Is("200")
	switch {
	case a.status >= 200 && a.status <= 299 && !a.hasCode && a.message == "":
		return "no result code in the answer"
	case a.status >= 200 && a.status <= 299 && success && a.message != "":
		return "the answer holds both a success code and an error"
	case !success:
		if id, _, _ := sentMessage(a); id != "" {
			return "the answer holds both a message id and an error"
		}
	}
	return ""
}

// contentObject returns the "content" object, or nil.
func (a *answer) contentObject() wire.Object {
	o, _ := wire.ParseObject(a.content)
	return o
}

// parseAnswer decodes an answer body. It never panics, whatever the bytes; a body that is
// not a JSON object, or an object with a key twice (compared as encoding/json compares
// them, ignoring case), comes back as a wire.DecodeProblem. A JSON string holding a JSON object
// (as some relays double-encode) is unwrapped once.
func parseAnswer(status int, body []byte) (*answer, wire.DecodeProblem) {
	root, text, problem := wire.ParseRoot(body, envelopeKeys)
	if problem != "" {
		return nil, problem
	}
	a := &answer{status: status, root: root, content: root["content"], raw: text}
	if raw, present := root["code"]; present {
		if err := json.Unmarshal(raw, &a.code); err != nil {
			return nil, "malformed result code"
		}
		a.hasCode = !wire.IsNull(raw)
	}
	a.message = root.Str("error")
	if a.message == "" && !a.ok() {
		a.message = root.Str("message", "msg", "error_msg")
		if a.message == "" {
			a.message = a.contentObject().Str("error", "message")
		}
	}
	return a, ""
}

// envelopeKeys are the envelope's own keys, read whatever their case ("Code" as "code", as
// encoding/json would).
var envelopeKeys = map[string]bool{"code": true, "error": true, "content": true, "message": true}

// flag reads a boolean that may come as true/false, "Y"/"N", "1"/"0" or "true"/"false" under
// the first of keys that holds one. set is false when none of keys holds a recognizable value.
func flag(o wire.Object, keys ...string) (value, set bool) {
	for _, k := range keys {
		if value, set = flagWord(o.Str(k)); set {
			return value, true
		}
	}
	return false, false
}

// flagWord reads a boolean written as a word or digit; set is false when t is none of them.
func flagWord(t string) (value, set bool) {
	switch strings.ToUpper(strings.TrimSpace(t)) {
	case "TRUE", "Y", "YES", "1":
		return true, true
	case "FALSE", "N", "NO", "0":
		return false, true
	}
	return false, false
}

// findRows looks for the rows of a list answer: first under keys at the top level, then under
// keys inside "content" (or "data"), then "content" itself when it is an array. found is false
// when no array exists anywhere (an answer with no rows at all).
func findRows(a *answer, keys ...string) (rows []json.RawMessage, found bool) {
	if rows, ok := a.root.Arr(keys...); ok {
		return rows, true
	}
	for _, wrapper := range []string{"content", "data"} {
		if inner := a.root.Obj(wrapper); inner != nil {
			if rows, ok := inner.Arr(keys...); ok {
				return rows, true
			}
		}
		if rows, ok := wire.ParseArray(a.root[wrapper]); ok {
			return rows, true
		}
	}
	return nil, false
}

// parseAmount reads a number that may carry thousands separators or a unit ("1,234.5",
// "1234원"). ok is false when s holds no number.
func parseAmount(s string) (float64, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", ""))
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || s[end] == '.' || s[end] == '-' && end == 0) {
		end++
	}
	if end == 0 {
		return 0, false
	}
	v, err := strconv.ParseFloat(s[:end], 64)
	if err != nil {
		return 0, false
	}
	return v, true
}
