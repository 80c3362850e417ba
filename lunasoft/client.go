package lunasoft

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/secret"
	"github.com/kshop-dev/kshop/internal/transport"
	"github.com/kshop-dev/kshop/internal/vendorerr"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Credentials are the Lunasoft account ID and the API key Lunasoft issued for it (Godomall's
// "Luna userid" and api_key). Both go in every request body.
type Credentials struct {
	// UserID is the Lunasoft account ID (userid, at most 20 characters). It is not a secret.
	UserID string
	// APIKey is the issued key (api_key, at most 50 characters).
	APIKey string
}

// String shows the user ID and only the length of the key, so credentials printed by mistake
// leak nothing.
func (cr Credentials) String() string {
	return "lunasoft.Credentials{UserID: " + cr.UserID + ", APIKey: " + secret.Mask(cr.APIKey) + "}"
}

// GoString is String, for %#v.
func (cr Credentials) GoString() string { return cr.String() }

// Format prints String for every verb (%v, %+v, %#v, %s, %q, …), so no verb reveals the key.
func (cr Credentials) Format(f fmt.State, verb rune) { secret.Format(f, verb, cr.String()) }

// MarshalJSON encodes the credentials with the key masked. (Decoding is unaffected.)
func (cr Credentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct{ UserID, APIKey string }{cr.UserID, secret.Mask(cr.APIKey)})
}

// LogValue keeps the key out of slog output.
func (cr Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user_id", cr.UserID), slog.String("api_key", secret.Mask(cr.APIKey)))
}

// Client sends AlimTalk through Lunasoft's jupiter API. It is safe for concurrent use;
// NewClient makes no network call. It implements alimtalk.Sender.
type Client struct {
	*clientCore
}

// clientCore is the client's state. The Client holds it through one pointer and it holds
// every key through another, so that even fmt's reflection over a Client it cannot ask to
// print itself (a Client in an unexported field, under any verb) shows addresses, never keys.
type clientCore struct {
	creds  *Credentials
	s      settings
	limits alimtalk.Limits
	tr     *transport.Client
	prefix *[]byte // `{"userid":…,"api_key":…,` — the start of every request body
}

// Compile-time check: the Client is an AlimTalk provider.
var _ alimtalk.Sender = (*Client)(nil)

// NewClient checks the credentials and options and builds a client. UserID (≤ 20 characters)
// and APIKey (≤ 50) are required, without spaces or control characters.
func NewClient(creds Credentials, opts ...Option) (*Client, error) {
	s := defaultSettings()
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&s); err != nil {
			return nil, err
		}
	}
	if err := checkCredentials(creds); err != nil {
		return nil, err
	}
	c := &Client{clientCore: &clientCore{creds: &creds, s: s, limits: s.limits}}
	if c.limits.Now == nil {
		c.limits.Now = s.now // WithClock also drives the reservation checks
	}
	tr, err := transport.New(s.transportConfig([]string{creds.APIKey}))
	if err != nil {
		return nil, &kshop.ValidationError{Op: "lunasoft.NewClient", Problems: []*kshop.FieldError{{Field: "WithBaseURL",
			Rule: kshop.RuleNotAllowed, Detail: "must be https (plain http only for loopback test servers)", Err: err}}}
	}
	c.tr = tr
	b := append([]byte(nil), `{"userid":`...)
	b = appendString(b, creds.UserID)
	b = append(b, `,"api_key":`...)
	b = appendString(b, creds.APIKey)
	b = append(b, ',')
	c.prefix = &b
	return c, nil
}

