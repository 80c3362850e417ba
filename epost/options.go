package epost

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/transport"
)

// Default endpoints. The contract API's scheme is inferred (see WithBaseURL); the two tracking
// services answer over plain http only.
const (
	// DefaultBaseURL is the contract-parcel API. The manual writes http://ship.epost.go.kr; a
	// working client uses https, which this SDK defaults to (inferred).
	DefaultBaseURL = "https://ship.epost.go.kr"
	// DefaultPublicTraceBaseURL is the data.go.kr delivery-trace service (http only).
	DefaultPublicTraceBaseURL = "http://openapi.epost.go.kr"
	// DefaultBizTraceBaseURL is the contract-customer trace service (http only).
	DefaultBizTraceBaseURL = "http://biz.epost.go.kr"
)

// httpOnlyHosts are the only hosts reached over plain http without an explicit opt-in: the
// tracking services serve nothing else.
var httpOnlyHosts = []string{"openapi.epost.go.kr", "biz.epost.go.kr"}

// Option configures a Client. Options validate their arguments; NewClient reports every
// problem in one *kshop.ValidationError whose Field names the option ("WithBaseURL").
type Option func(*settings) *kshop.FieldError

type settings struct {
	baseURL, publicTraceURL, bizTraceURL string
	allowHTTP                            []string
	common                               transport.ClientOptions // WithHTTPClient, WithLogger, WithTimeout, WithRetry, WithUserAgent
	method                               string
	sanitize                             bool
	lengthRule                           LengthRule
	traceServiceKey                      string
	bizTraceKey                          string
	bizShowRec                           bool
	now                                  func() time.Time
}

func defaultSettings() settings {
	return settings{
		baseURL:        DefaultBaseURL,
		publicTraceURL: DefaultPublicTraceBaseURL,
		bizTraceURL:    DefaultBizTraceBaseURL,
		method:         http.MethodPost,
		bizShowRec:     true,
		now:            time.Now,
	}
}

// WithBaseURL replaces the contract API's base URL (default https://ship.epost.go.kr; the
// manual writes http, so https is inferred from a working client). Plain http is refused
// unless the host is loopback or allowed with WithAllowHTTPHost.
func WithBaseURL(u string) Option {
	return func(s *settings) *kshop.FieldError {
		if err := checkURL("WithBaseURL", u); err != nil {
			return err
		}
		s.baseURL = u
		return nil
	}
}

// WithPublicTraceBaseURL replaces the data.go.kr trace service's base URL (default
// http://openapi.epost.go.kr). The path /trace/retrieveLongitudinalService/… is appended.
func WithPublicTraceBaseURL(u string) Option {
	return func(s *settings) *kshop.FieldError {
		if err := checkURL("WithPublicTraceBaseURL", u); err != nil {
			return err
		}
		s.publicTraceURL = u
		return nil
	}
}

// WithBizTraceBaseURL replaces the contract-customer trace service's base URL (default
// http://biz.epost.go.kr). The path /KpostPortal/openapi is appended.
func WithBizTraceBaseURL(u string) Option {
	return func(s *settings) *kshop.FieldError {
		if err := checkURL("WithBizTraceBaseURL", u); err != nil {
			return err
		}
		s.bizTraceURL = u
		return nil
	}
}

// WithAllowHTTPHost lets the client reach host over plain http (for example
// http://ship.epost.go.kr, as the manual writes it, if https ever fails). Keys travel in clear
// text over http; only the two tracking hosts are allowed without this option.
func WithAllowHTTPHost(host string) Option {
	return func(s *settings) *kshop.FieldError {
		h := strings.TrimSpace(host)
		if h == "" || strings.ContainsAny(h, "/:?#@ ") {
			return optionProblem("WithAllowHTTPHost", kshop.RuleFormat, "must be a bare host name")
		}
		s.allowHTTP = append(s.allowHTTP, h)
		return nil
	}
}

// WithHTTPClient sends requests through hc (its Transport, Timeout and Jar are used; redirects
// are never followed). Tests give an httpmock.NewMockTransport() this way.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) *kshop.FieldError {
		return optionError("WithHTTPClient", kshop.RuleRequired, s.common.SetHTTPClient(hc))
	}
}

// WithLogger logs requests and answers at debug level and retries at warn level, with keys,
// regData and phone numbers redacted. The default discards.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) *kshop.FieldError {
		s.common.SetLogger(l)
		return nil
	}
}

// WithTimeout bounds each attempt (default 30 s) when the HTTP client has no timeout.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) *kshop.FieldError {
		return optionError("WithTimeout", kshop.RuleRange, s.common.SetTimeout(d))
	}
}

// WithRetry sets how many times an idempotent call (a lookup, a trace) is retried after a
// transport error, 429 or 5xx, and the base wait between attempts (jittered, exponential).
// max 0 disables retries; wait 0 retries without waiting. Without this option: 3 retries,
// waits between 200 ms and 5 s. Non-idempotent calls are retried only when the request
// provably never reached the server (or it answered 429), whatever this says.
func WithRetry(max int, wait time.Duration) Option {
	return func(s *settings) *kshop.FieldError {
		return optionError("WithRetry", kshop.RuleRange, s.common.SetRetry(max, wait))
	}
}

