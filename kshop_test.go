package kshop_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/kerr"
)

func TestErrOutcomeUnknownIsTheSharedSentinel(t *testing.T) {
	t.Parallel()
	if kshop.ErrOutcomeUnknown != kerr.ErrOutcomeUnknown {
		t.Fatal("kshop.ErrOutcomeUnknown must be the same value as the transport's sentinel")
	}
	wrapped := fmt.Errorf("send: %w", kerr.ErrOutcomeUnknown)
	if !errors.Is(wrapped, kshop.ErrOutcomeUnknown) {
		t.Fatal("errors.Is must see through wrapping")
	}
}
