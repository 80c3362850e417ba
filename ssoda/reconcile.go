package ssoda

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/phone"
	"github.com/kshop-dev/kshop/internal/transport"
	"github.com/kshop-dev/kshop/internal/wire"
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
// FriendTalk or reserved lists) and matching MessageID, Text and the time. ReconcileResult does
// the same from a send's Result in one call.
//
// Found false with a nil error means that every page Ssoda answered held its list, and no row
// matched. An answer without the list (an empty object, a maintenance notice, content null, a
// list of the wrong type, rows that are not objects) is never read as "not found": it is a
// *ResponseError wrapping ErrBadResponse and ErrOutcomeUnknown, and sending again is not safe.
//
// "Not found" right after a send can mean "not yet listed": Ssoda may list a message only
// after it has been handed on. Poll with Attempts and Interval (the working relay reads the
// list 6 times, 1.5 s apart) before concluding that the message was not taken; only then is
// sending it again safe. Found means it was taken, whatever its delivery status.
func (c *Client) Reconcile(ctx context.Context, req ReconcileRequest) (*Reconciliation, error) {
	return c.reconcile(ctx, "Reconcile", req)
}

// ReconcileResult is Reconcile for the Result of an AlimTalk send that ended StatusUnknown: it
// searches for the message by the Result's To, SentAt, Text and MessageID (and the reserved
// list when ScheduledAt is still ahead), reading the list once. Call it again after a moment,
// or Reconcile with Attempts, when it is not found right after the send.
func (c *Client) ReconcileResult(ctx context.Context, r alimtalk.Result) (*Reconciliation, error) {
	const call = "ReconcileResult"
	if err := wire.CheckContext(ctx, "ssoda."+call); err != nil {
		return nil, err
	}
	req := ReconcileRequest{Phone: r.To, SentAt: r.SentAt, MessageID: r.MessageID, Text: r.Text}
	if !r.ScheduledAt.IsZero() {
		if r.ScheduledAt.After(c.s.now()) {
			req.Reserved = true
		} else {
			req.SentAt = r.ScheduledAt
		}
	}
	if r.SentAt.IsZero() {
		return nil, invalid(call, "Result.SentAt", kshop.RuleRequired,
			"only the Result of a message whose request went out can be reconciled")
	}
	return c.reconcile(ctx, call, req)
}

