package subscription

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func holidayDates(hs []Holiday) []string {
	var out []string
	for _, h := range hs {
		s := h.Date.String()
		if len(out) == 0 || out[len(out)-1] != s {
			out = append(out, s)
		}
	}
	return out
}

// TestKoreanHolidaysMatchPublishedLists compares the computed calendar, substitutes
// included, with the published lists: KASI's 월력요항 as mirrored by hyunbinseo/holidays-kr
// (public/2024.json … 2027.json). Differences from those files, each documented:
// 2025-06-03 (presidential snap election, decreed after the almanac) and 2026-05-01
// (노동절, a public holiday from 2026, absent from the stored 2026 file).
func TestKoreanHolidaysMatchPublishedLists(t *testing.T) {
	t.Parallel()
	k := NewKoreanPublicHolidays()
	want := map[int][]string{
		2024: {"2024-01-01", "2024-02-09", "2024-02-10", "2024-02-11", "2024-02-12", "2024-03-01", "2024-04-10",
			"2024-05-05", "2024-05-06", "2024-05-15", "2024-06-06", "2024-08-15", "2024-09-16", "2024-09-17",
			"2024-09-18", "2024-10-03", "2024-10-09", "2024-12-25"},
		2025: {"2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-03-01", "2025-03-03", "2025-05-05",
			"2025-05-06", "2025-06-03", "2025-06-06", "2025-08-15", "2025-10-03", "2025-10-05", "2025-10-06",
			"2025-10-07", "2025-10-08", "2025-10-09", "2025-12-25"},
		2026: {"2026-01-01", "2026-02-16", "2026-02-17", "2026-02-18", "2026-03-01", "2026-03-02", "2026-05-01",
			"2026-05-05", "2026-05-24", "2026-05-25", "2026-06-03", "2026-06-06", "2026-07-17", "2026-08-15",
			"2026-08-17", "2026-09-24", "2026-09-25", "2026-09-26", "2026-10-03", "2026-10-05", "2026-10-09",
			"2026-12-25"},
		2027: {"2027-01-01", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-03-01", "2027-05-01",
			"2027-05-03", "2027-05-05", "2027-05-13", "2027-06-06", "2027-07-17", "2027-07-19", "2027-08-15",
			"2027-08-16", "2027-09-14", "2027-09-15", "2027-09-16", "2027-10-03", "2027-10-04", "2027-10-09",
			"2027-10-11", "2027-12-25", "2027-12-27"},
	}
	for y, dates := range want {
		assert.Equal(t, dates, holidayDates(k.Holidays(y)), "year %d", y)
		for _, s := range dates {
			dt, err := ParseDate(s)
			require.NoError(t, err)
			assert.True(t, k.IsClosed(dt), s)
		}
	}
}

func TestKoreanHolidaysLunarTable(t *testing.T) {
	t.Parallel()
	k := NewKoreanPublicHolidays()
	blocks := []struct {
		name  string
		first Date
	}{
		{"설날", d(2024, 2, 9)}, {"설날", d(2025, 1, 28)}, {"설날", d(2026, 2, 16)}, {"설날", d(2027, 2, 6)},
		{"설날", d(2028, 1, 26)}, {"설날", d(2029, 2, 12)}, {"설날", d(2030, 2, 2)},
		{"추석", d(2024, 9, 16)}, {"추석", d(2025, 10, 5)}, {"추석", d(2026, 9, 24)}, {"추석", d(2027, 9, 14)},
		{"추석", d(2028, 10, 2)}, {"추석", d(2029, 9, 21)}, {"추석", d(2030, 9, 11)},
	}
	for _, b := range blocks {
		for i, suffix := range []string{" 전날", "", " 다음 날"} {
			day := b.first.AddDays(i)
			assert.Contains(t, k.Lookup(day), Holiday{Date: day, Name: b.name + suffix, Kind: HolidayRegular}, day.String())
		}
	}
	for _, day := range []Date{d(2024, 5, 15), d(2025, 5, 5), d(2026, 5, 24), d(2027, 5, 13), d(2028, 5, 2), d(2029, 5, 20), d(2030, 5, 9)} {
		assert.Contains(t, k.Lookup(day), Holiday{Date: day, Name: "부처님오신날", Kind: HolidayRegular}, day.String())
	}
}

