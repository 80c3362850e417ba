// Package shippingtest is the conformance suite every shipping.Store passes: the in-memory
// store, and the SQL store on SQLite and PostgreSQL. Run checks transactions (records, queries,
// rollback, read-only views), plans, the event outbox, the cursor, waybill leases, and the
// whole workflow against eposttest — issue, reserve, print, sync, a crash between any two
// steps of a sync, and two syncers splitting a pass. Only tests import it.
package shippingtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/eposttest"
	"github.com/kshop-dev/kshop/epost/shipping"
)

// Factory returns a new, empty store, ready for use, for one test.
type Factory func(t *testing.T) shipping.Store

// Run runs the conformance suite as subtests of t, each on a fresh store from open.
func Run(t *testing.T, open Factory) {
	t.Helper()
	for _, tc := range []struct {
		name string
		fn   func(t *testing.T, open Factory)
	}{
		{"Records", testRecords},
		{"Rollback", testRollback},
		{"PlansEventsCursor", testPlansEventsCursor},
		{"Leases", testLeases},
		{"DeliveryLease", testDeliveryLease},
		{"Workflow", testWorkflow},
		{"CrashBetweenSyncSteps", testCrashBetweenSyncSteps},
		{"TwoSyncers", func(t *testing.T, open Factory) {
			s := open(t)
			TwoSyncers(t, s, s, 300)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open)
		})
	}
}

// Clock is a settable clock shared by the fake, the client and the Shipper.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts at a fixed Monday morning in Korea.
func NewClock() *Clock { return &Clock{now: time.Date(2026, 5, 11, 10, 0, 0, 0, kshop.KST())} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

// Add moves the clock on.
func (c *Clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// Kit is a fake Korea Post with a client that counts trace requests per waybill number.
type Kit struct {
	Srv    *eposttest.Server
	Client *epost.Client
	Clock  *Clock
	Traces *TraceCounter
}

// NewKit starts the fake (closed when the test ends).
func NewKit(t testing.TB) *Kit {
	t.Helper()
	c := NewClock()
	srv := eposttest.NewServer(eposttest.Options{Now: c.Now})
	t.Cleanup(srv.Close)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 32
	t.Cleanup(tr.CloseIdleConnections)
	counter := &TraceCounter{next: tr, n: map[string]int{}}
	client, err := srv.NewClient(epost.WithClock(c.Now), epost.WithRetry(0, 0), epost.WithHTTPClient(&http.Client{Transport: counter}))
	require.NoError(t, err)
	return &Kit{Srv: srv, Client: client, Clock: c, Traces: counter}
}

// Shipper builds a Shipper (one "process") over store; events go to log when it is not nil.
func (k *Kit) Shipper(t testing.TB, store shipping.Store, log *EventLog) *shipping.Shipper {
	t.Helper()
	cfg := shipping.Config{OfficeSer: eposttest.DefaultOfficeSer, ShopName: "케이샵", Now: k.Clock.Now}
	if log != nil {
		cfg.OnEvent = log.On
	}
	sh, err := shipping.New(k.Client, store, cfg)
	require.NoError(t, err)
	return sh
}

// TraceCounter is an http.RoundTripper that counts the requests per 13-digit waybill number
// the client sends (what the fake receives).
type TraceCounter struct {
	next http.RoundTripper
	mu   sync.Mutex
	n    map[string]int
}

// RoundTrip counts and forwards.
func (c *TraceCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	for _, vs := range r.URL.Query() {
		for _, v := range vs {
			if len(v) == 13 && strings.Trim(v, "0123456789") == "" {
				c.mu.Lock()
				c.n[v]++
				c.mu.Unlock()
			}
		}
	}
	return c.next.RoundTrip(r)
}

// Counts returns a copy of the counts.
func (c *TraceCounter) Counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.n))
	for k, v := range c.n {
		out[k] = v
	}
	return out
}

// Reset forgets the counts.
func (c *TraceCounter) Reset() { c.mu.Lock(); c.n = map[string]int{}; c.mu.Unlock() }

// EventLog records delivered events.
type EventLog struct {
	mu   sync.Mutex
	list []shipping.Event
}

// On is a Config.OnEvent.
func (l *EventLog) On(_ context.Context, ev shipping.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = append(l.list, ev)
	return nil
}

// All returns the events so far.
func (l *EventLog) All() []shipping.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]shipping.Event(nil), l.list...)
}

