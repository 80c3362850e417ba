package lunasoft

import (
	"strings"

	"github.com/kshop-dev/kshop/internal/wire"
)

// fastAnswer reads a send's answer in one pass when it is written the way Lunasoft writes a
// 2xx answer, and reports ok false for anything else, which then goes through parseAnswer
// unchanged. It accepts only what it understands completely, so that its answer is exactly
// parseAnswer's (FuzzFastAnswer checks that on arbitrary bodies):
//
//   - a 2xx status and a body that is valid JSON: one object, nothing after it (no byte order
//     mark, no double encoding);
//   - keys of lower-case ASCII without escapes, each at most once at the top (so no key can be
//     a case-folded duplicate of another), and once per handled key in an entry;
//   - code an integer or a plain string; msg, when present, a string (an object goes to
//     parseAnswer); messages, when present, a list of objects whose no is a string or an
//     integer, result_code an integer or a plain string, result_msg a string. Other keys are
//     skipped, except those parseAnswer also reads in other places (message, error, error_msg
//     at the top; msg, message and the message-id keys in an entry), which send the answer to
//     parseAnswer.
//
// It makes no map per entry, which is where parseAnswer spends its time on a 1,000-message
// answer.
func fastAnswer(status int, body []byte) (*answer, bool) {
	if !success(status) || !wire.Valid(body) {
		return nil, false
	}
	s := wire.NewScanner(body)
	if !s.Open('{') {
		return nil, false
	}
	a := &answer{status: status}
	var seen [8]string
	nSeen := 0
	for first := true; ; first = false {
		if s.Close('}') {
			break
		}
		if !first && !s.Open(',') {
			return nil, false
		}
		key, ok := s.Key()
		if !ok || nSeen == len(seen) {
			return nil, false
		}
		for _, k := range seen[:nSeen] {
			if k == string(key) {
				return nil, false
			}
		}
		seen[nSeen] = string(key)
		nSeen++
		switch string(key) {
		case "code":
			code, ok := codeText(s)
			if !ok {
				return nil, false
			}
			a.code = code
			a.hasCode = code != ""
		case "msg":
			text, ok := s.Text()
			if !ok {
				return nil, false
			}
			a.message = strings.TrimSpace(text)
		case "messages":
			if !fastMessages(s, a) {
				return nil, false
			}
		case "message", "error", "error_msg":
			return nil, false
		default:
			s.Skip()
		}
	}
	if !s.AtEnd() {
		return nil, false
	}
	return a, true
}

// fastMessages reads the messages list into a.
func fastMessages(s *wire.Scanner, a *answer) bool {
	if !s.Open('[') {
		return false
	}
	a.hasMessages = true
	for n := 0; ; n++ {
		if s.Close(']') {
			return true
		}
		if n > 0 && !s.Open(',') {
			return false
		}
		m, ok := fastMessage(s)
		if !ok {
			return false
		}
		a.messages = append(a.messages, m)
	}
}

// fastMessage reads one entry of the messages list.
func fastMessage(s *wire.Scanner) (messageResult, bool) {
	var m messageResult
	if !s.Open('{') {
		return m, false
	}
	var seenNo, seenMsg bool
	for first := true; ; first = false {
		if s.Close('}') {
			return m, true
		}
		if !first && !s.Open(',') {
			return m, false
		}
		key, ok := s.Key()
		if !ok {
			return m, false
		}
		switch string(key) {
		case "no":
			if seenNo {
				return m, false
			}
			seenNo = true
			if s.Peek() == '"' {
				text, ok := s.Text()
				if !ok {
					return m, false
				}
				m.no = strings.TrimSpace(text)
			} else if digits, ok := s.Digits(); ok {
				m.no = string(digits)
			} else {
				return m, false
			}
		case "result_code":
			if m.hasCode {
				return m, false
			}
			if m.code, ok = codeText(s); !ok {
				return m, false
			}
			m.hasCode = true
		case "result_msg":
			if seenMsg {
				return m, false
			}
			seenMsg = true
			text, ok := s.Text()
			if !ok {
				return m, false
			}
			m.text = strings.TrimSpace(text)
		case "msg", "message", "code", "message_id", "msg_id", "msgid", "message_key":
			return m, false
		default:
			s.Skip()
		}
	}
}

// codeText reads a result code written as an integer or a plain string, as its trimmed text.
func codeText(s *wire.Scanner) (string, bool) {
	if s.Peek() == '"' {
		text, ok := s.PlainString(wire.Printable)
		return strings.TrimSpace(text), ok
	}
	digits, ok := s.Digits()
	if !ok || len(digits) > 1 && digits[0] == '0' {
		return "", false
	}
	return string(digits), true
}
