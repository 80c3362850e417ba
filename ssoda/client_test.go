package ssoda_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda"
)

func TestNewClientValidates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		creds ssoda.Credentials
		opts  []ssoda.Option
		field string
	}{
		{"no API key", ssoda.Credentials{TokenKey: "t"}, nil, "Credentials.APIKey"},
		{"no token key", ssoda.Credentials{APIKey: "k"}, nil, "Credentials.TokenKey"},
		{"space in key", ssoda.Credentials{APIKey: "k k", TokenKey: "t"}, nil, "Credentials.APIKey"},
		{"short sender key", ssoda.Credentials{APIKey: "k", TokenKey: "t", SenderKey: "abc"}, nil, "Credentials.SenderKey"},
		{"plain http", testCreds, []ssoda.Option{ssoda.WithBaseURL("http://apis.ssodaa.com")}, "WithBaseURL"},
		{"relative URL", testCreds, []ssoda.Option{ssoda.WithBaseURL("/api")}, "WithBaseURL"},
		{"nil HTTP client", testCreds, []ssoda.Option{ssoda.WithHTTPClient(nil)}, "WithHTTPClient"},
		{"zero timeout", testCreds, []ssoda.Option{ssoda.WithTimeout(0)}, "WithTimeout"},
		{"too many retries", testCreds, []ssoda.Option{ssoda.WithRetry(11, 0)}, "WithRetry"},
		{"negative wait", testCreds, []ssoda.Option{ssoda.WithRetry(1, -time.Second)}, "WithRetry"},
		{"concurrency 0", testCreds, []ssoda.Option{ssoda.WithConcurrency(0)}, "WithConcurrency"},
		{"user agent with newline", testCreds, []ssoda.Option{ssoda.WithUserAgent("a\nb")}, "WithUserAgent"},
		{"bad path", testCreds, []ssoda.Option{ssoda.WithPaths(ssoda.Paths{SendAlimTalk: "kakao/send"})}, "Paths.SendAlimTalk"},
		{"path with query", testCreds, []ssoda.Option{ssoda.WithPaths(ssoda.Paths{TemplateList: "/x?y=1"})}, "Paths.TemplateList"},
		{"bad field name", testCreds, []ssoda.Option{ssoda.WithFieldNames(ssoda.FieldNames{SendTime: `a"b`})}, "FieldNames.SendTime"},
		{"forwarded-for not an IP", testCreds, []ssoda.Option{ssoda.WithForwardedFor("me")}, "WithForwardedFor"},
		{"nil clock", testCreds, []ssoda.Option{ssoda.WithClock(nil)}, "WithClock"},
	}
	for _, tc := range cases {
		_, err := ssoda.NewClient(tc.creds, tc.opts...)
		var ve *kshop.ValidationError
		require.ErrorAs(t, err, &ve, tc.name)
		assert.NotNil(t, ve.Field(tc.field), "%s: %v", tc.name, err)
		assert.ErrorIs(t, err, ssoda.ErrInvalid)
	}
	c, err := ssoda.NewClient(testCreds, nil, ssoda.WithLogger(nil))
	require.NoError(t, err, "nil options and a nil logger are fine")
	assert.NotNil(t, c.Templates)
}

func TestCredentialsNeverPrintKeys(t *testing.T) {
	t.Parallel()
	c, err := ssoda.NewClient(testCreds)
	require.NoError(t, err)
	for _, s := range []string{fmt.Sprint(testCreds), fmt.Sprintf("%#v", testCreds), fmt.Sprintf("%+v", testCreds), c.String()} {
		assert.NotContains(t, s, testAPIKey)
		assert.NotContains(t, s, testTokenKey)
		assert.NotContains(t, s, testSenderKey)
		assert.Contains(t, s, "REDACTED(")
	}
}

func TestDefaultsAndOverrides(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "/kakao/send/alimtalk", ssoda.DefaultPaths().SendAlimTalk)
	p := ssoda.Paths{SendFriendTalk: "/kakao/friendtalk/send"}.WithDefaults()
	assert.Equal(t, "/kakao/friendtalk/send", p.SendFriendTalk)
	assert.Equal(t, "/sms/remaining/amount", p.RemainingPoints)
	f := ssoda.FieldNames{Title: "template_title"}.WithDefaults()
	assert.Equal(t, "template_title", f.Title)
	assert.Equal(t, "send_time", f.SendTime)
	assert.Equal(t, "-", f.FailoverKind)
}

