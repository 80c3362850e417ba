package subscription

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// The Apply benchmarks come first in this file, so they run before the Due benchmarks build
// their large book, whose live heap would otherwise tax every allocation with GC work.
//
// The Due benchmarks run a planner over a realistic book of subscriptions and ask for the
// actions due at instants chosen so that a known share of the book is due; the Apply
// benchmarks measure what recording an action's outcome costs. They are not comparisons (there
// is no hand-written baseline), so scripts/bench prints their ns/op on their own.
//
//	go test -run '^$' -bench 'BenchmarkDue|BenchmarkApply' -benchmem ./subscription/

const benchSubscriptions = 200_000

// benchBook is the planner of benchSubscriptions subscriptions and the instant of every
// pending action, sorted. Built once per process.
type benchBook struct {
	planner *Planner
	pending []time.Time
}

// The book's mix: all 11 cycles; starts spread over 300 days from 2026-03-10; weekends and
// Korean public holidays closed; eight rule sets (notice and charge hours 07:00–14:30, two
// notice offsets) as several shops or programmes would have; and, per 20 subscriptions, one
// paused, one cancelled, two noticed and waiting for their charge, one declined and waiting
// for a retry, one in its second round, the rest waiting for their first notice.
var benchBookOnce = sync.OnceValue(func() benchBook { return buildBenchBook(benchSubscriptions) })

// buildBenchBook builds a book of n subscriptions in the mix above.
func buildBenchBook(n int) benchBook {
	clk := newFakeClock(kstAt(2026, 3, 1, 9, 0))
	cal := Union(Weekends(), NewKoreanPublicHolidays())
	rules := make([]*Rules, 8)
	for k := range rules {
		r, err := NewRules(WithTimeSource(clk), WithCalendar(cal), WithNoticeOffset(2+k%2),
			WithNoticeTime(Clock(7+k, 0)), WithChargeTime(Clock(7+k, 30)))
		if err != nil {
			panic(err)
		}
		rules[k] = r
	}
	plan := testPlan()
	subs := make([]*Subscription, n)
	for i := range subs {
		clk.Set(kstAt(2026, 3, 1, 9, 0))
		app := testApp(fmt.Sprintf("S-%07d", i), d(2026, 3, 10).AddDays(i%300), Cycle(1+i%11))
		s, err := NewSubscription(plan, rules[(i/300)%len(rules)], app)
		if err != nil {
			panic(err)
		}
		if err := benchMix(clk, s, i%20); err != nil {
			panic(fmt.Sprintf("subscription %d: %v", i, err))
		}
		subs[i] = s
	}
	p := NewPlanner()
	if err := p.Add(subs...); err != nil {
		panic(err)
	}
	var pending []time.Time
	for _, s := range subs {
		if a, ok := s.NextAction(); ok {
			pending = append(pending, a.At)
		}
	}
	slices.SortFunc(pending, time.Time.Compare)
	return benchBook{planner: p, pending: pending}
}

// benchMix moves a new subscription to the state its class in the mix calls for.
func benchMix(clk *fakeClock, s *Subscription, class int) error {
	step := func(want ...ActionKind) (Action, error) {
		a, ok := s.NextAction()
		if !ok || !slices.Contains(want, a.Kind) {
			return a, fmt.Errorf("pending %v, want %v", a.Kind, want)
		}
		clk.Set(a.At)
		return a, nil
	}
	notice := func() error {
		a, err := step(ActionSendNotice)
		if err != nil {
			return err
		}
		return s.RecordNoticeSent(a)
	}
	charge := func(res ChargeResult) error {
		a, err := step(ActionCharge, ActionRetryCharge)
		if err != nil {
			return err
		}
		_, err = s.RecordCharge(a, res)
		return err
	}
	switch class {
	case 0:
		return s.Pause(ActorBuyer)
	case 1:
		_, err := s.Cancel(ActorBuyer, "moving abroad")
		return err
	case 2, 3:
		return notice()
	case 4:
		if err := notice(); err != nil {
			return err
		}
		return charge(Declined("insufficient funds"))
	case 5:
		if err := notice(); err != nil {
			return err
		}
		return charge(Charged("O-1"))
	}
	return nil
}

// asOfFor returns the instant at which the share frac of the book is due, and how many are.
func (bk benchBook) asOfFor(frac float64) (time.Time, int) {
	if frac == 0 {
		return bk.pending[0].Add(-time.Minute), 0
	}
	k := int(frac * float64(bk.planner.Len()))
	at := bk.pending[k-1]
	n, _ := slices.BinarySearchFunc(bk.pending, at.Add(time.Nanosecond), time.Time.Compare)
	return at, n
}

