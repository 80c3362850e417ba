package subscription

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
)

// subsInEveryState returns subscriptions in each state a shop may have to store, sharing
// rules on clk (left at 2026-03-01 09:00).
func subsInEveryState(t *testing.T) (*Rules, *fakeClock, []*Subscription) {
	t.Helper()
	clk := newFakeClock(kstAt(2026, 1, 20, 9, 0))
	rules := newRulesT(t, clk, WithCalendar(Union(Weekends(), NewKoreanPublicHolidays())))
	fresh := newSubT(t, rules, "S-fresh", d(2026, 3, 9), Cycle2W)
	noticed := newSubT(t, rules, "S-noticed", d(2026, 1, 30), Cycle1M)
	charged := newSubT(t, rules, "S-charged", d(2026, 1, 31), Cycle1W, func(a *Application) { a.RoundLimit = 12 })
	retrying := newSubT(t, rules, "S-retrying", d(2026, 2, 27), Cycle1M)
	paused := newSubT(t, rules, "S-paused", d(2026, 3, 16), Cycle1W)
	cancelled := newSubT(t, rules, "S-cancelled", d(2026, 3, 16), Cycle1W)
	expiring := newSubT(t, rules, "S-expiring", d(2026, 2, 2), Cycle1W, func(a *Application) { a.RoundLimit = 2 })

	runNotice(t, clk, noticed)
	for i := 0; i < 3; i++ {
		runNotice(t, clk, charged)
		runCharge(t, clk, charged, Charged(fmt.Sprintf("O-%d", i)))
	}
	require.NoError(t, charged.ChangeCycle(ActorBuyer, Cycle1M))
	_, err := charged.ChangeQuantity(ActorBuyer, ItemKey{ProductID: "filter"}, 3)
	require.NoError(t, err)
	runNotice(t, clk, retrying)
	runCharge(t, clk, retrying, Declined("한도초과"))
	require.NoError(t, paused.Pause(ActorBuyer))
	_, err = cancelled.Cancel(ActorBuyer, "이사")
	require.NoError(t, err)
	for i := 0; i < 2; i++ {
		runNotice(t, clk, expiring)
		runCharge(t, clk, expiring, Charged(fmt.Sprintf("E-%d", i)))
	}
	subs := []*Subscription{fresh, noticed, charged, retrying, paused, cancelled, expiring}
	clk.Set(kstAt(2026, 3, 1, 9, 0))
	return rules, clk, subs
}

func TestSnapshotRestoreRoundTrip(t *testing.T) {
	t.Parallel()
	rules, clk, subs := subsInEveryState(t)
	for _, s := range subs {
		snap := s.Snapshot()
		r, err := Restore(rules, snap)
		require.NoError(t, err, s.ID())
		require.Equal(t, snap, r.Snapshot(), s.ID())

		// The restored subscription goes on exactly as the original.
		for step := 0; step < 4; step++ {
			a, ok := s.NextAction()
			b, okR := r.NextAction()
			require.Equal(t, ok, okR, s.ID())
			if !ok {
				break
			}
			require.Equal(t, a, b, s.ID())
			clk.Set(a.At)
			switch a.Kind {
			case ActionSendNotice:
				require.NoError(t, s.RecordNoticeSent(a))
				require.NoError(t, r.RecordNoticeSent(b))
			case ActionCharge, ActionRetryCharge:
				_, err := s.RecordCharge(a, Charged("O"))
				require.NoError(t, err)
				_, err = r.RecordCharge(b, Charged("O"))
				require.NoError(t, err)
			case ActionExpire:
				_, err := s.RecordExpired(a)
				require.NoError(t, err)
				_, err = r.RecordExpired(b)
				require.NoError(t, err)
			}
			require.Equal(t, s.Snapshot(), r.Snapshot(), s.ID())
		}
		clk.Set(kstAt(2026, 3, 1, 9, 0))
	}
}

func TestSnapshotSurvivesJSON(t *testing.T) {
	t.Parallel()
	rules, _, subs := subsInEveryState(t)
	for _, s := range subs {
		b, err := json.Marshal(s.Snapshot())
		require.NoError(t, err)
		var back Snapshot
		require.NoError(t, json.Unmarshal(b, &back))
		r, err := Restore(rules, back)
		require.NoError(t, err, s.ID())
		want, wantOK := s.NextAction()
		got, gotOK := r.NextAction()
		require.Equal(t, wantOK, gotOK, s.ID())
		assert.Equal(t, want.ID(), got.ID(), s.ID())
		assert.True(t, want.At.Equal(got.At), s.ID())
		assert.Equal(t, len(s.Rounds()), len(r.Rounds()))
	}
}

