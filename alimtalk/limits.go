package alimtalk

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// Limits holds the numeric rules that Kakao and the providers enforce. Lengths count
// characters (runes), except SMSBytes and LMSSubjectBytes, which count EUC-KR bytes the way
// carriers do. A zero field means "the default" (DefaultLimits), so a vendor package can
// override one value: Limits{ContentRunes: 1300} for NHN's raw send.
//
// The defaults are Kakao's rules as the providers publish them (NHN AlimTalk API v2.3,
// Bizppurio's kapi guide), except where a field's comment says "inferred".
type Limits struct {
	// ContentRunes is the longest message text: 1,000 (Kakao). NHN's API accepts 1,300.
	ContentRunes int
	// ItemListContentRunes is the longest text of an ITEM_LIST template: 700 (Kakao).
	ItemListContentRunes int
	// Variables is the most #{…} placeholders a template may hold: 40 (NHN). Every
	// occurrence counts (inferred: Kakao does not say whether repeats count).
	Variables int
	// Buttons is the most buttons: 5.
	Buttons int
	// ButtonsWithQuickReplies is the most buttons when quick replies are also used: 2 (kapi).
	ButtonsWithQuickReplies int
	// QuickReplies is the most quick replies: 10 (kapi; NHN allows 5 — set it per vendor).
	QuickReplies int
	// ButtonNameRunes is the longest button or quick-reply name: 14.
	ButtonNameRunes int
	// URLRunes is the longest button link (URLs and app schemes): 500.
	URLRunes int
	// TitleRunes is the longest emphasis title: 50.
	TitleRunes int
	// SubtitleRunes is the longest emphasis subtitle: 50.
	SubtitleRunes int
	// ExtraRunes is the longest extra-information text of EX/MI templates: 500 (inferred).
	ExtraRunes int
	// AdRunes is the longest advertisement text of AD/MI templates: 80 (inferred).
	AdRunes int
	// TemplateNameRunes is the longest template name: 150 (NHN templateName).
	TemplateNameRunes int
	// ItemList limits (kapi): header 16; highlight title 30 (21 with a thumbnail); highlight
	// description 19 (13 with a thumbnail); 2–10 items with title 6 and description 23;
	// summary title 6 and description 14.
	HeaderRunes, HighlightTitleRunes, HighlightTitleWithImageRunes int
	// See HeaderRunes.
	HighlightDescriptionRunes, HighlightDescriptionWithImageRunes int
	// See HeaderRunes.
	ItemsMin, ItemsMax, ItemTitleRunes, ItemDescriptionRunes int
	// See HeaderRunes.
	SummaryTitleRunes, SummaryDescriptionRunes int
	// SMSBytes is the longest SMS in EUC-KR bytes: 90. Longer failover text goes as LMS.
	SMSBytes int
	// LMSRunes is the longest LMS text: 2,000 characters (Ssoda guide; confirmed there only).
	LMSRunes int
	// LMSSubjectBytes is the longest LMS subject in EUC-KR bytes: 40 (inferred from carriers'
	// common 40-byte subject).
	LMSSubjectBytes int
	// SenderKeyLength is the exact length of a Kakao sender-profile key: 40 (NHN, Happytalk;
	// Ssoda samples are 40 hex digits). Checked only when Message.SenderKey is set.
	SenderKeyLength int
	// TemplateCodeMin and TemplateCodeMax bound template codes for ValidateTemplateCode:
	// 5–30 (Ssoda guide; Bizppurio ≤ 30; NHN ≤ 20 — set per vendor).
	TemplateCodeMin, TemplateCodeMax int

	// ScheduleHorizon is how far ahead Message.ScheduledAt may lie: 60 days by default, the
	// limit NHN's AlimTalk API v2.3 publishes for requestDate (confirmed there). Ssoda and
	// Lunasoft publish no limit, so for them the default is inferred; Solapi accepts 6 months.
	ScheduleHorizon time.Duration
	// ClockSkew is how far in the past ScheduledAt may lie and still be accepted (the
	// provider then sends at once), to absorb the difference between the caller's clock and
	// the provider's: 1 minute by default. An older time is refused, not sent at once: it is
	// almost always a bug (a zone mix-up, a stale job).
	ClockSkew time.Duration
	// Now is the clock the ScheduledAt checks use; nil means time.Now. Set it in tests.
	Now func() time.Time
}

