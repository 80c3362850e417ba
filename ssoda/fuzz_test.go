package ssoda

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
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

// FuzzParseAnswer feeds arbitrary bytes through every decoder an answer meets. Properties: no
// panic; an answer and a problem never both; a parsed answer is one JSON object; a success has
// code "200" (or none, for a read); the error built from a refusal or a problem agrees with
// itself (Retryable never with OutcomeUnknown, errors.Is matches OutcomeUnknown); a strict list
// holds only objects.
func FuzzParseAnswer(f *testing.F) {
	for _, s := range answerSeeds {
		f.Add([]byte(s), 200)
	}
	f.Add([]byte(`{"code":"401"}`), 401)
	f.Add([]byte(`{"code":"200","code":"500"}`), 503)
	c, err := NewClient(Credentials{APIKey: "fuzz-api-key", TokenKey: "fuzz-token-key"})
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		status = 100 + abs(status)%500
		a, problem := parseAnswer(status, body)
		if problem != "" {
			if a != nil {
				t.Fatal("an answer and a problem")
			}
			checkAPIError(t, c.unexpected("/p", status, http.Header{}, body, string(problem), true, nil))
			return
		}
		if !json.Valid(a.raw) || a.raw[0] != '{' {
			t.Fatalf("parsed an answer from a body that is not one JSON object: %q", body)
		}
		if a.ok() && a.hasCode && !a.code.Is("200") {
			t.Fatalf("success with code %q", a.code)
		}
		if !a.ok() {
			checkAPIError(t, c.apiError("/p", a, body, status >= 500, nil))
		}
		for _, nonIdem := range []bool{false, true} {
			v := judge(status, body, nonIdem)
			if v.ok() && (status < 200 || status > 299) {
				t.Fatalf("HTTP %d judged a success", status)
			}
			if nonIdem && v.ok() && !(a.hasCode && a.code.Is("200")) {
				t.Fatalf("a send judged a success without code 200: %q", body)
			}
			if nonIdem && status >= 500 && status != 501 && !v.unknown {
				t.Fatalf("a send's HTTP %d judged known", status)
			}
		}
		if rows, problem := listedRows(a); problem == "" {
			for _, r := range rows {
				if _, ok := decodeRecord(r); !ok {
					t.Fatalf("a strict list row that is not an object: %q", r)
				}
			}
		}
		_ = decodeRecords(a)
		_ = decodePoints(a)
		_ = total(a)
		if raw, ok := findTemplateObject(json.RawMessage(a.raw), "", 0); ok {
			if _, ok := decodeTemplate(raw); !ok {
				t.Fatal("found a template object that does not decode")
			}
		}
	})
}

// checkAPIError asserts what every error of the shared shape promises.
func checkAPIError(t *testing.T, err error) {
	t.Helper()
	var ae kshop.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("%T is not a kshop.APIError", err)
	}
	if ae.Retryable() && ae.OutcomeUnknown() {
		t.Fatal("retryable and unknown at once")
	}
	if errors.Is(err, ErrOutcomeUnknown) != ae.OutcomeUnknown() {
		t.Fatal("errors.Is(ErrOutcomeUnknown) disagrees with OutcomeUnknown")
	}
	if err.Error() == "" {
		t.Fatal("empty error text")
	}
}

// sendAnswerRef is the reference decoding of a send's answer: encoding/json into a typed
// struct, with the envelope read as loosely as encoding/json reads it.
type sendAnswerRef struct {
	Code    json.RawMessage `json:"code"`
	Error   json.RawMessage `json:"error"`
	Content json.RawMessage `json:"content"`
}

type sendContentRef struct {
	MsgID        json.RawMessage `json:"msg_id"`
	SentMessages []struct {
		MsgID json.RawMessage `json:"msg_id"`
	} `json:"sent_messages"`
}

// refID reads a msg_id as the documented answer has it: a string, or an integer.
func refID(raw json.RawMessage) string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if len(raw) == 0 || dec.Decode(&v) != nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		if i, err := strconv.ParseInt(x.String(), 10, 64); err == nil {
			return strconv.FormatInt(i, 10)
		}
	}
	return ""
}

// refCode200 reports a code of 200 (as a string or a number, leading zeros allowed).
func refCode200(raw json.RawMessage) bool {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		var n json.Number
		if json.Unmarshal(raw, &n) != nil {
			return false
		}
		s = n.String()
	}
	i, err := strconv.ParseInt(s, 10, 64)
	return s == "200" || err == nil && i == 200
}

