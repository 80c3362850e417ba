package transport

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kshop-dev/kshop"
)

// Defaults.
const (
	DefaultMaxRetries   = 3
	DefaultMinWait      = 200 * time.Millisecond
	DefaultMaxWait      = 5 * time.Second
	DefaultTimeout      = 30 * time.Second
	DefaultMaxBodyBytes = 4 << 20
)

// Config configures a Client. The zero value of every field means its default.
type Config struct {
	// BaseURL is joined with each Request's Path. It must be https unless its host is a loopback
	// address or listed in AllowHTTPHosts.
	BaseURL string
	// AllowHTTPHosts lists hosts that may be reached over plain http (ePost tracking serves
	// only http). Hosts are compared without port, case-insensitively.
	AllowHTTPHosts []string
	// HTTPClient sends the requests. The Client uses a copy that never follows redirects (a
	// redirect would re-send a POST or leave https); nil means a client with Timeout.
	HTTPClient *http.Client
	// Timeout bounds each attempt when HTTPClient is nil or has no timeout of its own.
	Timeout time.Duration
	// MaxRetries is the number of retries after the first attempt; negative means none.
	MaxRetries int
	// MinWait and MaxWait bound the backoff between attempts; MaxWait also caps Retry-After.
	// Set both to a tiny value in tests. NoWait makes every wait zero.
	MinWait, MaxWait time.Duration
	// NoWait disables waiting between attempts (tests).
	NoWait bool
	// MaxBodyBytes limits how much of an answer is read; default 4 MiB.
	MaxBodyBytes int64
	// Logger receives debug lines for requests and answers, warnings for retries and errors;
	// nil discards. Everything logged is redacted.
	Logger *slog.Logger
	// UserAgent is put in front of "kshop-go/<version>".
	UserAgent string
	// SecretHeaders, SecretParams and SecretFields add header, query/form and JSON field names
	// whose values are redacted; Secrets adds exact secret values (the vendor's keys) that are
	// redacted wherever they appear.
	SecretHeaders, SecretParams, SecretFields, Secrets []string
}

func (c Config) withDefaults() Config {
	if c.MaxRetries == 0 {
		c.MaxRetries = DefaultMaxRetries
	}
	if c.MaxRetries < 0 {
		c.MaxRetries = 0
	}
	if c.MinWait == 0 {
		c.MinWait = DefaultMinWait
	}
	if c.MaxWait == 0 {
		c.MaxWait = DefaultMaxWait
	}
	if c.NoWait {
		c.MinWait, c.MaxWait = 0, 0
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

func (c Config) validate() error {
	if c.MinWait < 0 || c.MaxWait < 0 || c.MinWait > c.MaxWait {
		return fmt.Errorf("transport: waits must satisfy 0 <= min (%s) <= max (%s)", c.MinWait, c.MaxWait)
	}
	if c.Timeout < 0 {
		return fmt.Errorf("transport: timeout must not be negative")
	}
	return nil
}

func userAgent(prefix string) string {
	ua := "kshop-go/" + kshop.Version
	if p := strings.TrimSpace(prefix); p != "" {
		return p + " " + ua
	}
	return ua
}

// CheckBaseURL parses raw and enforces the https rule: https always; http only for loopback
// hosts (httptest servers) and hosts in allowHTTP. It returns the URL without a trailing slash.
func CheckBaseURL(raw string, allowHTTP []string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("transport: base URL %q is not an absolute URL", redactRawURL(raw))
	}
	if u.User != nil {
		return nil, fmt.Errorf("transport: base URL must not carry user info")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) && !hostAllowed(u.Hostname(), allowHTTP) {
			return nil, fmt.Errorf("transport: %w (got http for %s)", ErrInsecureURL, u.Hostname())
		}
	default:
		return nil, fmt.Errorf("transport: %w (got scheme %q)", ErrInsecureURL, u.Scheme)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

func redactRawURL(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		return raw[:i] + "?…"
	}
	return raw
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func hostAllowed(host string, allowed []string) bool {
	for _, a := range allowed {
		if strings.EqualFold(strings.TrimSpace(a), host) {
			return true
		}
	}
	return false
}
