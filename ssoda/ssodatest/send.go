package ssodatest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/phone"
	"github.com/kshop-dev/kshop/internal/wire"
	"github.com/kshop-dev/kshop/ssoda"
)

// Result codes the fake answers. Kakao's own codes are used where Kakao defines one; the
// others are illustrative (Ssoda publishes no code table).
const (
	CodeBadRequest        = "400"
	CodeNotFound          = "404"
	CodeConflict          = "409"
	CodeNoPoints          = "402"
	CodeTemplateNotFound  = "3015" // Kakao: template not found (also: not approved)
	CodeTemplateMismatch  = "3016" // Kakao: text does not match the template
	CodeButtonMismatch    = "3027" // Kakao: buttons do not match the template
	CodeSenderNotAllowed  = "3030" // unregistered, unapproved or blocked failover sender
	CodeUnknownSenderKey  = "3008"
	CodeMissingField      = "400"
	CodeReservationPassed = "409"
)

// sendAlimTalk is POST /kakao/send/alimtalk: one recipient, an approved template whose text
// matches exactly.
func (s *Server) sendAlimTalk(body map[string]any) (int, map[string]any) {
	m, fail := s.commonSend(body, ssoda.AlimTalk)
	if fail != nil {
		return http.StatusOK, fail
	}
	m.TemplateCode = str(body, "template_code")
	if m.TemplateCode == "" {
		return http.StatusOK, failure(CodeMissingField, "필수 파라미터 누락: template_code")
	}
	st, ok := s.templates[tplKey{m.SenderKey, m.TemplateCode}]
	if !ok {
		return http.StatusOK, failure(CodeTemplateNotFound, "템플릿을 찾을 수 없습니다.")
	}
	if err := st.t.CanSend(); err != nil {
		return http.StatusOK, failure(CodeTemplateNotFound, "승인되지 않은 템플릿입니다.")
	}
	if err := st.t.Match(m.Text); err != nil {
		return http.StatusOK, failure(CodeTemplateMismatch, "메시지 내용이 템플릿과 일치하지 않습니다.")
	}
	m.Title = str(body, s.fields.Title)
	if st.t.Emphasis == alimtalk.EmphasisText && st.t.Title != "" {
		title := alimtalk.Template{Content: st.t.Title}
		if title.Match(m.Title) != nil {
			return http.StatusOK, failure(CodeTemplateMismatch, "강조 표기 제목이 템플릿과 일치하지 않습니다.")
		}
	}
	if !sameButtons(m.Buttons, st.t.Buttons) {
		return http.StatusOK, failure(CodeButtonMismatch, "버튼이 템플릿과 일치하지 않습니다.")
	}
	return s.accept(m, s.opts.Prices.AlimTalk)
}

// sendFriendTalk is POST /kakao/send/friendtalk (inferred format): no template.
func (s *Server) sendFriendTalk(body map[string]any) (int, map[string]any) {
	m, fail := s.commonSend(body, ssoda.FriendTalk)
	if fail != nil {
		return http.StatusOK, fail
	}
	m.ImageURL = str(body, s.fields.FriendTalkImageURL)
	m.Ad = strings.EqualFold(str(body, s.fields.FriendTalkAd), "Y")
	return s.accept(m, s.opts.Prices.FriendTalk)
}

// commonSend reads and checks the fields AlimTalk and FriendTalk share.
func (s *Server) commonSend(body map[string]any, kind ssoda.Kind) (*Message, map[string]any) {
	m := &Message{Kind: kind, SenderKey: str(body, "sender_key"), Text: str(body, "msg_body")}
	for _, f := range []struct{ name, value string }{{"sender_key", m.SenderKey}, {"dest_phone", str(body, "dest_phone")}, {"msg_body", m.Text}} {
		if f.value == "" {
			return nil, failure(CodeMissingField, "필수 파라미터 누락: "+f.name)
		}
	}
	if !s.knownSenderKey(m.SenderKey) {
		return nil, failure(CodeUnknownSenderKey, "등록되지 않은 발신프로필입니다.")
	}
	to := str(body, "dest_phone")
	n, err := phone.Parse(to)
	if err != nil || !n.IsMobile() || n.Digits() != to {
		return nil, failure(CodeBadRequest, "수신번호 형식이 올바르지 않습니다.")
	}
	m.To = to
	m.Buttons = s.buttons(body["button"])
	if fo, ok := body["failover"].(map[string]any); ok && strings.EqualFold(str(fo, "use"), "Y") {
		f := &Failover{Text: str(fo, "msg_body"), Subject: str(fo, s.fields.FailoverSubject), From: str(fo, s.fields.FailoverFrom)}
		if f.Text == "" {
			return nil, failure(CodeMissingField, "필수 파라미터 누락: failover.msg_body")
		}
		if f.From != "" {
			sn, ok := s.senderNumbers[f.From]
			if !ok || sn.confirmed.IsZero() || !sn.blocked.IsZero() {
				return nil, failure(CodeSenderNotAllowed, "사용할 수 없는 발신번호입니다. (미등록 또는 차단)")
			}
		}
		m.Failover = f
	}
	if st := str(body, s.fields.SendTime); st != "" {
		t, err := wire.ParseKST(wire.LayoutDateTime, st)
		if err != nil {
			return nil, failure(CodeBadRequest, "send_time 형식이 올바르지 않습니다. (yyyy-MM-dd HH:mm:ss)")
		}
		if t.After(s.opts.Now()) {
			m.ScheduledAt = t
		}
	}
	return m, nil
}

