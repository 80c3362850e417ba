package subscription

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
)

func TestNewRulesValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		opts  []Option
		field string
	}{
		{"nil clock", []Option{WithTimeSource(nil)}, "WithTimeSource"},
		{"notice 0", []Option{WithNoticeOffset(0)}, "WithNoticeOffset"},
		{"notice 11", []Option{WithNoticeOffset(11)}, "WithNoticeOffset"},
		{"charge negative", []Option{WithChargeOffset(-1)}, "WithChargeOffset"},
		{"charge not before notice", []Option{WithNoticeOffset(2), WithChargeOffset(2)}, "WithChargeOffset"},
		{"mode", []Option{WithOffsetMode(7)}, "WithOffsetMode"},
		{"policy", []Option{WithClosedDayPolicy(7)}, "WithClosedDayPolicy"},
		{"exhaustion", []Option{WithExhaustionPolicy(7)}, "WithExhaustionPolicy"},
		{"notice time", []Option{WithNoticeTime(Clock(24, 0))}, "WithNoticeTime"},
		{"charge time", []Option{WithChargeTime(Clock(9, 60))}, "WithChargeTime"},
		{"retry days", []Option{WithRetrySchedule(RetrySchedule{Days: 15, Times: []TimeOfDay{Clock(10, 0)}})}, "RetrySchedule.Days"},
		{"retry no times", []Option{WithRetrySchedule(RetrySchedule{Days: 1})}, "RetrySchedule.Times"},
		{"retry bad time", []Option{WithRetrySchedule(RetrySchedule{Days: 1, Times: []TimeOfDay{Clock(-1, 0)}})}, "RetrySchedule.Times[0]"},
	}
	for _, tt := range tests {
		_, err := NewRules(tt.opts...)
		problemOf(t, err, tt.field, tt.name)
	}
	// Every bad option is reported by one call.
	_, err := NewRules(WithTimeSource(nil), WithNoticeOffset(0), WithNoticeTime(Clock(25, 0)),
		WithRetrySchedule(RetrySchedule{Days: 99, Times: []TimeOfDay{Clock(10, 61)}}))
	var ve *kshop.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "subscription.NewRules", ve.Op)
	var fields []string
	for _, p := range ve.Problems {
		fields = append(fields, p.Field)
	}
	assert.Equal(t, []string{"WithTimeSource", "WithNoticeOffset", "WithNoticeTime", "RetrySchedule.Days", "RetrySchedule.Times[0]"}, fields)
	r, err := NewRules(nil, WithNoticeOffset(5), WithChargeOffset(0))
	require.NoError(t, err)
	assert.Equal(t, DefaultRetrySchedule(), r.retry)
}

func TestRetrySchedule(t *testing.T) {
	t.Parallel()
	def := DefaultRetrySchedule()
	tests := []struct {
		name    string
		rs      RetrySchedule
		failure time.Time
		want    []time.Time
	}{
		{"failure at 09:00: six retries over three days", def, kstAt(2026, 3, 30, 9, 0), []time.Time{
			kstAt(2026, 3, 30, 10, 0), kstAt(2026, 3, 30, 17, 0),
			kstAt(2026, 3, 31, 10, 0), kstAt(2026, 3, 31, 17, 0),
			kstAt(2026, 4, 1, 10, 0), kstAt(2026, 4, 1, 17, 0)}},
		{"failure at 12:00 skips the 10:00 slot of that day", def, kstAt(2026, 3, 30, 12, 0), []time.Time{
			kstAt(2026, 3, 30, 17, 0), kstAt(2026, 3, 31, 10, 0), kstAt(2026, 3, 31, 17, 0),
			kstAt(2026, 4, 1, 10, 0), kstAt(2026, 4, 1, 17, 0)}},
		{"failure exactly at 10:00 is not retried at 10:00", def, kstAt(2026, 3, 30, 10, 0), []time.Time{
			kstAt(2026, 3, 30, 17, 0), kstAt(2026, 3, 31, 10, 0), kstAt(2026, 3, 31, 17, 0),
			kstAt(2026, 4, 1, 10, 0), kstAt(2026, 4, 1, 17, 0)}},
		{"failure at 18:00", def, kstAt(2026, 12, 31, 18, 0), []time.Time{
			kstAt(2027, 1, 1, 10, 0), kstAt(2027, 1, 1, 17, 0), kstAt(2027, 1, 2, 10, 0), kstAt(2027, 1, 2, 17, 0)}},
		{"failure given in UTC is read in KST", def, time.Date(2026, 3, 30, 0, 0, 0, 0, time.UTC), []time.Time{
			kstAt(2026, 3, 30, 10, 0), kstAt(2026, 3, 30, 17, 0), kstAt(2026, 3, 31, 10, 0),
			kstAt(2026, 3, 31, 17, 0), kstAt(2026, 4, 1, 10, 0), kstAt(2026, 4, 1, 17, 0)}},
		{"no retries", RetrySchedule{}, kstAt(2026, 3, 30, 9, 0), nil},
	}
	for _, tt := range tests {
		n := tt.rs.count(tt.failure)
		require.Equal(t, len(tt.want), n, tt.name)
		for i, want := range tt.want {
			got, ok := tt.rs.slot(tt.failure, i)
			require.True(t, ok, tt.name)
			assert.True(t, want.Equal(got), "%s: retry %d = %v, want %v", tt.name, i, got, want)
		}
		_, ok := tt.rs.slot(tt.failure, n)
		assert.False(t, ok, tt.name)
		_, ok = tt.rs.slot(tt.failure, -1)
		assert.False(t, ok, tt.name)
	}
	// Unsorted, repeated times are normalized by the option.
	r, err := NewRules(WithRetrySchedule(RetrySchedule{Days: 1, Times: []TimeOfDay{Clock(17, 0), Clock(10, 0), Clock(17, 0)}}))
	require.NoError(t, err)
	assert.Equal(t, []TimeOfDay{Clock(10, 0), Clock(17, 0)}, r.retry.Times)
}

