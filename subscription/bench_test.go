package subscription

import (
	"fmt"
	"sync"
	"testing"
)

const benchSubscriptions = 1_000_000

// benchPlanner holds 1,000,000 subscriptions whose start dates spread over 100 days from
// 2026-03-10, so that at 2026-03-08 09:00 exactly 1 % have their notice due. Built once.
var benchPlanner = sync.OnceValue(func() *Planner {
	clk := newFakeClock(kstAt(2026, 3, 1, 9, 0))
	rules, err := NewRules(WithTimeSource(clk), WithCalendar(Union(Weekends(), NewKoreanPublicHolidays())))
	if err != nil {
		panic(err)
	}
	plan := testPlan()
	subs := make([]*Subscription, benchSubscriptions)
	for i := range subs {
		app := testApp(fmt.Sprintf("S-%07d", i), d(2026, 3, 10).AddDays(i%100), Cycle(1+i%11))
		s, err := NewSubscription(plan, rules, app)
		if err != nil {
			panic(err)
		}
		subs[i] = s
	}
	p := NewPlanner()
	if err := p.Add(subs...); err != nil {
		panic(err)
	}
	return p
})

// BenchmarkDue measures Planner.Due over 1,000,000 subscriptions. "none-due" is the
// common case (the per-subscription path: one atomic load, no lock, no allocation);
// "1pct-due" returns 10,000 actions into a reused buffer and sorts them.
// Run: go test -run '^$' -bench BenchmarkDue -benchtime 20x ./subscription/
func BenchmarkDue(b *testing.B) {
	p := benchPlanner()
	n := p.Len()
	cases := []struct {
		name string
		asOf int // days after 2026-03-01
		want int
	}{
		{"none-due", 4, 0},
		{"1pct-due", 7, n / 100},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			asOf := d(2026, 3, 1).AddDays(c.asOf).At(Clock(9, 0))
			buf := p.AppendDue(nil, asOf) // warm the buffer
			if len(buf) != c.want {
				b.Fatalf("due = %d, want %d", len(buf), c.want)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				buf = p.AppendDue(buf[:0], asOf)
			}
			b.StopTimer()
			if len(buf) != c.want {
				b.Fatalf("due = %d, want %d", len(buf), c.want)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/sub")
			b.ReportMetric(float64(n), "subs")
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
