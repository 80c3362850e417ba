package subscription

import (
	"slices"
	"time"

	"github.com/kshop-dev/kshop"
)

// OffsetMode says how the notice and charge offsets count days.
type OffsetMode uint8

// Offset modes.
const (
	// CalendarDays counts every day (Cafe24: notice 2 days, charge 1 day before delivery).
	CalendarDays OffsetMode = iota
	// BusinessDays skips Saturdays, Sundays and the Rules calendar's closed days (Godomall
	// creates recurring orders "2 days before the delivery date, weekends excluded").
	BusinessDays
)

// String returns "calendar days" or "business days".
func (m OffsetMode) String() string {
	if m == BusinessDays {
		return "business days"
	}
	return "calendar days"
}

// ClosedDayPolicy says what happens to a delivery date that falls on a closed day
// (Makeshop's "skip rule"; its example: due 8/31 on a 2-week cycle, 8/31 and 9/1 closed →
// 9/2 under NextOpenDay, 9/14 under NextCycle).
type ClosedDayPolicy uint8

// Closed-day policies.
const (
	// NextOpenDay moves the delivery to the first open day after it. When the moved date
	// reaches or passes the next round's date, that next round is skipped: only one of the
	// two colliding rounds is delivered (Makeshop).
	NextOpenDay ClosedDayPolicy = iota
	// NextCycle skips the round (status skipped); the next delivery is the next cycle date.
	NextCycle
)

// String returns "next open day" or "next cycle".
func (p ClosedDayPolicy) String() string {
	if p == NextCycle {
		return "next cycle"
	}
	return "next open day"
}

// ExhaustionPolicy says what happens when every billing retry of a round failed.
type ExhaustionPolicy uint8

// Exhaustion policies.
const (
	// ContinueNextRound marks the round failed and schedules the next one (inferred from
	// Cafe24, where a failed round used to be skipped to the next one).
	ContinueNextRound ExhaustionPolicy = iota
	// FailSubscription marks the round failed and the subscription failed (Shopify FAILED).
	FailSubscription
)

// String returns "continue with the next round" or "fail the subscription".
func (p ExhaustionPolicy) String() string {
	if p == FailSubscription {
		return "fail the subscription"
	}
	return "continue with the next round"
}

// RetrySchedule says when a failed charge is tried again: at each of Times on each of
// Days consecutive days, starting on the day of the first failure, at instants after that
// failure. The default (DefaultRetrySchedule) is Cafe24's 10:00 and 17:00 for 3 days
// (Cafe24 notice 2023-03-02, confirmed); with the default 09:00 charge this gives six
// retries. Days = 0 disables retries.
type RetrySchedule struct {
	Times []TimeOfDay
	Days  int
}

// DefaultRetrySchedule returns 10:00 and 17:00 KST for 3 days.
func DefaultRetrySchedule() RetrySchedule {
	return RetrySchedule{Times: []TimeOfDay{Clock(10, 0), Clock(17, 0)}, Days: 3}
}

// maxRetryDays bounds RetrySchedule.Days; maxRetryTimes bounds RetrySchedule.Times.
const (
	maxRetryDays  = 14
	maxRetryTimes = 24
)

// normalized validates and returns a copy with sorted, distinct times.
func (rs RetrySchedule) normalized() (RetrySchedule, error) {
	var p problems
	p.rangeInt("RetrySchedule.Days", rs.Days, 0, maxRetryDays)
	if rs.Days > 0 && len(rs.Times) == 0 {
		p.add("RetrySchedule.Times", kshop.RuleRequired, "at least one time of day when Days > 0")
	}
	if len(rs.Times) > maxRetryTimes {
		fe := p.add("RetrySchedule.Times", kshop.RuleTooMany, "")
		fe.Limit, fe.Got = maxRetryTimes, len(rs.Times)
	} else {
		for i, t := range rs.Times {
			if !t.Valid() {
				p.add(index("RetrySchedule.Times", i), kshop.RuleRange, "00:00–23:59")
			}
		}
	}
	if err := p.err("subscription.WithRetrySchedule"); err != nil {
		return RetrySchedule{}, err
	}
	out := RetrySchedule{Days: rs.Days, Times: slices.Clone(rs.Times)}
	slices.SortFunc(out.Times, func(a, b TimeOfDay) int { return a.minutes() - b.minutes() })
	out.Times = slices.Compact(out.Times)
	return out, nil
}

