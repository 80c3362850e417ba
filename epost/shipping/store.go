package shipping

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/wire"
)

// ErrNotFound is returned by a Tx for a record it does not hold, and by the Shipper for an
// unknown order, line or waybill.
var ErrNotFound = errors.New("shipping: not found")

// Store keeps the workflow's state: orders and their lines (status, issue state, link),
// waybills (issue and reservation state), planned changes, the event outbox and the sync
// cursor. Every change the Shipper makes is one Update, so a store that makes Update atomic
// (a database transaction) keeps the workflow consistent across crashes.
//
// MemoryStore is the in-memory implementation for tests and the quickstart.
type Store interface {
	// Update runs fn in a read-write transaction: all of its writes are kept when fn returns
	// nil, none when it returns an error (which Update returns). The Tx is valid only during fn.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in a read-only transaction.
	View(ctx context.Context, fn func(Tx) error) error

	// LeaseWaybills hands req.Owner up to req.Limit waybills that the sync pass req.Pass must
	// still track (Tracking, SyncedPass below req.Pass), in ID order, leased until req.Until:
	// waybills nobody holds, whose lease ended by req.Now, or that req.Owner holds already;
	// only those whose ID sorts after req.After when it is set. Of concurrent callers with different owners each waybill goes to one, so several
	// syncers split a pass instead of each doing all of it.
	LeaseWaybills(ctx context.Context, req LeaseRequest) ([]Waybill, error)
	// ReleaseWaybills ends owner's leases on ids (a lease owner no longer holds is left alone).
	ReleaseWaybills(ctx context.Context, owner string, ids []string) error
}

// LeaseRequest asks a Store for a batch of waybills to track. The times are the caller's
// clock: syncers sharing a store must agree on the time to well within a lease.
type LeaseRequest struct {
	// Owner names the syncer (its instance ID); it must be unique per syncer.
	Owner string
	// Pass is the sync pass: waybills with SyncedPass >= Pass are done.
	Pass int
	// Limit caps the batch (at least 1).
	Limit int
	// After, when set, leases only waybills whose ID sorts after it (byte-wise): a syncer
	// leases its next batch while it still tracks the one before, which it holds itself.
	After string
	// Now decides which leases have ended; Until is when the new ones end.
	Now, Until time.Time
}

// DeliveryLease says which Shipper delivers the event outbox, and until when. Shippers that
// share a store deliver one at a time, so that two instances never offer the same event to
// their OnEvent at once; the holder renews it as it goes, and it ends by itself when the
// holder dies.
type DeliveryLease struct {
	// Owner is the delivering Shipper's Config.InstanceID ("" when nobody delivers).
	Owner string
	// Until is when the lease ends unless renewed.
	Until time.Time
}

// Tx is one transaction of a Store. Records are values: changing a returned record changes
// nothing until it is put back.
type Tx interface {
	// Order returns an order with its lines, or ErrNotFound.
	Order(id string) (Order, error)
	// PutOrder inserts or replaces an order.
	PutOrder(o Order) error
	// Orders lists up to limit orders whose ID sorts after after, in ID order.
	Orders(after string, limit int) ([]Order, error)

	// Waybill returns a waybill, or ErrNotFound.
	Waybill(id string) (Waybill, error)
	// PutWaybill inserts or replaces a waybill.
	PutWaybill(w Waybill) error
	// Waybills lists the waybills matching q, in ID order.
	Waybills(q WaybillQuery) ([]Waybill, error)

	// Cursor returns the sync cursor (the zero Cursor before the first sync).
	Cursor() (Cursor, error)
	// PutCursor replaces the sync cursor.
	PutCursor(c Cursor) error

	// Plans lists the planned changes not yet applied, in ID order.
	Plans() ([]Plan, error)
	// PutPlan records a planned change (replacing one with the same ID).
	PutPlan(p Plan) error
	// DeletePlan forgets an applied plan; deleting an absent plan is not an error.
	DeletePlan(id string) error
	// HasPlan reports whether a plan is recorded.
	HasPlan(id string) (bool, error)

	// AppendEvent adds an event to the outbox and returns its sequence number (from 1 up).
	AppendEvent(e Event) (uint64, error)
	// Events lists up to limit unacknowledged events with Seq > after, in Seq order.
	Events(after uint64, limit int) ([]Event, error)
	// AckEvents acknowledges every event up to and including seq.
	AckEvents(seq uint64) error
	// DeliveryLease returns the outbox's delivery lease (the zero value when none was taken).
	DeliveryLease() (DeliveryLease, error)
	// PutDeliveryLease replaces the outbox's delivery lease.
	PutDeliveryLease(l DeliveryLease) error
}