// Order returns a valid order with one paid line per id in lines ("1" when none).
func Order(id, mobile string, lines ...string) shipping.Order {
	if len(lines) == 0 {
		lines = []string{"1"}
	}
	o := shipping.Order{ID: id, Recipient: shipping.Recipient{Name: "홍길동", Zip: "04524",
		Addr1: "서울 중구 세종대로 110", Addr2: "1층", Mobile: mobile}}
	for _, l := range lines {
		o.Lines = append(o.Lines, shipping.Line{ID: l, GoodsName: "상품 " + l, Qty: 1, Status: shipping.StatusPaid})
	}
	return o
}

// Deliver adds the scans of a delivered parcel on the fake.
func Deliver(srv *eposttest.Server, regiNo string) {
	srv.AddTraceEvent(regiNo, eposttest.TraceEvent{Place: "서울중앙우체국", Status: "접수"})
	srv.AddTraceEvent(regiNo, eposttest.TraceEvent{Place: "서울중앙우체국", Status: "배달완료"})
}

// SeedTracked writes n reserved, printed waybills (one order and 배송중 line each, linked)
// straight into store, in Updates of 1,000, and makes each delivered on the fake. The
// waybill numbers are 6 followed by the index in 12 digits; order and waybill IDs are
// prefix + index.
func SeedTracked(t testing.TB, k *Kit, store shipping.Store, prefix string, n int) {
	t.Helper()
	ctx := context.Background()
	for from := 0; from < n; from += 1000 {
		require.NoError(t, store.Update(ctx, func(tx shipping.Tx) error {
			for i := from; i < min(n, from+1000); i++ {
				id := fmt.Sprintf("%s%07d", prefix, i)
				regiNo := fmt.Sprintf("6%012d", i)
				o := Order(id, "010-1234-5678")
				o.Lines[0].Status, o.Lines[0].Issue, o.Lines[0].WaybillID, o.Lines[0].Linked = shipping.StatusShipping, shipping.IssueIssued, id, true
				if err := tx.PutOrder(o); err != nil {
					return err
				}
				w := shipping.Waybill{ID: id, OrderID: id, LineIDs: []string{"1"}, Mode: shipping.PerOrder, PayType: epost.PayPrepaid,
					State: shipping.WaybillReserved, RegiNo: regiNo, Printed: true, Tracking: true}
				if err := tx.PutWaybill(w); err != nil {
					return err
				}
			}
			return nil
		}))
	}
	for i := range n {
		Deliver(k.Srv, fmt.Sprintf("6%012d", i))
	}
}

// leaseBarrier runs arrive after its first LeaseWaybills.
type leaseBarrier struct {
	shipping.Store
	once   sync.Once
	arrive func()
}

func (l *leaseBarrier) LeaseWaybills(ctx context.Context, req shipping.LeaseRequest) ([]shipping.Waybill, error) {
	ws, err := l.Store.LeaseWaybills(ctx, req)
	l.once.Do(l.arrive)
	return ws, err
}

