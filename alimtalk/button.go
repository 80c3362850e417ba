package alimtalk

import (
	"strconv"
	"strings"

	"github.com/kshop-dev/kshop/internal/phone"
)

// ButtonType is Kakao's two-letter button (and quick-reply) link type.
type ButtonType string

// Button types (NHN API v2.3, Bizppurio kapi).
const (
	ButtonWebLink      ButtonType = "WL" // web link: URLMobile required, URLPC optional
	ButtonAppLink      ButtonType = "AL" // app link: two of SchemeAndroid, SchemeIOS, URLMobile
	ButtonDelivery     ButtonType = "DS" // delivery tracking from the waybill in the text
	ButtonBotKeyword   ButtonType = "BK" // sends the button name as a bot keyword
	ButtonMessage      ButtonType = "MD" // sends the button name and the message to the channel
	ButtonConsult      ButtonType = "BC" // switches to a consultation chat
	ButtonBotTransfer  ButtonType = "BT" // switches to a chatbot
	ButtonChannelAdd   ButtonType = "AC" // adds the channel; first button, named "채널 추가"
	ButtonBizForm      ButtonType = "BF" // opens a Kakao business form (BizFormID)
	ButtonPluginImage  ButtonType = "P1" // image secure-transfer plugin (PluginID)
	ButtonPluginPolicy ButtonType = "P2" // personal-data consent plugin (PluginID)
	ButtonPluginPay    ButtonType = "P3" // one-click payment plugin (PluginID)
	ButtonCall         ButtonType = "TN" // phone call (Phone)
)

// ChannelAddButtonName is the fixed name of a channel-add (AC) button. NHN writes it with a
// space, kapi without ("채널추가"); Validate accepts both.
const ChannelAddButtonName = "채널 추가"

// Known reports whether t is one of Kakao's button types.
func (t ButtonType) Known() bool {
	switch t {
	case ButtonWebLink, ButtonAppLink, ButtonDelivery, ButtonBotKeyword, ButtonMessage,
		ButtonConsult, ButtonBotTransfer, ButtonChannelAdd, ButtonBizForm,
		ButtonPluginImage, ButtonPluginPolicy, ButtonPluginPay, ButtonCall:
		return true
	}
	return false
}

// AllowedAsQuickReply reports whether t may be used as a quick reply (바로연결): WL, AL, BK,
// MD, BC, BT (kapi) and BF (NHN).
func (t ButtonType) AllowedAsQuickReply() bool {
	switch t {
	case ButtonWebLink, ButtonAppLink, ButtonBotKeyword, ButtonMessage, ButtonConsult,
		ButtonBotTransfer, ButtonBizForm:
		return true
	}
	return false
}

// Button is a template button or quick reply, with the links its type needs. URLs may hold
// #{…} variables (Kakao allows them in links, not in names); Message.Prepare fills them.
type Button struct {
	// Type is the link type.
	Type ButtonType
	// Name is the label, at most 14 characters, without variables.
	Name string
	// URLMobile is the mobile web link (WL required; AL one of the three).
	URLMobile string
	// URLPC is the PC web link (optional for WL and AL).
	URLPC string
	// SchemeAndroid and SchemeIOS are app schemes (AL).
	SchemeAndroid, SchemeIOS string
	// Phone is the number a call button dials (TN).
	Phone string
	// PluginID identifies the plugin of P1, P2 and P3 buttons (kapi: required).
	PluginID string
	// BizFormID identifies the business form of a BF button (NHN: required).
	BizFormID string
}

