package subscription

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
)

func TestPlanValidate(t *testing.T) {
	t.Parallel()
	require.NoError(t, testPlan().Validate())
	tests := []struct {
		name  string
		edit  func(*Plan)
		field string
	}{
		{"no cycles", func(p *Plan) { p.Cycles = nil }, "Plan.Cycles"},
		{"bad cycle", func(p *Plan) { p.Cycles = []Cycle{Cycle1M, 0} }, "Plan.Cycles[1]"},
		{"round limit 1", func(p *Plan) { p.RoundLimits = []int{1} }, "Plan.RoundLimits[0]"},
		{"round limit negative", func(p *Plan) { p.RoundLimits = []int{0, -2} }, "Plan.RoundLimits[1]"},
		{"bad unit", func(p *Plan) { p.DiscountUnit = 9 }, "Plan.DiscountUnit"},
		{"percent over 100", func(p *Plan) { p.Discounts = []DiscountStep{{FromRound: 1, Value: 101}} }, "Plan.Discounts[0].Value"},
		{"step round 0", func(p *Plan) { p.Discounts = []DiscountStep{{FromRound: 0, Value: 5}} }, "Plan.Discounts[0].FromRound"},
		{"duplicate step", func(p *Plan) { p.Discounts = []DiscountStep{{1, 5}, {1, 6}} }, "Plan.Discounts[1].FromRound"},
		{"negative amount", func(p *Plan) {
			p.DiscountUnit = DiscountAmount
			p.Discounts = []DiscountStep{{1, -1}}
		}, "Plan.Discounts[0].Value"},
		{"too many steps", func(p *Plan) {
			p.Discounts = nil
			for i := 1; i <= maxDiscountSteps+1; i++ {
				p.Discounts = append(p.Discounts, DiscountStep{FromRound: i, Value: 1})
			}
		}, "Plan.Discounts"},
		{"start offset 31", func(p *Plan) { p.StartOffsetDays = 31 }, "Plan.StartOffsetDays"},
		{"start offset negative", func(p *Plan) { p.StartOffsetDays = -1 }, "Plan.StartOffsetDays"},
	}
	for _, tt := range tests {
		p := testPlan()
		tt.edit(&p)
		err := p.Validate()
		problemOf(t, err, tt.field, tt.name)
		assert.ErrorIs(t, err, ErrInvalid)
	}
}

func TestPlanProductEligibility(t *testing.T) {
	t.Parallel()
	p := testPlan()
	require.NoError(t, p.CheckProduct(testProduct("ok")))
	tests := []struct {
		prod   Product
		reason error
	}{
		{Product{ID: "set-1", Kind: ProductSet, SubscriptionEnabled: true}, ErrSetProduct},
		{Product{ID: "1plus1", Kind: ProductBundleEvent, SubscriptionEnabled: true}, ErrBundleEventProduct},
		{Product{ID: "off", Kind: ProductRegular}, ErrProductNotEnabled},
	}
	for _, tt := range tests {
		err := p.CheckProduct(tt.prod)
		var ve *kshop.ValidationError
		require.ErrorAs(t, err, &ve, tt.prod.ID)
		assert.Equal(t, "subscription.Plan.CheckProduct", ve.Op)
		require.Len(t, ve.Problems, 1)
		assert.Equal(t, kshop.RuleNotAllowed, ve.Problems[0].Rule)
		assert.ErrorIs(t, ve.Problems[0].Err, tt.reason)
		assert.ErrorIs(t, err, tt.reason)
		assert.ErrorIs(t, err, ErrNotEligible)
	}
	assert.ErrorIs(t, p.CheckProduct(Product{ID: "x", Kind: 9, SubscriptionEnabled: true}), ErrInvalid)
}

