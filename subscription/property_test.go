package subscription

import (
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// randomRules draws rules: offset mode, closed-day policy, calendar and offsets.
func randomRules(t *testing.T, rng *rand.Rand, clk *fakeClock) (*Rules, Calendar) {
	t.Helper()
	var cal Calendar
	switch rng.Intn(4) {
	case 1:
		cal = Weekends()
	case 2:
		cal = Union(Weekends(), NewKoreanPublicHolidays())
	case 3:
		var dates []Date
		for i := 0; i < 40; i++ {
			dates = append(dates, d(2024+rng.Intn(7), time.Month(1+rng.Intn(12)), 1+rng.Intn(28)))
		}
		shop, err := NewShopClosedDays([]time.Weekday{time.Sunday}, dates)
		require.NoError(t, err)
		cal = Union(shop, NewKoreanPublicHolidays())
	}
	notice := 1 + rng.Intn(5)
	if notice < 2 {
		notice = 2
	}
	charge := 1 + rng.Intn(notice-1) // 1 ≤ charge < notice: strictly before delivery
	opts := []Option{
		WithTimeSource(clk), WithNoticeOffset(notice), WithChargeOffset(charge), WithCalendar(cal),
		WithOffsetMode(OffsetMode(rng.Intn(2))), WithClosedDayPolicy(ClosedDayPolicy(rng.Intn(2))),
		WithNoticeTime(Clock(rng.Intn(24), rng.Intn(60))), WithChargeTime(Clock(rng.Intn(24), rng.Intn(60))),
		WithExhaustionPolicy(ContinueNextRound),
	}
	r, err := NewRules(opts...)
	require.NoError(t, err)
	return r, cal
}

// TestPropertyScheduleDates: for every cycle and anchor day, delivery dates strictly
// increase, notice < charge < delivery, cycle dates follow AddTo and keep the anchor day,
// and no delivery lands on a closed day.
func TestPropertyScheduleDates(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewSource(20260317))
	cycles := AllCycles()
	for iter := 0; iter < 3000; iter++ {
		clk := newFakeClock(kstAt(2024, 1, 1, 0, 0))
		rules, cal := randomRules(t, rng, clk)
		c := cycles[iter%len(cycles)]
		y, m := 2024+rng.Intn(5), time.Month(1+rng.Intn(12))
		anchor := d(y, m, 1+(iter/len(cycles))%daysIn(y, m))
		preview, err := rules.Preview(anchor, c, 24)
		require.NoError(t, err)
		var last Date
		for k, rd := range preview {
			where := fmt.Sprintf("iter %d: %v from %v, slot %d", iter, c, anchor, k)
			require.Equal(t, c.AddTo(anchor, k), rd.Nominal, where)
			if c.Months() > 0 {
				require.Equal(t, min(anchor.Day, daysIn(rd.Nominal.Year, rd.Nominal.Month)), rd.Nominal.Day, where)
			}
			require.True(t, rd.NoticeDate.Before(rd.ChargeDate), where)
			require.True(t, rd.ChargeDate.Before(rd.Delivery), where)
			require.True(t, rd.NoticeAt.Before(rd.ChargeAt), where)
			require.False(t, rd.Delivery.Before(rd.Nominal), where)
			if rd.Skipped {
				continue
			}
			if cal != nil {
				require.False(t, cal.IsClosed(rd.Delivery), where)
			}
			require.True(t, last.IsZero() || rd.Delivery.After(last), where)
			last = rd.Delivery
		}
	}
}

// TestPropertySubscriptionRun drives random subscriptions through many rounds with
// declines, skips, pauses and cycle changes, checking the same invariants on the rounds
// actually produced: charged deliveries strictly increase, every round has
// notice < charge < delivery, numbers count charged rounds, and no action is ever due
// before the one recorded last.
func TestPropertySubscriptionRun(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewSource(42))
	cycles := AllCycles()
	for iter := 0; iter < 150; iter++ {
		clk := newFakeClock(kstAt(2025, 1, 1, 0, 0))
		rules, _ := randomRules(t, rng, clk)
		start := d(2025, 1, 10).AddDays(rng.Intn(60))
		s := newSubT(t, rules, fmt.Sprintf("S-%d", iter), start, cycles[rng.Intn(len(cycles))])
		for step := 0; step < 80; step++ {
			a, ok := s.NextAction()
			if !ok {
				break
			}
			if a.At.After(clk.Now()) {
				clk.Set(a.At)
			}
			switch x := rng.Intn(100); {
			case a.Kind == ActionSendNotice && x < 5:
				require.NoError(t, s.SkipRound(ActorBuyer, a.RoundSeq))
			case a.Kind == ActionSendNotice && x < 8:
				require.NoError(t, s.Pause(ActorBuyer))
				clk.Set(clk.Now().Add(time.Duration(rng.Intn(60*24)) * time.Hour))
				require.NoError(t, s.Resume(ActorBuyer))
			case a.Kind == ActionSendNotice && x < 10:
				require.NoError(t, s.ChangeCycle(ActorBuyer, cycles[rng.Intn(len(cycles))]))
			case a.Kind == ActionSendNotice:
				require.NoError(t, s.RecordNoticeSent(a))
			case x < 30:
				_, err := s.RecordCharge(a, Declined("declined"))
				require.NoError(t, err)
			default:
				_, err := s.RecordCharge(a, Charged("O"))
				require.NoError(t, err)
			}
		}
		var last Date
		charged := 0
		for _, r := range s.Rounds() {
			where := fmt.Sprintf("iter %d round %d", iter, r.Seq)
			require.True(t, r.NoticeDate.Before(r.ChargeDate), where)
			require.True(t, r.ChargeDate.Before(r.Delivery), where)
			if r.Status != RoundCharged {
				continue
			}
			charged++
			require.Equal(t, charged, r.Number, where)
			require.True(t, last.IsZero() || r.Delivery.After(last), where)
			last = r.Delivery
		}
		require.Equal(t, charged, s.Snapshot().RoundsCharged)
	}
}