func TestKoreanSubstituteHolidays(t *testing.T) {
	t.Parallel()
	k := NewKoreanPublicHolidays()
	tests := []struct {
		day  Date
		why  string
		want bool
	}{
		{d(2024, 2, 12), "설날 다음 날 on a Sunday", true},
		{d(2025, 5, 6), "어린이날 and 부처님오신날 on one Monday: one substitute", true},
		{d(2025, 5, 7), "…and only one", false},
		{d(2025, 10, 8), "추석 전날 on a Sunday: after the block", true},
		{d(2026, 5, 25), "부처님오신날 on a Sunday (since 2023)", true},
		{d(2026, 9, 28), "추석 다음 날 on a Saturday gives nothing", false},
		{d(2026, 6, 8), "현충일 on a Saturday gives nothing", false},
		{d(2027, 2, 9), "설날 on a Sunday", true},
		{d(2027, 7, 19), "제헌절 on a Saturday (decision: as other national days)", true},
		{d(2027, 12, 27), "기독탄신일 on a Saturday (since 2023)", true},
		{d(2027, 10, 11), "한글날 on a Saturday", true},
		{d(2028, 10, 5), "추석 and 개천절 on 10-03: after the block", true},
		{d(2028, 1, 29), "설날 on Wed–Fri gives nothing (a Saturday follows)", false},
		{d(2029, 5, 7), "어린이날 on a Saturday", true},
		{d(2029, 5, 21), "부처님오신날 on a Sunday", true},
		{d(2029, 9, 24), "추석 다음 날 on a Sunday", true},
		{d(2030, 2, 5), "설날 on a Sunday", true},
		{d(2030, 5, 6), "어린이날 on a Sunday", true},
		{d(2030, 6, 12), "2030 local election day (statute)", true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, k.IsClosed(tt.day), "%s: %s", tt.day, tt.why)
	}
	subs := 0
	for y := firstHolidayYear; y <= lastHolidayYear; y++ {
		for _, h := range k.Holidays(y) {
			if h.Kind == HolidaySubstitute {
				subs++
				assert.False(t, h.Date.IsWeekend(), "substitute %s on a weekend", h.Date)
				assert.Contains(t, h.Name, "대체공휴일(")
			}
		}
	}
	// 2024: 2, 2025: 3, 2026: 4, 2027: 7, 2028: 1, 2029: 3, 2030: 2.
	assert.Equal(t, 22, subs, "substitutes 2024–2030")
}

func TestKoreanHolidaysOptionsAndRange(t *testing.T) {
	t.Parallel()
	all := NewKoreanPublicHolidays()
	noElections := NewKoreanPublicHolidays(ExcludeElectionDays())
	noLabour := NewKoreanPublicHolidays(ExcludeLabourDay(), nil)
	assert.True(t, all.IsClosed(d(2024, 4, 10)))
	assert.False(t, noElections.IsClosed(d(2024, 4, 10)))
	assert.True(t, all.IsClosed(d(2027, 5, 3)))
	assert.False(t, noLabour.IsClosed(d(2027, 5, 1)))
	assert.False(t, noLabour.IsClosed(d(2027, 5, 3)), "no 노동절, no substitute")
	assert.False(t, all.IsClosed(d(2025, 5, 1)), "노동절 is not a public holiday before 2026")
	assert.False(t, all.IsClosed(d(2025, 7, 17)), "제헌절 is not a public holiday before 2026")

	assert.False(t, all.Covers(2023))
	assert.False(t, all.IsClosed(d(2031, 1, 1)), "outside the table nothing is closed")
	assert.Nil(t, all.Holidays(2031))
	assert.False(t, all.IsClosed(Date{Year: 2026, Month: 1, Day: 40}))
	assert.Nil(t, all.Lookup(d(2026, 1, 2)))
	both := all.Lookup(d(2025, 5, 5))
	require.Len(t, both, 2)
	assert.ElementsMatch(t, []string{"어린이날", "부처님오신날"}, []string{both[0].Name, both[1].Name})
	assert.Equal(t, "substitute", HolidaySubstitute.String())
}
