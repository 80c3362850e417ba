package vendorerr

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/kshop-dev/kshop"
)

// Retryable is the rule every vendor error follows: never when the call's outcome is unknown;
// otherwise on HTTP 429 and on a 5xx other than 501.
func Retryable(status int, outcomeUnknown bool) bool {
	if outcomeUnknown {
		return false
	}
	return status == http.StatusTooManyRequests || UnknownStatus(status)
}

// UnknownStatus reports an HTTP status that, answering a request that was written, leaves a
// send's, booking's or cancel's outcome unknown: a 5xx other than 501 (which says the server
// does not do what was asked).
func UnknownStatus(status int) bool { return status >= 500 && status != http.StatusNotImplemented }

// APIText is a refusal's error text: "vendor: op: HTTP status[, code c][: message]", with
// "; " and ErrOutcomeUnknown's text when the outcome is unknown. The caller passes only what
// may be shown (no secrets, phone numbers masked).
func APIText(vendor, op string, status int, code, message string, outcomeUnknown bool) string {
	var b strings.Builder
	b.WriteString(vendor)
	b.WriteString(": ")
	b.WriteString(op)
	b.WriteString(": HTTP ")
	b.WriteString(strconv.Itoa(status))
	if code != "" {
		b.WriteString(", code ")
		b.WriteString(code)
	}
	if message != "" {
		b.WriteString(": ")
		b.WriteString(message)
	}
	unknownSuffix(&b, outcomeUnknown)
	return b.String()
}

// ResponseText is the error text of an answer that could not be understood: "vendor: op:
// answer could not be understood (HTTP status[, content type]): message", with the unknown
// suffix as in APIText.
func ResponseText(vendor, op string, status int, contentType, message string, outcomeUnknown bool) string {
	var b strings.Builder
	b.WriteString(vendor)
	b.WriteString(": ")
	b.WriteString(op)
	b.WriteString(": answer could not be understood (HTTP ")
	b.WriteString(strconv.Itoa(status))
	if contentType != "" {
		b.WriteString(", ")
		b.WriteString(contentType)
	}
	b.WriteString("): ")
	b.WriteString(message)
	unknownSuffix(&b, outcomeUnknown)
	return b.String()
}

func unknownSuffix(b *strings.Builder, outcomeUnknown bool) {
	if outcomeUnknown {
		b.WriteString("; ")
		b.WriteString(kshop.ErrOutcomeUnknown.Error())
	}
}

// ResponseUnwrap is what an answer that could not be understood unwraps to:
// kshop.ErrBadResponse, kshop.ErrOutcomeUnknown when the outcome is unknown, and cause (the
// transport's error that carried the answer) when there is one.
func ResponseUnwrap(outcomeUnknown bool, cause error) []error {
	errs := []error{kshop.ErrBadResponse}
	if outcomeUnknown {
		errs = append(errs, kshop.ErrOutcomeUnknown)
	}
	if cause != nil {
		errs = append(errs, cause)
	}
	return errs
}

// KeyRefusal matches the words of a refusal ("invalid", "유효하지", "존재하지", …) in a vendor's
// message. A vendor package calls a refusal one of its credentials only when the message also
// names a credential (its own pattern), since the same words refuse a template or a phone.
var KeyRefusal = regexp.MustCompile(`(?i)(유효하지|유효 하지|잘못된|올바르지|없는|존재하지|일치하지|만료|invalid|incorrect|wrong|expired|unknown|not\s+found|missing|required|필수|unauthori[sz]ed|forbidden|denied)`)
