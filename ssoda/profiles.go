package ssoda

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/phone"
	"github.com/kshop-dev/kshop/internal/transport"
	"github.com/kshop-dev/kshop/internal/wire"
)

// ProfileTokenRequest asks Kakao to send the sender-profile authentication token to the
// channel administrator's phone.
type ProfileTokenRequest struct {
	// ChannelID is the channel's search ID (검색용 아이디, "@myshop"), sent as yellowId.
	ChannelID string
	// AdminPhone is the phone number registered as the channel's administrator.
	AdminPhone string
	// Extra adds or overrides body fields (the format is inferred).
	Extra map[string]any
}

// ProfileTokenResult is Ssoda's answer to a token request.
type ProfileTokenResult struct {
	// Message is Ssoda's text, if any.
	Message string
	// Raw is the whole answer.
	Raw json.RawMessage
}

// RequestToken asks Kakao to text the authentication token for registering a sender profile
// to the channel's administrator: POST /kakao/profile/token with yellowId and phoneNumber —
// path and fields inferred from Bizppurio's kapi (the guide lists 인증토큰 요청 without its
// format). It is NonIdempotent: each call sends the administrator another text.
func (s *ProfilesService) RequestToken(ctx context.Context, req ProfileTokenRequest) (*ProfileTokenResult, error) {
	const call = "Profiles.RequestToken"
	if err := wire.CheckContext(ctx, "ssoda."+call); err != nil {
		return nil, err
	}
	ch := newChecker(call)
	id, digits := checkChannel(ch, req.ChannelID, req.AdminPhone)
	if err := ch.err(); err != nil {
		return nil, err
	}
	o := s.c.newBody()
	o.str("yellowId", id)
	o.str("phoneNumber", digits)
	if err := o.extra(call, req.Extra); err != nil {
		return nil, err
	}
	a, err := s.c.post(ctx, call, s.c.s.paths.ProfileToken, transport.NonIdempotent, o)
	if err != nil {
		return nil, err
	}
	return &ProfileTokenResult{Message: answerMessage(a), Raw: json.RawMessage(a.raw)}, nil
}

// ProfileCategory is one of Kakao's sender-profile (business) categories.
type ProfileCategory struct {
	// Code is the category code for CreateProfileRequest.CategoryCode.
	Code string
	// Name describes it.
	Name string
	// Raw is the item's JSON.
	Raw json.RawMessage
}

// Categories lists the sender-profile categories: POST /kakao/profile/category/all
// (inferred path, kapi analogy; the guide lists 발신프로필 카테고리 전체 조회). Items are read
// permissively (code, name) from category, categories, list or data. Idempotent.
func (s *ProfilesService) Categories(ctx context.Context) ([]ProfileCategory, error) {
	if err := wire.CheckContext(ctx, "ssoda.Profiles.Categories"); err != nil {
		return nil, err
	}
	a, err := s.c.post(ctx, "Profiles.Categories", s.c.s.paths.ProfileCategories, transport.Idempotent, s.c.newBody())
	if err != nil {
		return nil, err
	}
	rows, _ := findRows(a, "category", "categories", "list", "data")
	out := make([]ProfileCategory, 0, len(rows))
	for _, raw := range rows {
		o, ok := wire.ParseObject(raw)
		if !ok {
			continue
		}
		c := ProfileCategory{Code: o.Str("code", "categoryCode"), Name: o.Str("name", "categoryName"),
			Raw: append(json.RawMessage(nil), raw...)}
		if c.Code != "" {
			out = append(out, c)
		}
	}
	return out, nil
}

// CreateProfileRequest registers a sender profile with the token RequestToken had texted.
type CreateProfileRequest struct {
	// Token is the authentication token the administrator received.
	Token string
	// AdminPhone is the administrator's phone number, as given to RequestToken.
	AdminPhone string
	// ChannelID is the channel's search ID ("@myshop").
	ChannelID string
	// CategoryCode is a code from Categories.
	CategoryCode string
	// Extra adds or overrides body fields (the fields are inferred).
	Extra map[string]any
}

// Profile is a registered sender profile.
type Profile struct {
	// SenderKey is the new sender-profile key, when the answer gives it (senderKey,
	// sender_key, profileKey).
	SenderKey string
	// ChannelID is the channel's search ID.
	ChannelID string
	// Raw is the whole answer.
	Raw json.RawMessage
}

// Create registers a sender profile: POST /kakao/profile/create (path named in a caller's
// guide) with token, phoneNumber, yellowId and categoryCode (fields inferred from kapi).
// NonIdempotent.
func (s *ProfilesService) Create(ctx context.Context, req CreateProfileRequest) (*Profile, error) {
	const call = "Profiles.Create"
	if err := wire.CheckContext(ctx, "ssoda."+call); err != nil {
		return nil, err
	}
	ch := newChecker(call)
	id, digits := checkChannel(ch, req.ChannelID, req.AdminPhone)
	token := strings.TrimSpace(req.Token)
	ch.ident("Token", "token", token, true, MaxProfileTokenLength)
	cat := strings.TrimSpace(req.CategoryCode)
	if ch.ident("CategoryCode", "categoryCode", cat, true, MaxCategoryCodeLength) &&
		strings.IndexFunc(cat, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
		ch.problem("CategoryCode", "categoryCode", kshop.RuleFormat, "digits only (Profiles.Categories lists them)")
	}
	if err := ch.err(); err != nil {
		return nil, err
	}
	o := s.c.newBody()
	o.str("token", token)
	o.str("phoneNumber", digits)
	o.str("yellowId", id)
	o.str("categoryCode", cat)
	if err := o.extra(call, req.Extra); err != nil {
		return nil, err
	}
	a, err := s.c.post(ctx, call, s.c.s.paths.ProfileCreate, transport.NonIdempotent, o)
	if err != nil {
		return nil, err
	}
	p := &Profile{ChannelID: id, Raw: json.RawMessage(a.raw)}
	for _, obj := range []wire.Object{a.contentObject(), a.root.Obj("data"), a.root} {
		if k := obj.Str("senderKey", "sender_key", "profileKey", "profile_key"); k != "" {
			p.SenderKey = k
			break
		}
	}
	return p, nil
}

// checkChannel checks a channel search ID and an administrator phone number into ch and
// returns them normalized.
func checkChannel(ch *checker, channelID, adminPhone string) (id, digits string) {
	id = strings.TrimSpace(channelID)
	ch.ident("ChannelID", "yellowId", id, true, MaxChannelIDLength)
	n, err := phone.Parse(adminPhone)
	switch {
	case err != nil:
		ch.add(&kshop.FieldError{Field: "AdminPhone", Key: "phoneNumber", Rule: kshop.RuleFormat, Detail: "not a valid phone number", Err: err})
	case !n.IsMobile():
		ch.problem("AdminPhone", "phoneNumber", kshop.RuleFormat, "must be the administrator's mobile number, not a "+n.Kind().String()+" number")
	default:
		digits = n.Digits()
	}
	return id, digits
}

// answerMessage returns a success answer's human text, if any.
func answerMessage(a *answer) string {
	if m := a.contentObject().Str("message", "msg"); m != "" {
		return m
	}
	return a.root.Str("message", "msg")
}