func TestRestoreRefusesInconsistentSnapshots(t *testing.T) {
	t.Parallel()
	rules, _, subs := subsInEveryState(t)
	var charged Snapshot
	for _, s := range subs {
		if s.ID() == "S-charged" {
			charged = s.Snapshot()
		}
	}
	tests := []struct {
		name  string
		edit  func(*Snapshot)
		field string
	}{
		{"count disagrees", func(s *Snapshot) { s.RoundsCharged++ }, "RoundsCharged"},
		{"rounds out of order", func(s *Snapshot) { s.Rounds[0].Seq, s.Rounds[1].Seq = s.Rounds[1].Seq, s.Rounds[0].Seq }, "Rounds[1].Seq"},
		{"seq reused", func(s *Snapshot) { s.NextSeq = 0 }, "Rounds[0].Seq"},
		{"bad state", func(s *Snapshot) { s.State = 42 }, "State"},
		{"bad cycle", func(s *Snapshot) { s.Cycle = 0 }, "Cycle"},
		{"in progress while ended", func(s *Snapshot) { s.State = StateCancelledByBuyer }, index("Rounds", len(charged.Rounds)-1) + ".Status"},
		{"no billing key", func(s *Snapshot) { s.BillingKeyRef = "" }, "BillingKeyRef"},
		{"bad anchor day", func(s *Snapshot) { s.AnchorDay = 32 }, "AnchorDay"},
		{"receiver phone", func(s *Snapshot) { s.Receiver.Phone = "12" }, "Receiver.Phone"},
	}
	for _, tt := range tests {
		snap := charged
		snap.Rounds = append([]Round(nil), charged.Rounds...)
		tt.edit(&snap)
		_, err := Restore(rules, snap)
		fe := problemOf(t, err, tt.field, tt.name)
		assert.NotEmpty(t, fe.Rule, tt.name)
	}
	_, err := Restore(nil, charged)
	problemOf(t, err, "rules")
	_, err = Restore(rules, Snapshot{})
	var ve *kshop.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Greater(t, len(ve.Problems), 5, "every problem of an empty snapshot at once")
}

func TestSnapshotPrintsNoPersonalData(t *testing.T) {
	t.Parallel()
	_, _, subs := subsInEveryState(t)
	snap := subs[2].Snapshot()
	secrets := []string{"홍길동", "01012345678", "010-1234-5678", "secretkey", "세종대로"}
	var text, direct, wrapped strings.Builder
	// The text handler prints values with fmt, which calls their Format, however nested.
	slog.New(slog.NewTextHandler(&text, nil)).Info("stored", "snapshot", snap, "wrapped", struct{ S Snapshot }{snap},
		"sub", subs[2], "round", snap.Rounds[0], "customer", snap.Customer)
	// The JSON handler resolves a LogValuer it is given directly...
	slog.New(slog.NewJSONHandler(&direct, nil)).Info("stored", "snapshot", snap, "sub", subs[2], "customer", snap.Customer,
		"receiver", snap.Receiver)
	// ...but marshals a value that merely holds one: the documented exception (the JSON is
	// how a Snapshot is stored).
	slog.New(slog.NewJSONHandler(&wrapped, nil)).Info("stored", "wrapped", struct{ S Snapshot }{snap})
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		out := fmt.Sprintf(verb, snap) + fmt.Sprintf(verb, []Snapshot{snap}) + fmt.Sprintf(verb, subs[2]) +
			fmt.Sprintf(verb, snap.Rounds) + fmt.Sprintf(verb, snap.Customer) + fmt.Sprintf(verb, snap.Receiver)
		for _, secret := range secrets {
			assert.NotContains(t, out, secret, verb)
		}
		assert.Contains(t, out, "S-charged", verb)
	}
	for _, out := range []string{text.String(), direct.String()} {
		for _, secret := range secrets {
			assert.NotContains(t, out, secret)
		}
	}
	assert.Contains(t, direct.String(), `"rounds_charged":3`)
	assert.Contains(t, wrapped.String(), "01012345678", "a Snapshot's JSON is its whole state")
}

