package ssoda

import (
	"strconv"

	"github.com/kshop-dev/kshop/internal/wire"
)

// sendOutcome is what a send's successful answer says about the message.
type sendOutcome struct {
	id       string
	reserved bool
	known    bool // the answer says whether the message is reserved
}

// fastSendAnswer reads a send's answer in one pass when it is a plain success written the way
// Ssoda writes it, and reports ok false for anything else, which then goes through the strict
// reading (parseAnswer, judge, sentMessage) unchanged. It accepts only what it understands
// completely, so the strict reading's rules hold here too:
//
//   - a 2xx status and a body that is valid JSON: one object, nothing after it (no BOM, no
//     double encoding);
//   - top-level keys among code, error, content and message, each at most once, in lower case
//     and without escapes (so no key can be a case-folded duplicate of another);
//   - code exactly "200" or 200; error, when present, exactly "" (a success with an error text
//     is ambiguous and goes to the strict reading);
//   - content, when present, an object whose msg_id, reserv and sent_messages appear at most
//     once, with sent_messages a list of objects; a msg_id a plain ASCII string or a small
//     integer; a reserv a plain string or a boolean. Other content keys in lower-case ASCII are
//     skipped, as the strict reading ignores them.
//
// The outcome equals sentMessage's reading of the same body; FuzzFastSendAnswer checks both
// claims against the strict reading.
func fastSendAnswer(status int, body []byte) (out sendOutcome, ok bool) {
	if status < 200 || status > 299 || !wire.Valid(body) {
		return out, false
	}
	s := scanner{b: body}
	if !s.open('{') {
		return out, false
	}
	var seenCode, seenError, seenContent, seenMessage bool
	var c contentFields
	for first := true; ; first = false {
		if s.close('}') {
			break
		}
		if !first && !s.open(',') {
			return out, false
		}
		key, good := s.key()
		if !good {
			return out, false
		}
		switch string(key) {
		case "code":
			if seenCode || !s.literal(`"200"`) && !s.literal(`200`) {
				return out, false
			}
			seenCode = true
		case "error":
			if seenError || !s.literal(`""`) {
				return out, false
			}
			seenError = true
		case "content":
			if seenContent || !s.content(&c) {
				return out, false
			}
			seenContent = true
		case "message":
			if seenMessage {
				return out, false
			}
			seenMessage = true
			s.skip()
		default:
			return out, false
		}
	}
	if !seenCode {
		return out, false
	}
	out.id = c.first.id
	if out.id == "" {
		out.id = c.own.id
	}
	switch {
	case c.first.reservSet:
		out.reserved, out.known = c.first.reserved, true
	case c.own.reservSet:
		out.reserved, out.known = c.own.reserved, true
	}
	return out, true
}

// contentFields are what fastSendAnswer reads of content.
type contentFields struct {
	own   msgFields // content's own msg_id and reserv
	first msgFields // sent_messages[0]
}

type msgFields struct {
	id                  string
	idSeen, reservSeen  bool
	reservSet, reserved bool
}