// DefaultLimits returns Kakao's rules as published by the providers (see Limits).
func DefaultLimits() Limits {
	return Limits{
		ContentRunes:                       1000,
		ItemListContentRunes:               700,
		Variables:                          40,
		Buttons:                            5,
		ButtonsWithQuickReplies:            2,
		QuickReplies:                       10,
		ButtonNameRunes:                    14,
		URLRunes:                           500,
		TitleRunes:                         50,
		SubtitleRunes:                      50,
		ExtraRunes:                         500,
		AdRunes:                            80,
		TemplateNameRunes:                  150,
		HeaderRunes:                        16,
		HighlightTitleRunes:                30,
		HighlightTitleWithImageRunes:       21,
		HighlightDescriptionRunes:          19,
		HighlightDescriptionWithImageRunes: 13,
		ItemsMin:                           2,
		ItemsMax:                           10,
		ItemTitleRunes:                     6,
		ItemDescriptionRunes:               23,
		SummaryTitleRunes:                  6,
		SummaryDescriptionRunes:            14,
		SMSBytes:                           90,
		LMSRunes:                           2000,
		LMSSubjectBytes:                    40,
		SenderKeyLength:                    40,
		TemplateCodeMin:                    5,
		TemplateCodeMax:                    30,
		ScheduleHorizon:                    60 * 24 * time.Hour,
		ClockSkew:                          time.Minute,
	}
}

// withDefaults returns l with every zero (or negative) field replaced by its default. Every
// Message.Prepare calls it, so it is written out field by field, without a helper closure.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.ContentRunes <= 0 {
		l.ContentRunes = d.ContentRunes
	}
	if l.ItemListContentRunes <= 0 {
		l.ItemListContentRunes = d.ItemListContentRunes
	}
	if l.Variables <= 0 {
		l.Variables = d.Variables
	}
	if l.Buttons <= 0 {
		l.Buttons = d.Buttons
	}
	if l.ButtonsWithQuickReplies <= 0 {
		l.ButtonsWithQuickReplies = d.ButtonsWithQuickReplies
	}
	if l.QuickReplies <= 0 {
		l.QuickReplies = d.QuickReplies
	}
	if l.ButtonNameRunes <= 0 {
		l.ButtonNameRunes = d.ButtonNameRunes
	}
	if l.URLRunes <= 0 {
		l.URLRunes = d.URLRunes
	}
	if l.TitleRunes <= 0 {
		l.TitleRunes = d.TitleRunes
	}
	if l.SubtitleRunes <= 0 {
		l.SubtitleRunes = d.SubtitleRunes
	}
	if l.ExtraRunes <= 0 {
		l.ExtraRunes = d.ExtraRunes
	}
	if l.AdRunes <= 0 {
		l.AdRunes = d.AdRunes
	}
	if l.TemplateNameRunes <= 0 {
		l.TemplateNameRunes = d.TemplateNameRunes
	}
	if l.HeaderRunes <= 0 {
		l.HeaderRunes = d.HeaderRunes
	}
	if l.HighlightTitleRunes <= 0 {
		l.HighlightTitleRunes = d.HighlightTitleRunes
	}
	if l.HighlightTitleWithImageRunes <= 0 {
		l.HighlightTitleWithImageRunes = d.HighlightTitleWithImageRunes
	}
	if l.HighlightDescriptionRunes <= 0 {
		l.HighlightDescriptionRunes = d.HighlightDescriptionRunes
	}
	if l.HighlightDescriptionWithImageRunes <= 0 {
		l.HighlightDescriptionWithImageRunes = d.HighlightDescriptionWithImageRunes
	}
	if l.ItemsMin <= 0 {
		l.ItemsMin = d.ItemsMin
	}
	if l.ItemsMax <= 0 {
		l.ItemsMax = d.ItemsMax
	}
	if l.ItemTitleRunes <= 0 {
		l.ItemTitleRunes = d.ItemTitleRunes
	}
	if l.ItemDescriptionRunes <= 0 {
		l.ItemDescriptionRunes = d.ItemDescriptionRunes
	}
	if l.SummaryTitleRunes <= 0 {
		l.SummaryTitleRunes = d.SummaryTitleRunes
	}
	if l.SummaryDescriptionRunes <= 0 {
		l.SummaryDescriptionRunes = d.SummaryDescriptionRunes
	}
	if l.SMSBytes <= 0 {
		l.SMSBytes = d.SMSBytes
	}
	if l.LMSRunes <= 0 {
		l.LMSRunes = d.LMSRunes
	}
	if l.LMSSubjectBytes <= 0 {
		l.LMSSubjectBytes = d.LMSSubjectBytes
	}
	if l.SenderKeyLength <= 0 {
		l.SenderKeyLength = d.SenderKeyLength
	}
	if l.TemplateCodeMin <= 0 {
		l.TemplateCodeMin = d.TemplateCodeMin
	}
	if l.TemplateCodeMax <= 0 {
		l.TemplateCodeMax = d.TemplateCodeMax
	}
	if l.ScheduleHorizon <= 0 {
		l.ScheduleHorizon = d.ScheduleHorizon
	}
	if l.ClockSkew <= 0 {
		l.ClockSkew = d.ClockSkew
	}
	if l.Now == nil {
		l.Now = time.Now
	}
	return l
}

