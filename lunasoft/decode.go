package lunasoft

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

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

// decodeProblem says why a body is not an answer.
type decodeProblem string

// parseAnswer decodes an answer body. It never panics, whatever the bytes; a body that is not
// a JSON object, or an object with a key twice (compared as encoding/json compares them,
// ignoring case), comes back as a decodeProblem. A JSON string holding a JSON object (as some
// relays double-encode) is unwrapped once. Unknown fields are ignored.
func parseAnswer(status int, body []byte) (*answer, decodeProblem) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
	if len(trimmed) == 0 {
		return nil, "empty body"
	}
	if trimmed[0] == '"' {
		var inner string
		if err := json.Unmarshal(trimmed, &inner); err == nil {
			if t := strings.TrimSpace(inner); strings.HasPrefix(t, "{") {
				trimmed = []byte(t)
			}
		}
	}
	if trimmed[0] != '{' {
		if looksHTML(trimmed) {
			return nil, "HTML page instead of JSON"
		}
		return nil, "not JSON"
	}
	root, problem := parseRoot(trimmed)
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
	msgObj, isObj := parseObject(root["msg"])
	if isObj {
		a.message = msgObj.str("msg", "message", "error", "result_msg", "error_msg")
	} else {
		a.message = root.str("msg", "message", "error", "error_msg")
	}
	list, found := root.arr("messages")
	if !found && isObj {
		list, found = msgObj.arr("messages")
	}
	if !found {
		if _, present := root["messages"]; present && !isNull(root["messages"]) {
			return nil, "messages is not a list"
		}
	}
	a.hasMessages = found
	for _, raw := range list {
		m, ok := parseObject(raw)
		if !ok {
			return nil, "a messages entry is not an object"
		}
		r := messageResult{no: m.str("no"), text: m.str("result_msg", "msg", "message"),
			messageID: m.str("message_id", "msg_id", "msgid", "message_key")}
		for _, k := range []string{"result_code", "resultCode", "code"} {
			if raw, present := m[k]; present && !isNull(raw) {
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

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// parseRoot decodes the top-level object one level deep, refusing a key that appears twice
// (a relay's or an attacker's {"code":1,"code":0} must not read as a success) and text after
// the object, and reporting a body cut short as truncated. The envelope's own keys are read
// whatever their case.
func parseRoot(b []byte) (jsonObject, decodeProblem) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return nil, syntaxProblem(err)
	}
	root := jsonObject{}
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntaxProblem(err)
		}
		key, ok := tok.(string)
		if !ok {
			return nil, "malformed JSON"
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, syntaxProblem(err)
		}
		folded := strings.ToLower(strings.ToUpper(key))
		if seen[folded] {
			return nil, decodeProblem("duplicate key " + strconv.Quote(cutKey(key)))
		}
		seen[folded] = true
		if envelopeKeys[folded] {
			key = folded
		}
		root[key] = raw
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntaxProblem(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, "text after the JSON object"
	}
	return root, ""
}

// envelopeKeys are the answer's own keys, read whatever their case.
var envelopeKeys = map[string]bool{"code": true, "msg": true, "messages": true, "message": true, "error": true}

// syntaxProblem tells a body cut short from one that is malformed.
func syntaxProblem(err error) decodeProblem {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "truncated JSON"
	}
	return "malformed JSON"
}

// cutKey shortens a key for an error message.
func cutKey(k string) string {
	if len(k) <= 40 {
		return k
	}
	cut := k[:40]
	for len(cut) > 0 && !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	return cut + "…"
}

func looksHTML(b []byte) bool {
	head := strings.ToLower(string(b[:min(len(b), 256)]))
	return strings.HasPrefix(head, "<!doctype html") || strings.Contains(head, "<html") ||
		strings.HasPrefix(head, "<head") || strings.HasPrefix(head, "<body")
}

// jsonObject is a JSON object decoded one level deep, for tolerant reading of fields whose
// names or types Lunasoft never documented.
type jsonObject map[string]json.RawMessage

// parseObject decodes raw as an object; ok is false for anything else (null included).
func parseObject(raw json.RawMessage) (jsonObject, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, false
	}
	var o jsonObject
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, false
	}
	return o, true
}

// arr returns the first of keys holding an array, and whether one did.
func (o jsonObject) arr(keys ...string) ([]json.RawMessage, bool) {
	for _, k := range keys {
		raw := bytes.TrimSpace(o[k])
		if len(raw) == 0 || raw[0] != '[' {
			continue
		}
		var a []json.RawMessage
		if err := json.Unmarshal(raw, &a); err == nil {
			return a, true
		}
	}
	return nil, false
}

// str returns the first of keys holding a string, number or boolean, as text; "" when none
// does. Null and empty strings are skipped.
func (o jsonObject) str(keys ...string) string {
	for _, k := range keys {
		raw, ok := o[k]
		if !ok {
			continue
		}
		var f wire.FlexString
		if err := json.Unmarshal(raw, &f); err == nil && f != "" {
			return strings.TrimSpace(string(f))
		}
	}
	return ""
}
