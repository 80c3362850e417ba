package alimtalk_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
)

func TestStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s           alimtalk.Status
		name        string
		succeeded   bool
		safeToRetry bool
	}{
		{alimtalk.StatusUnknown, "unknown", false, false},
		{alimtalk.StatusAccepted, "accepted", true, false},
		{alimtalk.StatusReserved, "reserved", true, false},
		{alimtalk.StatusRejected, "rejected", false, true},
		{alimtalk.StatusInvalid, "invalid", false, true},
		{alimtalk.StatusNotSent, "not sent", false, true},
		{alimtalk.StatusDuplicate, "duplicate", false, false},
		{alimtalk.Status(42), "status(42)", false, false},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.name, tc.s.String())
		assert.Equal(t, tc.succeeded, tc.s.Succeeded(), tc.name)
		assert.Equal(t, tc.safeToRetry, tc.s.SafeToRetry(), tc.name)
	}
}

func TestTemplateSet(t *testing.T) {
	t.Parallel()
	orig := alimtalk.Template{Code: "X", Content: "a"}
	set := alimtalk.NewTemplateSet(orig)
	orig.Content = "changed"
	got, ok := set.Template("X")
	require.True(t, ok)
	assert.Equal(t, "a", got.Content, "the set holds a copy")
	_, ok = set.Template("Y")
	assert.False(t, ok)
	set["nil"] = nil
	_, ok = set.Template("nil")
	assert.False(t, ok)
}
