package ssoda

import (
	"context"
	"net/url"
	"strings"
	"time"
	"unicode"
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
	if err := wire.CheckContext(ctx, "ssoda.SendFriendTalk"); err != nil {
		return nil, err
	}
	results := make([]alimtalk.Result, len(msgs))
	bodies := make([]*object, len(msgs))
	todo := make([]int, 0, len(msgs))
	for i, m := range msgs {
		body, prepared, err := c.friendTalkBody(m)
		results[i] = alimtalk.Result{Ref: m.Ref, To: prepared.To}
		if n, perr := phone.Parse(m.To); perr == nil && n.IsMobile() {
			results[i].To = n.Digits()
		}
		if err != nil {
			results[i].Status, results[i].Err = alimtalk.StatusInvalid, err
			continue
		}
		results[i].ScheduledAt, results[i].Text = prepared.ScheduledAt, prepared.Text
		bodies[i] = body
		todo = append(todo, i)
	}
	path := c.s.paths.SendFriendTalk
	err := c.fanOut(ctx, todo, results, func(ctx context.Context, i int) (alimtalk.Result, error) {
		return c.postMessage(ctx, "SendFriendTalk", path, bodies[i], !msgs[i].ScheduledAt.IsZero())
	})
	return results, err
}

// friendTalkTemplateCode stands in for the template code FriendTalk does not have, so that the
// message can go through alimtalk's checks.
const friendTalkTemplateCode = "FRIENDTALK"

// friendTalkBody validates one FriendTalk and builds its body. The recipient, the text (valid
// UTF-8, no control characters but line breaks and tabs), the buttons, the failover and the
// reservation time go through alimtalk's own message checks (Message.Prepare, without a
// template), so FriendTalk and AlimTalk refuse the same bad input; FriendTalk's own rules
// (shorter texts with images, image links, one button with a wide image) are added. It
// returns the prepared message (To normalized; "" when invalid).
func (c *Client) friendTalkBody(m FriendTalkMessage) (*object, alimtalk.Message, error) {
	proxy := alimtalk.Message{To: m.To, TemplateCode: friendTalkTemplateCode, Text: m.Text, Buttons: m.Buttons,
		Failover: m.Failover, ScheduledAt: m.ScheduledAt, Ref: m.Ref}
	prepared, perr := proxy.Prepare(nil, c.limits)
	var errs alimtalk.FieldErrors
	errs = appendFieldErrors(errs, "Text", "msg_body", perr)
	if perr != nil {
		prepared = alimtalk.Message{}
	}
	add := func(field, key string, r alimtalk.Reason, detail string) {
		errs = append(errs, &alimtalk.FieldError{Field: field, Key: key, Reason: r, Detail: detail})
	}
	senderKey := m.SenderKey
	if senderKey == "" {
		senderKey = c.creds.SenderKey
	}
	if fe := c.messageSenderKey(senderKey, "set FriendTalkMessage.SenderKey or Credentials.SenderKey"); fe != nil {
		errs = append(errs, fe)
	}
	limit := FriendTalkTextRunes
	switch {
	case m.WideImage:
		limit = FriendTalkWideImageTextRunes
	case m.ImageURL != "":
		limit = FriendTalkImageTextRunes
	}
	if n := utf8.RuneCountInString(m.Text); n > limit && limit < FriendTalkTextRunes {
		errs = append(errs, &alimtalk.FieldError{Field: "Text", Key: "msg_body", Reason: alimtalk.ReasonTooLong, Limit: limit, Got: n,
			Detail: "with an image"})
	}
	if m.WideImage && m.ImageURL == "" {
		add("ImageURL", "image_url", alimtalk.ReasonRequired, "a wide-image FriendTalk needs its image")
	}
	for _, l := range []struct{ field, key, value string }{{"ImageURL", "image_url", m.ImageURL}, {"ImageLink", "image_link", m.ImageLink}} {
		if l.value != "" {
			if u, err := url.Parse(l.value); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
				strings.IndexFunc(l.value, unicode.IsControl) >= 0 || len(l.value) > maxURLLength {
				add(l.field, l.key, alimtalk.ReasonInvalid, "must be an http(s) URL of at most 1,000 bytes")
			}
		}
	}
	if m.ImageLink != "" && m.ImageURL == "" {
		add("ImageLink", "image_link", alimtalk.ReasonNotAllowed, "only with an image")
	}
	if m.WideImage && len(m.Buttons) > FriendTalkWideImageButtons {
		errs = append(errs, &alimtalk.FieldError{Field: "Buttons", Key: "button", Reason: alimtalk.ReasonTooMany,
			Limit: FriendTalkWideImageButtons, Got: len(m.Buttons), Detail: "with a wide image"})
	}
	if len(errs) > 0 {
		return nil, prepared, errs
	}
	m.Buttons, m.ScheduledAt = prepared.Buttons, prepared.ScheduledAt
	var failover *alimtalk.Failover
	if prepared.Failover != nil {
		fo := *prepared.Failover
		failover = &fo
	}
	to := prepared.To

	f := c.s.fields
	o := c.newBody()
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
		o.nestedArray("button", len(m.Buttons), func(i int, item *object) { c.button(item, &m.Buttons[i]) })
	}
	if failover != nil {
		o.nested("failover", func(item *object) { c.failover(item, failover) })
	}
	if !m.ScheduledAt.IsZero() {
		o.str(f.SendTime, wire.FormatKST(m.ScheduledAt, wire.LayoutDateTime))
	}
	if err := o.extra("SendFriendTalk", m.Extra); err != nil {
		return nil, prepared, err
	}
	return o, prepared, nil
}

// maxURLLength bounds an image URL or link (Kakao's button links allow 1,000 bytes too).
const maxURLLength = 1000
