package transport

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

// A secret or phone number that straddles the log cut must be redacted or masked before the
// cut, never half-printed.
func TestSnippetRedactsBeforeCutting(t *testing.T) {
	t.Parallel()
	const key = "KEY-1234567890-SECRET"
	c := &Client{redactor: NewRedactor(nil, nil, nil, []string{key})}
	for pad := maxLoggedBody - 20; pad < maxLoggedBody+2; pad++ {
		for _, secret := range []string{"010-9876-5432", "01098765432", "+821098765432", key} {
			body := strings.Repeat("가", pad/3) + strings.Repeat("a", pad%3) + " " + secret + " tail"
			out := c.snippet([]byte(body))
			assert.True(t, utf8.ValidString(out), "pad %d", pad)
			for _, part := range []string{"9876", "98765", "KEY-12345", "1234567890"} {
				assert.NotContains(t, out, part, "pad %d, secret %q", pad, secret)
			}
			assert.LessOrEqual(t, len(out), maxLoggedBody+len("…"))
		}
	}
}

func TestCutTextKeepsRunesWhole(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "abc", cutText("abc", 3))
	assert.Equal(t, "ab…", cutText("abc", 2))
	assert.Equal(t, "가…", cutText("가나", 4)) // 나 would be split at byte 4
	assert.Equal(t, "…", cutText("가", 2))
}

// The raw answer an *Error keeps for the vendor package never prints, whatever the verb.
func TestErrorNeverPrintsItsBody(t *testing.T) {
	t.Parallel()
	e := &Error{Method: "POST", URL: "https://vendor.example/send", Reason: "answer body truncated", Status: 200,
		Body: []byte(`{"phone":"01098765432","key":"SECRET-KEY"}`), Header: map[string][]string{"X-Key": {"SECRET-KEY"}}}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		out := fmt.Sprintf(verb, e)
		assert.NotContains(t, out, "SECRET", verb)
		assert.NotContains(t, out, "9876", verb)
		assert.NotContains(t, out, "0x39", verb)
	}
	assert.Contains(t, fmt.Sprintf("%#v", e), "answer body truncated")
}