// TwoSyncers seeds n delivered waybills through a, then runs one syncer over a and one over b
// (two instances on one database: b may be a or another pool on the same tables) at once, in
// batches small enough (n/32, at least 32) that neither can lease the whole pass first. It
// checks that the two split the pass — every waybill tracked exactly once, by the trace
// requests per waybill number — and that every line moved to 배송완료 exactly once: one
// change counted in the reports and one event per line, offered to OnEvent once.
func TwoSyncers(t testing.TB, a, b shipping.Store, n int) {
	t.Helper()
	ctx := context.Background()
	k := NewKit(t)
	SeedTracked(t, k, a, "W", n)
	log := &EventLog{}
	var reps [2]*shipping.SyncReport
	var errs [2]error
	var wg sync.WaitGroup
	// Each syncer, once it has its first batch, waits for the other to have one too (for at
	// most 30 s, so a failing syncer cannot hang the test): both are then in the same pass and
	// both do part of it. Without the wait a syncer that starts late (SQLite under -race is
	// slow) may find the pass done, and start an empty one of its own.
	var arrived sync.WaitGroup
	arrived.Add(2)
	bothArrived := make(chan struct{})
	go func() { arrived.Wait(); close(bothArrived) }()
	arrive := func() {
		arrived.Done()
		select {
		case <-bothArrived:
		case <-time.After(30 * time.Second):
		}
	}
	for i, st := range []shipping.Store{a, b} {
		st = &leaseBarrier{Store: st, arrive: arrive}
		sy, err := k.Shipper(t, st, log).NewSyncer(shipping.SyncOptions{InstanceID: fmt.Sprintf("syncer-%d", i+1),
			Concurrency: 16, RateInterval: -1, BatchSize: max(32, n/32)})
		require.NoError(t, err)
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[i], errs[i] = sy.SyncNow(ctx)
		}()
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])

	counts := k.Traces.Counts()
	require.Len(t, counts, n, "every waybill tracked")
	for regiNo, c := range counts {
		if c != 1 {
			require.Equal(t, 1, c, "waybill %s tracked once in the pass", regiNo)
		}
	}
	assert.Equal(t, n, reps[0].Changed+reps[1].Changed, "every transition applied once")
	assert.Equal(t, n, reps[0].Tracked+reps[1].Tracked, "the syncers split the pass")
	assert.Positive(t, reps[0].Tracked, "syncer 1 did part of the pass")
	assert.Positive(t, reps[1].Tracked, "syncer 2 did part of the pass")
	// The two Shippers deliver the shared outbox one at a time (its delivery lease): every
	// event reaches OnEvent once, and one change per line is one event ID per line.
	perLine := map[string]map[string]bool{}
	offered := map[string]int{}
	for _, ev := range log.All() {
		offered[ev.ID]++
		if offered[ev.ID] > 1 {
			require.Equal(t, 1, offered[ev.ID], "event %s offered twice", ev.ID)
		}
		key := ev.OrderID + "/" + ev.LineID
		if perLine[key] == nil {
			perLine[key] = map[string]bool{}
		}
		perLine[key][ev.ID] = true
		assert.Equal(t, shipping.StatusDelivered, ev.To)
	}
	assert.Len(t, perLine, n)
	for key, ids := range perLine {
		if len(ids) != 1 {
			require.Len(t, ids, 1, "line %s: one change", key)
		}
	}
	var cur shipping.Cursor
	require.NoError(t, a.View(ctx, func(tx shipping.Tx) (err error) { cur, err = tx.Cursor(); return err }))
	assert.False(t, cur.InPass, "the pass is closed")
	assert.Equal(t, n, cur.Done)
	left, err := k.Shipper(t, a, nil).Waybills(ctx, shipping.WaybillQuery{Tracking: true})
	require.NoError(t, err)
	assert.Empty(t, left, "every parcel delivered, none tracked any more")
	t.Logf("two syncers, %d waybills: %d and %d tracked", n, reps[0].Tracked, reps[1].Tracked)
}

func testRecords(t *testing.T, open Factory) {
	s := open(t)
	ctx := context.Background()
	at := time.Date(2026, 5, 11, 9, 30, 0, 0, kshop.KST())
	o := Order("A-1", "010-1234-5678", "1", "2")
	o.OrderedAt, o.Fee, o.Message = at, shipping.FeeCollect, "문 앞"
	o.Lines[1].Status, o.Lines[1].Issue, o.Lines[1].WaybillID, o.Lines[1].Linked = shipping.StatusShipping, shipping.IssueIssued, "A-1-2", true
	w := shipping.Waybill{ID: "A-1-2", OrderID: "A-1", LineIDs: []string{"2"}, Mode: shipping.PerItem, PayType: epost.PayCollect,
		State: shipping.WaybillReserved, IssuedAt: at, ReqYmds: []string{"20260511"}, RegiNo: "7123456789012", ReqNo: "R1", ResNo: "S1",
		ReqYmd: "20260511", Printed: true, Tracking: true, LastTracked: epost.StatusInTransit, SyncedPass: 3, LastError: "ERR-225"}
	require.NoError(t, s.Update(ctx, func(tx shipping.Tx) error {
		for _, id := range []string{"B", "A-10", "A-2", "a"} {
			if err := tx.PutOrder(Order(id, "010-1234-5678")); err != nil {
				return err
			}
		}
		if err := tx.PutOrder(o); err != nil {
			return err
		}
		// A write is visible inside its own transaction.
		got, err := tx.Order("A-1")
		if err != nil {
			return err
		}
		assert.Equal(t, "문 앞", got.Message)
		for _, wb := range []shipping.Waybill{w, {ID: "B", OrderID: "B", State: shipping.WaybillIssued},
			{ID: "A-1-1", OrderID: "A-1", State: shipping.WaybillIssued}} {
			if err := tx.PutWaybill(wb); err != nil {
				return err
			}
		}
		return nil
	}))
	require.NoError(t, s.View(ctx, func(tx shipping.Tx) error {
		got, err := tx.Order("A-1")
		require.NoError(t, err)
		assertSameOrder(t, o, got)
		_, err = tx.Order("nope")
		assert.ErrorIs(t, err, shipping.ErrNotFound)

		all, err := tx.Orders("", 0)
		require.NoError(t, err)
		assert.Equal(t, []string{"A-1", "A-10", "A-2", "B", "a"}, orderIDs(all), "byte order")
		page, err := tx.Orders("A-1", 2)
		require.NoError(t, err)
		assert.Equal(t, []string{"A-10", "A-2"}, orderIDs(page))

		gw, err := tx.Waybill("A-1-2")
		require.NoError(t, err)
		assert.True(t, gw.IssuedAt.Equal(at))
		gw.IssuedAt = w.IssuedAt
		assert.Equal(t, w, gw)
		_, err = tx.Waybill("nope")
		assert.ErrorIs(t, err, shipping.ErrNotFound)

		for _, tc := range []struct {
			q    shipping.WaybillQuery
			want []string
		}{
			{shipping.WaybillQuery{}, []string{"A-1-1", "A-1-2", "B"}},
			{shipping.WaybillQuery{States: []shipping.WaybillState{shipping.WaybillIssued}}, []string{"A-1-1", "B"}},
			{shipping.WaybillQuery{States: []shipping.WaybillState{shipping.WaybillIssued, shipping.WaybillReserved}, OrderID: "A-1"}, []string{"A-1-1", "A-1-2"}},
			{shipping.WaybillQuery{Tracking: true}, []string{"A-1-2"}},
			{shipping.WaybillQuery{Tracking: true, NotSyncedIn: 3}, nil},
			{shipping.WaybillQuery{Tracking: true, NotSyncedIn: 4}, []string{"A-1-2"}},
			{shipping.WaybillQuery{After: "A-1-1", Limit: 1}, []string{"A-1-2"}},
		} {
			got, err := tx.Waybills(tc.q)
			require.NoError(t, err)
			assert.Equal(t, tc.want, waybillIDs(got), "%+v", tc.q)
		}
		return nil
	}))
	// Replacing a record replaces it whole.
	require.NoError(t, s.Update(ctx, func(tx shipping.Tx) error {
		w.Tracking, w.State = false, shipping.WaybillCancelled
		return tx.PutWaybill(w)
	}))
	require.NoError(t, s.View(ctx, func(tx shipping.Tx) error {
		got, err := tx.Waybills(shipping.WaybillQuery{Tracking: true})
		assert.Empty(t, got)
		return err
	}))
}

