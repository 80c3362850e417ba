package epost

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kshop-dev/kshop/internal/phone"
	"github.com/kshop-dev/kshop/internal/wire"
)

// checker validates one request and keeps the first problem, so errors come out in the
// manual's item order.
type checker struct {
	call string
	rule LengthRule
	err  *ValidationError
}

func (c *checker) fail(field, reason string) {
	if c.err == nil {
		c.err = invalid(c.call, field, reason)
	}
}

// result returns the first problem as an error, or nil.
func (c *checker) result() error {
	if c.err == nil {
		return nil
	}
	return c.err
}

// text checks a free-text item: required, and at most max units under the length rule.
func (c *checker) text(field, v string, max int, required bool) {
	if strings.TrimSpace(v) == "" {
		if required {
			c.fail(field, "required")
		}
		return
	}
	if n := c.rule.Measure(v); n > max {
		c.fail(field, fmt.Sprintf("%d %s, at most %d allowed", n, c.rule, max))
	}
}

// digits checks an item of ASCII digits of length minLen..maxLen.
func (c *checker) digits(field, v string, minLen, maxLen int, required bool) {
	if v == "" {
		if required {
			c.fail(field, "required")
		}
		return
	}
	if !isDigits(v) {
		c.fail(field, "must be digits only")
		return
	}
	switch {
	case minLen == maxLen && len(v) != minLen:
		c.fail(field, fmt.Sprintf("must be exactly %d digits, got %d", minLen, len(v)))
	case len(v) < minLen || len(v) > maxLen:
		c.fail(field, fmt.Sprintf("must be %d to %d digits, got %d", minLen, maxLen, len(v)))
	}
}

// alnum checks an item of ASCII letters and digits, at most max long.
func (c *checker) alnum(field, v string, max int, required bool) {
	if v == "" {
		if required {
			c.fail(field, "required")
		}
		return
	}
	for i := 0; i < len(v); i++ {
		ch := v[i]
		if !(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z') {
			c.fail(field, "must be ASCII letters and digits only")
			return
		}
	}
	if len(v) > max {
		c.fail(field, fmt.Sprintf("%d characters, at most %d allowed", len(v), max))
	}
}

// oneOf checks an enumerated item.
func (c *checker) oneOf(field, v string, required bool, allowed ...string) {
	if v == "" {
		if required {
			c.fail(field, "required")
		}
		return
	}
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	c.fail(field, fmt.Sprintf("must be one of %s", strings.Join(allowed, ", ")))
}

// yesNo checks a Y/N item.
func (c *checker) yesNo(field string, v YesNo, required bool) {
	c.oneOf(field, string(v), required, "Y", "N")
}

// date checks a YYYYMMDD item that must be a real calendar date.
func (c *checker) date(field, v string, required bool) {
	if v == "" {
		if required {
			c.fail(field, "required")
		}
		return
	}
	if !validDate(v) {
		c.fail(field, "must be a date written YYYYMMDD")
	}
}

// zip checks a 5-digit postal code (우편번호).
func (c *checker) zip(field, v string, required bool) {
	c.digits(field, v, 5, 5, required)
}

// phoneDigits normalizes a phone item to its digits with internal/phone and checks that the
// service's limit holds. The error names the field and shows only a masked number.
func (c *checker) phoneDigits(field, v string, max int) string {
	if strings.TrimSpace(v) == "" {
		return ""
	}
	digits, err := phone.Normalize(v)
	if err != nil {
		var pe *phone.Error
		if errors.As(err, &pe) {
			reason := "not a valid Korean phone number: " + pe.Reason.String()
			if pe.Masked != "" {
				reason += " (" + pe.Masked + ")"
			}
			c.fail(field, reason)
		} else {
			c.fail(field, "not a valid Korean phone number")
		}
		return ""
	}
	if len(digits) > max {
		c.fail(field, fmt.Sprintf("%d digits, at most %d allowed (%s)", len(digits), max, phone.Mask(digits)))
		return ""
	}
	return digits
}

// phoneFormatted is phoneDigits for the office items, which the manual writes with hyphens
// ("061-1234-5678", length 14).
func (c *checker) phoneFormatted(field, v string, max int) string {
	digits := c.phoneDigits(field, v, max)
	if digits == "" {
		return ""
	}
	n, err := phone.Parse(digits)
	if err != nil {
		return digits
	}
	if f := n.Format(); len(f) <= max {
		return f
	}
	return digits
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

func validDate(s string) bool {
	if len(s) != 8 || !isDigits(s) {
		return false
	}
	_, err := time.ParseInLocation(wire.LayoutDate, s, wire.KST)
	return err == nil
}

// FormatDate writes t as the service's YYYYMMDD date in Korea Standard Time, for reqYmd and
// retVisitYmd.
func FormatDate(t time.Time) string { return wire.FormatKST(t, wire.LayoutDate) }