// WaybillQuery selects waybills. Zero fields do not filter.
type WaybillQuery struct {
	// States keeps waybills in one of these states.
	States []WaybillState
	// Tracking keeps waybills sync checks.
	Tracking bool
	// OrderID keeps the waybills of one order.
	OrderID string
	// NotSyncedIn keeps waybills whose SyncedPass is below it (waybills a sync pass has
	// still to track).
	NotSyncedIn int
	// After keeps IDs that sort after it; Limit caps the count (0 = no cap).
	After string
	Limit int
}

func (q WaybillQuery) match(w *Waybill) bool {
	return (len(q.States) == 0 || slices.Contains(q.States, w.State)) &&
		(!q.Tracking || w.Tracking) && (q.OrderID == "" || w.OrderID == q.OrderID) &&
		(q.NotSyncedIn == 0 || w.SyncedPass < q.NotSyncedIn)
}

// MemoryStore is an in-memory Store: one lock serializes transactions, and writes are staged
// until fn returns nil. It is safe for concurrent use; its state ends with the process.
type MemoryStore struct {
	mu       sync.Mutex
	orders   map[string]Order
	orderIDs []string // sorted
	waybills map[string]Waybill
	wbIDs    []string // sorted
	plans    map[string]Plan
	events   []Event // unacknowledged, by Seq
	seq      uint64
	cursor   Cursor
	leases   map[string]memLease
	delivery DeliveryLease
}

type memLease struct {
	owner string
	until time.Time
}

// NewMemoryStore returns an empty store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{orders: map[string]Order{}, waybills: map[string]Waybill{}, plans: map[string]Plan{}, leases: map[string]memLease{}}
}

// LeaseWaybills implements Store: the store's lock makes each batch exclusive.
func (m *MemoryStore) LeaseWaybills(ctx context.Context, req LeaseRequest) ([]Waybill, error) {
	if err := wire.CheckContext(ctx, "shipping.MemoryStore.LeaseWaybills"); err != nil {
		return nil, err
	}
	if err := req.check("shipping.MemoryStore.LeaseWaybills"); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Waybill
	from, _ := slices.BinarySearch(m.wbIDs, req.After)
	for _, id := range m.wbIDs[from:] {
		if id <= req.After {
			continue
		}
		if len(out) >= req.Limit {
			break
		}
		w := m.waybills[id]
		if !w.Tracking || w.SyncedPass >= req.Pass {
			continue
		}
		if l, ok := m.leases[id]; ok && l.owner != req.Owner && l.until.After(req.Now) {
			continue
		}
		m.leases[id] = memLease{owner: req.Owner, until: req.Until}
		out = append(out, w.clone())
	}
	return out, nil
}

// ReleaseWaybills implements Store.
func (m *MemoryStore) ReleaseWaybills(ctx context.Context, owner string, ids []string) error {
	if err := wire.CheckContext(ctx, "shipping.MemoryStore.ReleaseWaybills"); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, id := range ids {
		if l, ok := m.leases[id]; ok && l.owner == owner {
			delete(m.leases, id)
		}
	}
	return nil
}

// check reports a request no store can serve, as a *kshop.ValidationError.
func (r LeaseRequest) check(op string) error {
	var ps []*kshop.FieldError
	if r.Owner == "" {
		ps = append(ps, &kshop.FieldError{Field: "Owner", Rule: kshop.RuleRequired})
	}
	if r.Pass < 1 {
		ps = append(ps, &kshop.FieldError{Field: "Pass", Rule: kshop.RuleRange, Got: r.Pass})
	}
	if r.Limit < 1 {
		ps = append(ps, &kshop.FieldError{Field: "Limit", Rule: kshop.RuleRange, Got: r.Limit})
	}
	if !r.Until.After(r.Now) {
		ps = append(ps, &kshop.FieldError{Field: "Until", Rule: kshop.RuleRange, Detail: "after Now"})
	}
	return kshop.NewValidationError(op, ps)
}

