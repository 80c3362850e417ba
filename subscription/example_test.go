package subscription_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/subscription"
)

// exampleClock is a settable clock for the examples (production code keeps the default).
type exampleClock struct{ now time.Time }

func (c *exampleClock) Now() time.Time { return c.now }

func examplePlan() subscription.Plan {
	return subscription.Plan{
		Name:         "원두 정기배송",
		Cycles:       []subscription.Cycle{subscription.Cycle1W, subscription.Cycle2W, subscription.Cycle1M},
		RoundLimits:  append([]int{0}, subscription.Cafe24RoundLimits()...),
		DiscountUnit: subscription.DiscountPercent,
		Discounts:    []subscription.DiscountStep{{FromRound: 1, Value: 10}, {FromRound: 5, Value: 20}},
	}
}

func exampleApp(id string, start subscription.Date, c subscription.Cycle) subscription.Application {
	return subscription.Application{
		ID:       id,
		Customer: subscription.Customer{ID: "member-1", Name: "홍길동", Phone: "01012345678"},
		Receiver: subscription.Receiver{Name: "홍길동", Phone: "01012345678", Address1: "서울 중구 세종대로 110"},
		Start:    start,
		Cycle:    c,
		Items: []subscription.Item{{
			Product:  subscription.Product{ID: "bean", Kind: subscription.ProductRegular, SubscriptionEnabled: true},
			OptionID: "200g", Name: "원두 200g", Quantity: 2, UnitPrice: 15000,
		}},
		PaymentMethod: subscription.PaymentCard,
		BillingKeyRef: "bk_" + id,
	}
}

func date(s string) subscription.Date {
	d, err := subscription.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// A plan and a subscription: month-end dates keep the anchor day, notices go 2 days and
// charges 1 day before delivery, and the discount step changes at round 5.
func ExampleNewSubscription() {
	clock := &exampleClock{now: time.Date(2028, 1, 20, 9, 0, 0, 0, kshop.KST())}
	rules, err := subscription.NewRules(subscription.WithTimeSource(clock))
	if err != nil {
		panic(err)
	}
	sub, err := subscription.NewSubscription(examplePlan(), rules, exampleApp("S-20280120-00000001", date("2028-01-31"), subscription.Cycle1M))
	if err != nil {
		panic(err)
	}
	preview, _ := rules.Preview(date("2028-01-31"), subscription.Cycle1M, 6)
	for i, rd := range preview {
		q := examplePlan().Quote(i+1, exampleApp("x", rd.Delivery, subscription.Cycle1M).Items)
		fmt.Printf("round %d: deliver %s, notice %s, charge %s, %d원\n", i+1, rd.Delivery, rd.NoticeDate, rd.ChargeDate, q.Total)
	}
	next, _ := sub.NextAction()
	fmt.Println("first action:", next.ID(), next.At.Format("2006-01-02 15:04 MST"))
	// Output:
	// round 1: deliver 2028-01-31, notice 2028-01-29, charge 2028-01-30, 27000원
	// round 2: deliver 2028-02-29, notice 2028-02-27, charge 2028-02-28, 27000원
	// round 3: deliver 2028-03-31, notice 2028-03-29, charge 2028-03-30, 27000원
	// round 4: deliver 2028-04-30, notice 2028-04-28, charge 2028-04-29, 27000원
	// round 5: deliver 2028-05-31, notice 2028-05-29, charge 2028-05-30, 24000원
	// round 6: deliver 2028-06-30, notice 2028-06-28, charge 2028-06-29, 24000원
	// first action: S-20280120-00000001/0/notice 2028-01-29 09:00 KST
}

// Refused applications come back as one *kshop.ValidationError listing every problem;
// specific causes match with errors.Is.
func ExampleNewSubscription_refused() {
	clock := &exampleClock{now: time.Date(2026, 3, 20, 9, 0, 0, 0, kshop.KST())}
	rules, _ := subscription.NewRules(subscription.WithTimeSource(clock))

	app := exampleApp("S-1", date("2026-03-21"), subscription.Cycle1M)
	app.Items[0].Product.Kind = subscription.ProductSet
	app.PaymentMethod = subscription.PaymentVirtualAccount
	app.Receiver.Phone = "010-12"
	_, err := subscription.NewSubscription(examplePlan(), rules, app)

	fmt.Println(errors.Is(err, subscription.ErrSetProduct), errors.Is(err, subscription.ErrNotEligible), errors.Is(err, subscription.ErrPaymentMethod))
	var ve *kshop.ValidationError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Printf("%s (%s): %s\n", p.Field, p.Key, p.Rule)
		}
	}
	// Output:
	// true true true
	// Receiver.Phone (receiver.phone): invalid format
	// PaymentMethod (payment_method): not allowed
	// Items[0].Product.Kind (items[0].product.kind): not allowed
	// Start (start): out of range
}