// rootKeysUnique reports whether no key of the top-level object appears twice, compared as
// encoding/json compares names.
func rootKeysUnique(body []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if _, err := dec.Token(); err != nil {
		return false
	}
	folded := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return false
		}
		k := strings.ToLower(strings.ToUpper(tok.(string)))
		if folded[k] {
			return false
		}
		folded[k] = true
	}
	return len(folded) == len(m) || len(folded) >= len(m)
}

// FuzzSendAnswer is a differential test of the one decoder of a send's answer against
// encoding/json into a typed struct. Properties: no false success (a send judged accepted has
// code 200, no error text, and the reference decodes it); agreement on the message id; and the
// converse, a plain success by the reference (code 200, no error, no duplicate key) is judged a
// success with the same id.
func FuzzSendAnswer(f *testing.F) {
	for _, s := range answerSeeds {
		f.Add([]byte(s))
	}
	for _, s := range []string{
		`{"content":{"sent_messages":[{"msgid":"0"}]}}`,
		`{"code":"200","content":{"sent_messages":[{"msgid":"0"}]}}`,
		`{"code":"200","content":{"sent_messages":[{"msg_id":7,"reserv":"Y"}],"msg_id":"8"}}`,
		`{"code":"200","error":"","content":{"sent_messages":[{"msg_id":""}],"msg_id":"9"}}`,
		`{"code":"200","Code":"500"}`,
		`{"CODE":"200","Content":{"Sent_Messages":[{"MSG_ID":"1"}]}}`,
		`{"code":"500","content":{"sent_messages":[{"msg_id":"1"}]}}`,
		`{"code":"200","error":"발송 실패"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		v := judge(200, body, true)
		plain := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
		if len(plain) > 0 && plain[0] == '"' {
			var inner string
			if json.Unmarshal(plain, &inner) == nil && strings.HasPrefix(strings.TrimSpace(inner), "{") {
				plain = []byte(strings.TrimSpace(inner))
			}
		}
		var ref sendAnswerRef
		refErr := json.Unmarshal(plain, &ref)
		var content sendContentRef
		_ = json.Unmarshal(ref.Content, &content)
		wantID := ""
		if len(content.SentMessages) > 0 {
			wantID = refID(content.SentMessages[0].MsgID)
		}
		if wantID == "" {
			wantID = refID(content.MsgID)
		}
		var errText string
		noError := len(ref.Error) == 0 || string(ref.Error) == "null" ||
			json.Unmarshal(ref.Error, &errText) == nil && strings.TrimSpace(errText) == ""
		if v.ok() {
			if refErr != nil {
				t.Fatalf("judged a success, but encoding/json refuses %q: %v", plain, refErr)
			}
			if !refCode200(ref.Code) || !noError {
				t.Fatalf("false success: code %s, error %s", ref.Code, ref.Error)
			}
			id, _, _ := sentMessage(v.a)
			if id != wantID {
				t.Fatalf("message id %q, encoding/json reads %q, in %q", id, wantID, plain)
			}
		}
		if !v.ok() && !v.unknown && !v.refused {
			t.Fatalf("a send's 2xx answer that is neither accepted nor unknown: %+v", v)
		}
		if refErr == nil && plain[0] == '{' && refCode200(ref.Code) && noError && rootKeysUnique(plain) {
			if !v.ok() {
				t.Fatalf("a plain success judged %q: %q", v.problem, plain)
			}
			if wantID != "" {
				if id, _, _ := sentMessage(v.a); id != wantID {
					t.Fatalf("message id %q, encoding/json reads %q", id, wantID)
				}
			}
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
	var ve *kshop.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, `Extra["bad"]`, ve.Problems[0].Field)
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
		{`{"code":"200","content":{"sent_messages":[{"msg_id":"4","reserv":true}]}}`, "4", true, true},
		{`{"code":"200","content":{"sent_messages":"odd","msg_id":"5"}}`, "", false, false}, // not the documented shape
		{`{"code":"200","msg_id":"6"}`, "", false, false},                                   // not where Ssoda puts it
		{`{"code":"200","content":{"sent_messages":[{"msgid":"0"}]}}`, "", false, false},    // the fuzzers' old disagreement
		{`{"code":"200","content":{"sent_messages":[{"msg_id":12345678901}]}}`, "12345678901", false, false},
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
