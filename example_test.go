package kshop_test

import (
	"errors"
	"fmt"

	"github.com/kshop-dev/kshop"
)

// vendorError stands in for a vendor package's *APIError.
type vendorError struct{ code string }

func (e *vendorError) Error() string        { return "vendor refused: " + e.code }
func (e *vendorError) HTTPStatusCode() int  { return 200 }
func (e *vendorError) Code() string         { return e.code }
func (e *vendorError) Retryable() bool      { return false }
func (e *vendorError) OutcomeUnknown() bool { return false }

// One errors.As against kshop.APIError reads any vendor's error.
func ExampleAPIError() {
	err := fmt.Errorf("send order notice: %w", &vendorError{code: "3016"})

	var apiErr kshop.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code(), apiErr.Retryable(), apiErr.OutcomeUnknown())
	}
	fmt.Println(errors.Is(err, kshop.ErrOutcomeUnknown))
	// Output:
	// 3016 false false
	// false
}

// A validation error lists every problem of a request at once, each with the Go field and the
// vendor's key.
func ExampleValidationError() {
	err := kshop.NewValidationError("epost.InsertOrder", []*kshop.FieldError{
		{Field: "Recipient.Name", Key: "recNm", Rule: kshop.RuleRequired},
		{Field: "Recipient.Mobile", Key: "recMob", Rule: kshop.RuleTooLong, Got: 15, Limit: 12},
	})
	var ve *kshop.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Println(p.Field, p.Key, p.Rule)
		}
	}
	fmt.Println(errors.Is(err, kshop.ErrInvalid))
	// Output:
	// Recipient.Name recNm required
	// Recipient.Mobile recMob too long
	// true
}
