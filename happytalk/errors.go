package happytalk

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/phone"
)

// Sentinel errors. Match them with errors.Is; the typed errors below carry the details and are
// matched with errors.As.
var (
	// ErrInvalidParams is matched by every FieldErrors, *FieldError and *PlaceholderIDError:
	// Build refused Params before writing anything. kshop.ErrInvalid matches them too.
	ErrInvalidParams = errors.New("happytalk: invalid chat-link parameters")
	// ErrTooLong: a value has more characters (runes) than Happytalk stores for it.
	ErrTooLong = errors.New("value too long")
	// ErrInvalidText: a value is not valid UTF-8 or contains a control character.
	ErrInvalidText = errors.New("value is not valid UTF-8 text or contains a control character")
	// ErrPlaceholderID: SiteUID is a stand-in such as "undefined" or "guest" rather than a
	// customer ID. Matched by *PlaceholderIDError.
	ErrPlaceholderID = errors.New("placeholder customer ID")
	// ErrInvalidPhone is matched by every phone error (it is phone.ErrInvalid); the details are a
	// *PhoneError inside the *FieldError.
	ErrInvalidPhone = phone.ErrInvalid
	// ErrInvalidEmail: CustomerEmail is not a bare address such as name@example.com.
	ErrInvalidEmail = errors.New("invalid e-mail address")
	// ErrInvalidID: CategoryID or DivisionID is negative or larger than Happytalk's Int(11) column.
	ErrInvalidID = errors.New("invalid classification ID")
	// ErrTooManyParameters: more than MaxParameters custom parameters.
	ErrTooManyParameters = errors.New("too many custom parameters")
	// ErrReservedCharacter: a web chat v2 value contains ',' or '=', which that channel uses to
	// separate the pairs packed into its params value.
	ErrReservedCharacter = errors.New("value contains a separator character of the channel")
	// ErrNotSupported: the parameter does not exist on the channel (BotStart outside KakaoTalk),
	// or Channel is not one of the defined channels.
	ErrNotSupported = errors.New("not supported by the channel")

	// ErrInvalidLink is matched by every *LinkError: the base URL (Build) or the link (Parse)
	// cannot be used.
	ErrInvalidLink = errors.New("happytalk: invalid chat link")
	// ErrUnknownChannel: the URL is not one of the Happytalk chat URLs this package recognises and
	// no Channel was given. Matched through *LinkError.
	ErrUnknownChannel = errors.New("unrecognised chat URL; set Params.Channel")

	// ErrInvalidOption is matched by every *OptionError from NewBuilder.
	ErrInvalidOption = errors.New("happytalk: invalid option")
)

// PhoneError is the detailed error for a CustomerPhone or CustomerTelephone that is not a valid
// Korean number. It is found inside the *FieldError with errors.As; its text holds only a
// masked copy of the input.
type PhoneError = phone.Error

// FieldError reports a Params field Build refused: which field, its wire name, why and the
// limit broken. It never contains the value itself (names, phones and e-mails are personal
// data). Build reports every refused field at once, in FieldErrors.
type FieldError struct {
	// Field is the Params field (its Go path), e.g. "CustomerName" or "Parameters[2]".
	Field string
	// Key is the parameter name on the wire, e.g. "cus_extra_username" or "parameter3"; empty
	// for fields that are not sent (Channel).
	Key string
	// Reason says what is wrong, in a few words.
	Reason string
	// Limit is the limit broken (a length in characters, a count, the largest ID); 0 when none
	// applies.
	Limit int
	// Got is the measured length or count; 0 when none applies.
	Got int
	// Err is the specific sentinel (ErrTooLong, ErrInvalidEmail, …), a *PhoneError or a
	// *PlaceholderIDError.
	Err error
}

// Error names the field, its wire key and the reason.
func (e *FieldError) Error() string {
	msg := "happytalk: invalid " + e.Field
	if e.Key != "" {
		msg += " (" + e.Key + ")"
	}
	return msg + ": " + e.Reason
}

// Unwrap lets errors.Is match ErrInvalidParams, kshop.ErrInvalid and the specific error.
func (e *FieldError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalidParams, kshop.ErrInvalid}
	}
	return []error{ErrInvalidParams, kshop.ErrInvalid, e.Err}
}

// FieldErrors is every problem Build found in Params, in field order: Build reports them all
// at once, so one call tells the caller everything to fix. errors.As(err, new(*FieldError))
// finds the first; range over the slice for all of them. errors.As(err, new(*kshop.ValidationError))
// gives the same problems in the shape every kshop package reports.
type FieldErrors []*FieldError

// Error lists every problem.
func (es FieldErrors) Error() string {
	if len(es) == 1 {
		return es[0].Error()
	}
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = strings.TrimPrefix(e.Error(), "happytalk: ")
	}
	return "happytalk: " + strconv.Itoa(len(es)) + " problems: " + strings.Join(parts, "; ")
}

