package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Code is a vendor result code that may arrive as a JSON string ("200", "0000"), a JSON number
// (200, 0) or null. It keeps the textual form: a number is stored as its decimal literal, so
// "200" and 200 both become Code("200"). Leading zeros of strings are kept ("0000" stays
// "0000"), because some vendors give them meaning.
type Code string

// UnmarshalJSON accepts a string, a number, a boolean or null.
func (c *Code) UnmarshalJSON(data []byte) error {
	s, err := flexText(data)
	if err != nil {
		return fmt.Errorf("wire: result code: %w", err)
	}
	*c = Code(s)
	return nil
}

// String returns the code's text.
func (c Code) String() string { return string(c) }

// Is reports whether the code equals one of want. Numeric codes compare by value, so
// Code("0").Is("0") and Code("00").Is("0") are both true, while a non-numeric code compares as
// text.
func (c Code) Is(want ...string) bool {
	for _, w := range want {
		if string(c) == w {
			return true
		}
		a, errA := strconv.ParseInt(string(c), 10, 64)
		b, errB := strconv.ParseInt(w, 10, 64)
		if errA == nil && errB == nil && a == b {
			return true
		}
	}
	return false
}

// FlexString is a string field that a vendor sometimes sends as a number (Lunasoft's
// template_id, Ssoda's paging values). It decodes strings, numbers, booleans and null (as "").
// It encodes as a JSON string.
type FlexString string

// UnmarshalJSON accepts a string, a number, a boolean or null.
func (f *FlexString) UnmarshalJSON(data []byte) error {
	s, err := flexText(data)
	if err != nil {
		return fmt.Errorf("wire: %w", err)
	}
	*f = FlexString(s)
	return nil
}

// String returns the value's text.
func (f FlexString) String() string { return string(f) }

// Int parses the value as a base-10 integer; an empty value is 0.
func (f FlexString) Int() (int64, error) {
	if f == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(string(f), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("wire: %q is not an integer", truncateForError(string(f)))
	}
	return n, nil
}

// flexText turns one JSON scalar into text. Objects and arrays are rejected.
func flexText(data []byte) (string, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return "", fmt.Errorf("empty value")
	}
	switch data[0] {
	case '"':
		if s, ok := plainString(data); ok {
			return s, nil
		}
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return "", err
		}
		return s, nil
	case 'n':
		if string(data) == "null" {
			return "", nil
		}
	case 't', 'f':
		if string(data) == "true" || string(data) == "false" {
			return string(data), nil
		}
	case '{', '[':
		return "", fmt.Errorf("want a string or a number, got a JSON %s", kindOf(data[0]))
	default:
		var n json.Number
		if err := json.Unmarshal(data, &n); err != nil {
			return "", err
		}
		return normalizeNumber(n), nil
	}
	return "", fmt.Errorf("invalid JSON value %q", truncateForError(string(data)))
}

// normalizeNumber writes integral numbers without exponent or fraction (2e2 and 200.0 become
// "200"), so that codes compare as the vendor meant them.
func normalizeNumber(n json.Number) string {
	if i, err := n.Int64(); err == nil {
		return strconv.FormatInt(i, 10)
	}
	if f, err := n.Float64(); err == nil && f == float64(int64(f)) && f < 1e18 && f > -1e18 {
		return strconv.FormatInt(int64(f), 10)
	}
	return n.String()
}

func kindOf(b byte) string {
	if b == '{' {
		return "object"
	}
	return "array"
}

func truncateForError(s string) string {
	const max = 32
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}

// plainString returns the text of a JSON string literal that needs no decoding: quoted, with
// no escape, no quote or control character inside, and valid UTF-8. It is what json.Unmarshal
// would give for such a literal, without its reflection; anything else is left to it.
func plainString(data []byte) (string, bool) {
	if len(data) < 2 || data[0] != '"' || data[len(data)-1] != '"' {
		return "", false
	}
	inner := data[1 : len(data)-1]
	for _, c := range inner {
		if c < 0x20 || c == '"' || c == '\\' {
			return "", false
		}
	}
	if !utf8.Valid(inner) {
		return "", false
	}
	return string(inner), true
}