// skipped counts the slots of the first day that are not after firstFailure.
func (rs RetrySchedule) skipped(firstFailure time.Time) int {
	day0 := DateOf(firstFailure)
	skip := 0
	for _, t := range rs.Times {
		if !day0.At(t).After(firstFailure) {
			skip++
		}
	}
	return skip
}

// count returns how many retries follow a first failure at firstFailure.
func (rs RetrySchedule) count(firstFailure time.Time) int {
	if rs.Days <= 0 || len(rs.Times) == 0 {
		return 0
	}
	return rs.Days*len(rs.Times) - rs.skipped(firstFailure)
}

// slot returns the instant of retry number i (0-based) after a first failure at
// firstFailure, or false when the schedule has fewer retries. Times must be sorted, as
// Rules keeps them.
func (rs RetrySchedule) slot(firstFailure time.Time, i int) (time.Time, bool) {
	if i < 0 || i >= rs.count(firstFailure) {
		return time.Time{}, false
	}
	g := rs.skipped(firstFailure) + i
	day := DateOf(firstFailure).AddDays(g / len(rs.Times))
	return day.At(rs.Times[g%len(rs.Times)]), true
}

// Rules are the shop-wide scheduling rules shared by subscriptions: clock, notice and
// charge offsets and times, closed days, billing retries. Build them with NewRules; a
// *Rules is immutable and safe for concurrent use.
type Rules struct {
	now          TimeSource
	noticeOffset int
	chargeOffset int
	mode         OffsetMode
	calendar     Calendar
	closedPolicy ClosedDayPolicy
	noticeTime   TimeOfDay
	chargeTime   TimeOfDay
	retry        RetrySchedule
	exhaustion   ExhaustionPolicy
}

// Defaults of NewRules.
const (
	// defaultNoticeOffset: the payment notice (mail + SMS) goes 2 days before delivery
	// (Cafe24 정기배송(정기결제) FAQ and Cafe24 support article 18598210344857).
	defaultNoticeOffset = 2
	// defaultChargeOffset: the card is charged 1 day before delivery (Cafe24, confirmed).
	defaultChargeOffset = 1
	// maxNoticeOffset bounds the notice offset.
	maxNoticeOffset = 10
)

// defaultNoticeTime and defaultChargeTime are 09:00 KST. Cafe24 does not publish the hour
// (inferred; the Godomall 정기결제 manual says "in the morning").
var defaultNoticeTime, defaultChargeTime = TimeOfDay{Hour: 9}, TimeOfDay{Hour: 9}

// Option configures NewRules. Options validate their arguments.
type Option func(*Rules) error

// NewRules returns rules with the defaults (Cafe24 calendar-day offsets 2 and 1, 09:00
// notice and charge, no closed days, next-open-day policy, 10:00/17:00 × 3 days retries,
// continue with the next round after exhaustion) changed by opts.
func NewRules(opts ...Option) (*Rules, error) {
	r := &Rules{
		now:          systemTime{},
		noticeOffset: defaultNoticeOffset,
		chargeOffset: defaultChargeOffset,
		noticeTime:   defaultNoticeTime,
		chargeTime:   defaultChargeTime,
		retry:        DefaultRetrySchedule(),
	}
	// Every option runs, so one call reports every bad option.
	var p problems
	for _, o := range opts {
		if o != nil {
			p.merge("Option", o(r))
		}
	}
	if p.empty() && r.chargeOffset >= r.noticeOffset {
		p.arg("WithChargeOffset", kshop.RuleConflict, "the charge must come after the notice: a smaller offset than WithNoticeOffset's")
	}
	if err := p.err("subscription.NewRules"); err != nil {
		return nil, err
	}
	return r, nil
}

