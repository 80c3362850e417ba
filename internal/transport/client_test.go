package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
)

func TestDoSendsWhatTheRequestSays(t *testing.T) {
	t.Parallel()
	type seen struct {
		method, path, query, ua, ct, custom, body string
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.URL.Path, r.URL.RawQuery, r.UserAgent(), r.Header.Get("Content-Type"), r.Header.Get("X-Custom"), string(b)}
		w.Header().Set("X-Answer", "1")
		_, _ = io.WriteString(w, `{"code":"200"}`)
	}))
	t.Cleanup(srv.Close)

	c := newTestClient(t, srv.URL+"/base/", func(cfg *Config) { cfg.UserAgent = "shop/2.0" })
	resp, err := c.Do(context.Background(), &Request{
		Class: NonIdempotent, Path: "/kakao/send/alimtalk", Query: url.Values{"a": {"1"}},
		Header: http.Header{"x-custom": {"v"}}, Body: []byte(`{"x":1}`), ContentType: "application/json; charset=utf-8",
	})
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, `{"code":"200"}`, string(resp.Body))
	assert.Equal(t, "1", resp.Header.Get("X-Answer"))
	assert.Equal(t, 1, resp.Attempts)
	s := <-got
	assert.Equal(t, seen{http.MethodPost, "/base/kakao/send/alimtalk", "a=1", "shop/2.0 kshop-go/" + kshop.Version, "application/json; charset=utf-8", "v", `{"x":1}`}, s)
}

func TestDoRefusesBadRequests(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "https://vendor.example", nil)
	_, err := c.Do(context.Background(), &Request{Path: "/x"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "neither Idempotent nor NonIdempotent")
	_, err = c.Do(context.Background(), nil)
	require.Error(t, err)
	_, err = c.Do(context.Background(), &Request{Class: Idempotent, BaseURL: "http://vendor.example"})
	assert.ErrorIs(t, err, ErrInsecureURL)

	noBase, err := New(Config{})
	require.NoError(t, err)
	_, err = noBase.Do(context.Background(), &Request{Class: Idempotent, Path: "/x"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no base URL")
}

func TestCheckBaseURL(t *testing.T) {
	t.Parallel()
	ok := []string{"https://apis.ssodaa.com", "https://apis.ssodaa.com/", "http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", "HTTP://openapi.epost.go.kr/trace"}
	for _, raw := range ok {
		u, err := CheckBaseURL(raw, []string{"OPENAPI.epost.go.kr"})
		require.NoError(t, err, raw)
		assert.False(t, strings.HasSuffix(u.Path, "/"), raw)
	}
	bad := map[string]error{
		"http://apis.ssodaa.com":       ErrInsecureURL,
		"ftp://127.0.0.1":              ErrInsecureURL,
		"http://10.0.0.1":              ErrInsecureURL,
		"http://openapi.epost.go.kr.x": ErrInsecureURL,
	}
	for raw, want := range bad {
		_, err := CheckBaseURL(raw, []string{"openapi.epost.go.kr"})
		assert.ErrorIs(t, err, want, raw)
	}
	for _, raw := range []string{"", "apis.ssodaa.com", "https://user:pw@h", "://x"} {
		_, err := CheckBaseURL(raw, nil)
		require.Error(t, err, raw)
	}
	_, err := CheckBaseURL("not a url?key=SECRETVALUE", nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "SECRETVALUE")
}

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	_, err := New(Config{MinWait: 2, MaxWait: 1})
	require.Error(t, err)
	_, err = New(Config{Timeout: -1})
	require.Error(t, err)
	_, err = New(Config{BaseURL: "http://vendor.example"})
	assert.True(t, errors.Is(err, ErrInsecureURL))
}

func TestRedirectsAreNotFollowed(t *testing.T) {
	t.Parallel()
	hits := make(chan string, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits <- r.Method + " " + r.URL.Path
		if r.URL.Path == "/send" {
			http.Redirect(w, r, "/elsewhere", http.StatusTemporaryRedirect)
			return
		}
		_, _ = io.WriteString(w, "moved here")
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL, nil)
	resp, err := call(c, context.Background(), NonIdempotent)
	require.NoError(t, err)
	assert.Equal(t, http.StatusTemporaryRedirect, resp.StatusCode)
	close(hits)
	var all []string
	for h := range hits {
		all = append(all, h)
	}
	assert.Equal(t, []string{"POST /send"}, all, "the POST was not replayed at the redirect target")
}

func TestMaxRetriesNegativeMeansOneAttempt(t *testing.T) {
	t.Parallel()
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n++
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL, func(cfg *Config) { cfg.MaxRetries = -1 })
	resp, err := call(c, context.Background(), Idempotent)
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode)
	assert.Equal(t, 1, n)
}

func TestDoRefusesNilContextWithoutPanicOrRequest(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL, nil)
	//lint:ignore SA1012 a nil context is what this test is about
	_, err := c.Do(nil, &Request{Class: NonIdempotent, Path: "/x", Body: []byte("{}")}) //nolint:staticcheck
	require.Error(t, err)
	assert.ErrorIs(t, err, kshop.ErrInvalid)
	assert.Contains(t, err.Error(), "transport.Do")
	assert.Zero(t, hits.Load())
}

// A send stopped before its request was written (here: the context had already ended) says
// so with ErrNotSent, so that callers never have to guess from a missing flag.
func TestSendStoppedBeforeWritingWrapsErrNotSent(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { hits.Add(1) }))
	t.Cleanup(srv.Close)
	c := newTestClient(t, srv.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, class := range []Class{NonIdempotent, Idempotent} {
		_, err := c.Do(ctx, &Request{Class: class, Path: "/x", Body: []byte("{}")})
		require.Error(t, err)
		assert.NotErrorIs(t, err, kshop.ErrOutcomeUnknown, class.String())
		assert.Equal(t, class == NonIdempotent, errors.Is(err, kshop.ErrNotSent), "%s: %v", class, err)
	}
	assert.Zero(t, hits.Load())
}
