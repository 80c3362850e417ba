package phone_test

import (
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/internal/phone"
)

func TestDigitsOfReusesNormalizedInput(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"01012345678", "010-1234-5678", "+82 10 1234 5678", "0212345678", "15881234"} {
		n, err := phone.Parse(in)
		require.NoError(t, err, in)
		got := n.DigitsOf(in)
		assert.Equal(t, n.Digits(), got, in)
		if in == n.Digits() {
			assert.Equal(t, unsafe.StringData(in), unsafe.StringData(got), "%s: the input itself, not a copy", in)
		}
	}
	var zero phone.Number
	assert.Empty(t, zero.DigitsOf(""))
	assert.Empty(t, zero.DigitsOf("010"), "the zero Number has no digits, whatever the input")
}
