package subscription

import "time"

// The Korean public-holiday source data. Lunar holidays cannot be computed reliably
// without an astronomical model, so each year is a table row. Sources, cross-checked:
//   - KASI's 월력요항 (the official almanac) as published in hyunbinseo/holidays-kr
//     (public/2024.json … public/2027.json);
//   - python-holidays (vacanza/holidays) holidays/calendars/chinese.py together with its
//     Korean overrides (2027 Seollal is Feb 7 in Korea, Feb 6 in China; 2028 is Jan 27 vs
//     Jan 26), which also gives 2028–2030.
// Functions rather than package variables keep the data immutable.

// firstHolidayYear and lastHolidayYear bound the built-in Korean holiday table
// (KoreanPublicHolidays.Covers tells a caller).
const (
	firstHolidayYear = 2024
	lastHolidayYear  = 2030
)

// lunarHolidays returns the solar dates of 설날 (lunar 1/1), 부처님오신날 (lunar 4/8)
// and 추석 (lunar 8/15) in year y.
func lunarHolidays(y int) (seollal, buddha, chuseok Date, ok bool) {
	d := func(m time.Month, day int) Date { return Date{Year: y, Month: m, Day: day} }
	switch y {
	case 2024:
		return d(time.February, 10), d(time.May, 15), d(time.September, 17), true
	case 2025:
		return d(time.January, 29), d(time.May, 5), d(time.October, 6), true
	case 2026:
		return d(time.February, 17), d(time.May, 24), d(time.September, 25), true
	case 2027:
		return d(time.February, 7), d(time.May, 13), d(time.September, 15), true
	case 2028:
		return d(time.January, 27), d(time.May, 2), d(time.October, 3), true
	case 2029:
		return d(time.February, 13), d(time.May, 20), d(time.September, 22), true
	case 2030:
		return d(time.February, 3), d(time.May, 9), d(time.September, 12), true
	}
	return Date{}, Date{}, Date{}, false
}

// electionDays returns the national election days of year y that are statutory holidays
// (공직선거법 제34조; 관공서의 공휴일에 관한 규정 제2조). Included: elections that were held, and
// regular elections whose date the statute fixes (2028 National Assembly: first Wednesday
// from the 50th day before the term ends; 2030 local: first Wednesday from the 30th day
// before, moved a week because 2030-06-06 Memorial Day is the next day). Not included:
// the 2030 presidential election, whose date follows from the 2025 snap election and may
// change with a constitutional amendment; by-elections; any election not yet decreed.
// Callers add such days through ShopClosedDays.
func electionDays(y int) []Holiday {
	e := func(m time.Month, day int, name string) Holiday {
		return Holiday{Date: Date{Year: y, Month: m, Day: day}, Name: name, Kind: HolidayElection}
	}
	switch y {
	case 2024:
		return []Holiday{e(time.April, 10, "제22대 국회의원선거")}
	case 2025:
		return []Holiday{e(time.June, 3, "제21대 대통령선거")}
	case 2026:
		return []Holiday{e(time.June, 3, "제9회 전국동시지방선거")}
	case 2028:
		return []Holiday{e(time.April, 12, "제23대 국회의원선거")}
	case 2030:
		return []Holiday{e(time.June, 12, "제10회 전국동시지방선거")}
	}
	return nil
}