func TestPlannerAll(t *testing.T) {
	t.Parallel()
	_, _, subs := subsInEveryState(t)
	p := NewPlanner()
	require.NoError(t, p.Add(subs...))
	all := p.All()
	require.Len(t, all, len(subs))
	for i := 1; i < len(all); i++ {
		assert.Less(t, all[i-1].ID(), all[i].ID())
	}
	all[0] = nil
	assert.NotNil(t, p.All()[0], "All returns a fresh slice")

	// Rebuild after a restart: snapshot all, restore all, same agenda.
	rules := subs[0].rules
	q := NewPlanner()
	for _, s := range p.All() {
		r, err := Restore(rules, s.Snapshot())
		require.NoError(t, err)
		require.NoError(t, q.Add(r))
	}
	from := kstAt(2026, 3, 1, 9, 30)
	want, err := p.Agenda(from, from.AddDate(0, 1, 0))
	require.NoError(t, err)
	got, err := q.Agenda(from, from.AddDate(0, 1, 0))
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

type dueEntry struct {
	ID string
	At time.Time
}

func entries(as []Action) []dueEntry {
	out := make([]dueEntry, len(as))
	for i, a := range as {
		out[i] = dueEntry{a.ID(), a.At}
	}
	return out
}

// The agenda of a month equals what a worker calling Due once a day and recording every
// action as a success is given over that month.
func TestAgendaAgreesWithDueDayByDay(t *testing.T) {
	t.Parallel()
	for _, mode := range []OffsetMode{CalendarDays, BusinessDays} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			clk := newFakeClock(kstAt(2026, 2, 20, 9, 0))
			rules := newRulesT(t, clk, WithOffsetMode(mode), WithCalendar(Union(Weekends(), NewKoreanPublicHolidays())))
			p := NewPlanner()
			add := func(id string, start Date, c Cycle, mutate ...func(*Application)) *Subscription {
				s := newSubT(t, rules, id, start, c, mutate...)
				require.NoError(t, p.Add(s))
				return s
			}
			add("S-1w", d(2026, 3, 9), Cycle1W)
			add("S-2w", d(2026, 3, 10), Cycle2W)
			add("S-1m", d(2026, 3, 31), Cycle1M)
			add("S-limit", d(2026, 3, 12), Cycle1W, func(a *Application) { a.RoundLimit = 2 })
			paused := add("S-paused", d(2026, 3, 11), Cycle1W)
			require.NoError(t, paused.Pause(ActorBuyer))
			retrying := add("S-retry", d(2026, 3, 3), Cycle2W)
			runNotice(t, clk, retrying)
			a, _ := runCharge(t, clk, retrying, Declined("잔액부족"))
			from := a.At.Add(30 * time.Minute)
			to := from.AddDate(0, 0, 31)
			clk.Set(from)

			before := make(map[string]Snapshot)
			for _, s := range p.All() {
				before[s.ID()] = s.Snapshot()
			}
			agenda, err := p.Agenda(from, to)
			require.NoError(t, err)
			for _, s := range p.All() {
				require.Equal(t, before[s.ID()], s.Snapshot(), "Agenda records nothing")
			}

			var worked []Action
			for day := 0; day <= 31; day++ {
				at := from.AddDate(0, 0, day)
				if !at.Before(to) {
					at = to.Add(-time.Nanosecond)
				}
				clk.Set(at)
				for {
					due := p.Due(at)
					if len(due) == 0 {
						break
					}
					for _, a := range due {
						worked = append(worked, a)
						s, _ := p.Get(a.SubscriptionID)
						switch a.Kind {
						case ActionSendNotice:
							require.NoError(t, s.RecordNoticeSent(a))
						case ActionCharge, ActionRetryCharge:
							_, err := s.RecordCharge(a, Charged("O-"+a.ID()))
							require.NoError(t, err)
						case ActionExpire:
							_, err := s.RecordExpired(a)
							require.NoError(t, err)
						}
					}
				}
			}
			sortActions(worked)
			require.NotEmpty(t, agenda)
			assert.Equal(t, entries(worked), entries(agenda))
			kinds := map[ActionKind]int{}
			for _, a := range agenda {
				kinds[a.Kind]++
			}
			for _, k := range []ActionKind{ActionSendNotice, ActionCharge, ActionRetryCharge, ActionExpire} {
				assert.Positive(t, kinds[k], "the month holds a %s", k)
			}
		})
	}
}

func TestAgendaWindow(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	p := NewPlanner()
	require.NoError(t, p.Add(newSubT(t, newRulesT(t, clk), "S-1", d(2026, 3, 31), Cycle1M)))
	at := kstAt(2026, 3, 29, 9, 0)
	got, err := p.Agenda(at, at.Add(time.Minute))
	require.NoError(t, err)
	assert.Equal(t, []string{"S-1/0/notice"}, actionIDs(got), "from is included")
	got, err = p.Agenda(at.Add(-time.Hour), at)
	require.NoError(t, err)
	assert.Empty(t, got, "to is excluded")
	year, err := p.Agenda(at, at.AddDate(1, 0, 0))
	require.NoError(t, err)
	assert.Len(t, year, 24, "a notice and a charge a month for a year")
	for _, bad := range [][2]time.Time{{at, at}, {at, at.Add(-time.Hour)}, {at, at.AddDate(2, 0, 0)}, {{}, at}, {at, {}}} {
		_, err := p.Agenda(bad[0], bad[1])
		var ve *kshop.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "subscription.Planner.Agenda", ve.Op)
	}
}
