package wire

import "unicode/utf8"

// Scanner walks a JSON body that Valid accepted, for fast readers of one known answer shape:
// they read the fields they understand in a single pass and give up (ok false) on anything
// else, which then goes to their tolerant reader. Because the body is valid, skipping a value
// needs no validation of its own. The zero value is unusable; make one with NewScanner.
type Scanner struct {
	b []byte
	i int
}

// NewScanner returns a Scanner at the start of body, which must have passed Valid.
func NewScanner(body []byte) *Scanner { return &Scanner{b: body} }

// WS skips white space.
func (s *Scanner) WS() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// Peek returns the next byte after white space, or 0 at the end.
func (s *Scanner) Peek() byte {
	s.WS()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// Open consumes c after any white space, and reports whether it was there.
func (s *Scanner) Open(c byte) bool {
	s.WS()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// Close is Open, for the closing bracket of a list or object.
func (s *Scanner) Close(c byte) bool { return s.Open(c) }

// AtEnd reports whether only white space is left.
func (s *Scanner) AtEnd() bool {
	s.WS()
	return s.i == len(s.b)
}

// Literal consumes lit exactly (after white space) when the value ends right after it.
func (s *Scanner) Literal(lit string) bool {
	s.WS()
	end := s.i + len(lit)
	if end > len(s.b) || string(s.b[s.i:end]) != lit {
		return false
	}
	if end < len(s.b) && !scalarEnd(s.b[end]) {
		return false
	}
	s.i = end
	return true
}

// Key reads an object key and its colon. Only keys of lower-case ASCII letters, digits and
// '_' are accepted: encoding/json matches keys case-insensitively (with some non-ASCII
// foldings), and such a key can equal another only byte for byte.
func (s *Scanner) Key() ([]byte, bool) {
	text, ok := s.PlainBytes(func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' })
	if !ok || !s.Open(':') {
		return nil, false
	}
	return text, true
}

// PlainBytes reads a JSON string whose bytes all satisfy allowed (never a quote or a
// backslash), so its text is its bytes (returned without a copy).
func (s *Scanner) PlainBytes(allowed func(byte) bool) ([]byte, bool) {
	s.WS()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, false
	}
	start := s.i + 1
	for j := start; j < len(s.b); j++ {
		c := s.b[j]
		if c == '"' {
			s.i = j + 1
			return s.b[start:j], true
		}
		if !allowed(c) {
			return nil, false
		}
	}
	return nil, false
}

// PlainString is PlainBytes as a string.
func (s *Scanner) PlainString(allowed func(byte) bool) (string, bool) {
	b, ok := s.PlainBytes(allowed)
	return string(b), ok
}

// Printable allows the visible ASCII characters and the space, except quote and backslash.
func Printable(c byte) bool { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' }

// Unescaped allows every byte of a JSON string that stands for itself: anything but a quote,
// a backslash and the control characters. It checks bytes, not UTF-8 (Valid, like
// json.Valid, lets invalid UTF-8 through, and encoding/json decodes it as U+FFFD): read text
// with Text, which does.
func Unescaped(c byte) bool { return c >= 0x20 && c != '"' && c != '\\' }

// Text reads a JSON string without escapes whose bytes are valid UTF-8, so that its text is
// exactly what encoding/json would decode.
func (s *Scanner) Text() (string, bool) {
	start := s.i
	b, ok := s.PlainBytes(Unescaped)
	if !ok || !utf8.Valid(b) {
		s.i = start
		return "", false
	}
	return string(b), true
}

// Digits reads a non-negative integer of at most 18 digits (no sign, fraction or exponent),
// returned as its bytes.
func (s *Scanner) Digits() ([]byte, bool) {
	s.WS()
	start := s.i
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		s.i++
	}
	digits := s.b[start:s.i]
	if len(digits) == 0 || len(digits) > 18 || !s.ValueEnds() {
		s.i = start
		return nil, false
	}
	return digits, true
}

// Skip passes over one value: a scalar ends at a comma, a closing bracket or white space; a
// string, object or list at its own closing character.
func (s *Scanner) Skip() {
	s.WS()
	depth := 0
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '"':
			s.i++
			for s.i < len(s.b) && s.b[s.i] != '"' {
				if s.b[s.i] == '\\' {
					s.i++
				}
				s.i++
			}
			s.i++
			if depth == 0 {
				return
			}
		case '{', '[':
			depth++
			s.i++
		case '}', ']':
			if depth == 0 {
				return
			}
			depth--
			s.i++
			if depth == 0 {
				return
			}
		case ',', ' ', '\t', '\r', '\n':
			if depth == 0 {
				return
			}
			s.i++
		default:
			s.i++
		}
	}
}

// ValueEnds reports whether a scalar ends at the cursor.
func (s *Scanner) ValueEnds() bool {
	return s.i >= len(s.b) || scalarEnd(s.b[s.i])
}

func scalarEnd(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}
