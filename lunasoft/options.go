package lunasoft

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/transport"
)

// DefaultBaseURL is Lunasoft's "jupiter" API host.
const DefaultBaseURL = "https://jupiter.lunasoft.co.kr"

// SendPath is the send endpoint, under the base URL.
const SendPath = "/api/AlimTalk/message/send"

// MaxChunkSize is the most messages Lunasoft takes in one request (its manual: messages ≤ 1000),
// and the default of WithChunkSize.
const MaxChunkSize = 1000

// DefaultConcurrency is how many send requests Send keeps in flight at once. Each carries up to
// 1,000 messages, so a few are plenty.
const DefaultConcurrency = 4

// MaxConcurrency bounds WithConcurrency.
const MaxConcurrency = 64

// Option configures a Client. Options validate their arguments; NewClient returns the error.
type Option func(*settings) error

type settings struct {
	baseURL     string
	common      transport.ClientOptions // WithHTTPClient, WithLogger, WithTimeout, WithRetry, WithUserAgent
	concurrency int
	chunkSize   int
	templates   alimtalk.TemplateSource
	limits      alimtalk.Limits
	couriers    *CourierTable
	pending     *PendingTracker
	now         func() time.Time
	newRef      func() string
}

func defaultSettings() settings {
	return settings{
		baseURL:     DefaultBaseURL,
		concurrency: DefaultConcurrency,
		chunkSize:   MaxChunkSize,
		couriers:    DefaultCouriers(),
		now:         time.Now,
		newRef:      randomRef,
	}
}

// WithBaseURL replaces https://jupiter.lunasoft.co.kr (for a relay with a fixed IP, or
// lunasofttest). It must be https, except for loopback hosts (test servers).
func WithBaseURL(u string) Option {
	return func(s *settings) error {
		parsed, err := url.Parse(strings.TrimSpace(u))
		if err != nil || parsed.Host == "" || (parsed.Scheme != "http" && parsed.Scheme != "https") {
			return invalid("WithBaseURL", kshop.RuleFormat, "must be an absolute http(s) URL")
		}
		s.baseURL = u
		return nil
	}
}

// WithHTTPClient sends requests through hc (its Transport and Timeout are used; redirects are
// never followed).
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error { return optionError("WithHTTPClient", s.common.SetHTTPClient(hc)) }
}

// WithLogger logs requests and answers at debug level, retries at warn level and failures at
// error level, with the api_key redacted and phone numbers masked. The default discards.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		s.common.SetLogger(l)
		return nil
	}
}

// WithTimeout bounds each attempt (default 30 s) when the HTTP client has no timeout of its
// own. A send that times out after its request was written ends StatusUnknown, never retried.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error { return optionError("WithTimeout", s.common.SetTimeout(d)) }
}

// WithRetry sets how many times a request is retried and the base wait between attempts
// (exponential, jittered); max 0 disables retries, wait 0 retries without waiting. Without
// this option: 3 retries, waits of 200 ms to 5 s. Sends are retried only when the request
// provably never reached Lunasoft (a refused connection) or Lunasoft answered 429, whatever
// this says.
func WithRetry(max int, wait time.Duration) Option {
	return func(s *settings) error { return optionError("WithRetry", s.common.SetRetry(max, wait)) }
}

// WithUserAgent puts product in front of the User-Agent "kshop-go/<version>".
func WithUserAgent(product string) Option {
	return func(s *settings) error { return optionError("WithUserAgent", s.common.SetUserAgent(product)) }
}

// WithConcurrency sets how many send requests Send keeps in flight (default 4, at most 64).
func WithConcurrency(n int) Option {
	return func(s *settings) error {
		if n < 1 || n > MaxConcurrency {
			return invalid("WithConcurrency", kshop.RuleRange, "must be 1 to 64")
		}
		s.concurrency = n
		return nil
	}
}

// WithChunkSize sets how many messages one send request carries at most (default and maximum
// 1,000, Lunasoft's limit). Smaller requests lose less to one unknown outcome; larger ones
// need fewer round trips.
func WithChunkSize(n int) Option {
	return func(s *settings) error {
		if n < 1 || n > MaxChunkSize {
			return invalid("WithChunkSize", kshop.RuleRange, "must be 1 to 1000")
		}
		s.chunkSize = n
		return nil
	}
}

// WithTemplates gives Send the templates to render messages from (Message.Variables) and to
// check texts, titles and buttons against before sending. Lunasoft has no template API, so
// this is usually a TemplateCatalog; any alimtalk.TemplateSource will do. Without it every
// message must carry its final Text, and button URLs cannot be checked.
func WithTemplates(src alimtalk.TemplateSource) Option {
	return func(s *settings) error {
		s.templates = src
		return nil
	}
}

// WithLimits sets the rules messages are checked against (default alimtalk.DefaultLimits;
// zero fields keep their defaults). Lunasoft's own field lengths (custom_key 40, btn_url 100,
// sms_content 1,000, …) are checked on top.
func WithLimits(l alimtalk.Limits) Option {
	return func(s *settings) error {
		s.limits = l
		return nil
	}
}

// WithCouriers replaces the courier table that turns a courier name into Lunasoft's
// carrier_code (default DefaultCouriers, Lunasoft's published table).
func WithCouriers(t *CourierTable) Option {
	return func(s *settings) error {
		if t == nil {
			return invalid("WithCouriers", kshop.RuleRequired, "nil table")
		}
		s.couriers = t
		return nil
	}
}

// WithPendingTracker records every message Send leaves StatusUnknown in p, so that the result
// webhook (Handler with the same tracker) settles it, and p.Overdue reports those still
// unknown after p's window.
func WithPendingTracker(p *PendingTracker) Option {
	return func(s *settings) error {
		s.pending = p
		return nil
	}
}

// WithClock replaces time.Now, which the client uses for Result.SentAt and the reservation
// checks. Give the same clock as lunasofttest.Options.Now in tests.
func WithClock(now func() time.Time) Option {
	return func(s *settings) error {
		if now == nil {
			return invalid("WithClock", kshop.RuleRequired, "nil function")
		}
		s.now = now
		return nil
	}
}

// WithRefGenerator replaces the generator of the Refs (custom_key) of messages sent without
// one (default: "ls" and 32 random hex digits). Generated Refs must be unique and at most 40
// characters; one that is not makes its message StatusInvalid.
func WithRefGenerator(gen func() string) Option {
	return func(s *settings) error {
		if gen == nil {
			return invalid("WithRefGenerator", kshop.RuleRequired, "nil function")
		}
		s.newRef = gen
		return nil
	}
}

// transportConfig turns the settings into the shared transport's configuration.
func (s *settings) transportConfig(secrets []string) transport.Config {
	cfg := s.common.Config()
	cfg.BaseURL = s.baseURL
	cfg.Secrets = secrets
	return cfg
}

// invalid is an option's validation error.
func invalid(option string, rule kshop.Rule, detail string) error {
	return &kshop.ValidationError{Op: "lunasoft." + option, Problems: []*kshop.FieldError{{Field: option, Rule: rule, Detail: detail}}}
}

// optionError wraps a shared option's validation failure in this package's option error.
func optionError(option string, err error) error {
	if err == nil {
		return nil
	}
	return &kshop.ValidationError{Op: "lunasoft." + option, Problems: []*kshop.FieldError{{Field: option, Rule: kshop.RuleRange, Err: err}}}
}