// validate checks one button or quick reply, the index-th of list ("buttons",
// "quick_replies"). Its field path ("buttons[2]") is built only for a problem, so a valid
// button costs no allocation.
func (b *Button) validate(list string, index int, quickReply bool, lim *Limits, errs FieldErrors) FieldErrors {
	where := func(field string) string { return list + "[" + strconv.Itoa(index) + "]" + field }
	add := func(field string, r Reason, detail string) {
		errs = append(errs, &FieldError{Key: where(field), Reason: r, Detail: detail})
	}
	if !b.Type.Known() {
		if b.Type == "" {
			add(".type", ReasonRequired, "")
		} else {
			add(".type", ReasonInvalid, "unknown button type "+strconv.Quote(truncateRunes(string(b.Type), 4)))
		}
		return errs
	}
	if quickReply && !b.Type.AllowedAsQuickReply() {
		add(".type", ReasonNotAllowed, string(b.Type)+" cannot be a quick reply (only WL, AL, BK, MD, BC, BT, BF)")
	}

	switch n := runes(b.Name); {
	case strings.TrimSpace(b.Name) == "":
		add(".name", ReasonRequired, "")
	case n > lim.ButtonNameRunes:
		errs = append(errs, &FieldError{Key: where(".name"), Reason: ReasonTooLong, Limit: lim.ButtonNameRunes, Got: n})
	case placeholderCount(b.Name) > 0:
		add(".name", ReasonNotAllowed, "variables are not allowed in button names")
	}
	if r := textFault(b.Name, false); r != 0 {
		errs = append(errs, textFieldError(where(".name"), r, false))
	}

	links := [...]struct {
		field, value string
	}{
		{".url_mobile", b.URLMobile}, {".url_pc", b.URLPC},
		{".scheme_android", b.SchemeAndroid}, {".scheme_ios", b.SchemeIOS},
	}
	for _, l := range links {
		if n := runes(l.value); n > lim.URLRunes {
			errs = append(errs, &FieldError{Key: where(l.field), Reason: ReasonTooLong, Limit: lim.URLRunes, Got: n})
		}
		if r := textFault(l.value, false); r != 0 {
			errs = append(errs, textFieldError(where(l.field), r, false))
		}
	}
	for _, l := range links[:2] {
		if l.value != "" && !isWebURL(l.value) {
			add(l.field, ReasonInvalid, "must start with http:// or https:// (or a #{variable})")
		}
	}

	// notUsed flags link fields a type ignores: a filled field there is a mistake in the
	// caller's mapping, and some providers refuse unknown combinations.
	notUsed := func(fields ...string) {
		for _, f := range fields {
			var v string
			switch f {
			case ".url_mobile":
				v = b.URLMobile
			case ".url_pc":
				v = b.URLPC
			case ".scheme_android":
				v = b.SchemeAndroid
			case ".scheme_ios":
				v = b.SchemeIOS
			case ".phone":
				v = b.Phone
			case ".plugin_id":
				v = b.PluginID
			case ".biz_form_id":
				v = b.BizFormID
			}
			if v != "" {
				add(f, ReasonNotAllowed, "not used by "+string(b.Type)+" buttons")
			}
		}
	}

	switch b.Type {
	case ButtonWebLink:
		if b.URLMobile == "" {
			add(".url_mobile", ReasonRequired, "web-link buttons need a mobile URL")
		}
		notUsed(".scheme_android", ".scheme_ios", ".phone", ".plugin_id", ".biz_form_id")
	case ButtonAppLink:
		given := 0
		for _, v := range [...]string{b.SchemeAndroid, b.SchemeIOS, b.URLMobile} {
			if v != "" {
				given++
			}
		}
		if given < 2 {
			errs = append(errs, &FieldError{Key: where(""), Reason: ReasonRequired,
				Detail: "app-link buttons need two of scheme_android, scheme_ios and url_mobile"})
		}
		notUsed(".phone", ".plugin_id", ".biz_form_id")
	case ButtonCall:
		if b.Phone == "" {
			add(".phone", ReasonRequired, "call buttons need a phone number")
		} else if _, err := phone.Parse(b.Phone); err != nil {
			errs = append(errs, &FieldError{Key: where(".phone"), Reason: ReasonInvalid, Err: err})
		}
		notUsed(".url_mobile", ".url_pc", ".scheme_android", ".scheme_ios", ".plugin_id", ".biz_form_id")
	case ButtonPluginImage, ButtonPluginPolicy, ButtonPluginPay:
		if b.PluginID == "" {
			add(".plugin_id", ReasonRequired, "plugin buttons need a plugin ID")
		}
		notUsed(".url_mobile", ".url_pc", ".scheme_android", ".scheme_ios", ".phone", ".biz_form_id")
	case ButtonBizForm:
		if b.BizFormID == "" {
			add(".biz_form_id", ReasonRequired, "business-form buttons need a form ID")
		}
		notUsed(".url_mobile", ".url_pc", ".scheme_android", ".scheme_ios", ".phone", ".plugin_id")
	case ButtonChannelAdd:
		if index != 0 {
			add(".type", ReasonNotAllowed, "a channel-add (AC) button must be the first button")
		}
		if b.Name != "" && strings.ReplaceAll(b.Name, " ", "") != "채널추가" {
			add(".name", ReasonInvalid, "a channel-add (AC) button must be named "+strconv.Quote(ChannelAddButtonName))
		}
		notUsed(".url_mobile", ".url_pc", ".scheme_android", ".scheme_ios", ".phone", ".plugin_id", ".biz_form_id")
	default: // DS, BK, MD, BC, BT carry no link
		notUsed(".url_mobile", ".url_pc", ".scheme_android", ".scheme_ios", ".phone", ".plugin_id", ".biz_form_id")
	}
	return errs
}

