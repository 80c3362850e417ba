package alimtalk

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/phone"
)

// ErrOutcomeUnknown is wrapped by every error of a send that may or may not have been carried
// out (a timeout, a reset or a 5xx after the request was written). It is the same value as
// kshop.ErrOutcomeUnknown and every vendor package's ErrOutcomeUnknown, so errors.Is works
// whichever name a caller uses. Do not send again: reconcile through the vendor's list call,
// using Message.Ref.
var ErrOutcomeUnknown = kshop.ErrOutcomeUnknown

// Sentinels for errors.Is. The typed errors below carry the details (errors.As).
var (
	// ErrInvalid is matched by every *FieldError, FieldErrors and *ConfigError: bad input
	// found before anything was sent. It is kshop.ErrInvalid, the value every kshop package's
	// validation errors match.
	ErrInvalid = kshop.ErrInvalid
	// ErrMissingVariables is matched by *MissingVariablesError.
	ErrMissingVariables = errors.New("alimtalk: missing template variables")
	// ErrTemplateMismatch is matched by *MismatchError: the text is not the template with its
	// variables filled in (Kakao result code 3016).
	ErrTemplateMismatch = errors.New("alimtalk: text does not match the template")
	// ErrNotAllowed is matched by *StateError: the template's inspection or service status
	// forbids the action.
	ErrNotAllowed = errors.New("alimtalk: not allowed in the template's current state")
	// ErrConfig is matched by *ConfigError: the dispatcher configuration is unusable.
	ErrConfig = errors.New("alimtalk: invalid dispatcher configuration")
	// ErrInvalidPhone is matched by every *PhoneError (the same value as internal/phone's).
	ErrInvalidPhone = phone.ErrInvalid
)

// PhoneError is the typed error for a phone number that is not a valid Korean number. It is
// found inside a *FieldError (Field "to", "failover.from", …) and is matched by
// errors.As(err, new(*alimtalk.PhoneError)). Its Reason says what is wrong and its Masked
// field (also its text) never holds the full number.
type PhoneError = phone.Error

// PhoneReason says why a phone number was refused (PhoneError.Reason).
type PhoneReason = phone.Reason

// The reasons a phone number is refused, re-exported from the shared phone package.
const (
	PhoneEmpty             PhoneReason = phone.Empty             // no digits at all
	PhoneLetters           PhoneReason = phone.Letters           // contains letters
	PhoneSpecialCharacters PhoneReason = phone.SpecialCharacters // characters other than digits and separators
	PhoneCountryCode       PhoneReason = phone.CountryCode       // not a +82 number
	PhoneUnknownPrefix     PhoneReason = phone.UnknownPrefix     // no Korean number starts so
	PhoneLength            PhoneReason = phone.Length            // wrong number of digits
	PhoneInvalidSubscriber PhoneReason = phone.InvalidSubscriber // subscriber part impossible
	PhoneRepeatedDigits    PhoneReason = phone.RepeatedDigits    // 010-0000-0000 style placeholder
	PhoneMissingTrunkZero  PhoneReason = phone.MissingTrunkZero  // lost its leading 0
)

// Reason classifies a *FieldError.
type Reason int

// Reasons of a *FieldError.
const (
	// ReasonRequired: the field is empty but must be set.
	ReasonRequired Reason = iota + 1
	// ReasonTooLong: the field has more characters (or bytes, for SMS) than Limit.
	ReasonTooLong
	// ReasonTooShort: the field has fewer characters than Limit.
	ReasonTooShort
	// ReasonTooMany: the list has more entries than Limit.
	ReasonTooMany
	// ReasonTooFew: the list has fewer entries than Limit.
	ReasonTooFew
	// ReasonInvalid: the value has the wrong form (bad phone, bad code, bad URL, unknown enum).
	ReasonInvalid
	// ReasonNotAllowed: the field may not be set in this combination (a title on a template
	// without emphasis, a channel-add button on a basic template, …).
	ReasonNotAllowed
	// ReasonMismatch: the value differs from the approved template (text: Kakao 3016;
	// buttons: Kakao 3027).
	ReasonMismatch
	// ReasonMissingVariables: the template needs variables the message did not give.
	ReasonMissingVariables
	// ReasonNotSendable: the template may not be sent in its current state.
	ReasonNotSendable
	// ReasonDuplicate: the value appears twice where it must be unique.
	ReasonDuplicate
	// ReasonControlChars: the text holds a control character (NUL, ESC, DEL, …; CR, LF and
	// TAB are allowed only in message and failover text).
	ReasonControlChars
	// ReasonInvalidUTF8: the text is not valid UTF-8.
	ReasonInvalidUTF8
	// ReasonOutOfRange: the value lies outside the allowed range (a reservation time in the
	// past or beyond Limits.ScheduleHorizon).
	ReasonOutOfRange
)