func assertSameOrder(t *testing.T, want, got shipping.Order) {
	t.Helper()
	assert.True(t, want.OrderedAt.Equal(got.OrderedAt))
	got.OrderedAt = want.OrderedAt
	assert.Equal(t, want, got)
}

func orderIDs(os []shipping.Order) []string {
	var out []string
	for _, o := range os {
		out = append(out, o.ID)
	}
	return out
}

func waybillIDs(ws []shipping.Waybill) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.ID)
	}
	return out
}

var errMine = errors.New("my own failure")

func testRollback(t *testing.T, open Factory) {
	s := open(t)
	ctx := context.Background()
	err := s.Update(ctx, func(tx shipping.Tx) error {
		if err := tx.PutOrder(Order("R-1", "010-1234-5678")); err != nil {
			return err
		}
		if _, err := tx.AppendEvent(shipping.Event{ID: "e"}); err != nil {
			return err
		}
		if err := tx.PutCursor(shipping.Cursor{Pass: 9}); err != nil {
			return err
		}
		return fmt.Errorf("wrapped: %w", errMine)
	})
	assert.ErrorIs(t, err, errMine, "fn's error comes back as it is")
	require.NoError(t, s.View(ctx, func(tx shipping.Tx) error {
		_, err := tx.Order("R-1")
		assert.ErrorIs(t, err, shipping.ErrNotFound, "nothing of a failed Update is kept")
		evs, err := tx.Events(0, 0)
		assert.Empty(t, evs)
		c, _ := tx.Cursor()
		assert.Zero(t, c.Pass)
		assert.Error(t, tx.PutOrder(Order("R-2", "010-1234-5678")), "View is read-only")
		return err
	}))
	require.NoError(t, s.View(ctx, func(tx shipping.Tx) error {
		_, err := tx.Order("R-2")
		assert.ErrorIs(t, err, shipping.ErrNotFound)
		return nil
	}))
	assert.ErrorIs(t, s.View(ctx, func(shipping.Tx) error { return errMine }), errMine)
	var nilCtx context.Context
	var ve *kshop.ValidationError
	assert.ErrorAs(t, s.Update(nilCtx, func(shipping.Tx) error { return nil }), &ve)
	assert.ErrorAs(t, s.View(nilCtx, func(shipping.Tx) error { return nil }), &ve)
}

