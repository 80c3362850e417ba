package ssoda_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda"
)

const pointsPath = "/sms/remaining/amount"

func TestResultCodeAsNumberOrString(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		`{"code":"200","error":"","content":{"amount":1500}}`,
		`{"code":200,"content":{"amount":"1,500"}}`,
		`{"code":2e2,"content":{"remaining_amount":1500.0}}`,
		`"{\"code\":\"200\",\"content\":{\"point\":1500}}"`, // double-encoded by a relay
		"\ufeff" + `{"code":"200","amount":"1500원"}`,
	} {
		c, mt := newMock(t)
		respond(mt, pointsPath, 200, body)
		p, err := c.Account.Points(t.Context())
		require.NoError(t, err, body)
		assert.True(t, p.Known, body)
		assert.InDelta(t, 1500, p.Amount, 0.001, body)
		assert.Equal(t, 1, calls(mt, pointsPath))
	}
}

func TestHTTP200WithErrorCodeIsAnAPIError(t *testing.T) {
	t.Parallel()
	cases := []struct {
		body, code, msg string
	}{
		{`{"code":"500","error":"서버 내부 오류"}`, "500", "서버 내부 오류"},
		{`{"code":3016,"error":"메시지 내용이 템플릿과 일치하지 않습니다."}`, "3016", "템플릿과 일치하지"},
		{`{"code":"E100","message":"잘못된 요청"}`, "E100", "잘못된 요청"},
		{`{"error":"발송 실패"}`, "", "발송 실패"},
	}
	for _, tc := range cases {
		c, mt := newMock(t)
		respond(mt, pointsPath, 200, tc.body)
		_, err := c.Account.Points(t.Context())
		var ae *ssoda.APIError
		require.ErrorAs(t, err, &ae, tc.body)
		assert.Equal(t, 200, ae.HTTPStatusCode())
		assert.Equal(t, tc.code, ae.Code())
		assert.Contains(t, ae.Message, tc.msg)
		assert.Equal(t, "Account.Points", ae.Op)
		assert.JSONEq(t, tc.body, string(ae.Body))
		var shared kshop.APIError
		assert.ErrorAs(t, err, &shared, "every vendor error shares kshop.APIError")
		assert.NotErrorIs(t, err, ssoda.ErrUnauthorized)
		assert.Equal(t, 1, calls(mt, pointsPath), "a refusal is not retried")
	}
}

func TestIPNotAllowedCarriesTheIP(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status      int
		body, ip    string
		contentType string
	}{
		{200, `{"code":"-1","error":"token에 등록되지 않은 발송서버 ip입니다. (1.2.3.4)"}`, "1.2.3.4", "application/json"},
		{403, `{"code":"403","error":"token에 등록되지 않은 발송서버 ip입니다. (2001:db8::7)"}`, "2001:db8::7", "application/json"},
		{200, `token에 등록되지 않은 발송서버 ip입니다. (211.234.10.20)`, "211.234.10.20", "text/plain"},
		{200, `{"code":"9999","error":"등록되지 않은 발송서버 IP 입니다"}`, "", "application/json"},
	}
	for _, tc := range cases {
		c, mt := newMock(t)
		mt.RegisterResponder(http.MethodPost, mockBase+pointsPath, func(*http.Request) (*http.Response, error) {
			r := httpmock.NewStringResponse(tc.status, tc.body)
			r.Header.Set("Content-Type", tc.contentType)
			return r, nil
		})
		_, err := c.Account.Points(t.Context())
		require.ErrorIs(t, err, ssoda.ErrIPNotAllowed, tc.body)
		assert.NotErrorIs(t, err, ssoda.ErrUnauthorized, "an IP refusal is its own error")
		var ipErr *ssoda.IPNotAllowedError
		require.ErrorAs(t, err, &ipErr)
		assert.Equal(t, tc.ip, ipErr.IP)
		var ae *ssoda.APIError
		require.ErrorAs(t, err, &ae)
		assert.False(t, ae.Retryable())
		assert.Contains(t, ipErr.Error(), "API 토큰 관리")
	}
}

func TestUnauthorizedHeuristic(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		status int
		body   string
		want   bool
	}{
		{"HTTP 401 JSON", 401, `{"code":"401","error":"unauthorized"}`, true},
		{"HTTP 403 HTML", 403, `<html><body>Forbidden</body></html>`, true},
		{"HTTP 401 empty", 401, ``, true},
		{"code 401 in a 200", 200, `{"code":"401","error":"x"}`, true},
		{"api key message", 200, `{"code":"-100","error":"유효하지 않은 api key 입니다."}`, true},
		{"token message", 200, `{"code":"-101","error":"존재하지 않는 토큰입니다."}`, true},
		{"template refusal", 200, `{"code":"3015","error":"템플릿을 찾을 수 없습니다."}`, false},
		{"sender key refusal", 200, `{"code":"3008","error":"등록되지 않은 발신프로필입니다."}`, false},
	}
	for _, tc := range cases {
		c, mt := newMock(t)
		respond(mt, pointsPath, tc.status, tc.body)
		_, err := c.Account.Points(t.Context())
		require.Error(t, err, tc.name)
		assert.Equal(t, tc.want, errors.Is(err, ssoda.ErrUnauthorized), "%s: %v", tc.name, err)
		var ae *ssoda.APIError
		require.ErrorAs(t, err, &ae, tc.name)
		assert.Equal(t, tc.status, ae.HTTPStatusCode())
	}
}

