package transport

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
)

// headerEcho answers with the request's headers that tests look at.
func headerEcho(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = fmt.Fprintf(w, "%s|%s|%s|%s", r.UserAgent(), r.Header.Get("Content-Type"), r.Header.Get("X-Api-Key"), r.Header.Get("X-Injected"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// headerWriter is a RoundTripper that breaks the RoundTripper rules the way auth middleware
// often does: it writes into the request's header.
type headerWriter struct{ base http.RoundTripper }

func (h headerWriter) RoundTrip(r *http.Request) (*http.Response, error) {
	r.Header.Set("X-Injected", "yes")
	r.Header.Set("X-Api-Key", "overwritten")
	return h.base.RoundTrip(r)
}

func TestFixedHeaderIsSentAndNeverWrittenInto(t *testing.T) {
	t.Parallel()
	srv := headerEcho(t)
	for _, custom := range []bool{false, true} {
		t.Run(map[bool]string{false: "net/http transport", true: "caller's RoundTripper"}[custom], func(t *testing.T) {
			t.Parallel()
			tr := &http.Transport{}
			t.Cleanup(tr.CloseIdleConnections)
			var rt http.RoundTripper = tr
			if custom {
				rt = headerWriter{tr}
			}
			c, err := New(Config{BaseURL: srv.URL, HTTPClient: &http.Client{Transport: rt}, UserAgent: "shop/1"})
			require.NoError(t, err)
			assert.Equal(t, !custom, c.shareHeaders)
			fixed := c.FixHeader("application/json", http.Header{"x-api-key": {"key-1"}})
			want := "shop/1 kshop-go/" + kshop.Version + "|application/json|key-1|"
			if custom {
				want = "shop/1 kshop-go/" + kshop.Version + "|application/json|overwritten|yes"
			}
			for i := range 3 {
				resp, err := c.Do(context.Background(), &Request{Class: Idempotent, Path: "/x", Fixed: fixed,
					ContentType: "text/plain", Header: http.Header{"X-Ignored": {"1"}}})
				require.NoError(t, err)
				assert.Equal(t, want, string(resp.Body), "call %d", i)
			}
			assert.Equal(t, []string{"key-1"}, fixed.h["X-Api-Key"], "the fixed header is untouched")
			assert.NotContains(t, fixed.h, "X-Injected")
			assert.NotContains(t, fixed.h, "X-Ignored")
		})
	}
}

func TestFixedHeaderPrintsNoValue(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "https://vendor.example", nil)
	fixed := c.FixHeader("application/json", http.Header{"X-Api-Key": {"secret-key-123"}})
	holder := struct{ H *FixedHeader }{fixed}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		for _, v := range []any{fixed, holder} {
			out := fmt.Sprintf(verb, v)
			assert.NotContains(t, out, "secret-key-123", verb)
			assert.NotContains(t, out, hexOf("secret-key-123"), verb)
		}
	}
	assert.Equal(t, "transport.FixedHeader[Content-Type User-Agent X-Api-Key]", fixed.String())
	var none *FixedHeader
	assert.Equal(t, "transport.FixedHeader(nil)", fmt.Sprint(none))
}

func hexOf(s string) string { return fmt.Sprintf("%x", s) }
