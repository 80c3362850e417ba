package ssoda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/secret"
	"github.com/kshop-dev/kshop/internal/transport"
	"github.com/kshop-dev/kshop/internal/vendorerr"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Credentials are what the Ssoda console's API 토큰 관리 page issues, plus the default sender
// profile.
type Credentials struct {
	// APIKey is sent as the x-api-key header. It is generated together with the token.
	APIKey string
	// TokenKey is sent as token_key in every request body. Calls are accepted only from the
	// server IP addresses registered for it.
	TokenKey string
	// SenderKey is the default Kakao sender-profile key (발신프로필 key, 40 characters) for
	// sends and template calls; a message or request may name another. Optional.
	SenderKey string
}

// String shows only the length of each key, so credentials printed by mistake leak nothing.
func (cr Credentials) String() string {
	return "ssoda.Credentials{APIKey: " + secret.Mask(cr.APIKey) + ", TokenKey: " + secret.Mask(cr.TokenKey) +
		", SenderKey: " + secret.Mask(cr.SenderKey) + "}"
}

// GoString is String, for %#v.
func (cr Credentials) GoString() string { return cr.String() }

// Format prints String for every verb (%v, %+v, %#v, %s, %q, …), so no verb reveals a key.
func (cr Credentials) Format(f fmt.State, verb rune) { secret.Format(f, verb, cr.String()) }

// MarshalJSON encodes the credentials with every key masked, so a struct holding them can be
// logged or dumped as JSON without leaking them. (Decoding into Credentials is unaffected.)
func (cr Credentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct{ APIKey, TokenKey, SenderKey string }{
		secret.Mask(cr.APIKey), secret.Mask(cr.TokenKey), secret.Mask(cr.SenderKey)})
}

// LogValue keeps the keys out of slog output.
func (cr Credentials) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("api_key", secret.Mask(cr.APIKey)),
		slog.String("token_key", secret.Mask(cr.TokenKey)),
		slog.String("sender_key", secret.Mask(cr.SenderKey)))
}

// Client calls the Ssoda REST API. It is safe for concurrent use; NewClient makes no network
// call. Calls are grouped by resource: Templates, Profiles, History, Reservations and Account;
// sending and the cross-cutting helpers (Send, SendFriendTalk, CheckAccess, Reconcile) are
// methods of the Client itself.
type Client struct {
	*clientCore

	// Templates manages AlimTalk templates (add, review request, list, detail, code check,
	// categories).
	Templates *TemplatesService
	// Profiles registers Kakao sender profiles (token request, categories, create).
	Profiles *ProfilesService
	// History lists sent AlimTalk and FriendTalk messages.
	History *HistoryService
	// Reservations lists and cancels reserved messages.
	Reservations *ReservationsService
	// Account reads the remaining points and the registered SMS sender numbers.
	Account *AccountService
}

// clientCore is the client's state. The Client holds it through one pointer and it holds
// every key through another, so that even fmt's reflection over a Client it cannot ask to
// print itself (a Client in an unexported field, under any verb) shows addresses, never keys.
type clientCore struct {
	creds  *Credentials
	s      settings
	cache  *TemplateCache // WithTemplateRefresh
	limits alimtalk.Limits
	tr     *transport.Client
	header *transport.FixedHeader // X-Api-Key, and X-Forwarded-For with WithForwardedFor
}

type service struct{ c *Client }

// TemplatesService groups the template calls; use Client.Templates.
type TemplatesService service

// ProfilesService groups the sender-profile calls; use Client.Profiles.
type ProfilesService service

// HistoryService groups the sent-list calls; use Client.History.
type HistoryService service

// ReservationsService groups the reservation calls; use Client.Reservations.
type ReservationsService service

// AccountService groups the account calls; use Client.Account.
type AccountService service

// Compile-time check: the Client is an AlimTalk provider.
var _ alimtalk.Sender = (*Client)(nil)

