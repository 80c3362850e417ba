package transport

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestFullJitterStaysWithinTheExponentialCeiling(t *testing.T) {
	t.Parallel()
	base, max := 100*time.Millisecond, 2*time.Second
	for attempt := 0; attempt < 10; attempt++ {
		ceiling := base << attempt
		if ceiling > max {
			ceiling = max
		}
		sawAboveHalf := false
		for i := 0; i < 200; i++ {
			d := fullJitter(base, max, attempt)
			assert.GreaterOrEqual(t, d, time.Duration(0))
			assert.LessOrEqual(t, d, ceiling)
			if d > ceiling/2 {
				sawAboveHalf = true
			}
		}
		assert.True(t, sawAboveHalf, "jitter never reached the upper half at attempt %d", attempt)
	}
	assert.Zero(t, fullJitter(0, 0, 3))
	assert.LessOrEqual(t, fullJitter(time.Second, time.Second, 62), time.Second, "no overflow on large attempts")
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)
	h := http.Header{}
	_, ok := retryAfter(h, now)
	assert.False(t, ok)

	h.Set("Retry-After", "7")
	d, ok := retryAfter(h, now)
	assert.True(t, ok)
	assert.Equal(t, 7*time.Second, d)

	h.Set("Retry-After", now.Add(90*time.Second).Format(http.TimeFormat))
	d, ok = retryAfter(h, now)
	assert.True(t, ok)
	assert.Equal(t, 90*time.Second, d)

	h.Set("Retry-After", now.Add(-time.Hour).Format(http.TimeFormat))
	d, ok = retryAfter(h, now)
	assert.True(t, ok)
	assert.Zero(t, d)

	for _, bad := range []string{"-3", "soon", "1.5"} {
		h.Set("Retry-After", bad)
		_, ok = retryAfter(h, now)
		assert.False(t, ok, bad)
	}
}

func TestBackoffCapsRetryAfterAtMax(t *testing.T) {
	t.Parallel()
	resp := &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {"3600"}}}
	assert.Equal(t, 3*time.Second, backoff(time.Millisecond, 3*time.Second, 0, resp))

	resp.Header.Set("Retry-After", "1")
	assert.Equal(t, time.Second, backoff(time.Millisecond, 3*time.Second, 0, resp))

	// A Retry-After on a 500 is not a rate-limit hint; jitter applies.
	resp = &http.Response{StatusCode: 500, Header: http.Header{"Retry-After": {"2"}}}
	assert.LessOrEqual(t, backoff(time.Millisecond, 3*time.Second, 0, resp), time.Millisecond)
}
