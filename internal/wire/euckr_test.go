package wire

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/korean"
)

func TestEUCKRLen(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"가나다", 6},
		{"123abc가나다", 12},
		{"똠방각하", 8}, // syllables outside KS X 1001's 2,350 still take two bytes in CP949
		{"[리리비] 주문이 접수되었습니다.", 31},
		{strings.Repeat("가", 45), 90},
	}
	for _, tc := range cases {
		got, err := EUCKRLen(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
		assert.Equal(t, tc.want, EUCKRLenLenient(tc.in), tc.in)
	}
}

func TestEUCKRLenRejectsUnencodable(t *testing.T) {
	t.Parallel()
	_, err := EUCKRLen("주문 완료 🎉")
	var ue *UnencodableError
	require.True(t, errors.As(err, &ue))
	assert.Equal(t, '🎉', ue.Rune)
	assert.Equal(t, len("주문 완료 "), ue.Offset)
	assert.Equal(t, 4+1+4+1+2, EUCKRLenLenient("주문 완료 🎉"))

	_, err = EUCKRLen("a\xffb")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "invalid UTF-8")
}

func TestEUCKRLenAgreesWithTheEncoder(t *testing.T) {
	t.Parallel()
	// Every character CP949 encodes takes exactly the bytes the real encoder writes.
	for _, s := range []string{"똠방각하", "가나다 abc", "①②★※", "漢字", "ㄱㄴㅏ", "〈주문〉"} {
		enc, err := korean.EUCKR.NewEncoder().String(s)
		require.NoError(t, err, s)
		got, err := EUCKRLen(s)
		require.NoError(t, err, s)
		assert.Equal(t, len(enc), got, s)
		assert.Equal(t, len(enc), EUCKRLenLenient(s), s)
	}
}

func TestEUCKRLenLenientAllocatesNothing(t *testing.T) {
	s := strings.Repeat("[상점] 홍길동님 주문이 접수되었습니다. 🎉", 5)
	assert.Zero(t, testing.AllocsPerRun(50, func() { _ = EUCKRLenLenient(s) }))
	assert.Zero(t, testing.AllocsPerRun(50, func() { _, _ = EUCKRLen("[상점] 홍길동님 주문") }))
}

func BenchmarkEUCKRLen(b *testing.B) {
	s := strings.Repeat("[상점] 홍길동님 주문이 접수되었습니다. ", 20)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := EUCKRLen(s); err != nil {
			b.Fatal(err)
		}
	}
}
