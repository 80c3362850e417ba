package subscription

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewSubscriptionValidation(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	rules := newRulesT(t, clk)
	tests := []struct {
		name   string
		edit   func(*Application, *Plan)
		field  string
		target error
	}{
		{"empty ID", func(a *Application, _ *Plan) { a.ID = "" }, "ID", ErrInvalid},
		{"slash in ID", func(a *Application, _ *Plan) { a.ID = "S/1" }, "ID", ErrInvalid},
		{"no customer ID", func(a *Application, _ *Plan) { a.Customer.ID = "" }, "Customer.ID", ErrInvalid},
		{"long phone", func(a *Application, _ *Plan) { a.Customer.Phone = strings.Repeat("1", 21) }, "Customer.Phone", ErrInvalid},
		{"no receiver address", func(a *Application, _ *Plan) { a.Receiver.Address1 = "" }, "Receiver.Address1", ErrInvalid},
		{"bad UTF-8", func(a *Application, _ *Plan) { a.Receiver.Message = "\xff" }, "Receiver.Message", ErrInvalid},
		{"no billing key", func(a *Application, _ *Plan) { a.BillingKeyRef = "" }, "BillingKeyRef", ErrInvalid},
		{"bad cycle", func(a *Application, _ *Plan) { a.Cycle = 0 }, "Cycle", ErrInvalid},
		{"cycle not offered", func(a *Application, p *Plan) { p.Cycles = []Cycle{Cycle1W} }, "Cycle", ErrNotOffered},
		{"limit not offered", func(a *Application, _ *Plan) { a.RoundLimit = 5 }, "RoundLimit", ErrNotOffered},
		{"no items", func(a *Application, _ *Plan) { a.Items = nil }, "Items", ErrInvalid},
		{"quantity 0", func(a *Application, _ *Plan) { a.Items[0].Quantity = 0 }, "Items[0].Quantity", ErrInvalid},
		{"negative price", func(a *Application, _ *Plan) { a.Items[1].UnitPrice = -1 }, "Items[1].UnitPrice", ErrInvalid},
		{"duplicate item", func(a *Application, _ *Plan) { a.Items[1] = a.Items[0] }, "Items[1]", ErrInvalid},
		{"start before earliest", func(a *Application, _ *Plan) { a.Start = d(2026, 3, 22) }, "Start", ErrInvalid},
		{"invalid start", func(a *Application, _ *Plan) { a.Start = d(2026, 2, 30) }, "Start", ErrInvalid},
		{"bad plan", func(a *Application, p *Plan) { p.StartOffsetDays = 99 }, "Plan.StartOffsetDays", ErrInvalid},
	}
	for _, tt := range tests {
		app := testApp("S-1", d(2026, 3, 31), Cycle1M)
		plan := testPlan()
		tt.edit(&app, &plan)
		_, err := NewSubscription(plan, rules, app)
		problemOf(t, err, tt.field, tt.name)
		assert.ErrorIs(t, err, tt.target, tt.name)
		assert.NotContains(t, err.Error(), "홍길동", "no personal data in errors")
		assert.NotContains(t, err.Error(), "01012345678")
	}

	app := testApp("S-1", d(2026, 3, 31), Cycle1M)
	app.Items[1].Product.Kind = ProductBundleEvent
	_, err := NewSubscription(testPlan(), rules, app)
	assert.ErrorIs(t, err, ErrBundleEventProduct)
	app = testApp("S-1", d(2026, 3, 31), Cycle1M)
	app.PaymentMethod = PaymentVirtualAccount
	_, err = NewSubscription(testPlan(), rules, app)
	assert.ErrorIs(t, err, ErrPaymentMethod)
	_, err = NewSubscription(testPlan(), nil, testApp("S-1", d(2026, 3, 31), Cycle1M))
	assert.ErrorIs(t, err, ErrInvalid)

	// With a 1-day start offset and a 23:00 charge the day before, a start tomorrow would
	// charge in the past.
	late := newRulesT(t, newFakeClock(kstAt(2026, 3, 20, 23, 30)), WithChargeTime(Clock(23, 0)))
	plan := testPlan()
	plan.StartOffsetDays = 1
	_, err = NewSubscription(plan, late, testApp("S-1", d(2026, 3, 21), Cycle1M))
	assert.Contains(t, problemOf(t, err, "Start").Detail, "too soon")
}