// NewClient checks the credentials and options and builds a client. APIKey and TokenKey are
// required; SenderKey is optional (then every message and template call must name one).
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
	c := &Client{clientCore: &clientCore{creds: &creds, s: s, limits: s.limits}}
	if c.limits.Now == nil {
		c.limits.Now = s.now // WithClock also drives the ScheduledAt checks
	}
	if err := c.checkCredentials(); err != nil {
		return nil, err
	}
	var secrets []string
	for _, v := range []string{creds.APIKey, creds.TokenKey, creds.SenderKey} {
		if v != "" {
			secrets = append(secrets, v)
		}
	}
	tr, err := transport.New(s.transportConfig(secrets))
	if err != nil {
		return nil, &kshop.ValidationError{Op: "ssoda.NewClient", Problems: []*kshop.FieldError{{Field: "WithBaseURL",
			Rule: kshop.RuleNotAllowed, Detail: "must be https (plain http only for loopback test servers)", Err: err}}}
	}
	c.tr = tr
	header := http.Header{"X-Api-Key": {creds.APIKey}}
	if s.forwardedFor != "" {
		header.Set("X-Forwarded-For", s.forwardedFor)
	}
	c.header = tr.FixHeader(jsonContentType, header)
	c.Templates = (*TemplatesService)(&service{c})
	c.Profiles = (*ProfilesService)(&service{c})
	c.History = (*HistoryService)(&service{c})
	c.Reservations = (*ReservationsService)(&service{c})
	c.Account = (*AccountService)(&service{c})
	if s.templateTTL > 0 {
		c.cache = &TemplateCache{templates: c.Templates, ttl: s.templateTTL, now: s.now}
		c.s.templates = c.cache
	}
	return c, nil
}

// String describes the client without its keys.
func (c Client) String() string {
	if c.clientCore == nil {
		return "ssoda.Client{}"
	}
	return "ssoda.Client{base: " + c.s.baseURL + ", credentials: " + c.creds.String() + "}"
}

// GoString is String, for %#v.
func (c Client) GoString() string { return c.String() }

// Format prints String for every verb, so neither %v nor %#v of a client (or of *client)
// reveals a key through its unexported fields. (Value receivers, so that a copy of the
// struct is covered too.)
func (c Client) Format(f fmt.State, verb rune) { secret.Format(f, verb, c.String()) }

// MarshalJSON encodes only the base URL and the masked credentials.
func (c Client) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		BaseURL     string
		Credentials Credentials
	}{c.baseURL(), c.credentials()})
}

// LogValue keeps the keys out of slog output.
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

func (c *Client) checkCredentials() error {
	ch := newChecker("NewClient")
	for _, k := range []struct{ name, value string }{{"APIKey", c.creds.APIKey}, {"TokenKey", c.creds.TokenKey}} {
		if k.value == "" {
			ch.problem("Credentials."+k.name, "", kshop.RuleRequired, "Ssoda console: API 토큰 관리")
			continue
		}
		ch.ident("Credentials."+k.name, "", k.value, true, 0)
	}
	if c.creds.SenderKey != "" {
		c.checkSenderKey(ch, "Credentials.SenderKey", c.creds.SenderKey)
	}
	return ch.err()
}

// checkSenderKey checks a sender-profile key: Limits.SenderKeyLength (40) characters, no
// spaces or control characters.
func (c *Client) checkSenderKey(ch *checker, field, key string) {
	want := c.senderKeyLength()
	if !ch.ident(field, "sender_key", key, true, want) {
		return
	}
	if n := utf8.RuneCountInString(key); n != want {
		ch.add(&kshop.FieldError{Field: field, Key: "sender_key", Rule: kshop.RuleFormat, Limit: want, Got: n,
			Detail: "a sender-profile key has exactly " + strconv.Itoa(want) + " characters"})
	}
}

func (c *Client) senderKeyLength() int {
	if c.limits.SenderKeyLength > 0 {
		return c.limits.SenderKeyLength
	}
	return alimtalk.DefaultLimits().SenderKeyLength
}