func testPlansEventsCursor(t *testing.T, open Factory) {
	s := open(t)
	ctx := context.Background()
	at := time.Date(2026, 5, 11, 12, 0, 0, 0, time.UTC)
	require.NoError(t, s.Update(ctx, func(tx shipping.Tx) error {
		for _, id := range []string{"p2", "p1", "p3"} {
			if err := tx.PutPlan(shipping.Plan{ID: id, OrderID: "O", LineID: "1", WaybillID: "O", From: shipping.StatusShipping,
				To: shipping.StatusDelivered, Cause: shipping.CauseTracking, At: at}); err != nil {
				return err
			}
		}
		for i := range 5 {
			seq, err := tx.AppendEvent(shipping.Event{ID: fmt.Sprintf("e%d", i), OrderID: "O", LineID: "1", To: shipping.StatusDelivered, At: at})
			if err != nil {
				return err
			}
			assert.Equal(t, uint64(i+1), seq)
		}
		return tx.PutCursor(shipping.Cursor{Pass: 2, InPass: true, Total: 10, Done: 4, Started: at})
	}))
	require.NoError(t, s.Update(ctx, func(tx shipping.Tx) error {
		ps, err := tx.Plans()
		require.NoError(t, err)
		require.Len(t, ps, 3)
		assert.Equal(t, "p1", ps[0].ID)
		assert.True(t, ps[0].At.Equal(at))
		ok, err := tx.HasPlan("p2")
		require.NoError(t, err)
		assert.True(t, ok)
		require.NoError(t, tx.DeletePlan("p2"))
		require.NoError(t, tx.DeletePlan("absent"))
		ok, err = tx.HasPlan("p2")
		require.NoError(t, err)
		assert.False(t, ok, "a delete is visible in its transaction")

		evs, err := tx.Events(1, 2)
		require.NoError(t, err)
		require.Len(t, evs, 2)
		assert.Equal(t, []uint64{2, 3}, []uint64{evs[0].Seq, evs[1].Seq})
		assert.Equal(t, "e1", evs[0].ID)
		require.NoError(t, tx.AckEvents(3))

		c, err := tx.Cursor()
		require.NoError(t, err)
		assert.Equal(t, 2, c.Pass)
		assert.Equal(t, 4, c.Done)
		assert.True(t, c.Started.Equal(at))
		return nil
	}))
	require.NoError(t, s.Update(ctx, func(tx shipping.Tx) error {
		seq, err := tx.AppendEvent(shipping.Event{ID: "e5"})
		require.NoError(t, err)
		assert.Equal(t, uint64(6), seq, "numbers go on after an acknowledgement")
		evs, err := tx.Events(0, 0)
		require.NoError(t, err)
		var seqs []uint64
		for _, e := range evs {
			seqs = append(seqs, e.Seq)
		}
		assert.Equal(t, []uint64{4, 5, 6}, seqs)
		ps, err := tx.Plans()
		assert.Len(t, ps, 2)
		return err
	}))
}

func testLeases(t *testing.T, open Factory) {
	s := open(t)
	ctx := context.Background()
	now := time.Date(2026, 5, 11, 12, 0, 0, 0, time.UTC)
	require.NoError(t, s.Update(ctx, func(tx shipping.Tx) error {
		for i := range 6 {
			w := shipping.Waybill{ID: fmt.Sprintf("L%d", i), OrderID: "O", State: shipping.WaybillReserved, Tracking: i != 5}
			if i == 4 {
				w.SyncedPass = 1 // done in pass 1
			}
			if err := tx.PutWaybill(w); err != nil {
				return err
			}
		}
		return nil
	}))
	leaseAfter := func(owner string, pass, limit int, at time.Time, after string) []string {
		t.Helper()
		ws, err := s.LeaseWaybills(ctx, shipping.LeaseRequest{Owner: owner, Pass: pass, Limit: limit, Now: at, Until: at.Add(time.Minute), After: after})
		require.NoError(t, err)
		return waybillIDs(ws)
	}
	lease := func(owner string, pass, limit int, at time.Time) []string {
		t.Helper()
		return leaseAfter(owner, pass, limit, at, "")
	}
	assert.Equal(t, []string{"L0", "L1"}, lease("a", 1, 2, now))
	assert.Equal(t, []string{"L2", "L3"}, lease("b", 1, 5, now), "a's leases are a's; L4 is done; L5 is not tracked")
	assert.Empty(t, lease("c", 1, 5, now.Add(59*time.Second)), "everything leased")
	assert.Equal(t, []string{"L0", "L1"}, lease("a", 1, 5, now.Add(time.Second)), "an owner takes its own leases again")
	require.NoError(t, s.ReleaseWaybills(ctx, "a", []string{"L0"}))
	require.NoError(t, s.ReleaseWaybills(ctx, "c", []string{"L1", "L2"}), "not c's: left alone")
	assert.Equal(t, []string{"L0"}, lease("c", 1, 5, now.Add(2*time.Second)))
	assert.Equal(t, []string{"L0", "L2", "L3"}, lease("c", 1, 5, now.Add(time.Minute)), "c's own lease again, and b's ended")
	assert.Equal(t, []string{"L4"}, lease("d", 2, 5, now.Add(2*time.Second)), "in pass 2 L4 is due again")
	assert.Equal(t, []string{"L2", "L3"}, leaseAfter("c", 1, 5, now.Add(time.Minute), "L0"), "only IDs after After, own leases included")
	assert.Equal(t, []string{"L3"}, leaseAfter("c", 1, 5, now.Add(time.Minute), "L25"), "After need not be an ID")
	assert.Empty(t, leaseAfter("c", 1, 5, now.Add(time.Minute), "L3"), "nothing after the last")
	assert.Equal(t, []string{"L1", "L2"}, leaseAfter("e", 1, 2, now.Add(3*time.Minute), "L0"), "every lease ended; the limit holds")

	var ve *kshop.ValidationError
	_, err := s.LeaseWaybills(ctx, shipping.LeaseRequest{Now: now, Until: now})
	require.ErrorAs(t, err, &ve)
	assert.Len(t, ve.Problems, 4, "owner, pass, limit, until")
	var nilCtx context.Context
	_, err = s.LeaseWaybills(nilCtx, shipping.LeaseRequest{Owner: "a", Pass: 1, Limit: 1, Now: now, Until: now.Add(time.Minute)})
	assert.ErrorAs(t, err, &ve)
}