func checkCredentials(cr Credentials) error {
	var problems []*kshop.FieldError
	for _, k := range []struct {
		field, key, value string
		limit             int
	}{{"Credentials.UserID", "userid", cr.UserID, 20}, {"Credentials.APIKey", "api_key", cr.APIKey, 50}} {
		n := utf8.RuneCountInString(k.value)
		switch {
		case strings.TrimSpace(k.value) == "":
			problems = append(problems, &kshop.FieldError{Field: k.field, Key: k.key, Rule: kshop.RuleRequired,
				Detail: "issued by Lunasoft with the account"})
		case !utf8.ValidString(k.value):
			problems = append(problems, &kshop.FieldError{Field: k.field, Key: k.key, Rule: kshop.RuleInvalidUTF8})
		case strings.IndexFunc(k.value, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
			problems = append(problems, &kshop.FieldError{Field: k.field, Key: k.key, Rule: kshop.RuleFormat,
				Detail: "must not contain spaces or control characters"})
		case n > k.limit:
			problems = append(problems, &kshop.FieldError{Field: k.field, Key: k.key, Rule: kshop.RuleTooLong, Limit: k.limit, Got: n})
		}
	}
	return kshop.NewValidationError("lunasoft.NewClient", problems)
}

// String describes the client without its key.
func (c Client) String() string {
	if c.clientCore == nil {
		return "lunasoft.Client{}"
	}
	return "lunasoft.Client{base: " + c.s.baseURL + ", credentials: " + c.creds.String() + "}"
}

// GoString is String, for %#v.
func (c Client) GoString() string { return c.String() }

// Format prints String for every verb, so neither %v nor %#v of a client (or of *client)
// reveals the key through its unexported fields. (Value receivers, so that a copy of the
// struct is covered too.)
func (c Client) Format(f fmt.State, verb rune) { secret.Format(f, verb, c.String()) }

// MarshalJSON encodes only the base URL and the masked credentials.
func (c Client) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		BaseURL     string
		Credentials Credentials
	}{c.baseURL(), c.credentials()})
}

// LogValue keeps the key out of slog output.
func (c Client) LogValue() slog.Value {
	return slog.GroupValue(slog.String("base_url", c.baseURL()), slog.Any("credentials", c.credentials()))
}

// baseURL and credentials read the core, or give zero values for a zero Client.
func (c Client) baseURL() string {
	if c.clientCore == nil {
		return ""
	}
	return c.s.baseURL
}

func (c Client) credentials() Credentials {
	if c.clientCore == nil {
		return Credentials{}
	}
	return *c.creds
}

const jsonContentType = "application/json; charset=UTF-8"

// post sends one send request and classifies the outcome: the answer when Lunasoft accepted
// the request (code 0), or an error: *APIError (Lunasoft refused it), *ResponseError (an answer
// that could not be understood), or the transport's error when no answer arrived at all (it
// wraps ErrOutcomeUnknown or ErrNotSent as the case may be).
//
// The classification never depends on the context's state: a 5xx (other than 501) after the
// request was written is unknown, and so is a 2xx that cannot be read as a plain success or
// refusal, whether or not ctx ended meanwhile.
func (c *Client) post(ctx context.Context, body []byte) (*answer, error) {
	resp, err := c.tr.Do(ctx, &transport.Request{
		Class:       transport.NonIdempotent,
		Method:      http.MethodPost,
		Path:        SendPath,
		Body:        body,
		ContentType: jsonContentType,
	})
	return c.read("Send", resp, err)
}

// read classifies the transport's outcome of a send (see post).
func (c *Client) read(op string, resp *transport.Response, err error) (*answer, error) {
	if err != nil {
		var te *transport.Error
		if errors.As(err, &te) && te.Status != 0 {
			return nil, c.failedAnswer(op, te)
		}
		return nil, fmt.Errorf("lunasoft: %s: %w", op, err)
	}
	v := judge(resp.StatusCode, resp.Body)
	switch {
	case v.problem != "":
		return nil, c.badAnswer(op, resp.StatusCode, resp.Header, resp.Body, v.problem, v.unknown, nil)
	case v.refused:
		return nil, c.apiError(op, v.a, resp.Body, v.unknown, nil)
	}
	return v.a, nil
}

