package subscription

import (
	"fmt"
	"strconv"
	"time"

	"github.com/kshop-dev/kshop"
)

// Cycle is a delivery cycle (배송주기). The 11 values are Cafe24's
// subscription_shipments_cycle codes (confirmed): 1W 2W 3W 4W 1M 2M 3M 4M 5M 6M 1Y.
// The zero Cycle is invalid.
type Cycle uint8

// The delivery cycles.
const (
	Cycle1W Cycle = iota + 1 // every week
	Cycle2W                  // every 2 weeks
	Cycle3W                  // every 3 weeks
	Cycle4W                  // every 4 weeks
	Cycle1M                  // every month
	Cycle2M                  // every 2 months
	Cycle3M                  // every 3 months
	Cycle4M                  // every 4 months
	Cycle5M                  // every 5 months
	Cycle6M                  // every 6 months
	Cycle1Y                  // every year
)

// AllCycles returns the 11 cycles in ascending length (a fresh slice each call).
func AllCycles() []Cycle {
	return []Cycle{Cycle1W, Cycle2W, Cycle3W, Cycle4W, Cycle1M, Cycle2M, Cycle3M, Cycle4M, Cycle5M, Cycle6M, Cycle1Y}
}

// Valid reports whether c is one of the 11 cycles.
func (c Cycle) Valid() bool { return c >= Cycle1W && c <= Cycle1Y }

// Weeks returns the cycle length in weeks for weekly cycles, else 0.
func (c Cycle) Weeks() int {
	if c >= Cycle1W && c <= Cycle4W {
		return int(c-Cycle1W) + 1
	}
	return 0
}

// Months returns the cycle length in months for monthly and yearly cycles, else 0.
func (c Cycle) Months() int {
	switch {
	case c >= Cycle1M && c <= Cycle6M:
		return int(c-Cycle1M) + 1
	case c == Cycle1Y:
		return 12
	}
	return 0
}

// String returns the Cafe24 code ("1W" … "1Y"), or "Cycle(n)" for an invalid value.
func (c Cycle) String() string {
	switch {
	case c.Weeks() > 0:
		return strconv.Itoa(c.Weeks()) + "W"
	case c == Cycle1Y:
		return "1Y"
	case c.Months() > 0:
		return strconv.Itoa(c.Months()) + "M"
	}
	return fmt.Sprintf("Cycle(%d)", uint8(c))
}

// ParseCycle parses a Cafe24 cycle code. The unit letter may be lower case ("2w");
// nothing else is accepted (no spaces, no "12M" for a year, no "0W").
func ParseCycle(s string) (Cycle, error) {
	if len(s) == 2 && s[0] >= '1' && s[0] <= '9' {
		n := int(s[0] - '0')
		switch s[1] {
		case 'W', 'w':
			if n <= 4 {
				return Cycle1W + Cycle(n-1), nil
			}
		case 'M', 'm':
			if n <= 6 {
				return Cycle1M + Cycle(n-1), nil
			}
		case 'Y', 'y':
			if n == 1 {
				return Cycle1Y, nil
			}
		}
	}
	return 0, invalidArg("subscription.ParseCycle", "Cycle", kshop.RuleFormat, "want one of 1W 2W 3W 4W 1M 2M 3M 4M 5M 6M 1Y")
}

// MarshalText implements encoding.TextMarshaler.
func (c Cycle) MarshalText() ([]byte, error) {
	if !c.Valid() {
		return nil, invalidArg("subscription.Cycle.MarshalText", "Cycle", kshop.RuleRange, "not one of the 11 cycles")
	}
	return []byte(c.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Cycle) UnmarshalText(b []byte) error {
	v, err := ParseCycle(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// AddTo returns the n-th delivery date of a schedule anchored at anchor (n = 0 is the
// anchor itself). Weekly cycles add 7·w·n days. Monthly and yearly cycles add months and
// clamp to the month end while keeping the anchor's day for later months, the way Stripe
// bills a Jan 31 anchor: Jan 31 → Feb 28 (Feb 29 in a leap year) → Mar 31 → Apr 30.
// A 1Y cycle anchored on Feb 29 gives Feb 28 in common years and Feb 29 again in leap years.
// An invalid cycle returns anchor unchanged.
func (c Cycle) AddTo(anchor Date, n int) Date {
	return c.addKeepingDay(anchor, anchor.Day, n)
}

// addKeepingDay is AddTo for a schedule whose intended day of month (anchorDay, 1–31) may
// differ from anchor.Day because anchor itself was clamped (a re-anchored schedule).
func (c Cycle) addKeepingDay(anchor Date, anchorDay, n int) Date {
	if w := c.Weeks(); w > 0 {
		return anchor.AddDays(7 * w * n)
	}
	months := c.Months()
	if months == 0 {
		return anchor
	}
	total := int64(anchor.Year)*12 + int64(anchor.Month-1) + int64(months)*int64(n)
	y := int(floorDiv(total, 12))
	m := int(total-int64(y)*12) + 1
	day := anchorDay
	if dim := daysIn(y, time.Month(m)); day > dim {
		day = dim
	}
	return Date{Year: y, Month: time.Month(m), Day: day}
}
