package ssodatest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var welcome = alimtalk.Template{Code: "WELCOME_01", Name: "가입 환영", CategoryCode: "001001",
	Content: "#{name}님, 가입을 환영합니다."}

// post sends a raw request to the fake and decodes its envelope.
func post(t *testing.T, srv *ssodatest.Server, path, apiKey string, body map[string]any) (int, map[string]any) {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL()+path, bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("x-api-key", apiKey)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var env map[string]any
	require.NoError(t, json.Unmarshal(data, &env), string(data))
	return resp.StatusCode, env
}

func sendBody(to, text string) map[string]any {
	return map[string]any{"token_key": ssodatest.DefaultTokenKey, "sender_key": ssodatest.DefaultSenderKey,
		"template_code": "WELCOME_01", "dest_phone": to, "msg_body": text}
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{welcome}})
	defer srv.Close()
	path := srv.Paths().SendAlimTalk

	status, env := post(t, srv, path, "wrong", sendBody("01012345678", "홍길동님, 가입을 환영합니다."))
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, "401", env["code"])

	body := sendBody("01012345678", "홍길동님, 가입을 환영합니다.")
	body["token_key"] = "wrong"
	status, env = post(t, srv, path, ssodatest.DefaultAPIKey, body)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "401", env["code"])

	srv.SetAllowedIPs("192.0.2.1")
	_, env = post(t, srv, path, ssodatest.DefaultAPIKey, sendBody("01012345678", "홍길동님, 가입을 환영합니다."))
	assert.Equal(t, "token에 등록되지 않은 발송서버 ip입니다. (127.0.0.1)", env["error"])

	srv.SetAllowedIPs("127.0.0.1", "::1")
	_, env = post(t, srv, path, ssodatest.DefaultAPIKey, sendBody("01012345678", "홍길동님, 가입을 환영합니다."))
	assert.Equal(t, "200", env["code"], "%v", env)
	assert.Len(t, srv.Sent(), 1)
	assert.Equal(t, 4, srv.Requests(path))
}

func TestProtocolErrors(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{})
	defer srv.Close()
	status, env := post(t, srv, "/no/such/api", ssodatest.DefaultAPIKey, map[string]any{"token_key": ssodatest.DefaultTokenKey})
	assert.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, "404", env["code"])

	resp, err := srv.Client().Get(srv.URL() + srv.Paths().RemainingPoints)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)

	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL()+srv.Paths().RemainingPoints, bytes.NewReader([]byte("{nope")))
	require.NoError(t, err)
	req.Header.Set("x-api-key", ssodatest.DefaultAPIKey)
	resp, err = srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, 3, srv.TotalRequests())
}

func TestSendRules(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{welcome}})
	defer srv.Close()
	path := srv.Paths().SendAlimTalk
	cases := []struct {
		name string
		edit func(map[string]any)
		code string
	}{
		{"text mismatch", func(b map[string]any) { b["msg_body"] = "가입을 환영합니다." }, ssodatest.CodeTemplateMismatch},
		{"unknown template", func(b map[string]any) { b["template_code"] = "NOPE_0001" }, ssodatest.CodeTemplateNotFound},
		{"unknown sender key", func(b map[string]any) { b["sender_key"] = "x" }, ssodatest.CodeUnknownSenderKey},
		{"missing phone", func(b map[string]any) { delete(b, "dest_phone") }, ssodatest.CodeMissingField},
		{"hyphenated phone", func(b map[string]any) { b["dest_phone"] = "010-1234-5678" }, ssodatest.CodeBadRequest},
		{"extra button", func(b map[string]any) {
			b["button"] = []any{map[string]any{"name": "x", "type": "WL", "url_mobile": "https://x"}}
		}, ssodatest.CodeButtonMismatch},
		{"bad send_time", func(b map[string]any) { b["send_time"] = "tomorrow" }, ssodatest.CodeBadRequest},
		{"failover without text", func(b map[string]any) { b["failover"] = map[string]any{"use": "Y"} }, ssodatest.CodeMissingField},
	}
	for _, tc := range cases {
		b := sendBody("01012345678", "홍길동님, 가입을 환영합니다.")
		tc.edit(b)
		status, env := post(t, srv, path, ssodatest.DefaultAPIKey, b)
		assert.Equal(t, http.StatusOK, status, tc.name)
		assert.Equal(t, tc.code, env["code"], tc.name)
		assert.NotEmpty(t, env["error"], tc.name)
	}
	assert.Empty(t, srv.Messages())
	assert.InDelta(t, ssodatest.DefaultPoints, srv.Points(), 0.001)
}

func TestDropAfterReadRecordsTheMessage(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{welcome}})
	defer srv.Close()
	path := srv.Paths().SendAlimTalk
	srv.InjectFault(ssodatest.Fault{Call: path, Kind: ssodatest.FaultDrop, CarryOut: true})
	raw, _ := json.Marshal(sendBody("01012345678", "홍길동님, 가입을 환영합니다."))
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL()+path, bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("x-api-key", ssodatest.DefaultAPIKey)
	resp, err := srv.Client().Do(req)
	if err == nil {
		resp.Body.Close()
	}
	require.Error(t, err, "no answer")
	assert.Len(t, srv.Sent(), 1, "but the message went out")
	assert.Equal(t, 1, srv.Requests(path))

	_, env := post(t, srv, path, ssodatest.DefaultAPIKey, sendBody("01012345678", "홍길동님, 가입을 환영합니다."))
	assert.Equal(t, "200", env["code"], "the fault was used up")
}

