package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
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
	ua       []string // the User-Agent header's value, shared by every request (never modified)
	// rcNoTimeout is rc over a copy of the caller's http.Client without its own Timeout, for
	// calls whose context ends sooner: that deadline already bounds every attempt, and an
	// http.Client's Timeout costs a deadline context, a request copy and a body wrapper per
	// request. nil when the http.Client has no Timeout (timeoutTransport then does the same).
	rcNoTimeout *retryablehttp.Client
	// contentTypes caches the Content-Type header value of each content type (string ->
	// []string, shared by every request and never modified).
	contentTypes sync.Map
	// shareHeaders is true when requests go through net/http's own Transport, which never
	// writes into a request's header: a FixedHeader is then sent as it is, not copied.
	shareHeaders bool
	// targets caches the URL of each path on the base URL (path -> *target): a client calls a
	// handful of paths, and parsing and printing the URL on every call is waste.
	targets sync.Map
}

// target is a request URL, parsed once.
type target struct {
	u *url.URL
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
	// Fixed, when set, is the whole header (see Client.FixHeader); ContentType and Header are
	// then ignored.
	Fixed *FixedHeader
}

// FixedHeader is a request header that stays the same for every call of a client: the
// User-Agent, a Content-Type and the caller's headers, merged and canonicalized once by
// Client.FixHeader instead of on every call. It is never modified after it is made. Its
// values may be secrets (an API key): it prints only its header names.
type FixedHeader struct {
	h http.Header
}

// String lists the header's names only.
func (f *FixedHeader) String() string {
	if f == nil {
		return "transport.FixedHeader(nil)"
	}
	names := make([]string, 0, len(f.h))
	for name := range f.h {
		names = append(names, name)
	}
	slices.Sort(names)
	return "transport.FixedHeader" + fmt.Sprint(names)
}

// GoString is String, so that %#v prints no value either.
func (f *FixedHeader) GoString() string { return f.String() }

// Format prints String for every verb.
func (f *FixedHeader) Format(s fmt.State, _ rune) { _, _ = io.WriteString(s, f.String()) }

// FixHeader merges the User-Agent, contentType (when not empty) and h into a header that calls
// can send as is (Request.Fixed). h must not be modified afterwards; its values are shared.
func (c *Client) FixHeader(contentType string, h http.Header) *FixedHeader {
	out := make(http.Header, 2+len(h))
	out["User-Agent"] = c.ua
	if contentType != "" {
		out["Content-Type"] = []string{contentType}
	}
	for name, vals := range h {
		out[http.CanonicalHeaderKey(name)] = vals[:len(vals):len(vals)]
	}
	return &FixedHeader{h: out}
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
	c := &Client{cfg: cfg, ua: []string{userAgent(cfg.UserAgent)}}
	if cfg.BaseURL != "" {
		base, err := CheckBaseURL(cfg.BaseURL, cfg.AllowHTTPHosts)
		if err != nil {
			return nil, err
		}
		c.base = base
	}
	c.redactor = NewRedactor(cfg.SecretHeaders, cfg.SecretParams, cfg.SecretFields, cfg.Secrets)

	hc := &http.Client{}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		hc = &copied
	}
	switch hc.Transport.(type) {
	case nil, *http.Transport:
		c.shareHeaders = true
	}
	if hc.Timeout == 0 && cfg.Timeout > 0 {
		// Timeout bounds each attempt; see timeoutTransport for why not http.Client.Timeout.
		base := hc.Transport
		if base == nil {
			base = http.DefaultTransport
		}
		hc.Transport = newTimeoutTransport(base, cfg.Timeout)
	}
	// A redirect would replay a POST (307/308) or leave https; vendors do not redirect API
	// calls, so the 3xx answer is returned as it is.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	c.rc = c.retrying(hc)
	if hc.Timeout > 0 {
		plain := *hc
		plain.Timeout = 0
		c.rcNoTimeout = c.retrying(&plain)
	}
	return c, nil
}

// retrying configures go-retryablehttp over hc with this package's policy and hooks.
func (c *Client) retrying(hc *http.Client) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:     hc,
		Logger:         nil, // we log ourselves, redacted
		RetryWaitMin:   c.cfg.MinWait,
		RetryWaitMax:   c.cfg.MaxWait,
		RetryMax:       c.cfg.MaxRetries,
		RequestLogHook: c.beforeAttempt,
		CheckRetry:     c.checkRetry,
		Backoff:        backoff,
		ErrorHandler:   keepLastAnswer,
	}
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
	tg, err := c.target(r)
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

	st := newCallState(ctx, r.Class)
	defer st.finishCall()

	var body any
	if r.Body != nil {
		body = r.Body
	}
	req, err := c.newRequest(st, method, tg, body)
	if err != nil {
		return nil, err
	}
	switch {
	case r.Fixed != nil && c.shareHeaders:
		req.Header = r.Fixed.h
	case r.Fixed != nil:
		req.Header = r.Fixed.h.Clone() // the RoundTripper is the caller's own: it may write
	default:
		h := make(http.Header, 2+len(r.Header))
		h["User-Agent"] = c.ua
		if r.ContentType != "" {
			h["Content-Type"] = c.contentType(r.ContentType)
		}
		for name, vals := range r.Header {
			// Shared with the caller, capacity clipped: net/http never modifies a request's
			// header values, and an append anywhere would copy rather than write into them.
			h[http.CanonicalHeaderKey(name)] = vals[:len(vals):len(vals)]
		}
		req.Header = h
	}
	if c.cfg.Logger.Enabled(ctx, slog.LevelDebug) {
		c.cfg.Logger.LogAttrs(ctx, slog.LevelDebug, "kshop request",
			slog.String("method", method),
			slog.String("url", c.redactor.URL(tg.u)),
			slog.String("class", r.Class.String()),
			slog.Any("header", c.redactor.Header(req.Header)),
			slog.String("body", c.snippet(r.Body)))
	}

	rc := c.rc
	if dl, ok := ctx.Deadline(); ok && c.rcNoTimeout != nil && time.Until(dl) <= c.rc.HTTPClient.Timeout {
		rc = c.rcNoTimeout
	}
	resp, doErr := rc.Do(req)
	if resp != nil && resp.Body != nil {
		resp.Body.Close() // our buffered copy; the connection was released in checkRetry
	}
	return c.finish(ctx, st, method, tg.u, resp, doErr)
}

