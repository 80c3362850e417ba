package alimtalktest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/provider"
	"github.com/kshop-dev/kshop/internal/phone"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Record is one message the fake was given, with what became of it.
type Record struct {
	// Call is the 1-based number of the Send call that carried the message.
	Call int
	// Message is the message as prepared (phone normalized, text rendered, failover
	// resolved), or as given when it failed validation.
	Message alimtalk.Message
	// Result is what Send returned for it.
	Result alimtalk.Result
}

// Rejection is the error of a message the fake refuses (RejectPhone, RejectRef with a nil
// error). It implements kshop.APIError like every vendor *APIError.
type Rejection struct {
	// ResultCode is the provider-style result code (default "3018", Kakao's "not deliverable").
	ResultCode string
	// Message describes the refusal.
	Message string
}

// Error returns "alimtalktest: rejected (<code>): <message>".
func (r *Rejection) Error() string {
	return "alimtalktest: rejected (" + r.ResultCode + "): " + r.Message
}

// HTTPStatusCode returns 200: providers report per-message refusals inside a 200 answer.
func (r *Rejection) HTTPStatusCode() int { return 200 }

// Code returns ResultCode.
func (r *Rejection) Code() string { return r.ResultCode }

// Retryable returns false: the same message would be refused again.
func (r *Rejection) Retryable() bool { return false }

// OutcomeUnknown returns false: a refusal is a definite answer.
func (r *Rejection) OutcomeUnknown() bool { return false }

// Option configures NewSender.
type Option func(*Sender)

// WithTemplates makes the fake render and match messages against these templates, as a
// provider would (Kakao refuses a text that does not match its template).
func WithTemplates(src alimtalk.TemplateSource) Option {
	return func(s *Sender) { s.templates = src }
}

// WithLimits sets the limits messages are checked against (default alimtalk.DefaultLimits).
func WithLimits(l alimtalk.Limits) Option {
	return func(s *Sender) { s.limits = l }
}

// WithClock sets the clock reservation times are checked against (default: Limits.Now, else
// time.Now), as a provider checks them against its own. Give it the clock you give
// alimtalk.WithClock, so that a dispatcher living on a fixed date and the fake agree.
func WithClock(now func() time.Time) Option {
	return func(s *Sender) { s.now = now }
}

// Sender is a recording fake alimtalk.Sender. The zero value is not usable; call NewSender.
type Sender struct {
	mu        sync.Mutex
	templates alimtalk.TemplateSource
	limits    alimtalk.Limits
	now       func() time.Time
	byPhone   map[string]error // normalized phone → rejection, or errUnknown
	byRef     map[string]error
	callErr   error
	calls     int
	records   []Record
	nextID    int
}

// errUnknown marks an injected unknown outcome.
var errUnknown = errors.New("alimtalktest: outcome unknown")

// NewSender returns an empty fake that accepts every valid message.
func NewSender(opts ...Option) *Sender {
	s := &Sender{byPhone: map[string]error{}, byRef: map[string]error{}}
	for _, o := range opts {
		o(s)
	}
	return s
}

var _ alimtalk.Sender = (*Sender)(nil)

func phoneKey(p string) string {
	if d, err := phone.Normalize(p); err == nil {
		return d
	}
	return strings.TrimSpace(p)
}

func defaultRejection(err error) error {
	if err == nil {
		return &Rejection{ResultCode: "3018", Message: "message not deliverable"}
	}
	return err
}

// RejectPhone makes every later message to phone (any written form) come back
// StatusRejected with err (a *Rejection when err is nil). An err that wraps
// alimtalk.ErrOutcomeUnknown plays a provider that misclassifies a timeout as a refusal: the
// Result then comes back StatusUnknown, as every Sender built on package provider reports it.
func (s *Sender) RejectPhone(phone string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byPhone[phoneKey(phone)] = defaultRejection(err)
}

// RejectRef makes the message with this Ref come back StatusRejected with err (a *Rejection
// when err is nil).
func (s *Sender) RejectRef(ref string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byRef[ref] = defaultRejection(err)
}

// UnknownPhone makes every later message to phone come back StatusUnknown with an error
// wrapping alimtalk.ErrOutcomeUnknown, as after a timeout. The message is recorded: it may
// have been delivered.
func (s *Sender) UnknownPhone(phone string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byPhone[phoneKey(phone)] = errUnknown
}

