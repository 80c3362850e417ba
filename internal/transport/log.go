package transport

import (
	"context"
	"log/slog"
	"net/http"
	"time"
	"unicode/utf8"
)

const maxLoggedBody = 2 << 10

// snippet renders a body for a debug log line: redacted and phones masked over the whole
// body first, then cut at 2 KiB on a rune boundary, so that a secret or a phone number that
// straddles the cut is never half-printed.
func (c *Client) snippet(body []byte) string {
	if len(body) == 0 {
		return ""
	}
	return cutText(c.redactor.Text(string(body)), maxLoggedBody)
}

// cutText cuts s to at most limit bytes without splitting a rune, marking the cut with "…".
func cutText(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func (c *Client) logAttempt(ctx context.Context, st *callState, a attemptResult, d decision, resp *http.Response) {
	level := slog.LevelDebug
	if d.retry {
		level = slog.LevelWarn
	}
	if !c.cfg.Logger.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.Int("attempt", st.attempts),
		slog.String("class", st.class.String()),
		slog.Bool("written", a.written),
		slog.String("decision", d.reason),
		slog.Duration("elapsed", time.Since(st.start)),
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		if level == slog.LevelDebug {
			st.mu.Lock()
			body := st.body
			st.mu.Unlock()
			attrs = append(attrs, slog.String("body", c.snippet(body)))
		}
	}
	if a.err != nil {
		attrs = append(attrs, slog.String("error", c.sanitize(a.err).Error()))
	}
	msg := "kshop answer"
	if d.retry {
		msg = "kshop retrying"
	}
	c.cfg.Logger.LogAttrs(ctx, level, msg, attrs...)
}

func (c *Client) logFailure(ctx context.Context, e *Error) {
	if !c.cfg.Logger.Enabled(ctx, slog.LevelError) {
		return
	}
	c.cfg.Logger.LogAttrs(ctx, slog.LevelError, "kshop call failed",
		slog.String("error", e.Error()),
		slog.Bool("outcome_unknown", e.outcomeUnknown))
}