// CheckLeaseRequest is the validation every Store applies to a LeaseRequest, for other Store
// implementations: a *kshop.ValidationError (Op op) for a missing owner, a pass below 1, a
// limit below 1, or Until not after Now.
func CheckLeaseRequest(op string, r LeaseRequest) error { return r.check(op) }

// Update implements Store. A nil ctx is refused with a *kshop.ValidationError.
func (m *MemoryStore) Update(ctx context.Context, fn func(Tx) error) error {
	if err := wire.CheckContext(ctx, "shipping.MemoryStore.Update"); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	tx := &memTx{m: m, orders: map[string]Order{}, waybills: map[string]Waybill{}, plans: map[string]*Plan{}, seq: m.seq, write: true}
	if err := fn(tx); err != nil {
		return err
	}
	tx.commit()
	return nil
}

// View implements Store. A nil ctx is refused with a *kshop.ValidationError.
func (m *MemoryStore) View(ctx context.Context, fn func(Tx) error) error {
	if err := wire.CheckContext(ctx, "shipping.MemoryStore.View"); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return fn(&memTx{m: m, seq: m.seq})
}

var errReadOnly = errors.New("shipping: write in a read-only transaction")

type memTx struct {
	m        *MemoryStore
	write    bool
	orders   map[string]Order
	waybills map[string]Waybill
	plans    map[string]*Plan // nil value = deleted
	cursor   *Cursor
	delivery *DeliveryLease
	appended []Event
	ack      uint64
	seq      uint64
}

func (t *memTx) commit() {
	m := t.m
	for id, o := range t.orders {
		if _, ok := m.orders[id]; !ok {
			m.orderIDs = insertSorted(m.orderIDs, id)
		}
		m.orders[id] = o
	}
	for id, w := range t.waybills {
		if _, ok := m.waybills[id]; !ok {
			m.wbIDs = insertSorted(m.wbIDs, id)
		}
		m.waybills[id] = w
	}
	for id, p := range t.plans {
		if p == nil {
			delete(m.plans, id)
		} else {
			m.plans[id] = *p
		}
	}
	if t.cursor != nil {
		m.cursor = *t.cursor
	}
	if t.delivery != nil {
		m.delivery = *t.delivery
	}
	m.events = append(m.events, t.appended...)
	m.seq = t.seq
	if t.ack > 0 {
		i := sort.Search(len(m.events), func(i int) bool { return m.events[i].Seq > t.ack })
		// Dropped from the front without a copy (an acknowledgement every few dozen events
		// would otherwise copy the whole outbox each time); the array is compacted only once
		// the dead head outweighs the live events, so its memory stays bounded.
		clear(m.events[:i])
		m.events = m.events[i:]
		if len(m.events) < cap(m.events)/4 {
			m.events = append([]Event(nil), m.events...)
		}
	}
}

func insertSorted(ids []string, id string) []string {
	i, _ := slices.BinarySearch(ids, id)
	return slices.Insert(ids, i, id)
}

func (t *memTx) Order(id string) (Order, error) {
	if o, ok := t.orders[id]; ok {
		return o.clone(), nil
	}
	if o, ok := t.m.orders[id]; ok {
		return o.clone(), nil
	}
	return Order{}, ErrNotFound
}

func (t *memTx) PutOrder(o Order) error {
	if !t.write {
		return errReadOnly
	}
	t.orders[o.ID] = o.clone()
	return nil
}