// WithUserAgent puts product in front of the User-Agent "kshop-go/<version>". The manual
// recommends sending a User-Agent (any value) together with Connection: keep-alive, because
// the firewall may block high-volume callers without them; both are always sent.
func WithUserAgent(product string) Option {
	return func(s *settings) *kshop.FieldError {
		return optionError("WithUserAgent", kshop.RuleControlChars, s.common.SetUserAgent(product))
	}
}

// WithHTTPMethod chooses how encrypted calls are sent: http.MethodPost (default) sends
// key=…&regData=… as an application/x-www-form-urlencoded body, which keeps regData out of
// URLs and access logs; http.MethodGet puts them in the query string. The manual allows both.
func WithHTTPMethod(method string) Option {
	return func(s *settings) *kshop.FieldError {
		switch strings.ToUpper(method) {
		case http.MethodPost, http.MethodGet:
			s.method = strings.ToUpper(method)
			return nil
		}
		return optionProblem("WithHTTPMethod", kshop.RuleNotAllowed, "must be GET or POST")
	}
}

// WithSanitizeValues replaces '&', '=', CR, LF and NUL inside item values with spaces instead
// of refusing the request. The regData plaintext has no escaping, so these characters cannot
// be sent as they are.
func WithSanitizeValues() Option {
	return func(s *settings) *kshop.FieldError {
		s.sanitize = true
		return nil
	}
}

// WithLengthRule chooses how item lengths are counted (default LengthUTF8Bytes, the strictest;
// the manual does not say).
func WithLengthRule(r LengthRule) Option {
	return func(s *settings) *kshop.FieldError {
		if r < LengthUTF8Bytes || r > LengthCharacters {
			return optionProblem("WithLengthRule", kshop.RuleNotAllowed, "unknown rule")
		}
		s.lengthRule = r
		return nil
	}
}

// WithTraceServiceKey sets the data.go.kr service key of the public delivery-trace service
// (국내우편물 종적 조회). data.go.kr shows each key twice, raw ("Decoding") and percent-encoded
// ("Encoding"); either is accepted: a key containing %XX escapes is decoded once, and the
// client encodes it exactly once when sending, so it is never double-encoded.
func WithTraceServiceKey(key string) Option {
	return func(s *settings) *kshop.FieldError {
		k := strings.TrimSpace(key)
		if k == "" {
			return optionProblem("WithTraceServiceKey", kshop.RuleRequired, "")
		}
		if strings.Contains(k, "%") {
			dec, err := url.PathUnescape(k)
			if err != nil {
				return optionProblem("WithTraceServiceKey", kshop.RuleFormat, "holds a malformed %-escape")
			}
			k = dec
		}
		s.traceServiceKey = k
		return nil
	}
}

// WithBizTraceKey sets the regkey of the contract-customer trace service
// (biz.epost.go.kr/KpostPortal/openapi). One working client uses the contract API's key here;
// the SDK does not assume so (inferred), because the key would then travel over plain http.
func WithBizTraceKey(regkey string) Option {
	return func(s *settings) *kshop.FieldError {
		k := strings.TrimSpace(regkey)
		if k == "" {
			return optionProblem("WithBizTraceKey", kshop.RuleRequired, "")
		}
		s.bizTraceKey = k
		return nil
	}
}

// WithBizTraceShowReceipt controls showRec=Y on contract-customer traces (default on), which
// working callers send to include the 접수 (acceptance) information of contract parcels.
func WithBizTraceShowReceipt(on bool) Option {
	return func(s *settings) *kshop.FieldError {
		s.bizShowRec = on
		return nil
	}
}

// WithClock replaces time.Now, which the client uses for the KST date of InsertOrder (for
// reconciliation) and for generated order numbers.
func WithClock(now func() time.Time) Option {
	return func(s *settings) *kshop.FieldError {
		if now == nil {
			return optionProblem("WithClock", kshop.RuleRequired, "nil function")
		}
		s.now = now
		return nil
	}
}

func checkURL(option, raw string) *kshop.FieldError {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return optionProblem(option, kshop.RuleFormat, "must be an absolute http(s) URL")
	}
	return nil
}

func optionProblem(option string, rule kshop.Rule, detail string) *kshop.FieldError {
	return &kshop.FieldError{Field: option, Rule: rule, Detail: detail}
}

// transportConfig turns the settings into the shared transport's configuration.
func (s *settings) transportConfig(secrets []string) transport.Config {
	cfg := s.common.Config()
	cfg.BaseURL = s.baseURL
	cfg.AllowHTTPHosts = append(append([]string(nil), httpOnlyHosts...), s.allowHTTP...)
	cfg.SecretParams = []string{"key", "regData", "ServiceKey", "regkey"}
	cfg.Secrets = secrets
	return cfg
}

// optionError turns a shared option's validation failure into a field problem.
func optionError(option string, rule kshop.Rule, err error) *kshop.FieldError {
	if err == nil {
		return nil
	}
	return &kshop.FieldError{Field: option, Rule: rule, Detail: err.Error()}
}
