package ssoda

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// fastSendSeeds are answers the one-pass reading takes, and near misses it must leave to the
// strict reading.
var fastSendSeeds = []string{
	`{"code":"200","error":"","content":{"message":"발송 요청이 완료되었습니다.","reserv":"N","sent_time":"2030-01-02 10:00:00",` +
		`"sent_messages":[{"msg_id":"100000001","dest_phone":"01012345678","reserv":"N","sent_time":"2030-01-02 10:00:00","send_phone":""}]}}`,
	`{"code":200,"content":{"sent_messages":[{"msg_id":7,"reserv":"Y"}],"msg_id":"8"}}`,
	`{"code":"200","error":"","content":{"sent_messages":[{"msg_id":""}],"msg_id":"9","reserv":true}}`,
	`{"code":"200","content":{"sent_messages":[{"msg_id":"1"},{"x":[1,{"y":"}"}]}]}}`,
	`{"code":"200"}`,
	` { "code" : "200" , "content" : { "sent_messages" : [ ] } } `,
	`{"code":"200","code":"200"}`,
	`{"code":"200","Code":"500"}`,
	`{"code":"200","error":"발송 실패"}`,
	`{"code":"200","error":null}`,
	`{"code":"0200"}`,
	`{"code":"500","content":{"sent_messages":[{"msg_id":"1"}]}}`,
	`{"code":"200","content":{"sent_messages":[{"msg_id":"1","msg_id":"2"}]}}`,
	`{"code":"200","content":{"sent_messages":[{"msg_id":"1"},5]}}`,
	`{"code":"200","content":{"sent_messages":{"msg_id":"1"}}}`,
	`{"code":"200","content":{"sent_messages":[{"MSG_ID":"1"}]}}`,
	`{"code":"200","content":{"sent_messages":[{"msg_id":"a\"b"}]}}`,
	`{"code":"200","content":{"sent_messages":[{"msg_id":1.5}]}}`,
	`{"code":"200","content":{"sent_messages":[{"msg_id":12345678901234567890}]}}`,
	`{"code":"200","content":{"sent_messages":[{"reserv":"yes"}],"reserv":"N"}}`,
	`{"code":"200","content":{"sent_messages":[{"reserv":"maybe"}],"reserv":"Y"}}`,
	`{"code":"200","content":{"sent_messages":[{"reserv":null}]}}`,
	`{"code":"200","content":null}`,
	`{"code":"200","message":"ok","message":"again"}`,
	`{"code":"200","result":[]}`,
	`{"code":"200"}{}`,
	"\xef\xbb\xbf{\"code\":\"200\"}",
	`"{\"code\":\"200\"}"`,
	`{"code":"200","content":{"msg_id":"1","sent_messages":[]}`,
}

// checkFastSend asserts the one-pass reading's promises about body: it takes only answers the
// strict reading judges a plain success of a send, and reads from them exactly what
// sentMessage reads.
func checkFastSend(t *testing.T, status int, body []byte) bool {
	t.Helper()
	got, ok := fastSendAnswer(status, body)
	if !ok {
		return false
	}
	v := judge(status, body, true)
	if !v.ok() {
		t.Fatalf("fast path took %q, the strict reading judges it %+v", body, v)
	}
	id, reserved, known := sentMessage(v.a)
	want := sendOutcome{id: id, reserved: reserved, known: known}
	if got != want {
		t.Fatalf("fast path read %+v, the strict reading %+v, from %q", got, want, body)
	}
	return true
}

func TestFastSendAnswerAgreesWithStrictReading(t *testing.T) {
	t.Parallel()
	taken := 0
	for _, s := range fastSendSeeds {
		if checkFastSend(t, 200, []byte(s)) {
			taken++
		}
		assert.False(t, checkFastSend(t, 500, []byte(s)), "a 5xx is never a plain success")
	}
	assert.Equal(t, 8, taken, "the plain successes are read in one pass")

	out, ok := fastSendAnswer(200, []byte(fastSendSeeds[0]))
	assert.True(t, ok)
	assert.Equal(t, sendOutcome{id: "100000001", known: true}, out)
	out, ok = fastSendAnswer(201, []byte(fastSendSeeds[1]))
	assert.True(t, ok)
	assert.Equal(t, sendOutcome{id: "7", reserved: true, known: true}, out)

	for _, s := range []string{`{"code":"200","code":"200"}`, `{"code":"200","Code":"500"}`, `{"code":"200","error":"발송 실패"}`} {
		_, ok := fastSendAnswer(200, []byte(s))
		assert.False(t, ok, "left to the strict reading: %s", s)
	}
}

// FuzzFastSendAnswer checks the one-pass reading of a send's answer against the strict one:
// whatever it takes is a plain success there too, with the same message id and reservation.
func FuzzFastSendAnswer(f *testing.F) {
	for _, s := range append(append([]string{}, fastSendSeeds...), answerSeeds...) {
		f.Add(200, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		checkFastSend(t, status, body)
	})
}