// scanner walks a body that wire.Valid (json.Valid's equal) accepted, so skipping needs no
// validation of its own.
type scanner struct {
	b []byte
	i int
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// open consumes c after any white space.
func (s *scanner) open(c byte) bool {
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// close is open, for the closing bracket of a list or object.
func (s *scanner) close(c byte) bool { return s.open(c) }

// literal consumes lit exactly (after white space) when the value ends right after it.
func (s *scanner) literal(lit string) bool {
	s.ws()
	end := s.i + len(lit)
	if end > len(s.b) || string(s.b[s.i:end]) != lit {
		return false
	}
	if end < len(s.b) {
		switch s.b[end] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
		default:
			return false
		}
	}
	s.i = end
	return true
}

// key reads an object key and its colon. Only keys of lower-case ASCII letters, digits and
// '_' are accepted: encoding/json matches keys case-insensitively (with some non-ASCII
// foldings), and such a key can equal another only byte for byte.
func (s *scanner) key() ([]byte, bool) {
	text, ok := s.plainBytes(func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' })
	if !ok || !s.open(':') {
		return nil, false
	}
	return text, true
}

// plainBytes reads a JSON string whose bytes all satisfy allowed (never a quote or a
// backslash), so its text is its bytes (returned without a copy).
func (s *scanner) plainBytes(allowed func(byte) bool) ([]byte, bool) {
	s.ws()
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

// plainString is plainBytes as a string.
func (s *scanner) plainString(allowed func(byte) bool) (string, bool) {
	b, ok := s.plainBytes(allowed)
	return string(b), ok
}

// printable allows the visible ASCII characters and the space, except quote and backslash.
func printable(c byte) bool { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' }

// skip passes over one value: a scalar ends at a comma, a closing bracket or white space; a
// string, object or list at its own closing character.
func (s *scanner) skip() {
	s.ws()
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

// content reads the content object.
func (s *scanner) content(c *contentFields) bool {
	if !s.open('{') {
		return false
	}
	var seenList bool
	for first := true; ; first = false {
		if s.close('}') {
			return true
		}
		if !first && !s.open(',') {
			return false
		}
		key, ok := s.key()
		if !ok {
			return false
		}
		switch string(key) {
		case "sent_messages":
			if seenList || !s.sentMessages(&c.first) {
				return false
			}
			seenList = true
		default:
			if handled, good := s.messageField(key, &c.own); handled && !good {
				return false
			} else if !handled {
				s.skip()
			}
		}
	}
}

// sentMessages reads the list of sent messages, keeping the first one's fields.
func (s *scanner) sentMessages(first *msgFields) bool {
	if !s.open('[') {
		return false
	}
	for n := 0; ; n++ {
		if s.close(']') {
			return true
		}
		if n > 0 && !s.open(',') {
			return false
		}
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != '{' {
			return false
		}
		if n > 0 {
			s.skip()
			continue
		}
		if !s.sentMessage(first) {
			return false
		}
	}
}

// sentMessage reads one sent message object.
func (s *scanner) sentMessage(m *msgFields) bool {
	if !s.open('{') {
		return false
	}
	for first := true; ; first = false {
		if s.close('}') {
			return true
		}
		if !first && !s.open(',') {
			return false
		}
		key, ok := s.key()
		if !ok {
			return false
		}
		if handled, good := s.messageField(key, m); handled && !good {
			return false
		} else if !handled {
			s.skip()
		}
	}
}

// messageField reads msg_id or reserv into m; handled is false for any other key.
func (s *scanner) messageField(key []byte, m *msgFields) (handled, ok bool) {
	switch string(key) {
	case "msg_id":
		if m.idSeen {
			return true, false
		}
		m.idSeen = true
		s.ws()
		if s.i < len(s.b) && s.b[s.i] == '"' {
			m.id, ok = s.plainString(printable)
			return true, ok
		}
		start := s.i
		for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
			s.i++
		}
		digits := s.b[start:s.i]
		if len(digits) == 0 || len(digits) > 18 || !s.valueEnds() {
			return true, false
		}
		n, err := strconv.ParseInt(string(digits), 10, 64)
		if err != nil {
			return true, false
		}
		m.id = strconv.FormatInt(n, 10)
		return true, true
	case "reserv":
		if m.reservSeen {
			return true, false
		}
		m.reservSeen = true
		s.ws()
		switch {
		case s.literal("true"):
			m.reservSet, m.reserved = true, true
		case s.literal("false"):
			m.reservSet, m.reserved = true, false
		default:
			text, good := s.plainBytes(printable)
			if !good {
				return true, false
			}
			m.reserved, m.reservSet = flagBytes(text)
		}
		return true, true
	}
	return false, false
}

// valueEnds reports whether a scalar ends at the cursor.
func (s *scanner) valueEnds() bool {
	if s.i >= len(s.b) {
		return true
	}
	switch s.b[s.i] {
	case ',', '}', ']', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

// flagBytes is flagWord of b, without making it a string for the common "Y" and "N".
func flagBytes(b []byte) (value, set bool) {
	switch string(b) {
	case "Y":
		return true, true
	case "N":
		return false, true
	}
	return flagWord(string(b))
}
