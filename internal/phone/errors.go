package phone

import "errors"

// ErrInvalid is matched by every error Parse and Normalize return:
// errors.Is(err, phone.ErrInvalid) is true for any *Error.
var ErrInvalid = errors.New("phone: invalid number")

// Reason says why a string is not a valid Korean number.
type Reason int

// The reasons Parse rejects an input, in the order they are checked: characters first, then
// the country code, the prefix, the length and finally the subscriber digits.
const (
	// Empty: the input holds no digits at all (blank, or separators only).
	Empty Reason = iota + 1
	// Letters: the input contains a letter of any script (an extension "ext", a Hangul note).
	Letters
	// SpecialCharacters: a character other than digits, spaces, '-', '.', '(', ')' and one
	// leading '+'.
	SpecialCharacters
	// CountryCode: an international number ('+' or a leading country code) that is not +82.
	CountryCode
	// UnknownPrefix: no Korean number starts with these digits (013, 015 pagers, 030, 08x
	// other than 080, unassigned 15xx/16xx/18xx, …).
	UnknownPrefix
	// Length: too few or too many digits for the prefix (010 needs 11, 02 needs 9–10, …).
	Length
	// InvalidSubscriber: the part after the prefix starts with a digit that block never
	// uses (a landline subscriber starting with 0, 060 followed by 0 or 1).
	InvalidSubscriber
	// RepeatedDigits: the subscriber part of a personal number (mobile, M2M, VoIP, 050x) is
	// one digit repeated, the usual placeholder 010-0000-0000 or 010-1111-1111.
	RepeatedDigits
	// MissingTrunkZero: the digits would be valid with a leading 0 ("1012345678"). They are
	// refused rather than repaired, because a dropped 0 usually means the value went through
	// a spreadsheet or a numeric field and may be damaged in other ways too.
	MissingTrunkZero
)

// String describes the reason in a few words, for error messages.
func (r Reason) String() string {
	switch r {
	case Empty:
		return "empty"
	case Letters:
		return "contains letters"
	case SpecialCharacters:
		return "contains characters other than digits, spaces, hyphens, dots, parentheses and a leading +"
	case CountryCode:
		return "not a Korean (+82) number"
	case UnknownPrefix:
		return "unknown prefix"
	case Length:
		return "wrong number of digits for its prefix"
	case InvalidSubscriber:
		return "subscriber number starts with a digit its prefix never uses"
	case RepeatedDigits:
		return "subscriber number is one repeated digit (a placeholder)"
	case MissingTrunkZero:
		return "missing the leading 0"
	default:
		return "invalid"
	}
}

// Error is the typed validation error of this package. It never holds the raw input: Masked is
// the input passed through Mask, so it is safe to log and to show in error strings.
type Error struct {
	// Reason says what is wrong.
	Reason Reason
	// Masked is the input with all but at most its last 4 digits hidden ("" for empty input).
	Masked string
}

// Error mentions the reason and the masked input, never the full number.
func (e *Error) Error() string {
	msg := "phone: invalid number: " + e.Reason.String()
	if e.Masked != "" {
		msg += " (" + e.Masked + ")"
	}
	return msg
}

// Is makes errors.Is(err, ErrInvalid) true for every *Error.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

func newError(reason Reason, input string) *Error {
	return &Error{Reason: reason, Masked: maskUnparsed(input)}
}
