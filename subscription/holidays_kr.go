package subscription

import (
	"cmp"
	"slices"
	"time"
)

// HolidayKind classifies a Korean public holiday.
type HolidayKind uint8

// Holiday kinds.
const (
	// HolidayRegular is a public holiday named by the 공휴일에 관한 법률 / 관공서의 공휴일에 관한 규정.
	HolidayRegular HolidayKind = iota + 1
	// HolidaySubstitute is a substitute holiday (대체공휴일), computed by rule.
	HolidaySubstitute
	// HolidayElection is a national election day (선거일), a statutory holiday.
	HolidayElection
)

// String returns "regular", "substitute" or "election".
func (k HolidayKind) String() string {
	switch k {
	case HolidayRegular:
		return "regular"
	case HolidaySubstitute:
		return "substitute"
	case HolidayElection:
		return "election"
	}
	return "unknown"
}

// Holiday is one public holiday: its date, its Korean name and its kind.
type Holiday struct {
	Date Date
	Name string
	Kind HolidayKind
}

// substituteRule says when a holiday earns a substitute day.
type substituteRule uint8

const (
	subNone    substituteRule = iota // 1월 1일, 현충일, election days
	subWeekend                       // on a Saturday, a Sunday or another holiday
	subBlock                         // Seollal/Chuseok days: on a Sunday or another holiday
)

type baseHoliday struct {
	Holiday
	rule     substituteRule
	blockEnd Date   // last day of the Seollal/Chuseok block, for subBlock
	group    string // name used in "대체공휴일(…)"
}

// KoreanHolidayOption adjusts the built-in Korean calendar.
type KoreanHolidayOption func(*koreanHolidayConfig)

type koreanHolidayConfig struct {
	noElections bool
	noLabourDay bool
}

// ExcludeElectionDays leaves national election days out (for shops that deliver on them).
func ExcludeElectionDays() KoreanHolidayOption {
	return func(c *koreanHolidayConfig) { c.noElections = true }
}

// ExcludeLabourDay leaves 노동절 (May 1, a public holiday from 2026) and its substitutes out.
func ExcludeLabourDay() KoreanHolidayOption {
	return func(c *koreanHolidayConfig) { c.noLabourDay = true }
}

// KoreanPublicHolidays is the built-in calendar of South Korean public holidays for
// 2024–2030 (Covers tells whether a year is in it), closed on:
//
//   - 1월 1일; 설날 (3 days); 3·1절; 노동절 (May 1, from 2026); 어린이날; 부처님오신날;
//     현충일; 제헌절 (July 17, again a public holiday from 2026); 광복절; 추석 (3 days);
//     개천절; 한글날; 기독탄신일;
//   - national election days (see below);
//   - substitute holidays (대체공휴일), computed by rule from the table, not hard-coded:
//     a Seollal or Chuseok day on a Sunday or on another holiday gives one substitute, the
//     first weekday after the 3-day block that is not a holiday; 3·1절, 노동절, 어린이날,
//     부처님오신날, 제헌절, 광복절, 개천절, 한글날 and 기독탄신일 on a Saturday, a Sunday or
//     another holiday give the first following weekday that is not a holiday. A date carrying
//     two holidays gives one substitute (2025-05-05, 어린이날 and 부처님오신날 → 05-06).
//     1월 1일, 현충일 and election days never give one.
//
// Decisions (see the package documentation for sources): 제헌절 takes substitutes like
// the other national days, as KASI's 2027 almanac lists 2027-07-19 대체공휴일(제헌절);
// 노동절 is included from 2026 with weekend substitutes (2027-05-03 in the 2027 almanac).
// Substitutes never fall on a Saturday. Temporary holidays (임시공휴일, e.g. 2024-10-01,
// 2025-01-27) are decreed ad hoc and are not included: add them with ShopClosedDays and
// Union. Outside 2024–2030 nothing is closed; check Covers.
//
// It is immutable and safe for concurrent use; IsClosed is a bit test.
type KoreanPublicHolidays struct {
	years [lastHolidayYear - firstHolidayYear + 1]holidayYear
}

type holidayYear struct {
	closed [13]uint32 // bit d of closed[m] set when day d of month m is closed
	list   []Holiday
}

// NewKoreanPublicHolidays builds the calendar.
func NewKoreanPublicHolidays(opts ...KoreanHolidayOption) *KoreanPublicHolidays {
	var cfg koreanHolidayConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	k := &KoreanPublicHolidays{}
	for y := firstHolidayYear; y <= lastHolidayYear; y++ {
		yh := &k.years[y-firstHolidayYear]
		yh.list = computeKoreanHolidays(y, cfg)
		for _, h := range yh.list {
			if h.Date.Year == y {
				yh.closed[h.Date.Month] |= 1 << uint(h.Date.Day)
			}
		}
	}
	return k
}

// Covers reports whether year y is in the built-in table.
func (k *KoreanPublicHolidays) Covers(y int) bool {
	return y >= firstHolidayYear && y <= lastHolidayYear
}

