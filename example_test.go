package kshop_test

import (
	"errors"
	"fmt"

	"github.com/kshop-dev/kshop"
)

// vendorError stands in for a vendor package's *APIError.
type vendorError struct{ code string }

func (e *vendorError) Error() string       { return "vendor refused: " + e.code }
func (e *vendorError) HTTPStatusCode() int { return 200 }
func (e *vendorError) Code() string        { return e.code }
func (e *vendorError) Retryable() bool     { return false }

// One errors.As against kshop.APIError reads any vendor's error.
func ExampleAPIError() {
	err := fmt.Errorf("send order notice: %w", &vendorError{code: "3016"})

	var apiErr kshop.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code(), apiErr.Retryable())
	}
	fmt.Println(errors.Is(err, kshop.ErrOutcomeUnknown))
	// Output:
	// 3016 false
	// false
}