// The planner loop of a worker: ask what is due, do it with the action ID as the
// idempotency key, record the outcome. Notices are events with template variables; here
// a stand-in for an AlimTalk sender prints them (this package does not import alimtalk).
func ExamplePlanner_Due() {
	clock := &exampleClock{now: time.Date(2026, 3, 20, 9, 0, 0, 0, kshop.KST())}
	rules, _ := subscription.NewRules(subscription.WithTimeSource(clock))
	sub, _ := subscription.NewSubscription(examplePlan(), rules, exampleApp("S-1", date("2026-03-31"), subscription.Cycle1M))
	planner := subscription.NewPlanner()
	_ = planner.Add(sub)

	sendAlimTalk := func(template, idempotencyKey string, vars map[string]string) {
		fmt.Printf("  alimtalk %s key=%s: #{회차}=%s #{배송일}=%s #{결제금액}=%s #{상품}=%s\n",
			template, idempotencyKey, vars["round"], vars["delivery_date"], vars["amount"], vars["items"])
	}
	chargeCard := func(req subscription.ChargeRequest) subscription.ChargeResult {
		fmt.Printf("  charge %d원 key=%s\n", req.Amount, req.IdempotencyKey)
		return subscription.Charged("ORD-" + req.IdempotencyKey)
	}

	for _, at := range []string{"2026-03-29 09:00", "2026-03-29 09:00", "2026-03-30 09:00"} {
		clock.now, _ = time.ParseInLocation("2006-01-02 15:04", at, kshop.KST())
		due := planner.Due(clock.now)
		fmt.Printf("%s: %d due\n", at, len(due))
		for _, a := range due {
			s, _ := planner.Get(a.SubscriptionID)
			switch a.Kind {
			case subscription.ActionSendNotice:
				ev, _ := s.Notice(a)
				sendAlimTalk("SUBSCRIPTION_PAYMENT_NOTICE", a.ID(), ev.Vars())
				_ = s.RecordNoticeSent(a)
			case subscription.ActionCharge, subscription.ActionRetryCharge:
				req, _ := s.ChargeRequest(a)
				_, _ = s.RecordCharge(a, chargeCard(req))
			}
		}
	}
	r, _ := sub.CurrentRound()
	fmt.Println("next round:", r.Number, r.Delivery)
	// Output:
	// 2026-03-29 09:00: 1 due
	//   alimtalk SUBSCRIPTION_PAYMENT_NOTICE key=S-1/0/notice: #{회차}=1 #{배송일}=2026-03-31 #{결제금액}=27,000원 #{상품}=원두 200g x2
	// 2026-03-29 09:00: 0 due
	// 2026-03-30 09:00: 1 due
	//   charge 27000원 key=S-1/0/charge/1
	// next round: 2 2026-04-30
}

// A declined card is retried at 10:00 and 17:00 KST for 3 days; then the round fails.
func ExampleSubscription_RecordCharge() {
	clock := &exampleClock{now: time.Date(2026, 3, 20, 9, 0, 0, 0, kshop.KST())}
	rules, _ := subscription.NewRules(subscription.WithTimeSource(clock),
		subscription.WithExhaustionPolicy(subscription.FailSubscription))
	sub, _ := subscription.NewSubscription(examplePlan(), rules, exampleApp("S-1", date("2026-03-31"), subscription.Cycle1M))
	for {
		a, ok := sub.NextAction()
		if !ok {
			break
		}
		clock.now = a.At
		if a.Kind == subscription.ActionSendNotice {
			_ = sub.RecordNoticeSent(a)
			continue
		}
		events, _ := sub.RecordCharge(a, subscription.Declined("잔액부족"))
		fmt.Printf("%s %s →", a.At.Format("01-02 15:04"), a.ID())
		for _, e := range events {
			fmt.Printf(" %s/%s", e.Kind, e.Audience)
		}
		fmt.Println()
	}
	fmt.Println(sub.State())
	// Output:
	// 03-30 09:00 S-1/0/charge/1 → charge_failed/customer
	// 03-30 10:00 S-1/0/charge/2 → charge_failed/customer
	// 03-30 17:00 S-1/0/charge/3 → charge_failed/customer
	// 03-31 10:00 S-1/0/charge/4 → charge_failed/customer
	// 03-31 17:00 S-1/0/charge/5 → charge_failed/customer
	// 04-01 10:00 S-1/0/charge/6 → charge_failed/customer
	// 04-01 17:00 S-1/0/charge/7 → round_failed/customer round_failed/operator failed/customer failed/operator
	// failed
}

