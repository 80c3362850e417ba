package epost

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlaintextOrderAndEscaping(t *testing.T) {
	t.Parallel()
	var l fieldList
	l.add("custNo", "0001234567")
	l.opt("weight", "")
	l.add("inqTelCn", "")
	l.add("recNm", "홍 길동")
	l.add("goodsNm", "셔츠 100% cotton+")
	got, err := l.plaintext("InsertOrder", false)
	require.NoError(t, err)
	assert.Equal(t, "custNo=0001234567&inqTelCn=&recNm=홍 길동&goodsNm=셔츠 100% cotton+", got,
		"items in order, nothing URL-escaped, empty opt items left out, empty add items kept")
}

func TestPlaintextReservedCharacters(t *testing.T) {
	t.Parallel()
	cases := []struct{ value, sanitized string }{
		{"A&B", "A B"},
		{"a=b", "a b"},
		{"line1\r\nline2", "line1  line2"},
		{"nul\x00", "nul "},
	}
	for _, tc := range cases {
		t.Run(tc.sanitized, func(t *testing.T) {
			t.Parallel()
			l := fieldList{{"goodsNm", "ok"}, {"delivMsg", tc.value}}
			_, err := l.plaintext("InsertOrder", false)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "delivMsg", ve.Field)
			assert.Equal(t, "InsertOrder", ve.Call)
			assert.ErrorIs(t, err, ErrInvalid)
			assert.NotContains(t, err.Error(), tc.value, "the value is not echoed")

			got, err := l.plaintext("InsertOrder", true)
			require.NoError(t, err)
			assert.Equal(t, "goodsNm=ok&delivMsg="+tc.sanitized, got)
		})
	}
}

func TestPlaintextRefusesInvalidUTF8(t *testing.T) {
	t.Parallel()
	_, err := fieldList{{"recNm", "\xff\xfe"}}.plaintext("InsertOrder", true)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "recNm", ve.Field)
}

func TestLengthRules(t *testing.T) {
	t.Parallel()
	s := "홍길동abc"
	assert.Equal(t, 12, LengthUTF8Bytes.Measure(s))
	assert.Equal(t, 9, LengthEUCKRBytes.Measure(s))
	assert.Equal(t, 6, LengthCharacters.Measure(s))
	assert.Equal(t, "UTF-8 bytes", LengthUTF8Bytes.String())
}
