package lunasofttest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/lunasoft"
	"github.com/kshop-dev/kshop/lunasoft/lunasofttest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func newServer(t *testing.T) *lunasofttest.Server {
	t.Helper()
	srv := lunasofttest.NewServer(lunasofttest.Options{Templates: []lunasoft.CatalogTemplate{
		{ID: 7, Template: alimtalk.Template{Content: "#{name}님 안녕하세요",
			Buttons: []alimtalk.Button{{Type: alimtalk.ButtonWebLink, Name: "보기", URLMobile: "https://s.example/#{id}"}}}},
	}})
	t.Cleanup(srv.Close)
	return srv
}

func raw(t *testing.T, srv *lunasofttest.Server, body any) map[string]any {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	resp, err := srv.Client().Post(srv.URL()+"/api/alimtalk/message/send", "application/json", bytes.NewReader(b))
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	return out
}

func msg(text, url string) map[string]any {
	return map[string]any{"no": "0", "tel_num": "01012345678", "msg_content": text, "sms_content": text, "use_sms": "0",
		"custom_key": "k", "btn_url": []any{map[string]any{"url_mobile": url}}}
}

func TestFakeEnforcesTheRules(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	creds := srv.Credentials()
	base := func(msgs ...any) map[string]any {
		return map[string]any{"userid": creds.UserID, "api_key": creds.APIKey, "template_id": 7, "messages": msgs}
	}
	ok := raw(t, srv, base(msg("홍님 안녕하세요", "https://s.example/1")))
	assert.EqualValues(t, 0, ok["code"])

	bad := base(msg("x", "y"))
	bad["api_key"] = "nope"
	assert.EqualValues(t, 1003, raw(t, srv, bad)["code"])
	bad = base(msg("x", "y"))
	bad["userid"] = "nope"
	assert.EqualValues(t, 1002, raw(t, srv, bad)["code"])
	bad = base(msg("x", "y"))
	bad["template_id"] = 8
	assert.EqualValues(t, 3015, raw(t, srv, bad)["code"])

	many := make([]any, 1001)
	for i := range many {
		many[i] = msg("홍님 안녕하세요", "https://s.example/1")
	}
	assert.EqualValues(t, 1099, raw(t, srv, base(many...))["code"], "at most 1,000 messages")
	other := msg("홍님 안녕하세요", "https://s.example/1")
	other["template_id"] = 9
	assert.EqualValues(t, 1099, raw(t, srv, base(other))["code"], "one template per request")

	out := raw(t, srv, base(msg("다른 문구", "https://s.example/1"), msg("홍님 안녕하세요", ""), msg("홍님 안녕하세요", "https://evil.example/")))
	assert.EqualValues(t, 0, out["code"], "per-message failures beside code 0")
	codes := []float64{}
	for _, e := range out["messages"].([]any) {
		codes = append(codes, e.(map[string]any)["result_code"].(float64))
	}
	assert.Equal(t, []float64{3016, 3027, 3027}, codes)
	assert.Len(t, srv.Sent(), 1)
	assert.Equal(t, 7, srv.Requests(lunasofttest.CallSend), "the lowercase path is served too")
	assert.True(t, strings.Contains(string(srv.Bodies()[0]), `"template_id":7`))
}
