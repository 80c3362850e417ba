package lunasoft_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/lunasoft"
)

func TestNewClientValidation(t *testing.T) {
	t.Parallel()
	_, err := lunasoft.NewClient(lunasoft.Credentials{UserID: "a b", APIKey: ""})
	var ve *kshop.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Problems, 2, "every problem at once: %v", err)
	assert.NotNil(t, ve.Field("userid"))
	assert.NotNil(t, ve.Field("api_key"))

	creds := lunasoft.Credentials{UserID: testUserID, APIKey: testAPIKey}
	for name, opt := range map[string]lunasoft.Option{
		"http base":   lunasoft.WithBaseURL("http://example.com"),
		"bad base":    lunasoft.WithBaseURL("::"),
		"concurrency": lunasoft.WithConcurrency(0),
		"chunk":       lunasoft.WithChunkSize(1001),
		"retry":       lunasoft.WithRetry(-1, 0),
		"timeout":     lunasoft.WithTimeout(0),
		"http client": lunasoft.WithHTTPClient(nil),
		"clock":       lunasoft.WithClock(nil),
		"couriers":    lunasoft.WithCouriers(nil),
		"user agent":  lunasoft.WithUserAgent("a\nb"),
	} {
		_, err := lunasoft.NewClient(creds, opt)
		assert.ErrorIs(t, err, lunasoft.ErrInvalid, name)
	}
	c, err := lunasoft.NewClient(creds, lunasoft.WithBaseURL("http://127.0.0.1:1"), nil)
	require.NoError(t, err, "loopback http is allowed, nil options are skipped")
	assert.Contains(t, c.String(), "http://127.0.0.1:1")
}

func TestNothingPrintsTheKey(t *testing.T) {
	t.Parallel()
	creds := lunasoft.Credentials{UserID: testUserID, APIKey: testAPIKey}
	c, err := lunasoft.NewClient(creds, lunasoft.WithHTTPClient(http.DefaultClient))
	require.NoError(t, err)
	type holder struct {
		Creds  lunasoft.Credentials
		Client *lunasoft.Client
	}
	h := holder{creds, c}
	var out []string
	// In unexported fields fmt cannot call the types' methods and walks their fields.
	hidden := struct {
		c  lunasoft.Client
		pc *lunasoft.Client
	}{*c, c}
	for _, v := range []any{creds, &creds, c, *c, h, &h, hidden} { //nolint:govet // printing a copy is what users do
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
			out = append(out, fmt.Sprintf(verb, v))
		}
	}
	for _, v := range []any{creds, c, h} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		out = append(out, string(b))
	}
	var buf bytes.Buffer
	for _, hd := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
		l := slog.New(hd)
		l.Info("x", "creds", creds, "client", c, "holder", h)
	}
	out = append(out, buf.String())
	for _, s := range out {
		assert.NotContains(t, s, testAPIKey[:12])
		assert.NotContains(t, s, testAPIKey[20:32])
	}
	assert.Contains(t, out[0], testUserID, "the user id is not a secret")
	assert.Contains(t, out[0], "REDACTED(40 chars)")
}