// After the payment notice the round's amount is fixed (Cafe24 정기배송(정기결제) FAQ): cancelling
// some items applies from the next round; cancelling all of them stops the round.
func ExampleSubscription_CancelItems() {
	clock := &exampleClock{now: time.Date(2026, 3, 20, 9, 0, 0, 0, kshop.KST())}
	rules, _ := subscription.NewRules(subscription.WithTimeSource(clock))
	app := exampleApp("S-1", date("2026-03-31"), subscription.Cycle1M)
	app.Items = append(app.Items, subscription.Item{
		Product: subscription.Product{ID: "filter", SubscriptionEnabled: true}, Name: "필터", Quantity: 1, UnitPrice: 3000,
	})
	sub, _ := subscription.NewSubscription(examplePlan(), rules, app)
	a, _ := sub.NextAction()
	clock.now = a.At
	_ = sub.RecordNoticeSent(a)

	ch, _ := sub.CancelItems(subscription.ActorBuyer, subscription.ItemKey{ProductID: "filter"})
	fmt.Println("some items: applies to this round:", ch.AppliesToCurrentRound)
	ch, _ = sub.CancelItems(subscription.ActorBuyer, subscription.ItemKey{ProductID: "bean", OptionID: "200g"})
	fmt.Println("all items: round cancelled:", ch.CurrentRoundCancelled, "state:", sub.State())
	_, ok := sub.NextAction()
	fmt.Println("charge pending:", ok)
	// Output:
	// some items: applies to this round: false
	// all items: round cancelled: true state: cancelled by buyer
	// charge pending: false
}

// A payment-gateway reset terminates every live subscription, deletes billing keys
// (a failure is collected, never stops the rest) and addresses termination notices to
// the customer and the operator.
func ExampleGatewayReset() {
	clock := &exampleClock{now: time.Date(2026, 3, 20, 9, 0, 0, 0, kshop.KST())}
	rules, _ := subscription.NewRules(subscription.WithTimeSource(clock))
	var subs []*subscription.Subscription
	for _, id := range []string{"S-1", "S-2", "S-3"} {
		s, _ := subscription.NewSubscription(examplePlan(), rules, exampleApp(id, date("2026-03-31"), subscription.Cycle2W))
		subs = append(subs, s)
	}
	deleteKey := func(_ context.Context, ref string) error {
		if ref == "bk_S-2" {
			return errors.New("PG timeout")
		}
		return nil
	}
	report, err := subscription.GatewayReset(context.Background(), subs, deleteKey, "PG사 변경")
	fmt.Println("terminated:", report.Terminated)
	fmt.Println("keys deleted:", report.KeysDeleted)
	fmt.Println("error:", err)
	for _, e := range report.Events[:2] {
		fmt.Println("event:", e.Key(), e.Reason)
	}
	// Output:
	// terminated: [S-1 S-2 S-3]
	// keys deleted: [S-1 S-3]
	// error: subscription S-2: delete billing key ******: PG timeout
	// event: S-1/terminated/customer PG사 변경
	// event: S-1/terminated/operator PG사 변경
}

// The built-in Korean holiday calendar computes substitute holidays by rule.
func ExampleNewKoreanPublicHolidays() {
	k := subscription.NewKoreanPublicHolidays()
	for _, h := range k.Holidays(2027) {
		if h.Kind == subscription.HolidaySubstitute {
			fmt.Println(h.Date, h.Date.Weekday(), h.Name)
		}
	}
	fmt.Println(k.IsClosed(date("2025-05-06")), k.IsClosed(date("2026-09-28")))
	// Output:
	// 2027-02-09 Tuesday 대체공휴일(설날)
	// 2027-05-03 Monday 대체공휴일(노동절)
	// 2027-07-19 Monday 대체공휴일(제헌절)
	// 2027-08-16 Monday 대체공휴일(광복절)
	// 2027-10-04 Monday 대체공휴일(개천절)
	// 2027-10-11 Monday 대체공휴일(한글날)
	// 2027-12-27 Monday 대체공휴일(기독탄신일)
	// true false
}