// verdict is what an answer (that came without a transport error) means.
type verdict struct {
	a       *answer
	problem string // not "": the answer could not be understood (a *ResponseError)
	refused bool   // Lunasoft refused the request (an *APIError)
	unknown bool   // the request may have been carried out
}

// judge classifies an answer to a send as a pure function of the status and the body (never
// of a context): a 2xx that is not a plain success or a plain refusal, and any 5xx other than
// 501, leave the outcome unknown.
func judge(status int, body []byte) verdict {
	a, fast := fastAnswer(status, body)
	var problem wire.DecodeProblem
	if !fast {
		a, problem = parseAnswer(status, body)
	}
	switch {
	case problem != "" && !success(status):
		// An HTTP error status is an answer we understand even when its body is a gateway's
		// page: a refusal by status, as every vendor package reports it.
		return verdict{a: bareHTTP(status), refused: true, unknown: vendorerr.UnknownStatus(status)}
	case problem != "":
		return verdict{problem: string(problem), unknown: true}
	case !success(status):
		return verdict{a: a, refused: true, unknown: vendorerr.UnknownStatus(status)}
	case !a.hasCode:
		return verdict{problem: "no result code in the answer", unknown: true}
	case !a.ok() && a.listsAccepted():
		// A refusal of the request beside messages listed as taken: which is it?
		return verdict{problem: "a refusal that lists accepted messages", unknown: true}
	case !a.ok():
		return verdict{a: a, refused: true}
	}
	return verdict{a: a}
}

// success reports a 2xx status.
func success(status int) bool { return status >= 200 && status <= 299 }

// bareHTTP is the answer an HTTP error status gives when its body is not Lunasoft's JSON.
func bareHTTP(status int) *answer { return &answer{status: status, message: http.StatusText(status)} }

// failedAnswer turns an answer that came with a transport error (a 5xx of a send, a 429 after
// the retries, a truncated or oversize body) into an *APIError or *ResponseError, keeping the
// transport's error as its cause.
func (c *Client) failedAnswer(op string, te *transport.Error) error {
	unknown := te.OutcomeUnknown() || vendorerr.UnknownStatus(te.Status)
	switch {
	case errors.Is(te, transport.ErrResponseTooLarge):
		return c.badAnswer(op, te.Status, te.Header, te.Body, "body over the size limit", true, te)
	case strings.Contains(te.Reason, "truncated"):
		return c.badAnswer(op, te.Status, te.Header, te.Body, "truncated body", true, te)
	}
	a, problem := parseAnswer(te.Status, te.Body)
	if problem != "" && !success(te.Status) {
		a = bareHTTP(te.Status)
	} else if problem != "" {
		return c.badAnswer(op, te.Status, te.Header, te.Body, string(problem), unknown, te)
	}
	return c.apiError(op, a, te.Body, unknown, te)
}

func (c *Client) apiError(op string, a *answer, body []byte, unknown bool, cause error) *APIError {
	red := c.tr.Redactor()
	return &APIError{
		Op:             op,
		HTTPStatus:     a.status,
		VendorCode:     red.Text(a.code),
		Message:        red.Text(a.message),
		Body:           []byte(red.Text(string(wire.CapBody(body, maxErrorBody)))),
		unauthorized:   !unknown && unauthorized(a.status, a.code, a.message),
		outcomeUnknown: unknown,
		cause:          cause,
	}
}

// badAnswer builds a *ResponseError.
func (c *Client) badAnswer(op string, status int, header http.Header, body []byte, reason string, unknown bool, cause error) *ResponseError {
	red := c.tr.Redactor()
	ct := ""
	if header != nil {
		ct = header.Get("Content-Type")
	}
	return &ResponseError{
		Op: op, HTTPStatus: status, ContentType: red.Text(ct), Message: red.Text(reason),
		Body: []byte(red.Text(string(wire.CapBody(body, maxErrorBody)))), outcomeUnknown: unknown, cause: cause,
	}
}