func (s *Server) knownSenderKey(k string) bool {
	for _, key := range s.senderKeys {
		if key == k {
			return true
		}
	}
	return false
}

// accept charges and records a message, and answers like Ssoda's SMS API.
func (s *Server) accept(m *Message, price float64) (int, map[string]any) {
	if s.points < price {
		return http.StatusOK, failure(CodeNoPoints, "잔여 포인트가 부족합니다.")
	}
	s.points -= price
	s.seq++
	m.ID = strconv.Itoa(100000000 + s.seq)
	m.AcceptedAt = s.opts.Now()
	m.Cost = price
	if m.ScheduledAt.IsZero() {
		s.deliver(m)
	} else {
		m.Status = StatusReserved
		s.pending = append(s.pending, m)
	}
	s.messages = append(s.messages, m)
	s.byID[m.ID] = m
	reserv, sentTime := "N", wire.FormatKST(m.AcceptedAt, wire.LayoutDateTime)
	if !m.ScheduledAt.IsZero() {
		reserv, sentTime = "Y", wire.FormatKST(m.ScheduledAt, wire.LayoutDateTime)
	}
	from := ""
	if m.Failover != nil {
		from = m.Failover.From
	}
	return http.StatusOK, success(map[string]any{
		"message": "발송 요청이 완료되었습니다.",
		"reserv":  reserv, "sent_time": sentTime,
		"sent_messages": []any{map[string]any{
			"msg_id": m.ID, "dest_phone": m.To, "reserv": reserv, "sent_time": sentTime, "send_phone": from,
		}},
	})
}

// cancelHandler is the (inferred) reservation cancel: msg_id of a reservation not yet due.
func (s *Server) cancelHandler(kind ssoda.Kind) handler {
	return func(body map[string]any) (int, map[string]any) {
		id := str(body, s.fields.MessageID)
		if id == "" {
			return http.StatusOK, failure(CodeMissingField, "필수 파라미터 누락: msg_id")
		}
		m, ok := s.byID[id]
		if !ok || m.Kind != kind || m.ScheduledAt.IsZero() {
			return http.StatusOK, failure(CodeNotFound, "예약 내역이 없습니다.")
		}
		switch m.Status {
		case StatusCancelled:
			return http.StatusOK, failure(CodeConflict, "이미 취소된 예약입니다.")
		case StatusReserved:
		default:
			return http.StatusOK, failure(CodeReservationPassed, "이미 발송된 메시지는 취소할 수 없습니다.")
		}
		m.Status = StatusCancelled
		s.points += m.Cost
		return http.StatusOK, success(map[string]any{"msg_id": id, "message": "예약이 취소되었습니다."})
	}
}

// buttons reads a send request's button array ({name, type, url_mobile, url_pc, …}).
func (s *Server) buttons(v any) []alimtalk.Button {
	list, _ := v.([]any)
	var out []alimtalk.Button
	for _, item := range list {
		b, ok := item.(map[string]any)
		if !ok {
			continue
		}
		out = append(out, alimtalk.Button{
			Type: alimtalk.ButtonType(str(b, "type")), Name: str(b, "name"),
			URLMobile: str(b, "url_mobile"), URLPC: str(b, "url_pc"),
			SchemeAndroid: str(b, s.fields.ButtonSchemeAndroid), SchemeIOS: str(b, s.fields.ButtonSchemeIOS),
		})
	}
	return out
}

// sameButtons compares buttons by type and name, as Kakao does (3027).
func sameButtons(got, want []alimtalk.Button) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i].Type != want[i].Type || got[i].Name != want[i].Name {
			return false
		}
	}
	return true
}

// str reads a field as text: strings as they are, numbers as written, booleans as
// "true"/"false"; "" for anything else.
func str(m map[string]any, key string) string {
	switch v := m[key].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}

// intField reads a positive integer given as a number or a string; def when absent or bad.
func intField(m map[string]any, key string, def int) int {
	n, err := strconv.Atoi(str(m, key))
	if err != nil || n < 1 {
		return def
	}
	return n
}

// kst formats a time for answers.
func kst(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return wire.FormatKST(t, wire.LayoutDateTime)
}
