package subscription

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// setup builds a subscription in a given situation. The subscription starts 2026-03-31,
// monthly; the clock starts 2026-03-20 09:00 KST.
type setup struct {
	name  string
	build func(t *testing.T) (*Subscription, *fakeClock)
}

func baseSub(t *testing.T, opts ...Option) (*Subscription, *fakeClock) {
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	return newSubT(t, newRulesT(t, clk, opts...), "S-1", d(2026, 3, 31), Cycle1M, func(a *Application) { a.RoundLimit = 0 }), clk
}

func setups() []setup {
	return []setup{
		{"scheduled", func(t *testing.T) (*Subscription, *fakeClock) { return baseSub(t) }},
		{"fixed", func(t *testing.T) (*Subscription, *fakeClock) {
			s, clk := baseSub(t)
			a, _ := s.NextAction()
			clk.Set(a.At)
			_, err := s.Notice(a)
			require.NoError(t, err)
			return s, clk
		}},
		{"noticed", func(t *testing.T) (*Subscription, *fakeClock) {
			s, clk := baseSub(t)
			runNotice(t, clk, s)
			return s, clk
		}},
		{"retrying", func(t *testing.T) (*Subscription, *fakeClock) {
			s, clk := baseSub(t)
			runNotice(t, clk, s)
			runCharge(t, clk, s, Declined("declined"))
			return s, clk
		}},
		{"limit reached", func(t *testing.T) (*Subscription, *fakeClock) {
			clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
			s := newSubT(t, newRulesT(t, clk), "S-1", d(2026, 3, 31), Cycle1M, func(a *Application) { a.RoundLimit = 2 })
			for i := 0; i < 2; i++ {
				runNotice(t, clk, s)
				runCharge(t, clk, s, Charged("O"))
			}
			return s, clk
		}},
		{"paused", func(t *testing.T) (*Subscription, *fakeClock) {
			s, clk := baseSub(t)
			require.NoError(t, s.Pause(ActorBuyer))
			return s, clk
		}},
		{"cancelled by buyer", func(t *testing.T) (*Subscription, *fakeClock) {
			s, clk := baseSub(t)
			_, err := s.Cancel(ActorBuyer, "")
			require.NoError(t, err)
			return s, clk
		}},
		{"cancelled by admin", func(t *testing.T) (*Subscription, *fakeClock) {
			s, clk := baseSub(t)
			_, err := s.Cancel(ActorAdmin, "fraud")
			require.NoError(t, err)
			return s, clk
		}},
		{"expired", func(t *testing.T) (*Subscription, *fakeClock) {
			clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
			s := newSubT(t, newRulesT(t, clk), "S-1", d(2026, 3, 31), Cycle1M, func(a *Application) { a.RoundLimit = 2 })
			for i := 0; i < 2; i++ {
				runNotice(t, clk, s)
				runCharge(t, clk, s, Charged("O"))
			}
			a, _ := s.NextAction()
			_, err := s.RecordExpired(a)
			require.NoError(t, err)
			return s, clk
		}},
		{"terminated", func(t *testing.T) (*Subscription, *fakeClock) {
			s, clk := baseSub(t)
			_, err := GatewayReset(context.Background(), []*Subscription{s}, func(context.Context, string) error { return nil }, "")
			require.NoError(t, err)
			return s, clk
		}},
		{"failed", func(t *testing.T) (*Subscription, *fakeClock) {
			s, clk := baseSub(t, WithRetrySchedule(RetrySchedule{}), WithExhaustionPolicy(FailSubscription))
			runNotice(t, clk, s)
			runCharge(t, clk, s, Declined("declined"))
			return s, clk
		}},
	}
}

type op struct {
	name string
	do   func(s *Subscription) error
}

func ops() []op {
	bean := ItemKey{ProductID: "bean", OptionID: "200g"}
	filter := ItemKey{ProductID: "filter"}
	return []op{
		{"pause", func(s *Subscription) error { return s.Pause(ActorBuyer) }},
		{"resume", func(s *Subscription) error { return s.Resume(ActorBuyer) }},
		{"cancel", func(s *Subscription) error { _, err := s.Cancel(ActorBuyer, "moving"); return err }},
		{"cancel some items", func(s *Subscription) error { _, err := s.CancelItems(ActorBuyer, filter); return err }},
		{"cancel all items", func(s *Subscription) error { _, err := s.CancelItems(ActorBuyer, filter, bean); return err }},
		{"change quantity", func(s *Subscription) error { _, err := s.ChangeQuantity(ActorBuyer, bean, 5); return err }},
		{"update price", func(s *Subscription) error { _, err := s.UpdatePrice(bean, 16000); return err }},
		{"skip current round", func(s *Subscription) error {
			seq := 0
			if r, ok := s.CurrentRound(); ok {
				seq = r.Seq
			} else if rs := s.Rounds(); len(rs) > 0 {
				seq = rs[len(rs)-1].Seq + 1 // no current round: a seq that does not exist
			}
			return s.SkipRound(ActorBuyer, seq)
		}},
		{"change cycle", func(s *Subscription) error { return s.ChangeCycle(ActorBuyer, Cycle2M) }},
		{"change receiver", func(s *Subscription) error {
			return s.ChangeReceiver(ActorAdmin, Receiver{Name: "김", Phone: "0212345678", Address1: "서울"})
		}},
		{"raise round limit", func(s *Subscription) error { return s.SetRoundLimit(ActorBuyer, 12) }},
	}
}