func (c *Client) reconcile(ctx context.Context, call string, req ReconcileRequest) (*Reconciliation, error) {
	if err := wire.CheckContext(ctx, "ssoda."+call); err != nil {
		return nil, err
	}
	ch := newChecker(call)
	num, err := phone.Parse(req.Phone)
	if err != nil {
		ch.add(&kshop.FieldError{Field: "Phone", Key: "keyword", Rule: kshop.RuleFormat, Detail: "not a valid phone number", Err: err})
	}
	if req.SentAt.IsZero() {
		ch.problem("SentAt", "", kshop.RuleRequired, "")
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
	if window < 0 || window > 24*time.Hour {
		ch.problem("Window", "", kshop.RuleRange, "must be 0 to 24 hours")
	}
	if attempts < 1 || attempts > MaxReconcileAttempts {
		ch.add(&kshop.FieldError{Field: "Attempts", Rule: kshop.RuleRange, Limit: MaxReconcileAttempts, Detail: "must be 1 to 20"})
	}
	if interval < 0 {
		ch.problem("Interval", "", kshop.RuleRange, "must not be negative")
	}
	ch.ident("MessageID", "msg_id", req.MessageID, false, MaxMessageIDLength)
	ch.ident("TemplateCode", "template_code", req.TemplateCode, false, 64)
	ch.text("Text", "msg_body", req.Text, "\n\r\t")
	path, listCall := c.s.paths.AlimTalkSentList, "History.AlimTalk"
	switch {
	case req.Kind == FriendTalk && req.Reserved:
		path, listCall = c.s.paths.FriendTalkReservedList, "Reservations.FriendTalk"
	case req.Kind == FriendTalk:
		path, listCall = c.s.paths.FriendTalkSentList, "History.FriendTalk"
	case req.Kind != 0 && req.Kind != AlimTalk:
		ch.problem("Kind", "", kshop.RuleNotAllowed, "must be AlimTalk or FriendTalk")
	case req.Reserved:
		path, listCall = c.s.paths.AlimTalkReservedList, "Reservations.AlimTalk"
	}
	if err := ch.err(); err != nil {
		return nil, err
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
		best, n, err := c.findRecord(ctx, call, listCall, path, list, req, num.Digits(), window)
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

// strictRecords iterates over every page of a list for reconciliation, refusing any page that
// does not hold the documented list (see listedRows).
func (c *Client) strictRecords(ctx context.Context, op, listCall, path string, req ListRequest) iter.Seq2[MessageRecord, error] {
	return paginate(ctx, op, req.Limit, func(ctx context.Context, page int) ([]MessageRecord, error) {
		r := req
		r.Page = page
		body, _, _, err := c.listBody(listCall, r)
		if err != nil {
			return nil, err
		}
		a, err := c.post(ctx, listCall, path, transport.Idempotent, body)
		var re *ResponseError
		if errors.As(err, &re) {
			// An answer that could not be understood says nothing about the message: its fate
			// stays unknown.
			cp := *re
			cp.Op, cp.outcomeUnknown = op, true
			return nil, &cp
		}
		if err != nil {
			return nil, err
		}
		rows, problem := listedRows(a)
		if problem != "" {
			return nil, c.badAnswer(op, a.status, nil, a.raw, problem, true, nil)
		}
		out := make([]MessageRecord, len(rows))
		for i, raw := range rows {
			out[i], _ = decodeRecord(raw)
		}
		return out, nil
	}, func(r MessageRecord) string { return string(r.Raw) })
}

// listKeys are where a list answer may keep its rows: the confirmed top-level result[], and a
// few likely others, at the top level or inside content or data.
var listKeys = []string{"result", "list", "rows", "sent_list", "messages", "data"}

// listedRows returns the rows of a list answer only when the answer holds a list: the first
// list field present (at the top level, then inside content or data) must be an array of
// objects, in an answer whose code is "200". Any other shape — no list field at all, a list field of another type (null
// included), a row that is not an object — is a problem: it cannot mean "no such message".
func listedRows(a *answer) ([]json.RawMessage, string) {
	// Only an answer that says success in Ssoda's own words can hold a trustworthy list:
	// without code "200" (absent, null, or an error text beside it) an empty list proves
	// nothing.
	if !a.hasCode || !a.code.Is("200") || a.message != "" {
		return nil, "no success code beside the list"
	}
	places := []wire.Object{a.root}
	for _, wrapper := range []string{"content", "data"} {
		if inner, ok := wire.ParseObject(a.root[wrapper]); ok {
			places = append(places, inner)
		}
	}
	for _, o := range places {
		for _, k := range listKeys {
			raw, present := o[k]
			if !present {
				continue
			}
			if _, isObject := wire.ParseObject(raw); isObject && k == "data" {
				continue // a wrapper, searched next
			}
			rows, ok := wire.ParseArray(raw)
			if !ok {
				return nil, "the list field " + strconv.Quote(k) + " is not a list"
			}
			for _, row := range rows {
				if _, ok := wire.ParseObject(row); !ok {
					return nil, "a row of the list is not an object"
				}
			}
			return rows, ""
		}
	}
	if rows, ok := wire.ParseArray(a.root["content"]); ok {
		for _, row := range rows {
			if _, ok := wire.ParseObject(row); !ok {
				return nil, "a row of the list is not an object"
			}
		}
		return rows, ""
	}
	return nil, "no list in the answer"
}

// findRecord reads every page of the list and returns the best matching row and the number of
// matches. A MessageID match wins outright.
func (c *Client) findRecord(ctx context.Context, op, listCall, path string, list ListRequest, req ReconcileRequest, digits string, window time.Duration) (MessageRecord, int, error) {
	var best MessageRecord
	bestDist := time.Duration(-1)
	n := 0
	wantText := strings.TrimSpace(req.Text)
	for r, err := range c.strictRecords(ctx, op, listCall, path, list) {
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