// The benchmark book holds the mix it claims (checked on a smaller book of the same build),
// and asOfFor finds the instant where a share is due.
func TestBenchBookMixIsRealistic(t *testing.T) {
	t.Parallel()
	const n = 6000
	bk := buildBenchBook(n)
	states := map[State]int{}
	kinds := map[ActionKind]int{}
	cycles := map[Cycle]bool{}
	for _, s := range bk.planner.All() {
		states[s.State()]++
		if a, ok := s.NextAction(); ok {
			kinds[a.Kind]++
		}
		cycles[s.Snapshot().Cycle] = true
	}
	if states[StatePaused] != n/20 || states[StateCancelledByBuyer] != n/20 || states[StateActive] != n-2*n/20 {
		t.Fatalf("states %v", states)
	}
	if kinds[ActionCharge] != 2*n/20 || kinds[ActionRetryCharge] != n/20 || kinds[ActionSendNotice] != 15*n/20 {
		t.Fatalf("pending actions %v", kinds)
	}
	if len(cycles) != 11 {
		t.Fatalf("%d cycles in the book, want all 11", len(cycles))
	}
	if _, due := bk.asOfFor(0); due != 0 || len(bk.planner.Due(bk.pending[0].Add(-time.Minute))) != 0 {
		t.Fatalf("0 %%: %d due", due)
	}
	for _, frac := range []float64{0.02, 0.08, 0.40} {
		asOf, due := bk.asOfFor(frac)
		if got := len(bk.planner.Due(asOf)); got != due || float64(due) < frac*n || float64(due) > (frac+0.02)*n {
			t.Fatalf("%g %%: %d due, planner says %d", frac*100, due, got)
		}
	}
}

// BenchmarkApply measures recording outcomes, one round per operation on a pool of
// subscriptions taken in turn (all cycles, holidays closed, no round limit): "notice+charge"
// is Notice, RecordNoticeSent and a successful RecordCharge; "notice+decline+retry" adds a
// declined charge and its successful retry. ns/action is ns/op divided by the actions applied.
func BenchmarkApply(b *testing.B) {
	for _, path := range []struct {
		name    string
		results []ChargeResult
	}{
		{"notice+charge", []ChargeResult{Charged("O-1")}},
		{"notice+decline+retry", []ChargeResult{Declined("insufficient funds"), Charged("O-1")}},
	} {
		b.Run(path.name, func(b *testing.B) {
			clk := newFakeClock(kstAt(2026, 3, 1, 9, 0))
			rules, err := NewRules(WithTimeSource(clk), WithCalendar(Union(Weekends(), NewKoreanPublicHolidays())))
			if err != nil {
				b.Fatal(err)
			}
			pool := make([]*Subscription, 256)
			for i := range pool {
				s, err := NewSubscription(testPlan(), rules, testApp(fmt.Sprintf("S-%d", i), d(2026, 3, 10).AddDays(i%30), Cycle(1+i%11)))
				if err != nil {
					b.Fatal(err)
				}
				pool[i] = s
			}
			next := func(s *Subscription, want ActionKind) Action {
				a, ok := s.NextAction()
				if !ok || a.Kind != want && !(want == ActionCharge && a.Kind == ActionRetryCharge) {
					b.Fatalf("pending %v, want %v", a.Kind, want)
				}
				clk.Set(a.At)
				return a
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				s := pool[i%len(pool)]
				i++
				a := next(s, ActionSendNotice)
				if _, err := s.Notice(a); err != nil {
					b.Fatal(err)
				}
				if err := s.RecordNoticeSent(a); err != nil {
					b.Fatal(err)
				}
				for _, res := range path.results {
					if _, err := s.RecordCharge(next(s, ActionCharge), res); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(1+len(path.results)), "ns/action")
		})
	}
}

// BenchmarkDue measures Planner.AppendDue over the book at instants where 0 %, 2 %, 8 % and
// 40 % of it is due (the setup checks the share, within 0.2 percentage points). The actions
// go into a reused buffer and are sorted; ns/sub is the cost per subscription held.
func BenchmarkDue(b *testing.B) {
	bk := benchBookOnce()
	n := bk.planner.Len()
	for _, frac := range []float64{0, 0.02, 0.08, 0.40} {
		b.Run(fmt.Sprintf("due=%g%%", frac*100), func(b *testing.B) {
			asOf, want := bk.asOfFor(frac)
			buf := bk.planner.AppendDue(nil, asOf) // also warms the buffer
			if len(buf) != want {
				b.Fatalf("due = %d, the pending instants say %d", len(buf), want)
			}
			if got := float64(len(buf)) / float64(n); got < frac || got > frac+0.002 || frac == 0 && len(buf) != 0 {
				b.Fatalf("%.3f %% of the book is due, want %g %%", got*100, frac*100)
			}
			b.ReportAllocs()
			for b.Loop() {
				buf = bk.planner.AppendDue(buf[:0], asOf)
			}
			if len(buf) != want {
				b.Fatalf("due = %d, want %d", len(buf), want)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/sub")
			b.ReportMetric(float64(len(buf)), "due")
		})
	}
}

// BenchmarkSubscriptionDue measures the per-subscription check alone, nothing due.
func BenchmarkSubscriptionDue(b *testing.B) {
	clk := newFakeClock(kstAt(2026, 3, 1, 9, 0))
	rules, err := NewRules(WithTimeSource(clk))
	if err != nil {
		b.Fatal(err)
	}
	s, err := NewSubscription(testPlan(), rules, testApp("S-1", d(2026, 3, 31), Cycle1M))
	if err != nil {
		b.Fatal(err)
	}
	asOf := kstAt(2026, 3, 5, 9, 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := s.Due(asOf); ok {
			b.Fatal("unexpectedly due")
		}
	}
}
