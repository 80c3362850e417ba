package alimtalk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kshop-dev/kshop/internal/phone"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Dispatcher turns shop events into AlimTalk messages and sends them through one provider:
// Godomall's auto-send (자동발송) as a library. Exactly one Sender is active; switching
// providers (Godomall: 비즈엠 or 루나소프트, never both) means building a new Dispatcher.
//
// A Dispatcher is immutable after NewDispatcher (the Config is copied) and safe for
// concurrent use.
type Dispatcher struct {
	cfg       Config
	sender    Sender
	templates TemplateSource
	now       func() time.Time
	limits    Limits
	ledger    Ledger
	operators []string // normalized operator numbers
	senderNum string   // normalized sender number
}

// DispatcherOption configures NewDispatcher.
type DispatcherOption func(*Dispatcher)

// WithClock sets the clock (default time.Now). Every time is read in KST.
func WithClock(now func() time.Time) DispatcherOption {
	return func(d *Dispatcher) {
		if now != nil {
			d.now = now
		}
	}
}

// WithLimits sets the Kakao limits messages are checked against (default DefaultLimits;
// use the provider's, e.g. a larger ContentRunes for NHN). Unless l.Now is set, reservation
// times are checked against the dispatcher's clock (WithClock).
func WithLimits(l Limits) DispatcherOption {
	return func(d *Dispatcher) { d.limits = l }
}

// WithLedger sets the ledger that keeps an event from being sent twice (default: an
// in-memory ledger of DefaultLedgerCapacity refs). nil turns deduplication off: every
// Dispatch then sends, and the caller must dedupe by Ref.
func WithLedger(l Ledger) DispatcherOption {
	return func(d *Dispatcher) { d.ledger = l }
}

// NewDispatcher checks cfg and returns a dispatcher sending through sender with the
// templates of templates. It refuses, with a *ConfigError listing every problem (errors.Is
// ErrConfig), when: the shop URL is missing or not an absolute http(s) URL; the sender number
// is missing or not a valid sender number; an operator number is not a valid mobile number;
// an enabled event has no template code, names a template templates does not know, or sends
// to operators while none is configured; a timing, quiet-hours time or variable name is
// malformed; sender or templates is nil. It makes no network call.
func NewDispatcher(cfg Config, sender Sender, templates TemplateSource, opts ...DispatcherOption) (*Dispatcher, error) {
	d := &Dispatcher{
		cfg:       cfg.clone(),
		sender:    sender,
		templates: templates,
		now:       time.Now,
		limits:    DefaultLimits(),
		ledger:    NewMemoryLedger(0),
	}
	for _, o := range opts {
		o(d)
	}
	if d.limits.Now == nil {
		d.limits.Now = d.now // reservation times are checked against the dispatcher's clock
	}
	d.limits = d.limits.withDefaults()
	operators, problems := d.cfg.validate(templates, d.limits)
	if sender == nil {
		problems = append(problems, &FieldError{Key: "sender", Reason: ReasonRequired, Detail: "give exactly one provider"})
	}
	if templates == nil {
		problems = append(problems, &FieldError{Key: "templates", Reason: ReasonRequired})
	}
	if len(problems) > 0 {
		return nil, &ConfigError{Problems: named(problems)}
	}
	d.operators = operators
	if num, err := phone.Parse(d.cfg.SenderNumber); err == nil {
		d.senderNum = num.Digits()
	}
	return d, nil
}

// SkipReason says why a dispatch sent nothing.
type SkipReason int

// Skip reasons. The zero value means the event was dispatched.
const (
	NotSkipped    SkipReason = iota
	SkipGlobalOff            // Config.Enabled is false
	SkipGroupOff             // the event's group switch is off
	SkipEventOff             // the event is absent from Config.Events or not Enabled
)

// String describes the reason.
func (r SkipReason) String() string {
	switch r {
	case NotSkipped:
		return "not skipped"
	case SkipGlobalOff:
		return "AlimTalk is turned off"
	case SkipGroupOff:
		return "the event's group is turned off"
	case SkipEventOff:
		return "the event is turned off"
	default:
		return "skipped"
	}
}

