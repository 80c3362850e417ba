package subscription

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWeekendsAndUnion(t *testing.T) {
	t.Parallel()
	w := Weekends()
	assert.True(t, w.IsClosed(d(2026, 3, 7)))  // Saturday
	assert.True(t, w.IsClosed(d(2026, 3, 8)))  // Sunday
	assert.False(t, w.IsClosed(d(2026, 3, 9))) // Monday
	u := Union(w, nil, NewKoreanPublicHolidays())
	assert.True(t, u.IsClosed(d(2026, 3, 2)))  // substitute for 3·1절
	assert.True(t, u.IsClosed(d(2026, 3, 8)))  // Sunday
	assert.False(t, u.IsClosed(d(2026, 3, 3))) // Tuesday
	assert.False(t, Union().IsClosed(d(2026, 3, 8)))
	f := CalendarFunc(func(d Date) bool { return d.Day == 13 })
	assert.True(t, Union(f).IsClosed(d(2026, 3, 13)))
}

func TestShopClosedDays(t *testing.T) {
	t.Parallel()
	s, err := NewShopClosedDays([]time.Weekday{time.Sunday, time.Sunday}, []Date{d(2025, 8, 14), d(2024, 10, 1)})
	require.NoError(t, err)
	assert.True(t, s.IsClosed(d(2025, 8, 14)), "택배 없는 날")
	assert.True(t, s.IsClosed(d(2024, 10, 1)), "임시공휴일 added by the shop")
	assert.True(t, s.IsClosed(d(2026, 3, 8)), "Sunday")
	assert.False(t, s.IsClosed(d(2026, 3, 7)), "Saturday is open")
	assert.Equal(t, []Date{d(2024, 10, 1), d(2025, 8, 14)}, s.Dates())
	var nilShop *ShopClosedDays
	assert.False(t, nilShop.IsClosed(d(2026, 3, 8)))

	tests := []struct {
		name     string
		weekdays []time.Weekday
		dates    []Date
		field    string
	}{
		{"every weekday closed", []time.Weekday{0, 1, 2, 3, 4, 5, 6}, nil, "weekdays"},
		{"weekday out of range", []time.Weekday{7}, nil, "weekdays[0]"},
		{"invalid date", nil, []Date{d(2026, 2, 30)}, "dates[0]"},
	}
	for _, tt := range tests {
		_, err := NewShopClosedDays(tt.weekdays, tt.dates)
		problemOf(t, err, tt.field, tt.name)
	}
}

func TestNextOpenDay(t *testing.T) {
	t.Parallel()
	cal := Union(Weekends(), NewKoreanPublicHolidays())
	tests := []struct {
		in, want Date
	}{
		{d(2026, 2, 16), d(2026, 2, 19)},  // Seollal Mon–Wed → Thursday
		{d(2025, 10, 3), d(2025, 10, 10)}, // 개천절, weekend, Chuseok, substitute, 한글날 → Friday 10-10
		{d(2026, 3, 3), d(2026, 3, 3)},    // open
		{d(2024, 2, 9), d(2024, 2, 13)},   // Seollal Fri–Sun + substitute Monday
	}
	for _, tt := range tests {
		got, ok := nextOpenDay(cal, tt.in)
		require.True(t, ok)
		assert.Equal(t, tt.want, got, tt.in.String())
	}
	always := CalendarFunc(func(Date) bool { return true })
	got, ok := nextOpenDay(always, d(2026, 1, 1))
	assert.False(t, ok)
	assert.Equal(t, d(2026, 1, 1), got, "a calendar closed forever is given up on")
	got, ok = nextOpenDay(nil, d(2026, 1, 1))
	assert.True(t, ok)
	assert.Equal(t, d(2026, 1, 1), got)
}

func TestBusinessDayOffsetsAcrossLunarHolidays(t *testing.T) {
	t.Parallel()
	cal := NewKoreanPublicHolidays() // weekends are always skipped in business-day mode
	tests := []struct {
		name     string
		delivery Date
		n        int
		want     Date
	}{
		{"after Seollal 2026", d(2026, 2, 19), 2, d(2026, 2, 12)},
		{"after Seollal 2026, 1 day", d(2026, 2, 19), 1, d(2026, 2, 13)},
		{"after Chuseok 2025 and 한글날", d(2025, 10, 10), 2, d(2025, 10, 1)},
		{"after Chuseok 2025, 1 day", d(2025, 10, 10), 1, d(2025, 10, 2)},
		{"after Seollal 2024 and its substitute", d(2024, 2, 13), 2, d(2024, 2, 7)},
		{"plain Monday", d(2026, 3, 9), 2, d(2026, 3, 5)},
		{"plain Wednesday", d(2026, 3, 11), 2, d(2026, 3, 9)},
		{"zero", d(2026, 3, 11), 0, d(2026, 3, 11)},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, subtractBusinessDays(cal, tt.delivery, tt.n), tt.name)
	}
	always := CalendarFunc(func(Date) bool { return true })
	assert.Equal(t, d(2026, 3, 9), subtractBusinessDays(always, d(2026, 3, 11), 2), "falls back to calendar days")
}
