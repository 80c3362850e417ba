package wire

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValues(t *testing.T) {
	t.Parallel()
	type req struct {
		Key    string `url:"key"`
		Rgist  string `url:"rgist"`
		Empty  string `url:"empty,omitempty"`
		Page   int    `url:"page"`
		Hidden string `url:"-"`
	}
	v, err := Values(req{Key: "k", Rgist: "1234567890123", Page: 2, Hidden: "x"})
	require.NoError(t, err)
	assert.Equal(t, "key=k&page=2&rgist=1234567890123", v.Encode())

	_, err = Values(42)
	require.Error(t, err)
}
