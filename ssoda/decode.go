package ssoda

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

// answer is a decoded Ssoda envelope: {"code": "200" | 200, "error": "…", "content": {…}, …}.
type answer struct {
	status  int
	hasCode bool
	code    wire.Code
	message string     // "error" (or "message" on failures), raw
	root    jsonObject // every top-level field
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
func (a *answer) contentObject() jsonObject {
	o, _ := parseObject(a.content)
	return o
}

// decodeProblem says why a body is not an envelope.
type decodeProblem string

// parseAnswer decodes an answer body. It never panics, whatever the bytes; a body that is
// not a JSON object, or an object with a key twice (compared as encoding/json compares
// them, ignoring case), comes back as a decodeProblem. A JSON string holding a JSON object (as
// some relays double-encode) is unwrapped once.
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
	a := &answer{status: status, root: root, content: root["content"], raw: trimmed}
	if raw, present := root["code"]; present {
		if err := json.Unmarshal(raw, &a.code); err != nil {
			return nil, "malformed result code"
		}
		a.hasCode = string(bytes.TrimSpace(raw)) != "null"
	}
	a.message = root.str("error")
	if a.message == "" && !a.ok() {
		a.message = root.str("message", "msg", "error_msg")
		if a.message == "" {
			a.message = a.contentObject().str("error", "message")
		}
	}
	return a, ""
}

// parseRoot decodes the top-level object one level deep, refusing a key that appears twice
// (a relay's or an attacker's {"code":"500","code":"200"} must not read as a success), text
// after the object, and reporting a body cut short as truncated.
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
			key = folded // read "Code" as encoding/json would, as "code"
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

// envelopeKeys are the envelope's own keys, read whatever their case.
var envelopeKeys = map[string]bool{"code": true, "error": true, "content": true, "message": true}

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

// jsonObject is a JSON object decoded one level deep, for permissive reading of fields whose
// names or types Ssoda never documented.
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

// parseArray decodes raw as an array; ok is false for anything else.
func parseArray(raw json.RawMessage) ([]json.RawMessage, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '[' {
		return nil, false
	}
	var a []json.RawMessage
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, false
	}
	return a, true
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

// flag reads a boolean that may come as true/false, "Y"/"N", "1"/"0" or "true"/"false".
// set is false when none of keys holds a recognizable value.
func (o jsonObject) flag(keys ...string) (value, set bool) {
	vals := make([]string, len(keys))
	for i, k := range keys {
		vals[i] = o.str(k)
	}
	return o.flagValue(vals...)
}

// flagValue reads the first recognizable boolean among texts.
func (jsonObject) flagValue(texts ...string) (value, set bool) {
	for _, t := range texts {
		switch strings.ToUpper(strings.TrimSpace(t)) {
		case "TRUE", "Y", "YES", "1":
			return true, true
		case "FALSE", "N", "NO", "0":
			return false, true
		}
	}
	return false, false
}

// obj returns the first of keys holding an object.
func (o jsonObject) obj(keys ...string) jsonObject {
	for _, k := range keys {
		if v, ok := parseObject(o[k]); ok {
			return v
		}
	}
	return nil
}

// arr returns the first of keys holding an array, and whether one did.
func (o jsonObject) arr(keys ...string) ([]json.RawMessage, bool) {
	for _, k := range keys {
		if v, ok := parseArray(o[k]); ok {
			return v, true
		}
	}
	return nil, false
}

// findRows looks for the rows of a list answer: first under keys at the top level, then under
// keys inside "content" (or "data"), then "content" itself when it is an array. found is false
// when no array exists anywhere (an answer with no rows at all).
func findRows(a *answer, keys ...string) (rows []json.RawMessage, found bool) {
	if rows, ok := a.root.arr(keys...); ok {
		return rows, true
	}
	for _, wrapper := range []string{"content", "data"} {
		if inner := a.root.obj(wrapper); inner != nil {
			if rows, ok := inner.arr(keys...); ok {
				return rows, true
			}
		}
		if rows, ok := parseArray(a.root[wrapper]); ok {
			return rows, true
		}
	}
	return nil, false
}

// capBody returns at most maxErrorBody bytes of b, cut at a rune boundary.
func capBody(b []byte) []byte {
	if len(b) <= maxErrorBody {
		return append([]byte(nil), b...)
	}
	cut := b[:maxErrorBody]
	for len(cut) > 0 && !utf8.Valid(cut) {
		cut = cut[:len(cut)-1]
	}
	return append([]byte(nil), cut...)
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