// A shop's closed days joined with weekends and public holidays; temporary holidays
// (임시공휴일) are added by the shop.
func ExampleNewShopClosedDays() {
	shop, _ := subscription.NewShopClosedDays(nil, []subscription.Date{date("2025-01-27"), date("2025-08-14")})
	cal := subscription.Union(subscription.Weekends(), subscription.NewKoreanPublicHolidays(), shop)
	rules, _ := subscription.NewRules(subscription.WithCalendar(cal), subscription.WithOffsetMode(subscription.BusinessDays))
	preview, _ := rules.Preview(date("2025-01-24"), subscription.Cycle1W, 3)
	for _, rd := range preview {
		fmt.Println(rd.Nominal, "→", rd.Delivery, "notice", rd.NoticeDate, "charge", rd.ChargeDate)
	}
	// Output:
	// 2025-01-24 → 2025-01-24 notice 2025-01-22 charge 2025-01-23
	// 2025-01-31 → 2025-01-31 notice 2025-01-23 charge 2025-01-24
	// 2025-02-07 → 2025-02-07 notice 2025-02-05 charge 2025-02-06
}

// Makeshop's closed-day rule: due 8/31 on a 2-week cycle, 8/31 and 9/1 closed.
func ExampleRules_Preview() {
	shop, _ := subscription.NewShopClosedDays(nil, []subscription.Date{date("2026-08-31"), date("2026-09-01")})
	for _, policy := range []subscription.ClosedDayPolicy{subscription.NextOpenDay, subscription.NextCycle} {
		rules, _ := subscription.NewRules(subscription.WithCalendar(shop), subscription.WithClosedDayPolicy(policy))
		preview, _ := rules.Preview(date("2026-08-17"), subscription.Cycle2W, 3)
		fmt.Printf("%s:", policy)
		for _, rd := range preview {
			if rd.Skipped {
				fmt.Printf(" (%s skipped)", rd.Nominal)
				continue
			}
			fmt.Printf(" %s", rd.Delivery)
		}
		fmt.Println()
	}
	// Output:
	// next open day: 2026-08-17 2026-09-02 2026-09-14
	// next cycle: 2026-08-17 (2026-08-31 skipped) 2026-09-14
}

// Cycle codes and month-end arithmetic.
func ExampleCycle_AddTo() {
	c, _ := subscription.ParseCycle("1Y")
	for n := 0; n < 5; n++ {
		fmt.Print(c.AddTo(date("2028-02-29"), n), ";")
	}
	fmt.Println()
	m, _ := subscription.ParseCycle("1m")
	for n := 0; n < 4; n++ {
		fmt.Print(m.AddTo(date("2027-01-31"), n), ";")
	}
	fmt.Println()
	// Output:
	// 2028-02-29;2029-02-28;2030-02-28;2031-02-28;2032-02-29;
	// 2027-01-31;2027-02-28;2027-03-31;2027-04-30;
}

// Pause and resume: the next round stays on the cycle.
func ExampleSubscription_Resume() {
	clock := &exampleClock{now: time.Date(2026, 2, 25, 9, 0, 0, 0, kshop.KST())}
	rules, _ := subscription.NewRules(subscription.WithTimeSource(clock))
	sub, _ := subscription.NewSubscription(examplePlan(), rules, exampleApp("S-1", date("2026-03-02"), subscription.Cycle1W))
	_ = sub.Pause(subscription.ActorBuyer)
	clock.now = time.Date(2026, 3, 11, 12, 0, 0, 0, kshop.KST())
	_ = sub.Resume(subscription.ActorBuyer)
	r, _ := sub.CurrentRound()
	fmt.Println(r.Delivery, r.Delivery.Weekday())
	err := sub.Resume(subscription.ActorBuyer)
	var te *subscription.TransitionError
	fmt.Println(errors.As(err, &te), errors.Is(err, subscription.ErrWrongState), te.State)
	// Output:
	// 2026-03-16 Monday
	// true true active
}

