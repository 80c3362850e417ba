package happytalk

import (
	"strings"
)

// Builder builds and parses chat links with non-default rules. Create one with NewBuilder; the
// zero Builder is not usable. A Builder is immutable and safe for concurrent use.
type Builder struct {
	strictTruncation bool
	rawPhoneDigits   bool
	naverSeparator   string
	botStartKey      string
	botStartValue    string
	placeholders     []string // extra placeholder IDs, trimmed
}

// Option configures a Builder.
type Option func(*Builder) error

// DefaultNaverSeparator joins the parameters of a Naver TalkTalk link, as the parameter guide
// shows ("네이버톡톡채팅URL|site_uid=…|cus_extra_username=…"). Inferred (unconfirmed): no
// public source or working caller shows a Happytalk Naver link with parameters.
const DefaultNaverSeparator = "|"

// defaultBuilder serves the package-level functions. It is never modified.
var defaultBuilder = &Builder{
	naverSeparator: DefaultNaverSeparator,
	botStartKey:    "bot_start",
	botStartValue:  "true",
}

// NewBuilder returns a Builder with the given options applied over the defaults (the rules of
// the package-level Build and Parse). It returns an *OptionError for an invalid option.
func NewBuilder(opts ...Option) (*Builder, error) {
	b := *defaultBuilder
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&b); err != nil {
			return nil, err
		}
	}
	return &b, nil
}

// WithStrictTruncation makes a custom parameter longer than MaxParameterLen characters an
// error (a *FieldError matching ErrTooLong) instead of a cut.
func WithStrictTruncation() Option {
	return func(b *Builder) error {
		b.strictTruncation = true
		return nil
	}
}

// WithRawPhoneDigits sends a CustomerPhone that is not a valid Korean number as its ASCII digits
// (a foreign number, an extension), instead of refusing it. BuildResult.UnverifiedPhone reports
// when this happened. A phone with no digits at all is still refused.
func WithRawPhoneDigits() Option {
	return func(b *Builder) error {
		b.rawPhoneDigits = true
		return nil
	}
}

// WithNaverSeparator sets the text that joins Naver TalkTalk parameters (default "|"). Inferred
// (unconfirmed): the separator comes from the parameter guide only, hence configurable. It must be 1 to 4
// characters from | & ; , ! * $ ' ( ) + — characters an encoded value never contains, so Parse
// can split the link again.
func WithNaverSeparator(separator string) Option {
	return func(b *Builder) error {
		if separator == "" || len(separator) > 4 {
			return &OptionError{Option: "WithNaverSeparator", Reason: "separator must be 1 to 4 characters"}
		}
		for i := 0; i < len(separator); i++ {
			if !strings.ContainsRune("|&;,!*$'()+", rune(separator[i])) {
				return &OptionError{Option: "WithNaverSeparator",
					Reason: "separator may only use the characters | & ; , ! * $ ' ( ) +"}
			}
		}
		b.naverSeparator = separator
		return nil
	}
}

// WithBotStartParameter sets the KakaoTalk parameter BotStart sends (default bot_start=true,
// from the parameter guide). Inferred (unconfirmed): no public caller shows it, and Kakao's own
// chat URL uses bot=true, so it is configurable. Key and value must be non-empty and use only letters,
// digits and - . _ ~, and the key must not be one of the parameters Build writes.
func WithBotStartParameter(key, value string) Option {
	return func(b *Builder) error {
		if !plainToken(key) || !plainToken(value) {
			return &OptionError{Option: "WithBotStartParameter",
				Reason: "key and value must be non-empty and use only letters, digits and - . _ ~"}
		}
		if isManagedKey(key) {
			return &OptionError{Option: "WithBotStartParameter", Reason: "key " + key + " is already a chat-link parameter"}
		}
		b.botStartKey, b.botStartValue = key, value
		return nil
	}
}

// WithPlaceholderIDs adds shop-specific placeholder IDs (e.g. "GUEST0001") to the ones SiteUID
// refuses. They are compared after trimming spaces, ignoring case. A blank ID is an error.
func WithPlaceholderIDs(ids ...string) Option {
	return func(b *Builder) error {
		added := make([]string, 0, len(b.placeholders)+len(ids))
		added = append(added, b.placeholders...)
		for _, id := range ids {
			id = strings.TrimSpace(id)
			if id == "" {
				return &OptionError{Option: "WithPlaceholderIDs", Reason: "blank ID (blank IDs are always refused)"}
			}
			added = append(added, id)
		}
		b.placeholders = added
		return nil
	}
}

func plainToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isUnreserved(s[i]) {
			return false
		}
	}
	return true
}

// isManagedKey reports whether key is a parameter Build writes on some channel.
func isManagedKey(key string) bool {
	switch key {
	case keySiteUID, keyName, keyPhone, keyEmail, keyUserParameter, keyCategory, keyDivision,
		keyCategoryV2, keyDivisionV2, keyParams, keyIsLogin, keyUID:
		return true
	}
	return parameterIndex(key) >= 0
}
