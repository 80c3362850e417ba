package transport

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Secrets of every kind the SDK handles, and a phone number, none of which may be logged.
var (
	secretAPIKey   = "ak_live_5f3e9c1d2b7a48e6"
	secretToken    = "tk-9a8b7c6d5e4f3a2b1c0d"
	secretPassword = "p@ss w0rd&more"
	secretRegKey   = "REGKEY1234567890123456789012"
	secretService  = "ServiceKeyABCDEF%2B%2Fxyz"
	secretRegData  = "8522ad534acc61cb88090b7e62c5183b"
	secretBearer   = "Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig"
	rawPhone       = "01098765432"
	hyphenPhone    = "010-9876-5432"
)

var allSecrets = []string{secretAPIKey, secretToken, secretPassword, secretRegKey, "ServiceKeyABCDEF", secretRegData, "eyJhbGciOiJIUzI1NiJ9", rawPhone, hyphenPhone, "9876-5432", "98765432"}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func assertNoSecret(t *testing.T, where, text string) {
	t.Helper()
	for _, s := range allSecrets {
		assert.NotContains(t, text, s, "%s leaks %q", where, s)
	}
}

func TestRedactionOfLogsAndErrors(t *testing.T) {
	t.Parallel()
	// The server echoes what it got, as vendors do in error messages, and fails non-idempotent
	// calls with a 503 so the error path runs too.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		status := http.StatusOK
		if r.URL.Path == "/fail" {
			status = http.StatusServiceUnavailable
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"echo":` + string(mustJSONString(string(body))) + `,"query":"` + r.URL.RawQuery + `","dest_phone":"` + rawPhone + `"}`))
	}))
	t.Cleanup(srv.Close)

	var logs lockedBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.Logger = logger
		cfg.Secrets = []string{secretAPIKey, secretToken}
	})

	query := url.Values{
		"key":        {secretRegKey},
		"regkey":     {secretRegKey},
		"ServiceKey": {secretService},
		"regData":    {secretRegData},
		"rgist":      {"6012345678901"},
	}
	body := []byte(`{"token_key":"` + secretToken + `","api_key":"` + secretAPIKey + `","password":"` + strings.ReplaceAll(secretPassword, `"`, `\"`) +
		`","dest_phone":"` + rawPhone + `","msg_body":"주문자 ` + hyphenPhone + ` 님"}`)
	header := http.Header{"X-Api-Key": {secretAPIKey}, "Authorization": {secretBearer}}

	for _, path := range []string{"/ok", "/fail"} {
		for _, class := range []Class{Idempotent, NonIdempotent} {
			resp, err := c.Do(context.Background(), &Request{Class: class, Method: http.MethodPost, Path: path, Query: query, Header: header, Body: body, ContentType: "application/json"})
			if err != nil {
				assertNoSecret(t, "error string", err.Error())
				var te *Error
				if assert.ErrorAs(t, err, &te) {
					assert.Contains(t, string(te.Body), rawPhone, "the raw body is kept for decoding")
				}
			} else {
				assert.Contains(t, string(resp.Body), secretAPIKey, "the caller gets the unredacted answer")
			}
		}
	}
	// A transport error's text carries the URL: it must be redacted too.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closed := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())
	_, err = c.Do(context.Background(), &Request{Class: NonIdempotent, BaseURL: closed, Path: "/x", Query: query, Body: body})
	require.Error(t, err)
	assertNoSecret(t, "dial error", err.Error())
	var ue *url.Error
	if assert.ErrorAs(t, err, &ue, "the url.Error stays reachable") {
		assertNoSecret(t, "unwrapped url.Error", ue.Error())
	}

	out := logs.String()
	require.Contains(t, out, "kshop request", "the debug logger saw the requests")
	require.Contains(t, out, "kshop call failed")
	assertNoSecret(t, "logs", out)
	assert.Contains(t, out, "REDACTED")
	assert.Contains(t, out, "010-****-5432", "phones are masked, not dropped")
	assert.Contains(t, out, "6012345678901", "a waybill number is not a phone")
}

func mustJSONString(s string) []byte {
	var b bytes.Buffer
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.Bytes()
}

func TestRedactorText(t *testing.T) {
	t.Parallel()
	r := NewRedactor([]string{"x-custom"}, []string{"userid"}, []string{"securityKey"}, []string{"abc", secretAPIKey})
	cases := []struct{ in, want string }{
		{`{"token_key":"t1","msg":"x"}`, `{"token_key":"REDACTED","msg":"x"}`},
		{`{"API_KEY" : "a\"b","n":1}`, `{"API_KEY" : "REDACTED","n":1}`},
		{`{"password":12345}`, `{"password":"REDACTED"}`},
		{`{"securityKey":"1234567890abcdefghijkl"}`, `{"securityKey":"REDACTED"}`},
		{`https://h/p?key=abc123&zip=12345`, `https://h/p?key=REDACTED&zip=12345`},
		{`regkey=R&target=trace&query=6012345678901`, `regkey=REDACTED&target=trace&query=6012345678901`},
		{`ServiceKey=a%2Bb&rgist=1`, `ServiceKey=REDACTED&rgist=1`},
		{`monkey=banana`, `monkey=banana`},
		{`userid=shop1&x=1`, `userid=REDACTED&x=1`},
		{"key " + secretAPIKey + " leaked", "key REDACTED leaked"},
		{"abc is too short to be a secret", "abc is too short to be a secret"},
		{`{"echo":"{\"token_key\":\"t\\\"x\",\"n\":1}"}`, `{"echo":"{\"token_key\":\"REDACTED\",\"n\":1}"}`},
		{`{"echo":"{\"password\":12,\"api_key\":\"a\\\\b\"}"}`, `{"echo":"{\"password\":\"REDACTED\",\"api_key\":\"REDACTED\"}"}`},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, r.Text(tc.in), tc.in)
	}
	masked := r.Text(`{"dest_phone":"01012345678"}`)
	assert.NotContains(t, masked, "01012345678")
	assert.Contains(t, masked, "****5678")

	h := r.Header(http.Header{"X-Api-Key": {"k"}, "X-Custom": {"c"}, "Content-Type": {"application/json"}})
	assert.Equal(t, map[string]string{"X-Api-Key": "REDACTED", "X-Custom": "REDACTED", "Content-Type": "application/json"}, h)

	u, _ := url.Parse("https://user:pw@ship.example/api.InsertOrder.jparcel?key=K&regData=abc&option=000")
	assert.Equal(t, "https://ship.example/api.InsertOrder.jparcel?key=REDACTED&option=000&regData=REDACTED", r.URL(u))
}

func FuzzRedactorText(f *testing.F) {
	r := NewRedactor(nil, nil, nil, []string{secretAPIKey})
	for _, s := range []string{`{"token_key":"x"}`, `key=1&b=2`, secretAPIKey, `"api_key":`, `010-1234-5678`, "\xff\"token_key\":\"\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := r.Text(s)
		if strings.Contains(s, secretAPIKey) && strings.Contains(out, secretAPIKey) {
			t.Fatalf("secret survived in %q", out)
		}
	})
}
