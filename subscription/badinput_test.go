package subscription

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
)

// personal data planted in the bad-input cases; no error text may show it.
const (
	badName  = "김비밀"
	badPhone = "01098765432"
)

// TestBadInputIsTyped runs every kind of bad input through every entry point: each comes
// back as a *kshop.ValidationError matching kshop.ErrInvalid, names the call and the field,
// shows no personal data, and nothing panics.
func TestBadInputIsTyped(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	rules := newRulesT(t, clk)
	app := func(edit func(*Application)) func() error {
		return func() error {
			a := testApp("S-1", d(2026, 3, 31), Cycle1M)
			a.Customer.Name, a.Receiver.Name = badName, badName
			a.Customer.Phone, a.Receiver.Phone = badPhone, badPhone
			edit(&a)
			_, err := NewSubscription(testPlan(), rules, a)
			return err
		}
	}
	plan := func(edit func(*Plan)) func() error {
		return func() error {
			p := testPlan()
			edit(&p)
			_, err := NewSubscription(p, rules, testApp("S-1", d(2026, 3, 31), Cycle1M))
			return err
		}
	}
	sub := newSubT(t, rules, "S-live", d(2026, 3, 31), Cycle1M, func(a *Application) { a.Customer.Name = badName })
	planner := NewPlanner()
	require.NoError(t, planner.Add(sub))
	notice, _ := sub.NextAction()
	at := kstAt(2026, 3, 29, 9, 0)
	keyDeleter := func(context.Context, string) error { return nil }

	cases := []struct {
		name  string
		call  func() error
		field string
	}{
		// Amounts and counts.
		{"negative unit price", app(func(a *Application) { a.Items[0].UnitPrice = -1 }), "Items[0].UnitPrice"},
		{"unit price over the limit", app(func(a *Application) { a.Items[0].UnitPrice = maxUnitPrice + 1 }), "Items[0].UnitPrice"},
		{"zero quantity", app(func(a *Application) { a.Items[0].Quantity = 0 }), "Items[0].Quantity"},
		{"negative quantity", app(func(a *Application) { a.Items[1].Quantity = -3 }), "Items[1].Quantity"},
		{"quantity over the limit", app(func(a *Application) { a.Items[0].Quantity = maxQuantity + 1 }), "Items[0].Quantity"},
		{"no items", app(func(a *Application) { a.Items = nil }), "Items"},
		{"too many items", app(func(a *Application) { a.Items = make([]Item, maxItems+1) }), "Items"},
		{"duplicate item", app(func(a *Application) { a.Items[1] = a.Items[0] }), "Items[1]"},
		{"empty product ID", app(func(a *Application) { a.Items[0].Product.ID = "" }), "Items[0].Product.ID"},
		{"option ID with a space", app(func(a *Application) { a.Items[0].OptionID = "200 g" }), "Items[0].OptionID"},
		{"unknown product kind", app(func(a *Application) { a.Items[0].Product.Kind = 9 }), "Items[0].Product.Kind"},
		{"set product", app(func(a *Application) { a.Items[0].Product.Kind = ProductSet }), "Items[0].Product.Kind"},
		{"product not enabled", app(func(a *Application) { a.Items[0].Product.SubscriptionEnabled = false }), "Items[0].Product.SubscriptionEnabled"},
		{"round limit not offered", app(func(a *Application) { a.RoundLimit = 7 }), "RoundLimit"},
		{"negative round limit", app(func(a *Application) { a.RoundLimit = -1 }), "RoundLimit"},
		{"bank transfer", app(func(a *Application) { a.PaymentMethod = PaymentBankTransfer }), "PaymentMethod"},
		{"no payment method", app(func(a *Application) { a.PaymentMethod = 0 }), "PaymentMethod"},
		// Cycles.
		{"zero cycle", app(func(a *Application) { a.Cycle = 0 }), "Cycle"},
		{"cycle past 1Y", app(func(a *Application) { a.Cycle = 12 }), "Cycle"},
		{"cycle not offered", plan(func(p *Plan) { p.Cycles = []Cycle{Cycle1W} }), "Cycle"},
		{"plan without cycles", plan(func(p *Plan) { p.Cycles = nil }), "Plan.Cycles"},
		{"plan with a zero cycle", plan(func(p *Plan) { p.Cycles = []Cycle{Cycle1M, 0} }), "Plan.Cycles[1]"},
		{"plan round limit 1", plan(func(p *Plan) { p.RoundLimits = []int{1} }), "Plan.RoundLimits[0]"},
		{"plan negative discount", plan(func(p *Plan) { p.Discounts[0].Value = -10 }), "Plan.Discounts[0].Value"},
		{"plan discount over 100 %", plan(func(p *Plan) { p.Discounts[1].Value = 101 }), "Plan.Discounts[1].Value"},
		{"plan discount from round 0", plan(func(p *Plan) { p.Discounts[0].FromRound = 0 }), "Plan.Discounts[0].FromRound"},
		{"plan start offset 31", plan(func(p *Plan) { p.StartOffsetDays = 31 }), "Plan.StartOffsetDays"},
		{"plan name with NUL", plan(func(p *Plan) { p.Name = "원두\x00" }), "Plan.Name"},
		// Dates.
		{"zero start", app(func(a *Application) { a.Start = Date{} }), "Start"},
		{"start Feb 30", app(func(a *Application) { a.Start = d(2026, 2, 30) }), "Start"},
		{"start month 13", app(func(a *Application) { a.Start = d(2026, 13, 1) }), "Start"},
		{"start year 0", app(func(a *Application) { a.Start = d(0, 1, 1) }), "Start"},
		{"start year 10000", app(func(a *Application) { a.Start = d(10000, 1, 1) }), "Start"},
		{"start in the past", app(func(a *Application) { a.Start = d(1990, 1, 1) }), "Start"},
		{"start before the earliest", app(func(a *Application) { a.Start = d(2026, 3, 21) }), "Start"},
		{"start years ahead", app(func(a *Application) { a.Start = d(3000, 1, 1) }), "Start"},
		{"ParseDate month 13", func() error { _, err := ParseDate("2026-13-01"); return err }, "Date"},
		{"ParseDate Feb 29 2027", func() error { _, err := ParseDate("2027-02-29"); return err }, "Date"},
		{"ParseDate year 0", func() error { _, err := ParseDate("0000-01-01"); return err }, "Date"},
		{"ParseDate with NUL", func() error { _, err := ParseDate("2026-01-0\x00"); return err }, "Date"},
		{"NewDate day 0", func() error { _, err := NewDate(2026, 1, 0); return err }, "Date"},
		{"NewDate huge year", func() error { _, err := NewDate(1<<40, 1, 1); return err }, "Date"},
		{"ParseCycle 0W", func() error { _, err := ParseCycle("0W"); return err }, "Cycle"},
		{"ParseCycle control", func() error { _, err := ParseCycle("1\nW"); return err }, "Cycle"},
		{"marshal zero cycle", func() error { _, err := Cycle(0).MarshalText(); return err }, "Cycle"},
		{"unmarshal bad date", func() error { var x Date; return x.UnmarshalText([]byte("31/01/2026")) }, "Date"},
		{"Preview invalid start", func() error { _, err := rules.Preview(d(2026, 2, 30), Cycle1W, 3); return err }, "start"},
		{"Preview zero cycle", func() error { _, err := rules.Preview(d(2026, 3, 2), 0, 3); return err }, "c"},
		{"Preview negative count", func() error { _, err := rules.Preview(d(2026, 3, 2), Cycle1W, -1); return err }, "n"},
		{"Preview huge count", func() error { _, err := rules.Preview(d(2026, 3, 2), Cycle1W, 1<<30); return err }, "n"},
		{"closed weekday 7", func() error { _, err := NewShopClosedDays([]time.Weekday{7}, nil); return err }, "weekdays[0]"},
		{"closed weekday -1", func() error { _, err := NewShopClosedDays([]time.Weekday{-1}, nil); return err }, "weekdays[0]"},
		{"closed every day", func() error {
			_, err := NewShopClosedDays([]time.Weekday{0, 1, 2, 3, 4, 5, 6}, nil)
			return err
		}, "weekdays"},
		{"closed invalid date", func() error { _, err := NewShopClosedDays(nil, []Date{d(2026, 4, 31)}); return err }, "dates[0]"},
		{"agenda backwards", func() error { _, err := planner.Agenda(at, at.Add(-time.Hour)); return err }, "to"},
		{"agenda of two years", func() error { _, err := planner.Agenda(at, at.AddDate(2, 0, 0)); return err }, "to"},
		{"agenda from zero", func() error { _, err := planner.Agenda(time.Time{}, at); return err }, "from"},
		// Phones.
		{"receiver phone letters", app(func(a *Application) { a.Receiver.Phone = "010-98765-abc" }), "Receiver.Phone"},
		{"receiver phone short", app(func(a *Application) { a.Receiver.Phone = "0109876" }), "Receiver.Phone"},
		{"receiver phone missing", app(func(a *Application) { a.Receiver.Phone = "" }), "Receiver.Phone"},
		{"receiver phone too long", app(func(a *Application) { a.Receiver.Phone = strings.Repeat("0", 21) }), "Receiver.Phone"},
		{"customer phone unknown prefix", app(func(a *Application) { a.Customer.Phone = "099-8765-4321" }), "Customer.Phone"},
		{"customer phone with NUL", app(func(a *Application) { a.Customer.Phone = "010\x009876-5432" }), "Customer.Phone"},
		// Names, addresses and other text.
		{"receiver name NUL", app(func(a *Application) { a.Receiver.Name = "김\x00비밀" }), "Receiver.Name"},
		{"receiver name ESC", app(func(a *Application) { a.Receiver.Name = "\x1b[31m" + badName }), "Receiver.Name"},
		{"receiver name blank", app(func(a *Application) { a.Receiver.Name = "   " }), "Receiver.Name"},
		{"receiver name newline", app(func(a *Application) { a.Receiver.Name = badName + "\n" }), "Receiver.Name"},
		{"address with CR LF", app(func(a *Application) { a.Receiver.Address1 = "서울\r\n중구" }), "Receiver.Address1"},
		{"address with DEL", app(func(a *Application) { a.Receiver.Address2 = "1층\x7f" }), "Receiver.Address2"},
		{"address with C1 NEL", app(func(a *Application) { a.Receiver.Address2 = "1층\u0085" }), "Receiver.Address2"},
		{"address too long", app(func(a *Application) { a.Receiver.Address1 = strings.Repeat("가", maxFieldLength+1) }), "Receiver.Address1"},
		{"address missing", app(func(a *Application) { a.Receiver.Address1 = "" }), "Receiver.Address1"},
		{"zip code too long", app(func(a *Application) { a.Receiver.ZipCode = "12345678901" }), "Receiver.ZipCode"},
		{"delivery message with TAB", app(func(a *Application) { a.Receiver.Message = "문 앞\t" }), "Receiver.Message"},
		{"delivery message invalid UTF-8", app(func(a *Application) { a.Receiver.Message = "\xff\xfe" }), "Receiver.Message"},
		{"customer name with BEL", app(func(a *Application) { a.Customer.Name = "김\a" }), "Customer.Name"},
		{"customer email with LF", app(func(a *Application) { a.Customer.Email = "a@b.c\nBcc: x" }), "Customer.Email"},
		{"customer ID missing", app(func(a *Application) { a.Customer.ID = "" }), "Customer.ID"},
		{"item name with NUL", app(func(a *Application) { a.Items[0].Name = "원두\x00" }), "Items[0].Name"},
		{"item name invalid UTF-8", app(func(a *Application) { a.Items[0].Name = "\xc3\x28" }), "Items[0].Name"},
		{"billing key missing", app(func(a *Application) { a.BillingKeyRef = "" }), "BillingKeyRef"},
		{"billing key with CR", app(func(a *Application) { a.BillingKeyRef = "bk\rX" }), "BillingKeyRef"},
		{"ID empty", app(func(a *Application) { a.ID = "" }), "ID"},
		{"ID with slash", app(func(a *Application) { a.ID = "S/1" }), "ID"},
		{"ID too long", app(func(a *Application) { a.ID = strings.Repeat("S", maxIDLength+1) }), "ID"},
		{"ID with LF", app(func(a *Application) { a.ID = "S-1\n" }), "ID"},
		{"nil rules", func() error {
			_, err := NewSubscription(testPlan(), nil, testApp("S-1", d(2026, 3, 31), Cycle1M))
			return err
		}, "rules"},
		// Options.
		{"nil clock", func() error { _, err := NewRules(WithTimeSource(nil)); return err }, "WithTimeSource"},
		{"notice offset 0", func() error { _, err := NewRules(WithNoticeOffset(0)); return err }, "WithNoticeOffset"},
		{"charge offset -1", func() error { _, err := NewRules(WithChargeOffset(-1)); return err }, "WithChargeOffset"},
		{"charge after notice", func() error { _, err := NewRules(WithChargeOffset(5)); return err }, "WithChargeOffset"},
		{"notice time 24:00", func() error { _, err := NewRules(WithNoticeTime(Clock(24, 0))); return err }, "WithNoticeTime"},
		{"charge time -1", func() error { _, err := NewRules(WithChargeTime(Clock(-1, 0))); return err }, "WithChargeTime"},
		{"offset mode 9", func() error { _, err := NewRules(WithOffsetMode(9)); return err }, "WithOffsetMode"},
		{"closed-day policy 9", func() error { _, err := NewRules(WithClosedDayPolicy(9)); return err }, "WithClosedDayPolicy"},
		{"exhaustion 9", func() error { _, err := NewRules(WithExhaustionPolicy(9)); return err }, "WithExhaustionPolicy"},
		{"retry days -1", func() error { _, err := NewRules(WithRetrySchedule(RetrySchedule{Days: -1})); return err }, "RetrySchedule.Days"},
		{"retry 25 times", func() error {
			_, err := NewRules(WithRetrySchedule(RetrySchedule{Days: 1, Times: make([]TimeOfDay, 25)}))
			return err
		}, "RetrySchedule.Times"},
		// Changes to a live subscription.
		{"change receiver NUL", func() error {
			return sub.ChangeReceiver(ActorBuyer, Receiver{Name: badName + "\x00", Phone: badPhone, Address1: "서울"})
		}, "Receiver.Name"},
		{"change receiver bad phone", func() error {
			return sub.ChangeReceiver(ActorBuyer, Receiver{Name: badName, Phone: "123", Address1: "서울"})
		}, "Receiver.Phone"},
		{"unknown actor", func() error { return sub.Pause(0) }, "by"},
		{"actor 99", func() error { _, err := sub.Cancel(99, ""); return err }, "by"},
		{"cancel reason NUL", func() error { _, err := sub.Cancel(ActorBuyer, "이사\x00"); return err }, "reason"},
		{"cancel reason too long", func() error { _, err := sub.Cancel(ActorBuyer, strings.Repeat("이", 201)); return err }, "reason"},
		{"cancel no items", func() error { _, err := sub.CancelItems(ActorBuyer); return err }, "keys"},
		{"cancel unknown item", func() error { _, err := sub.CancelItems(ActorBuyer, ItemKey{ProductID: "nope"}); return err }, "keys[0]"},
		{"cancel item twice", func() error {
			_, err := sub.CancelItems(ActorBuyer, ItemKey{ProductID: "filter"}, ItemKey{ProductID: "filter"})
			return err
		}, "keys[1]"},
		{"negative quantity change", func() error { _, err := sub.ChangeQuantity(ActorBuyer, ItemKey{ProductID: "filter"}, -1); return err }, "quantity"},
		{"quantity change unknown item", func() error { _, err := sub.ChangeQuantity(ActorBuyer, ItemKey{ProductID: "x"}, 2); return err }, "key"},
		{"negative price update", func() error { _, err := sub.UpdatePrice(ItemKey{ProductID: "filter"}, -100); return err }, "unitPrice"},
		{"change to zero cycle", func() error { return sub.ChangeCycle(ActorBuyer, 0) }, "c"},
		{"change to a cycle not offered", func() error { return sub.ChangeCycle(ActorBuyer, Cycle(200)) }, "c"},
		{"round limit not offered", func() error { return sub.SetRoundLimit(ActorBuyer, 5) }, "n"},
		{"skip with bad actor", func() error { return sub.SkipRound(7, 0) }, "by"},
		{"notice of a charge action", func() error {
			_, err := sub.Notice(Action{Kind: ActionCharge, SubscriptionID: "S-live"})
			return err
		}, "Action.Kind"},
		{"charge with a notice action", func() error { _, err := sub.RecordCharge(notice, Charged("O")); return err }, "Action.Kind"},
		{"charge result with NUL", func() error {
			_, err := sub.RecordCharge(Action{Kind: ActionCharge, SubscriptionID: "S-live", Attempt: 1}, Charged("O\x00"))
			return err
		}, "ChargeResult.OrderRef"},
		{"expire a notice", func() error { _, err := sub.RecordExpired(notice); return err }, "Action.Kind"},
		// Planner, gateway reset and restore.
		{"add nil", func() error { return planner.Add(nil) }, "subs[0]"},
		{"add a duplicate", func() error { return planner.Add(sub) }, "subs[0]"},
		{"gateway reset nil context", func() error {
			_, err := GatewayReset(nilContext(), nil, keyDeleter, "")
			return err
		}, "ctx"},
		{"planner gateway reset nil context", func() error { _, err := planner.GatewayReset(nilContext(), keyDeleter, ""); return err }, "ctx"},
		{"gateway reset nil deleter", func() error { _, err := GatewayReset(context.Background(), nil, nil, ""); return err }, "deleteKey"},
		{"gateway reset reason ESC", func() error {
			_, err := GatewayReset(context.Background(), nil, keyDeleter, "\x1b]0;x")
			return err
		}, "reason"},
		{"restore nil rules", func() error { _, err := Restore(nil, sub.Snapshot()); return err }, "rules"},
		{"restore empty snapshot", func() error { _, err := Restore(rules, Snapshot{}); return err }, "ID"},
		{"restore negative round count", func() error {
			s := sub.Snapshot()
			s.RoundsCharged = -1
			_, err := Restore(rules, s)
			return err
		}, "RoundsCharged"},
		{"restore huge cycle index", func() error {
			s := sub.Snapshot()
			s.NextCycleIndex = 1 << 40
			_, err := Restore(rules, s)
			return err
		}, "NextCycleIndex"},
		{"check set product", func() error { return testPlan().CheckProduct(Product{ID: "set", Kind: ProductSet}) }, "Product.Kind"},
		{"validate empty plan", func() error { return Plan{}.Validate() }, "Plan.Cycles"},
	}
	require.GreaterOrEqual(t, len(cases), 100)
	before := sub.Snapshot()
	for _, tc := range cases {
		var err error
		require.NotPanics(t, func() { err = tc.call() }, tc.name)
		var ve *kshop.ValidationError
		require.ErrorAs(t, err, &ve, tc.name)
		assert.ErrorIs(t, err, kshop.ErrInvalid, tc.name)
		assert.True(t, strings.HasPrefix(ve.Op, "subscription."), "%s: op %q", tc.name, ve.Op)
		fe := ve.Field(tc.field)
		if assert.NotNil(t, fe, "%s: want a problem with %s, got %v", tc.name, tc.field, err) {
			assert.NotEmpty(t, fe.Rule, tc.name)
		}
		for _, p := range ve.Problems {
			assert.NotEmpty(t, p.Field, tc.name)
		}
		assert.NotContains(t, err.Error(), badName, tc.name)
		assert.NotContains(t, err.Error(), "9876-5432", tc.name)
		assert.NotContains(t, err.Error(), "98765432", tc.name)
	}
	assert.Equal(t, before, sub.Snapshot(), "refused calls change nothing")
}

