package provider

import (
	"errors"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/internal/hooks"
)

// Batch is a list of messages split into those ready to send and those that failed
// validation, built by PrepareBatch. A Sender sends Ready and hands the provider's answers to
// Complete, which returns one Result per original message in the original order.
type Batch struct {
	// Ready are the prepared messages (see alimtalk.Message.Prepare) that passed validation,
	// in input order.
	Ready []alimtalk.Message
	// positions[i] is the index in the input of Ready[i].
	positions []int
	// results holds a Result for every input message; invalid ones are final.
	results []alimtalk.Result
}

var (
	prepareBatch   = hooks.PrepareBatch.(func([]alimtalk.Message, alimtalk.TemplateSource, alimtalk.Limits) ([]alimtalk.Message, []int, []alimtalk.Result))
	alignResults   = hooks.AlignResults.(func([]alimtalk.Message, []alimtalk.Result, error) []alimtalk.Result)
	alignResult    = hooks.AlignResult.(func(alimtalk.Message, alimtalk.Result) alimtalk.Result)
	outcomeUnknown = hooks.OutcomeUnknown.(func(error) bool)
)

// PrepareBatch prepares every message (alimtalk.Message.Prepare) with its template from src
// (src may be nil: then every message must carry its Text), with the limits lim (zero fields
// take alimtalk.DefaultLimits). A message that fails becomes a Result with StatusInvalid and
// alimtalk.FieldErrors; the others go on. A template code that src does not know is an error
// only when the message has no Text to send. Two messages with the same non-empty Ref are
// refused after the first (ReasonDuplicate on "Ref"): Refs are the reconciliation keys and
// must be unique.
func PrepareBatch(msgs []alimtalk.Message, src alimtalk.TemplateSource, lim alimtalk.Limits) *Batch {
	ready, positions, results := prepareBatch(msgs, src, lim)
	return &Batch{Ready: ready, positions: positions, results: results}
}

// Position returns the index in the original list of b.Ready[i].
func (b *Batch) Position(i int) int { return b.positions[i] }

// Invalid returns how many messages failed validation.
func (b *Batch) Invalid() int { return len(b.results) - len(b.Ready) }

// errNothingSent is the Err of ready messages in Results: the Sender stopped before sending.
var errNothingSent = errors.New("alimtalk: not sent")

// Results returns one Result per original message: the invalid ones final, the ready ones
// StatusNotSent (nothing was sent yet). Use it when nothing is left to send.
func (b *Batch) Results() []alimtalk.Result {
	out := make([]alimtalk.Result, len(b.results))
	copy(out, b.results)
	for _, p := range b.positions {
		out[p].Status = alimtalk.StatusNotSent
		out[p].Err = errNothingSent
	}
	return out
}

// Complete merges the provider's answer for b.Ready into one Result per original message, in
// the original order, and returns err unchanged.
//
// sent[i] is the Result of b.Ready[i]; its empty Ref, To and ScheduledAt are filled from the
// message. When err is not nil and sent is empty, every ready message gets err with
// StatusUnknown if err wraps kshop.ErrOutcomeUnknown (it may have been sent) and
// StatusNotSent otherwise. A ready message without a Result (sent too short) is
// StatusUnknown, with an error wrapping kshop.ErrOutcomeUnknown: the provider took the batch
// but did not say what became of it. A Result marked rejected, invalid or not sent whose Err
// says the outcome is unknown becomes StatusUnknown. Extra Results are ignored.
func (b *Batch) Complete(sent []alimtalk.Result, err error) ([]alimtalk.Result, error) {
	out := make([]alimtalk.Result, len(b.results))
	copy(out, b.results)
	for j, r := range alignResults(b.Ready, sent, err) {
		out[b.positions[j]] = r
	}
	return out, err
}

// CompleteOne returns the Result of the ready message b.Ready[i] from r, the provider's
// answer for it, exactly as Complete gives it in its list: r's empty Ref, To and ScheduledAt
// filled from the message, and StatusUnknown when r is marked rejected, invalid or not sent
// but its Err says the outcome is unknown. Together with InvalidInto it lets a Sender that
// sends messages one by one write each final Result in place, without the lists Complete
// builds.
func (b *Batch) CompleteOne(i int, r alimtalk.Result) alimtalk.Result {
	return alignResult(b.Ready[i], r)
}

// InvalidInto writes the final Result of every message that failed validation into dst at its
// index in the original list, and leaves the other elements of dst as they are. dst should be
// as long as that list (a shorter one gets the Results that fit); InvalidInto returns how many
// it wrote.
func (b *Batch) InvalidInto(dst []alimtalk.Result) int {
	written, next := 0, 0
	for i := range min(len(dst), len(b.results)) {
		if next < len(b.positions) && b.positions[next] == i {
			next++
			continue
		}
		dst[i] = b.results[i]
		written++
	}
	return written
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
// for providers whose requests carry one template each (such as NHN's templateCode).
func SplitByTemplate(msgs []alimtalk.Message) []TemplateGroup {
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