func TestPlanIsCopied(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	plan := testPlan()
	app := testApp("S-1", d(2026, 3, 31), Cycle1M)
	s, err := NewSubscription(plan, newRulesT(t, clk), app)
	require.NoError(t, err)
	plan.Discounts[0].Value = 90
	app.Items[0].UnitPrice = 1
	r, ok := s.CurrentRound()
	require.True(t, ok)
	assert.Equal(t, int64(29700), r.Quote.Total, "caller edits after creation change nothing")
}

func TestHappyPathAcrossMonthEndsAndDiscountSteps(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2028, 1, 20, 9, 0))
	s := newSubT(t, newRulesT(t, clk), "S-1", d(2028, 1, 31), Cycle1M)
	wantDelivery := []Date{d(2028, 1, 31), d(2028, 2, 29), d(2028, 3, 31), d(2028, 4, 30), d(2028, 5, 31), d(2028, 6, 30)}
	wantTotal := []int64{29700, 29700, 29700, 29700, 26400, 26400} // 10 % until round 4, 20 % from round 5
	for i, want := range wantDelivery {
		a, ok := s.NextAction()
		require.True(t, ok)
		require.Equal(t, ActionSendNotice, a.Kind)
		assert.Equal(t, want.AddDays(-2).At(Clock(9, 0)), a.At)
		clk.Set(a.At)
		ev, err := s.Notice(a)
		require.NoError(t, err)
		assert.Equal(t, EventPaymentNotice, ev.Kind)
		assert.Equal(t, i+1, ev.Round)
		assert.Equal(t, want, ev.DeliveryDate)
		assert.Equal(t, wantTotal[i], ev.Amount)
		assert.Equal(t, "홍길동", ev.Customer.Name)
		require.NoError(t, s.RecordNoticeSent(a))

		c, ok := s.NextAction()
		require.True(t, ok)
		require.Equal(t, ActionCharge, c.Kind)
		assert.Equal(t, want.AddDays(-1).At(Clock(9, 0)), c.At)
		clk.Set(c.At)
		req, err := s.ChargeRequest(c)
		require.NoError(t, err)
		assert.Equal(t, wantTotal[i], req.Amount)
		assert.Equal(t, "bk_S-1_secretkey", req.BillingKeyRef)
		assert.Equal(t, c.ID(), req.IdempotencyKey)
		events, err := s.RecordCharge(c, Charged("O-"+want.String()))
		require.NoError(t, err)
		require.Len(t, events, 1)
		assert.Equal(t, EventCharged, events[0].Kind)
	}
	rounds := s.Rounds()
	require.Len(t, rounds, 7)
	for i, want := range wantDelivery {
		assert.Equal(t, RoundCharged, rounds[i].Status)
		assert.Equal(t, want, rounds[i].Delivery)
		assert.Equal(t, i, rounds[i].Seq)
		assert.Equal(t, 1, rounds[i].Attempts)
	}
	assert.Equal(t, d(2028, 7, 31), rounds[6].Delivery, "back to the 31st")
	assert.Equal(t, RoundScheduled, rounds[6].Status)
}

