package provider_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/provider"
)

// vendorErr stands in for a vendor's *APIError.
type vendorErr struct {
	status  int
	unknown bool
}

func (e *vendorErr) Error() string        { return fmt.Sprintf("vendor: HTTP %d", e.status) }
func (e *vendorErr) HTTPStatusCode() int  { return e.status }
func (e *vendorErr) Code() string         { return "" }
func (e *vendorErr) Retryable() bool      { return false }
func (e *vendorErr) OutcomeUnknown() bool { return e.unknown }

func TestStatusOfLeansToUnknown(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		err  error
		want alimtalk.Status
	}{
		{"outcome unknown sentinel", fmt.Errorf("x: %w", kshop.ErrOutcomeUnknown), alimtalk.StatusUnknown},
		{"vendor error whose outcome is unknown", &vendorErr{status: 503, unknown: true}, alimtalk.StatusUnknown},
		{"unknown wins over not sent", errors.Join(kshop.ErrNotSent, kshop.ErrOutcomeUnknown), alimtalk.StatusUnknown},
		{"not sent sentinel", fmt.Errorf("x: %w", kshop.ErrNotSent), alimtalk.StatusNotSent},
		{"429 refusal", &vendorErr{status: 429}, alimtalk.StatusNotSent},
		{"plain refusal", &vendorErr{status: 200}, alimtalk.StatusRejected},
		{"5xx not flagged unknown", &vendorErr{status: 502}, alimtalk.StatusUnknown},
		{"501 is a refusal", &vendorErr{status: 501}, alimtalk.StatusRejected},
		{"an error nobody classified", errors.New("something odd"), alimtalk.StatusUnknown},
		{"a bare context error", context.Canceled, alimtalk.StatusUnknown},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, provider.StatusOf(tc.err), tc.name)
	}
}

func TestGateStopsAfterTheContextOrAStopError(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	g := provider.NewGate(ctx, "vendor")
	require.NoError(t, g.Blocked(3))
	assert.NoError(t, g.Err(), "every request started")

	cancel()
	err := g.Blocked(2)
	require.Error(t, err)
	assert.ErrorIs(t, err, kshop.ErrNotSent)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, alimtalk.StatusNotSent, provider.StatusOf(err))
	assert.ErrorContains(t, g.Err(), "vendor: batch interrupted, 2 messages not sent")

	refused := &vendorErr{status: 401}
	g2 := provider.NewGate(context.Background(), "vendor")
	g2.Stop(nil)
	require.NoError(t, g2.Blocked(1))
	g2.Stop(refused)
	g2.Stop(errors.New("later"))
	err = g2.Blocked(1)
	assert.ErrorIs(t, err, kshop.ErrNotSent)
	assert.ErrorIs(t, err, refused)
	assert.Same(t, refused, g2.Err(), "the first stop error is the call's error")

	done, stop := context.WithCancel(context.Background())
	stop()
	g3 := provider.NewGate(done, "vendor")
	require.Error(t, g3.Blocked(1))
	assert.ErrorContains(t, g3.Err(), "vendor: nothing sent")
}
