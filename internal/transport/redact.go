package transport

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/kshop-dev/kshop/internal/phone"
)

// Redacted replaces every secret value in logs and error strings.
const Redacted = "REDACTED"

// Default names whose values are secrets. Vendors add their own through Config.
var (
	defaultSecretHeaders = []string{"x-api-key", "authorization", "proxy-authorization", "cookie", "set-cookie"}
	defaultSecretParams  = []string{"key", "regkey", "servicekey", "regdata", "api_key", "apikey", "token_key", "password", "secret"}
	defaultSecretFields  = []string{"token_key", "api_key", "apikey", "password", "secret", "agentkey"}
)

// Redactor scrubs secrets and masks phone numbers. It is immutable and safe for concurrent use.
type Redactor struct {
	headers map[string]bool // lower-case header names
	params  map[string]bool // lower-case query and form names
	field   *regexp.Regexp  // JSON "field": value pairs
	nested  *regexp.Regexp  // the same inside a JSON string (\"field\":\"value\"), as echoed bodies carry them
	param   *regexp.Regexp  // name=value pairs in URLs, forms and free text
	secrets []string        // exact secret values, longest first
}

// NewRedactor builds a Redactor that redacts the default names plus the given header, query or
// form parameter, and JSON field names, and every occurrence of the given secret values (API
// keys, tokens) in any text. Secrets shorter than 4 characters are ignored: redacting them would
// shred ordinary text.
func NewRedactor(headers, params, fields, secrets []string) *Redactor {
	r := &Redactor{headers: map[string]bool{}, params: map[string]bool{}}
	for _, h := range append(append([]string(nil), defaultSecretHeaders...), headers...) {
		r.headers[strings.ToLower(h)] = true
	}
	allParams := append(append([]string(nil), defaultSecretParams...), params...)
	allFields := append(append([]string(nil), defaultSecretFields...), fields...)
	for _, p := range allParams {
		r.params[strings.ToLower(p)] = true
	}
	fieldNames := alternation(allFields)
	r.field = regexp.MustCompile(`(?i)"(` + fieldNames + `)"(\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\]\s]+)`)
	// One level of nesting: in the raw text an inner value's delimiters are \" and an escaped
	// quote inside it is \\\"; deeper nesting is left to the exact-secret pass.
	r.nested = regexp.MustCompile(`(?i)\\"(` + fieldNames + `)\\"(\s*:\s*)(\\"(?:\\\\\\"|\\\\\\\\|\\\\[^"\\]|\\[^"\\]|[^"\\])*\\"|[^,}\]\s\\]+)`)
	// A parameter name starts after a non-word character so "key" does not match "monkey".
	r.param = regexp.MustCompile(`(?i)(^|[^A-Za-z0-9_])(` + alternation(append(allParams, allFields...)) + `)=([^&\s"'<>]*)`)
	for _, s := range secrets {
		if len(s) >= 4 {
			r.secrets = append(r.secrets, s)
			if esc := url.QueryEscape(s); esc != s {
				r.secrets = append(r.secrets, esc)
			}
		}
	}
	sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
	return r
}

func alternation(names []string) string {
	seen := map[string]bool{}
	var quoted []string
	for _, n := range names {
		n = strings.ToLower(n)
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		quoted = append(quoted, regexp.QuoteMeta(n))
	}
	// Longest first, so "token_key" wins over "key".
	sort.Slice(quoted, func(i, j int) bool { return len(quoted[i]) > len(quoted[j]) })
	return strings.Join(quoted, "|")
}

// Text redacts secret JSON fields, secret name=value pairs, known secret values and phone
// numbers in free text: bodies, URLs, error messages.
func (r *Redactor) Text(s string) string {
	if s == "" {
		return s
	}
	for _, secret := range r.secrets {
		if strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, Redacted)
		}
	}
	s = r.field.ReplaceAllString(s, `"$1"$2"`+Redacted+`"`)
	s = r.nested.ReplaceAllString(s, `\"$1\"$2\"`+Redacted+`\"`)
	s = r.param.ReplaceAllString(s, `$1$2=`+Redacted)
	return phone.MaskIn(s)
}

// URL renders u without user info and with secret query values redacted.
func (r *Redactor) URL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.User = nil
	if c.RawQuery != "" {
		q := c.Query()
		for name := range q {
			if r.params[strings.ToLower(name)] {
				q[name] = []string{Redacted}
			}
		}
		c.RawQuery = q.Encode()
	}
	return r.Text(c.String())
}

// Header returns a copy of h with secret header values redacted, as one line per header.
func (r *Redactor) Header(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for name, vals := range h {
		if r.headers[strings.ToLower(name)] {
			out[name] = Redacted
			continue
		}
		out[name] = r.Text(strings.Join(vals, ", "))
	}
	return out
}
