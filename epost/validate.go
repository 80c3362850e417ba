package epost

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/phone"
	"github.com/kshop-dev/kshop/internal/wire"
)

// problems collects every problem of one request, so a caller learns them all at once.
type problems struct{ list []*kshop.FieldError }

func (p *problems) add(fe *kshop.FieldError) { p.list = append(p.list, fe) }

// err returns the collected problems as a *kshop.ValidationError, or nil.
func (p *problems) err(op string) error { return kshop.NewValidationError(op, p.list) }

// kind is how an item's value is checked and written.
type kind uint8

const (
	// kindText is free text measured under the LengthRule; '&', '=' and control characters
	// are refused, or replaced by spaces under WithSanitizeValues.
	kindText kind = iota
	// kindIdent is an identifier the caller looks things up by later (orderNo, memberID):
	// like text, but never altered, so what is sent is what the caller holds.
	kindIdent
	// kindDigits is ASCII digits, min to max of them.
	kindDigits
	// kindAlnum is ASCII letters and digits, at most max.
	kindAlnum
	// kindEnum is one of the enum values.
	kindEnum
	// kindDate is a YYYYMMDD calendar date.
	kindDate
	// kindPhone is a Korean phone number in any common writing, sent as its digits (≤ max).
	kindPhone
	// kindPhoneHyphen is kindPhone sent hyphenated ("061-1234-5678") when that fits max.
	kindPhoneHyphen
	// kindInt is an integer from min to max; 0 is not sent.
	kindInt
)

// item is one row of a request's item table: the Go field, the wire key, the rule, and how to
// read the value. The same row checks the value and writes it, so the two cannot disagree.
type item[R any] struct {
	field    string // Go path in the request: "RecMob"
	key      string // the manual's item name: "recMob"
	kind     kind
	required bool
	min, max int      // lengths (digits, text) or the integer range
	enum     []string // kindEnum
	param    bool     // sent in the clear next to regData (InsertOrder's option)
	get      func(*R) string
	// keep, when set and true, sends the item even when empty (inqTelCn: present but empty
	// stores null).
	keep func(*R) bool
}

// spec is a request's item table plus the rules that involve several items.
type spec[R any] struct {
	items []item[R]
	cross func(r *R, p *problems)
}

// build checks every item of r, adding each problem to p, and returns the regData items (in
// table order) and the clear parameters. The caller ends with p.err(op).
func (s *spec[R]) build(c *Client, r *R, p *problems) (fieldList, url.Values) {
	items := make(fieldList, 0, len(s.items))
	var params url.Values
	for i := range s.items {
		it := &s.items[i]
		v, ok := c.checkItem(p, it.field, it.key, it.kind, it.required, it.min, it.max, it.enum, it.get(r))
		if !ok {
			continue
		}
		if v == "" && (it.keep == nil || !it.keep(r)) {
			continue
		}
		if it.param {
			if params == nil {
				params = url.Values{}
			}
			params.Set(it.key, v)
			continue
		}
		items.add(it.key, v)
	}
	if s.cross != nil {
		s.cross(r, p)
	}
	return items, params
}

