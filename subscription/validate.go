package subscription

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/phone"
)

// problems collects every problem of one input before anything changes, so that a caller
// (and the buyer behind a form) fixes them all at once instead of one per call.
type problems struct{ list []*kshop.FieldError }

// add records a problem with a field of a data value (Application, Plan, Snapshot, …); its
// Key is the field's snake_case path ("Receiver.ZipCode" → "receiver.zip_code"), which a
// shop's form or JSON API can use to show the message beside the input.
func (p *problems) add(field string, rule kshop.Rule, detail string) *kshop.FieldError {
	fe := &kshop.FieldError{Field: field, Key: keyOf(field), Rule: rule, Detail: detail}
	p.list = append(p.list, fe)
	return fe
}

// arg records a problem with a function argument or an option, which has no key.
func (p *problems) arg(field string, rule kshop.Rule, detail string) *kshop.FieldError {
	fe := &kshop.FieldError{Field: field, Rule: rule, Detail: detail}
	p.list = append(p.list, fe)
	return fe
}

// merge adds the problems of err (a *kshop.ValidationError or a *kshop.FieldError); any
// other error becomes a problem of field.
func (p *problems) merge(field string, err error) {
	if err == nil {
		return
	}
	var ve *kshop.ValidationError
	if errors.As(err, &ve) {
		p.list = append(p.list, ve.Problems...)
		return
	}
	var fe *kshop.FieldError
	if errors.As(err, &fe) {
		p.list = append(p.list, fe)
		return
	}
	p.arg(field, "", "").Err = err
}

func (p *problems) empty() bool { return len(p.list) == 0 }

// err returns the collected problems as one *kshop.ValidationError for op, or nil.
func (p *problems) err(op string) error { return kshop.NewValidationError(op, p.list) }

// invalidArg is a validation error with a single problem of an argument.
func invalidArg(op, field string, rule kshop.Rule, detail string) error {
	var p problems
	p.arg(field, rule, detail)
	return p.err(op)
}

// text checks a free-text field: required (not blank), valid UTF-8, at most max
// characters and no control characters. multiline allows TAB, CR and LF (free-form
// reasons); names, phones and addresses end up on labels and in one-line messages, so they
// allow none.
func (p *problems) text(field, v string, required bool, max int, multiline bool) {
	if strings.TrimSpace(v) == "" {
		if required {
			p.add(field, kshop.RuleRequired, "")
		}
		if v == "" {
			return
		}
	}
	if !utf8.ValidString(v) {
		p.add(field, kshop.RuleInvalidUTF8, "")
		return
	}
	if n := utf8.RuneCountInString(v); n > max {
		fe := p.add(field, kshop.RuleTooLong, "characters")
		fe.Limit, fe.Got = max, n
	}
	if hasControl(v, multiline) {
		p.add(field, kshop.RuleControlChars, "")
	}
}

// hasControl reports C0 and C1 control characters and DEL; with multiline TAB, CR and LF
// are allowed.
func hasControl(s string, multiline bool) bool {
	for _, r := range s {
		if multiline && (r == '\t' || r == '\n' || r == '\r') {
			continue
		}
		if r < 0x20 || (r >= 0x7f && r <= 0x9f) {
			return true
		}
	}
	return false
}

// id checks an identifier that becomes part of action IDs and idempotency keys: 1–64 of
// A–Z a–z 0–9 . _ : -.
func (p *problems) id(field, v string) {
	switch {
	case v == "":
		p.add(field, kshop.RuleRequired, "")
	case len(v) > maxIDLength:
		fe := p.add(field, kshop.RuleTooLong, "bytes")
		fe.Limit, fe.Got = maxIDLength, len(v)
	default:
		for i := 0; i < len(v); i++ {
			c := v[i]
			ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-'
			if !ok {
				p.add(field, kshop.RuleFormat, "only A–Z a–z 0–9 . _ : - are allowed")
				return
			}
		}
	}
}

// phone checks a Korean phone number; the customer's notices and the courier's delivery
// call go to it, so a malformed one is refused up front (연락처오류). The cause is a
// *PhoneError, whose text never holds the number.
func (p *problems) phone(field, v string, required bool) {
	if v == "" {
		if required {
			p.add(field, kshop.RuleRequired, "")
		}
		return
	}
	if len(v) > maxPhoneLength {
		fe := p.add(field, kshop.RuleTooLong, "characters")
		fe.Limit, fe.Got = maxPhoneLength, utf8.RuneCountInString(v)
		return
	}
	if _, err := phone.Parse(v); err != nil {
		p.add(field, kshop.RuleFormat, "not a valid Korean phone number").Err = err
	}
}

// rangeInt records field out of lo..hi.
func (p *problems) rangeInt(field string, v, lo, hi int) {
	if v < lo || v > hi {
		p.add(field, kshop.RuleRange, strconv.Itoa(lo)+"–"+strconv.Itoa(hi))
	}
}

// keyOf turns a Go field path into its snake_case key: "Items[1].UnitPrice" →
// "items[1].unit_price", "Customer.ID" → "customer.id".
func keyOf(field string) string {
	var b strings.Builder
	b.Grow(len(field) + 4)
	for i := 0; i < len(field); i++ {
		c := field[i]
		if c >= 'A' && c <= 'Z' {
			prevLower := i > 0 && (field[i-1] >= 'a' && field[i-1] <= 'z' || field[i-1] >= '0' && field[i-1] <= '9')
			nextLower := i+1 < len(field) && field[i+1] >= 'a' && field[i+1] <= 'z'
			prevUpper := i > 0 && field[i-1] >= 'A' && field[i-1] <= 'Z'
			if prevLower || (prevUpper && nextLower) {
				b.WriteByte('_')
			}
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// index formats "name[i]".
func index(name string, i int) string { return name + "[" + strconv.Itoa(i) + "]" }
