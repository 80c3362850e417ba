package alimtalk

import (
	"fmt"
	"time"

	"github.com/kshop-dev/kshop/internal/wire"
)

// TimeOfDay is a wall-clock time in KST.
type TimeOfDay struct {
	// Hour is 0–23 and Minute 0–59.
	Hour, Minute int
}

// String returns "HH:MM".
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour, t.Minute) }

func (t TimeOfDay) valid() bool {
	return t.Hour >= 0 && t.Hour <= 23 && t.Minute >= 0 && t.Minute <= 59
}

func (t TimeOfDay) minutes() int { return t.Hour*60 + t.Minute }

// on returns the instant of t on the KST calendar day of day, plus addDays days.
func (t TimeOfDay) on(day time.Time, addDays int) time.Time {
	d := day.In(wire.KST)
	return time.Date(d.Year(), d.Month(), d.Day()+addDays, t.Hour, t.Minute, 0, 0, wire.KST)
}

// QuietHours holds night sends for the morning: a message due at or after Start and before
// End (KST) is reserved for End. Start after End crosses midnight (21:00–08:00). Start equal
// to End (the zero value) means no quiet hours.
//
// AlimTalk carries information, not advertising, so the law's night-time ban on advertising
// messages (21:00–08:00, 정보통신망법 제50조) does not apply to it; shops still prefer not to
// wake customers, which is why Godomall offers reserved sending.
type QuietHours struct {
	// Start and End bound the window, [Start, End), in KST.
	Start, End TimeOfDay
	// Operators also holds the operator copies; by default only customers' messages wait.
	Operators bool
}

// DefaultQuietHours returns 21:00–08:00, the night-time window of the advertising rule,
// for customers only.
func DefaultQuietHours() QuietHours {
	return QuietHours{Start: TimeOfDay{Hour: 21}, End: TimeOfDay{Hour: 8}}
}

// Enabled reports whether the window is non-empty.
func (q QuietHours) Enabled() bool { return q.Start != q.End }

// Contains reports whether t falls inside the window.
func (q QuietHours) Contains(t time.Time) bool {
	if !q.Enabled() {
		return false
	}
	k := t.In(wire.KST)
	m := k.Hour()*60 + k.Minute()
	s, e := q.Start.minutes(), q.End.minutes()
	if s < e {
		return m >= s && m < e
	}
	return m >= s || m < e
}

// release returns t when it is outside the window, or the end of the window t falls in.
func (q QuietHours) release(t time.Time) time.Time {
	if !q.Contains(t) {
		return t
	}
	end := q.End.on(t, 0)
	if end.Before(t) {
		end = end.AddDate(0, 0, 1)
	}
	return end
}

// TimingMode says when an event's message goes out.
type TimingMode int

// Timing modes: Godomall's 즉시발송 (immediate) and 예약발송 (reserved).
const (
	// TimingImmediate sends at once (subject to quiet hours).
	TimingImmediate TimingMode = iota
	// TimingDelay reserves the send Delay after the event occurred.
	TimingDelay
	// TimingAt reserves the send for At (KST) Days days after the event's date; with Days 0,
	// the same day, or the next day when At has already passed.
	TimingAt
)

// Timing is when an event's messages are sent.
type Timing struct {
	// Mode is immediate, after a delay, or at a time of day.
	Mode TimingMode
	// Delay is the wait after the event (TimingDelay).
	Delay time.Duration
	// Days and At are the reserved day and time (TimingAt): Days 1, At 10:00 is "the next
	// morning at ten".
	Days int
	// At is the time of day of TimingAt (see Days).
	At TimeOfDay
	// IgnoreQuietHours sends even inside quiet hours (a password-change notice should not
	// wait for the morning).
	IgnoreQuietHours bool
}

// Immediate is the timing of Godomall's 즉시발송.
func Immediate() Timing { return Timing{} }

// After reserves the send d after the event.
func After(d time.Duration) Timing { return Timing{Mode: TimingDelay, Delay: d} }

// AtTime reserves the send for hour:minute KST, days days after the event's date.
func AtTime(days, hour, minute int) Timing {
	return Timing{Mode: TimingAt, Days: days, At: TimeOfDay{Hour: hour, Minute: minute}}
}

func (t Timing) validate(field string, errs []*FieldError) []*FieldError {
	switch t.Mode {
	case TimingImmediate:
	case TimingDelay:
		if t.Delay < 0 {
			errs = append(errs, &FieldError{Key: field + ".delay", Reason: ReasonInvalid, Detail: "must not be negative"})
		}
	case TimingAt:
		if t.Days < 0 {
			errs = append(errs, &FieldError{Key: field + ".days", Reason: ReasonInvalid, Detail: "must not be negative"})
		}
		if !t.At.valid() {
			errs = append(errs, &FieldError{Key: field + ".at", Reason: ReasonInvalid, Detail: "hour 0-23, minute 0-59"})
		}
	default:
		errs = append(errs, &FieldError{Key: field + ".mode", Reason: ReasonInvalid})
	}
	return errs
}

// schedule returns when a message for an event that occurred at occurred should go out,
// given the clock's now: the zero time for "now", else a KST instant after now. Retrying a
// dispatch later gives the same instant as long as it is still in the future.
func schedule(t Timing, q QuietHours, applyQuiet bool, occurred, now time.Time) time.Time {
	at := now
	switch t.Mode {
	case TimingDelay:
		at = occurred.Add(t.Delay)
	case TimingAt:
		at = t.At.on(occurred, t.Days)
		if at.Before(occurred) {
			at = at.AddDate(0, 0, 1)
		}
	}
	if at.Before(now) {
		at = now
	}
	if applyQuiet && !t.IgnoreQuietHours {
		at = q.release(at)
	}
	if !at.After(now) {
		return time.Time{}
	}
	return at.In(wire.KST)
}