// String describes the reason in a few words.
func (r Reason) String() string {
	switch r {
	case ReasonRequired:
		return "required"
	case ReasonTooLong:
		return "too long"
	case ReasonTooShort:
		return "too short"
	case ReasonTooMany:
		return "too many"
	case ReasonTooFew:
		return "too few"
	case ReasonInvalid:
		return "invalid"
	case ReasonNotAllowed:
		return "not allowed"
	case ReasonMismatch:
		return "does not match the template"
	case ReasonMissingVariables:
		return "missing variables"
	case ReasonNotSendable:
		return "template not sendable"
	case ReasonDuplicate:
		return "duplicate"
	case ReasonControlChars:
		return string(kshop.RuleControlChars)
	case ReasonInvalidUTF8:
		return string(kshop.RuleInvalidUTF8)
	case ReasonOutOfRange:
		return string(kshop.RuleRange)
	default:
		return "invalid"
	}
}

// Rule returns the reason in the vocabulary every kshop package shares (kshop.Rule), so one
// piece of code can report field errors of every package alike.
func (r Reason) Rule() kshop.Rule {
	switch r {
	case ReasonRequired:
		return kshop.RuleRequired
	case ReasonTooLong:
		return kshop.RuleTooLong
	case ReasonTooShort:
		return kshop.RuleTooShort
	case ReasonTooMany:
		return kshop.RuleTooMany
	case ReasonTooFew:
		return kshop.RuleTooFew
	case ReasonNotAllowed:
		return kshop.RuleNotAllowed
	case ReasonControlChars:
		return kshop.RuleControlChars
	case ReasonInvalidUTF8:
		return kshop.RuleInvalidUTF8
	case ReasonOutOfRange:
		return kshop.RuleRange
	case ReasonMismatch, ReasonDuplicate:
		return kshop.RuleConflict
	default:
		return kshop.RuleFormat
	}
}

// FieldError is a validation error naming one field and the reason, in the convention every
// kshop package follows: Field is the Go path of the value ("To", "Buttons[2].URLMobile",
// "Failover.Content", "ItemList.Items[0].Title") and Key its snake_case wire path
// ("to", "buttons[2].url_mobile", "failover.content", "item_list.items[0].title"). Its text
// never contains the field's value, so it is safe to log: values may be personal data.
type FieldError struct {
	// Field is the Go path of the offending field.
	Field string
	// Key is the field's wire path, as providers and Kakao name it.
	Key string
	// Reason says what is wrong.
	Reason Reason
	// Limit is the limit that was exceeded or not reached (0 when not applicable).
	Limit int
	// Got is the measured length or count (0 when not applicable).
	Got int
	// Detail adds a short explanation (never a value from the message).
	Detail string
	// Err is the underlying typed error, if any: *PhoneError, *MissingVariablesError,
	// *MismatchError, *StateError.
	Err error
}

func (e *FieldError) message() string {
	var b strings.Builder
	field := e.Field
	if field == "" {
		field = goPath(e.Key)
	}
	b.WriteString(field)
	if e.Key != "" && e.Key != field {
		b.WriteString(" (")
		b.WriteString(e.Key)
		b.WriteString(")")
	}
	b.WriteString(": ")
	b.WriteString(e.Reason.String())
	switch e.Reason {
	case ReasonTooLong, ReasonTooShort, ReasonTooMany, ReasonTooFew:
		if e.Limit > 0 || e.Got > 0 {
			b.WriteString(" (")
			b.WriteString(strconv.Itoa(e.Got))
			b.WriteString(", limit ")
			b.WriteString(strconv.Itoa(e.Limit))
			b.WriteString(")")
		}
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "alimtalk: "))
	}
	return b.String()
}