func TestUnexpectedAnswers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body, reason string
		status             int
	}{
		{"HTML page", "<!DOCTYPE html><html><body>maintenance</body></html>", "HTML", 200},
		{"empty body", "", "empty", 200},
		{"garbage", "ok", "not JSON", 200},
		{"truncated JSON", `{"code":"200","content":{`, "truncated JSON", 200},
		{"malformed JSON", `{"code":"200",}`, "malformed JSON", 200},
		{"duplicate code", `{"code":"500","code":"200"}`, "duplicate key", 200},
		{"code is an object", `{"code":{"v":1}}`, "malformed result code", 200},
	}
	for _, tc := range cases {
		c, mt := newMock(t)
		respond(mt, pointsPath, tc.status, tc.body)
		_, err := c.Account.Points(t.Context())
		var re *ssoda.ResponseError
		require.ErrorAs(t, err, &re, tc.name)
		assert.Contains(t, re.Message, tc.reason, tc.name)
		assert.Equal(t, tc.status, re.HTTPStatusCode())
		assert.Empty(t, re.Code())
		assert.Equal(t, tc.body, string(re.Body), "the raw body is kept")
		assert.ErrorIs(t, err, ssoda.ErrBadResponse)
		assert.NotErrorIs(t, err, ssoda.ErrOutcomeUnknown, "a read-only call has no outcome to lose")
	}
}

// An HTTP error status whose body is not Ssoda's JSON (a gateway's page) is a refusal by status,
// not an answer we failed to understand.
func TestHTTPErrorPagesAreRefusalsByStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body   string
		status int
		text   string
	}{{"Not Found", 404, "Not Found"}, {"<html><body>Bad Gateway</body></html>", 502, "Bad Gateway"}, {"", 429, "Too Many Requests"}} {
		c, mt := newMock(t)
		respond(mt, pointsPath, tc.status, tc.body)
		_, err := c.Account.Points(t.Context())
		var ae *ssoda.APIError
		require.ErrorAs(t, err, &ae, tc.body)
		assert.Equal(t, tc.status, ae.HTTPStatus)
		assert.Equal(t, tc.text, ae.Message)
		assert.NotErrorIs(t, err, ssoda.ErrBadResponse)
		assert.Equal(t, tc.status == 429, errors.Is(err, ssoda.ErrNotSent), "429 means Ssoda turned the call away")
	}
}

func TestReadOnlyCallsRetry5xx(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t)
	n := 0
	mt.RegisterResponder(http.MethodPost, mockBase+pointsPath, func(*http.Request) (*http.Response, error) {
		n++
		if n < 3 {
			return httpmock.NewStringResponse(503, `{"code":"503","error":"busy"}`), nil
		}
		return httpmock.NewStringResponse(200, `{"code":"200","content":{"amount":7}}`), nil
	})
	p, err := c.Account.Points(t.Context())
	require.NoError(t, err)
	assert.InDelta(t, 7, p.Amount, 0.001)
	assert.Equal(t, 3, calls(mt, pointsPath))

	c2, mt2 := newMock(t)
	respond(mt2, pointsPath, 503, `{"code":"503","error":"busy"}`)
	_, err = c2.Account.Points(t.Context())
	var ae *ssoda.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, 503, ae.HTTPStatusCode())
	assert.True(t, ae.Retryable(), "a read may be tried again later")
	assert.Equal(t, 3, calls(mt2, pointsPath), "1 + 2 retries")
}

func TestErrorsRedactSecretsAndPhones(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t)
	body := `{"code":"400","error":"요청 값을 확인하세요: ` + testTokenKey + `, 01098765432, ` + testSenderKey + `"}`
	respond(mt, "/kakao/send/alimtalk", 200, body)
	res, err := c.Send(t.Context(), []alimtalk.Message{{To: "010-9876-5432", TemplateCode: "ORDER_RECEIVED", Text: "안녕하세요"}})
	require.NoError(t, err)
	require.Equal(t, alimtalk.StatusRejected, res[0].Status)
	var ae *ssoda.APIError
	require.ErrorAs(t, res[0].Err, &ae)
	for _, s := range []string{ae.Error(), ae.Message, string(ae.Body)} {
		assert.NotContains(t, s, testTokenKey)
		assert.NotContains(t, s, testSenderKey)
		assert.NotContains(t, s, "01098765432")
	}
	assert.Contains(t, ae.Message, "010****5432")
	assert.Equal(t, 1, calls(mt, "/kakao/send/alimtalk"))
}

func TestRequestsCarryAuthAndJSON(t *testing.T) {
	t.Parallel()
	for _, forwarded := range []string{"", "203.0.113.9"} {
		var opts []ssoda.Option
		if forwarded != "" {
			opts = append(opts, ssoda.WithForwardedFor(forwarded))
		}
		c, mt := newMock(t, append(opts, ssoda.WithUserAgent("myshop/2.1"))...)
		var header http.Header
		var body map[string]any
		mt.RegisterResponder(http.MethodPost, mockBase+"/sms/sendphone/list", func(r *http.Request) (*http.Response, error) {
			header = r.Header.Clone()
			raw, _ := io.ReadAll(r.Body)
			_ = json.Unmarshal(raw, &body)
			return httpmock.NewStringResponse(200, `{"code":"200","content":{"sendphones":[]}}`), nil
		})
		list, err := c.Account.SenderNumbers(t.Context())
		require.NoError(t, err)
		assert.Empty(t, list)
		assert.Equal(t, testAPIKey, header.Get("X-Api-Key"))
		assert.Equal(t, "application/json; charset=utf-8", header.Get("Content-Type"))
		assert.Contains(t, header.Get("User-Agent"), "myshop/2.1 kshop-go/")
		assert.Equal(t, forwarded, header.Get("X-Forwarded-For"), "sent only when asked for")
		assert.Equal(t, testTokenKey, body["token_key"])
		assert.Equal(t, 1, calls(mt, "/sms/sendphone/list"))
	}
}
