package ssoda

import (
	"encoding/json"
	"strconv"
)

// sendAnswerWire is what a send's answer holds beyond the envelope, as working callers read
// it: content.sent_messages[0] {msg_id, reserv}, with content's own msg_id and reserv as
// fallbacks. It is the one decoder of that answer; its field names are matched as
// encoding/json matches them.
type sendAnswerWire struct {
	Content *sendContentWire `json:"content"`
}

type sendContentWire struct {
	MsgID        json.RawMessage   `json:"msg_id"`
	Reserv       json.RawMessage   `json:"reserv"`
	SentMessages []sentMessageWire `json:"sent_messages"`
}

type sentMessageWire struct {
	MsgID  json.RawMessage `json:"msg_id"`
	Reserv json.RawMessage `json:"reserv"`
}

// sentMessage reads the message id of a send answer and whether Ssoda says it is reserved.
// known is false when the answer says nothing about reservation. An answer whose content does
// not have the documented shape (sent_messages not a list, content not an object) yields no
// id: the id is read from the documented place only.
func sentMessage(a *answer) (id string, reserved, known bool) {
	var w sendAnswerWire
	if json.Unmarshal(a.raw, &w) != nil || w.Content == nil {
		return "", false, false
	}
	c := w.Content
	var first sentMessageWire
	if len(c.SentMessages) > 0 {
		first = c.SentMessages[0]
	}
	if id = idText(first.MsgID); id == "" {
		id = idText(c.MsgID)
	}
	for _, raw := range []json.RawMessage{first.Reserv, c.Reserv} {
		if v, set := flagText(raw); set {
			return id, v, true
		}
	}
	return id, false, false
}

// idText reads a msg_id: a JSON string as it is, or an integer (Ssoda's ids are numeric) in
// decimal; anything else is no id.
func idText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		if i, err := strconv.ParseInt(n.String(), 10, 64); err == nil {
			return strconv.FormatInt(i, 10)
		}
	}
	return ""
}

// flagText reads reserv: "Y"/"N" (as Ssoda writes it), or a JSON boolean.
func flagText(raw json.RawMessage) (value, set bool) {
	if len(raw) == 0 {
		return false, false
	}
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return b, true
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return flagWord(s)
	}
	return false, false
}
