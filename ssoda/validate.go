package ssoda

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
)

// Length limits of the identifiers this package sends. Ssoda publishes none for message ids,
// channel IDs, tokens and search keywords; these bounds are generous guards against a value
// that cannot be an identifier (a pasted document, a runaway buffer), checked before any
// request.
const (
	// MaxMessageIDLength bounds a msg_id given to Reservations.Cancel or ReconcileRequest.
	MaxMessageIDLength = 64
	// MaxChannelIDLength bounds a channel search ID ("@myshop").
	MaxChannelIDLength = 64
	// MaxProfileTokenLength bounds the sender-profile token Kakao texts to the administrator.
	MaxProfileTokenLength = 32
	// MaxCategoryCodeLength bounds a profile or template category code.
	MaxCategoryCodeLength = 20
	// MaxKeywordLength bounds a list call's Keyword (a phone number, a msg_id or message text,
	// which is at most 1,000 characters).
	MaxKeywordLength = 1000
)

// checker collects every problem of one call's input, so that a caller learns them all at
// once; err returns a *kshop.ValidationError, or nil when there is none.
type checker struct {
	op       string
	problems []*kshop.FieldError
}

func newChecker(op string) *checker { return &checker{op: "ssoda." + op} }

func (c *checker) add(fe *kshop.FieldError) { c.problems = append(c.problems, fe) }

func (c *checker) problem(field, key string, rule kshop.Rule, detail string) {
	c.add(&kshop.FieldError{Field: field, Key: key, Rule: rule, Detail: detail})
}

func (c *checker) err() error { return kshop.NewValidationError(c.op, c.problems) }

// invalid is a one-problem *kshop.ValidationError.
func invalid(op, field string, rule kshop.Rule, detail string) error {
	c := newChecker(op)
	c.problem(field, "", rule, detail)
	return c.err()
}

// text checks a value sent as text: valid UTF-8 and no control characters (allowed lists
// those tolerated, e.g. "\n"). It reports whether the value passed.
func (c *checker) text(field, key, v, allowed string) bool {
	if !utf8.ValidString(v) {
		c.problem(field, key, kshop.RuleInvalidUTF8, "")
		return false
	}
	if strings.IndexFunc(v, func(r rune) bool { return unicode.IsControl(r) && !strings.ContainsRune(allowed, r) }) >= 0 {
		c.problem(field, key, kshop.RuleControlChars, "")
		return false
	}
	return true
}

// ident checks an identifier sent to Ssoda: required when asked, at most max characters,
// valid UTF-8, and no spaces or control characters (a CR or LF in an identifier is never
// legitimate). It reports whether the value passed.
func (c *checker) ident(field, key, v string, required bool, max int) bool {
	if v == "" {
		if required {
			c.problem(field, key, kshop.RuleRequired, "")
			return false
		}
		return true
	}
	if n := utf8.RuneCountInString(v); max > 0 && n > max {
		c.add(&kshop.FieldError{Field: field, Key: key, Rule: kshop.RuleTooLong, Limit: max, Got: n})
		return false
	}
	if !c.text(field, key, v, "") {
		return false
	}
	if strings.IndexFunc(v, unicode.IsSpace) >= 0 {
		c.problem(field, key, kshop.RuleFormat, "must not contain spaces")
		return false
	}
	return true
}

// fieldErrors copies alimtalk's field errors (of a template or a message) into kshop's shape
// under prefix ("Template.Buttons[0].URLMobile"), keeping the original *alimtalk.FieldError as
// Err so that errors.As still finds it.
func (c *checker) fieldErrors(prefix string, err error) {
	if err == nil {
		return
	}
	var list alimtalk.FieldErrors
	var one *alimtalk.FieldError
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = alimtalk.FieldErrors{one}
	default:
		c.add(&kshop.FieldError{Field: prefix, Rule: kshop.RuleFormat, Err: err})
		return
	}
	for _, fe := range list {
		field := fe.Field
		if field == "" {
			field = goPath(fe.Key)
		}
		if prefix != "" {
			field = prefix + "." + field
		}
		c.add(&kshop.FieldError{Field: field, Key: fe.Key, Rule: fe.Reason.Rule(), Limit: fe.Limit, Got: fe.Got,
			Detail: fe.Detail, Err: fe})
	}
}

// goPath turns alimtalk's snake_case path ("buttons[2].url_mobile") into a Go field path
// ("Buttons[2].URLMobile").
func goPath(p string) string {
	parts := strings.Split(p, ".")
	for i, part := range parts {
		name, index, _ := strings.Cut(part, "[")
		words := strings.Split(name, "_")
		for j, w := range words {
			switch w {
			case "url", "id", "ios", "pc", "lms", "sms":
				words[j] = strings.ToUpper(w)
			default:
				if w != "" {
					words[j] = strings.ToUpper(w[:1]) + w[1:]
				}
			}
		}
		parts[i] = strings.Join(words, "")
		if index != "" {
			parts[i] += "[" + index
		}
	}
	return strings.Join(parts, ".")
}