// Delivery is the outcome for one recipient of an event.
type Delivery struct {
	// Audience is AudienceCustomer or AudienceOperator.
	Audience Audience
	// TemplateCode is the template used.
	TemplateCode string
	// Result is the provider's answer (or the validation failure) for this recipient.
	Result
}

// Report is the outcome of one Dispatch.
type Report struct {
	// Kind and EventID identify the event (Event.Kind, Event.ID).
	Kind    EventKind
	EventID string
	// Skipped is non-zero when the configuration turned the event off; Deliveries is then
	// empty.
	Skipped SkipReason
	// Deliveries has one entry per recipient: the customer first, then the operators in
	// Config order.
	Deliveries []Delivery
}

// Succeeded reports whether every delivery was accepted or reserved (false when skipped or
// empty).
func (r *Report) Succeeded() bool {
	if r == nil || len(r.Deliveries) == 0 {
		return false
	}
	for _, d := range r.Deliveries {
		if !d.Status.Succeeded() {
			return false
		}
	}
	return true
}

// DeliveryRef returns the Ref the dispatcher gives the message for (kind, eventID, audience,
// recipient): "at-" and 32 hex digits of a SHA-256 over those values, with the recipient
// normalized to digits when it is a valid number. It holds no personal data and fits
// Lunasoft's 40-character custom_key. Dispatching the same event again yields the same Refs,
// so callers and providers can dedupe and reconcile by it.
func DeliveryRef(kind EventKind, eventID string, audience Audience, recipient string) string {
	if num, err := phone.Parse(recipient); err == nil {
		recipient = num.Digits()
	} else {
		recipient = strings.TrimSpace(recipient)
	}
	h := sha256.New()
	for _, part := range []string{string(kind), eventID, audience.String(), recipient} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	sum := h.Sum(nil)
	return "at-" + hex.EncodeToString(sum[:16])
}

// Dispatch sends the messages of ev according to the configuration, with one call to the
// Sender, and returns one Delivery per recipient.
//
// Nothing is sent, and the Report says why, when AlimTalk, the event's group or the event
// is off. ev must have a known Kind and an ID; otherwise Dispatch returns a *FieldError
// ("event.kind", "event.id") and sends nothing. For each recipient it renders the template
// from the event's variables, sets the failover (the AlimTalk text, from the sender number)
// and the reservation time (the event's Timing, then quiet hours, in KST), and gives the
// message its DeliveryRef. A recipient whose message is invalid (a bad customer number, a
// missing variable) fails alone with StatusInvalid; the others are sent. Refs the Ledger
// already holds are skipped with StatusDuplicate.
//
// The error is the Sender's whole-call error, if any; the Report is returned with it and
// says, per recipient, StatusUnknown (the error wraps ErrOutcomeUnknown: reconcile by Ref)
// or StatusNotSent (safe to dispatch again). A nil ctx is refused with a
// *kshop.ValidationError. The Ref of a message whose outcome is unknown stays claimed in the
// Ledger, whatever status the Sender gave it, so a re-delivered event never sends it twice.
func (d *Dispatcher) Dispatch(ctx context.Context, ev Event) (*Report, error) {
	if err := wire.CheckContext(ctx, "alimtalk.Dispatcher.Dispatch"); err != nil {
		return nil, err
	}
	if !ev.Kind.Known() {
		return nil, &FieldError{Field: "Event.Kind", Key: "event.kind", Reason: ReasonInvalid, Detail: "unknown event kind"}
	}
	if strings.TrimSpace(ev.ID) == "" {
		return nil, &FieldError{Field: "Event.ID", Key: "event.id", Reason: ReasonRequired, Detail: "the ID makes the message Refs"}
	}
	report := &Report{Kind: ev.Kind, EventID: ev.ID}
	ec, configured := d.cfg.Events[ev.Kind]
	switch {
	case !d.cfg.Enabled:
		report.Skipped = SkipGlobalOff
	case !d.cfg.groupEnabled(ev.Kind.Group()):
		report.Skipped = SkipGroupOff
	case !configured || !ec.Enabled:
		report.Skipped = SkipEventOff
	}
	if report.Skipped != NotSkipped {
		return report, nil
	}

	msgs, audiences := d.messages(ev, &ec)
	results, err := d.send(ctx, prepareBatch(msgs, d.templates, d.limits))
	report.Deliveries = make([]Delivery, len(msgs))
	for i, m := range msgs {
		report.Deliveries[i] = Delivery{Audience: audiences[i], TemplateCode: m.TemplateCode, Result: results[i]}
	}
	return report, err
}

