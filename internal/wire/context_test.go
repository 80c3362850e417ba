package wire

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
)

func TestCheckContextRefusesNilWithTheCallsName(t *testing.T) {
	t.Parallel()
	require.NoError(t, CheckContext(context.Background(), "ssoda.Send"))
	//lint:ignore SA1012 the nil context is what this test is about
	err := CheckContext(nil, "ssoda.Send") //nolint:staticcheck
	require.Error(t, err)
	assert.ErrorIs(t, err, kshop.ErrInvalid)
	var ve *kshop.ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "ssoda.Send", ve.Op)
	assert.Equal(t, "ctx", ve.Problems[0].Field)
	assert.Contains(t, err.Error(), "ssoda.Send: invalid input: ctx: required")
}