func TestNoticeFixesTheAmount(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	s := newSubT(t, newRulesT(t, clk), "S-1", d(2026, 3, 31), Cycle1M)
	bean := ItemKey{ProductID: "bean", OptionID: "200g"}

	// Before the notice a change applies to the upcoming round.
	ch, err := s.ChangeQuantity(ActorBuyer, bean, 3)
	require.NoError(t, err)
	assert.True(t, ch.AppliesToCurrentRound)
	r, _ := s.CurrentRound()
	assert.Equal(t, int64(48000), r.Quote.Subtotal)
	assert.False(t, r.Fixed)

	a, _ := s.NextAction()
	clk.Set(a.At)
	notice, err := s.Notice(a)
	require.NoError(t, err)
	assert.Equal(t, int64(43200), notice.Amount) // 48,000 − 10 %

	// After the notice: price and quantity changes start with the next round.
	ok, err := s.UpdatePrice(bean, 20000)
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = s.UpdatePrice(ItemKey{ProductID: "none"}, 1)
	require.NoError(t, err)
	assert.False(t, ok)
	ch, err = s.ChangeQuantity(ActorBuyer, bean, 1)
	require.NoError(t, err)
	assert.False(t, ch.AppliesToCurrentRound)
	again, err := s.Notice(a)
	require.NoError(t, err)
	assert.Equal(t, notice.Amount, again.Amount, "a re-run sends the same notice")
	assert.Equal(t, notice.Items, again.Items)
	require.NoError(t, s.RecordNoticeSent(a))

	c, _ := s.NextAction()
	clk.Set(c.At)
	req, err := s.ChargeRequest(c)
	require.NoError(t, err)
	assert.Equal(t, int64(43200), req.Amount, "charged the noticed amount")
	_, err = s.RecordCharge(c, Charged("O-1"))
	require.NoError(t, err)
	next, _ := s.CurrentRound()
	assert.Equal(t, int64(23000), next.Quote.Subtotal, "next round: 1 × 20,000 + 3,000")
}

func TestPartialCancelAfterNotice(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	s := newSubT(t, newRulesT(t, clk), "S-1", d(2026, 3, 31), Cycle1M)
	runNotice(t, clk, s)
	ch, err := s.CancelItems(ActorBuyer, ItemKey{ProductID: "filter"})
	require.NoError(t, err)
	assert.Equal(t, ItemChange{}, ch, "applies from the next round; nothing ended")
	_, events := runCharge(t, clk, s, Charged("O-1"))
	assert.Equal(t, int64(29700), events[0].Amount, "charged the noticed amount, filter included")
	r, _ := s.CurrentRound()
	require.Len(t, r.Items, 1)
	assert.Equal(t, int64(27000), r.Quote.Total, "next round without the filter")
}

func TestCancelAllItemsAfterNotice(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	s := newSubT(t, newRulesT(t, clk), "S-1", d(2026, 3, 31), Cycle1M)
	runNotice(t, clk, s)
	ch, err := s.CancelItems(ActorBuyer, ItemKey{ProductID: "bean", OptionID: "200g"}, ItemKey{ProductID: "filter"})
	require.NoError(t, err)
	assert.True(t, ch.SubscriptionEnded)
	assert.True(t, ch.CurrentRoundCancelled)
	require.Len(t, ch.Events, 2)
	assert.Equal(t, EventCancelled, ch.Events[0].Kind)
	assert.Equal(t, AudienceCustomer, ch.Events[0].Audience)
	assert.Equal(t, AudienceOperator, ch.Events[1].Audience)
	assert.Equal(t, int64(29700), ch.Events[0].Amount, "the stopped round's noticed amount")
	assert.Equal(t, StateCancelledByBuyer, s.State())
	rounds := s.Rounds()
	require.Len(t, rounds, 1)
	assert.Equal(t, RoundCancelled, rounds[0].Status)
	_, ok := s.NextAction()
	assert.False(t, ok, "the round is not charged")
	_, ok = s.Due(kstAt(2030, 1, 1, 0, 0))
	assert.False(t, ok)
}

