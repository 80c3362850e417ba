package ssoda

import (
	"context"
	"strings"
	"time"

	"github.com/kshop-dev/kshop/internal/phone"
)

// Reconcile defaults.
const (
	DefaultReconcileWindow   = 10 * time.Minute
	DefaultReconcileInterval = 1500 * time.Millisecond // what the working relay waits between polls
	MaxReconcileAttempts     = 20
)

// ReconcileRequest describes a message whose send ended with ErrOutcomeUnknown.
type ReconcileRequest struct {
	// Kind is AlimTalk (default) or FriendTalk.
	Kind Kind
	// Phone is the recipient (any common form). Required.
	Phone string
	// SentAt is when the send was attempted. Required.
	SentAt time.Time
	// Window is how far from SentAt a row may lie (default 10 minutes); the list is asked for
	// the KST days the window covers.
	Window time.Duration
	// MessageID, when known, matches a row exactly.
	MessageID string
	// Text, when given, must equal the row's msg_body (ignoring surrounding spaces): the
	// rendered text of the message (alimtalk.Message.Text after preparation).
	Text string
	// TemplateCode, when given, must equal the row's template_code where rows carry one.
	TemplateCode string
	// Reserved searches the reserved list instead of the sent list (for a reservation whose
	// send ended unknown).
	Reserved bool
	// Attempts is how many times the list is read before giving up (default 1; the working
	// relay polls 6 times).
	Attempts int
	// Interval is the wait between reads (default 1.5 s); it ends early with the context.
	Interval time.Duration
}

// Reconciliation is what Reconcile found.
type Reconciliation struct {
	// Found is true when a matching row exists: Ssoda took the message. Do not send it again.
	Found bool
	// Record is the matching row (the closest to SentAt when several match); its Status says
	// where delivery stands (pending, succeeded, failed with FailoverText, …).
	Record MessageRecord
	// Candidates is how many rows matched; more than one means the phone received several
	// similar messages in the window (give Text or MessageID to tell them apart).
	Candidates int
	// Attempts is how many times the list was read.
	Attempts int
}

// Reconcile finds the fate of a message whose send returned ErrOutcomeUnknown, by listing the
// recipient's messages in a time window (History.AllAlimTalk with where=dest_phone, or the
// FriendTalk or reserved lists) and matching MessageID, Text and the time.
//
// "Not found" right after a send can mean "not yet listed": Ssoda may list a message only
// after it has been handed on. Poll with Attempts and Interval (the working relay reads the
// list 6 times, 1.5 s apart) before concluding that the message was not taken; only then is
// sending it again safe. Found means it was taken, whatever its delivery status.
func (c *Client) Reconcile(ctx context.Context, req ReconcileRequest) (*Reconciliation, error) {
	const call = "Reconcile"
	num, err := phone.Parse(req.Phone)
	if err != nil {
		return nil, &ValidationError{Call: call, Field: "Phone", Reason: "not a valid phone number", Err: err}
	}
	if req.SentAt.IsZero() {
		return nil, invalid(call, "SentAt", "required")
	}
	window, attempts, interval := req.Window, req.Attempts, req.Interval
	if window == 0 {
		window = DefaultReconcileWindow
	}
	if attempts == 0 {
		attempts = 1
	}
	if interval == 0 {
		interval = DefaultReconcileInterval
	}
	switch {
	case window < 0:
		return nil, invalid(call, "Window", "must not be negative")
	case attempts < 1 || attempts > MaxReconcileAttempts:
		return nil, invalid(call, "Attempts", "must be 1 to 20")
	case interval < 0:
		return nil, invalid(call, "Interval", "must not be negative")
	}
	path, listCall := c.s.paths.AlimTalkSentList, "History.AlimTalk"
	switch {
	case req.Kind == FriendTalk && req.Reserved:
		path, listCall = c.s.paths.FriendTalkReservedList, "Reservations.FriendTalk"
	case req.Kind == FriendTalk:
		path, listCall = c.s.paths.FriendTalkSentList, "History.FriendTalk"
	case req.Reserved:
		path, listCall = c.s.paths.AlimTalkReservedList, "Reservations.AlimTalk"
	case req.Kind != 0 && req.Kind != AlimTalk:
		return nil, invalid(call, "Kind", "must be AlimTalk or FriendTalk")
	}
	list := ListRequest{
		Where: SearchRecipient, Keyword: num.Digits(),
		From: req.SentAt.Add(-window), To: req.SentAt.Add(window), Limit: DefaultListLimit,
	}
	out := &Reconciliation{}
	for attempt := 1; attempt <= attempts; attempt++ {
		if attempt > 1 {
			if err := sleepCtx(ctx, interval); err != nil {
				return out, err
			}
		}
		out.Attempts = attempt
		best, n, err := c.findRecord(ctx, listCall, path, list, req, num.Digits(), window)
		if err != nil {
			return out, err
		}
		if n > 0 {
			out.Found, out.Record, out.Candidates = true, best, n
			return out, nil
		}
	}
	return out, nil
}

// findRecord reads every page of the list and returns the best matching row and the number of
// matches. A MessageID match wins outright.
func (c *Client) findRecord(ctx context.Context, call, path string, list ListRequest, req ReconcileRequest, digits string, window time.Duration) (MessageRecord, int, error) {
	var best MessageRecord
	bestDist := time.Duration(-1)
	n := 0
	wantText := strings.TrimSpace(req.Text)
	for r, err := range c.allRecords(ctx, call, path, list) {
		if err != nil {
			return MessageRecord{}, 0, err
		}
		if req.MessageID != "" && r.MessageID == req.MessageID {
			return r, 1, nil
		}
		if d, err := phone.Normalize(r.To); err == nil && d != digits {
			continue
		}
		dist := time.Duration(0)
		if !r.Time.IsZero() {
			dist = r.Time.Sub(req.SentAt)
			if dist < 0 {
				dist = -dist
			}
			if dist > window {
				continue
			}
		}
		if wantText != "" && r.Text != "" && strings.TrimSpace(r.Text) != wantText {
			continue
		}
		if req.TemplateCode != "" && r.TemplateCode != "" && r.TemplateCode != req.TemplateCode {
			continue
		}
		n++
		if bestDist < 0 || dist < bestDist {
			best, bestDist = r, dist
		}
	}
	return best, n, nil
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