// Unwrap returns the individual *FieldError values, for errors.Is and errors.As.
func (es FieldErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Field returns the first problem whose Field or Key equals name, or nil.
func (es FieldErrors) Field(name string) *FieldError {
	for _, e := range es {
		if e.Field == name || e.Key == name {
			return e
		}
	}
	return nil
}

// As lets errors.As(err, &ve) with ve a *kshop.ValidationError read the same problems in the
// shape every kshop package reports (Op "happytalk.Build"), so a caller walks one type whatever
// package refused its input.
func (es FieldErrors) As(target any) bool {
	p, ok := target.(**kshop.ValidationError)
	if !ok {
		return false
	}
	problems := make([]*kshop.FieldError, len(es))
	for i, e := range es {
		problems[i] = &kshop.FieldError{Field: e.Field, Key: e.Key, Rule: ruleOf(e), Limit: e.Limit, Got: e.Got,
			Detail: e.Reason, Err: e.Err}
	}
	*p = &kshop.ValidationError{Op: "happytalk.Build", Problems: problems}
	return true
}

// reasonInvalidUTF8 is the Reason of an ErrInvalidText that is about the encoding, not a
// control character.
const reasonInvalidUTF8 = "not valid UTF-8"

// ruleOf names the broken rule of e in the root package's vocabulary.
func ruleOf(e *FieldError) kshop.Rule {
	err := e.Err
	switch {
	case errors.Is(err, ErrInvalidText) && e.Reason == reasonInvalidUTF8:
		return kshop.RuleInvalidUTF8
	case errors.Is(err, ErrTooLong):
		return kshop.RuleTooLong
	case errors.Is(err, ErrTooManyParameters):
		return kshop.RuleTooMany
	case errors.Is(err, ErrInvalidID):
		return kshop.RuleRange
	case errors.Is(err, ErrInvalidText):
		return kshop.RuleControlChars
	case errors.Is(err, ErrPlaceholderID), errors.Is(err, ErrReservedCharacter), errors.Is(err, ErrNotSupported):
		return kshop.RuleNotAllowed
	}
	return kshop.RuleFormat // phone, e-mail
}

// err returns nil for an empty list, so that callers never get a non-nil error interface
// holding an empty slice.
func (es FieldErrors) err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// PlaceholderIDError reports a SiteUID that stands for "no customer" ("undefined", "null",
// "guest", "0", a blank string, an unfilled "{고객ID}" template …). Happytalk merges every
// visitor sent with the same site_uid into one customer with one counselling history, so all
// anonymous visitors would share one record. A visitor who is not logged in must be sent with
// an empty SiteUID instead.
type PlaceholderIDError struct {
	// Field is always "SiteUID".
	Field string
	// Value is the refused placeholder as given (a known stand-in, never a real customer ID).
	Value string
}

// Error explains why the placeholder is refused and what to send instead.
func (e *PlaceholderIDError) Error() string {
	return "happytalk: invalid " + e.Field + " (site_uid): " + quoteShort(e.Value) +
		" is a placeholder, not a customer ID: Happytalk would merge every visitor sent with it into one" +
		" customer and one counselling history; leave SiteUID empty for a visitor who is not logged in"
}

// Unwrap lets errors.Is match ErrInvalidParams and ErrPlaceholderID.
func (e *PlaceholderIDError) Unwrap() []error { return []error{ErrInvalidParams, ErrPlaceholderID} }

// placeholderReason is the *FieldError reason of a placeholder SiteUID: the error's own text
// without the part the *FieldError writes itself.
func (e *PlaceholderIDError) placeholderReason() string {
	return strings.TrimPrefix(e.Error(), "happytalk: invalid "+e.Field+" ("+keySiteUID+"): ")
}

// LinkError reports a base URL (Build) or link (Parse) that cannot be used.
type LinkError struct {
	// Link is the URL's scheme and host only ("https://api.happytalk.io"); the path and query
	// may carry customer data, so they are never kept.
	Link string
	// Reason says what is wrong.
	Reason string
	// Err is an optional more specific sentinel (ErrUnknownChannel).
	Err error
}

// Error names the scheme and host and the reason.
func (e *LinkError) Error() string {
	msg := "happytalk: invalid chat link"
	if e.Link != "" {
		msg += " " + e.Link
	}
	return msg + ": " + e.Reason
}

// Unwrap lets errors.Is match ErrInvalidLink and the specific sentinel, if any.
func (e *LinkError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalidLink}
	}
	return []error{ErrInvalidLink, e.Err}
}

// OptionError reports an option NewBuilder refused.
type OptionError struct {
	// Option is the option's function name, e.g. "WithNaverSeparator".
	Option string
	// Reason says what is wrong.
	Reason string
}

// Error names the option and the reason.
func (e *OptionError) Error() string {
	return "happytalk: invalid option " + e.Option + ": " + e.Reason
}

// Unwrap lets errors.Is match ErrInvalidOption.
func (e *OptionError) Unwrap() error { return ErrInvalidOption }

// quoteShort quotes s for an error message, cut to a few characters so that an error string
// never carries a long value.
func quoteShort(s string) string {
	const maxRunes = 40
	if utf8.RuneCountInString(s) > maxRunes {
		s = cutRunes(s, maxRunes) + "…"
	}
	return strconv.Quote(s)
}