func TestFaultsOnOtherPathsAndClear(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{})
	defer srv.Close()
	srv.InjectFault(ssodatest.Fault{Call: srv.Paths().SenderNumbers, Kind: ssodatest.FaultStatus, Status: 502, Times: 2})
	_, env := post(t, srv, srv.Paths().RemainingPoints, ssodatest.DefaultAPIKey, map[string]any{"token_key": ssodatest.DefaultTokenKey})
	assert.Equal(t, "200", env["code"], "another path is not affected")
	status, _ := post(t, srv, srv.Paths().SenderNumbers, ssodatest.DefaultAPIKey, map[string]any{"token_key": ssodatest.DefaultTokenKey})
	assert.Equal(t, 502, status)
	srv.ClearFaults()
	status, _ = post(t, srv, srv.Paths().SenderNumbers, ssodatest.DefaultAPIKey, map[string]any{"token_key": ssodatest.DefaultTokenKey})
	assert.Equal(t, 200, status)
}

func TestLatencyEndsWhenTheServerCloses(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{})
	srv.InjectFault(ssodatest.Fault{Kind: ssodatest.FaultDelay, Delay: time.Hour})
	done := make(chan error, 1)
	go func() {
		raw, _ := json.Marshal(map[string]any{"token_key": ssodatest.DefaultTokenKey})
		req, _ := http.NewRequest(http.MethodPost, srv.URL()+srv.Paths().RemainingPoints, bytes.NewReader(raw))
		req.Header.Set("x-api-key", ssodatest.DefaultAPIKey)
		resp, err := srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	for srv.TotalRequests() == 0 {
		time.Sleep(time.Millisecond)
	}
	srv.Close() // must not wait an hour
	<-done
	assert.Equal(t, 1, srv.TotalRequests())
}

func TestConcurrentSendsAreSafe(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{welcome}})
	defer srv.Close()
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, env := post(t, srv, srv.Paths().SendAlimTalk, ssodatest.DefaultAPIKey, sendBody(fmt.Sprintf("0101234%04d", i), "홍길동님, 가입을 환영합니다."))
			assert.Equal(t, "200", env["code"])
		}()
	}
	wg.Wait()
	ids := map[string]bool{}
	for _, m := range srv.Messages() {
		ids[m.ID] = true
	}
	assert.Len(t, ids, 40)
	assert.InDelta(t, ssodatest.DefaultPoints-40*8, srv.Points(), 0.001)
}

// rawPost posts a send and returns the status, the body read and the read error.
func rawPost(t *testing.T, srv *ssodatest.Server, path string) (int, []byte, error) {
	t.Helper()
	raw, _ := json.Marshal(sendBody("01012345678", "홍길동님, 가입을 환영합니다."))
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL()+path, bytes.NewReader(raw))
	require.NoError(t, err)
	req.Header.Set("x-api-key", ssodatest.DefaultAPIKey)
	resp, err := srv.Client().Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// TestEveryFaultKindByCallName injects each shared fault kind by call name and checks the
// answer and whether the message was carried out.
func TestEveryFaultKindByCallName(t *testing.T) {
	t.Parallel()
	cases := []struct {
		fault    ssodatest.Fault
		status   int
		readErr  bool
		recorded int
		check    func(t *testing.T, body []byte)
	}{
		{ssodatest.Fault{Kind: ssodatest.FaultStatus, Status: 503}, 503, false, 0, nil},
		{ssodatest.Fault{Kind: ssodatest.FaultStatus, CarryOut: true}, 500, false, 1, nil},
		{ssodatest.Fault{Kind: ssodatest.FaultTooManyRequests, CarryOut: true}, 429, false, 0, nil},
		{ssodatest.Fault{Kind: ssodatest.FaultHTMLPage}, 200, false, 0, func(t *testing.T, b []byte) { assert.Contains(t, string(b), "<html>") }},
		{ssodatest.Fault{Kind: ssodatest.FaultEmptyBody, CarryOut: true}, 200, false, 1, func(t *testing.T, b []byte) { assert.Empty(t, b) }},
		{ssodatest.Fault{Kind: ssodatest.FaultTruncated, CarryOut: true}, 200, true, 1, nil},
		{ssodatest.Fault{Kind: ssodatest.FaultDelay, Delay: time.Millisecond}, 200, false, 1, nil},
	}
	for _, tc := range cases {
		srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{welcome}})
		f := tc.fault
		f.Call = ssodatest.CallSend
		srv.InjectFault(f)
		status, body, err := rawPost(t, srv, srv.Paths().SendAlimTalk)
		assert.Equal(t, tc.status, status, "%v", tc.fault.Kind)
		assert.Equal(t, tc.readErr, err != nil, "%v: %v", tc.fault.Kind, err)
		assert.Len(t, srv.Messages(), tc.recorded, "%v", tc.fault.Kind)
		if tc.check != nil {
			tc.check(t, body)
		}
		assert.Equal(t, 1, srv.Requests(ssodatest.CallSend))
		assert.Equal(t, 1, srv.Requests(srv.Paths().SendAlimTalk))
		assert.Equal(t, 1, srv.TotalRequests())
		srv.Close()
	}
}