// nilContext hides the nil from staticcheck's SA1012: passing nil is the point.
func nilContext() context.Context { return nil }

// One call reports every problem of an application.
func TestValidationReportsEveryProblem(t *testing.T) {
	t.Parallel()
	rules := newRulesT(t, newFakeClock(kstAt(2026, 3, 20, 9, 0)))
	app := testApp("S/1", d(2026, 3, 21), Cycle2M)
	app.Receiver = Receiver{Name: "\x00", Phone: "12"}
	app.Items[0].Quantity = 0
	app.Items[1].UnitPrice = -1
	app.Items[1].Product.Kind = ProductBundleEvent
	app.PaymentMethod = PaymentPoints
	app.RoundLimit = 5
	plan := testPlan()
	plan.Cycles = []Cycle{Cycle1M}
	_, err := NewSubscription(plan, rules, app)
	var ve *kshop.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "subscription.NewSubscription", ve.Op)
	got := map[string]kshop.Rule{}
	for _, p := range ve.Problems {
		got[p.Field] = p.Rule
	}
	assert.Equal(t, map[string]kshop.Rule{
		"ID":                    kshop.RuleFormat,
		"Receiver.Name":         kshop.RuleControlChars,
		"Receiver.Phone":        kshop.RuleFormat,
		"Receiver.Address1":     kshop.RuleRequired,
		"PaymentMethod":         kshop.RuleNotAllowed,
		"Cycle":                 kshop.RuleNotAllowed,
		"RoundLimit":            kshop.RuleNotAllowed,
		"Items[0].Quantity":     kshop.RuleRange,
		"Items[1].UnitPrice":    kshop.RuleRange,
		"Items[1].Product.Kind": kshop.RuleNotAllowed,
		"Start":                 kshop.RuleRange,
	}, got)
	for _, target := range []error{ErrNotOffered, ErrBundleEventProduct, ErrNotEligible, ErrPaymentMethod} {
		assert.ErrorIs(t, err, target)
	}
	var pe *PhoneError
	assert.ErrorAs(t, err, &pe)
	assert.Equal(t, "receiver.address1", ve.Field("Receiver.Address1").Key)
	assert.Equal(t, "items[1].unit_price", ve.Field("Items[1].UnitPrice").Key)
}

