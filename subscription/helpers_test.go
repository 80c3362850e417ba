package subscription

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/wire"
)

// fakeClock is a settable TimeSource for tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock(t time.Time) *fakeClock { return &fakeClock{t: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func d(y int, m time.Month, day int) Date { return Date{Year: y, Month: m, Day: day} }

func kstAt(y int, m time.Month, day, h, min int) time.Time {
	return time.Date(y, m, day, h, min, 0, 0, wire.KST)
}

func testProduct(id string) Product {
	return Product{ID: id, Kind: ProductRegular, SubscriptionEnabled: true}
}

func testPlan() Plan {
	return Plan{
		Name:         "coffee",
		Cycles:       AllCycles(),
		RoundLimits:  []int{0, 2, 3, 4, 6, 8, 10, 12},
		DiscountUnit: DiscountPercent,
		Discounts:    []DiscountStep{{FromRound: 1, Value: 10}, {FromRound: 5, Value: 20}},
	}
}

func testApp(id string, start Date, c Cycle) Application {
	return Application{
		ID:            id,
		Customer:      Customer{ID: "c-" + id, Name: "홍길동", Phone: "01012345678", Email: "hong@example.com"},
		Receiver:      Receiver{Name: "홍길동", Phone: "01012345678", ZipCode: "04524", Address1: "서울 중구 세종대로 110", Address2: "1층"},
		Start:         start,
		Cycle:         c,
		Items:         []Item{{Product: testProduct("bean"), OptionID: "200g", Name: "원두 200g", Quantity: 2, UnitPrice: 15000}, {Product: testProduct("filter"), Name: "필터", Quantity: 1, UnitPrice: 3000}},
		PaymentMethod: PaymentCard,
		BillingKeyRef: "bk_" + id + "_secretkey",
	}
}

// newRulesT builds rules on a fake clock.
func newRulesT(t testing.TB, clk *fakeClock, opts ...Option) *Rules {
	t.Helper()
	r, err := NewRules(append([]Option{WithTimeSource(clk)}, opts...)...)
	require.NoError(t, err)
	return r
}

// newSubT creates a subscription starting on start with cycle c.
func newSubT(t testing.TB, rules *Rules, id string, start Date, c Cycle, mutate ...func(*Application)) *Subscription {
	t.Helper()
	app := testApp(id, start, c)
	for _, m := range mutate {
		m(&app)
	}
	s, err := NewSubscription(testPlan(), rules, app)
	require.NoError(t, err)
	return s
}

// runNotice runs the pending notice of s (which must be pending) at its instant.
func runNotice(t testing.TB, clk *fakeClock, s *Subscription) Action {
	t.Helper()
	a, ok := s.NextAction()
	require.True(t, ok)
	require.Equal(t, ActionSendNotice, a.Kind)
	clk.Set(a.At)
	_, err := s.Notice(a)
	require.NoError(t, err)
	require.NoError(t, s.RecordNoticeSent(a))
	return a
}

// runCharge runs the pending charge or retry of s at its instant with result res.
func runCharge(t testing.TB, clk *fakeClock, s *Subscription, res ChargeResult) (Action, []Event) {
	t.Helper()
	a, ok := s.NextAction()
	require.True(t, ok)
	require.Contains(t, []ActionKind{ActionCharge, ActionRetryCharge}, a.Kind)
	clk.Set(a.At)
	ev, err := s.RecordCharge(a, res)
	require.NoError(t, err)
	return a, ev
}

// problemOf asserts that err is a *kshop.ValidationError with a problem on field and
// returns that problem.
func problemOf(t testing.TB, err error, field string, msgAndArgs ...any) *kshop.FieldError {
	t.Helper()
	var ve *kshop.ValidationError
	require.ErrorAs(t, err, &ve, msgAndArgs...)
	fe := ve.Field(field)
	require.NotNil(t, fe, "no problem with %s in %v", field, err)
	require.ErrorIs(t, err, kshop.ErrInvalid)
	return fe
}