// optionErr is the problem of one option's argument.
func optionErr(option string, rule kshop.Rule, detail string) error {
	return &kshop.FieldError{Field: option, Rule: rule, Detail: detail}
}

// WithTimeSource injects the clock (tests use a fake; the default is the machine clock).
func WithTimeSource(ts TimeSource) Option {
	return func(r *Rules) error {
		if ts == nil {
			return optionErr("WithTimeSource", kshop.RuleRequired, "")
		}
		r.now = ts
		return nil
	}
}

// WithNoticeOffset sets how many days before delivery the payment notice goes (1–10).
func WithNoticeOffset(days int) Option {
	return func(r *Rules) error {
		if days < 1 || days > maxNoticeOffset {
			return optionErr("WithNoticeOffset", kshop.RuleRange, "1–10 days")
		}
		r.noticeOffset = days
		return nil
	}
}

// WithChargeOffset sets how many days before delivery the card is charged (0 = on the
// delivery day); it must stay below the notice offset.
func WithChargeOffset(days int) Option {
	return func(r *Rules) error {
		if days < 0 || days >= maxNoticeOffset {
			return optionErr("WithChargeOffset", kshop.RuleRange, "0–9 days")
		}
		r.chargeOffset = days
		return nil
	}
}

// WithOffsetMode chooses calendar-day (default) or business-day offsets.
func WithOffsetMode(m OffsetMode) Option {
	return func(r *Rules) error {
		if m != CalendarDays && m != BusinessDays {
			return optionErr("WithOffsetMode", kshop.RuleRange, "CalendarDays or BusinessDays")
		}
		r.mode = m
		return nil
	}
}

// WithCalendar sets the shop's closed days (delivery dates and business days). Combine
// calendars with Union, e.g. Union(Weekends(), NewKoreanPublicHolidays(), shopDays).
func WithCalendar(c Calendar) Option {
	return func(r *Rules) error {
		r.calendar = c
		return nil
	}
}

// WithClosedDayPolicy chooses what a closed delivery date does (default NextOpenDay).
func WithClosedDayPolicy(p ClosedDayPolicy) Option {
	return func(r *Rules) error {
		if p != NextOpenDay && p != NextCycle {
			return optionErr("WithClosedDayPolicy", kshop.RuleRange, "NextOpenDay or NextCycle")
		}
		r.closedPolicy = p
		return nil
	}
}

// WithNoticeTime sets the KST time of day the notice becomes due (default 09:00, inferred).
func WithNoticeTime(t TimeOfDay) Option {
	return func(r *Rules) error {
		if !t.Valid() {
			return optionErr("WithNoticeTime", kshop.RuleRange, "00:00–23:59")
		}
		r.noticeTime = t
		return nil
	}
}

// WithChargeTime sets the KST time of day the charge becomes due (default 09:00, inferred).
func WithChargeTime(t TimeOfDay) Option {
	return func(r *Rules) error {
		if !t.Valid() {
			return optionErr("WithChargeTime", kshop.RuleRange, "00:00–23:59")
		}
		r.chargeTime = t
		return nil
	}
}

// WithRetrySchedule sets the billing retry schedule (default DefaultRetrySchedule).
func WithRetrySchedule(rs RetrySchedule) Option {
	return func(r *Rules) error {
		n, err := rs.normalized()
		if err != nil {
			return err
		}
		r.retry = n
		return nil
	}
}

// WithExhaustionPolicy chooses what follows a round whose retries all failed (default
// ContinueNextRound).
func WithExhaustionPolicy(p ExhaustionPolicy) Option {
	return func(r *Rules) error {
		if p != ContinueNextRound && p != FailSubscription {
			return optionErr("WithExhaustionPolicy", kshop.RuleRange, "ContinueNextRound or FailSubscription")
		}
		r.exhaustion = p
		return nil
	}
}

// Now returns the current instant of the rules' clock.
func (r *Rules) Now() time.Time { return r.now.Now() }

// Today returns the current KST date of the rules' clock.
func (r *Rules) Today() Date { return DateOf(r.now.Now()) }

