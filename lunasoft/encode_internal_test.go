package lunasoft

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

// jsonString is how encoding/json writes s without HTML escaping: the reference appendString
// must match.
func jsonString(t testing.TB, s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

var encodeCases = []string{
	"", "plain", "홍길동님의 주문", "say \"hi\"\\", "a\nb\rc\td\x00e\x1f\x7f", "<&>",
	"\u2028line\u2029para", "\u2027\u202a", "\xe2\x80", "\xe2", "bad\xffbyte", "\xed\xa0\x80", "🎉 \u0085",
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, s := range encodeCases {
		assert.Equal(t, jsonString(t, s), string(appendString([]byte("x"), s))[1:], "%q", s)
	}
}

func TestAppendValidStringNeverReadsPastTheEnd(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"\xe2", "a\xe2\x80", "\xe2\x80\xa8"} {
		assert.NotPanics(t, func() { appendValidString(nil, s) }, "%q", s)
	}
	assert.Equal(t, `"\u2028"`, string(appendValidString(nil, "\u2028")))
}

func FuzzAppendString(f *testing.F) {
	for _, s := range encodeCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := string(appendString(nil, s))
		if want := jsonString(t, s); got != want {
			t.Fatalf("appendString(%q) = %s, encoding/json writes %s", s, got, want)
		}
		var back string
		if err := json.Unmarshal([]byte(got), &back); err != nil {
			t.Fatalf("appendString(%q) = %s is not JSON: %v", s, got, err)
		}
	})
}

func TestPlainNoReadsOnlyWhatSendWrites(t *testing.T) {
	t.Parallel()
	for s, want := range map[string]int{"0": 0, "7": 7, "999": 999, "123456789": 123456789} {
		n, ok := plainNo(s)
		assert.True(t, ok, s)
		assert.Equal(t, want, n, s)
	}
	for _, s := range []string{"", "01", " 1", "+1", "-1", "1.0", "1234567890", "x"} {
		_, ok := plainNo(s)
		assert.False(t, ok, "%q", s)
	}
}
