package happytalk

import (
	"net/mail"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsPlainAddress(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"a@b", "happytalk@happytalk.io", "first.last+tag@mail.example.co.kr", "x!#$%&'*/=?^_`{|}~-@a-b.c"} {
		assert.True(t, isPlainAddress(s), s)
	}
	for _, s := range []string{"", "@", "a@", "@b", "a@@b", "a..b@c", ".a@b", "a.@b", "a@b..c", "a@.b", "a@b.", "a b@c",
		"a@b_c", "\"a\"@b", "a@[1.2.3.4]", "한@b", "a@b@c"} {
		assert.False(t, isPlainAddress(s), s)
	}
}

// FuzzPlainAddress: the fast path accepts only addresses net/mail accepts as bare addresses.
func FuzzPlainAddress(f *testing.F) {
	for _, s := range []string{"a@b", "happytalk@happytalk.io", "a..b@c", "x{|}~@a-.-b", "a@b@c", "-@-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !isPlainAddress(s) {
			return
		}
		addr, err := mail.ParseAddress(s)
		require.NoError(t, err, s)
		require.Equal(t, s, addr.Address)
		require.Empty(t, addr.Name)
	})
}
