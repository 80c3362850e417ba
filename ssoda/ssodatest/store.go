package ssodatest

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/phone"
	"github.com/kshop-dev/kshop/ssoda"
)

// MessageStatus is what became of a message in the fake.
type MessageStatus int

// Message statuses.
const (
	// StatusReserved: accepted for a later time, not sent yet.
	StatusReserved MessageStatus = iota + 1
	// StatusCancelled: a reservation cancelled before its time.
	StatusCancelled
	// StatusDelivered: delivered as a KakaoTalk message.
	StatusDelivered
	// StatusFailedOver: the recipient has no KakaoTalk; the failover SMS/LMS went out
	// (Message.FailoverText). The sent list shows "실패" with failover_msg.
	StatusFailedOver
	// StatusFailed: not deliverable and no failover.
	StatusFailed
)

// String returns "reserved", "cancelled", "delivered", "failed over" or "failed".
func (s MessageStatus) String() string {
	switch s {
	case StatusReserved:
		return "reserved"
	case StatusCancelled:
		return "cancelled"
	case StatusDelivered:
		return "delivered"
	case StatusFailedOver:
		return "failed over"
	case StatusFailed:
		return "failed"
	default:
		return "unknown"
	}
}

// Failover is a message's failover as the fake received it.
type Failover struct {
	// Text is failover.msg_body; Subject the LMS subject; From the sender number's digits.
	Text, Subject, From string
}

// Message is a message the fake accepted.
type Message struct {
	// ID is the msg_id the send answered.
	ID string
	// Kind is ssoda.AlimTalk or ssoda.FriendTalk.
	Kind ssoda.Kind
	// SenderKey and TemplateCode (AlimTalk only) as sent.
	SenderKey, TemplateCode string
	// To is the recipient's digits.
	To string
	// Text and Title as sent.
	Text, Title string
	// Buttons as sent.
	Buttons []alimtalk.Button
	// Failover as sent; nil when none.
	Failover *Failover
	// ImageURL is a FriendTalk's image.
	ImageURL string
	// Ad is a FriendTalk's advertisement flag.
	Ad bool
	// AcceptedAt is when the fake accepted it; ScheduledAt is its reservation time (zero for
	// immediate sends).
	AcceptedAt, ScheduledAt time.Time
	// Status is what became of it.
	Status MessageStatus
	// ErrorMessage and FailoverText are the sent list's error_msg and failover_msg.
	ErrorMessage, FailoverText string
	// Cost is the points it took (refunded on cancel).
	Cost float64
}

// sentAt is when the message went (or goes) out.
func (m *Message) sentAt() time.Time {
	if !m.ScheduledAt.IsZero() {
		return m.ScheduledAt
	}
	return m.AcceptedAt
}

func (m *Message) clone() Message {
	c := *m
	c.Buttons = append([]alimtalk.Button(nil), m.Buttons...)
	if m.Failover != nil {
		f := *m.Failover
		c.Failover = &f
	}
	return c
}

type tplKey struct{ senderKey, code string }

type storedTemplate struct {
	t        alimtalk.Template
	comments []string
	created  time.Time
}

type senderNumber struct {
	number    string
	requested time.Time
	confirmed time.Time
	blocked   time.Time
}

// settle sends reservations whose time has come and forgets cancelled ones. Only waiting
// reservations are visited, so a server holding many sent messages stays fast. Callers hold
// s.mu.
func (s *Server) settle() {
	if len(s.pending) == 0 {
		return
	}
	now := s.opts.Now()
	kept := s.pending[:0]
	for _, m := range s.pending {
		switch {
		case m.Status != StatusReserved:
		case !m.ScheduledAt.After(now):
			s.deliver(m)
		default:
			kept = append(kept, m)
		}
	}
	clear(s.pending[len(kept):])
	s.pending = kept
}

// deliver decides a message's fate: delivered, or failed over / failed for recipients without
// KakaoTalk. Callers hold s.mu.
func (s *Server) deliver(m *Message) {
	if !s.nonKakao[m.To] {
		m.Status = StatusDelivered
		return
	}
	m.ErrorMessage = "카카오톡 미사용자입니다. (3019)"
	if m.Failover != nil {
		m.Status = StatusFailedOver
		m.FailoverText = m.Failover.Text
		return
	}
	m.Status = StatusFailed
}

// AddTemplate registers t under the default sender key, keeping its TemplateState; a zero
// state means approved (APR, service A). It replaces a template with the same code.
func (s *Server) AddTemplate(t alimtalk.Template) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addTemplate(s.senderKeys[0], t)
}

