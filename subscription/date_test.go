package subscription

import (
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/internal/wire"
)

func TestDateArithmeticMatchesTimePackage(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewSource(7))
	for i := 0; i < 20000; i++ {
		base := time.Date(1+rng.Intn(9998), time.Month(1+rng.Intn(12)), 1+rng.Intn(28), 0, 0, 0, 0, time.UTC)
		n := rng.Intn(4000) - 2000
		want := base.AddDate(0, 0, n)
		got := DateOf(time.Date(base.Year(), base.Month(), base.Day(), 12, 0, 0, 0, wire.KST)).AddDays(n)
		require.Equal(t, d(want.Year(), want.Month(), want.Day()), got, "base %v + %d", base, n)
		require.Equal(t, want.Weekday(), got.Weekday())
	}
}

func TestDateOfConvertsToKST(t *testing.T) {
	t.Parallel()
	// 2026-02-16 15:30 UTC is already 2026-02-17 00:30 in Korea.
	assert.Equal(t, d(2026, 2, 17), DateOf(time.Date(2026, 2, 16, 15, 30, 0, 0, time.UTC)))
	assert.Equal(t, d(2026, 2, 16), DateOf(time.Date(2026, 2, 16, 14, 59, 0, 0, time.UTC)))
}

func TestDateBasics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		date    Date
		valid   bool
		weekday time.Weekday
	}{
		{d(2028, 2, 29), true, time.Tuesday},
		{d(2027, 2, 29), false, 0},
		{d(2026, 4, 31), false, 0},
		{d(2026, 12, 31), true, time.Thursday},
		{d(2024, 2, 10), true, time.Saturday},
		{Date{}, false, 0},
		{d(2026, 13, 1), false, 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.valid, tt.date.Valid(), tt.date.String())
		if tt.valid {
			assert.Equal(t, tt.weekday, tt.date.Weekday(), tt.date.String())
		}
	}
	assert.True(t, d(2026, 1, 31).Before(d(2026, 2, 1)))
	assert.True(t, d(2027, 1, 1).After(d(2026, 12, 31)))
	assert.Equal(t, 0, d(2026, 5, 5).Compare(d(2026, 5, 5)))
	assert.Equal(t, 366, d(2028, 1, 1).DaysUntil(d(2029, 1, 1)))
	assert.Equal(t, kstAt(2026, 3, 2, 17, 0), d(2026, 3, 2).At(Clock(17, 0)))
	assert.Equal(t, 29, daysIn(2028, time.February))
	assert.Equal(t, 28, daysIn(2100, time.February))
	assert.Equal(t, 29, daysIn(2000, time.February))
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Date
		ok   bool
	}{
		{"2026-01-31", d(2026, 1, 31), true},
		{"2028-02-29", d(2028, 2, 29), true},
		{"2027-02-29", Date{}, false},
		{"2026-1-31", Date{}, false},
		{"2026/01/31", Date{}, false},
		{"+026-01-31", Date{}, false},
		{"2026-0a-31", Date{}, false},
		{"", Date{}, false},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if !tt.ok {
			problemOf(t, err, "Date", tt.in)
			assert.ErrorIs(t, err, ErrInvalid)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got)
		b, _ := got.MarshalText()
		assert.Equal(t, tt.in, string(b))
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-01-31", "2028-02-29", "0000-00-00", "9999-12-31", "2026-13-01", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		dt, err := ParseDate(s)
		if err != nil {
			return
		}
		if !dt.Valid() || dt.String() != s {
			t.Fatalf("ParseDate(%q) = %v, not a round trip", s, dt)
		}
	})
}

// FuzzDateArithmetic feeds arbitrary (possibly invalid) dates to the date and calendar
// code: nothing may panic, and valid dates round-trip through AddDays.
func FuzzDateArithmetic(f *testing.F) {
	f.Add(2026, 2, 29, 3)
	f.Add(0, 0, 0, -1)
	f.Add(2028, 13, 40, 1<<20)
	f.Add(-5, 2, 31, -1<<30)
	k := NewKoreanPublicHolidays()
	shop, _ := NewShopClosedDays([]time.Weekday{time.Sunday}, nil)
	f.Fuzz(func(t *testing.T, y, m, day, n int) {
		if n > 1<<40 || n < -(1<<40) || y > 1<<30 || y < -(1<<30) {
			return
		}
		dt := Date{Year: y, Month: time.Month(m), Day: day}
		_ = dt.String()
		_ = dt.Weekday()
		_ = k.IsClosed(dt)
		_ = k.Lookup(dt)
		_ = shop.IsClosed(dt)
		_ = Cycle1M.AddTo(dt, n%10000)
		moved := dt.AddDays(n)
		if dt.Valid() && moved.Valid() && moved.AddDays(-n) != dt {
			t.Fatalf("%v + %d - %d = %v", dt, n, n, moved.AddDays(-n))
		}
	})
}
