package wire

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScannerReadsOneShape(t *testing.T) {
	t.Parallel()
	body := []byte(` { "code" : 0 , "msg":"성공", "skip": {"a":[1,"x\"}",{"b":null}]}, "n": 12345 ,"t":true} `)
	require.True(t, Valid(body))
	s := NewScanner(body)
	require.True(t, s.Open('{'))
	key, ok := s.Key()
	require.True(t, ok)
	assert.Equal(t, "code", string(key))
	assert.True(t, s.Literal("0"))
	require.True(t, s.Open(','))
	key, _ = s.Key()
	assert.Equal(t, "msg", string(key))
	_, ok = s.PlainString(Printable)
	assert.False(t, ok, "non-ASCII text is not Printable")
	text, ok := s.Text()
	require.True(t, ok)
	assert.Equal(t, "성공", text)
	require.True(t, s.Open(','))
	key, _ = s.Key()
	assert.Equal(t, "skip", string(key))
	s.Skip()
	require.True(t, s.Open(','))
	key, _ = s.Key()
	assert.Equal(t, "n", string(key))
	digits, ok := s.Digits()
	require.True(t, ok)
	assert.Equal(t, "12345", string(digits))
	require.True(t, s.Open(','))
	key, _ = s.Key()
	assert.Equal(t, "t", string(key))
	assert.False(t, s.Literal("tru"), "a literal must end where the value ends")
	assert.True(t, s.Literal("true"))
	assert.True(t, s.Close('}'))
	assert.True(t, s.AtEnd())
}

func TestScannerRefusesWhatItCannotReadAsIs(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"Code":0}`, `{"c\u006fde":0}`, `{"k é":0}`} {
		s := NewScanner([]byte(body))
		require.True(t, s.Open('{'))
		_, ok := s.Key()
		assert.False(t, ok, body)
	}
	s := NewScanner([]byte(`["a\"b", -1, 1.5, 1234567890123456789]`))
	require.True(t, s.Open('['))
	_, ok := s.Text()
	assert.False(t, ok, "an escaped string is not read as is")
	s.Skip()
	require.True(t, s.Open(','))
	_, ok = s.Digits()
	assert.False(t, ok, "a sign is not a digit")
	s.Skip()
	require.True(t, s.Open(','))
	_, ok = s.Digits()
	assert.False(t, ok, "a fraction is not an integer")
	s.Skip()
	require.True(t, s.Open(','))
	_, ok = s.Digits()
	assert.False(t, ok, "19 digits may overflow int64")
	assert.Equal(t, byte('1'), s.Peek(), "a refused value is left unread")
}

func TestScannerTextRefusesInvalidUTF8(t *testing.T) {
	t.Parallel()
	body := []byte("[\"a\xffb\"]")
	require.True(t, Valid(body), "json.Valid lets invalid UTF-8 through")
	s := NewScanner(body)
	require.True(t, s.Open('['))
	_, ok := s.Text()
	assert.False(t, ok)
	raw, ok := s.PlainBytes(Unescaped)
	assert.True(t, ok, "a refused text is left unread")
	assert.Equal(t, "a\xffb", string(raw))
}