func TestAlimTalkBodyOnTheWire(t *testing.T) {
	t.Parallel()
	emph := alimtalk.Template{Code: "EMPH_TPL_1", Name: "강조", CategoryCode: "999999", Emphasis: alimtalk.EmphasisText,
		Title: "#{amount}원", Subtitle: "결제 완료", Content: "#{name}님 결제가 완료되었습니다.",
		Buttons: []alimtalk.Button{
			{Type: alimtalk.ButtonWebLink, Name: "영수증", URLMobile: "https://m.example/r/#{id}", URLPC: "https://example/r/#{id}"},
			{Type: alimtalk.ButtonAppLink, Name: "앱", SchemeAndroid: "app://r", SchemeIOS: "app://r"},
		}}
	c, mt := newMock(t, ssoda.WithTemplates(alimtalk.NewTemplateSet(emph)),
		ssoda.WithFieldNames(ssoda.FieldNames{FailoverKind: "msg_type"}))
	var body map[string]any
	mt.RegisterResponder(http.MethodPost, mockBase+"/kakao/send/alimtalk", func(r *http.Request) (*http.Response, error) {
		raw, _ := io.ReadAll(r.Body)
		require.NoError(t, json.Unmarshal(raw, &body))
		return httpmock.NewStringResponse(200, `{"code":"200","content":{"reserv":"Y","sent_messages":[{"msg_id":"m-1","reserv":"Y"}]}}`), nil
	})
	at := time.Date(2026, 12, 24, 23, 30, 0, 0, time.UTC) // 2026-12-25 08:30:00 KST
	res, err := c.Send(t.Context(), []alimtalk.Message{{
		To: "010-1234-5678", TemplateCode: "EMPH_TPL_1", ScheduledAt: at,
		Variables: map[string]string{"amount": "12,000", "name": "홍길동", "id": "R&1"},
		Failover:  &alimtalk.Failover{Kind: alimtalk.FailoverLMS, Subject: "결제 완료", From: "1588-1234"},
	}})
	require.NoError(t, err)
	require.Equal(t, alimtalk.StatusReserved, res[0].Status, "%v", res[0].Err)
	assert.Equal(t, "m-1", res[0].MessageID)
	assert.Equal(t, map[string]any{
		"token_key": testTokenKey, "sender_key": testSenderKey, "template_code": "EMPH_TPL_1",
		"dest_phone": "01012345678", "msg_body": "홍길동님 결제가 완료되었습니다.", "title": "12,000원",
		"button": []any{
			map[string]any{"name": "영수증", "type": "WL", "url_mobile": "https://m.example/r/R&1", "url_pc": "https://example/r/R&1"},
			map[string]any{"name": "앱", "type": "AL", "scheme_android": "app://r", "scheme_ios": "app://r"},
		},
		"failover":  map[string]any{"use": "Y", "msg_body": "홍길동님 결제가 완료되었습니다.", "subject": "결제 완료", "send_phone": "15881234", "msg_type": "lms"},
		"send_time": "2026-12-25 08:30:00",
	}, body)
	assert.Equal(t, 1, calls(mt, "/kakao/send/alimtalk"))
}

func TestPathsAreConfigurable(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t, ssoda.WithPaths(ssoda.Paths{CancelAlimTalkReservation: "/kakao/reserve/cancel"}),
		ssoda.WithFieldNames(ssoda.FieldNames{MessageID: "cmid", SenderKeyInLists: "sender_key"}))
	var body map[string]any
	mt.RegisterResponder(http.MethodPost, mockBase+"/kakao/reserve/cancel", func(r *http.Request) (*http.Response, error) {
		raw, _ := io.ReadAll(r.Body)
		require.NoError(t, json.Unmarshal(raw, &body))
		return httpmock.NewStringResponse(200, `{"code":"200"}`), nil
	})
	_, err := c.Reservations.Cancel(t.Context(), ssoda.CancelRequest{MessageID: "m-9"})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"token_key": testTokenKey, "cmid": "m-9", "sender_key": testSenderKey}, body)
	_, err = c.Reservations.Cancel(t.Context(), ssoda.CancelRequest{})
	require.ErrorIs(t, err, ssoda.ErrInvalid)
	assert.Equal(t, 1, calls(mt, "/kakao/reserve/cancel"))
}
