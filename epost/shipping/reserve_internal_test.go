package shipping

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/epost"
)

// Only an error that proves the call was not carried out sends a waybill back to the step-2
// list; anything else is reconciled before a booking or cancel is sent again.
func TestSurelyNotCarriedOut(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err  error
		want bool
	}{
		{fmt.Errorf("x: %w", kshop.ErrNotSent), true},
		{kshop.NewValidationError("epost.InsertOrder", []*kshop.FieldError{{Field: "RecMob", Rule: kshop.RuleRequired}}), true},
		{&epost.APIError{Op: "InsertOrder", HTTPStatus: 200, VendorCode: "ERR-323"}, true},
		{fmt.Errorf("x: %w", &epost.CancelRefusedError{Result: &epost.CancelResult{}}), true},
		{fmt.Errorf("x: %w", kshop.ErrOutcomeUnknown), false},
		{&epost.UnknownOrderError{OrderNo: "A-1", Err: kshop.ErrOutcomeUnknown}, false},
		{errors.New("an error nobody classified"), false},
		{context.DeadlineExceeded, false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, surelyNotCarriedOut(tc.err), "%v", tc.err)
	}
}