// IsClosed reports whether d is a public holiday (including substitutes and election
// days). Weekends are not included; combine with Weekends() when needed.
func (k *KoreanPublicHolidays) IsClosed(d Date) bool {
	if !k.Covers(d.Year) || d.Month < time.January || d.Month > time.December || d.Day < 1 || d.Day > 31 {
		return false
	}
	return k.years[d.Year-firstHolidayYear].closed[d.Month]&(1<<uint(d.Day)) != 0
}

// Lookup returns the holidays on d (several when they coincide, e.g. 2025-05-05).
func (k *KoreanPublicHolidays) Lookup(d Date) []Holiday {
	if !k.IsClosed(d) {
		return nil
	}
	var out []Holiday
	for _, h := range k.years[d.Year-firstHolidayYear].list {
		if h.Date == d {
			out = append(out, h)
		}
	}
	return out
}

// Holidays returns the holidays of year y sorted by date (a fresh slice), or nil when y is
// not covered.
func (k *KoreanPublicHolidays) Holidays(y int) []Holiday {
	if !k.Covers(y) {
		return nil
	}
	return slices.Clone(k.years[y-firstHolidayYear].list)
}

// computeKoreanHolidays applies the rules of the type comment to the table row of year y.
func computeKoreanHolidays(y int, cfg koreanHolidayConfig) []Holiday {
	seollal, buddha, chuseok, ok := lunarHolidays(y)
	if !ok {
		return nil
	}
	d := func(m time.Month, day int) Date { return Date{Year: y, Month: m, Day: day} }
	var base []baseHoliday
	add := func(date Date, name string, rule substituteRule) {
		base = append(base, baseHoliday{Holiday: Holiday{Date: date, Name: name, Kind: HolidayRegular}, rule: rule, group: name})
	}
	block := func(day Date, name string) {
		end := day.AddDays(1)
		for i, n := range []string{name + " 전날", name, name + " 다음 날"} {
			base = append(base, baseHoliday{
				Holiday: Holiday{Date: day.AddDays(i - 1), Name: n, Kind: HolidayRegular},
				rule:    subBlock, blockEnd: end, group: name,
			})
		}
	}

	add(d(time.January, 1), "1월 1일", subNone)
	block(seollal, "설날")
	add(d(time.March, 1), "3·1절", subWeekend)
	if y >= 2026 && !cfg.noLabourDay {
		add(d(time.May, 1), "노동절", subWeekend)
	}
	add(d(time.May, 5), "어린이날", subWeekend)
	add(buddha, "부처님오신날", subWeekend)
	add(d(time.June, 6), "현충일", subNone)
	if y >= 2026 {
		add(d(time.July, 17), "제헌절", subWeekend)
	}
	add(d(time.August, 15), "광복절", subWeekend)
	block(chuseok, "추석")
	add(d(time.October, 3), "개천절", subWeekend)
	add(d(time.October, 9), "한글날", subWeekend)
	add(d(time.December, 25), "기독탄신일", subWeekend)
	if !cfg.noElections {
		for _, e := range electionDays(y) {
			base = append(base, baseHoliday{Holiday: e, rule: subNone, group: e.Name})
		}
	}

	slices.SortStableFunc(base, func(a, b baseHoliday) int { return a.Date.Compare(b.Date) })
	taken := make(map[Date]bool, len(base)+4)
	for _, h := range base {
		taken[h.Date] = true
	}
	out := make([]Holiday, 0, len(base)+4)
	for i := 0; i < len(base); {
		j := i
		for j < len(base) && base[j].Date == base[i].Date {
			j++
		}
		sameDay := base[i:j]
		if sub, ok := substituteFor(sameDay, taken); ok {
			taken[sub.Date] = true
			out = append(out, sub)
		}
		for _, h := range sameDay {
			out = append(out, h.Holiday)
		}
		i = j
	}
	slices.SortStableFunc(out, func(a, b Holiday) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Kind, b.Kind))
	})
	return out
}

// substituteFor decides whether the holidays sharing one date earn a substitute, and where.
func substituteFor(sameDay []baseHoliday, taken map[Date]bool) (Holiday, bool) {
	day := sameDay[0].Date
	overlap := len(sameDay) > 1
	trigger, from, group := false, day, ""
	for _, h := range sameDay {
		switch h.rule {
		case subBlock:
			if day.Weekday() == time.Sunday || overlap {
				trigger = true
				if h.blockEnd.After(from) {
					from = h.blockEnd
				}
				group = h.group // a block names the substitute (the law counts it after the block)
			}
		case subWeekend:
			if day.IsWeekend() || overlap {
				trigger = true
				if group == "" {
					group = h.group
				}
			}
		}
	}
	if !trigger {
		return Holiday{}, false
	}
	s := from.AddDays(1)
	for s.IsWeekend() || taken[s] {
		s = s.AddDays(1)
	}
	return Holiday{Date: s, Name: "대체공휴일(" + group + ")", Kind: HolidaySubstitute}, true
}
