package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DecodeProblem says, in a few words fit for an error message, why an answer body could not be
// read as a JSON object ("empty body", "truncated JSON", "duplicate key \"code\"", ...). The
// empty value means no problem.
type DecodeProblem string

// Problems ParseRoot and SyntaxProblem report. Vendor packages may add their own.
const (
	ProblemEmpty     DecodeProblem = "empty body"
	ProblemHTML      DecodeProblem = "HTML page instead of JSON"
	ProblemNotJSON   DecodeProblem = "not JSON"
	ProblemTruncated DecodeProblem = "truncated JSON"
	ProblemMalformed DecodeProblem = "malformed JSON"
	ProblemTrailing  DecodeProblem = "text after the JSON object"
)

// maxKeyInProblem bounds how much of a duplicate key a DecodeProblem repeats, so that a hostile
// answer cannot make an error message arbitrarily long.
const maxKeyInProblem = 40

// ParseRoot decodes an answer body whose top level must be a JSON object, one level deep. It
// never panics, whatever the bytes. A UTF-8 byte order mark and surrounding space are ignored,
// and a JSON string holding a JSON object (as some relays double-encode) is unwrapped once.
//
// A key that appears twice is refused, comparing keys as encoding/json matches them to struct
// fields (ignoring case): a relay's or an attacker's {"code":"500","CODE":"200"} must not read
// as a success. Text after the object is refused too, and a body cut short is reported as
// truncated rather than malformed, because a truncated answer may hide a completed call.
//
// envelopeKeys names, in lower case, the keys the caller reads whatever their case: such a key
// is stored under its lower-case form, so "Code" is found as "code". Other keys keep their
// spelling. text is the object's own text (trimmed and unwrapped), for callers that keep the raw
// envelope.
func ParseRoot(body []byte, envelopeKeys map[string]bool) (root Object, text []byte, problem DecodeProblem) {
	trimmed := unwrapBody(body)
	if len(trimmed) == 0 {
		return nil, nil, ProblemEmpty
	}
	if trimmed[0] != '{' {
		if LooksHTML(trimmed) {
			return nil, nil, ProblemHTML
		}
		return nil, nil, ProblemNotJSON
	}
	root, problem = parseRootObject(trimmed, envelopeKeys)
	if problem != "" {
		return nil, nil, problem
	}
	return root, trimmed, ""
}

// unwrapBody drops a byte order mark and surrounding space, and unwraps a JSON string that
// holds an object.
func unwrapBody(body []byte) []byte {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
	if len(trimmed) > 0 && trimmed[0] == '"' {
		var inner string
		if err := json.Unmarshal(trimmed, &inner); err == nil {
			if t := strings.TrimSpace(inner); strings.HasPrefix(t, "{") {
				trimmed = []byte(t)
			}
		}
	}
	return trimmed
}

// parseRootObject decodes b, which starts with '{', as ParseRoot describes.
func parseRootObject(b []byte, envelopeKeys map[string]bool) (Object, DecodeProblem) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return nil, SyntaxProblem(err)
	}
	root := Object{}
	seen := make(map[string]bool)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, SyntaxProblem(err)
		}
		key, ok := tok.(string)
		if !ok {
			return nil, ProblemMalformed
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, SyntaxProblem(err)
		}
		// Upper then lower folds the way encoding/json's case-insensitive match does closely
		// enough that no two keys it would merge pass as different here.
		folded := strings.ToLower(strings.ToUpper(key))
		if seen[folded] {
			return nil, DecodeProblem("duplicate key " + strconv.Quote(cutKey(key)))
		}
		seen[folded] = true
		if envelopeKeys[folded] {
			key = folded
		}
		root[key] = raw
	}
	if _, err := dec.Token(); err != nil {
		return nil, SyntaxProblem(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, ProblemTrailing
	}
	return root, ""
}

// SyntaxProblem tells a JSON decoding error caused by a body cut short (ProblemTruncated) from
// any other (ProblemMalformed).
func SyntaxProblem(err error) DecodeProblem {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return ProblemTruncated
	}
	return ProblemMalformed
}

// cutKey shortens a key for an error message, at a rune boundary.
func cutKey(k string) string {
	if len(k) <= maxKeyInProblem {
		return k
	}
	cut := k[:maxKeyInProblem]
	for len(cut) > 0 && !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	return cut + "…"
}

// LooksHTML reports whether b reads as an HTML page (a proxy's or a load balancer's error page,
// a login portal) judging by its first 256 bytes, case-insensitively.
func LooksHTML(b []byte) bool {
	head := strings.ToLower(string(b[:min(len(b), 256)]))
	return strings.HasPrefix(head, "<!doctype html") || strings.Contains(head, "<html") ||
		strings.HasPrefix(head, "<head") || strings.HasPrefix(head, "<body")
}

// CapBody returns a copy of at most limit bytes of b, cut at a rune boundary so that the copy
// stays valid UTF-8 when b was. It is how vendor errors keep a bounded piece of an answer.
func CapBody(b []byte, limit int) []byte {
	if len(b) <= limit {
		return append([]byte(nil), b...)
	}
	cut := b[:max(limit, 0)]
	for len(cut) > 0 && !utf8.Valid(cut) {
		cut = cut[:len(cut)-1]
	}
	return append([]byte(nil), cut...)
}

// IsNull reports whether raw is the JSON literal null, space around it ignored.
func IsNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// Object is a JSON object decoded one level deep, for tolerant reading of answers whose field
// names or value types the vendor never documented: each value stays raw until a reader asks
// for it as text, an object or an array.
type Object map[string]json.RawMessage

// ParseObject decodes raw as an object; ok is false for anything else (null included).
func ParseObject(raw json.RawMessage) (Object, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, false
	}
	var o Object
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, false
	}
	return o, true
}

// ParseArray decodes raw as an array; ok is false for anything else (null included).
func ParseArray(raw json.RawMessage) ([]json.RawMessage, bool) {
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

// Str returns the first of keys holding a string, number or boolean, as trimmed text; "" when
// none does. Null, empty strings, objects and arrays are skipped.
func (o Object) Str(keys ...string) string {
	for _, k := range keys {
		raw, ok := o[k]
		if !ok {
			continue
		}
		// flexText directly: raw is one value of a decoded object, so json.Unmarshal's
		// validation and reflection would only repeat work.
		if f, err := flexText(raw); err == nil && f != "" {
			return strings.TrimSpace(f)
		}
	}
	return ""
}

// Obj returns the first of keys holding an object, or nil when none does.
func (o Object) Obj(keys ...string) Object {
	for _, k := range keys {
		if v, ok := ParseObject(o[k]); ok {
			return v
		}
	}
	return nil
}

// Arr returns the first of keys holding an array, and whether one did; an empty array counts.
func (o Object) Arr(keys ...string) ([]json.RawMessage, bool) {
	for _, k := range keys {
		if v, ok := ParseArray(o[k]); ok {
			return v, true
		}
	}
	return nil, false
}
