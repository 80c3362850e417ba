package lunasoft

import (
	"reflect"
	"testing"
)

// fastAnswerSeeds are answers the fast reader takes and answers it must leave to parseAnswer.
var fastAnswerSeeds = []string{
	`{"code":0,"msg":"success","userid":"shop","requested_at":"2030-01-02 10:00:00","messages":[` +
		`{"no":"0","result_code":0,"result_msg":"success","tel_num":"01012345678"},` +
		`{"no":"1","result_code":3015,"result_msg":"템플릿 불일치","tel_num":"01000000000"}]}`,
	`{"code":"0","msg":" ok ","messages":[]}`,
	`{"code":0}`,
	`{"code":"1003","msg":"인증 실패"}`,
	` {"messages":[{"no":7,"result_code":"0"}],"code":0} `,
	`{"code":0,"msg":{"messages":[{"no":"0","result_code":1}]}}`,
	`{"code":0,"code":0}`,
	`{"code":0,"CODE":0}`,
	`{"Code":0}`,
	`{"code":0,"messages":null}`,
	`{"code":0,"messages":[{"no":"0","result_code":null}]}`,
	`{"code":0,"messages":[{"no":"0","msg_id":"m1"}]}`,
	`{"code":0,"messages":[{"no":"0","result_code":1,"result_code":0}]}`,
	`{"code":0,"messages":[5]}`,
	`{"code":0.0}`,
	`{"code":-1}`,
	`{"code":"\u0030"}`,
	`{"code":0,"msg":"a\"b"}`,
	`{"code":0,"error":"x"}`,
	`"{\"code\":0}"`,
	"\ufeff{\"code\":0}",
	`{"code":0} {}`,
	`{"code":0,"messages":[{"no":"0","result_msg":""}]}`,
	`{"code":true}`,
	`{"code":00}`,
	`{"code":12345678901234567890}`,
}

func TestFastAnswerEqualsParseAnswer(t *testing.T) {
	t.Parallel()
	took := 0
	for _, body := range fastAnswerSeeds {
		if checkFastAnswer(t, 200, []byte(body)) {
			took++
		}
	}
	if took < 5 {
		t.Fatalf("the fast reader took only %d of the seeds", took)
	}
	if _, ok := fastAnswer(500, []byte(`{"code":0}`)); ok {
		t.Fatal("a 5xx is never read by the fast reader")
	}
}

// FuzzFastAnswer checks that whatever the fast reader takes, parseAnswer reads the same way.
func FuzzFastAnswer(f *testing.F) {
	for _, s := range fastAnswerSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		checkFastAnswer(t, 200, []byte(body))
	})
}

// checkFastAnswer fails t when fastAnswer takes body but parseAnswer reads it otherwise, and
// reports whether the fast reader took it.
func checkFastAnswer(t *testing.T, status int, body []byte) bool {
	t.Helper()
	fast, ok := fastAnswer(status, body)
	if !ok {
		return false
	}
	slow, problem := parseAnswer(status, body)
	if problem != "" {
		t.Fatalf("fast reader took %q, parseAnswer refused it: %s", body, problem)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("%q: fast %+v, parseAnswer %+v", body, *fast, *slow)
	}
	return true
}
