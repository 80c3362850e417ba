package ssoda

import (
	"context"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/phone"
	"github.com/kshop-dev/kshop/internal/wire"
)

// FriendTalk text limits (Kakao's rules as NHN publishes them; Ssoda's own are not public).
const (
	FriendTalkTextRunes          = 1000 // text only
	FriendTalkImageTextRunes     = 400  // with an image
	FriendTalkWideImageTextRunes = 76   // with a wide image
	FriendTalkWideImageButtons   = 1    // a wide-image FriendTalk takes one button
)

// FriendTalkMessage is one FriendTalk (친구톡) to one recipient. FriendTalk needs no template,
// reaches only users who added the channel as a friend, and may advertise (Ad), in which case
// Kakao's advertising rules (opt-out text, night-time ban) are the sender's to follow.
type FriendTalkMessage struct {
	// To is the recipient's mobile number in any common form.
	To string
	// SenderKey is the sender-profile key; empty means Credentials.SenderKey.
	SenderKey string
	// Text is the message (at most 1,000 characters; 400 with an image, 76 with a wide image).
	Text string
	// ImageURL is an image uploaded to Kakao beforehand (Ssoda console: 친구톡 이미지 관리);
	// ImageLink is the page it opens when tapped (optional).
	ImageURL, ImageLink string
	// WideImage marks ImageURL as a wide image.
	WideImage bool
	// Ad marks the message as an advertisement (ad flag "Y").
	Ad bool
	// Buttons are at most 5 (1 with a wide image).
	Buttons []alimtalk.Button
	// Failover is the SMS/LMS sent when the FriendTalk cannot be delivered; nil for none.
	Failover *alimtalk.Failover
	// ScheduledAt reserves the send (zero = now).
	ScheduledAt time.Time
	// Ref is the caller's correlation key, returned in the Result.
	Ref string
	// Extra adds or overrides body fields (the FriendTalk wire format is inferred; use this
	// when Ssoda's field names turn out different).
	Extra map[string]any
}

// SendFriendTalk sends FriendTalk messages, one request per message through POST
// /kakao/send/friendtalk — path and fields inferred (the guide lists 친구톡 발송 without its
// format): sender_key, dest_phone, msg_body and button as for AlimTalk, image_url,
// image_link, wide, ad_flag "Y"/"N", failover and send_time (names configurable with
// WithFieldNames and per message with Extra). Batching, concurrency, Results and the
// call-level error follow Send; Result.Status is StatusInvalid for a message that fails
// validation, which is never sent.
func (c *Client) SendFriendTalk(ctx context.Context, msgs []FriendTalkMessage) ([]alimtalk.Result, error) {
	results := make([]alimtalk.Result, len(msgs))
	bodies := make([]*object, len(msgs))
	todo := make([]int, 0, len(msgs))
	for i, m := range msgs {
		to := ""
		if n, err := phone.Parse(m.To); err == nil && n.IsMobile() {
			to = n.Digits()
		}
		body, err := c.friendTalkBody(m, to)
		if err != nil {
			results[i] = alimtalk.Result{Ref: m.Ref, To: to, Status: alimtalk.StatusInvalid, Err: err}
			continue
		}
		results[i] = alimtalk.Result{Ref: m.Ref, To: to}
		if !m.ScheduledAt.IsZero() {
			results[i].ScheduledAt = m.ScheduledAt.In(wire.KST)
		}
		bodies[i] = body
		todo = append(todo, i)
	}
	path := c.s.paths.SendFriendTalk
	err := c.fanOut(ctx, todo, results, func(ctx context.Context, i int) (alimtalk.Result, error) {
		return c.postMessage(ctx, path, bodies[i], !msgs[i].ScheduledAt.IsZero())
	})
	return results, err
}

