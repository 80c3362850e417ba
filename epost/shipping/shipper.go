package shipping

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Client is what the workflow needs from Korea Post. *epost.Client implements it; so can the
// fake's client or a test double.
type Client interface {
	InsertOrder(ctx context.Context, req epost.InsertOrderRequest) (*epost.Booking, error)
	ReconcileOrder(ctx context.Context, orderNo, reqYmd string, opts ...epost.ReconcileOption) (*epost.Reconciliation, error)
	GetResCancelCmd(ctx context.Context, req epost.GetResCancelCmdRequest) (*epost.CancelResult, error)
	TrackMany(ctx context.Context, waybills []string, opts epost.TrackManyOptions) []epost.TrackResult
}

var _ Client = (*epost.Client)(nil)

// DefaultInFlightGrace is how long a reservation or cancel written as under way is left alone
// by other callers before they reconcile it: longer than any InsertOrder call lasts.
const DefaultInFlightGrace = 2 * time.Minute

// Config configures a Shipper.
type Config struct {
	// OfficeSer is the 공급지 code the parcels leave from (officeSer), required.
	OfficeSer string
	// ShopName is the 주문처명 printed on labels (ordCompNm), required.
	ShopName string
	// Content is the contents code (contCd); "" is epost.ContentOther.
	Content epost.ContentCode
	// Statuses is the shop's status setup; the zero value is DefaultStatusConfig.
	Statuses StatusConfig
	// Weight (kg) and Volume (cm) of a parcel; 0 leaves Korea Post's defaults (2 kg, 60 cm).
	Weight, Volume int
	// Now is the clock (default time.Now).
	Now func() time.Time
	// OnEvent receives every status change, in order, at least once: an event is acknowledged
	// when OnEvent returns nil, and one that failed or was cut off by a crash is offered again
	// with the same ID. nil acknowledges events as they are made (they are still returned in
	// each report).
	OnEvent func(ctx context.Context, ev Event) error
	// InFlightGrace is how old a reservation or cancel under way must be before another caller
	// reconciles it (default DefaultInFlightGrace).
	InFlightGrace time.Duration
	// Logger receives counts and identifiers, never names, phones or addresses (default:
	// discard).
	Logger *slog.Logger
	// InstanceID names this Shipper in the outbox's delivery lease (default: host name,
	// process ID and a random suffix); Shippers sharing a store need different ones.
	InstanceID string
	// DeliveryLease is how long this Shipper holds the outbox while it delivers events
	// (default DefaultDeliveryLease); it renews the lease after every 64 events. Another
	// Shipper takes the outbox over only once the lease ended, so choose it longer than
	// OnEvent takes for 64 events.
	DeliveryLease time.Duration
}

// DefaultDeliveryLease is how long a Shipper holds the event outbox when
// Config.DeliveryLease is not set.
const DefaultDeliveryLease = time.Minute

// Shipper runs the shop's Korea Post workflow over a Store: step 1 issues waybills, step 2
// reserves them, printing and tracking move the lines on, Cancel withdraws a waybill. It is
// safe for concurrent use.
type Shipper struct {
	client Client
	store  Store
	cfg    Config
	now    func() time.Time
	log    *slog.Logger

	mu   sync.Mutex
	busy map[string]bool // waybills with a call under way in this process

	deliverMu sync.Mutex
}

