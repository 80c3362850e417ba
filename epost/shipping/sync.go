package shipping

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/internal/wire"
)

// DefaultSyncInterval is Godomall's automatic update interval (배송상태 자동 업데이트: every two
// hours).
const DefaultSyncInterval = 2 * time.Hour

// DefaultSyncBatch is how many waybills one sync step tracks before it records its progress.
const DefaultSyncBatch = 512

// SyncOptions configure a Syncer. Zero fields take the defaults.
type SyncOptions struct {
	// Interval is the time between two automatic syncs (default two hours).
	Interval time.Duration
	// Concurrency and RateInterval are TrackMany's: requests in flight (default 4, at most
	// 32) and the least time between two request starts (default 200 ms; negative disables).
	Concurrency  int
	RateInterval time.Duration
	// Source picks the tracking service ("" as epost.Client.Track chooses).
	Source epost.TraceSource
	// BatchSize is how many waybills are tracked between two progress records (default
	// DefaultSyncBatch, rounded up to a multiple of Concurrency so no worker idles).
	BatchSize int
	// Progress is called after every batch with the pass's counts, for a progress bar. It
	// runs on the syncing goroutine; keep it short.
	Progress func(Progress)
}

// Progress is a sync pass's counts so far.
type Progress struct {
	Pass    int // the pass number
	Total   int // tracked waybills when the pass started
	Done    int // waybills tracked so far in this pass
	Changed int // line status changes applied in this call
	Failed  int // tracking failures in this call (a waybill not scanned yet is not one)
}

// SyncReport is what one SyncNow did.
type SyncReport struct {
	Progress
	// Resolved counts reservations and cancels whose unknown outcome was settled.
	Resolved int
	// Events are the changes applied in this call, including planned changes a crashed
	// earlier sync left behind.
	Events []Event
}

// Syncer keeps reserved waybills' lines in step with Korea Post's tracking: 배송중 once the
// parcel left, 배송완료 once it was delivered (배송상태 자동 업데이트). Each pass tracks every
// linked, undelivered waybill through TrackMany, in ID order and in batches; after each batch it
// writes the planned changes and the cursor in one Update, then applies each change in its own
// Update that checks the line is still linked and in the planned status. A crash between any
// two steps loses nothing and doubles nothing: the next SyncNow applies the plans left behind,
// redelivers unacknowledged events (same IDs), and resumes the pass at the cursor. Running it
// twice in a row changes nothing the second time.
type Syncer struct {
	s    *Shipper
	opts SyncOptions
	mu   sync.Mutex
}

// NewSyncer returns a Syncer over the Shipper's store and client. Bad options are reported at
// once in a *kshop.ValidationError (Op "shipping.NewSyncer").
func (s *Shipper) NewSyncer(opts SyncOptions) (*Syncer, error) {
	var ps []*kshop.FieldError
	if opts.Interval < 0 {
		ps = append(ps, &kshop.FieldError{Field: "Interval", Rule: kshop.RuleRange})
	}
	if opts.Concurrency < 0 || opts.Concurrency > 32 {
		ps = append(ps, &kshop.FieldError{Field: "Concurrency", Rule: kshop.RuleRange, Limit: 32, Got: opts.Concurrency})
	}
	if opts.BatchSize < 0 {
		ps = append(ps, &kshop.FieldError{Field: "BatchSize", Rule: kshop.RuleRange})
	}
	if err := kshop.NewValidationError("shipping.NewSyncer", ps); err != nil {
		return nil, err
	}
	if opts.Interval == 0 {
		opts.Interval = DefaultSyncInterval
	}
	if opts.Concurrency == 0 {
		opts.Concurrency = epost.DefaultTrackConcurrency
	}
	if opts.BatchSize == 0 {
		opts.BatchSize = DefaultSyncBatch
	}
	if r := opts.BatchSize % opts.Concurrency; r != 0 {
		opts.BatchSize += opts.Concurrency - r
	}
	return &Syncer{s: s, opts: opts}, nil
}

