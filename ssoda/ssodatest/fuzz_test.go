package ssodatest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"github.com/kshop-dev/kshop/alimtalk"
)

// FuzzServe posts arbitrary bodies to every route: the fake must answer valid JSON and never
// panic, whatever a client under test sends it.
func FuzzServe(f *testing.F) {
	seeds := []string{
		`{"token_key":"ssodatest-token-key-0001","sender_key":"0123456789abcdef0123456789abcdef01234567","template_code":"WELCOME_01","dest_phone":"01012345678","msg_body":"홍길동님, 가입을 환영합니다."}`,
		`{"token_key":"ssodatest-token-key-0001","failover":{"use":"Y"},"button":[1,{"type":3}],"send_time":5}`,
		`{"token_key":"ssodatest-token-key-0001","page":"-1","limit":1e9,"start_date":"2026-01-01","end_date":"2026-12-31","where":"msg_id","keyword":"1"}`,
		`{"token_key":"ssodatest-token-key-0001","senderKey":"0123456789abcdef0123456789abcdef01234567","templateCode":"NEW_CODE_1","templateName":"n","templateContent":"c","categoryCode":"999999","buttons":[{"linkType":"WL"}]}`,
		`{"token_key":"ssodatest-token-key-0001","msg_id":"100000001"}`,
		`[]`, `null`, `{`, ``,
	}
	for i, s := range seeds {
		f.Add([]byte(s), uint8(i))
	}
	// One server for every input (a new one per input would make the target slow); its state
	// grows, which is what a long-lived fake meets too.
	s := NewServer(Options{Templates: []alimtalk.Template{{Code: "WELCOME_01", Name: "n", CategoryCode: "001001",
		Content: "#{name}님, 가입을 환영합니다."}}, Now: func() time.Time { return time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC) }})
	f.Cleanup(s.Close)
	f.Fuzz(func(t *testing.T, body []byte, route uint8) {
		paths := make([]string, 0, len(s.routes))
		for p := range s.routes {
			paths = append(paths, p)
		}
		// Map iteration order is random; pick by sorted position for reproducible failures.
		sort.Strings(paths)
		path := paths[int(route)%len(paths)]
		req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
		req.RemoteAddr = "127.0.0.1:4000"
		req.Header.Set("x-api-key", DefaultAPIKey)
		rec := httptest.NewRecorder()
		s.serveHTTP(rec, req)
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s answered invalid JSON: %q", path, rec.Body.String())
		}
		var env map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
			t.Fatalf("%s answered no envelope: %v", path, err)
		}
		if code, _ := env["code"].(string); code == "" {
			t.Fatalf("%s answered without a code: %q", path, rec.Body.String())
		} else if (code == "200") != (rec.Code == http.StatusOK && env["error"] == "") {
			t.Fatalf("%s: code %s with HTTP %d and error %v", path, code, rec.Code, env["error"])
		}
	})
}
