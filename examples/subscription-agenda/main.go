// Command subscription-agenda plans recurring deliveries (정기배송) and shows an operator what
// is coming: the next rounds' notices and charges, and what falls due on one day. It runs on
// a fixed clock, so its output is always the same:
//
//	go run ./examples/subscription-agenda
//
// Agenda records nothing; a worker runs the actions with Planner.Due as they fall due.
package main

import (
	"fmt"
	"log"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/subscription"
)

func main() {
	log.SetFlags(0)
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, kshop.KST()) // the fixed clock
	rules, err := subscription.NewRules(
		subscription.WithTimeSource(subscription.TimeFunc(func() time.Time { return now })),
		subscription.WithCalendar(subscription.Union(subscription.Weekends(), subscription.NewKoreanPublicHolidays())))
	if err != nil {
		log.Fatal(err)
	}
	plan := subscription.Plan{Name: "원두 정기배송", Cycles: subscription.AllCycles(), RoundLimits: []int{0, 6},
		DiscountUnit: subscription.DiscountPercent, Discounts: []subscription.DiscountStep{{FromRound: 2, Value: 10}}}
	planner := subscription.NewPlanner()
	for _, a := range []struct {
		id, name, start string
		cycle           subscription.Cycle
	}{{"S-1", "홍길동", "2026-11-30", subscription.Cycle1M}, {"S-2", "김영희", "2026-12-01", subscription.Cycle2W}} {
		start, err := subscription.ParseDate(a.start)
		if err != nil {
			log.Fatal(err)
		}
		sub, err := subscription.NewSubscription(plan, rules, subscription.Application{
			ID: a.id, Customer: subscription.Customer{ID: "member-" + a.id, Name: a.name, Phone: "010-1234-5678"},
			Receiver: subscription.Receiver{Name: a.name, Phone: "010-1234-5678", Address1: "서울 중구 세종대로 110"},
			Start:    start, Cycle: a.cycle, RoundLimit: 6, PaymentMethod: subscription.PaymentCard, BillingKeyRef: "bk-" + a.id,
			Items: []subscription.Item{{Name: "원두 200g", Quantity: 2, UnitPrice: 15000, Product: subscription.Product{
				ID: "bean", Kind: subscription.ProductRegular, SubscriptionEnabled: true}}},
		})
		if err != nil {
			log.Fatal(err) // a *kshop.ValidationError lists every problem of the application
		}
		if err := planner.Add(sub); err != nil {
			log.Fatal(err)
		}
	}

	fmt.Printf("now %s; the agenda of the next 6 weeks:\n", now.Format("2006-01-02 15:04"))
	show(planner, now, now.AddDate(0, 0, 42))

	day := time.Date(2026, 12, 14, 0, 0, 0, 0, kshop.KST())
	fmt.Printf("\ndue on %s (%s):\n", day.Format("2006-01-02"), day.Weekday())
	show(planner, day, day.AddDate(0, 0, 1))
}

// show prints the actions planned in [from, to), each with the ID a worker uses as its
// idempotency key (the AlimTalk Ref, the payment gateway's order ID).
func show(p *subscription.Planner, from, to time.Time) {
	actions, err := p.Agenda(from, to)
	if err != nil {
		log.Fatal(err)
	}
	if len(actions) == 0 {
		fmt.Println("  nothing")
	}
	for _, a := range actions {
		fmt.Printf("  %s  %-4s round %d  %-14s %s\n", a.At.Format("01-02 Mon 15:04"), a.SubscriptionID, a.Round, a.Kind, a.ID())
	}
}