// senderKey returns key, or the default sender key when key is empty, checked into ch.
func (c *Client) senderKey(ch *checker, key string) string {
	if key == "" {
		key = c.creds.SenderKey
	}
	if key == "" {
		ch.problem("SenderKey", "senderKey", kshop.RuleRequired, "set it in the request or in Credentials.SenderKey")
		return ""
	}
	c.checkSenderKey(ch, "SenderKey", key)
	return key
}

// newBody starts a request body with the token key, which every call carries.
func (c *Client) newBody() *object {
	o := pooledObject()
	o.str("token_key", c.creds.TokenKey)
	return o
}

// post sends one call and returns its successful answer, or an error: *APIError (Ssoda
// refused), *ResponseError (an answer that could not be understood), or the transport's error
// when no answer arrived at all (it wraps ErrOutcomeUnknown or ErrNotSent as the case may be).
// Every Ssoda call is a POST, reads included; class says whether repeating it is harmless,
// which is about effect, not method.
//
// The classification of an answer never depends on the context's state: for a
// non-idempotent call, a 5xx (other than 501) after the request was written is unknown, and so
// is a 2xx that cannot be read as a plain success, whether or not ctx has ended meanwhile.
func (c *Client) post(ctx context.Context, op, path string, class transport.Class, body *object) (*answer, error) {
	resp, err := c.roundTrip(ctx, path, class, body)
	return c.read(op, class, resp, err)
}

// roundTrip sends body (and releases it) and returns the transport's outcome.
func (c *Client) roundTrip(ctx context.Context, path string, class transport.Class, body *object) (*transport.Response, error) {
	raw := body.bytes()
	body.release()
	return c.tr.Do(ctx, &transport.Request{
		Class:  class,
		Method: http.MethodPost,
		Path:   path,
		Fixed:  c.header,
		Body:   raw,
	})
}

const jsonContentType = "application/json; charset=utf-8"

// read classifies the transport's outcome of a call (see post).
func (c *Client) read(op string, class transport.Class, resp *transport.Response, err error) (*answer, error) {
	nonIdem := class == transport.NonIdempotent
	if err != nil {
		var te *transport.Error
		if errors.As(err, &te) && te.Status != 0 {
			return nil, c.failedAnswer(op, te, nonIdem)
		}
		return nil, fmt.Errorf("ssoda: %s: %w", op, err)
	}
	v := judge(resp.StatusCode, resp.Body, nonIdem)
	switch {
	case v.ambiguous:
		return nil, c.badAnswer(op, resp.StatusCode, resp.Header, resp.Body, v.problem, true, nil)
	case v.problem != "":
		return nil, c.unexpected(op, resp.StatusCode, resp.Header, resp.Body, v.problem, v.unknown, nil)
	case v.refused:
		return nil, c.apiError(op, v.a, resp.Body, v.unknown, nil)
	}
	return v.a, nil
}

// verdict is what an answer (that came without a transport error) means.
type verdict struct {
	a         *answer
	problem   string // not "": the answer could not be understood (a *ResponseError)
	ambiguous bool   // the problem is an answer both a success and a refusal
	refused   bool   // Ssoda refused the call (an *APIError)
	unknown   bool   // the call may have been carried out
}

// ok reports a plain success.
func (v verdict) ok() bool { return v.problem == "" && !v.refused }

// judge classifies an answer, as a pure function of the status, the body and the call's class
// (never of a context): for a non-idempotent call, a 2xx that is not a plain success or a
// plain refusal, and any 5xx other than 501, leave the outcome unknown.
func judge(status int, body []byte, nonIdem bool) verdict {
	unknown := nonIdem && (status >= 200 && status <= 299 || vendorerr.UnknownStatus(status))
	a, problem := parseAnswer(status, body)
	if problem != "" && !success(status) {
		// An HTTP error status is an answer we understand even when its body is a gateway's
		// page: a refusal by status, as every vendor package reports it.
		return verdict{a: bareHTTP(status), refused: true, unknown: nonIdem && vendorerr.UnknownStatus(status)}
	}
	if problem != "" {
		return verdict{problem: string(problem), unknown: unknown}
	}
	if nonIdem {
		if p := a.ambiguity(); p != "" {
			return verdict{a: a, problem: p, ambiguous: true, unknown: true}
		}
	}
	if !a.ok() {
		return verdict{a: a, refused: true, unknown: nonIdem && vendorerr.UnknownStatus(status)}
	}
	return verdict{a: a}
}