// friendTalkBody validates one FriendTalk and builds its body; to is the normalized recipient
// ("" when invalid).
func (c *Client) friendTalkBody(m FriendTalkMessage, to string) (*object, error) {
	var errs alimtalk.FieldErrors
	add := func(field string, r alimtalk.Reason, detail string) {
		errs = append(errs, &alimtalk.FieldError{Field: field, Reason: r, Detail: detail})
	}
	switch n, err := phone.Parse(m.To); {
	case strings.TrimSpace(m.To) == "":
		add("to", alimtalk.ReasonRequired, "")
	case err != nil:
		errs = append(errs, &alimtalk.FieldError{Field: "to", Reason: alimtalk.ReasonInvalid, Err: err})
	case !n.IsMobile():
		add("to", alimtalk.ReasonInvalid, "FriendTalk goes to mobile numbers only; "+n.Masked()+" is a "+n.Kind().String()+" number")
	}
	senderKey := m.SenderKey
	if senderKey == "" {
		senderKey = c.creds.SenderKey
	}
	if senderKey == "" {
		add("sender_key", alimtalk.ReasonRequired, "set FriendTalkMessage.SenderKey or Credentials.SenderKey")
	}
	limit := FriendTalkTextRunes
	switch {
	case m.WideImage:
		limit = FriendTalkWideImageTextRunes
	case m.ImageURL != "":
		limit = FriendTalkImageTextRunes
	}
	if strings.TrimSpace(m.Text) == "" {
		add("text", alimtalk.ReasonRequired, "")
	} else if n := utf8.RuneCountInString(m.Text); n > limit {
		errs = append(errs, &alimtalk.FieldError{Field: "text", Reason: alimtalk.ReasonTooLong, Limit: limit, Got: n})
	}
	if m.WideImage && m.ImageURL == "" {
		add("image_url", alimtalk.ReasonRequired, "a wide-image FriendTalk needs its image")
	}
	for _, l := range []struct{ field, value string }{{"image_url", m.ImageURL}, {"image_link", m.ImageLink}} {
		if l.value != "" {
			if u, err := url.Parse(l.value); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				add(l.field, alimtalk.ReasonInvalid, "must be an http(s) URL")
			}
		}
	}
	if m.ImageLink != "" && m.ImageURL == "" {
		add("image_link", alimtalk.ReasonNotAllowed, "only with an image")
	}
	if m.WideImage && len(m.Buttons) > FriendTalkWideImageButtons {
		errs = append(errs, &alimtalk.FieldError{Field: "buttons", Reason: alimtalk.ReasonTooMany,
			Limit: FriendTalkWideImageButtons, Got: len(m.Buttons), Detail: "with a wide image"})
	}
	if err := alimtalk.ValidateButtons(m.Buttons, false, c.limits); err != nil {
		if fes, ok := err.(alimtalk.FieldErrors); ok {
			errs = append(errs, fes...)
		}
	}
	var failover *alimtalk.Failover
	if m.Failover != nil {
		fo, err := m.Failover.Resolve(m.Text, c.limits)
		if fes, ok := err.(alimtalk.FieldErrors); ok {
			errs = append(errs, fes...)
		}
		failover = &fo
	}
	if len(errs) > 0 {
		return nil, errs
	}

	f := c.s.fields
	o := c.newBody(12)
	o.str("sender_key", senderKey)
	o.str("dest_phone", to)
	o.str("msg_body", m.Text)
	o.optStr(f.FriendTalkImageURL, m.ImageURL)
	o.optStr(f.FriendTalkImageLink, m.ImageLink)
	if m.WideImage {
		o.str(f.FriendTalkWideImage, "Y")
	}
	if m.Ad {
		o.str(f.FriendTalkAd, "Y")
	} else {
		o.str(f.FriendTalkAd, "N")
	}
	if len(m.Buttons) > 0 {
		o.array("button", c.buttons(m.Buttons))
	}
	if failover != nil {
		o.obj("failover", c.failover(failover))
	}
	if !m.ScheduledAt.IsZero() {
		o.str(f.SendTime, wire.FormatKST(m.ScheduledAt, wire.LayoutDateTime))
	}
	if err := o.extra("SendFriendTalk", m.Extra); err != nil {
		return nil, err
	}
	return o, nil
}