// New builds a Shipper. Every problem with the arguments is reported at once in a
// *kshop.ValidationError (Op "shipping.New").
func New(client Client, store Store, cfg Config) (*Shipper, error) {
	var ps []*kshop.FieldError
	if client == nil {
		ps = append(ps, &kshop.FieldError{Field: "client", Rule: kshop.RuleRequired})
	}
	if store == nil {
		ps = append(ps, &kshop.FieldError{Field: "store", Rule: kshop.RuleRequired})
	}
	if cfg.OfficeSer == "" {
		ps = append(ps, &kshop.FieldError{Field: "Config.OfficeSer", Key: "officeSer", Rule: kshop.RuleRequired})
	}
	if cfg.ShopName == "" {
		ps = append(ps, &kshop.FieldError{Field: "Config.ShopName", Key: "ordCompNm", Rule: kshop.RuleRequired})
	}
	if cfg.Statuses.Payment == nil && cfg.Statuses.Goods == nil {
		cfg.Statuses = DefaultStatusConfig()
	}
	ps = append(ps, cfg.Statuses.problems("Config.Statuses")...)
	if cfg.Weight < 0 || cfg.Weight > 30 {
		ps = append(ps, &kshop.FieldError{Field: "Config.Weight", Key: "weight", Rule: kshop.RuleRange, Limit: 30})
	}
	if cfg.Volume < 0 || cfg.Volume > 160 {
		ps = append(ps, &kshop.FieldError{Field: "Config.Volume", Key: "volume", Rule: kshop.RuleRange, Limit: 160})
	}
	if cfg.InFlightGrace < 0 {
		ps = append(ps, &kshop.FieldError{Field: "Config.InFlightGrace", Rule: kshop.RuleRange})
	}
	if cfg.DeliveryLease < 0 || cfg.DeliveryLease > 0 && cfg.DeliveryLease < time.Second {
		ps = append(ps, &kshop.FieldError{Field: "Config.DeliveryLease", Rule: kshop.RuleRange, Detail: "at least 1s"})
	}
	if len(cfg.InstanceID) > maxInstanceIDLen {
		ps = append(ps, &kshop.FieldError{Field: "Config.InstanceID", Rule: kshop.RuleTooLong, Limit: maxInstanceIDLen, Got: len(cfg.InstanceID)})
	}
	if err := kshop.NewValidationError("shipping.New", ps); err != nil {
		return nil, err
	}
	if cfg.Content == "" {
		cfg.Content = epost.ContentOther
	}
	if cfg.InFlightGrace == 0 {
		cfg.InFlightGrace = DefaultInFlightGrace
	}
	if cfg.DeliveryLease == 0 {
		cfg.DeliveryLease = DefaultDeliveryLease
	}
	if cfg.InstanceID == "" {
		cfg.InstanceID = defaultInstanceID()
	}
	s := &Shipper{client: client, store: store, cfg: cfg, now: cfg.Now, log: cfg.Logger, busy: map[string]bool{}}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s, nil
}

// Store returns the store the Shipper works on.
func (s *Shipper) Store() Store { return s.store }

// claim marks a waybill busy in this process; false when another call holds it.
func (s *Shipper) claim(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.busy[id] {
		return false
	}
	s.busy[id] = true
	return true
}

func (s *Shipper) release(id string) {
	s.mu.Lock()
	delete(s.busy, id)
	s.mu.Unlock()
}

// LineRef names one order line.
type LineRef struct {
	OrderID string
	LineID  string
}

// String is "order/line".
func (r LineRef) String() string { return r.OrderID + "/" + r.LineID }

