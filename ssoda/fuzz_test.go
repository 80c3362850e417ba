package ssoda

import (
	"encoding/json"
	"net/http"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var answerSeeds = []string{
	`{"code":"200","error":"","content":{"sent_messages":[{"msg_id":"1","reserv":"N"}]}}`,
	`{"code":200,"result":[{"msg_id":1,"datetime":"2026-01-01 10:00:00","status":"성공","dest_phone":"01012345678"}]}`,
	`{"code":"-1","error":"token에 등록되지 않은 발송서버 ip입니다. (1.2.3.4)"}`,
	`{"code":{"x":1}}`,
	`"{\"code\":\"200\"}"`,
	`<html><body>502</body></html>`,
	`{"code":"200","content":{"list":[{"templateCode":"A_B_C","inspectionStatus":"APR","buttons":[{"linkType":"WL"}]}]}}`,
	`{"code":"200","category":[{"code":"001001","Inclusion":1}],"content":[1,2]}`,
	"\xef\xbb\xbf{}",
	`{"code":null,"error":null,"content":null,"result":null}`,
	"",
	"{\"code\":\"200\",\"content\":{\"amount\":\"1,2,3\"}}",
}

// FuzzParseAnswer feeds arbitrary bytes through every decoder an answer meets: they must never
// panic, and a decoded success must have code "200" (or none).
func FuzzParseAnswer(f *testing.F) {
	for _, s := range answerSeeds {
		f.Add([]byte(s), 200)
	}
	f.Add([]byte(`{"code":"401"}`), 401)
	c, err := NewClient(Credentials{APIKey: "fuzz-api-key", TokenKey: "fuzz-token-key"})
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		status = 100 + abs(status)%500
		a, problem := parseAnswer(status, body)
		if problem != "" {
			if a != nil {
				t.Fatal("an answer and a problem")
			}
			err := c.unexpected("/p", status, http.Header{}, body, string(problem), true)
			if err == nil || err.Error() == "" {
				t.Fatal("no error for a bad body")
			}
			return
		}
		if a.ok() && a.hasCode && !a.code.Is("200") {
			t.Fatalf("success with code %q", a.code)
		}
		if !a.ok() {
			e := c.apiError("/p", a, body, false)
			_ = e.Error()
			_, _ = e.Retryable(), e.Unwrap()
		}
		_, _, _ = sentMessage(a)
		_ = decodeRecords(a)
		_ = decodePoints(a)
		_ = total(a)
		if raw, ok := findTemplateObject(json.RawMessage(a.raw), "", 0); ok {
			if _, ok := decodeTemplate(raw); !ok {
				t.Fatal("found a template object that does not decode")
			}
		}
		rows, _ := findRows(a, "category", "list")
		for _, r := range rows {
			_, _ = decodeRecord(r)
			_, _ = decodeTemplate(r)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		if n == -n { // math.MinInt
			return 0
		}
		return -n
	}
	return n
}

// FuzzAppendJSONString checks the request encoder against encoding/json: whatever the input,
// the output is valid JSON that decodes to the input (invalid UTF-8 replaced by U+FFFD, as
// encoding/json does).
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "안녕하세요", "a\"b\\c", "\n\r\t\x00\x1f", "<a href='x'>&</a>", "\u2028\u2029", "\xff\xfe", "#{이름}님"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		enc := appendJSONString(nil, s)
		var back string
		if err := json.Unmarshal(enc, &back); err != nil {
			t.Fatalf("invalid JSON %q: %v", enc, err)
		}
		want := s
		if !utf8.ValidString(s) {
			want = string([]rune(s)) // invalid bytes become U+FFFD
		}
		if back != want {
			t.Fatalf("round trip of %q gave %q", s, back)
		}
	})
}

func TestObjectBuilder(t *testing.T) {
	t.Parallel()
	o := newObject(4)
	o.str("a", "x")
	o.str("-", "skipped")
	o.optStr("empty", "")
	o.int("n", 42)
	inner := newObject(1)
	inner.str("k", "v")
	o.obj("o", inner)
	o.array("arr", []*object{inner, inner})
	o.array("none", nil)
	require.NoError(t, o.extra("T", map[string]any{"a": "override", "b": []int{1}}))
	assert.JSONEq(t, `{"a":"override","n":42,"o":{"k":"v"},"arr":[{"k":"v"},{"k":"v"}],"none":[],"b":[1]}`, string(o.bytes()))
	assert.Equal(t, `{"a":"override","n":42,"o":{"k":"v"},"arr":[{"k":"v"},{"k":"v"}],"none":[],"b":[1]}`, string(o.bytes()),
		"fields keep their order; an override keeps its place")
	err := o.extra("T", map[string]any{"bad": func() {}})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, `Extra["bad"]`, ve.Field)
}

func TestAppendJSONStringLeavesURLsReadable(t *testing.T) {
	t.Parallel()
	assert.Equal(t, `"https://a.example/?x=1&y=<2>"`, string(appendJSONString(nil, "https://a.example/?x=1&y=<2>")))
	assert.Equal(t, `"\u2028\ufffd\u0001"`, string(appendJSONString(nil, "\u2028\xff\x01")))
}

func TestClassify(t *testing.T) {
	t.Parallel()
	ip, unauth := classify(200, "-1", "token에 등록되지 않은 발송서버 ip입니다. (10.0.0.1)")
	require.NotNil(t, ip)
	assert.Equal(t, "10.0.0.1", ip.IP)
	assert.False(t, unauth)
	ip, _ = classify(200, "", "Server IP 1.2.3.4 is not allowed")
	require.NotNil(t, ip)
	assert.Equal(t, "1.2.3.4", ip.IP)
	ip, unauth = classify(200, "3016", "메시지 내용이 템플릿과 일치하지 않습니다.")
	assert.Nil(t, ip)
	assert.False(t, unauth)
	_, unauth = classify(200, "", "API KEY가 유효하지 않습니다")
	assert.True(t, unauth)
	assert.Empty(t, extractIP("발송서버 ip 미등록 (v1.2)"))
}

func TestSentMessageShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		body            string
		id              string
		reserved, known bool
	}{
		{`{"code":"200","content":{"sent_messages":[{"msg_id":"1","reserv":"N"}]}}`, "1", false, true},
		{`{"code":"200","content":{"reserv":"Y","sent_messages":[{"msg_id":2}]}}`, "2", true, true},
		{`{"code":"200","content":{"msg_id":"3"}}`, "3", false, false},
		{`{"code":"200","sent_messages":[{"msgId":"4","reserved":true}]}`, "4", true, true},
		{`{"code":"200","content":{"sent_messages":"odd","message_id":"5"}}`, "5", false, false},
		{`{"code":"200","msg_id":"6"}`, "6", false, false},
		{`{"code":"200"}`, "", false, false},
	}
	for _, tc := range cases {
		a, problem := parseAnswer(200, []byte(tc.body))
		require.Empty(t, problem, tc.body)
		id, reserved, known := sentMessage(a)
		assert.Equal(t, tc.id, id, tc.body)
		assert.Equal(t, tc.reserved, reserved, tc.body)
		assert.Equal(t, tc.known, known, tc.body)
	}
}