// checkSchedule refuses a reservation time older than lim.ClockSkew or further ahead than
// lim.ScheduleHorizon (lim has its defaults).
func checkSchedule(at time.Time, lim Limits, errs FieldErrors) FieldErrors {
	now := lim.Now()
	switch {
	case at.Before(now.Add(-lim.ClockSkew)):
		errs = append(errs, &FieldError{Key: "scheduled_at", Reason: ReasonOutOfRange,
			Detail: "the reservation time has passed; leave ScheduledAt zero to send now"})
	case at.After(now.Add(lim.ScheduleHorizon)):
		errs = append(errs, &FieldError{Key: "scheduled_at", Reason: ReasonOutOfRange,
			Detail: "providers reserve at most " + formatHorizon(lim.ScheduleHorizon) + " ahead (Limits.ScheduleHorizon)"})
	}
	return errs
}

// formatHorizon writes whole days as "60 days", anything else as a Go duration.
func formatHorizon(d time.Duration) string {
	const day = 24 * time.Hour
	if d%day == 0 {
		return strconv.FormatInt(int64(d/day), 10) + " days"
	}
	return d.String()
}

// ValidateTemplateCode checks a template code against the rule some vendors impose on codes
// they register (Ssoda, Bizppurio): TemplateCodeMin–TemplateCodeMax characters (5–30 by
// default) of A–Z, a–z, 0–9, '_' and '-'. Kakao itself does not require it of every vendor
// (Lunasoft uses numeric template IDs), so Message.Prepare only requires a non-empty code;
// vendor packages call this where their API demands it. The error is a *FieldError on
// "template_code".
func (l Limits) ValidateTemplateCode(code string) error {
	l = l.withDefaults()
	n := utf8.RuneCountInString(code)
	switch {
	case code == "":
		return &FieldError{Field: "TemplateCode", Key: "template_code", Reason: ReasonRequired}
	case n < l.TemplateCodeMin:
		return &FieldError{Field: "TemplateCode", Key: "template_code", Reason: ReasonTooShort, Limit: l.TemplateCodeMin, Got: n}
	case n > l.TemplateCodeMax:
		return &FieldError{Field: "TemplateCode", Key: "template_code", Reason: ReasonTooLong, Limit: l.TemplateCodeMax, Got: n}
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return &FieldError{Field: "TemplateCode", Key: "template_code", Reason: ReasonInvalid,
				Detail: "only A-Z, a-z, 0-9, '_' and '-' are allowed"}
		}
	}
	return nil
}

// ValidateTemplateCode checks code with the default limits (5–30 of [A-Za-z0-9_-]); see
// Limits.ValidateTemplateCode.
func ValidateTemplateCode(code string) error { return DefaultLimits().ValidateTemplateCode(code) }

// runes counts the characters of s.
func runes(s string) int { return utf8.RuneCountInString(s) }