// Run syncs at once and then every Interval until ctx ends, and returns nil then. A failed
// sync is logged and tried again at the next tick.
func (y *Syncer) Run(ctx context.Context) error {
	if err := wire.CheckContext(ctx, "shipping.Syncer.Run"); err != nil {
		return err
	}
	for {
		if _, err := y.SyncNow(ctx); err != nil && ctx.Err() == nil {
			y.s.log.LogAttrs(ctx, slog.LevelWarn, "shipping: sync failed", slog.String("error", err.Error()))
		}
		t := time.NewTimer(y.opts.Interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// SyncNow runs one sync (배송상태 수동 업데이트): it applies changes a crashed sync left planned,
// settles unknown reservations and cancels, then tracks every linked, undelivered waybill
// (resuming an unfinished pass) and applies the transitions. Concurrent calls on one Syncer
// run one after the other. When ctx ends it stops between two steps and returns ctx's error
// with the report so far; the next call resumes.
func (y *Syncer) SyncNow(ctx context.Context) (*SyncReport, error) {
	if err := wire.CheckContext(ctx, "shipping.Syncer.SyncNow"); err != nil {
		return nil, err
	}
	y.mu.Lock()
	defer y.mu.Unlock()
	s := y.s
	rep := &SyncReport{}

	if err := y.applyPlans(ctx, rep); err != nil {
		return rep, err
	}
	if _, err := s.deliverAll(ctx); err != nil && ctx.Err() != nil {
		return rep, ctx.Err()
	}
	if err := y.resolve(ctx, rep); err != nil {
		return rep, err
	}

	var cur Cursor
	if err := s.store.View(ctx, func(tx Tx) (err error) { cur, err = tx.Cursor(); return err }); err != nil {
		return rep, err
	}
	if !cur.InPass {
		var total int
		err := s.store.Update(ctx, func(tx Tx) error {
			list, err := tx.Waybills(WaybillQuery{Tracking: true})
			if err != nil {
				return err
			}
			total = len(list)
			cur = Cursor{Pass: cur.Pass + 1, InPass: true, Total: total, Started: s.now(), Finished: cur.Finished}
			return tx.PutCursor(cur)
		})
		if err != nil {
			return rep, err
		}
	}
	rep.Pass, rep.Total, rep.Done = cur.Pass, cur.Total, cur.Done
	trackOpts := epost.TrackManyOptions{Source: y.opts.Source, Concurrency: y.opts.Concurrency, Interval: y.opts.RateInterval}
	for {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		var batch []Waybill
		if err := s.store.View(ctx, func(tx Tx) (err error) {
			batch, err = tx.Waybills(WaybillQuery{Tracking: true, After: cur.After, Limit: y.opts.BatchSize})
			return err
		}); err != nil {
			return rep, err
		}
		if len(batch) == 0 {
			err := s.store.Update(ctx, func(tx Tx) error {
				cur.InPass, cur.Finished = false, s.now()
				return tx.PutCursor(cur)
			})
			s.deliver(ctx)
			return rep, err
		}
		numbers := make([]string, len(batch))
		for i, w := range batch {
			numbers[i] = w.RegiNo
		}
		results := s.client.TrackMany(ctx, numbers, trackOpts)
		if err := ctx.Err(); err != nil {
			return rep, err // the batch is tracked again next time
		}
		var planned []Plan
		err := s.store.Update(ctx, func(tx Tx) error {
			planned = planned[:0]
			now := s.now()
			for i, w := range batch {
				res := results[i]
				if res.Trace == nil {
					continue
				}
				w, err := tx.Waybill(w.ID)
				if err != nil {
					return err
				}
				if !w.Tracking {
					continue
				}
				o, err := tx.Order(w.OrderID)
				if err != nil {
					return err
				}
				for _, lid := range w.LineIDs {
					ln := o.line(lid)
					if ln == nil || ln.WaybillID != w.ID || !ln.Linked {
						continue
					}
					to, err := Transition(s.cfg.Statuses, ln.Status, CauseTracking, res.Trace.Status)
					if err != nil || to == ln.Status {
						continue
					}
					p := Plan{ID: w.ID + "/" + lid + "/" + string(CauseTracking) + "/" + string(to), OrderID: o.ID, LineID: lid,
						WaybillID: w.ID, From: ln.Status, To: to, Cause: CauseTracking, At: now}
					if err := tx.PutPlan(p); err != nil {
						return err
					}
					planned = append(planned, p)
				}
				w.LastTracked = res.Trace.Status
				if res.Trace.Delivered() {
					w.Tracking = false
				}
				if err := tx.PutWaybill(w); err != nil {
					return err
				}
			}
			cur.After = batch[len(batch)-1].ID
			cur.Done += len(batch)
			return tx.PutCursor(cur)
		})
		if err != nil {
			return rep, err
		}
		for _, r := range results {
			if r.Err != nil && !errors.Is(r.Err, epost.ErrNotFound) {
				rep.Failed++
			}
		}
		rep.Done = cur.Done
		for _, p := range planned {
			if err := y.apply(ctx, p, rep); err != nil {
				return rep, err
			}
		}
		s.deliver(ctx)
		if y.opts.Progress != nil {
			y.opts.Progress(rep.Progress)
		}
	}
}

// applyPlans applies every plan left in the store.
func (y *Syncer) applyPlans(ctx context.Context, rep *SyncReport) error {
	var plans []Plan
	if err := y.s.store.View(ctx, func(tx Tx) (err error) { plans, err = tx.Plans(); return err }); err != nil {
		return err
	}
	for _, p := range plans {
		if err := y.apply(ctx, p, rep); err != nil {
			return err
		}
	}
	return nil
}

// apply applies one plan exactly once: in one Update it checks the plan is still recorded and
// the line still linked to the waybill and in the planned status, changes the line, appends
// the event and deletes the plan. A plan made stale by an operator is dropped.
func (y *Syncer) apply(ctx context.Context, p Plan, rep *SyncReport) error {
	var ev *Event
	err := y.s.store.Update(ctx, func(tx Tx) error {
		ev = nil
		if ok, err := tx.HasPlan(p.ID); err != nil || !ok {
			return err
		}
		o, err := tx.Order(p.OrderID)
		if err != nil {
			return err
		}
		ln := o.line(p.LineID)
		if ln != nil && ln.WaybillID == p.WaybillID && ln.Linked && ln.Status == p.From {
			ln.Status = p.To
			e := Event{ID: p.ID, OrderID: p.OrderID, LineID: p.LineID, From: p.From, To: p.To, Cause: p.Cause, WaybillID: p.WaybillID, At: p.At}
			if w, err := tx.Waybill(p.WaybillID); err == nil {
				e.RegiNo = w.RegiNo
			}
			if err := tx.PutOrder(o); err != nil {
				return err
			}
			if e.Seq, err = tx.AppendEvent(e); err != nil {
				return err
			}
			ev = &e
		}
		return tx.DeletePlan(p.ID)
	})
	if err != nil {
		return err
	}
	if ev != nil {
		rep.Changed++
		rep.Events = append(rep.Events, *ev)
	}
	return nil
}

// resolve settles reservations and cancels whose outcome is unknown, or that a crash left
// under way (once they are older than InFlightGrace), and that no call in this process holds.
func (y *Syncer) resolve(ctx context.Context, rep *SyncReport) error {
	s := y.s
	list, err := s.Waybills(ctx, WaybillQuery{States: []WaybillState{WaybillReserving, WaybillReserveUnknown, WaybillCancelling, WaybillCancelUnknown}})
	if err != nil {
		return err
	}
	now := s.now()
	for _, w := range list {
		if (w.State == WaybillReserving || w.State == WaybillCancelling) && now.Sub(w.PlannedAt) < s.cfg.InFlightGrace {
			continue
		}
		if !s.claim(w.ID) {
			continue
		}
		var err error
		switch w.State {
		case WaybillReserving, WaybillReserveUnknown:
			var rr ReserveReport
			_, err = s.resolveReservation(ctx, w, &rr)
			if err == nil && len(rr.Unknown) == 0 {
				rep.Resolved++
				rep.Events = append(rep.Events, rr.Events...)
				rep.Changed += len(rr.Events)
			}
		default:
			_, err = s.resolveCancel(ctx, w)
			if err == nil {
				rep.Resolved++
			} else if errors.Is(err, kshop.ErrOutcomeUnknown) || !isStoreErr(err) {
				err = nil // still unknown: next time
			}
		}
		s.release(w.ID)
		if err != nil {
			return err
		}
	}
	return nil
}

// isStoreErr tells a store failure (which stops the sync) from a reconciliation that could
// not tell (which waits for the next sync).
func isStoreErr(err error) bool {
	var api kshop.APIError
	return !errors.As(err, &api) && !errors.Is(err, kshop.ErrOutcomeUnknown) && !errors.Is(err, kshop.ErrNotSent)
}