// Error returns "alimtalk: <field>: <reason> …".
func (e *FieldError) Error() string { return "alimtalk: " + e.message() }

// Unwrap returns the underlying typed error.
func (e *FieldError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrInvalid) true for every *FieldError.
func (e *FieldError) Is(target error) bool { return target == ErrInvalid }

// FieldErrors is every problem found in one value (a message, a template), in field order.
// errors.As(err, new(*FieldError)) finds the first; range over the slice for all of them.
// errors.As(err, new(*kshop.ValidationError)) gives the same problems in the shape every kshop
// package reports.
type FieldErrors []*FieldError

// Error lists every problem.
func (es FieldErrors) Error() string {
	if len(es) == 1 {
		return es[0].Error()
	}
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.message()
	}
	return fmt.Sprintf("alimtalk: %d problems: %s", len(es), strings.Join(parts, "; "))
}

// Unwrap returns the individual *FieldError values, for errors.Is and errors.As.
func (es FieldErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Is makes errors.Is(err, ErrInvalid) true for FieldErrors.
func (es FieldErrors) Is(target error) bool { return target == ErrInvalid }

// As lets errors.As(err, &ve) with ve a *kshop.ValidationError read the same problems in the
// shape every kshop package reports (Op "alimtalk"), so a caller walks one type whatever
// package refused its input.
func (es FieldErrors) As(target any) bool {
	p, ok := target.(**kshop.ValidationError)
	if !ok {
		return false
	}
	problems := make([]*kshop.FieldError, len(es))
	for i, e := range es {
		problems[i] = &kshop.FieldError{Field: e.Field, Key: e.Key, Rule: e.Reason.Rule(), Limit: e.Limit, Got: e.Got,
			Detail: e.Detail, Err: e.Err}
	}
	*p = &kshop.ValidationError{Op: "alimtalk", Problems: problems}
	return true
}

// Field returns the first problem whose Field (Go path) or Key (wire path) equals name, or
// nil.
func (es FieldErrors) Field(name string) *FieldError {
	for _, e := range es {
		if e.Field == name || e.Key == name {
			return e
		}
	}
	return nil
}

// err names every problem (see named) and returns nil for an empty list, so that callers
// never get a non-nil error interface holding an empty slice.
func (es FieldErrors) err() error {
	if len(es) == 0 {
		return nil
	}
	return named(es)
}

// named fills the Go path of every problem built with only its wire Key, and returns es. The
// validators speak in wire keys (they match the providers' documents); the Go path is derived
// once, on the way out.
func named[S ~[]*FieldError](es S) S {
	for _, e := range es {
		if e.Field == "" {
			e.Field = goPath(e.Key)
		}
	}
	return es
}

// keyFields maps the wire keys whose Go field is not their CamelCase form.
var keyFields = map[string]string{
	"inspection_status": "Inspection",
	"status":            "Service",
	"ctx":               "ctx",
	"sender":            "sender",
	"templates":         "templates",
}

// initialisms are written in capitals in Go field names (URLMobile, PluginID, SchemeIOS).
var initialisms = map[string]string{"url": "URL", "id": "ID", "pc": "PC", "ios": "IOS"}

// goPath turns a wire path into the Go path of the same field: "buttons[2].url_mobile" →
// "Buttons[2].URLMobile", "events[order.received].template_code" →
// "Events[order.received].TemplateCode". Index and map-key brackets are kept verbatim.
func goPath(key string) string {
	if f, ok := keyFields[key]; ok {
		return f
	}
	var b strings.Builder
	b.Grow(len(key))
	upper := true
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c == '[':
			end := strings.IndexByte(key[i:], ']')
			if end < 0 {
				end = len(key) - i - 1
			}
			b.WriteString(key[i : i+end+1])
			i += end
			continue
		case c == '.':
			b.WriteByte(c)
			upper = true
			continue
		case c == '_':
			upper = true
			continue
		}
		if upper {
			word := key[i:]
			if n := strings.IndexAny(word, "_.["); n >= 0 {
				word = word[:n]
			}
			if up, ok := initialisms[word]; ok {
				b.WriteString(up)
				i += len(word) - 1
				upper = false
				continue
			}
			if c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			upper = false
		}
		b.WriteByte(c)
	}
	return b.String()
}

