package kerr_test

import (
	"errors"
	"fmt"

	"github.com/kshop-dev/kshop/internal/kerr"
)

// Vendor packages wrap the one sentinel; errors.Is finds it through any wrapping.
func ExampleErrOutcomeUnknown() {
	err := fmt.Errorf("ssoda: send to 010-****-5678: %w", kerr.ErrOutcomeUnknown)
	fmt.Println(errors.Is(err, kerr.ErrOutcomeUnknown))
	// Output: true
}