// mergedIDs lists the committed IDs after after, plus the staged new ones, in order.
func mergedIDs[V any](base []string, staged map[string]V, committed map[string]V, after string) []string {
	i, found := slices.BinarySearch(base, after)
	if found {
		i++
	}
	ids := base[i:]
	var extra []string
	for id := range staged {
		if _, ok := committed[id]; !ok && id > after {
			extra = append(extra, id)
		}
	}
	if len(extra) == 0 {
		return ids
	}
	out := append(slices.Clone(ids), extra...)
	slices.Sort(out)
	return out
}

func (t *memTx) Orders(after string, limit int) ([]Order, error) {
	var out []Order
	for _, id := range mergedIDs(t.m.orderIDs, t.orders, t.m.orders, after) {
		if limit > 0 && len(out) >= limit {
			break
		}
		o, _ := t.Order(id)
		out = append(out, o)
	}
	return out, nil
}

func (t *memTx) Waybill(id string) (Waybill, error) {
	if w, ok := t.waybills[id]; ok {
		return w.clone(), nil
	}
	if w, ok := t.m.waybills[id]; ok {
		return w.clone(), nil
	}
	return Waybill{}, ErrNotFound
}

func (t *memTx) PutWaybill(w Waybill) error {
	if !t.write {
		return errReadOnly
	}
	t.waybills[w.ID] = w.clone()
	return nil
}

func (t *memTx) Waybills(q WaybillQuery) ([]Waybill, error) {
	var out []Waybill
	for _, id := range mergedIDs(t.m.wbIDs, t.waybills, t.m.waybills, q.After) {
		if q.Limit > 0 && len(out) >= q.Limit {
			break
		}
		w, ok := t.waybills[id]
		if !ok {
			w = t.m.waybills[id]
		}
		if q.match(&w) {
			out = append(out, w.clone())
		}
	}
	return out, nil
}

func (t *memTx) Cursor() (Cursor, error) {
	if t.cursor != nil {
		return *t.cursor, nil
	}
	return t.m.cursor, nil
}

func (t *memTx) PutCursor(c Cursor) error {
	if !t.write {
		return errReadOnly
	}
	t.cursor = &c
	return nil
}

func (t *memTx) DeliveryLease() (DeliveryLease, error) {
	if t.delivery != nil {
		return *t.delivery, nil
	}
	return t.m.delivery, nil
}

func (t *memTx) PutDeliveryLease(l DeliveryLease) error {
	if !t.write {
		return errReadOnly
	}
	t.delivery = &l
	return nil
}

func (t *memTx) Plans() ([]Plan, error) {
	var out []Plan
	for id, p := range t.m.plans {
		if staged, ok := t.plans[id]; ok && staged == nil {
			continue
		} else if ok {
			p = *staged
		}
		out = append(out, p)
	}
	for id, p := range t.plans {
		if _, ok := t.m.plans[id]; !ok && p != nil {
			out = append(out, *p)
		}
	}
	slices.SortFunc(out, func(a, b Plan) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

func (t *memTx) PutPlan(p Plan) error {
	if !t.write {
		return errReadOnly
	}
	t.plans[p.ID] = &p
	return nil
}

func (t *memTx) DeletePlan(id string) error {
	if !t.write {
		return errReadOnly
	}
	t.plans[id] = nil
	return nil
}

func (t *memTx) HasPlan(id string) (bool, error) {
	if p, ok := t.plans[id]; ok {
		return p != nil, nil
	}
	_, ok := t.m.plans[id]
	return ok, nil
}

func (t *memTx) AppendEvent(e Event) (uint64, error) {
	if !t.write {
		return 0, errReadOnly
	}
	t.seq++
	e.Seq = t.seq
	t.appended = append(t.appended, e)
	return e.Seq, nil
}

func (t *memTx) Events(after uint64, limit int) ([]Event, error) {
	var out []Event
	for _, list := range [][]Event{t.m.events, t.appended} {
		for _, e := range list {
			if e.Seq <= after || e.Seq <= t.ack {
				continue
			}
			if limit > 0 && len(out) >= limit {
				return out, nil
			}
			out = append(out, e)
		}
	}
	return out, nil
}

func (t *memTx) AckEvents(seq uint64) error {
	if !t.write {
		return errReadOnly
	}
	if seq > t.ack {
		t.ack = seq
	}
	return nil
}