// TestTransitions runs every change in every situation: nil means allowed; otherwise the
// sentinel the *TransitionError must match.
func TestTransitions(t *testing.T) {
	t.Parallel()
	ended := map[string]error{}
	for _, o := range ops() {
		ended[o.name] = ErrSubscriptionEnded
	}
	live := func(over map[string]error) map[string]error {
		m := map[string]error{}
		for _, o := range ops() {
			m[o.name] = nil
		}
		m["resume"] = ErrWrongState
		for k, v := range over {
			m[k] = v
		}
		return m
	}
	fixedRules := map[string]error{"pause": ErrRoundFixed, "skip current round": ErrRoundFixed}
	want := map[string]map[string]error{
		"scheduled":          live(nil),
		"fixed":              live(fixedRules),
		"noticed":            live(fixedRules),
		"retrying":           live(fixedRules),
		"limit reached":      live(map[string]error{"skip current round": ErrNoSuchRound}),
		"paused":             live(map[string]error{"pause": ErrWrongState, "resume": nil, "skip current round": ErrWrongState}),
		"cancelled by buyer": ended,
		"cancelled by admin": ended,
		"expired":            ended,
		"terminated":         ended,
		"failed":             ended,
	}
	for _, su := range setups() {
		for _, o := range ops() {
			t.Run(su.name+"/"+o.name, func(t *testing.T) {
				t.Parallel()
				s, _ := su.build(t)
				before := s.State()
				err := o.do(s)
				exp, ok := want[su.name][o.name]
				require.True(t, ok, "missing expectation")
				if exp == nil {
					require.NoError(t, err)
					return
				}
				var te *TransitionError
				require.ErrorAs(t, err, &te)
				assert.ErrorIs(t, err, ErrNotAllowed)
				assert.ErrorIs(t, err, exp)
				assert.Equal(t, before, te.State, "the error names the current state")
				assert.Equal(t, before, s.State(), "a refused change changes nothing")
				assert.Contains(t, err.Error(), "in state "+before.String())
			})
		}
	}
}

// TestTransitionOutcomes checks the state and round after allowed transitions.
func TestTransitionOutcomes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		setup     string
		op        string
		state     State
		lastRound RoundStatus // status of the last round (0: no rounds)
	}{
		{"scheduled", "pause", StatePaused, 0},
		{"scheduled", "cancel", StateCancelledByBuyer, 0},
		{"noticed", "cancel", StateCancelledByBuyer, RoundCancelled},
		{"retrying", "cancel", StateCancelledByBuyer, RoundCancelled},
		{"fixed", "cancel all items", StateCancelledByBuyer, RoundCancelled},
		{"noticed", "cancel some items", StateActive, RoundNoticed},
		{"paused", "resume", StateActive, RoundScheduled},
		{"scheduled", "skip current round", StateActive, RoundScheduled},
		{"limit reached", "raise round limit", StateActive, RoundScheduled},
		{"limit reached", "pause", StatePaused, RoundCharged},
	}
	find := func(name string) setup {
		for _, s := range setups() {
			if s.name == name {
				return s
			}
		}
		panic(name)
	}
	findOp := func(name string) op {
		for _, o := range ops() {
			if o.name == name {
				return o
			}
		}
		panic(name)
	}
	for _, tt := range tests {
		s, _ := find(tt.setup).build(t)
		require.NoError(t, findOp(tt.op).do(s), "%s/%s", tt.setup, tt.op)
		assert.Equal(t, tt.state, s.State(), "%s/%s", tt.setup, tt.op)
		rounds := s.Rounds()
		if tt.lastRound == 0 {
			assert.Empty(t, rounds, "%s/%s", tt.setup, tt.op)
			continue
		}
		require.NotEmpty(t, rounds)
		assert.Equal(t, tt.lastRound, rounds[len(rounds)-1].Status, "%s/%s", tt.setup, tt.op)
	}
}

func TestInvalidActor(t *testing.T) {
	t.Parallel()
	s, _ := baseSub(t)
	for _, err := range []error{
		s.Pause(0), s.Resume(9), s.SkipRound(0, 0), s.ChangeCycle(0, Cycle1M),
		s.ChangeReceiver(0, Receiver{}), s.SetRoundLimit(0, 0),
		func() error { _, err := s.Cancel(0, ""); return err }(),
		func() error { _, err := s.ChangeQuantity(0, ItemKey{}, 1); return err }(),
	} {
		assert.ErrorIs(t, err, ErrInvalid)
		assert.False(t, errors.Is(err, ErrNotAllowed))
	}
	_, err := s.UpdatePrice(ItemKey{}, -1)
	assert.ErrorIs(t, err, ErrInvalid)
	assert.Equal(t, StateActive, s.State())
}
