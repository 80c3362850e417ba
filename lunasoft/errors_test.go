package lunasoft_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/lunasoft"
)

// TestAnswers runs every kind of answer through a raw server: one request each, the status of
// both messages, and the error's shape.
func TestAnswers(t *testing.T) {
	t.Parallel()
	type want struct {
		status     alimtalk.Status
		apiStatus  int
		code       string
		bad        bool // *ResponseError
		unknown    bool
		retryable  bool
		unauthorzd bool
	}
	cases := []struct {
		name   string
		status int
		body   string
		want   [2]want
	}{
		{"code 0", 200, `{"code":0,"msg":"success"}`, [2]want{{status: alimtalk.StatusAccepted}, {status: alimtalk.StatusAccepted}}},
		{"code \"0\" with messages under msg", 200, `{"code":"0","msg":{"messages":[{"no":"0","result_code":"0"},{"no":"1","result_code":3016,"result_msg":"mismatch"}]}}`,
			[2]want{{status: alimtalk.StatusAccepted}, {status: alimtalk.StatusRejected, apiStatus: 200, code: "3016"}}},
		{"positional results, all taken", 200, `{"code":0,"messages":[{"result_code":0},{"result_code":"0"}]}`,
			[2]want{{status: alimtalk.StatusAccepted}, {status: alimtalk.StatusAccepted}}},
		// Without "no", a refusal cannot be pinned on one message: unknown, never Rejected.
		{"positional refusal", 200, `{"code":0,"messages":[{"result_code":"9999"},{"result_code":0}]}`,
			[2]want{{status: alimtalk.StatusUnknown, bad: true, unknown: true, apiStatus: 200}, {status: alimtalk.StatusAccepted}}},
		{"one message listed twice", 200, `{"code":0,"messages":[{"no":"0","result_code":0},{"no":"0","result_code":3016},{"no":"1","result_code":0}]}`,
			[2]want{{status: alimtalk.StatusUnknown, bad: true, unknown: true, apiStatus: 200}, {status: alimtalk.StatusAccepted}}},
		{"refusal listing taken messages", 200, `{"code":1099,"messages":[{"no":"0","result_code":0,"message_id":"M1"}]}`,
			[2]want{{status: alimtalk.StatusUnknown, bad: true, unknown: true, apiStatus: 200}, {status: alimtalk.StatusUnknown, bad: true, unknown: true, apiStatus: 200}}},
		{"a message left out", 200, `{"code":0,"messages":[{"no":"1","result_code":0}]}`,
			[2]want{{status: alimtalk.StatusUnknown, bad: true, unknown: true, apiStatus: 200}, {status: alimtalk.StatusAccepted}}},
		{"refusal", 200, `{"code":1099,"msg":"bad parameters"}`,
			[2]want{{status: alimtalk.StatusRejected, apiStatus: 200, code: "1099"}, {status: alimtalk.StatusRejected, apiStatus: 200, code: "1099"}}},
		// A template's id is not the account's: the batch goes on.
		{"template id refused", 200, `{"code":3001,"msg":"템플릿 아이디가 존재하지 않습니다"}`,
			[2]want{{status: alimtalk.StatusRejected, apiStatus: 200, code: "3001"}, {status: alimtalk.StatusRejected, apiStatus: 200, code: "3001"}}},
		{"member id refused", 200, `{"code":3002,"msg":"회원 아이디가 존재하지 않습니다"}`,
			[2]want{{status: alimtalk.StatusRejected, apiStatus: 200, code: "3002", unauthorzd: true}, {status: alimtalk.StatusRejected, apiStatus: 200, code: "3002", unauthorzd: true}}},
		{"msg object on refusal", 200, `{"code":"E1","msg":{"message":"something"}}`,
			[2]want{{status: alimtalk.StatusRejected, apiStatus: 200, code: "E1"}, {status: alimtalk.StatusRejected, apiStatus: 200, code: "E1"}}},
		{"key refused", 200, `{"code":1003,"msg":"유효하지 않은 api_key"}`,
			[2]want{{status: alimtalk.StatusRejected, apiStatus: 200, code: "1003", unauthorzd: true}, {status: alimtalk.StatusRejected, apiStatus: 200, code: "1003", unauthorzd: true}}},
		{"no code", 200, `{"msg":"done"}`, [2]want{{status: alimtalk.StatusUnknown, bad: true, unknown: true, apiStatus: 200}, {status: alimtalk.StatusUnknown, bad: true, unknown: true, apiStatus: 200}}},
		{"duplicate code", 200, `{"code":1,"code":0}`, [2]want{{status: alimtalk.StatusUnknown, bad: true, unknown: true, apiStatus: 200}, {status: alimtalk.StatusUnknown, bad: true, unknown: true, apiStatus: 200}}},
		{"HTML 200", 200, `<html><body>blocked</body></html>`, [2]want{{status: alimtalk.StatusUnknown, bad: true, unknown: true, apiStatus: 200}, {status: alimtalk.StatusUnknown, bad: true, unknown: true, apiStatus: 200}}},
		{"400 text", 400, `bad request`, [2]want{{status: alimtalk.StatusRejected, apiStatus: 400}, {status: alimtalk.StatusRejected, apiStatus: 400}}},
		{"401", 401, ``, [2]want{{status: alimtalk.StatusRejected, apiStatus: 401, unauthorzd: true}, {status: alimtalk.StatusRejected, apiStatus: 401, unauthorzd: true}}},
		{"500 JSON", 500, `{"code":500,"msg":"error"}`, [2]want{{status: alimtalk.StatusUnknown, apiStatus: 500, code: "500", unknown: true}, {status: alimtalk.StatusUnknown, apiStatus: 500, code: "500", unknown: true}}},
		{"502 empty", 502, ``, [2]want{{status: alimtalk.StatusUnknown, apiStatus: 502, unknown: true}, {status: alimtalk.StatusUnknown, apiStatus: 502, unknown: true}}},
		{"501", 501, ``, [2]want{{status: alimtalk.StatusRejected, apiStatus: 501}, {status: alimtalk.StatusRejected, apiStatus: 501}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rs := newRawServer(t, func(int, string) (int, string) { return tc.status, tc.body })
			c := rawClient(t, rs.URL)
			res, err := c.Send(bg, []alimtalk.Message{orderMessage("010-1234-5678", "a", "1"), orderMessage("010-1234-5679", "b", "2")})
			assert.Len(t, rs.requests(), 1, "one request, never retried")
			require.Len(t, res, 2)
			for i, w := range tc.want {
				r := res[i]
				assert.Equal(t, w.status, r.Status, "message %d: %v", i, r.Err)
				assert.Equal(t, w.unknown, errors.Is(r.Err, kshop.ErrOutcomeUnknown), "message %d: %v", i, r.Err)
				assert.Equal(t, w.bad, errors.Is(r.Err, kshop.ErrBadResponse), "message %d: %v", i, r.Err)
				assert.Equal(t, w.unauthorzd, errors.Is(r.Err, lunasoft.ErrUnauthorized), "message %d: %v", i, r.Err)
				if w.apiStatus == 0 {
					assert.NoError(t, r.Err)
					continue
				}
				var apiErr kshop.APIError
				require.ErrorAs(t, r.Err, &apiErr)
				assert.Equal(t, w.apiStatus, apiErr.HTTPStatusCode())
				assert.Equal(t, w.code, apiErr.Code())
				assert.Equal(t, w.unknown, apiErr.OutcomeUnknown())
				assert.Equal(t, w.retryable, apiErr.Retryable())
			}
			if tc.want[0].unauthorzd {
				assert.ErrorIs(t, err, lunasoft.ErrUnauthorized)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

func TestErrorStringsAndBodies(t *testing.T) {
	t.Parallel()
	rs := newRawServer(t, func(int, string) (int, string) {
		return 200, `{"code":1099,"msg":"수신번호 010-9876-5432 오류, api_key=` + testAPIKey + `"}`
	})
	c := rawClient(t, rs.URL)
	res, err := c.Send(bg, []alimtalk.Message{orderMessage("010-1234-5678", "a", "1")})
	require.NoError(t, err)
	var apiErr *lunasoft.APIError
	require.ErrorAs(t, res[0].Err, &apiErr)
	assert.Equal(t, "Send", apiErr.Op)
	for _, s := range []string{apiErr.Error(), apiErr.Message, string(apiErr.Body), fmt.Sprintf("%#v", apiErr), fmt.Sprintf("%+v", res[0].Err)} {
		assert.NotContains(t, s, "9876-5432")
		assert.NotContains(t, s, testAPIKey)
	}
	assert.Contains(t, apiErr.Error(), "lunasoft: Send: HTTP 200, code 1099")
}
