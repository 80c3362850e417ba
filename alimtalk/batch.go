package alimtalk

import (
	"errors"
	"fmt"

	"github.com/kshop-dev/kshop/alimtalk/internal/hooks"
)

// TemplateSource finds templates by code, for rendering and matching. A provider's template
// list, a TemplateSet, or a cache in front of either can serve. Implementations must be safe
// for concurrent use; the returned Template must not be modified by the caller.
type TemplateSource interface {
	Template(code string) (*Template, bool)
}

// TemplateSet is a TemplateSource held in memory, keyed by template code.
type TemplateSet map[string]*Template

// NewTemplateSet returns a set holding copies of templates, keyed by their codes. A later
// template with the same code replaces an earlier one.
func NewTemplateSet(templates ...Template) TemplateSet {
	s := make(TemplateSet, len(templates))
	for i := range templates {
		t := templates[i]
		t.compiled = compilePattern(t.Content)
		t.compiledLinks = compileLinks(t.Buttons)
		s[t.Code] = &t
	}
	return s
}

// Template returns the template with code.
func (s TemplateSet) Template(code string) (*Template, bool) {
	t, ok := s[code]
	return t, ok && t != nil
}

// batch is a list of messages split into those ready to send and those that failed
// validation (prepareBatch). The dispatcher and, through package provider, every Sender use
// it, so that validation and the merging of a provider's answers work the same everywhere.
type batch struct {
	// ready are the prepared messages that passed validation, in input order.
	ready []Message
	// positions[i] is the index in the input of ready[i].
	positions []int
	// results holds a Result for every input message; invalid ones are final.
	results []Result
}

// prepareBatch prepares every message (Message.Prepare) with its template from src (src may
// be nil: then every message must carry its Text). A message that fails becomes a Result
// with StatusInvalid and FieldErrors; the others go on. A template code that src does not
// know is an error only when the message has no Text to send. Two messages with the same
// non-empty Ref are refused after the first (ReasonDuplicate on "Ref"): Refs are the
// reconciliation keys and must be unique.
func prepareBatch(msgs []Message, src TemplateSource, lim Limits) *batch {
	prep := NewPreparer(lim)
	// Sized once: appending would copy the prepared messages again at every growth.
	b := &batch{results: make([]Result, len(msgs)), ready: make([]Message, 0, len(msgs)), positions: make([]int, 0, len(msgs))}
	var seen map[string]struct{} // made at the first Ref

	for i, m := range msgs {
		var tpl *Template
		var err error
		if src != nil && m.TemplateCode != "" {
			if t, ok := src.Template(m.TemplateCode); ok {
				tpl = t
			} else if m.Text == "" {
				err = FieldErrors{{Key: "template_code", Reason: ReasonInvalid,
					Detail: "unknown template: give the text or register the template"}}.err()
			}
		}
		var prepared Message
		if err == nil {
			prepared, err = prep.Prepare(m, tpl)
		}
		if err == nil && m.Ref != "" {
			if _, dup := seen[m.Ref]; dup {
				err = FieldErrors{{Key: "ref", Reason: ReasonDuplicate,
					Detail: "another message in the batch has the same ref"}}.err()
			} else if i < len(msgs)-1 { // no later message to compare with the last one
				if seen == nil {
					seen = make(map[string]struct{}, len(msgs)-i)
				}
				seen[m.Ref] = struct{}{}
			}
		}
		if err != nil {
			b.results[i] = Result{Ref: m.Ref, To: recipientDigits(m.To), Status: StatusInvalid, Err: err}
			continue
		}
		b.results[i] = Result{Ref: prepared.Ref, To: prepared.To, ScheduledAt: prepared.ScheduledAt}
		b.ready = append(b.ready, prepared)
		b.positions = append(b.positions, i)
	}
	return b
}

// recipientDigits returns the normalized mobile number, or "" when it is not one.
func recipientDigits(to string) string {
	d, fe := normalizeRecipient(to)
	if fe != nil {
		return ""
	}
	return d
}

// pending returns one Result per original message: the invalid ones final, the ready ones
// StatusNotSent (nothing was sent yet).
func (b *batch) pending() []Result {
	out := make([]Result, len(b.results))
	copy(out, b.results)
	for _, p := range b.positions {
		out[p].Status = StatusNotSent
		out[p].Err = errNothingSent
	}
	return out
}

var errNothingSent = errors.New("alimtalk: not sent")

// outcomeUnknown reports whether err says the message may have gone out: it wraps
// ErrOutcomeUnknown, or an error in its chain reports OutcomeUnknown() (kshop.APIError).
func outcomeUnknown(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrOutcomeUnknown) {
		return true
	}
	var u interface{ OutcomeUnknown() bool }
	return errors.As(err, &u) && u.OutcomeUnknown()
}

// alignResults returns one Result per message of msgs from a provider's answer: sent[i] is
// the Result of msgs[i], with its empty Ref, To and ScheduledAt filled from the message. When
// err is not nil and sent is empty, every message gets err with StatusUnknown if err says the
// outcome is unknown and StatusNotSent otherwise. A message without a Result (sent too short)
// is StatusUnknown: the provider took the batch but did not say what became of it. Extra
// Results are ignored. A Result marked rejected, invalid or not sent whose Err says the
// outcome is unknown becomes StatusUnknown: a provider that misclassifies a timeout must not
// make a caller send the message again.
func alignResults(msgs []Message, sent []Result, err error) []Result {
	callStatus := StatusNotSent
	if outcomeUnknown(err) {
		callStatus = StatusUnknown
	}
	out := make([]Result, len(msgs))
	for j, m := range msgs {
		var r Result
		switch {
		case j < len(sent):
			r = sent[j]
		case err != nil && len(sent) == 0:
			r = Result{Status: callStatus, Err: err}
		default:
			r = Result{Status: StatusUnknown,
				Err: fmt.Errorf("%w: the provider returned no result for this message", ErrOutcomeUnknown)}
		}
		out[j] = alignResult(m, r)
	}
	return out
}

// alignResult is r, a provider's Result for the prepared message m, with its empty Ref, To and
// ScheduledAt filled from m, and StatusUnknown when r says the message is safe to send again
// but its Err says the outcome is unknown.
func alignResult(m Message, r Result) Result {
	if r.Status.SafeToRetry() && outcomeUnknown(r.Err) {
		r.Status = StatusUnknown
	}
	if r.Ref == "" {
		r.Ref = m.Ref
	}
	if r.To == "" {
		r.To = m.To
	}
	if r.ScheduledAt.IsZero() {
		r.ScheduledAt = m.ScheduledAt
	}
	return r
}

func init() {
	// Package provider exposes the batch to Sender implementers without making it part of
	// this package's API.
	hooks.PrepareBatch = func(msgs []Message, src TemplateSource, lim Limits) ([]Message, []int, []Result) {
		b := prepareBatch(msgs, src, lim)
		return b.ready, b.positions, b.results
	}
	hooks.AlignResults = alignResults
	hooks.AlignResult = alignResult
	hooks.OutcomeUnknown = outcomeUnknown
}
