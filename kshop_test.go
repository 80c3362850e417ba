package kshop_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
)

func TestSentinelsAreDistinctAndSeenThroughWrapping(t *testing.T) {
	t.Parallel()
	all := []error{kshop.ErrOutcomeUnknown, kshop.ErrNotSent, kshop.ErrBadResponse, kshop.ErrInvalid}
	for i, a := range all {
		wrapped := fmt.Errorf("ssoda: send: %w", a)
		for j, b := range all {
			assert.Equal(t, i == j, errors.Is(wrapped, b), "%v is %v", a, b)
		}
	}
}

func TestValidationErrorReportsEveryProblem(t *testing.T) {
	t.Parallel()
	errNoAt := errors.New("no @")
	err := kshop.NewValidationError("epost.InsertOrder", []*kshop.FieldError{
		{Field: "Recipient.Name", Key: "recNm", Rule: kshop.RuleRequired},
		{Field: "Recipient.Mobile", Key: "recMob", Rule: kshop.RuleTooLong, Got: 15, Limit: 12},
		{Field: "Sender.Email", Key: "ordEmail", Rule: kshop.RuleFormat, Err: errNoAt},
	})
	require.Error(t, err)
	assert.Equal(t, "epost.InsertOrder: invalid input (3 problems): Recipient.Name (recNm): required; "+
		"Recipient.Mobile (recMob): too long (15, limit 12); Sender.Email (ordEmail): invalid format: no @", err.Error())
	assert.ErrorIs(t, err, kshop.ErrInvalid)
	assert.ErrorIs(t, err, errNoAt)
	var fe *kshop.FieldError
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, "Recipient.Name", fe.Field)
	var ve *kshop.ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "recMob", ve.Field("Recipient.Mobile").Key)
	assert.Equal(t, "Recipient.Mobile", ve.Field("recMob").Field)
	assert.Nil(t, ve.Field("Nope"))
	assert.NoError(t, kshop.NewValidationError("x", nil))
}

func TestFieldErrorText(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   kshop.FieldError
		want string
	}{
		{kshop.FieldError{Field: "Text"}, "Text: invalid"},
		{kshop.FieldError{Field: "Text", Key: "Text", Rule: kshop.RuleControlChars, Detail: "NUL at byte 3"}, "Text: control characters: NUL at byte 3"},
		{kshop.FieldError{Field: "Items", Key: "items", Rule: kshop.RuleTooMany, Limit: 10}, "Items (items): too many (limit 10)"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, c.in.Error())
		assert.ErrorIs(t, &c.in, kshop.ErrInvalid)
	}
}

func TestKSTIsUTCPlusNineAllYear(t *testing.T) {
	t.Parallel()
	for _, month := range []time.Month{time.January, time.July} {
		_, offset := time.Date(2026, month, 1, 0, 0, 0, 0, kshop.KST()).Zone()
		assert.Equal(t, 9*3600, offset)
	}
	assert.Same(t, kshop.KST(), kshop.KST())
}