// testDeliveryLease checks the outbox's delivery lease as a record (staged, rolled back,
// refused in a View), then two Shippers on the store: while one delivers, the other leaves
// the events to it, every event is offered once, and a dead holder's lease is taken over once
// it has run out.
func testDeliveryLease(t *testing.T, open Factory) {
	s := open(t)
	ctx := context.Background()
	at := time.Date(2026, 5, 11, 12, 0, 0, 0, time.UTC)
	readLease := func() shipping.DeliveryLease {
		t.Helper()
		var l shipping.DeliveryLease
		require.NoError(t, s.View(ctx, func(tx shipping.Tx) (err error) { l, err = tx.DeliveryLease(); return err }))
		return l
	}
	assert.Equal(t, "", readLease().Owner, "nobody delivers at first")
	assert.True(t, readLease().Until.IsZero())
	require.NoError(t, s.View(ctx, func(tx shipping.Tx) error {
		assert.Error(t, tx.PutDeliveryLease(shipping.DeliveryLease{Owner: "x", Until: at}), "a View writes nothing")
		return nil
	}))
	errStop := errors.New("stop")
	require.ErrorIs(t, s.Update(ctx, func(tx shipping.Tx) error {
		require.NoError(t, tx.PutDeliveryLease(shipping.DeliveryLease{Owner: "a", Until: at}))
		l, err := tx.DeliveryLease()
		assert.Equal(t, "a", l.Owner, "a transaction reads its own write")
		require.NoError(t, err)
		return errStop
	}), errStop)
	assert.Equal(t, "", readLease().Owner, "rolled back")
	require.NoError(t, s.Update(ctx, func(tx shipping.Tx) error {
		return tx.PutDeliveryLease(shipping.DeliveryLease{Owner: "b", Until: at})
	}))
	got := readLease()
	assert.Equal(t, "b", got.Owner)
	assert.True(t, got.Until.Equal(at), "until %v", got.Until)
	require.NoError(t, s.Update(ctx, func(tx shipping.Tx) error { return tx.PutDeliveryLease(shipping.DeliveryLease{}) }))

	appendEvents := func(ids ...string) {
		t.Helper()
		require.NoError(t, s.Update(ctx, func(tx shipping.Tx) error {
			for _, id := range ids {
				if _, err := tx.AppendEvent(shipping.Event{ID: id}); err != nil {
					return err
				}
			}
			return nil
		}))
	}
	k := NewKit(t)
	log := &EventLog{}
	entered, unblock := make(chan struct{}), make(chan struct{})
	var once sync.Once
	blocking := func(ctx context.Context, ev shipping.Event) error {
		once.Do(func() { close(entered); <-unblock })
		return log.On(ctx, ev)
	}
	newShipper := func(id string, on func(context.Context, shipping.Event) error) *shipping.Shipper {
		sh, err := shipping.New(k.Client, s, shipping.Config{OfficeSer: eposttest.DefaultOfficeSer, ShopName: "케이샵",
			Now: k.Clock.Now, OnEvent: on, InstanceID: id})
		require.NoError(t, err)
		return sh
	}
	a, b := newShipper("instance-a", blocking), newShipper("instance-b", log.On)
	appendEvents("e1", "e2", "e3")
	done := make(chan int, 1)
	go func() {
		n, err := a.DeliverEvents(ctx)
		assert.NoError(t, err)
		done <- n
	}()
	<-entered
	assert.Equal(t, "instance-a", readLease().Owner, "a holds the outbox while it delivers")
	appendEvents("e4")
	n, err := b.DeliverEvents(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "b leaves the events to a")
	close(unblock)
	assert.Equal(t, 4, <-done, "a delivers b's event too")
	assert.Equal(t, "", readLease().Owner, "a gave the lease back")
	var ids []string
	for _, ev := range log.All() {
		ids = append(ids, ev.ID)
	}
	assert.Equal(t, []string{"e1", "e2", "e3", "e4"}, ids, "each event offered once, in order")

	// A holder that died: its lease blocks b until it has run out.
	require.NoError(t, s.Update(ctx, func(tx shipping.Tx) error {
		return tx.PutDeliveryLease(shipping.DeliveryLease{Owner: "dead", Until: k.Clock.Now().Add(time.Minute)})
	}))
	appendEvents("e5")
	n, err = b.DeliverEvents(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "the dead holder's lease still runs")
	k.Clock.Add(time.Minute)
	n, err = b.DeliverEvents(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "taken over once it ran out")
	assert.Len(t, log.All(), 5)
}

