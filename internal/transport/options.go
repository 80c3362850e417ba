package transport

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// MaxRetriesLimit is the most retries a vendor's WithRetry accepts.
const MaxRetriesLimit = 10

// ClientOptions holds the options every vendor client offers (WithHTTPClient, WithLogger,
// WithTimeout, WithRetry, WithUserAgent), so that each vendor validates them and maps them onto
// Config the same way. The setters return plain errors; the vendor wraps them in its own
// typed option error.
type ClientOptions struct {
	httpClient *http.Client
	logger     *slog.Logger
	timeout    time.Duration
	userAgent  string
	retries    int
	retryWait  time.Duration
	retrySet   bool
}

// SetHTTPClient sends requests through hc.
func (o *ClientOptions) SetHTTPClient(hc *http.Client) error {
	if hc == nil {
		return errors.New("nil *http.Client")
	}
	o.httpClient = hc
	return nil
}

// SetLogger logs through l (nil discards).
func (o *ClientOptions) SetLogger(l *slog.Logger) { o.logger = l }

// SetTimeout bounds each attempt.
func (o *ClientOptions) SetTimeout(d time.Duration) error {
	if d <= 0 {
		return errors.New("must be positive")
	}
	o.timeout = d
	return nil
}

// SetRetry sets the retries of idempotent calls and the base wait: max 0 disables retries,
// wait 0 retries without waiting.
func (o *ClientOptions) SetRetry(max int, wait time.Duration) error {
	if max < 0 || max > MaxRetriesLimit {
		return errors.New("max must be 0 to 10")
	}
	if wait < 0 {
		return errors.New("wait must not be negative")
	}
	o.retries, o.retryWait, o.retrySet = max, wait, true
	return nil
}

// SetUserAgent puts product in front of "kshop-go/<version>".
func (o *ClientOptions) SetUserAgent(product string) error {
	if strings.ContainsAny(product, "\r\n") {
		return errors.New("must not contain line breaks")
	}
	o.userAgent = product
	return nil
}

// Config returns a Config carrying these options; the vendor adds its base URL and secrets.
func (o ClientOptions) Config() Config {
	cfg := Config{HTTPClient: o.httpClient, Logger: o.logger, Timeout: o.timeout, UserAgent: o.userAgent}
	if o.retrySet {
		cfg.MaxRetries = o.retries
		if o.retries == 0 {
			cfg.MaxRetries = -1 // Config: 0 means the default, negative means none
		}
		if o.retryWait == 0 {
			cfg.NoWait = true
		} else {
			cfg.MinWait = o.retryWait
			cfg.MaxWait = max(DefaultMaxWait, o.retryWait)
		}
	}
	return cfg
}
