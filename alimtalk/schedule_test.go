package alimtalk

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kshop-dev/kshop/internal/wire"
)

func kst(day, hour, minute int) time.Time {
	return time.Date(2024, 5, day, hour, minute, 0, 0, wire.KST)
}

func TestQuietHours(t *testing.T) {
	t.Parallel()
	night := DefaultQuietHours() // 21:00–08:00
	day := QuietHours{Start: TimeOfDay{Hour: 12}, End: TimeOfDay{Hour: 13, Minute: 30}}
	tests := []struct {
		name    string
		q       QuietHours
		at      time.Time
		quiet   bool
		release time.Time
	}{
		{"evening before start", night, kst(1, 20, 59), false, kst(1, 20, 59)},
		{"at start", night, kst(1, 21, 0), true, kst(2, 8, 0)},
		{"before midnight", night, kst(1, 23, 59), true, kst(2, 8, 0)},
		{"after midnight", night, kst(2, 0, 30), true, kst(2, 8, 0)},
		{"just before end", night, kst(2, 7, 59), true, kst(2, 8, 0)},
		{"at end", night, kst(2, 8, 0), false, kst(2, 8, 0)},
		{"utc input", night, time.Date(2024, 5, 1, 13, 0, 0, 0, time.UTC), true, kst(2, 8, 0)},
		{"same-day window inside", day, kst(1, 12, 45), true, kst(1, 13, 30)},
		{"same-day window outside", day, kst(1, 13, 30), false, kst(1, 13, 30)},
		{"disabled", QuietHours{}, kst(1, 23, 0), false, kst(1, 23, 0)},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.quiet, tc.q.Contains(tc.at), tc.name)
		assert.True(t, tc.release.Equal(tc.q.release(tc.at)), "%s: got %v", tc.name, tc.q.release(tc.at))
	}
	assert.True(t, night.Enabled())
	assert.False(t, QuietHours{}.Enabled())
	assert.Equal(t, "21:00", night.Start.String())
}

func TestSchedule(t *testing.T) {
	t.Parallel()
	night := DefaultQuietHours()
	tests := []struct {
		name     string
		timing   Timing
		quiet    QuietHours
		apply    bool
		occurred time.Time
		now      time.Time
		want     time.Time // zero: immediate
	}{
		{name: "immediate by day", timing: Immediate(), quiet: night, apply: true, occurred: kst(1, 14, 0), now: kst(1, 14, 0)},
		{name: "immediate at night waits for morning", timing: Immediate(), quiet: night, apply: true,
			occurred: kst(1, 23, 10), now: kst(1, 23, 10), want: kst(2, 8, 0)},
		{name: "immediate after midnight", timing: Immediate(), quiet: night, apply: true,
			occurred: kst(2, 2, 0), now: kst(2, 2, 0), want: kst(2, 8, 0)},
		{name: "immediate at night for operators", timing: Immediate(), quiet: night, apply: false,
			occurred: kst(1, 23, 10), now: kst(1, 23, 10)},
		{name: "ignore quiet hours", timing: Timing{IgnoreQuietHours: true}, quiet: night, apply: true,
			occurred: kst(1, 23, 10), now: kst(1, 23, 10)},
		{name: "delay", timing: After(2 * time.Hour), quiet: night, apply: true,
			occurred: kst(1, 10, 0), now: kst(1, 10, 0), want: kst(1, 12, 0)},
		{name: "delay into the night", timing: After(3 * time.Hour), quiet: night, apply: true,
			occurred: kst(1, 19, 0), now: kst(1, 19, 0), want: kst(2, 8, 0)},
		{name: "delay counted from the event, retried later", timing: After(2 * time.Hour), quiet: night, apply: true,
			occurred: kst(1, 10, 0), now: kst(1, 11, 0), want: kst(1, 12, 0)},
		{name: "delay already past", timing: After(time.Hour), quiet: night, apply: true,
			occurred: kst(1, 10, 0), now: kst(1, 13, 0)},
		{name: "at time same day", timing: AtTime(0, 18, 0), quiet: night, apply: true,
			occurred: kst(1, 10, 0), now: kst(1, 10, 0), want: kst(1, 18, 0)},
		{name: "at time passed rolls to next day", timing: AtTime(0, 9, 0), quiet: night, apply: true,
			occurred: kst(1, 10, 0), now: kst(1, 10, 0), want: kst(2, 9, 0)},
		{name: "next morning", timing: AtTime(1, 10, 0), quiet: night, apply: true,
			occurred: kst(1, 23, 0), now: kst(1, 23, 0), want: kst(2, 10, 0)},
		{name: "at time inside quiet hours", timing: AtTime(0, 22, 0), quiet: night, apply: true,
			occurred: kst(1, 10, 0), now: kst(1, 10, 0), want: kst(2, 8, 0)},
		{name: "month end", timing: AtTime(1, 10, 0), quiet: night, apply: true,
			occurred: time.Date(2024, 5, 31, 15, 0, 0, 0, wire.KST), now: time.Date(2024, 5, 31, 15, 0, 0, 0, wire.KST),
			want: time.Date(2024, 6, 1, 10, 0, 0, 0, wire.KST)},
	}
	for _, tc := range tests {
		got := schedule(tc.timing, tc.quiet, tc.apply, tc.occurred, tc.now)
		if tc.want.IsZero() {
			assert.True(t, got.IsZero(), "%s: got %v", tc.name, got)
			continue
		}
		assert.True(t, tc.want.Equal(got), "%s: want %v got %v", tc.name, tc.want, got)
		assert.Equal(t, wire.KST, got.Location(), tc.name)
	}
}

func TestTimingValidate(t *testing.T) {
	t.Parallel()
	assert.Empty(t, Immediate().validate("t", nil))
	assert.Empty(t, AtTime(1, 23, 59).validate("t", nil))
	assert.Len(t, After(-time.Second).validate("t", nil), 1)
	assert.Len(t, AtTime(-1, 24, 0).validate("t", nil), 2)
	assert.Len(t, Timing{Mode: 9}.validate("t", nil), 1)
}
