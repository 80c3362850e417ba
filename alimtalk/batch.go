package alimtalk

import (
	"errors"
	"fmt"
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
		s[t.Code] = &t
	}
	return s
}

// Template returns the template with code.
func (s TemplateSet) Template(code string) (*Template, bool) {
	t, ok := s[code]
	return t, ok && t != nil
}

// Batch is a list of messages split into those ready to send and those that failed
// validation, built by PrepareBatch. A vendor Sender sends Ready and hands the provider's
// answers to Complete, which returns one Result per original message in the original order:
//
//	b := alimtalk.PrepareBatch(msgs, c.templates, c.limits)
//	if len(b.Ready) == 0 {
//		return b.Results(), nil
//	}
//	sent, err := c.send(ctx, b.Ready) // one Result per b.Ready[i], or an error for the call
//	return b.Complete(sent, err)
type Batch struct {
	// Ready are the prepared messages (see Message.Prepare) that passed validation, in input
	// order.
	Ready []Message
	// positions[i] is the index in the input of Ready[i].
	positions []int
	// results holds a Result for every input message; invalid ones are final.
	results []Result
}

// PrepareBatch prepares every message (Message.Prepare) with its template from src (src may
// be nil: then every message must carry its Text). A message that fails becomes a Result
// with StatusInvalid and FieldErrors; the others go on. A template code that src does not
// know is an error only when the message has no Text to send. Two messages with the same
// non-empty Ref are refused after the first (ReasonDuplicate on "ref"): Refs are the
// reconciliation keys and must be unique.
func PrepareBatch(msgs []Message, src TemplateSource, lim Limits) *Batch {
	lim = lim.withDefaults()
	b := &Batch{results: make([]Result, len(msgs))}
	seen := make(map[string]struct{}, len(msgs))
	for i, m := range msgs {
		var tpl *Template
		var err error
		if src != nil && m.TemplateCode != "" {
			if t, ok := src.Template(m.TemplateCode); ok {
				tpl = t
			} else if m.Text == "" {
				err = FieldErrors{{Field: "template_code", Reason: ReasonInvalid,
					Detail: "unknown template: give the text or register the template"}}
			}
		}
		var prepared Message
		if err == nil {
			prepared, err = m.Prepare(tpl, lim)
		}
		if err == nil && m.Ref != "" {
			if _, dup := seen[m.Ref]; dup {
				err = FieldErrors{{Field: "ref", Reason: ReasonDuplicate,
					Detail: "another message in the batch has the same ref"}}
			}
			seen[m.Ref] = struct{}{}
		}
		if err != nil {
			b.results[i] = Result{Ref: m.Ref, To: recipientDigits(m.To), Status: StatusInvalid, Err: err}
			continue
		}
		b.results[i] = Result{Ref: prepared.Ref, To: prepared.To, ScheduledAt: prepared.ScheduledAt}
		b.Ready = append(b.Ready, prepared)
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

// Position returns the index in the original list of b.Ready[i].
func (b *Batch) Position(i int) int { return b.positions[i] }

// Invalid returns how many messages failed validation.
func (b *Batch) Invalid() int { return len(b.results) - len(b.Ready) }

// Results returns one Result per original message: the invalid ones final, the ready ones
// StatusNotSent (nothing was sent yet). Use it when nothing is left to send.
func (b *Batch) Results() []Result {
	out := make([]Result, len(b.results))
	copy(out, b.results)
	for _, p := range b.positions {
		out[p].Status = StatusNotSent
		out[p].Err = errNothingSent
	}
	return out
}

var errNothingSent = errors.New("alimtalk: not sent")

// Complete merges the provider's answer for b.Ready into one Result per original message, in
// the original order, and returns err unchanged.
//
// sent[i] is the Result of b.Ready[i]; its empty Ref, To and ScheduledAt are filled from the
// message. When err is not nil and sent is empty, every ready message gets err with
// StatusUnknown if err wraps ErrOutcomeUnknown (it may have been sent) and StatusNotSent
// otherwise. A ready message without a Result (sent too short) is StatusUnknown, with an
// error wrapping ErrOutcomeUnknown: the provider took the batch but did not say what became
// of it. Extra Results are ignored.
func (b *Batch) Complete(sent []Result, err error) ([]Result, error) {
	out := make([]Result, len(b.results))
	copy(out, b.results)
	for j, r := range alignResults(b.Ready, sent, err) {
		out[b.positions[j]] = r
	}
	return out, err
}

// alignResults returns one Result per message of msgs from a provider's answer (see
// Batch.Complete for the rules).
func alignResults(msgs []Message, sent []Result, err error) []Result {
	callStatus := StatusNotSent
	if err != nil && errors.Is(err, ErrOutcomeUnknown) {
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
		if r.Ref == "" {
			r.Ref = m.Ref
		}
		if r.To == "" {
			r.To = m.To
		}
		if r.ScheduledAt.IsZero() {
			r.ScheduledAt = m.ScheduledAt
		}
		out[j] = r
	}
	return out
}

// TemplateGroup is a set of messages sharing a sender key and a template code.
type TemplateGroup struct {
	// SenderKey and TemplateCode are what the group's messages share.
	SenderKey    string
	TemplateCode string
	// Indexes are positions in the list given to SplitByTemplate, in order.
	Indexes []int
}

// SplitByTemplate groups msgs by (SenderKey, TemplateCode), in order of first appearance,
// for providers whose requests carry one template each (Lunasoft's template_id, NHN's
// templateCode).
func SplitByTemplate(msgs []Message) []TemplateGroup {
	type key struct{ sender, code string }
	index := make(map[key]int)
	var groups []TemplateGroup
	for i, m := range msgs {
		k := key{m.SenderKey, m.TemplateCode}
		g, ok := index[k]
		if !ok {
			g = len(groups)
			index[k] = g
			groups = append(groups, TemplateGroup{SenderKey: m.SenderKey, TemplateCode: m.TemplateCode})
		}
		groups[g].Indexes = append(groups[g].Indexes, i)
	}
	return groups
}
