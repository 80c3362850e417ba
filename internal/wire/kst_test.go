package wire

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormatKSTConvertsFromAnyZone(t *testing.T) {
	t.Parallel()
	utc := time.Date(2026, 11, 21, 15, 30, 5, 0, time.UTC) // 2026-11-22 00:30:05 KST
	assert.Equal(t, "2026-11-22 00:30:05", FormatKST(utc, LayoutDateTime))
	assert.Equal(t, "2026-11-22 00:30", FormatKST(utc, LayoutMinute))
	assert.Equal(t, "20261122", FormatKST(utc, LayoutDate))
	assert.Equal(t, "20261122003005", FormatKST(utc, LayoutCompact))
	assert.Equal(t, "2026-11-22", FormatKST(utc, LayoutDashDate))
}

func TestParseKST(t *testing.T) {
	t.Parallel()
	got, err := ParseKST(LayoutCompact, "20200511162115")
	require.NoError(t, err)
	assert.True(t, got.Equal(time.Date(2020, 5, 11, 7, 21, 15, 0, time.UTC)))
	_, offset := got.Zone()
	assert.Equal(t, 9*3600, offset)

	_, err = ParseKST(LayoutDate, "2020-05-11")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "does not match")
}

func TestParseKSTAny(t *testing.T) {
	t.Parallel()
	want := time.Date(2017, 9, 13, 16, 26, 0, 0, KST)
	for _, s := range []string{"2017-09-13 16:26", "2017-09-13 16:26:00", "20170913162600"} {
		got, err := ParseKSTAny(s)
		require.NoError(t, err, s)
		assert.True(t, got.Equal(want), s)
	}
	day, err := ParseKSTAny("20170913")
	require.NoError(t, err)
	assert.Equal(t, 13, day.Day())
	_, err = ParseKSTAny("13/09/2017")
	require.Error(t, err)
}