// MissingVariablesError lists every template variable that a render needed but the
// variables map did not hold, in the order they first appear in the template. An empty
// string value counts as given; only absent keys are missing.
type MissingVariablesError struct {
	// Names are the variable names without #{ }.
	Names []string
}

// Error lists the missing names as #{name}.
func (e *MissingVariablesError) Error() string {
	var b strings.Builder
	b.WriteString("alimtalk: missing template variables: ")
	for i, n := range e.Names {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("#{")
		b.WriteString(n)
		b.WriteString("}")
	}
	return b.String()
}

// Is makes errors.Is(err, ErrMissingVariables) true.
func (e *MissingVariablesError) Is(target error) bool { return target == ErrMissingVariables }

// KakaoCodeTemplateMismatch is Kakao's result code for a message whose text does not match
// its approved template (3016 NoMatchedTemplate).
const KakaoCodeTemplateMismatch = "3016"

// MismatchError says where a text stops matching its template (Kakao result code 3016). It
// carries positions and the template's expected literal text, never the message text itself,
// which may hold personal data.
type MismatchError struct {
	// TemplateCode is the template's code ("" when unknown).
	TemplateCode string
	// Offset is the byte offset in the text where it diverges (at a rune boundary).
	Offset int
	// Line and Column locate Offset: 1-based, Column counted in characters (runes).
	Line, Column int
	// Expected is the template's literal text expected at Offset (at most 20 characters;
	// "" when the text should have ended there).
	Expected string
	// TextEnded is true when the text ends before the template does.
	TextEnded bool
}

// KakaoCode returns "3016", the result code Kakao answers for this mismatch.
func (e *MismatchError) KakaoCode() string { return KakaoCodeTemplateMismatch }

// Error locates the divergence; it quotes only the template's literal text.
func (e *MismatchError) Error() string {
	var b strings.Builder
	b.WriteString("alimtalk: text does not match template")
	if e.TemplateCode != "" {
		b.WriteString(" ")
		b.WriteString(strconv.Quote(e.TemplateCode))
	}
	fmt.Fprintf(&b, " at line %d, column %d", e.Line, e.Column)
	switch {
	case e.TextEnded:
		b.WriteString(": text ends early")
		if e.Expected != "" {
			b.WriteString(", expected ")
			b.WriteString(strconv.Quote(e.Expected))
		}
	case e.Expected == "":
		b.WriteString(": text should end here")
	default:
		b.WriteString(": expected ")
		b.WriteString(strconv.Quote(e.Expected))
	}
	b.WriteString(" (Kakao ")
	b.WriteString(KakaoCodeTemplateMismatch)
	b.WriteString(")")
	return b.String()
}

// Is makes errors.Is(err, ErrTemplateMismatch) true.
func (e *MismatchError) Is(target error) bool { return target == ErrTemplateMismatch }

// StateError says why a template action (edit, review request, send, …) is not allowed in the
// template's current lifecycle state.
type StateError struct {
	// Action is what was attempted.
	Action Action
	// State is the template's state at the time.
	State TemplateState
	// Reason explains the refusal in a sentence.
	Reason string
}

// Error names the action and the reason.
func (e *StateError) Error() string {
	return "alimtalk: cannot " + e.Action.String() + ": " + e.Reason
}

// Is makes errors.Is(err, ErrNotAllowed) true.
func (e *StateError) Is(target error) bool { return target == ErrNotAllowed }

// ConfigError lists every problem NewDispatcher found in a Config. Field is the Config field's
// Go path ("ShopURL", "SenderNumber", "Events[order.received].TemplateCode", …) and Key its
// snake_case form ("shop_url", …).
type ConfigError struct {
	// Problems lists every problem found, in a stable order.
	Problems []*FieldError
}

// Error lists the problems.
func (e *ConfigError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.message()
	}
	return "alimtalk: invalid dispatcher configuration: " + strings.Join(parts, "; ")
}

// Unwrap returns the problems, for errors.As(err, new(*FieldError)).
func (e *ConfigError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

// Is makes errors.Is(err, ErrConfig) true.
func (e *ConfigError) Is(target error) bool { return target == ErrConfig }

// Field returns the first problem whose Field or Key equals name, or nil.
func (e *ConfigError) Field(name string) *FieldError { return FieldErrors(e.Problems).Field(name) }
