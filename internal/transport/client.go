package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	retryablehttp "github.com/hashicorp/go-retryablehttp"

	"github.com/kshop-dev/kshop/internal/wire"
)

// Client sends vendor requests with the retry policy of this package. It is safe for
// concurrent use; it makes no network call until Do.
type Client struct {
	base     *url.URL
	cfg      Config
	redactor *Redactor
	rc       *retryablehttp.Client
	ua       string
}

// Request is one vendor call.
type Request struct {
	// Class must be Idempotent or NonIdempotent; there is no default, so every call site
	// states it.
	Class Class
	// Method is the HTTP method; empty means GET, or POST when Body is set.
	Method string
	// BaseURL overrides the Client's base URL for this call (ePost tracking lives on other
	// hosts). The same https rule applies.
	BaseURL string
	// Path is appended to the base URL.
	Path string
	// Query is encoded into the URL.
	Query url.Values
	// Header adds or replaces headers (User-Agent included).
	Header http.Header
	// Body is sent as is; ContentType describes it.
	Body        []byte
	ContentType string
}

// Response is a completely received answer. Its body was read through the size limit and the
// connection released.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
	Attempts   int // attempts the call took
}

// New builds a Client. Its options are validated here; nothing is sent.
func New(cfg Config) (*Client, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	c := &Client{cfg: cfg, ua: userAgent(cfg.UserAgent)}
	if cfg.BaseURL != "" {
		base, err := CheckBaseURL(cfg.BaseURL, cfg.AllowHTTPHosts)
		if err != nil {
			return nil, err
		}
		c.base = base
	}
	c.redactor = NewRedactor(cfg.SecretHeaders, cfg.SecretParams, cfg.SecretFields, cfg.Secrets)

	hc := &http.Client{Timeout: cfg.Timeout}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		if copied.Timeout == 0 {
			copied.Timeout = cfg.Timeout
		}
		hc = &copied
	}
	// A redirect would replay a POST (307/308) or leave https; vendors do not redirect API
	// calls, so the 3xx answer is returned as it is.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	c.rc = &retryablehttp.Client{
		HTTPClient:     hc,
		Logger:         nil, // we log ourselves, redacted
		RetryWaitMin:   cfg.MinWait,
		RetryWaitMax:   cfg.MaxWait,
		RetryMax:       cfg.MaxRetries,
		RequestLogHook: c.beforeAttempt,
		CheckRetry:     c.checkRetry,
		Backoff:        backoff,
		ErrorHandler:   keepLastAnswer,
	}
	return c, nil
}

// Redactor returns the client's redactor, for vendor packages that build their own error
// strings from bodies.
func (c *Client) Redactor() *Redactor { return c.redactor }

// Do sends r. Exactly one of the results is non-nil. A Response is returned for every answer
// the policy accepts, whatever its status (the vendor package decides what a 4xx means),
// including the last answer after retries ran out. An *Error is returned when no usable answer
// arrived or when a non-idempotent call's outcome is unknown; it then wraps
// kshop.ErrOutcomeUnknown and carries the last answer's status and body, if any.
func (c *Client) Do(ctx context.Context, r *Request) (*Response, error) {
	if err := wire.CheckContext(ctx, "transport.Do"); err != nil {
		return nil, err
	}
	if r == nil {
		return nil, errors.New("transport: nil request")
	}
	if r.Class != Idempotent && r.Class != NonIdempotent {
		return nil, fmt.Errorf("transport: request class %d is neither Idempotent nor NonIdempotent", int(r.Class))
	}
	target, err := c.target(r)
	if err != nil {
		return nil, err
	}
	method := r.Method
	if method == "" {
		method = http.MethodGet
		if r.Body != nil {
			method = http.MethodPost
		}
	}

	st := &callState{class: r.Class, start: time.Now()}
	ctx = context.WithValue(ctx, stateKey{}, st)
	st.baseCtx = ctx

	var body any
	if r.Body != nil {
		body = r.Body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, target.String(), body)
	if err != nil {
		return nil, fmt.Errorf("transport: build request: %s", c.redactor.Text(err.Error()))
	}
	req.Header.Set("User-Agent", c.ua)
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	for name, vals := range r.Header {
		req.Header[http.CanonicalHeaderKey(name)] = append([]string(nil), vals...)
	}
	if c.cfg.Logger.Enabled(ctx, slog.LevelDebug) {
		c.cfg.Logger.LogAttrs(ctx, slog.LevelDebug, "kshop request",
			slog.String("method", method),
			slog.String("url", c.redactor.URL(target)),
			slog.String("class", r.Class.String()),
			slog.Any("header", c.redactor.Header(req.Header)),
			slog.String("body", c.snippet(r.Body)))
	}

	resp, doErr := c.rc.Do(req)
	if resp != nil && resp.Body != nil {
		resp.Body.Close() // our buffered copy; the connection was released in checkRetry
	}
	return c.finish(ctx, st, method, target, resp, doErr)
}

