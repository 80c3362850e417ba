package alimtalk

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
)

func TestFieldErrorsReadAsAValidationError(t *testing.T) {
	t.Parallel()
	_, err := Message{To: "12", TemplateCode: "T"}.Prepare(&Template{Code: "T", Content: "#{name}님"}, Limits{})
	var fes FieldErrors
	require.ErrorAs(t, err, &fes)
	var ve *kshop.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "alimtalk", ve.Op)
	require.Len(t, ve.Problems, len(fes))
	for i, p := range ve.Problems {
		assert.Equal(t, fes[i].Key, p.Key)
		assert.Equal(t, fes[i].Reason.Rule(), p.Rule, "the same word as FieldError's own Reason.Rule")
	}
	assert.Equal(t, kshop.RuleFormat, ve.Field("to").Rule, "a bad phone")
}
