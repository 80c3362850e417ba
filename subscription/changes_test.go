package subscription

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func deliveries(rounds []Round, st RoundStatus) []Date {
	var out []Date
	for _, r := range rounds {
		if r.Status == st {
			out = append(out, r.Delivery)
		}
	}
	return out
}

func TestPauseResumeStaysOnCycle(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 2, 25, 9, 0))
	s := newSubT(t, newRulesT(t, clk), "S-1", d(2026, 3, 2), Cycle1W) // Mondays
	runNotice(t, clk, s)
	runCharge(t, clk, s, Charged("O-1"))
	clk.Set(kstAt(2026, 3, 3, 12, 0))
	require.NoError(t, s.Pause(ActorBuyer))
	assert.Equal(t, StatePaused, s.State())
	_, ok := s.NextAction()
	assert.False(t, ok, "paused: no actions")
	require.Len(t, s.Rounds(), 1, "the unfixed 03-09 round was dropped")

	clk.Set(kstAt(2026, 3, 20, 12, 0)) // Friday
	require.NoError(t, s.Resume(ActorBuyer))
	r, ok := s.CurrentRound()
	require.True(t, ok)
	assert.Equal(t, d(2026, 3, 23), r.Delivery, "next Monday on the cycle")
	assert.Equal(t, 2, r.Number)
	assert.Equal(t, 2, r.Seq, "Seq 1 (the dropped 03-09 round) is not reused")

	// Resuming the day before a charge: the notice is late (due at once), the charge on time.
	clk.Set(kstAt(2026, 3, 21, 12, 0))
	require.NoError(t, s.Pause(ActorBuyer))
	clk.Set(kstAt(2026, 3, 22, 8, 0))
	require.NoError(t, s.Resume(ActorAdmin))
	a, ok := s.Due(clk.Now())
	require.True(t, ok)
	assert.Equal(t, ActionSendNotice, a.Kind)
	r, _ = s.CurrentRound()
	assert.Equal(t, d(2026, 3, 23), r.Delivery)
	assert.Equal(t, 3, r.Seq, "a dropped round's Seq is never reused")

	// Resuming after its charge instant passes it over.
	require.NoError(t, s.Pause(ActorBuyer))
	clk.Set(kstAt(2026, 3, 22, 9, 1))
	require.NoError(t, s.Resume(ActorBuyer))
	r, _ = s.CurrentRound()
	assert.Equal(t, d(2026, 3, 30), r.Delivery)
}

func TestSkipRound(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 2, 25, 9, 0))
	s := newSubT(t, newRulesT(t, clk), "S-1", d(2026, 3, 2), Cycle1W)
	runNotice(t, clk, s)
	runCharge(t, clk, s, Charged("O-1"))
	r, _ := s.CurrentRound()
	require.NoError(t, s.SkipRound(ActorBuyer, r.Seq))
	next, _ := s.CurrentRound()
	assert.Equal(t, d(2026, 3, 16), next.Delivery)
	assert.Equal(t, 2, next.Number, "a skipped round does not use up a number")
	rounds := s.Rounds()
	assert.Equal(t, RoundSkipped, rounds[1].Status)
	assert.Equal(t, SkipByRequest, rounds[1].SkipReason)

	err := s.SkipRound(ActorBuyer, 0)
	var te *TransitionError
	require.ErrorAs(t, err, &te)
	assert.ErrorIs(t, err, ErrRoundCharged)
	assert.Equal(t, 0, te.RoundSeq)
	assert.ErrorIs(t, s.SkipRound(ActorBuyer, 99), ErrNoSuchRound)

	runNotice(t, clk, s)
	err = s.SkipRound(ActorBuyer, next.Seq)
	require.ErrorAs(t, err, &te)
	assert.ErrorIs(t, err, ErrRoundFixed)
	assert.Equal(t, StateActive, te.State)
	assert.Equal(t, RoundNoticed, te.RoundStatus)
	assert.Equal(t, "skip round", te.Action)
	assert.Equal(t, "subscription S-1: cannot skip round in state active (round 2 is noticed): round amount is fixed by the payment notice", err.Error())
}

