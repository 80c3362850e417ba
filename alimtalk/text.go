package alimtalk

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// checkText refuses invalid UTF-8 and control characters in a text sent to Kakao. Providers
// pass them on as "\u0000" or U+FFFD, and Kakao either refuses the message or shows garbage,
// so they are stopped here. multiline allows CR, LF and TAB, which Kakao keeps in message and
// SMS/LMS bodies; titles, subjects, button names and links are one line (inferred: Kakao shows
// them on one line and no provider documents line breaks in them). One problem per field is
// reported.
func checkText(key, s string, multiline bool, errs FieldErrors) FieldErrors {
	if fe := textProblem(key, s, multiline); fe != nil {
		errs = append(errs, fe)
	}
	return errs
}

func textProblem(key, s string, multiline bool) *FieldError {
	if r := textFault(s, multiline); r != 0 {
		return textFieldError(key, r, multiline)
	}
	return nil
}

// textFault is textProblem without building the error: 0, ReasonControlChars or
// ReasonInvalidUTF8. Hot paths call it so that a field's key is built only when something is
// wrong.
func textFault(s string, multiline bool) Reason {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if c < ' ' || c == 0x7f {
				if multiline && (c == '\n' || c == '\r' || c == '\t') {
					continue
				}
				return ReasonControlChars
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return ReasonInvalidUTF8
		}
		if unicode.IsControl(r) {
			return ReasonControlChars
		}
		i += size
	}
	return 0
}

// scanText is textFault that also counts the characters of s (as utf8.RuneCountInString
// does), so that a long text is read once.
func scanText(s string, multiline bool) (n int, fault Reason) {
	for i := 0; i < len(s); n++ {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if (c < ' ' || c == 0x7f) && fault == 0 && !(multiline && (c == '\n' || c == '\r' || c == '\t')) {
				fault = ReasonControlChars
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case fault != 0:
		case r == utf8.RuneError && size == 1:
			fault = ReasonInvalidUTF8
		case unicode.IsControl(r):
			fault = ReasonControlChars
		}
		i += size
	}
	return n, fault
}

// textFieldError is the *FieldError of a textFault.
func textFieldError(key string, r Reason, multiline bool) *FieldError {
	if r == ReasonControlChars {
		return &FieldError{Key: key, Reason: r, Detail: controlDetail(multiline)}
	}
	return &FieldError{Key: key, Reason: r}
}

func controlDetail(multiline bool) string {
	if multiline {
		return "only line breaks and tabs are allowed"
	}
	return "no control characters, line breaks or tabs"
}

// unclosedPlaceholder reports whether s holds a "#{" that opens no placeholder (an unclosed
// "#{name", a blank "#{ }", a brace or line break inside the name). In a message such text is
// literal, but in a template it is almost always a typo that would leave a variable unfilled.
func unclosedPlaceholder(s string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], placeholderOpen)
		if j < 0 {
			return false
		}
		j += i
		_, end, ok := placeholderAt(s, j)
		if !ok {
			return true
		}
		i = end
	}
}

// checkPattern checks a template text that takes #{…} variables: valid UTF-8, no control
// characters (line breaks and tabs where multiline) and no unclosed placeholder.
func checkPattern(key, s string, multiline bool, errs FieldErrors) FieldErrors {
	if fe := textProblem(key, s, multiline); fe != nil {
		return append(errs, fe)
	}
	if unclosedPlaceholder(s) {
		errs = append(errs, &FieldError{Key: key, Reason: ReasonInvalid,
			Detail: "a \"#{\" opens no variable: close it with \"}\" on the same line, or remove it"})
	}
	return errs
}
