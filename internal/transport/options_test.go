package transport

import (
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClientOptionsValidate(t *testing.T) {
	t.Parallel()
	var o ClientOptions
	require.Error(t, o.SetHTTPClient(nil))
	require.Error(t, o.SetTimeout(0))
	require.Error(t, o.SetRetry(-1, 0))
	require.Error(t, o.SetRetry(11, 0))
	require.Error(t, o.SetRetry(1, -time.Second))
	require.Error(t, o.SetUserAgent("shop\r\nX-Evil: 1"))
	assert.Equal(t, Config{}, o.Config(), "refused options leave nothing behind")
}

func TestClientOptionsConfig(t *testing.T) {
	t.Parallel()
	hc := &http.Client{}
	logger := slog.New(slog.DiscardHandler)
	var o ClientOptions
	require.NoError(t, o.SetHTTPClient(hc))
	o.SetLogger(logger)
	require.NoError(t, o.SetTimeout(time.Second))
	require.NoError(t, o.SetUserAgent("shop/1"))
	cfg := o.Config()
	assert.Same(t, hc, cfg.HTTPClient)
	assert.Same(t, logger, cfg.Logger)
	assert.Equal(t, time.Second, cfg.Timeout)
	assert.Equal(t, "shop/1", cfg.UserAgent)
	assert.Zero(t, cfg.MaxRetries, "no WithRetry: the transport's default")

	require.NoError(t, o.SetRetry(0, 0))
	cfg = o.Config()
	assert.Equal(t, -1, cfg.MaxRetries, "max 0 means no retries, not the default")
	assert.True(t, cfg.NoWait)

	require.NoError(t, o.SetRetry(2, 10*time.Second))
	cfg = o.Config()
	assert.Equal(t, 2, cfg.MaxRetries)
	assert.Equal(t, 10*time.Second, cfg.MinWait)
	assert.Equal(t, 10*time.Second, cfg.MaxWait, "the cap is never below the base wait")
	_, err := New(cfg)
	require.NoError(t, err)
}