func validID(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

const (
	maxOrderID = 32
	maxLineID  = 12
)

// AddOrders stores new orders with their lines (each not issued and unlinked). Every problem
// is reported at once in a *kshop.ValidationError (Op "shipping.AddOrders"), and then nothing
// is stored: IDs, unknown statuses (the FieldError's Err is an *UnknownStatusError), goods
// names, quantities, the fee condition, required recipient items, and orders that exist
// already. Phones are not checked here: a malformed one marks the lines 연락처오류 in step 1.
func (s *Shipper) AddOrders(ctx context.Context, orders ...Order) error {
	const op = "shipping.AddOrders"
	if err := wire.CheckContext(ctx, op); err != nil {
		return err
	}
	var ps []*kshop.FieldError
	seen := map[string]bool{}
	for i, o := range orders {
		f := "orders[" + strconv.Itoa(i) + "]"
		if !validID(o.ID, maxOrderID) {
			ps = append(ps, &kshop.FieldError{Field: f + ".ID", Key: "orderNo", Rule: kshop.RuleFormat, Limit: maxOrderID, Detail: "ASCII letters, digits, '-' and '_'"})
		} else if seen[o.ID] {
			ps = append(ps, &kshop.FieldError{Field: f + ".ID", Rule: kshop.RuleConflict, Detail: "listed twice"})
		}
		seen[o.ID] = true
		if o.Fee != "" && o.Fee != FeePrepaid && o.Fee != FeeCollect {
			ps = append(ps, &kshop.FieldError{Field: f + ".Fee", Key: "payType", Rule: kshop.RuleNotAllowed, Detail: "FeePrepaid or FeeCollect"})
		}
		for _, r := range []struct{ field, key, v string }{
			{"Name", "recNm", o.Recipient.Name}, {"Zip", "recZip", o.Recipient.Zip},
			{"Addr1", "recAddr1", o.Recipient.Addr1}, {"Addr2", "recAddr2", o.Recipient.Addr2},
		} {
			if r.v == "" {
				ps = append(ps, &kshop.FieldError{Field: f + ".Recipient." + r.field, Key: r.key, Rule: kshop.RuleRequired})
			}
		}
		if len(o.Lines) == 0 {
			ps = append(ps, &kshop.FieldError{Field: f + ".Lines", Rule: kshop.RuleRequired})
		}
		lines := map[string]bool{}
		for j, ln := range o.Lines {
			lf := f + ".Lines[" + strconv.Itoa(j) + "]"
			if !validID(ln.ID, maxLineID) {
				ps = append(ps, &kshop.FieldError{Field: lf + ".ID", Rule: kshop.RuleFormat, Limit: maxLineID, Detail: "ASCII letters, digits, '-' and '_'"})
			} else if lines[ln.ID] {
				ps = append(ps, &kshop.FieldError{Field: lf + ".ID", Rule: kshop.RuleConflict, Detail: "listed twice"})
			}
			lines[ln.ID] = true
			if !ln.Status.Known() {
				ps = append(ps, &kshop.FieldError{Field: lf + ".Status", Rule: kshop.RuleNotAllowed, Detail: "unknown status",
					Err: &UnknownStatusError{Platform: "godomall", Code: string(ln.Status)}})
			}
			if ln.GoodsName == "" {
				ps = append(ps, &kshop.FieldError{Field: lf + ".GoodsName", Key: "goodsNm", Rule: kshop.RuleRequired})
			}
			if ln.Qty < 1 || ln.Qty > 99999 {
				ps = append(ps, &kshop.FieldError{Field: lf + ".Qty", Key: "qty", Rule: kshop.RuleRange, Limit: 99999, Got: ln.Qty})
			}
		}
	}
	if err := kshop.NewValidationError(op, ps); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		var ps []*kshop.FieldError
		for i, o := range orders {
			if _, err := tx.Order(o.ID); err == nil {
				ps = append(ps, &kshop.FieldError{Field: "orders[" + strconv.Itoa(i) + "].ID", Rule: kshop.RuleConflict, Detail: "the order exists already"})
				continue
			} else if !errors.Is(err, ErrNotFound) {
				return err
			}
			o = o.clone()
			for j := range o.Lines {
				o.Lines[j].Issue, o.Lines[j].WaybillID, o.Lines[j].Linked = IssueNone, "", false
			}
			if err := tx.PutOrder(o); err != nil {
				return err
			}
		}
		return kshop.NewValidationError(op, ps)
	})
}

// ErrWrongState is matched when an operation does not apply to a waybill or line in its
// current state (reserving a cancelled waybill, correcting the contact of a reserved order).
var ErrWrongState = errors.New("shipping: not allowed in the current state")

// UpdateRecipient corrects an order's recipient (연락처 수정), so that lines marked 연락처오류
// can be issued again. It is refused (ErrWrongState) while a waybill of the order is reserved
// or being reserved: Korea Post already holds the old details; cancel it first.
func (s *Shipper) UpdateRecipient(ctx context.Context, orderID string, r Recipient) error {
	const op = "shipping.UpdateRecipient"
	if err := wire.CheckContext(ctx, op); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		o, err := tx.Order(orderID)
		if err != nil {
			return fmt.Errorf("%s: order %q: %w", op, orderID, err)
		}
		wbs, err := tx.Waybills(WaybillQuery{OrderID: orderID, States: []WaybillState{WaybillReserving, WaybillReserveUnknown, WaybillReserved, WaybillCancelling, WaybillCancelUnknown}})
		if err != nil {
			return err
		}
		if len(wbs) > 0 {
			return fmt.Errorf("%s: order %q has waybill %q at Korea Post: %w", op, orderID, wbs[0].ID, ErrWrongState)
		}
		o.Recipient = r
		return tx.PutOrder(o)
	})
}

// Order returns an order with its lines' states.
func (s *Shipper) Order(ctx context.Context, id string) (Order, error) {
	if err := wire.CheckContext(ctx, "shipping.Order"); err != nil {
		return Order{}, err
	}
	var o Order
	err := s.store.View(ctx, func(tx Tx) (err error) { o, err = tx.Order(id); return err })
	return o, err
}

// Waybill returns a waybill.
func (s *Shipper) Waybill(ctx context.Context, id string) (Waybill, error) {
	if err := wire.CheckContext(ctx, "shipping.Waybill"); err != nil {
		return Waybill{}, err
	}
	var w Waybill
	err := s.store.View(ctx, func(tx Tx) (err error) { w, err = tx.Waybill(id); return err })
	return w, err
}

