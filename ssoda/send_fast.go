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
	s := wire.NewScanner(body)
	if !s.Open('{') {
		return out, false
	}
	var seenCode, seenError, seenContent, seenMessage bool
	var c contentFields
	for first := true; ; first = false {
		if s.Close('}') {
			break
		}
		if !first && !s.Open(',') {
			return out, false
		}
		key, good := s.Key()
		if !good {
			return out, false
		}
		switch string(key) {
		case "code":
			if seenCode || !s.Literal(`"200"`) && !s.Literal(`200`) {
				return out, false
			}
			seenCode = true
		case "error":
			if seenError || !s.Literal(`""`) {
				return out, false
			}
			seenError = true
		case "content":
			if seenContent || !contentOf(s, &c) {
				return out, false
			}
			seenContent = true
		case "message":
			if seenMessage {
				return out, false
			}
			seenMessage = true
			s.Skip()
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

// contentOf reads the content object.
func contentOf(s *wire.Scanner, c *contentFields) bool {
	if !s.Open('{') {
		return false
	}
	var seenList bool
	for first := true; ; first = false {
		if s.Close('}') {
			return true
		}
		if !first && !s.Open(',') {
			return false
		}
		key, ok := s.Key()
		if !ok {
			return false
		}
		switch string(key) {
		case "sent_messages":
			if seenList || !sentMessagesOf(s, &c.first) {
				return false
			}
			seenList = true
		default:
			if handled, good := messageField(s, key, &c.own); handled && !good {
				return false
			} else if !handled {
				s.Skip()
			}
		}
	}
}

// sentMessagesOf reads the list of sent messages, keeping the first one's fields.
func sentMessagesOf(s *wire.Scanner, first *msgFields) bool {
	if !s.Open('[') {
		return false
	}
	for n := 0; ; n++ {
		if s.Close(']') {
			return true
		}
		if n > 0 && !s.Open(',') {
			return false
		}
		if s.Peek() != '{' {
			return false
		}
		if n > 0 {
			s.Skip()
			continue
		}
		if !sentMessageOf(s, first) {
			return false
		}
	}
}

// sentMessageOf reads one sent message object.
func sentMessageOf(s *wire.Scanner, m *msgFields) bool {
	if !s.Open('{') {
		return false
	}
	for first := true; ; first = false {
		if s.Close('}') {
			return true
		}
		if !first && !s.Open(',') {
			return false
		}
		key, ok := s.Key()
		if !ok {
			return false
		}
		if handled, good := messageField(s, key, m); handled && !good {
			return false
		} else if !handled {
			s.Skip()
		}
	}
}

// messageField reads msg_id or reserv into m; handled is false for any other key.
func messageField(s *wire.Scanner, key []byte, m *msgFields) (handled, ok bool) {
	switch string(key) {
	case "msg_id":
		if m.idSeen {
			return true, false
		}
		m.idSeen = true
		if s.Peek() == '"' {
			m.id, ok = s.PlainString(wire.Printable)
			return true, ok
		}
		digits, good := s.Digits()
		if !good {
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
		s.WS()
		switch {
		case s.Literal("true"):
			m.reservSet, m.reserved = true, true
		case s.Literal("false"):
			m.reservSet, m.reserved = true, false
		default:
			text, good := s.PlainBytes(wire.Printable)
			if !good {
				return true, false
			}
			m.reserved, m.reservSet = flagBytes(text)
		}
		return true, true
	}
	return false, false
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