func TestDatesForModes(t *testing.T) {
	t.Parallel()
	hol := NewKoreanPublicHolidays()
	cal, err := NewRules(WithCalendar(hol))
	require.NoError(t, err)
	biz, err := NewRules(WithCalendar(hol), WithOffsetMode(BusinessDays), WithNoticeTime(Clock(8, 30)), WithChargeTime(Clock(6, 0)))
	require.NoError(t, err)

	// Delivery the day after Seollal 2026 (Thu 02-19).
	rd := cal.datesFor(0, d(2026, 2, 19))
	assert.Equal(t, d(2026, 2, 17), rd.NoticeDate, "calendar days ignore holidays")
	assert.Equal(t, d(2026, 2, 18), rd.ChargeDate)
	assert.Equal(t, kstAt(2026, 2, 17, 9, 0), rd.NoticeAt)
	rd = biz.datesFor(0, d(2026, 2, 19))
	assert.Equal(t, d(2026, 2, 12), rd.NoticeDate, "business days skip Seollal and the weekend")
	assert.Equal(t, d(2026, 2, 13), rd.ChargeDate)
	assert.Equal(t, kstAt(2026, 2, 12, 8, 30), rd.NoticeAt)
	assert.Equal(t, kstAt(2026, 2, 13, 6, 0), rd.ChargeAt)

	// A delivery on Chuseok moves to the next open day, and the offsets follow it.
	rd = cal.datesFor(0, d(2025, 10, 6))
	assert.Equal(t, d(2025, 10, 10), rd.Delivery)
	assert.Equal(t, d(2025, 10, 8), rd.NoticeDate)
	rd = biz.datesFor(0, d(2025, 10, 6))
	assert.Equal(t, d(2025, 10, 10), rd.Delivery)
	assert.Equal(t, d(2025, 10, 1), rd.NoticeDate)
	assert.Equal(t, d(2025, 10, 2), rd.ChargeDate)
}

func TestPreviewClosedDayPolicies(t *testing.T) {
	t.Parallel()
	// Makeshop's example: a 2-week cycle due 8/31; 8/31 and 9/1 closed → 9/2 (next open
	// day) or 9/14 (next cycle).
	shop, err := NewShopClosedDays(nil, []Date{d(2026, 8, 31), d(2026, 9, 1)})
	require.NoError(t, err)
	open, err := NewRules(WithCalendar(shop))
	require.NoError(t, err)
	next, err := NewRules(WithCalendar(shop), WithClosedDayPolicy(NextCycle))
	require.NoError(t, err)

	got, err := open.Preview(d(2026, 8, 17), Cycle2W, 3)
	require.NoError(t, err)
	assert.Equal(t, d(2026, 9, 2), got[1].Delivery)
	assert.Equal(t, d(2026, 8, 31), got[1].Nominal)
	assert.False(t, got[1].Skipped)
	assert.Equal(t, d(2026, 9, 14), got[2].Delivery)

	got, err = next.Preview(d(2026, 8, 17), Cycle2W, 3)
	require.NoError(t, err)
	assert.True(t, got[1].Skipped)
	assert.Equal(t, SkipClosedDay, got[1].SkipReason)
	assert.Equal(t, d(2026, 9, 14), got[2].Delivery)
}

func TestPreviewCollision(t *testing.T) {
	t.Parallel()
	// Weekly on Mondays; the shop closes 09-21 … 09-29: the 09-21 delivery moves to 09-30
	// and the 09-28 one, moved onto 09-30 too, is skipped. Only one is delivered.
	var closed []Date
	for day := d(2026, 9, 21); !day.After(d(2026, 9, 29)); day = day.AddDays(1) {
		closed = append(closed, day)
	}
	shop, err := NewShopClosedDays(nil, closed)
	require.NoError(t, err)
	r, err := NewRules(WithCalendar(shop))
	require.NoError(t, err)
	got, err := r.Preview(d(2026, 9, 14), Cycle1W, 4)
	require.NoError(t, err)
	assert.Equal(t, d(2026, 9, 14), got[0].Delivery)
	assert.Equal(t, d(2026, 9, 30), got[1].Delivery)
	assert.True(t, got[2].Skipped)
	assert.Equal(t, SkipCollision, got[2].SkipReason)
	assert.Equal(t, d(2026, 10, 5), got[3].Delivery)

	_, err = r.Preview(Date{}, Cycle1W, 1)
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = r.Preview(d(2026, 1, 1), 0, 1)
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = r.Preview(d(2026, 1, 1), Cycle1W, -1)
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestApplicationPhonesAreValidated(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		edit  func(*Application)
		field string
	}{
		{"receiver phone with letters", func(a *Application) { a.Receiver.Phone = "010-12three-4567" }, "Receiver.Phone"},
		{"receiver phone too short", func(a *Application) { a.Receiver.Phone = "010-123-456" }, "Receiver.Phone"},
		{"customer phone unknown prefix", func(a *Application) { a.Customer.Phone = "099-1234-5678" }, "Customer.Phone"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clk := newFakeClock(kstAt(2026, time.March, 2, 9, 0))
			app := testApp("phone", d(2026, time.March, 20), Cycle1M)
			tc.edit(&app)
			_, err := NewSubscription(testPlan(), newRulesT(t, clk), app)
			problemOf(t, err, tc.field)
			var pe *PhoneError
			require.ErrorAs(t, err, &pe)
			assert.NotContains(t, err.Error(), "1234-5678")
		})
	}
}