// UnknownRef is UnknownPhone for the message with this Ref.
func (s *Sender) UnknownRef(ref string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byRef[ref] = errUnknown
}

// FailCalls makes every later Send fail as a whole with err, until FailCalls(nil). When err
// wraps alimtalk.ErrOutcomeUnknown the valid messages are recorded as StatusUnknown (they may
// have gone out); otherwise as StatusNotSent.
func (s *Sender) FailCalls(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.callErr = err
}

// Reset forgets the records, the call count and every injected failure.
func (s *Sender) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byPhone = map[string]error{}
	s.byRef = map[string]error{}
	s.callErr = nil
	s.calls = 0
	s.records = nil
}

// Send validates msgs, applies the injected failures and records every message. A nil ctx is
// refused with a *kshop.ValidationError, and nothing is recorded.
func (s *Sender) Send(ctx context.Context, msgs []alimtalk.Message) ([]alimtalk.Result, error) {
	if err := wire.CheckContext(ctx, "alimtalktest.Sender.Send"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	call := s.calls

	lim := s.limits
	if lim.Now == nil {
		lim.Now = s.now
	}
	batch := provider.PrepareBatch(msgs, s.templates, lim)
	callErr := s.callErr
	if callErr == nil {
		callErr = ctx.Err()
	}
	if callErr != nil {
		results, err := batch.Complete(nil, callErr)
		s.record(call, msgs, batch, results)
		return nil, err
	}

	sent := make([]alimtalk.Result, len(batch.Ready))
	for j, m := range batch.Ready {
		sent[j] = s.outcome(m)
	}
	results, _ := batch.Complete(sent, nil)
	s.record(call, msgs, batch, results)
	return results, nil
}

// outcome decides the fate of one valid message.
func (s *Sender) outcome(m alimtalk.Message) alimtalk.Result {
	injected, ok := s.byRef[m.Ref]
	if !ok {
		injected, ok = s.byPhone[m.To]
	}
	switch {
	case ok && injected == errUnknown:
		return alimtalk.Result{Status: alimtalk.StatusUnknown,
			Err: fmt.Errorf("alimtalktest: injected timeout: %w", alimtalk.ErrOutcomeUnknown)}
	case ok:
		return alimtalk.Result{Status: alimtalk.StatusRejected, Err: injected}
	}
	s.nextID++
	r := alimtalk.Result{MessageID: "fake-" + strconv.Itoa(s.nextID), Status: alimtalk.StatusAccepted}
	if !m.ScheduledAt.IsZero() {
		r.Status = alimtalk.StatusReserved
	}
	return r
}

// record stores one Record per input message: the prepared form for valid messages.
func (s *Sender) record(call int, msgs []alimtalk.Message, b *provider.Batch, results []alimtalk.Result) {
	prepared := make([]alimtalk.Message, len(msgs))
	copy(prepared, msgs)
	for j, m := range b.Ready {
		prepared[b.Position(j)] = m
	}
	for i := range msgs {
		s.records = append(s.records, Record{Call: call, Message: prepared[i], Result: results[i]})
	}
}

// Calls returns how many times Send was called.
func (s *Sender) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// Records returns every message given to Send, in order, with its outcome.
func (s *Sender) Records() []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Record(nil), s.records...)
}

// Messages returns every message given to Send (prepared where valid), in order.
func (s *Sender) Messages() []alimtalk.Message {
	return s.filter(func(Record) bool { return true })
}

// Accepted returns the messages the fake accepted or reserved: what a real provider would
// deliver.
func (s *Sender) Accepted() []alimtalk.Message {
	return s.filter(func(r Record) bool { return r.Result.Status.Succeeded() })
}

// SentTo returns the accepted or reserved messages to phone (any written form).
func (s *Sender) SentTo(phone string) []alimtalk.Message {
	key := phoneKey(phone)
	return s.filter(func(r Record) bool { return r.Result.Status.Succeeded() && r.Message.To == key })
}

func (s *Sender) filter(keep func(Record) bool) []alimtalk.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []alimtalk.Message
	for _, r := range s.records {
		if keep(r) {
			out = append(out, r.Message)
		}
	}
	return out
}
