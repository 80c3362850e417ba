package subscription

import (
	"slices"
	"time"

	"github.com/kshop-dev/kshop"
)

// Calendar tells which days a shop does not deliver (closed days). Delivery dates that fall
// on a closed day are moved by the ClosedDayPolicy, and business-day offsets skip them.
//
// Implementations must be safe for concurrent use: a Rules value shares one Calendar among
// all its subscriptions and the planner reads it from many goroutines. Every calendar of
// this package is immutable after construction.
type Calendar interface {
	IsClosed(d Date) bool
}

// CalendarFunc adapts a function to Calendar.
type CalendarFunc func(d Date) bool

// IsClosed calls f.
func (f CalendarFunc) IsClosed(d Date) bool { return f(d) }

// Weekends returns a Calendar closed on Saturdays and Sundays.
func Weekends() Calendar { return weekendCalendar{} }

type weekendCalendar struct{}

func (weekendCalendar) IsClosed(d Date) bool { return d.IsWeekend() }

// Union returns a Calendar closed on a day when any of cals is closed. Nil entries are
// ignored.
func Union(cals ...Calendar) Calendar {
	u := make(unionCalendar, 0, len(cals))
	for _, c := range cals {
		if c != nil {
			u = append(u, c)
		}
	}
	return u
}

type unionCalendar []Calendar

func (u unionCalendar) IsClosed(d Date) bool {
	for _, c := range u {
		if c.IsClosed(d) {
			return true
		}
	}
	return false
}

// ShopClosedDays is a shop's own closed-day calendar: fixed weekdays (e.g. every Sunday)
// and specific dates (summer break, "택배 없는 날", and temporary public holidays
// (임시공휴일), which the government decrees at short notice and no built-in table can
// predict). It is immutable and safe for concurrent use.
type ShopClosedDays struct {
	weekdays [7]bool
	dates    map[Date]struct{}
}

// NewShopClosedDays builds a shop calendar. It refuses invalid dates and a set of weekdays
// that closes the whole week (nothing could ever be delivered).
func NewShopClosedDays(weekdays []time.Weekday, dates []Date) (*ShopClosedDays, error) {
	s := &ShopClosedDays{dates: make(map[Date]struct{}, len(dates))}
	var p problems
	closed := 0
	for i, w := range weekdays {
		if w < time.Sunday || w > time.Saturday {
			p.arg(index("weekdays", i), kshop.RuleRange, "time.Sunday–time.Saturday")
			continue
		}
		if !s.weekdays[w] {
			closed++
		}
		s.weekdays[w] = true
	}
	if closed == 7 {
		p.arg("weekdays", kshop.RuleNotAllowed, "every weekday is closed: nothing could be delivered")
	}
	for i, d := range dates {
		if !d.Valid() {
			p.arg(index("dates", i), kshop.RuleRange, "no such date")
			continue
		}
		s.dates[d] = struct{}{}
	}
	if err := p.err("subscription.NewShopClosedDays"); err != nil {
		return nil, err
	}
	return s, nil
}

// IsClosed reports whether d is one of the closed weekdays or closed dates.
func (s *ShopClosedDays) IsClosed(d Date) bool {
	if s == nil {
		return false
	}
	if s.weekdays[d.Weekday()] {
		return true
	}
	_, ok := s.dates[d]
	return ok
}

// Dates returns the closed dates in ascending order.
func (s *ShopClosedDays) Dates() []Date {
	if s == nil {
		return nil
	}
	out := make([]Date, 0, len(s.dates))
	for d := range s.dates {
		out = append(out, d)
	}
	slices.SortFunc(out, Date.Compare)
	return out
}

// maxCalendarSearch bounds every walk over a calendar (next open day, business-day
// offsets), so that a calendar closed on every day cannot hang the package.
const maxCalendarSearch = 400

// nextOpenDay returns the first day on or after d that cal does not close. If none is
// found within maxCalendarSearch days, it returns d and false.
func nextOpenDay(cal Calendar, d Date) (Date, bool) {
	if cal == nil {
		return d, true
	}
	for i := 0; i < maxCalendarSearch; i++ {
		day := d.AddDays(i)
		if !cal.IsClosed(day) {
			return day, true
		}
	}
	return d, false
}

// subtractBusinessDays returns the date n business days before d, where a business day
// is neither a Saturday, a Sunday nor a day cal closes (Godomall counts "2 days before,
// weekends excluded"). n <= 0 returns d. If the walk exceeds maxCalendarSearch days it
// falls back to n calendar days.
func subtractBusinessDays(cal Calendar, d Date, n int) Date {
	if n <= 0 {
		return d
	}
	day := d
	for i, found := 0, 0; i < maxCalendarSearch; i++ {
		day = day.AddDays(-1)
		if day.IsWeekend() || (cal != nil && cal.IsClosed(day)) {
			continue
		}
		found++
		if found == n {
			return day
		}
	}
	return d.AddDays(-n)
}
