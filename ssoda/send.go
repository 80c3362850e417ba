package ssoda

import (
	"context"
	"errors"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/provider"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Send sends AlimTalk messages through POST /kakao/send/alimtalk (confirmed), one request per
// message (Ssoda takes one recipient per call), at most WithConcurrency (default 4) at a time.
// It implements alimtalk.Sender.
//
// Every message is prepared first (provider.PrepareBatch): the phone normalized to digits, the
// text rendered from the template given with WithTemplates (or matched against it), the
// title and buttons filled, the failover resolved; Ssoda's template-code rule (5–30 of
// [A-Za-z0-9_-]) and the sender key are checked too. A message that fails alone gets
// StatusInvalid and is never sent; the others go on.
//
// The request carries sender_key, template_code, dest_phone, msg_body and, when present,
// button [{name, type, url_mobile, url_pc}] (confirmed; the app-link schemes are inferred),
// failover {use: "Y", msg_body} (confirmed) with subject and send_phone (inferred), the
// emphasis title (inferred) and the reservation send_time "yyyy-MM-dd HH:mm:ss" KST
// (inferred from the SMS API). Field names marked inferred can be changed with WithFieldNames.
//
// Results come back one per message, in order, each with the message's Ref, To, the rendered
// Text and SentAt (when its request went out): Accepted (Reserved when ScheduledAt was set or
// Ssoda answered reserv "Y") with MessageID from content.sent_messages[0].msg_id; Rejected with
// the *APIError when Ssoda refused the message; Unknown when the request may have reached
// Ssoda but no conclusive answer came — a timeout, a reset, a 5xx (whether or not ctx ended at
// the same moment), an answer that cannot be read as a plain success or refusal — its Err
// wraps ErrOutcomeUnknown: call ReconcileResult with the Result, never send it again blindly;
// NotSent when it certainly never arrived. A send is never retried after its request may have
// been written.
//
// The error is non-nil only when the whole call stopped: when Ssoda refused the API key,
// token or server IP (every later message would be refused too, so the rest are not sent and
// get StatusNotSent; the error matches ErrUnauthorized or ErrIPNotAllowed), or when ctx ended
// before every message was started (those get StatusNotSent; in-flight ones keep the
// transport's verdict).
func (c *Client) Send(ctx context.Context, msgs []alimtalk.Message) ([]alimtalk.Result, error) {
	if err := wire.CheckContext(ctx, "ssoda.Send"); err != nil {
		return nil, err
	}
	if c.cache != nil {
		codes := make([]string, len(msgs))
		for i := range msgs {
			codes[i] = msgs[i].TemplateCode
		}
		c.cache.ensure(ctx, codes)
	}
	b := provider.PrepareBatch(msgs, c.s.templates, c.limits)
	if len(b.Ready) == 0 {
		return b.Results(), nil
	}
	sent, err := c.sendPrepared(ctx, b.Ready)
	return b.Complete(sent, err)
}

// sendPrepared sends prepared messages and returns one Result per message.
func (c *Client) sendPrepared(ctx context.Context, msgs []alimtalk.Message) ([]alimtalk.Result, error) {
	results := make([]alimtalk.Result, len(msgs))
	bodies := make([]*object, len(msgs))
	todo := make([]int, 0, len(msgs))
	for i, m := range msgs {
		results[i] = alimtalk.Result{Ref: m.Ref, To: m.To, ScheduledAt: m.ScheduledAt}
		body, err := c.alimTalkBody(m)
		if err != nil {
			results[i].Status, results[i].Err = alimtalk.StatusInvalid, err
			continue
		}
		results[i].Text = m.Text
		bodies[i] = body
		todo = append(todo, i)
	}
	path := c.s.paths.SendAlimTalk
	err := c.fanOut(ctx, todo, results, func(ctx context.Context, i int) (alimtalk.Result, error) {
		return c.postMessage(ctx, "Send", path, bodies[i], !msgs[i].ScheduledAt.IsZero())
	})
	return results, err
}

// alimTalkBody builds the send request of one prepared message, after the checks Prepare does
// not make: Ssoda's template-code rule and the sender key.
func (c *Client) alimTalkBody(m alimtalk.Message) (*object, error) {
	var errs alimtalk.FieldErrors
	if err := c.limits.ValidateTemplateCode(m.TemplateCode); err != nil {
		errs = appendFieldErrors(errs, "TemplateCode", "template_code", err)
	}
	senderKey := m.SenderKey
	if senderKey == "" {
		senderKey = c.creds.SenderKey
	}
	if fe := c.messageSenderKey(senderKey, "set Message.SenderKey or Credentials.SenderKey"); fe != nil {
		errs = append(errs, fe)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	f := c.s.fields
	o := c.newBody(9)
	o.str("sender_key", senderKey)
	o.str("template_code", m.TemplateCode)
	o.str("dest_phone", m.To)
	o.str("msg_body", m.Text)
	o.optStr(f.Title, m.Title)
	if len(m.Buttons) > 0 {
		o.array("button", c.buttons(m.Buttons))
	}
	if m.Failover != nil {
		o.obj("failover", c.failover(m.Failover))
	}
	if !m.ScheduledAt.IsZero() {
		o.str(f.SendTime, wire.FormatKST(m.ScheduledAt, wire.LayoutDateTime))
	}
	return o, nil
}

// messageSenderKey checks the sender key of one message (or FriendTalk) as an alimtalk field
// error, which stays in that message's Result.
func (c *Client) messageSenderKey(key, fix string) *alimtalk.FieldError {
	if key == "" {
		return &alimtalk.FieldError{Field: "SenderKey", Key: "sender_key", Reason: alimtalk.ReasonRequired, Detail: fix}
	}
	ch := newChecker("Send")
	c.checkSenderKey(ch, "SenderKey", key)
	if len(ch.problems) == 0 {
		return nil
	}
	p := ch.problems[0]
	return &alimtalk.FieldError{Field: "SenderKey", Key: "sender_key", Reason: alimtalk.ReasonInvalid, Limit: p.Limit, Got: p.Got,
		Detail: string(p.Rule)}
}

// appendFieldErrors appends err's alimtalk field errors, found with errors.As so that wrapping
// never hides them; an error of another type becomes a field error on field.
func appendFieldErrors(errs alimtalk.FieldErrors, field, key string, err error) alimtalk.FieldErrors {
	var list alimtalk.FieldErrors
	var one *alimtalk.FieldError
	switch {
	case err == nil:
	case errors.As(err, &list):
		errs = append(errs, list...)
	case errors.As(err, &one):
		errs = append(errs, one)
	default:
		errs = append(errs, &alimtalk.FieldError{Field: field, Key: key, Reason: alimtalk.ReasonInvalid, Err: err})
	}
	return errs
}

// buttons maps alimtalk buttons onto Ssoda's send schema {name, type, url_mobile, url_pc}
// (confirmed), plus the app-link schemes (inferred names). Ssoda uses Kakao's two-letter
// types ("WL"), the same codes as alimtalk.ButtonType. Plugin, form and phone fields of
// P1–P3, BF and TN buttons have no known Ssoda name and are not sent.
func (c *Client) buttons(bs []alimtalk.Button) []*object {
	f := c.s.fields
	out := make([]*object, len(bs))
	for i, b := range bs {
		o := newObject(6)
		o.str("name", b.Name)
		o.str("type", string(b.Type))
		o.optStr("url_mobile", b.URLMobile)
		o.optStr("url_pc", b.URLPC)
		o.optStr(f.ButtonSchemeAndroid, b.SchemeAndroid)
		o.optStr(f.ButtonSchemeIOS, b.SchemeIOS)
		out[i] = o
	}
	return out
}

// failover maps a resolved failover onto {use: "Y", msg_body} (confirmed) with subject,
// send_phone and the message type (inferred names).
func (c *Client) failover(fo *alimtalk.Failover) *object {
	f := c.s.fields
	o := newObject(5)
	o.str("use", "Y")
	o.str("msg_body", fo.Content)
	if fo.Kind == alimtalk.FailoverLMS {
		o.optStr(f.FailoverSubject, fo.Subject)
	}
	o.optStr(f.FailoverFrom, fo.From)
	switch fo.Kind {
	case alimtalk.FailoverSMS:
		o.str(f.FailoverKind, "sms")
	case alimtalk.FailoverLMS:
		o.str(f.FailoverKind, "lms")
	}
	return o
}