func (c *Client) target(r *Request) (*url.URL, error) {
	base := c.base
	if r.BaseURL != "" {
		b, err := CheckBaseURL(r.BaseURL, c.cfg.AllowHTTPHosts)
		if err != nil {
			return nil, err
		}
		base = b
	}
	if base == nil {
		return nil, errors.New("transport: no base URL configured")
	}
	u := *base
	if r.Path != "" {
		u.Path = base.Path + "/" + strings.TrimLeft(r.Path, "/")
	}
	if len(r.Query) > 0 {
		u.RawQuery = r.Query.Encode()
	}
	return &u, nil
}

// beforeAttempt is go-retryablehttp's RequestLogHook: it starts the attempt's trace.
func (c *Client) beforeAttempt(_ retryablehttp.Logger, req *http.Request, n int) {
	if st := stateFrom(req.Context()); st != nil {
		st.beginAttempt(req, n)
	}
}

// checkRetry is go-retryablehttp's CheckRetry. It reads the answer's body here, through the
// limit, so that a truncated body is a retry decision too, then hands the buffered body on.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, doErr error) (bool, error) {
	st := stateFrom(ctx)
	if st == nil {
		return false, errors.New("transport: request without call state")
	}
	a := attemptResult{class: st.class, written: wasWritten(st.written(), doErr), err: doErr, ctxErr: ctx.Err()}
	if resp != nil {
		a.status = resp.StatusCode
		body, readErr := readLimited(resp.Body, c.cfg.MaxBodyBytes)
		a.bodyErr = readErr
		resp.Body = io.NopCloser(bytes.NewReader(body))
		st.recordAnswer(resp.StatusCode, resp.Header, body)
	}
	d := decide(a)
	st.recordDecision(d, a)
	c.logAttempt(ctx, st, a, d, resp)
	return d.retry, nil
}

// keepLastAnswer is go-retryablehttp's ErrorHandler: it returns the last answer (already
// buffered) instead of a bare "giving up"; finish turns it into our result.
func keepLastAnswer(resp *http.Response, err error, _ int) (*http.Response, error) {
	return resp, err
}

func (c *Client) finish(ctx context.Context, st *callState, method string, target *url.URL, resp *http.Response, doErr error) (*Response, error) {
	st.mu.Lock()
	final, status, header, body, attempts, last, lastBodyErr, everWritten := st.final, st.status, st.header, st.body, st.attempts, st.last, st.lastErr, st.everWritten
	st.mu.Unlock()

	mkErr := func(reason string, cause error) *Error {
		e := &Error{
			Method: method, URL: c.redactor.URL(target), Class: st.class, Attempts: attempts,
			Reason: reason, Status: status, Header: header, Body: body,
		}
		if cause != nil {
			e.cause = c.sanitize(cause)
		}
		return e
	}

	switch {
	case final != nil:
		cause := doErr
		if cause == nil && final.outcomeUnknown && ctx.Err() != nil {
			cause = ctx.Err()
		}
		if cause == nil && final.tooLarge {
			cause = ErrResponseTooLarge
		}
		e := mkErr(final.reason, cause)
		e.outcomeUnknown = final.outcomeUnknown
		c.logFailure(ctx, e)
		return nil, e
	case doErr != nil:
		// Retries ran out on transport errors, or the context ended while waiting to retry.
		reason := last.reason
		if ctx.Err() != nil && errors.Is(doErr, ctx.Err()) {
			reason = "context ended while waiting to retry"
		}
		e := mkErr(reason, doErr)
		// The policy retries a non-idempotent call only when the attempt was never written or
		// was refused with 429, so having got here nothing was carried out.
		e.notSent = st.class == NonIdempotent || !everWritten
		c.logFailure(ctx, e)
		return nil, e
	case resp == nil:
		e := mkErr("no answer", nil)
		c.logFailure(ctx, e)
		return nil, e
	case last.retry && lastBodyErr != nil:
		// Retries ran out on truncated bodies: there is no complete answer to return.
		e := mkErr(last.reason, lastBodyErr)
		c.logFailure(ctx, e)
		return nil, e
	}
	return &Response{StatusCode: status, Header: header, Body: body, Attempts: attempts}, nil
}

// sanitize returns cause with a redacted text, keeping it matchable with errors.Is/As. A
// *url.Error is rebuilt with a redacted URL, because its own Error string prints the full URL
// (with any key= query value).
func (c *Client) sanitize(cause error) error {
	var ue *url.Error
	inner := cause
	if errors.As(cause, &ue) {
		inner = &url.Error{Op: ue.Op, URL: c.redactor.Text(redactQueryString(ue.URL, c.redactor)), Err: ue.Err}
	}
	return &redactedError{text: c.redactor.Text(inner.Error()), err: inner}
}

func redactQueryString(raw string, r *Redactor) string {
	u, err := url.Parse(raw)
	if err != nil {
		return redactRawURL(raw)
	}
	return r.URL(u)
}

// readLimited reads at most limit bytes and reports ErrResponseTooLarge beyond it. It always
// closes the body; a small remainder is drained first so the connection can be reused.
func readLimited(body io.ReadCloser, limit int64) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return data, fmt.Errorf("read answer body: %w", err)
	}
	if int64(len(data)) > limit {
		return data[:limit], ErrResponseTooLarge
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 4<<10))
	return data, nil
}