// testWorkflow runs the Godomall flow on the store: issue per order and per item (one contact
// error), reserve, print, deliver, sync, a manual change, and a second sync that changes
// nothing.
func testWorkflow(t *testing.T, open Factory) {
	ctx := context.Background()
	s := open(t)
	k := NewKit(t)
	log := &EventLog{}
	sh := k.Shipper(t, s, log)
	require.NoError(t, sh.AddOrders(ctx, Order("A1", "010-1234-5678", "1", "2"), Order("B1", "010-1234-5678", "1", "2"),
		Order("C1", "010-12x4-5678")))
	iss, err := sh.Issue(ctx, shipping.IssueRequest{Mode: shipping.PerOrder, Select: shipping.Selection{OrderIDs: []string{"A1", "C1"}}})
	require.NoError(t, err)
	require.Len(t, iss.Waybills, 1)
	require.Len(t, iss.ContactErrors, 1)
	_, err = sh.Issue(ctx, shipping.IssueRequest{Mode: shipping.PerItem, Select: shipping.Selection{OrderIDs: []string{"B1"}}})
	require.NoError(t, err)
	res, err := sh.Reserve(ctx)
	require.NoError(t, err)
	require.Len(t, res.Reserved, 3)
	assert.Equal(t, 3, k.Srv.Requests("InsertOrder"))
	_, err = sh.MarkPrinted(ctx, "A1")
	require.NoError(t, err)
	for _, w := range res.Reserved {
		Deliver(k.Srv, w.RegiNo)
	}
	ln := func(o, l string) shipping.Line {
		t.Helper()
		ord, err := sh.Order(ctx, o)
		require.NoError(t, err)
		for _, x := range ord.Lines {
			if x.ID == l {
				return x
			}
		}
		t.Fatalf("no line %s/%s", o, l)
		return shipping.Line{}
	}
	assert.Equal(t, shipping.StatusShipping, ln("A1", "1").Status)
	assert.Equal(t, shipping.StatusPreparing, ln("B1", "2").Status)
	assert.Equal(t, shipping.IssueContactError, ln("C1", "1").Issue)
	_, err = sh.SetStatus(ctx, "B1", "2", shipping.StatusShipping) // manual: unlinked
	require.NoError(t, err)

	sy, err := sh.NewSyncer(shipping.SyncOptions{Concurrency: 2, RateInterval: -1, BatchSize: 2})
	require.NoError(t, err)
	rep, err := sy.SyncNow(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Changed, "A1/1, A1/2, B1/1; B1/2 is unlinked")
	assert.Equal(t, shipping.StatusDelivered, ln("A1", "2").Status)
	assert.Equal(t, shipping.StatusDelivered, ln("B1", "1").Status)
	assert.Equal(t, shipping.StatusShipping, ln("B1", "2").Status, "sync never touches an unlinked line")
	assert.Equal(t, 2, k.Srv.Requests(eposttest.CallBizTrace)+k.Srv.Requests(eposttest.CallPublicTrace), "B1-2 is not tracked")
	rep, err = sy.SyncNow(ctx)
	require.NoError(t, err)
	assert.Zero(t, rep.Changed, "a second sync changes nothing")
	assert.Zero(t, rep.Total, "nothing left to track")

	var causes []shipping.Cause
	ids := map[string]bool{}
	for _, ev := range log.All() {
		causes = append(causes, ev.Cause)
		assert.False(t, ids[ev.ID], "event %s delivered once", ev.ID)
		ids[ev.ID] = true
	}
	assert.Equal(t, []shipping.Cause{shipping.CauseReservation, shipping.CauseReservation, shipping.CauseReservation,
		shipping.CauseReservation, shipping.CausePrint, shipping.CausePrint, shipping.CauseManual,
		shipping.CauseTracking, shipping.CauseTracking, shipping.CauseTracking}, causes)
}