func TestCancelAllItemsBeforeNotice(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	s := newSubT(t, newRulesT(t, clk), "S-1", d(2026, 3, 31), Cycle1M)
	ch, err := s.CancelItems(ActorAdmin, ItemKey{ProductID: "bean", OptionID: "200g"}, ItemKey{ProductID: "filter"})
	require.NoError(t, err)
	assert.True(t, ch.SubscriptionEnded)
	assert.False(t, ch.CurrentRoundCancelled)
	assert.Equal(t, StateCancelledByAdmin, s.State())
	assert.Empty(t, s.Rounds(), "an unfixed round is dropped")

	_, err = s.CancelItems(ActorBuyer, ItemKey{ProductID: "bean"})
	assert.ErrorIs(t, err, ErrSubscriptionEnded)
	s2 := newSubT(t, newRulesT(t, clk), "S-2", d(2026, 3, 31), Cycle1M)
	_, err = s2.CancelItems(ActorBuyer, ItemKey{ProductID: "nope"})
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = s2.CancelItems(ActorBuyer, ItemKey{ProductID: "filter"}, ItemKey{ProductID: "filter"})
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = s2.CancelItems(ActorBuyer)
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = s2.CancelItems(Actor(0), ItemKey{ProductID: "filter"})
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = s2.ChangeQuantity(ActorBuyer, ItemKey{ProductID: "filter"}, maxQuantity+1)
	assert.ErrorIs(t, err, ErrInvalid)
	ch, err = s2.ChangeQuantity(ActorBuyer, ItemKey{ProductID: "filter"}, 0)
	require.NoError(t, err)
	assert.True(t, ch.AppliesToCurrentRound)
	assert.Len(t, s2.Snapshot().Items, 1)
}

func TestRetriesThenSuccess(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	s := newSubT(t, newRulesT(t, clk), "S-1", d(2026, 3, 31), Cycle1M)
	runNotice(t, clk, s)
	_, ev := runCharge(t, clk, s, Declined("한도초과"))
	require.Len(t, ev, 1)
	assert.Equal(t, EventChargeFailed, ev[0].Kind)
	assert.Equal(t, kstAt(2026, 3, 30, 10, 0), ev[0].NextRetryAt)
	assert.Equal(t, "한도초과", ev[0].Reason)

	wantRetries := []time.Time{kstAt(2026, 3, 30, 10, 0), kstAt(2026, 3, 30, 17, 0)}
	for i, want := range wantRetries {
		a, ok := s.NextAction()
		require.True(t, ok)
		assert.Equal(t, ActionRetryCharge, a.Kind)
		assert.Equal(t, i+2, a.Attempt)
		assert.Equal(t, want, a.At)
		assert.Equal(t, "S-1/0/charge/"+string(rune('0'+i+2)), a.ID())
		r, _ := s.CurrentRound()
		assert.Equal(t, RoundRetrying, r.Status)
		if i == len(wantRetries)-1 {
			_, ev = runCharge(t, clk, s, Charged("O-1"))
			assert.Equal(t, EventCharged, ev[0].Kind)
			assert.Equal(t, 3, ev[0].Attempt)
		} else {
			runCharge(t, clk, s, Declined("한도초과"))
		}
	}
	rounds := s.Rounds()
	assert.Equal(t, RoundCharged, rounds[0].Status)
	assert.Equal(t, 3, rounds[0].Attempts)
	assert.Equal(t, RoundScheduled, rounds[1].Status)
	assert.Equal(t, 2, rounds[1].Number)
}

func TestRetriesExhausted(t *testing.T) {
	t.Parallel()
	for _, policy := range []ExhaustionPolicy{ContinueNextRound, FailSubscription} {
		t.Run(policy.String(), func(t *testing.T) {
			t.Parallel()
			clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
			s := newSubT(t, newRulesT(t, clk, WithExhaustionPolicy(policy)), "S-1", d(2026, 3, 31), Cycle1M)
			runNotice(t, clk, s)
			var last []Event
			var times []time.Time
			for i := 0; i < 7; i++ { // the charge and six retries
				a, ev := runCharge(t, clk, s, Declined("잔액부족"))
				times = append(times, a.At)
				last = ev
			}
			assert.Equal(t, kstAt(2026, 4, 1, 17, 0), times[6], "last retry on the third day at 17:00")
			rounds := s.Rounds()
			assert.Equal(t, RoundFailed, rounds[0].Status)
			assert.Equal(t, 7, rounds[0].Attempts)
			assert.Equal(t, EventRoundFailed, last[0].Kind)
			assert.Equal(t, AudienceOperator, last[1].Audience)
			if policy == FailSubscription {
				assert.Equal(t, StateFailed, s.State())
				require.Len(t, last, 4)
				assert.Equal(t, EventFailed, last[2].Kind)
				_, ok := s.NextAction()
				assert.False(t, ok)
				return
			}
			assert.Equal(t, StateActive, s.State())
			require.Len(t, last, 2)
			require.Len(t, rounds, 2)
			assert.Equal(t, d(2026, 4, 30), rounds[1].Delivery)
			assert.Equal(t, 1, rounds[1].Number, "a failed round does not use up a number")
		})
	}
}

