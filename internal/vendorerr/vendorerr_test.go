package vendorerr

import (
	"errors"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kshop-dev/kshop"
)

func TestRetryable(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]bool{429: true, 500: true, 502: true, 503: true, 501: false, 400: false, 401: false, 200: false} {
		assert.Equal(t, want, Retryable(status, false), "HTTP %d", status)
		assert.False(t, Retryable(status, true), "HTTP %d with an unknown outcome is never retryable", status)
	}
}

func TestTexts(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "ssoda: Send: HTTP 400, code 400: bad template", APIText("ssoda", "Send", 400, "400", "bad template", false))
	assert.Equal(t, "lunasoft: Send: HTTP 503; "+kshop.ErrOutcomeUnknown.Error(), APIText("lunasoft", "Send", 503, "", "", true))
	assert.Equal(t, "ssoda: Send: answer could not be understood (HTTP 200, text/html): an HTML page",
		ResponseText("ssoda", "Send", 200, "text/html", "an HTML page", false))
	assert.Equal(t, "lunasoft: Send: answer could not be understood (HTTP 502): empty body; "+kshop.ErrOutcomeUnknown.Error(),
		ResponseText("lunasoft", "Send", 502, "", "empty body", true))
}

func TestResponseUnwrap(t *testing.T) {
	t.Parallel()
	known := errors.Join(ResponseUnwrap(false, nil)...)
	assert.ErrorIs(t, known, kshop.ErrBadResponse)
	assert.NotErrorIs(t, known, kshop.ErrOutcomeUnknown)
	unknown := errors.Join(ResponseUnwrap(true, io.ErrUnexpectedEOF)...)
	assert.ErrorIs(t, unknown, kshop.ErrOutcomeUnknown)
	assert.ErrorIs(t, unknown, io.ErrUnexpectedEOF, "the transport's error stays reachable")
}

func TestUnknownStatus(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]bool{200: false, 400: false, 429: false, 500: true, 501: false, 502: true, 503: true, 504: true, 599: true} {
		if got := UnknownStatus(status); got != want {
			t.Errorf("UnknownStatus(%d) = %v, want %v", status, got, want)
		}
	}
}