func TestChangeCycle(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2027, 1, 20, 9, 0))
	s := newSubT(t, newRulesT(t, clk), "S-1", d(2027, 1, 31), Cycle1M)
	runNotice(t, clk, s)
	runCharge(t, clk, s, Charged("O-1"))
	r, _ := s.CurrentRound()
	assert.Equal(t, d(2027, 2, 28), r.Delivery)

	// Unfixed round: replaced, counted from the last delivery, anchor day kept.
	require.NoError(t, s.ChangeCycle(ActorBuyer, Cycle2M))
	r, _ = s.CurrentRound()
	assert.Equal(t, d(2027, 3, 31), r.Delivery)
	require.NoError(t, s.ChangeCycle(ActorBuyer, Cycle2M), "same cycle: nothing to do")
	runNotice(t, clk, s)

	// Fixed round: the change applies after it.
	require.NoError(t, s.ChangeCycle(ActorBuyer, Cycle1W))
	r, _ = s.CurrentRound()
	assert.Equal(t, d(2027, 3, 31), r.Delivery)
	runCharge(t, clk, s, Charged("O-2"))
	r, _ = s.CurrentRound()
	assert.Equal(t, d(2027, 4, 7), r.Delivery)
	assert.Equal(t, Cycle1W, s.Snapshot().Cycle)

	plan := testPlan()
	plan.Cycles = []Cycle{Cycle1M}
	only, err := NewSubscription(plan, newRulesT(t, clk), testApp("S-2", d(2027, 4, 30), Cycle1M))
	require.NoError(t, err)
	assert.ErrorIs(t, only.ChangeCycle(ActorBuyer, Cycle2W), ErrNotOffered)
	assert.ErrorIs(t, only.ChangeCycle(ActorBuyer, 0), ErrInvalid)
}

func TestChangeCycleBeforeFirstRoundAndWhilePaused(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	s := newSubT(t, newRulesT(t, clk), "S-1", d(2026, 3, 31), Cycle1M)
	require.NoError(t, s.ChangeCycle(ActorBuyer, Cycle2W))
	r, _ := s.CurrentRound()
	assert.Equal(t, d(2026, 3, 31), r.Delivery, "the start date stays")
	runNotice(t, clk, s)
	runCharge(t, clk, s, Charged("O-1"))
	require.NoError(t, s.Pause(ActorBuyer))
	require.NoError(t, s.ChangeCycle(ActorBuyer, Cycle1M))
	_, ok := s.CurrentRound()
	assert.False(t, ok, "still paused")
	require.NoError(t, s.Resume(ActorBuyer))
	r, _ = s.CurrentRound()
	assert.Equal(t, d(2026, 4, 30), r.Delivery)
}

func TestChangeReceiverAppliesUntilCharged(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	s := newSubT(t, newRulesT(t, clk), "S-1", d(2026, 3, 31), Cycle1M)
	runNotice(t, clk, s)
	moved := Receiver{Name: "김철수", Phone: "01098765432", Address1: "부산 해운대구"}
	require.NoError(t, s.ChangeReceiver(ActorAdmin, moved))
	runCharge(t, clk, s, Charged("O-1"))
	assert.Equal(t, moved, s.Rounds()[0].Receiver, "the noticed round ships to the new receiver")
	err := s.ChangeReceiver(ActorBuyer, Receiver{Name: "x"})
	problemOf(t, err, "Receiver.Phone")
}