func TestPaymentMethodCardOnly(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	rules := newRulesT(t, clk)
	for _, m := range []PaymentMethod{PaymentCard, PaymentBankTransfer, PaymentVirtualAccount, PaymentMobile, PaymentPoints, PaymentOther, 0} {
		app := testApp("S-1", d(2026, 3, 31), Cycle1M)
		app.PaymentMethod = m
		_, err := NewSubscription(testPlan(), rules, app)
		if m == PaymentCard {
			require.NoError(t, err)
			continue
		}
		fe := problemOf(t, err, "PaymentMethod", m.String())
		assert.Equal(t, "payment_method", fe.Key)
		assert.Equal(t, kshop.RuleNotAllowed, fe.Rule)
		assert.ErrorIs(t, err, ErrPaymentMethod)
	}
}

func TestDiscountFor(t *testing.T) {
	t.Parallel()
	percent := Plan{Cycles: []Cycle{Cycle1M}, DiscountUnit: DiscountPercent,
		Discounts: []DiscountStep{{FromRound: 5, Value: 20}, {FromRound: 1, Value: 10}, {FromRound: 3, Value: 15}}}
	amount := Plan{Cycles: []Cycle{Cycle1M}, DiscountUnit: DiscountAmount,
		Discounts: []DiscountStep{{FromRound: 2, Value: 1000}, {FromRound: 4, Value: 50000}}}
	tests := []struct {
		name     string
		plan     Plan
		round    int
		subtotal int64
		want     int64
		from     int
	}{
		{"round 1 takes 10 %", percent, 1, 33000, 3300, 1},
		{"round 4 takes the latest step (3 → 15 %)", percent, 4, 33000, 4950, 3},
		{"round 9 takes 20 %", percent, 9, 33000, 6600, 5},
		{"percent floors to the won", percent, 1, 12345, 1234, 1},
		{"15 % of 999 floors", percent, 3, 999, 149, 3},
		{"no step before round 2", amount, 1, 33000, 0, 0},
		{"amount", amount, 2, 33000, 1000, 2},
		{"amount capped at subtotal", amount, 4, 33000, 33000, 4},
		{"zero subtotal", percent, 2, 0, 0, 0},
		{"no steps", Plan{Cycles: []Cycle{Cycle1M}}, 3, 1000, 0, 0},
	}
	for _, tt := range tests {
		got, from := tt.plan.DiscountFor(tt.round, tt.subtotal)
		assert.Equal(t, tt.want, got, tt.name)
		assert.Equal(t, tt.from, from, tt.name)
	}
	// No overflow at the largest subtotal the item limits allow.
	big := int64(maxItems) * maxQuantity * maxUnitPrice
	got, _ := Plan{DiscountUnit: DiscountPercent, Discounts: []DiscountStep{{1, 99}}}.DiscountFor(1, big)
	assert.Equal(t, big/100*99, got)
	assert.Positive(t, got)
}

func TestPlanQuoteAndStart(t *testing.T) {
	t.Parallel()
	p := testPlan()
	q := p.Quote(1, testApp("x", d(2026, 3, 1), Cycle1M).Items)
	assert.Equal(t, Quote{Round: 1, Subtotal: 33000, Discount: 3300, Total: 29700, DiscountFromRound: 1}, q)
	assert.Equal(t, d(2026, 3, 4), p.EarliestStart(d(2026, 3, 1)), "default offset 3")
	p.StartOffsetDays = 30
	assert.Equal(t, d(2026, 3, 31), p.EarliestStart(d(2026, 3, 1)))
	assert.True(t, p.OffersRoundLimit(0))
	assert.False(t, Plan{}.OffersRoundLimit(3))
	assert.True(t, Plan{}.OffersRoundLimit(0), "no options: unlimited only")
	assert.Equal(t, []int{2, 3, 4, 6, 8, 10, 12}, Cafe24RoundLimits())
}

func TestFormatWon(t *testing.T) {
	t.Parallel()
	for in, want := range map[int64]string{0: "0원", 999: "999원", 1000: "1,000원", 29700: "29,700원", 1234567: "1,234,567원", -1500: "-1,500원",
		-9223372036854775808: "-9,223,372,036,854,775,808원"} {
		assert.Equal(t, want, formatWon(in))
	}
}
