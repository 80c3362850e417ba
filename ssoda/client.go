package ssoda

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"unicode"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/transport"
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
	return fmt.Sprintf("ssoda.Credentials{APIKey: %s, TokenKey: %s, SenderKey: %s}",
		redactedKey(cr.APIKey), redactedKey(cr.TokenKey), redactedKey(cr.SenderKey))
}

// GoString is String, for %#v.
func (cr Credentials) GoString() string { return cr.String() }

// LogValue keeps the keys out of slog output.
func (cr Credentials) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("api_key", redactedKey(cr.APIKey)),
		slog.String("token_key", redactedKey(cr.TokenKey)),
		slog.String("sender_key", redactedKey(cr.SenderKey)))
}

func redactedKey(k string) string {
	if k == "" {
		return `""`
	}
	return fmt.Sprintf("REDACTED(%d chars)", len(k))
}

// Client calls the Ssoda REST API. It is safe for concurrent use; NewClient makes no network
// call. Calls are grouped by resource: Templates, Profiles, History, Reservations and Account;
// sending and the cross-cutting helpers (Send, SendFriendTalk, CheckAccess, Reconcile) are
// methods of the Client itself.
type Client struct {
	creds  Credentials
	s      settings
	limits alimtalk.Limits
	tr     *transport.Client
	header http.Header

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
	c := &Client{creds: creds, s: s, limits: s.limits}
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
		return nil, &ValidationError{Field: "WithBaseURL", Reason: "must be https (plain http only for loopback test servers)", Err: err}
	}
	c.tr = tr
	c.header = http.Header{"X-Api-Key": {creds.APIKey}}
	if s.forwardedFor != "" {
		c.header.Set("X-Forwarded-For", s.forwardedFor)
	}
	c.Templates = (*TemplatesService)(&service{c})
	c.Profiles = (*ProfilesService)(&service{c})
	c.History = (*HistoryService)(&service{c})
	c.Reservations = (*ReservationsService)(&service{c})
	c.Account = (*AccountService)(&service{c})
	return c, nil
}

// String describes the client without its keys.
func (c *Client) String() string {
	return fmt.Sprintf("ssoda.Client{base: %s, credentials: %s}", c.s.baseURL, c.creds)
}

func (c *Client) checkCredentials() error {
	bad := func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }
	for _, k := range []struct{ name, value string }{{"APIKey", c.creds.APIKey}, {"TokenKey", c.creds.TokenKey}} {
		switch {
		case k.value == "":
			return invalid("NewClient", "Credentials."+k.name, "required (Ssoda console: API 토큰 관리)")
		case strings.IndexFunc(k.value, bad) >= 0:
			return invalid("NewClient", "Credentials."+k.name, "must not contain spaces or control characters")
		}
	}
	if c.creds.SenderKey != "" {
		if err := c.checkSenderKey("NewClient", "Credentials.SenderKey", c.creds.SenderKey); err != nil {
			return err
		}
	}
	return nil
}

// checkSenderKey checks a sender-profile key: Limits.SenderKeyLength (40) characters, no
// spaces.
func (c *Client) checkSenderKey(call, field, key string) error {
	want := c.senderKeyLength()
	if len([]rune(key)) != want || strings.IndexFunc(key, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return invalid(call, field, fmt.Sprintf("must be %d characters without spaces", want))
	}
	return nil
}

func (c *Client) senderKeyLength() int {
	if c.limits.SenderKeyLength > 0 {
		return c.limits.SenderKeyLength
	}
	return alimtalk.DefaultLimits().SenderKeyLength
}

// senderKey returns key, or the default sender key when key is empty.
func (c *Client) senderKey(call, key string) (string, error) {
	if key == "" {
		key = c.creds.SenderKey
	}
	if key == "" {
		return "", invalid(call, "SenderKey", "required: set it in the request or in Credentials.SenderKey")
	}
	if err := c.checkSenderKey(call, "SenderKey", key); err != nil {
		return "", err
	}
	return key, nil
}

// newBody starts a request body with the token key, which every call carries.
func (c *Client) newBody(capacity int) *object {
	o := newObject(capacity + 1)
	o.str("token_key", c.creds.TokenKey)
	return o
}

// post sends one call and returns its successful answer, or an error: *APIError (Ssoda
// refused), *ResponseError (not Ssoda's JSON), or the transport's error (no answer; it wraps
// ErrOutcomeUnknown or ErrNotSent as the case may be). Every Ssoda call is a POST, reads
// included; class says whether repeating it is harmless, which is about effect, not method.
func (c *Client) post(ctx context.Context, path string, class transport.Class, body *object) (*answer, error) {
	resp, err := c.tr.Do(ctx, &transport.Request{
		Class:       class,
		Method:      http.MethodPost,
		Path:        path,
		Header:      c.header,
		Body:        body.bytes(),
		ContentType: "application/json; charset=utf-8",
	})
	if err != nil {
		var te *transport.Error
		unknown := errors.Is(err, ErrOutcomeUnknown)
		if errors.As(err, &te) && te.Status != 0 && len(te.Body) > 0 {
			return nil, c.refusal(path, te.Status, te.Header, te.Body, unknown)
		}
		return nil, fmt.Errorf("ssoda: %w", err)
	}
	a, problem := parseAnswer(resp.StatusCode, resp.Body)
	if problem != "" {
		return nil, c.unexpected(path, resp.StatusCode, resp.Header, resp.Body, string(problem),
			class == transport.NonIdempotent && resp.StatusCode >= 200 && resp.StatusCode < 300)
	}
	if !a.ok() {
		return nil, c.apiError(path, a, resp.Body, false)
	}
	return a, nil
}

// refusal turns an answer that came with a transport error (a 5xx of a send) into a typed
// error that still wraps ErrOutcomeUnknown when the transport said so.
func (c *Client) refusal(path string, status int, header http.Header, body []byte, unknown bool) error {
	a, problem := parseAnswer(status, body)
	if problem != "" {
		return c.unexpected(path, status, header, body, string(problem), unknown)
	}
	return c.apiError(path, a, body, unknown)
}

func (c *Client) apiError(path string, a *answer, body []byte, unknown bool) *APIError {
	red := c.tr.Redactor()
	e := &APIError{
		Endpoint:       path,
		HTTPStatus:     a.status,
		ResultCode:     string(a.code),
		Message:        red.Text(a.message),
		Body:           []byte(red.Text(string(capBody(body)))),
		outcomeUnknown: unknown,
	}
	e.ip, e.unauthorized = classify(a.status, e.ResultCode, a.message)
	return e
}

// unexpected builds the error of a body that is not an envelope. A short plain-text body that
// reads like an IP or credential refusal, and any 401/403, is an *APIError so errors.Is finds
// ErrIPNotAllowed or ErrUnauthorized; anything else is a *ResponseError.
func (c *Client) unexpected(path string, status int, header http.Header, body []byte, reason string, unknown bool) error {
	red := c.tr.Redactor()
	text := ""
	if len(body) <= 1024 && !looksHTML(body) {
		text = strings.TrimSpace(string(body))
	}
	ip, unauthorized := classify(status, "", text)
	if ip != nil || unauthorized {
		return &APIError{
			Endpoint: path, HTTPStatus: status, Message: red.Text(text),
			Body: []byte(red.Text(string(capBody(body)))), ip: ip, unauthorized: unauthorized, outcomeUnknown: unknown,
		}
	}
	return &ResponseError{
		Endpoint: path, HTTPStatus: status, ContentType: header.Get("Content-Type"), Reason: reason,
		Body: []byte(red.Text(string(capBody(body)))), outcomeUnknown: unknown,
	}
}