func (s *Server) addTemplate(senderKey string, t alimtalk.Template) {
	if t.TemplateState == (alimtalk.TemplateState{}) {
		t.TemplateState = alimtalk.TemplateState{Inspection: alimtalk.InspectionApproved, Service: alimtalk.ServiceActive}
	}
	k := tplKey{senderKey, t.Code}
	if _, ok := s.templates[k]; !ok {
		s.tplOrder = append(s.tplOrder, k)
	}
	s.templates[k] = &storedTemplate{t: t, created: s.opts.Now()}
}

// Template returns the template with code under the default sender key.
func (s *Server) Template(code string) (alimtalk.Template, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.templates[tplKey{s.senderKeys[0], code}]
	if !ok {
		return alimtalk.Template{}, false
	}
	return st.t, true
}

// ErrNoTemplate is returned by ApproveTemplate and RejectTemplate for an unknown code.
var ErrNoTemplate = errors.New("ssodatest: no such template")

// ApproveTemplate plays Kakao's reviewer: a template under review (REQ) becomes approved (APR,
// service A) and can be sent.
func (s *Server) ApproveTemplate(code string) error {
	return s.review(code, alimtalk.ActionApprove, "")
}

// RejectTemplate plays Kakao's reviewer: a template under review (REQ) is rejected (REJ) with
// reason as the reviewer's comment.
func (s *Server) RejectTemplate(code, reason string) error {
	return s.review(code, alimtalk.ActionReject, reason)
}

func (s *Server) review(code string, a alimtalk.Action, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.tplOrder {
		if k.code != code {
			continue
		}
		st := s.templates[k]
		next, err := st.t.TemplateState.Apply(a)
		if err != nil {
			return err
		}
		st.t.TemplateState = next
		if reason != "" {
			st.comments = append(st.comments, reason)
		}
		return nil
	}
	return fmt.Errorf("%w: %q", ErrNoTemplate, code)
}

// SetNonKakaoUser marks a recipient as having no KakaoTalk: AlimTalk and FriendTalk to them
// fail, and go out as the failover SMS/LMS when the message has one (the sent list then keeps
// the failover text in failover_msg).
func (s *Server) SetNonKakaoUser(number string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nonKakao[digitsOf(number)] = true
}

// SetPoints sets the balance.
func (s *Server) SetPoints(p float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.points = p
}

// Points returns the balance.
func (s *Server) Points() float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.points
}

// AddSenderNumber registers an approved SMS sender number.
func (s *Server) AddSenderNumber(number string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addSenderNumber(number)
}

func (s *Server) addSenderNumber(number string) {
	d := digitsOf(number)
	if _, ok := s.senderNumbers[d]; !ok {
		s.numberOrder = append(s.numberOrder, d)
	}
	now := s.opts.Now()
	s.senderNumbers[d] = &senderNumber{number: d, requested: now.Add(-24 * time.Hour), confirmed: now.Add(-23 * time.Hour)}
}

// AddPendingSenderNumber registers a sender number that Ssoda has not approved yet.
func (s *Server) AddPendingSenderNumber(number string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addSenderNumber(number)
	s.senderNumbers[digitsOf(number)].confirmed = time.Time{}
}

// BlockSenderNumber blocks a registered sender number.
func (s *Server) BlockSenderNumber(number string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := s.senderNumbers[digitsOf(number)]; ok {
		n.blocked = s.opts.Now()
	}
}

// Messages returns every message accepted so far (sent, reserved and cancelled), oldest first.
func (s *Server) Messages() []Message {
	return s.snapshot(func(*Message) bool { return true })
}

// Sent returns the messages that went out (delivered, failed over or failed), oldest first.
func (s *Server) Sent() []Message {
	return s.snapshot(func(m *Message) bool {
		return m.Status == StatusDelivered || m.Status == StatusFailedOver || m.Status == StatusFailed
	})
}

// Reservations returns the reservations still waiting for their time, oldest first.
func (s *Server) Reservations() []Message {
	return s.snapshot(func(m *Message) bool { return m.Status == StatusReserved })
}

func (s *Server) snapshot(keep func(*Message) bool) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settle()
	var out []Message
	for _, m := range s.messages {
		if keep(m) {
			out = append(out, m.clone())
		}
	}
	return out
}

// digitsOf normalizes a phone number to digits, or keeps only the digits of one that does
// not parse.
func digitsOf(number string) string {
	if d, err := phone.Normalize(number); err == nil {
		return d
	}
	var b strings.Builder
	for _, r := range number {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
