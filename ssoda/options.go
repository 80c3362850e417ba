package ssoda

import (
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/transport"
)

// DefaultConcurrency is how many AlimTalk requests Send keeps in flight at once. Ssoda takes
// one recipient per request; a small number keeps a burst from tripping rate limits.
const DefaultConcurrency = 4

// MaxConcurrency bounds WithConcurrency.
const MaxConcurrency = 64

// Option configures a Client. Options validate their arguments; NewClient returns the error.
type Option func(*settings) error

type settings struct {
	baseURL      string
	common       transport.ClientOptions // WithHTTPClient, WithLogger, WithTimeout, WithRetry, WithUserAgent
	concurrency  int
	templates    alimtalk.TemplateSource
	templateTTL  time.Duration // WithTemplateRefresh: the client's own TemplateCache
	limits       alimtalk.Limits
	paths        Paths
	fields       FieldNames
	forwardedFor string
	now          func() time.Time
}

func defaultSettings() settings {
	return settings{
		baseURL:     DefaultBaseURL,
		concurrency: DefaultConcurrency,
		paths:       DefaultPaths(),
		fields:      DefaultFieldNames(),
		now:         time.Now,
	}
}

// WithBaseURL replaces https://apis.ssodaa.com (for a relay with a fixed IP, or
// ssodatest). It must be https, except for loopback hosts (test servers).
func WithBaseURL(u string) Option {
	return func(s *settings) error {
		parsed, err := url.Parse(strings.TrimSpace(u))
		if err != nil || parsed.Host == "" || (parsed.Scheme != "http" && parsed.Scheme != "https") {
			return invalid("WithBaseURL", "WithBaseURL", kshop.RuleFormat, "must be an absolute http(s) URL")
		}
		s.baseURL = u
		return nil
	}
}

// WithHTTPClient sends requests through hc (its Transport and Timeout are used; redirects are
// never followed). Tests give an httpmock.NewMockTransport() this way.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		return optionError("WithHTTPClient", s.common.SetHTTPClient(hc))
	}
}

// WithLogger logs requests and answers at debug level, retries at warn level and failures at
// error level, with the API key, token key and sender key redacted and phone numbers masked.
// The default discards.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		s.common.SetLogger(l)
		return nil
	}
}

// WithTimeout bounds each attempt (default 30 s) when the HTTP client has no timeout of its
// own. A send that times out after its request was written ends StatusUnknown, never retried.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		return optionError("WithTimeout", s.common.SetTimeout(d))
	}
}

// WithRetry sets how many times a read-only call (lists, lookups) is retried after a transport
// error, 429 or 5xx, and the base wait between attempts (exponential, jittered). max 0
// disables retries; wait 0 retries without waiting. Without this option: 3 retries, waits of
// 200 ms to 5 s. Sends and other non-idempotent calls are retried only when the request
// provably never reached Ssoda (a refused connection) or Ssoda answered 429, whatever this says.
func WithRetry(max int, wait time.Duration) Option {
	return func(s *settings) error {
		return optionError("WithRetry", s.common.SetRetry(max, wait))
	}
}

// WithUserAgent puts product in front of the User-Agent "kshop-go/<version>".
func WithUserAgent(product string) Option {
	return func(s *settings) error {
		return optionError("WithUserAgent", s.common.SetUserAgent(product))
	}
}

// WithConcurrency sets how many AlimTalk or FriendTalk requests Send keeps in flight (default
// 4, at most 64). 1 sends strictly one after another.
func WithConcurrency(n int) Option {
	return func(s *settings) error {
		if n < 1 || n > MaxConcurrency {
			return invalid("WithConcurrency", "WithConcurrency", kshop.RuleRange, "must be 1 to 64")
		}
		s.concurrency = n
		return nil
	}
}

// WithTemplates gives Send the templates to render messages from (Message.Variables) and to
// check texts against before sending (Kakao refuses a mismatch with 3016). A TemplateSet from
// Templates.Load, or any alimtalk.TemplateSource, will do; WithTemplateRefresh keeps them
// current instead. Without either, every message must carry its final Text. It replaces
// WithTemplateRefresh (the later of the two options wins).
func WithTemplates(src alimtalk.TemplateSource) Option {
	return func(s *settings) error {
		s.templates, s.templateTTL = src, 0
		return nil
	}
}

// WithLimits sets the rules messages and templates are checked against (default
// alimtalk.DefaultLimits; zero fields keep their defaults).
func WithLimits(l alimtalk.Limits) Option {
	return func(s *settings) error {
		s.limits = l
		return nil
	}
}

// WithPaths replaces endpoint paths; empty fields keep DefaultPaths. Use it when an inferred
// path turns out different at Ssoda.
func WithPaths(p Paths) Option {
	return func(s *settings) error {
		p = p.WithDefaults()
		if err := p.check(); err != nil {
			return err
		}
		s.paths = p
		return nil
	}
}

// WithFieldNames replaces inferred JSON field names; empty fields keep DefaultFieldNames.
func WithFieldNames(f FieldNames) Option {
	return func(s *settings) error {
		f = f.WithDefaults()
		if err := f.check(); err != nil {
			return err
		}
		s.fields = f
		return nil
	}
}

// WithForwardedFor sends "x-forwarded-for: ip" on every request. Two independent JVM callers
// send it; its meaning is undocumented (perhaps the IP checked against the token's allow-list
// when calls go through a proxy), so it is off by default. Ssoda still sees the connection's
// real address; do not expect this header to get around the allow-list.
func WithForwardedFor(ip string) Option {
	return func(s *settings) error {
		if net.ParseIP(strings.TrimSpace(ip)) == nil {
			return invalid("WithForwardedFor", "WithForwardedFor", kshop.RuleFormat, "must be an IP address")
		}
		s.forwardedFor = strings.TrimSpace(ip)
		return nil
	}
}

// WithClock replaces time.Now, which the client uses for default list dates (today in KST)
// and to measure Reconcile windows. Give the same clock as ssodatest.Options.Now in tests.
func WithClock(now func() time.Time) Option {
	return func(s *settings) error {
		if now == nil {
			return invalid("WithClock", "WithClock", kshop.RuleRequired, "nil function")
		}
		s.now = now
		return nil
	}
}

// transportConfig turns the settings into the shared transport's configuration.
func (s *settings) transportConfig(secrets []string) transport.Config {
	cfg := s.common.Config()
	cfg.BaseURL = s.baseURL
	cfg.SecretFields = []string{"sender_key", "senderKey", "token"}
	cfg.Secrets = secrets
	return cfg
}

// optionError wraps a shared option's validation failure in this package's option error.
func optionError(option string, err error) error {
	if err == nil {
		return nil
	}
	return &kshop.ValidationError{Op: "ssoda." + option, Problems: []*kshop.FieldError{{Field: option, Rule: kshop.RuleRange, Err: err}}}
}