// Waybills lists waybills: ToReserve lists step 2 (예약 전), Reserved the booked ones.
func (s *Shipper) Waybills(ctx context.Context, q WaybillQuery) ([]Waybill, error) {
	if err := wire.CheckContext(ctx, "shipping.Waybills"); err != nil {
		return nil, err
	}
	var out []Waybill
	err := s.store.View(ctx, func(tx Tx) (err error) { out, err = tx.Waybills(q); return err })
	return out, err
}

// ToReserve is the step-2 list (예약 전): issued waybills and those whose reservation is
// unknown.
var ToReserve = WaybillQuery{States: []WaybillState{WaybillIssued, WaybillReserving, WaybillReserveUnknown}}

// SetStatus is an operator's manual status change (cause manual). A line linked to a waybill
// is unlinked for good: sync never changes it again. The new status must be known (an
// *UnknownStatusError otherwise); setting the current status changes nothing and returns nil.
func (s *Shipper) SetStatus(ctx context.Context, orderID, lineID string, to Status) (*Event, error) {
	const op = "shipping.SetStatus"
	if err := wire.CheckContext(ctx, op); err != nil {
		return nil, err
	}
	if !to.Known() {
		return nil, kshop.NewValidationError(op, []*kshop.FieldError{{Field: "to", Rule: kshop.RuleNotAllowed,
			Detail: "unknown status", Err: &UnknownStatusError{Platform: "godomall", Code: string(to)}}})
	}
	var ev *Event
	err := s.store.Update(ctx, func(tx Tx) error {
		ev = nil
		o, err := tx.Order(orderID)
		if err != nil {
			return fmt.Errorf("%s: order %q: %w", op, orderID, err)
		}
		ln := o.line(lineID)
		if ln == nil {
			return fmt.Errorf("%s: line %q of order %q: %w", op, lineID, orderID, ErrNotFound)
		}
		if ln.Status == to {
			return nil
		}
		now := s.now()
		e := Event{OrderID: orderID, LineID: lineID, From: ln.Status, To: to, Cause: CauseManual, WaybillID: ln.WaybillID, At: now,
			ID: orderID + "/" + lineID + "/manual/" + string(ln.Status) + "-" + string(to) + "/" + strconv.FormatInt(now.UnixNano(), 36)}
		ln.Status = to
		wasLinked := ln.Linked
		ln.Linked = false
		if err := tx.PutOrder(o); err != nil {
			return err
		}
		if wasLinked {
			if err := untrackIfUnlinked(tx, o, ln.WaybillID); err != nil {
				return err
			}
		}
		if e.WaybillID != "" {
			if w, err := tx.Waybill(e.WaybillID); err == nil {
				e.RegiNo = w.RegiNo
			}
		}
		seq, err := tx.AppendEvent(e)
		e.Seq = seq
		ev = &e
		return err
	})
	if err != nil {
		return nil, err
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "shipping: manual status change", slog.String("order", orderID), slog.String("line", lineID))
	if ev != nil {
		s.deliver(ctx)
	}
	return ev, nil
}

// untrackIfUnlinked stops tracking a waybill none of whose lines is linked any more.
func untrackIfUnlinked(tx Tx, o Order, waybillID string) error {
	if waybillID == "" {
		return nil
	}
	w, err := tx.Waybill(waybillID)
	if err != nil {
		return err
	}
	for _, ln := range o.Lines {
		if ln.WaybillID == waybillID && ln.Linked {
			return nil
		}
	}
	if !w.Tracking {
		return nil
	}
	w.Tracking = false
	return tx.PutWaybill(w)
}

// DeliverEvents offers the outbox's unacknowledged events to Config.OnEvent, in order, and
// returns how many were acknowledged. It stops at the first event OnEvent fails, which stays
// in the outbox. Every operation delivers its events itself; call this after a restart, or
// let the Syncer do it. Shippers sharing a store deliver one at a time: while another holds
// the outbox's DeliveryLease, DeliverEvents leaves the events to it and returns 0.
func (s *Shipper) DeliverEvents(ctx context.Context) (int, error) {
	if err := wire.CheckContext(ctx, "shipping.DeliverEvents"); err != nil {
		return 0, err
	}
	return s.deliverAll(ctx)
}

// deliver is DeliverEvents for the end of an operation: its failure leaves the events in the
// outbox for the next delivery and is only logged.
func (s *Shipper) deliver(ctx context.Context) {
	if _, err := s.deliverAll(ctx); err != nil {
		s.log.LogAttrs(ctx, slog.LevelWarn, "shipping: event delivery stopped; the events stay in the outbox", slog.String("error", err.Error()))
	}
}

