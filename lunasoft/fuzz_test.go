package lunasoft_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/lunasoft"
)

// FuzzAnswer sends one message against arbitrary answers and checks the properties that
// matter: never a panic, one Result, accepted only for a JSON object whose code is 0 with no
// failed entry, unknown exactly when the error says so, and no success without an HTTP 2xx.
func FuzzAnswer(f *testing.F) {
	for _, s := range []string{`{"code":0}`, `{"code":"0","msg":{"messages":[{"no":"0","result_code":1}]}}`, `{"code":1}`,
		`{"msg":"x"}`, `{"code":0,"code":0}`, `<html>`, ``, `"{\"code\":0}"`, `{"code":0,"messages":5}`, `{"code":[0]}`} {
		f.Add(200, s)
		f.Add(500, s)
	}
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 200 || status > 599 || status == 429 || status >= 300 && status < 400 {
			return
		}
		rs := newRawServer(t, func(int, string) (int, string) { return status, body })
		c := rawClient(t, rs.URL, lunasoft.WithRetry(0, 0))
		res, err := c.Send(bg, []alimtalk.Message{orderMessage("010-1234-5678", "f", "1")})
		if err != nil && !errors.Is(err, lunasoft.ErrUnauthorized) {
			t.Fatalf("call error %v", err)
		}
		if len(res) != 1 {
			t.Fatalf("%d results", len(res))
		}
		r := res[0]
		if r.Status == alimtalk.StatusUnknown != errors.Is(r.Err, kshop.ErrOutcomeUnknown) {
			t.Fatalf("status %v but err %v", r.Status, r.Err)
		}
		if r.Status.Succeeded() {
			if status > 299 || r.Err != nil {
				t.Fatalf("success with HTTP %d, err %v", status, r.Err)
			}
			var v map[string]any
			if json.Unmarshal([]byte(strings.TrimSpace(body)), &v) != nil && !strings.HasPrefix(strings.TrimSpace(body), `"`) {
				t.Fatalf("success from a body that is not a JSON object: %q", body)
			}
		}
		if status >= 500 && status != 501 && r.Status != alimtalk.StatusUnknown {
			t.Fatalf("HTTP %d gave %v", status, r.Status)
		}
		if len(rs.requests()) != 1 {
			t.Fatalf("%d requests", len(rs.requests()))
		}
	})
}

// FuzzParseOutcomes checks the webhook decoder: never a panic; either an error matching
// ErrMalformedOutcome or outcomes that each carry a key, a known status, and a raw payload.
func FuzzParseOutcomes(f *testing.F) {
	for _, s := range []string{`{"custom_key":"k","code":"1000","type":"AT"}`, `[{"customKey":"a","resultCode":1000}]`,
		`custom_key=k&code=1000`, `{"data":[{"message_id":"m","code":"3018"}]}`, `{}`, `[]`, `x=`, "\xff"} {
		f.Add("application/json", s)
		f.Add("application/x-www-form-urlencoded", s)
	}
	f.Fuzz(func(t *testing.T, ctype, body string) {
		out, err := lunasoft.ParseOutcomes(ctype, []byte(body))
		if err != nil {
			if !errors.Is(err, lunasoft.ErrMalformedOutcome) {
				t.Fatalf("error %v does not match ErrMalformedOutcome", err)
			}
			if out != nil {
				t.Fatalf("outcomes with an error")
			}
			return
		}
		if len(out) == 0 {
			t.Fatalf("no outcome and no error")
		}
		for _, o := range out {
			if o.Ref == "" && o.MessageID == "" {
				t.Fatalf("an outcome without a key: %+v", o)
			}
			if o.Status < lunasoft.OutcomeFailed || o.Status > lunasoft.OutcomeDeliveredLMS {
				t.Fatalf("status %v", o.Status)
			}
			if o.Status.Delivered() && o.Code == "" {
				t.Fatalf("delivered without a code")
			}
			if len(o.Raw) == 0 {
				t.Fatalf("no raw payload")
			}
		}
	})
}