// messages builds one message per recipient, customer first.
func (d *Dispatcher) messages(ev Event, ec *EventConfig) ([]Message, []Audience) {
	now := d.now()
	occurred := ev.OccurredAt
	if occurred.IsZero() {
		occurred = now
	}
	vars := eventVariables(&d.cfg, ec, &ev, occurred)
	quiet := d.cfg.QuietHours
	var msgs []Message
	var audiences []Audience
	build := func(a Audience, to, code string) {
		m := Message{
			To:           to,
			SenderKey:    d.cfg.SenderKey,
			TemplateCode: code,
			Variables:    vars,
			ScheduledAt:  schedule(ec.Timing, quiet, a == AudienceCustomer || quiet.Operators, occurred, now),
			Ref:          DeliveryRef(ev.Kind, ev.ID, a, to),
		}
		if !d.cfg.DisableFailover {
			m.Failover = &Failover{From: d.senderNum, Subject: d.cfg.FailoverSubject}
		}
		msgs = append(msgs, m)
		audiences = append(audiences, a)
	}
	if ec.Audience.customers() {
		build(AudienceCustomer, ev.CustomerPhone, ec.TemplateCode)
	}
	if ec.Audience.operators() {
		for _, op := range d.operators {
			build(AudienceOperator, op, ec.operatorTemplate())
		}
	}
	return msgs, audiences
}

// send claims the ready messages' Refs, sends the fresh ones in one call, releases the Refs
// of messages that certainly did not go out, and returns one Result per batch message.
func (d *Dispatcher) send(ctx context.Context, b *batch) ([]Result, error) {
	results := b.pending()
	var toSend []Message
	var sentPos []int // positions in the batch input of toSend
	for j, m := range b.ready {
		pos := b.positions[j]
		if d.ledger != nil {
			fresh, err := d.ledger.Claim(ctx, m.Ref)
			if err != nil {
				results[pos].Status, results[pos].Err = StatusNotSent, fmt.Errorf("alimtalk: ledger: %w", err)
				continue
			}
			if !fresh {
				results[pos].Status, results[pos].Err = StatusDuplicate, ErrDuplicate
				continue
			}
		}
		toSend = append(toSend, m)
		sentPos = append(sentPos, pos)
	}
	if len(toSend) == 0 {
		return results, nil
	}

	sent, err := d.sender.Send(ctx, toSend)
	for k, r := range alignResults(toSend, sent, err) {
		results[sentPos[k]] = r
		if d.ledger != nil && certainlyNotSent(r) {
			// Let a later dispatch try again. A failed release only means that retry will be
			// reported as a duplicate.
			_ = d.ledger.Release(context.WithoutCancel(ctx), toSend[k].Ref)
		}
	}
	return results, err
}

// certainlyNotSent reports whether r proves its message did not go out, so that its Ref may
// be released: rejected, invalid or not sent, and nothing in its error says the outcome is
// unknown. alignResults already turns such misclassified results into StatusUnknown; the
// check is repeated here because releasing a Ref wrongly is the one mistake that sends a
// customer the same message twice.
func certainlyNotSent(r Result) bool {
	switch r.Status {
	case StatusRejected, StatusNotSent, StatusInvalid:
		return !outcomeUnknown(r.Err)
	}
	return false
}

// ErrDuplicate is the Err of StatusDuplicate results: the Ledger already held the message's
// Ref, so nothing was sent.
var ErrDuplicate = errors.New("alimtalk: already dispatched under this ref; nothing sent")

// maskPhone masks a phone number for operator copies and logs.
func maskPhone(s string) string { return phone.Mask(s) }
