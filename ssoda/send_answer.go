package ssoda

import (
	"encoding/json"
	"strings"

	"github.com/kshop-dev/kshop/internal/wire"
)

// sentMessage reads the message id of a send answer (content.sent_messages[0].msg_id, as
// working callers do; a few other places are probed) and whether Ssoda says it is reserved.
// known is false when the answer says nothing about reservation. The usual shape is decoded in
// one typed pass; anything else goes through the permissive reader.
func sentMessage(a *answer) (id string, reserved, known bool) {
	var typed sendContentWire
	if len(a.content) > 0 && json.Unmarshal(a.content, &typed) == nil {
		first := typed.sentMessageWire
		if len(typed.SentMessages) > 0 {
			first = typed.SentMessages[0]
		}
		if id = first.id(); id == "" {
			id = typed.id()
		}
		if id != "" {
			for _, m := range []sentMessageWire{first, typed.sentMessageWire} {
				if v, set := m.reserv(); set {
					return id, v, true
				}
			}
			return id, false, false
		}
	}
	return sentMessageSlow(a)
}

// sentMessageWire is one entry of content.sent_messages (and content itself, which may carry
// the same fields).
type sentMessageWire struct {
	MsgID     wire.FlexString `json:"msg_id"`
	MsgIDAlt  wire.FlexString `json:"msgId"`
	MessageID wire.FlexString `json:"message_id"`
	Reserv    wire.FlexString `json:"reserv"`
	Reserved  wire.FlexString `json:"reserved"`
}

type sendContentWire struct {
	sentMessageWire
	SentMessages []sentMessageWire `json:"sent_messages"`
}

func (m sentMessageWire) id() string {
	for _, v := range []wire.FlexString{m.MsgID, m.MsgIDAlt, m.MessageID} {
		if s := strings.TrimSpace(string(v)); s != "" {
			return s
		}
	}
	return ""
}

func (m sentMessageWire) reserv() (value, set bool) {
	return jsonObject{}.flagValue(string(m.Reserv), string(m.Reserved))
}

// sentMessageSlow is sentMessage for answers of another shape.
func sentMessageSlow(a *answer) (id string, reserved, known bool) {
	content := a.contentObject()
	var first jsonObject
	if rows, ok := content.arr("sent_messages"); ok && len(rows) > 0 {
		first, _ = parseObject(rows[0])
	} else if rows, ok := a.root.arr("sent_messages"); ok && len(rows) > 0 {
		first, _ = parseObject(rows[0])
	}
	id = first.str("msg_id", "msgId", "message_id")
	if id == "" {
		id = content.str("msg_id", "msgId", "message_id")
	}
	if id == "" {
		id = a.root.str("msg_id", "msgId", "message_id")
	}
	for _, o := range []jsonObject{first, content} {
		if v, set := o.flag("reserv", "reserved"); set {
			return id, v, true
		}
	}
	return id, false, false
}