// newRequest builds go-retryablehttp's request for tg, with the call state st as its context.
// The URL is a copy of the cached target's, so that it is never parsed per call, and never
// shared with a RoundTripper that might write into it.
func (c *Client) newRequest(st *callState, method string, tg *target, body any) (*retryablehttp.Request, error) {
	hreq, err := http.NewRequestWithContext(st, method, "", nil)
	if err != nil {
		return nil, fmt.Errorf("transport: build request: %s", c.redactor.Text(err.Error()))
	}
	u := *tg.u
	hreq.URL, hreq.Host = &u, u.Host
	req := &retryablehttp.Request{Request: hreq}
	if err := req.SetBody(body); err != nil {
		return nil, fmt.Errorf("transport: build request: %s", c.redactor.Text(err.Error()))
	}
	return req, nil
}

// contentType returns the header value for ct, shared (capacity clipped) across requests.
func (c *Client) contentType(ct string) []string {
	if v, ok := c.contentTypes.Load(ct); ok {
		return v.([]string)
	}
	v := []string{ct}
	c.contentTypes.Store(ct, v)
	return v
}

// target returns the URL of r. The URL of a path on the client's base URL without a query is
// built once and cached.
func (c *Client) target(r *Request) (*target, error) {
	cacheable := r.BaseURL == "" && len(r.Query) == 0
	if cacheable {
		if t, ok := c.targets.Load(r.Path); ok {
			return t.(*target), nil
		}
	}
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
	// As http.NewRequest does: "host:" is "host".
	u.Host = strings.TrimSuffix(u.Host, ":")
	t := &target{u: &u}
	if cacheable {
		c.targets.Store(r.Path, t)
	}
	return t, nil
}

// beforeAttempt is go-retryablehttp's RequestLogHook: it starts the attempt's trace.
func (c *Client) beforeAttempt(_ retryablehttp.Logger, req *http.Request, n int) {
	if st := stateFrom(req.Context()); st != nil {
		st.beginAttempt(n)
	}
}

// checkRetry is go-retryablehttp's CheckRetry. It reads the answer's body here, through the
// limit, so that a truncated body is a retry decision too, then hands the buffered body on.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, doErr error) (bool, error) {
	st := stateFrom(ctx)
	if st == nil {
		return false, errors.New("transport: request without call state")
	}
	// The caller's error, not ctx's: ctx (the call state) also ends with a timed-out attempt.
	a := attemptResult{class: st.class, written: wasWritten(st.written(), doErr), err: doErr, ctxErr: st.caller.Err()}
	if resp != nil {
		a.status = resp.StatusCode
		body, readErr := readLimited(resp.Body, resp.ContentLength, c.cfg.MaxBodyBytes)
		a.bodyErr = readErr
		// The body is kept in the call state; go-retryablehttp only drains and closes this.
		resp.Body = http.NoBody
		st.recordAnswer(resp.StatusCode, resp.Header, body)
	}
	st.releaseAttempt() // the answer is in: the attempt's time bound is over
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
		// The policy stops a non-idempotent call without "unknown" only when its attempt was
		// never written (the context ended first, a certificate or scheme error): say so, so
		// that callers need not guess from the absence of a flag.
		e.notSent = st.class == NonIdempotent && !final.outcomeUnknown
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
// closes the body; a small remainder is drained first so the connection can be reused. When
// the answer states its length (size >= 0) and it fits, the body is read into one buffer of
// that size.
func readLimited(body io.ReadCloser, size, limit int64) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	defer body.Close()
	var data []byte
	var err error
	drained := false
	if size >= 0 && size <= limit {
		data = make([]byte, size)
		var n int
		n, err = io.ReadFull(body, data)
		data = data[:n]
		if err == nil {
			// Confirm the end of the body (and let net/http release the connection). Bytes
			// beyond the stated length are a broken answer; read them into the limit check.
			var extra [1]byte
			var m int
			m, err = body.Read(extra[:])
			if m > 0 {
				var rest []byte
				rest, err = io.ReadAll(io.LimitReader(body, limit-size))
				data = append(append(data, extra[0]), rest...)
			}
			if err == io.EOF {
				err, drained = nil, true
			}
		}
	} else {
		data, err = io.ReadAll(io.LimitReader(body, limit+1))
	}
	if err != nil {
		return data, fmt.Errorf("read answer body: %w", err)
	}
	if int64(len(data)) > limit {
		return data[:limit], ErrResponseTooLarge
	}
	if !drained {
		_, _ = io.Copy(io.Discard, io.LimitReader(body, 4<<10))
	}
	return data, nil
}