// success reports a 2xx status.
func success(status int) bool { return status >= 200 && status <= 299 }

// bareHTTP is the answer an HTTP error status gives when its body is not Ssoda's JSON (a
// gateway's HTML page, plain text, nothing): the status alone, with its standard text.
func bareHTTP(status int) *answer {
	return &answer{status: status, message: http.StatusText(status)}
}

// failedAnswer turns an answer that came with a transport error (a 5xx of a send, a 429 after
// the retries, a truncated or oversize body) into an *APIError or *ResponseError. It keeps the
// transport's error as its cause (errors.Is still finds ErrNotSent, a context's error, …),
// and marks a non-idempotent call unknown on a 5xx or an unreadable body whatever the
// transport or the context said.
func (c *Client) failedAnswer(op string, te *transport.Error, nonIdem bool) error {
	unknown := te.OutcomeUnknown()
	if nonIdem && vendorerr.UnknownStatus(te.Status) {
		unknown = true
	}
	switch {
	case errors.Is(te, transport.ErrResponseTooLarge):
		return c.unexpected(op, te.Status, te.Header, te.Body, "body over the size limit", unknown || nonIdem, te)
	case strings.Contains(te.Reason, "truncated"):
		return c.unexpected(op, te.Status, te.Header, te.Body, "truncated body", unknown || nonIdem, te)
	}
	a, problem := parseAnswer(te.Status, te.Body)
	if problem != "" && !success(te.Status) {
		a = bareHTTP(te.Status)
	} else if problem != "" {
		return c.unexpected(op, te.Status, te.Header, te.Body, string(problem), unknown, te)
	}
	return c.apiError(op, a, te.Body, unknown, te)
}

func (c *Client) apiError(op string, a *answer, body []byte, unknown bool, cause error) *APIError {
	red := c.tr.Redactor()
	e := &APIError{
		Op:             op,
		HTTPStatus:     a.status,
		VendorCode:     red.Text(string(a.code)),
		Message:        red.Text(a.message),
		Body:           []byte(red.Text(string(wire.CapBody(body, maxErrorBody)))),
		outcomeUnknown: unknown,
		cause:          cause,
	}
	e.ip, e.unauthorized = classify(a.status, string(a.code), a.message)
	return e
}

// unexpected builds the error of an answer that could not be understood. A short plain-text
// body that reads like an IP or credential refusal, and any 401/403, is an *APIError so
// errors.Is finds ErrIPNotAllowed or ErrUnauthorized; anything else is a *ResponseError.
func (c *Client) unexpected(op string, status int, header http.Header, body []byte, reason string, unknown bool, cause error) error {
	red := c.tr.Redactor()
	text := ""
	if len(body) <= 1024 && !wire.LooksHTML(body) {
		text = strings.TrimSpace(string(body))
	}
	ip, unauthorized := classify(status, "", text)
	if ip != nil || unauthorized {
		// An explicit refusal of the IP or the keys was not carried out, unless it came with a
		// 5xx, which leaves a non-idempotent call unknown whatever the body says.
		return &APIError{
			Op: op, HTTPStatus: status, Message: red.Text(text),
			Body: []byte(red.Text(string(wire.CapBody(body, maxErrorBody)))), ip: ip, unauthorized: unauthorized,
			outcomeUnknown: unknown && (vendorerr.UnknownStatus(status) || cause != nil), cause: cause,
		}
	}
	return c.badAnswer(op, status, header, body, reason, unknown, cause)
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