// Per-round discounts: the latest applicable step wins; percent discounts floor to the won.
func ExamplePlan_DiscountFor() {
	p := examplePlan()
	for _, round := range []int{1, 4, 5, 12} {
		disc, from := p.DiscountFor(round, 12345)
		fmt.Printf("round %d: -%d (step from round %d)\n", round, disc, from)
	}
	// Output:
	// round 1: -1234 (step from round 1)
	// round 4: -1234 (step from round 1)
	// round 5: -2469 (step from round 5)
	// round 12: -2469 (step from round 5)
}

// Rebuild after a restart: store each subscription's Snapshot (Planner.All lists them),
// then Restore them under the shop's rules. Actions due but not recorded before the
// restart come back with the same IDs.
func ExampleRestore() {
	clock := &exampleClock{now: time.Date(2026, 3, 20, 9, 0, 0, 0, kshop.KST())}
	rules, _ := subscription.NewRules(subscription.WithTimeSource(clock))
	planner := subscription.NewPlanner()
	for _, id := range []string{"S-2", "S-1"} {
		s, _ := subscription.NewSubscription(examplePlan(), rules, exampleApp(id, date("2026-03-31"), subscription.Cycle1M))
		_ = planner.Add(s)
	}

	var stored []subscription.Snapshot // e.g. JSON in the shop's database
	for _, s := range planner.All() {
		stored = append(stored, s.Snapshot())
	}

	restarted := subscription.NewPlanner()
	for _, snap := range stored {
		s, err := subscription.Restore(rules, snap)
		if err != nil {
			panic(err)
		}
		_ = restarted.Add(s)
	}
	for _, a := range restarted.Due(time.Date(2026, 3, 29, 9, 0, 0, 0, kshop.KST())) {
		fmt.Println(a.ID(), a.Kind)
	}
	// Output:
	// S-1/0/notice send notice
	// S-2/0/notice send notice
}

// Planner.All lists the subscriptions held, sorted by ID.
func ExamplePlanner_All() {
	clock := &exampleClock{now: time.Date(2026, 3, 20, 9, 0, 0, 0, kshop.KST())}
	rules, _ := subscription.NewRules(subscription.WithTimeSource(clock))
	planner := subscription.NewPlanner()
	for _, id := range []string{"S-3", "S-1", "S-2"} {
		s, _ := subscription.NewSubscription(examplePlan(), rules, exampleApp(id, date("2026-03-31"), subscription.Cycle2W))
		_ = planner.Add(s)
	}
	_ = planner.All()[1].Pause(subscription.ActorBuyer)
	for _, s := range planner.All() {
		fmt.Println(s.ID(), s.State())
	}
	// Output:
	// S-1 active
	// S-2 paused
	// S-3 active
}

// An operator's view of the next two weeks: the notices, charges and retries planned,
// in time order. Nothing is recorded.
func ExamplePlanner_Agenda() {
	clock := &exampleClock{now: time.Date(2026, 3, 20, 9, 0, 0, 0, kshop.KST())}
	rules, _ := subscription.NewRules(subscription.WithTimeSource(clock))
	planner := subscription.NewPlanner()
	weekly, _ := subscription.NewSubscription(examplePlan(), rules, exampleApp("S-weekly", date("2026-03-25"), subscription.Cycle1W))
	monthly, _ := subscription.NewSubscription(examplePlan(), rules, exampleApp("S-monthly", date("2026-03-31"), subscription.Cycle1M))
	_ = planner.Add(weekly, monthly)

	from := time.Date(2026, 3, 23, 0, 0, 0, 0, kshop.KST())
	agenda, err := planner.Agenda(from, from.AddDate(0, 0, 14))
	if err != nil {
		panic(err)
	}
	for _, a := range agenda {
		fmt.Println(a.At.Format("01-02 15:04"), a.ID())
	}
	next, _ := weekly.NextAction()
	fmt.Println("still pending:", next.ID())
	// Output:
	// 03-23 09:00 S-weekly/0/notice
	// 03-24 09:00 S-weekly/0/charge/1
	// 03-29 09:00 S-monthly/0/notice
	// 03-30 09:00 S-monthly/0/charge/1
	// 03-30 09:00 S-weekly/1/notice
	// 03-31 09:00 S-weekly/1/charge/1
	// still pending: S-weekly/0/notice
}