// isWebURL accepts http(s) URLs and URLs that start with a variable (filled at send time).
func isWebURL(s string) bool {
	return hasPrefixFold(s, "https://") || hasPrefixFold(s, "http://") || strings.HasPrefix(s, placeholderOpen)
}

// hasPrefixFold reports whether s starts with prefix (lower-case ASCII) in any ASCII case,
// without lower-casing all of s. (No non-ASCII character lower-cases to a letter of "http".)
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// ValidateButtons checks a button list on its own: the count (at most Limits.Buttons, or
// Limits.ButtonsWithQuickReplies when withQuickReplies), each button's name, links and type
// rules, and the channel-add button's position and name. Field paths are "Buttons[i].…"
// (keys "buttons[i].…").
// It returns nil or FieldErrors.
func ValidateButtons(buttons []Button, withQuickReplies bool, lim Limits) error {
	lim = lim.withDefaults()
	return validateButtonList(buttons, withQuickReplies, &lim, nil).err()
}

func validateButtonList(buttons []Button, withQuickReplies bool, lim *Limits, errs FieldErrors) FieldErrors {
	limit := lim.Buttons
	detail := ""
	if withQuickReplies {
		limit = lim.ButtonsWithQuickReplies
		detail = "fewer buttons are allowed when quick replies are used"
	}
	if len(buttons) > limit {
		errs = append(errs, &FieldError{Key: "buttons", Reason: ReasonTooMany, Limit: limit, Got: len(buttons), Detail: detail})
	}
	for i := range buttons {
		b := &buttons[i]
		errs = b.validate("buttons", i, false, lim, errs)
		if withQuickReplies && (b.Type == ButtonDelivery || b.Type == ButtonChannelAdd) {
			errs = append(errs, &FieldError{Key: "buttons[" + strconv.Itoa(i) + "].type", Reason: ReasonNotAllowed,
				Detail: string(b.Type) + " buttons cannot be combined with quick replies"})
		}
	}
	return errs
}

func validateQuickReplies(replies []Button, lim *Limits, errs FieldErrors) FieldErrors {
	if len(replies) > lim.QuickReplies {
		errs = append(errs, &FieldError{Key: "quick_replies", Reason: ReasonTooMany, Limit: lim.QuickReplies, Got: len(replies)})
	}
	for i := range replies {
		errs = replies[i].validate("quick_replies", i, true, lim, errs)
	}
	return errs
}