// deliveryChunk is how many events are offered between two acknowledgements (and lease
// renewals).
const deliveryChunk = 64

// deliverAll delivers while the outbox holds events and no other Shipper holds its lease. It
// looks again after giving the lease back: a Shipper that appended events while this one
// held the lease left them to it.
func (s *Shipper) deliverAll(ctx context.Context) (int, error) {
	s.deliverMu.Lock()
	defer s.deliverMu.Unlock()
	total := 0
	for {
		var pending []Event
		if err := s.store.View(ctx, func(tx Tx) (err error) { pending, err = tx.Events(0, 1); return err }); err != nil {
			return total, err
		}
		if len(pending) == 0 {
			return total, nil
		}
		held, err := s.takeDelivery(ctx)
		if err != nil || !held {
			return total, err
		}
		n, err := s.deliverHeld(ctx)
		total += n
		s.giveDeliveryBack(ctx)
		if err != nil {
			return total, err
		}
	}
}

// takeDelivery takes the outbox's delivery lease unless another Shipper holds it.
func (s *Shipper) takeDelivery(ctx context.Context) (bool, error) {
	held := false
	err := s.store.Update(ctx, func(tx Tx) error {
		l, err := tx.DeliveryLease()
		if err != nil {
			return err
		}
		now := s.now()
		held = l.Owner == "" || l.Owner == s.cfg.InstanceID || !l.Until.After(now)
		if !held {
			return nil
		}
		return tx.PutDeliveryLease(DeliveryLease{Owner: s.cfg.InstanceID, Until: now.Add(s.cfg.DeliveryLease)})
	})
	return held, err
}

// giveDeliveryBack ends this Shipper's delivery lease, so that another need not wait for it
// to run out; with a short context of its own, as ctx may be the one that ended. A failure
// only means the lease runs out instead.
func (s *Shipper) giveDeliveryBack(ctx context.Context) {
	rctx, cancel := bookkeeping(ctx)
	defer cancel()
	_ = s.store.Update(rctx, func(tx Tx) error {
		l, err := tx.DeliveryLease()
		if err != nil || l.Owner != s.cfg.InstanceID {
			return err
		}
		return tx.PutDeliveryLease(DeliveryLease{})
	})
}

// deliverHeld offers the events to OnEvent while this Shipper holds the lease, acknowledging
// and renewing after each chunk. It stops when the outbox is empty, OnEvent fails, or the
// lease turns out to have ended and passed to another Shipper (which then delivers the rest).
func (s *Shipper) deliverHeld(ctx context.Context) (int, error) {
	total := 0
	for {
		var evs []Event
		if err := s.store.View(ctx, func(tx Tx) (err error) { evs, err = tx.Events(0, deliveryChunk); return err }); err != nil {
			return total, err
		}
		if len(evs) == 0 {
			return total, nil
		}
		var acked uint64
		var failed error
		for _, ev := range evs {
			if s.cfg.OnEvent != nil {
				if err := s.cfg.OnEvent(ctx, ev); err != nil {
					failed = err
					break
				}
			}
			acked = ev.Seq
		}
		lost := false
		if acked > 0 {
			err := s.store.Update(ctx, func(tx Tx) error {
				if err := tx.AckEvents(acked); err != nil {
					return err
				}
				l, err := tx.DeliveryLease()
				if err != nil {
					return err
				}
				if lost = l.Owner != s.cfg.InstanceID; lost {
					return nil
				}
				return tx.PutDeliveryLease(DeliveryLease{Owner: s.cfg.InstanceID, Until: s.now().Add(s.cfg.DeliveryLease)})
			})
			if err != nil {
				return total, err
			}
			for _, ev := range evs {
				if ev.Seq <= acked {
					total++
				}
			}
		}
		if failed != nil {
			return total, fmt.Errorf("shipping: OnEvent: %w", failed)
		}
		if lost {
			s.log.LogAttrs(ctx, slog.LevelWarn, "shipping: the outbox's delivery lease ran out during delivery; another instance delivers the rest",
				slog.Int("delivered", total))
			return total, nil
		}
	}
}

// bookkeeping returns a short context of its own, with ctx's values, for a store write that
// must happen even when ctx is the one that ended: recording an outcome left unknown, giving
// a lease back.
func bookkeeping(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), time.Second)
}