func TestNoRetriesFailsAtOnce(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	s := newSubT(t, newRulesT(t, clk, WithRetrySchedule(RetrySchedule{}), WithExhaustionPolicy(FailSubscription)), "S-1", d(2026, 3, 31), Cycle1M)
	runNotice(t, clk, s)
	_, ev := runCharge(t, clk, s, Declined("card expired"))
	assert.Equal(t, StateFailed, s.State())
	assert.Equal(t, EventRoundFailed, ev[0].Kind)
}

func TestRoundLimitExpiry(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	s := newSubT(t, newRulesT(t, clk), "S-1", d(2026, 3, 31), Cycle1M, func(a *Application) { a.RoundLimit = 2 })
	for i := 0; i < 2; i++ {
		runNotice(t, clk, s)
		runCharge(t, clk, s, Charged("O"))
	}
	a, ok := s.NextAction()
	require.True(t, ok)
	assert.Equal(t, ActionExpire, a.Kind)
	assert.Equal(t, kstAt(2026, 4, 30, 0, 0), a.At, "expires on the last delivery day")
	assert.Equal(t, "S-1/expire", a.ID())
	_, ok = s.Due(kstAt(2026, 4, 29, 23, 59))
	assert.False(t, ok)
	_, ok = s.Due(a.At)
	assert.True(t, ok)

	require.ErrorIs(t, s.SetRoundLimit(ActorBuyer, 5), ErrNotOffered)
	// The buyer may still extend the subscription before the last delivery day…
	require.NoError(t, s.SetRoundLimit(ActorBuyer, 3))
	n, ok := s.NextAction()
	require.True(t, ok)
	assert.Equal(t, ActionSendNotice, n.Kind)
	assert.Equal(t, 3, n.Round)
	// …and shorten it again, down to the rounds charged.
	require.NoError(t, s.SetRoundLimit(ActorBuyer, 2))
	a2, ok := s.NextAction()
	require.True(t, ok)
	assert.Equal(t, a, a2)

	clk.Set(a.At)
	events, err := s.RecordExpired(a)
	require.NoError(t, err)
	require.Len(t, events, 2)
	assert.Equal(t, EventExpired, events[0].Kind)
	assert.Equal(t, 2, events[0].Round)
	assert.Equal(t, d(2026, 4, 30), events[0].DeliveryDate)
	assert.Equal(t, StateExpired, s.State())
	_, err = s.RecordExpired(a)
	assert.ErrorIs(t, err, ErrStaleAction)
}

func TestRoundLimitBelowCurrent(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	s := newSubT(t, newRulesT(t, clk), "S-1", d(2026, 3, 31), Cycle1M)
	for i := 0; i < 2; i++ {
		runNotice(t, clk, s)
		runCharge(t, clk, s, Charged("O"))
	}
	runNotice(t, clk, s) // round 3 fixed
	err := s.SetRoundLimit(ActorBuyer, 2)
	var te *TransitionError
	require.ErrorAs(t, err, &te)
	assert.ErrorIs(t, err, ErrBelowCurrentRound)
	assert.Equal(t, RoundNoticed, te.RoundStatus)
	assert.Contains(t, err.Error(), "set round limit to 2")
	require.NoError(t, s.SetRoundLimit(ActorBuyer, 3), "the fixed round may be the last")
	runCharge(t, clk, s, Charged("O"))
	a, _ := s.NextAction()
	assert.Equal(t, ActionExpire, a.Kind)
}