// checkItem checks one value and returns what goes on the wire; ok is false when it has a
// problem (added to p). Problems never quote the value: values are often personal data.
func (c *Client) checkItem(p *problems, field, key string, k kind, required bool, min, max int, enum []string, v string) (string, bool) {
	fail := func(rule kshop.Rule, detail string, limit, got int) (string, bool) {
		p.add(&kshop.FieldError{Field: field, Key: key, Rule: rule, Detail: detail, Limit: limit, Got: got})
		return "", false
	}
	blank := v == ""
	if k == kindText || k == kindIdent || k == kindPhone || k == kindPhoneHyphen {
		blank = strings.TrimSpace(v) == ""
	}
	if blank {
		if required {
			return fail(kshop.RuleRequired, "", 0, 0)
		}
		return "", true // blanks are not sent (an item kept empty is sent as "")
	}
	switch k {
	case kindText, kindIdent:
		if !utf8.ValidString(v) {
			return fail(kshop.RuleInvalidUTF8, "", 0, 0)
		}
		if reserved(v) {
			if k == kindText && c.s.sanitize {
				v = sanitizeValue(v)
			} else if hasControl(v) {
				return fail(kshop.RuleControlChars, "regData cannot carry CR, LF, NUL or other control characters", 0, 0)
			} else {
				detail := "'&' and '=' separate regData items and cannot be sent"
				if k == kindText {
					detail += " (WithSanitizeValues replaces them with spaces)"
				}
				return fail(kshop.RuleNotAllowed, detail, 0, 0)
			}
		}
		if n := c.s.lengthRule.Measure(v); n > max {
			return fail(kshop.RuleTooLong, "counted in "+c.s.lengthRule.String(), max, n)
		}
	case kindDigits:
		if !isDigits(v) {
			return fail(kshop.RuleFormat, "digits only", 0, 0)
		}
		switch {
		case len(v) > max:
			return fail(kshop.RuleTooLong, digitsDetail(min, max), max, len(v))
		case len(v) < min:
			return fail(kshop.RuleTooShort, digitsDetail(min, max), min, len(v))
		}
	case kindAlnum:
		if !isAlnum(v) {
			return fail(kshop.RuleFormat, "ASCII letters and digits only", 0, 0)
		}
		if len(v) > max {
			return fail(kshop.RuleTooLong, "", max, len(v))
		}
	case kindEnum:
		for _, a := range enum {
			if v == a {
				return v, true
			}
		}
		return fail(kshop.RuleNotAllowed, "must be one of "+strings.Join(enum, ", "), 0, 0)
	case kindDate:
		if !validDate(v) {
			return fail(kshop.RuleFormat, "a date written YYYYMMDD", 0, 0)
		}
	case kindPhone, kindPhoneHyphen:
		n, err := phone.Parse(v)
		if err != nil {
			detail := "not a valid Korean phone number"
			var pe *phone.Error
			if errors.As(err, &pe) {
				detail += ": " + pe.Reason.String()
			}
			return fail(kshop.RuleFormat, detail, 0, 0)
		}
		digits := n.Digits()
		if len(digits) > max {
			return fail(kshop.RuleTooLong, "digits", max, len(digits))
		}
		if k == kindPhoneHyphen {
			if f := n.Format(); len(f) <= max {
				return f, true
			}
		}
		return digits, true
	case kindInt:
		n, err := strconv.Atoi(v)
		if err != nil {
			return fail(kshop.RuleFormat, "an integer", 0, 0)
		}
		if n < min || n > max {
			return fail(kshop.RuleRange, strconv.Itoa(min)+" to "+strconv.Itoa(max), max, n)
		}
	}
	return v, true
}

func digitsDetail(min, max int) string {
	if min == max {
		return "exactly " + strconv.Itoa(min) + " digits"
	}
	return strconv.Itoa(min) + " to " + strconv.Itoa(max) + " digits"
}

// digitsChecker checks items that need no client settings.
var digitsChecker = &Client{clientCore: &clientCore{s: &settings{}}}

// checkDigits checks a digits-only value outside an item table (credentials).
func checkDigits(p *problems, field, key, v string, min, max int, required bool) {
	digitsChecker.checkItem(p, field, key, kindDigits, required, min, max, nil, v)
}

// reserved reports whether v holds a character a regData plaintext cannot carry: the item
// separators '&' and '=', or a control character (TAB excepted).
func reserved(v string) bool {
	return strings.ContainsAny(v, "&=") || hasControl(v)
}

func hasControl(v string) bool {
	for _, r := range v {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return true
		}
	}
	return false
}

// sanitizeValue replaces what regData cannot carry with spaces (WithSanitizeValues).
func sanitizeValue(v string) string {
	return strings.Map(func(r rune) rune {
		if r == '&' || r == '=' || r < 0x20 && r != '\t' || r == 0x7f {
			return ' '
		}
		return r
	}, v)
}

// itoaNonZero writes n, or "" for 0 (an optional number left to the service's default).
func itoaNonZero(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z') {
			return false
		}
	}
	return true
}

func validDate(s string) bool {
	if len(s) != 8 || !isDigits(s) {
		return false
	}
	_, err := time.ParseInLocation(wire.LayoutDate, s, kshop.KST())
	return err == nil
}

// FormatDate writes t as the service's YYYYMMDD date in Korea Standard Time, for reqYmd and
// retVisitYmd.
func FormatDate(t time.Time) string { return wire.FormatKST(t, wire.LayoutDate) }