func TestKeyOf(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"ID": "id", "Customer.ID": "customer.id", "Receiver.ZipCode": "receiver.zip_code", "Address1": "address1",
		"Items[12].UnitPrice": "items[12].unit_price", "BillingKeyRef": "billing_key_ref",
		"Plan.Discounts[0].FromRound": "plan.discounts[0].from_round", "Items[0].Product.SubscriptionEnabled": "items[0].product.subscription_enabled",
	} {
		assert.Equal(t, want, keyOf(in))
	}
}

// FuzzNewSubscription: any application is accepted or refused with a typed error, never a
// panic; an accepted one survives Snapshot → Restore unchanged.
func FuzzNewSubscription(f *testing.F) {
	f.Add("S-1", "홍길동", "01012345678", "서울 중구 세종대로 110", "bean", 2, int64(15000), uint8(5), 2026, 3, 31, 0)
	f.Add("", "\x00", "+82 10-1234-5678", "", "", 0, int64(-1), uint8(0), 0, 13, 32, -1)
	f.Add("S:1.a_b", "김\u0085", "1588-1234", "부산\r\n", "p/1", 10000, int64(1e12), uint8(12), 9999, 12, 31, 999)
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	rules, err := NewRules(WithTimeSource(clk))
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, id, name, phone, addr, productID string, qty int, price int64, cycle uint8, y, m, day, limit int) {
		app := Application{
			ID: id, Customer: Customer{ID: "c", Name: name, Phone: phone},
			Receiver: Receiver{Name: name, Phone: phone, Address1: addr},
			Start:    Date{Year: y, Month: time.Month(m), Day: day}, Cycle: Cycle(cycle), RoundLimit: limit,
			Items:         []Item{{Product: Product{ID: productID, SubscriptionEnabled: true}, Quantity: qty, UnitPrice: price}},
			PaymentMethod: PaymentCard, BillingKeyRef: "bk",
		}
		s, err := NewSubscription(testPlan(), rules, app)
		if err != nil {
			var ve *kshop.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 || !errors.Is(err, kshop.ErrInvalid) {
				t.Fatalf("untyped refusal: %v", err)
			}
			return
		}
		snap := s.Snapshot()
		r, err := Restore(rules, snap)
		require.NoError(t, err)
		require.Equal(t, snap, r.Snapshot())
	})
}