// RoundDates are the dates of one cycle slot under the rules.
type RoundDates struct {
	// CycleIndex is the position on the cycle: the CycleIndex-th cycle date after the
	// schedule's anchor (0 = the anchor, i.e. the start date until the cycle changes).
	CycleIndex int
	// Nominal is the cycle date before any closed-day adjustment.
	Nominal Date
	// Delivery is the delivery date after the closed-day policy.
	Delivery Date
	// NoticeDate and ChargeDate are the days of the payment notice and the charge.
	NoticeDate Date
	ChargeDate Date
	// NoticeAt and ChargeAt are the instants (KST) they become due.
	NoticeAt time.Time
	ChargeAt time.Time
	// Skipped is set when the slot delivers nothing; SkipReason says why.
	Skipped    bool
	SkipReason SkipReason
}

// SkipReason says why a round was skipped.
type SkipReason uint8

// Skip reasons.
const (
	SkipNone      SkipReason = iota
	SkipByRequest            // the buyer or the shop skipped it
	SkipClosedDay            // NextCycle policy: the delivery date was closed
	SkipCollision            // NextOpenDay moved the previous delivery onto or past this one
)

// String names the reason.
func (s SkipReason) String() string {
	switch s {
	case SkipByRequest:
		return "skipped by request"
	case SkipClosedDay:
		return "closed delivery day"
	case SkipCollision:
		return "collides with the previous delivery"
	}
	return ""
}

// datesFor computes the dates of the cycle position whose cycle date is nominal. It marks
// the result skipped when the nominal date is closed and the policy is NextCycle.
func (r *Rules) datesFor(cycleIndex int, nominal Date) RoundDates {
	rd := RoundDates{CycleIndex: cycleIndex, Nominal: nominal, Delivery: nominal}
	if r.calendar != nil && r.calendar.IsClosed(nominal) {
		switch r.closedPolicy {
		case NextCycle:
			rd.Skipped, rd.SkipReason = true, SkipClosedDay
		default:
			// A calendar closed on every day for a year is ignored rather than stalling.
			rd.Delivery, _ = nextOpenDay(r.calendar, nominal)
		}
	}
	if r.mode == BusinessDays {
		rd.NoticeDate = subtractBusinessDays(r.calendar, rd.Delivery, r.noticeOffset)
		rd.ChargeDate = subtractBusinessDays(r.calendar, rd.Delivery, r.chargeOffset)
	} else {
		rd.NoticeDate = rd.Delivery.AddDays(-r.noticeOffset)
		rd.ChargeDate = rd.Delivery.AddDays(-r.chargeOffset)
	}
	rd.NoticeAt = rd.NoticeDate.At(r.noticeTime)
	rd.ChargeAt = rd.ChargeDate.At(r.chargeTime)
	return rd
}

// maxPreview bounds the slots one Preview lists.
const maxPreview = 1000

// Preview lists the first n slots of a schedule starting on start with cycle c, applying
// the closed-day policy and collisions exactly as subscriptions do (skipped slots are
// included and marked). It is for showing a buyer the upcoming dates; it ignores the
// clock.
func (r *Rules) Preview(start Date, c Cycle, n int) ([]RoundDates, error) {
	var p problems
	if !start.Valid() {
		p.arg("start", kshop.RuleRange, "no such date")
	}
	if !c.Valid() {
		p.arg("c", kshop.RuleRange, "not one of the 11 cycles")
	}
	if n < 0 || n > maxPreview {
		p.arg("n", kshop.RuleRange, "0–1000")
	}
	if err := p.err("subscription.Rules.Preview"); err != nil {
		return nil, err
	}
	out := make([]RoundDates, 0, n)
	var last Date
	for k := 0; k < n; k++ {
		rd := r.datesFor(k, c.AddTo(start, k))
		if !rd.Skipped && !last.IsZero() && !rd.Delivery.After(last) {
			rd.Skipped, rd.SkipReason = true, SkipCollision
		}
		if !rd.Skipped {
			last = rd.Delivery
		}
		out = append(out, rd)
	}
	return out, nil
}