func TestStaleAndWrongActions(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	s := newSubT(t, newRulesT(t, clk), "S-1", d(2026, 3, 31), Cycle1M)
	a, _ := s.NextAction()
	require.NoError(t, s.RecordNoticeSent(a))
	err := s.RecordNoticeSent(a)
	var te *TransitionError
	require.ErrorAs(t, err, &te)
	assert.ErrorIs(t, err, ErrStaleAction)
	_, err = s.Notice(a)
	assert.ErrorIs(t, err, ErrStaleAction)

	c, _ := s.NextAction()
	wrong := c
	wrong.Attempt = 2
	_, err = s.RecordCharge(wrong, Charged("O"))
	assert.ErrorIs(t, err, ErrStaleAction)
	other := c
	other.SubscriptionID = "S-2"
	_, err = s.ChargeRequest(other)
	assert.ErrorIs(t, err, ErrStaleAction)

	_, err = s.Notice(c)
	assert.ErrorIs(t, err, ErrInvalid)
	assert.ErrorIs(t, s.RecordNoticeSent(c), ErrInvalid)
	_, err = s.ChargeRequest(a)
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = s.RecordCharge(a, Charged("O"))
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = s.RecordExpired(c)
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = s.RecordCharge(c, ChargeResult{FailureReason: string([]byte{0xff})})
	assert.ErrorIs(t, err, ErrInvalid)

	_, err = s.RecordCharge(c, Charged("O-1"))
	require.NoError(t, err)
	_, err = s.RecordCharge(c, Charged("O-1"))
	assert.ErrorIs(t, err, ErrStaleAction, "recording twice is refused, not applied twice")
	assert.Equal(t, 1, s.Snapshot().RoundsCharged)
}

func TestClosedDaysInASubscription(t *testing.T) {
	t.Parallel()
	hol := NewKoreanPublicHolidays()
	clk := newFakeClock(kstAt(2026, 8, 1, 9, 0))

	// Monthly on the 25th from 2026-08-25: 09-25 is Chuseok.
	open := newSubT(t, newRulesT(t, clk, WithCalendar(Union(Weekends(), hol))), "S-1", d(2026, 8, 25), Cycle1M)
	next := newSubT(t, newRulesT(t, clk, WithCalendar(Union(Weekends(), hol)), WithClosedDayPolicy(NextCycle)), "S-2", d(2026, 8, 25), Cycle1M)
	for _, s := range []*Subscription{open, next} {
		runNotice(t, clk, s)
		runCharge(t, clk, s, Charged("O-1"))
		clk.Set(kstAt(2026, 8, 1, 9, 0))
	}
	r, _ := open.CurrentRound()
	assert.Equal(t, d(2026, 9, 25), r.Nominal)
	assert.Equal(t, d(2026, 9, 28), r.Delivery, "Chuseok Thu–Sat, Sunday → Monday")
	assert.Equal(t, d(2026, 9, 26), r.NoticeDate)

	r, _ = next.CurrentRound()
	assert.Equal(t, d(2026, 11, 25), r.Delivery, "09-25 is Chuseok and 10-25 a Sunday: both skipped")
	rounds := next.Rounds()
	require.Len(t, rounds, 4)
	assert.Equal(t, []Date{d(2026, 9, 25), d(2026, 10, 25)}, deliveries(rounds, RoundSkipped))
	assert.Equal(t, SkipClosedDay, rounds[1].SkipReason)
	assert.Equal(t, 2, r.Number)
}

func TestBusinessDayModeSubscription(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 2, 1, 9, 0))
	rules := newRulesT(t, clk, WithOffsetMode(BusinessDays), WithCalendar(NewKoreanPublicHolidays()))
	s := newSubT(t, rules, "S-1", d(2026, 2, 19), Cycle1W)
	a, _ := s.NextAction()
	assert.Equal(t, kstAt(2026, 2, 12, 9, 0), a.At, "2 business days before, across Seollal")
	runNotice(t, clk, s)
	c, _ := s.NextAction()
	assert.Equal(t, kstAt(2026, 2, 13, 9, 0), c.At)
}
