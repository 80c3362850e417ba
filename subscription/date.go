package subscription

import (
	"fmt"
	"strconv"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Date is a civil date in Korea (year, month, day) with no time of day and no zone, so
// that "the delivery date" can never shift by a day through a time-zone conversion.
//
// The zero Date is not a valid date; see Valid. Dates compare with Compare, Before and After
// (or == for equality, as Date is comparable).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d, or a *kshop.ValidationError when it does not exist
// (e.g. 2026-02-29) or lies outside years 1–9999.
func NewDate(y int, m time.Month, d int) (Date, error) {
	dt := Date{Year: y, Month: m, Day: d}
	if !dt.Valid() {
		return Date{}, invalidArg("subscription.NewDate", "Date", kshop.RuleRange, "no such date in years 1–9999")
	}
	return dt, nil
}

// DateOf returns the Korean calendar date of instant t (t is converted to KST first).
func DateOf(t time.Time) Date {
	y, m, d := t.In(wire.KST).Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses "YYYY-MM-DD". It returns a *kshop.ValidationError for any other form or
// for a date that does not exist.
func ParseDate(s string) (Date, error) {
	const op = "subscription.ParseDate"
	bad := func(reason string) (Date, error) {
		return Date{}, invalidArg(op, "Date", kshop.RuleFormat, reason)
	}
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return bad("want the form YYYY-MM-DD")
	}
	for i := 0; i < len(s); i++ {
		if i != 4 && i != 7 && (s[i] < '0' || s[i] > '9') {
			return bad("want the form YYYY-MM-DD")
		}
	}
	y, _ := strconv.Atoi(s[0:4])
	m, _ := strconv.Atoi(s[5:7])
	d, _ := strconv.Atoi(s[8:10])
	dt := Date{Year: y, Month: time.Month(m), Day: d}
	if !dt.Valid() {
		return Date{}, invalidArg(op, "Date", kshop.RuleRange, "no such date in years 1–9999")
	}
	return dt, nil
}

// Valid reports whether the date exists in the proleptic Gregorian calendar and lies in
// years 1..9999.
func (d Date) Valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < time.January || d.Month > time.December {
		return false
	}
	return d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats the date as "YYYY-MM-DD".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText implements encoding.TextMarshaler ("YYYY-MM-DD").
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler ("YYYY-MM-DD").
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is strictly after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// AddDays returns the date n days after d (n may be negative).
func (d Date) AddDays(n int) Date { return dateFromDays(d.days() + int64(n)) }

// DaysUntil returns the number of days from d to e (negative when e is before d).
func (d Date) DaysUntil(e Date) int { return int(e.days() - d.days()) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	w := (d.days() + 4) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// IsWeekend reports whether d is a Saturday or a Sunday.
func (d Date) IsWeekend() bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}

// At returns the instant at time of day t on date d, in KST.
func (d Date) At(t TimeOfDay) time.Time {
	return time.Date(d.Year, d.Month, d.Day, t.Hour, t.Minute, 0, 0, wire.KST)
}

// daysIn returns the number of days in month m of year y (0 for an invalid month).
func daysIn(y int, m time.Month) int {
	switch m {
	case time.January, time.March, time.May, time.July, time.August, time.October, time.December:
		return 31
	case time.April, time.June, time.September, time.November:
		return 30
	case time.February:
		if isLeapYear(y) {
			return 29
		}
		return 28
	}
	return 0
}

// isLeapYear reports whether y is a Gregorian leap year (2028 is; 2100 is not).
func isLeapYear(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// days returns the number of days since 1970-01-01 (civil-from-days arithmetic, after
// Howard Hinnant's public-domain algorithms; valid for the whole int range we accept).
func (d Date) days() int64 {
	y := int64(d.Year)
	m := int64(d.Month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + int64(d.Day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func dateFromDays(z int64) Date {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{Year: int(y), Month: time.Month(m), Day: int(d)}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TimeOfDay is a wall-clock time in KST (hour 0–23, minute 0–59), such as the 10:00 and
// 17:00 billing retries.
type TimeOfDay struct {
	Hour   int
	Minute int
}

// Clock returns the TimeOfDay h:m. Use Valid to check it.
func Clock(h, m int) TimeOfDay { return TimeOfDay{Hour: h, Minute: m} }

// Valid reports whether t is a real time of day.
func (t TimeOfDay) Valid() bool { return t.Hour >= 0 && t.Hour < 24 && t.Minute >= 0 && t.Minute < 60 }

// String formats t as "HH:MM".
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour, t.Minute) }

func (t TimeOfDay) minutes() int { return t.Hour*60 + t.Minute }

// TimeSource tells the current instant. Inject a fake in tests; by default the rules read the
// machine clock.
type TimeSource interface {
	Now() time.Time
}

// TimeFunc adapts a function to TimeSource.
type TimeFunc func() time.Time

// Now calls f.
func (f TimeFunc) Now() time.Time { return f() }

// systemTime is the default TimeSource: the machine clock. It is the only place this
// package reads the wall clock.
type systemTime struct{}

func (systemTime) Now() time.Time { return time.Now() }
