package shipping_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/eposttest"
	"github.com/kshop-dev/kshop/epost/shipping"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// clock is a settable clock shared by the fake, the client and the Shipper.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 5, 11, 10, 0, 0, 0, kshop.KST())} }

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

type kit struct {
	srv    *eposttest.Server
	client *epost.Client
	store  *shipping.MemoryStore
	sh     *shipping.Shipper
	clock  *clock
	events *eventLog
}

// eventLog records delivered events; fail makes OnEvent fail.
type eventLog struct {
	mu   sync.Mutex
	list []shipping.Event
	fail bool
}

func (l *eventLog) on(_ context.Context, ev shipping.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail {
		return context.DeadlineExceeded
	}
	l.list = append(l.list, ev)
	return nil
}

func (l *eventLog) all() []shipping.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]shipping.Event(nil), l.list...)
}

func setup(t testing.TB) *kit {
	t.Helper()
	c := newClock()
	srv := eposttest.NewServer(eposttest.Options{Now: c.Now})
	t.Cleanup(srv.Close)
	client, err := srv.NewClient(epost.WithClock(c.Now), epost.WithRetry(0, 0))
	require.NoError(t, err)
	k := &kit{srv: srv, client: client, store: shipping.NewMemoryStore(), clock: c, events: &eventLog{}}
	k.sh = k.shipper(t, k.store)
	return k
}

// shipper builds a Shipper (a "process") over store.
func (k *kit) shipper(t testing.TB, store shipping.Store) *shipping.Shipper {
	t.Helper()
	sh, err := shipping.New(k.client, store, shipping.Config{
		OfficeSer: eposttest.DefaultOfficeSer, ShopName: "케이샵", Now: k.clock.Now, OnEvent: k.events.on,
	})
	require.NoError(t, err)
	return sh
}

// issueOne adds order A1 (one paid line, a valid mobile) and issues its waybill per order.
func issueOne(t *testing.T, k *kit) {
	t.Helper()
	require.NoError(t, k.sh.AddOrders(context.Background(), order("A1", "010-1234-5678")))
	_, err := k.sh.Issue(context.Background(), shipping.IssueRequest{Mode: shipping.PerOrder})
	require.NoError(t, err)
}

func order(id, mobile string, lines ...shipping.Line) shipping.Order {
	if len(lines) == 0 {
		lines = []shipping.Line{{ID: "1", GoodsName: "원두 200g", Qty: 1, Status: shipping.StatusPaid}}
	}
	return shipping.Order{ID: id, Recipient: shipping.Recipient{Name: "홍길동", Zip: "04524",
		Addr1: "서울 중구 세종대로 110", Addr2: "1층", Mobile: mobile}, Lines: lines}
}

func line(id string, st shipping.Status) shipping.Line {
	return shipping.Line{ID: id, GoodsName: "상품 " + id, Qty: 1, Status: st}
}

func lineOf(t testing.TB, sh *shipping.Shipper, orderID, lineID string) shipping.Line {
	t.Helper()
	o, err := sh.Order(context.Background(), orderID)
	require.NoError(t, err)
	for _, ln := range o.Lines {
		if ln.ID == lineID {
			return ln
		}
	}
	t.Fatalf("no line %s/%s", orderID, lineID)
	return shipping.Line{}
}

// deliver adds the scans of a delivered parcel on the fake.
func deliver(srv *eposttest.Server, regiNo string) {
	srv.AddTraceEvent(regiNo, eposttest.TraceEvent{Place: "서울중앙우체국", Status: "접수"})
	srv.AddTraceEvent(regiNo, eposttest.TraceEvent{Place: "서울중앙우체국", Status: "배달완료"})
}

func liveBookings(srv *eposttest.Server, orderNo string) int {
	n := 0
	for _, o := range srv.Orders() {
		if o.OrderNo == orderNo && o.Status != epost.TreatCancelled {
			n++
		}
	}
	return n
}