// crashStore dies at its failAt-th call that writes (Update, LeaseWaybills, ReleaseWaybills),
// counted from 1: that call does nothing and every later call fails too.
type crashStore struct {
	shipping.Store
	mu      sync.Mutex
	failAt  int
	writes  int
	crashed bool
}

var errCrash = errors.New("crash injected")

func (c *crashStore) step() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes++
	if c.crashed || c.writes == c.failAt {
		c.crashed = true
		return errCrash
	}
	return nil
}

func (c *crashStore) dead() bool { c.mu.Lock(); defer c.mu.Unlock(); return c.crashed }

func (c *crashStore) Update(ctx context.Context, fn func(shipping.Tx) error) error {
	if err := c.step(); err != nil {
		return err
	}
	return c.Store.Update(ctx, fn)
}

func (c *crashStore) View(ctx context.Context, fn func(shipping.Tx) error) error {
	if c.dead() {
		return errCrash
	}
	return c.Store.View(ctx, fn)
}

func (c *crashStore) LeaseWaybills(ctx context.Context, req shipping.LeaseRequest) ([]shipping.Waybill, error) {
	if err := c.step(); err != nil {
		return nil, err
	}
	return c.Store.LeaseWaybills(ctx, req)
}

func (c *crashStore) ReleaseWaybills(ctx context.Context, owner string, ids []string) error {
	if err := c.step(); err != nil {
		return err
	}
	return c.Store.ReleaseWaybills(ctx, owner, ids)
}

// testCrashBetweenSyncSteps kills a syncer at every one of its writes in turn; a new syncer
// (another instance ID, after the dead one's leases end) finishes the pass with nothing lost
// and nothing doubled.
func testCrashBetweenSyncSteps(t *testing.T, open Factory) {
	ctx := context.Background()
	for failAt := 1; ; failAt++ {
		s := open(t)
		k := NewKit(t)
		SeedTracked(t, k, s, "C", 5)
		log := &EventLog{}
		crashing := &crashStore{Store: s, failAt: failAt}
		sy1, err := k.Shipper(t, crashing, log).NewSyncer(shipping.SyncOptions{InstanceID: "victim", Concurrency: 1, BatchSize: 2, RateInterval: -1, Lease: time.Minute})
		require.NoError(t, err)
		_, err = sy1.SyncNow(ctx)
		finished := err == nil && !crashing.dead()
		if !finished {
			require.ErrorIs(t, err, errCrash, "failAt %d", failAt)
			k.Clock.Add(2 * time.Minute) // the victim's leases end
			sy2, err := k.Shipper(t, s, log).NewSyncer(shipping.SyncOptions{InstanceID: "survivor", Concurrency: 1, BatchSize: 2, RateInterval: -1})
			require.NoError(t, err)
			_, err = sy2.SyncNow(ctx)
			require.NoError(t, err, "failAt %d", failAt)
		}
		// Events are delivered at least once (a crash between delivering and acknowledging
		// offers one again, with its ID): one change per line is one event ID per line.
		perLine := map[string]map[string]bool{}
		for _, ev := range log.All() {
			key := ev.OrderID + "/" + ev.LineID
			if perLine[key] == nil {
				perLine[key] = map[string]bool{}
			}
			perLine[key][ev.ID] = true
		}
		require.Len(t, perLine, 5, "failAt %d: nothing lost", failAt)
		for key, ids := range perLine {
			require.Len(t, ids, 1, "failAt %d %s: nothing doubled", failAt, key)
		}
		require.NoError(t, s.View(ctx, func(tx shipping.Tx) error {
			ps, err := tx.Plans()
			require.Empty(t, ps, "failAt %d: no plan left", failAt)
			c, _ := tx.Cursor()
			require.False(t, c.InPass, "failAt %d: the pass closed", failAt)
			left, _ := tx.Waybills(shipping.WaybillQuery{Tracking: true})
			require.Empty(t, left, "failAt %d", failAt)
			return err
		}))
		if finished {
			require.Greater(t, failAt, 8, "the sync has many steps")
			return
		}
	}
}
