package kshop

import (
	"strconv"
	"strings"
)

// Rule names the rule a value broke, in a few words. The constants below cover every package;
// a FieldError's Detail adds specifics.
type Rule string

// The rules field errors report.
const (
	RuleRequired     Rule = "required"
	RuleTooLong      Rule = "too long"
	RuleTooShort     Rule = "too short"
	RuleTooMany      Rule = "too many"
	RuleTooFew       Rule = "too few"
	RuleFormat       Rule = "invalid format"
	RuleRange        Rule = "out of range"
	RuleNotAllowed   Rule = "not allowed"
	RuleControlChars Rule = "control characters"
	RuleInvalidUTF8  Rule = "invalid UTF-8"
	RuleConflict     Rule = "conflicts with another field"
)

// FieldError is one problem with one field of a request: the Go field path, the key the vendor
// knows it by, the rule broken and the limit. Its text never holds the field's value (values are
// often personal data), so it is safe to log.
type FieldError struct {
	// Field is the Go path of the field: "Recipient.Mobile", "Messages[2].To", "Items[0].Name".
	Field string
	// Key is the field's name on the wire ("recMob", "tel_num"); "" when it is not sent as such.
	Key string
	// Rule is the rule broken.
	Rule Rule
	// Limit is the limit exceeded or not reached (a length, a count), 0 when none applies.
	Limit int
	// Got is the measured length or count, 0 when none applies.
	Got int
	// Detail adds a short explanation or the way to fix it (never a value from the request).
	Detail string
	// Err is a more specific cause, if any: a package sentinel or a phone-number error.
	Err error
}

// Error returns "Field (key): rule (got, limit N): detail: cause".
func (e *FieldError) Error() string {
	var b strings.Builder
	e.write(&b)
	return b.String()
}

func (e *FieldError) write(b *strings.Builder) {
	b.WriteString(e.Field)
	if e.Key != "" && e.Key != e.Field {
		b.WriteString(" (")
		b.WriteString(e.Key)
		b.WriteString(")")
	}
	b.WriteString(": ")
	if e.Rule == "" {
		b.WriteString("invalid")
	} else {
		b.WriteString(string(e.Rule))
	}
	if e.Limit != 0 || e.Got != 0 {
		b.WriteString(" (")
		if e.Got != 0 {
			b.WriteString(strconv.Itoa(e.Got))
			b.WriteString(", ")
		}
		b.WriteString("limit ")
		b.WriteString(strconv.Itoa(e.Limit))
		b.WriteString(")")
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
}

// Unwrap exposes ErrInvalid and the specific cause, if any.
func (e *FieldError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrInvalid}
	}
	return []error{ErrInvalid, e.Err}
}

// ValidationError is every problem found in one request, reported at once before anything
// was sent. errors.Is(err, ErrInvalid) is true; errors.As(err, new(*FieldError)) finds the first
// problem; range over Problems for all of them.
type ValidationError struct {
	// Op is the call that refused the input, package-qualified: "epost.InsertOrder",
	// "ssoda.Send", "subscription.New".
	Op string
	// Problems lists each problem in field order.
	Problems []*FieldError
}

// NewValidationError returns a *ValidationError for op holding problems, or nil when there are
// none, so a validator can end with `return kshop.NewValidationError(op, problems)`.
func NewValidationError(op string, problems []*FieldError) error {
	if len(problems) == 0 {
		return nil
	}
	return &ValidationError{Op: op, Problems: problems}
}

// Error lists every problem: "epost.InsertOrder: invalid input: Recipient.Mobile (recMob):
// required; …".
func (e *ValidationError) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString("invalid input")
	if len(e.Problems) > 1 {
		b.WriteString(" (")
		b.WriteString(strconv.Itoa(len(e.Problems)))
		b.WriteString(" problems)")
	}
	for i, p := range e.Problems {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		p.write(&b)
	}
	return b.String()
}

// Unwrap exposes ErrInvalid and every *FieldError.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, 0, len(e.Problems)+1)
	errs = append(errs, ErrInvalid)
	for _, p := range e.Problems {
		errs = append(errs, p)
	}
	return errs
}

// Field returns the first problem whose Field or Key equals name, or nil.
func (e *ValidationError) Field(name string) *FieldError {
	for _, p := range e.Problems {
		if p.Field == name || p.Key == name {
			return p
		}
	}
	return nil
}
