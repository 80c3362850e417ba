package shipping

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"os"
	"strconv"
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

// DefaultSyncLease is how long a syncer holds a batch of waybills when SyncOptions.Lease is
// not set.
const DefaultSyncLease = 10 * time.Minute

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
	// InstanceID names this syncer in its waybill leases (default: host name, process ID and
	// a random suffix); syncers sharing a store need different ones.
	InstanceID string
	// Lease is how long a leased batch is this syncer's alone (default DefaultSyncLease). A
	// syncer that dies holding a batch delays those waybills by at most this long. A syncer
	// leases its next batch while it tracks the current one, so choose it longer than tracking
	// two batches takes (2 × BatchSize × RateInterval ÷ Concurrency, roughly), or another syncer
	// may track a slow batch a second time (its changes still apply once).
	Lease time.Duration
	// Progress is called after every batch with the pass's counts, for a progress bar. It
	// runs on the syncing goroutine; keep it short.
	Progress func(Progress)
}

// Progress is a sync pass's counts so far.
type Progress struct {
	Pass    int // the pass number
	Total   int // tracked waybills when the pass started
	Done    int // waybills tracked so far in this pass, by every syncer sharing the store
	Tracked int // waybills this call tracked (its share of the pass)
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
// linked, undelivered waybill through TrackMany, in ID order and in batches leased from the
// store (so syncers sharing a store split the pass), one batch at a time while it leases the
// next and records the last, so that store work never stalls tracking. For each tracked batch
// it writes the planned changes, the waybills' pass and the cursor in one Update, then applies
// the changes in
// Updates that check each line is still linked and in the planned status. A crash between any
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
	if opts.Lease < 0 || opts.Lease > 0 && opts.Lease < time.Second {
		ps = append(ps, &kshop.FieldError{Field: "Lease", Rule: kshop.RuleRange, Detail: "at least 1s"})
	}
	if len(opts.InstanceID) > maxInstanceIDLen {
		ps = append(ps, &kshop.FieldError{Field: "InstanceID", Rule: kshop.RuleTooLong, Limit: maxInstanceIDLen, Got: len(opts.InstanceID)})
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
	if opts.Lease == 0 {
		opts.Lease = DefaultSyncLease
	}
	if opts.InstanceID == "" {
		opts.InstanceID = defaultInstanceID()
	}
	if r := opts.BatchSize % opts.Concurrency; r != 0 {
		opts.BatchSize += opts.Concurrency - r
	}
	return &Syncer{s: s, opts: opts}, nil
}

// maxInstanceIDLen bounds instance IDs, which stores keep in their lease records.
const maxInstanceIDLen = 200

// defaultInstanceID names this process: host name, process ID and a random suffix, so that
// two Shippers or Syncers in one process differ too.
func defaultInstanceID() string {
	host, _ := os.Hostname()
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	return host + ":" + strconv.Itoa(os.Getpid()) + ":" + hex.EncodeToString(b[:])
}

// Run syncs at once and then every Interval until ctx ends, and returns nil then. A failed
// sync is logged and tried again at the next tick.
func (y *Syncer) Run(ctx context.Context) error {
	if err := wire.CheckContext(ctx, "shipping.Syncer.Run"); err != nil {
		return err
	}
	for {
		if _, err := y.tick(ctx); err != nil && ctx.Err() == nil {
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

// tick is one of Run's syncs: it starts a new pass only when the last one started at least
// nine tenths of Interval ago, so that syncers sharing a store run one pass per Interval
// between them rather than one each; otherwise it still applies what is left and joins a
// pass under way.
func (y *Syncer) tick(ctx context.Context) (*SyncReport, error) {
	y.mu.Lock()
	defer y.mu.Unlock()
	var cur Cursor
	if err := y.s.store.View(ctx, func(tx Tx) (err error) { cur, err = tx.Cursor(); return err }); err != nil {
		return nil, err
	}
	due := cur.Pass == 0 || y.s.now().Sub(cur.Started) >= y.opts.Interval*9/10
	return y.sync(ctx, due)
}

// SyncNow runs one sync (배송상태 수동 업데이트): it applies changes a crashed sync left planned,
// settles unknown reservations and cancels, then tracks the linked, undelivered waybills of
// the current pass (starting one when none is under way) and applies the transitions.
// Waybills come from the store in leased batches, so syncers sharing a store split the pass;
// SyncNow returns when no waybill is left to lease, and the last syncer to find the pass done
// closes it. Concurrent calls on one Syncer run one after the other. When ctx ends it stops
// between two steps, gives its leases back and returns ctx's error with the report so far;
// the next call resumes.
func (y *Syncer) SyncNow(ctx context.Context) (*SyncReport, error) {
	if err := wire.CheckContext(ctx, "shipping.Syncer.SyncNow"); err != nil {
		return nil, err
	}
	y.mu.Lock()
	defer y.mu.Unlock()
	return y.sync(ctx, true)
}

// sync is SyncNow; start false joins a pass under way but starts none (Run's ticks after
// another syncer's recent pass).
func (y *Syncer) sync(ctx context.Context, start bool) (*SyncReport, error) {
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
	err := s.store.Update(ctx, func(tx Tx) error {
		c, err := tx.Cursor()
		if err != nil {
			return err
		}
		cur = c
		if c.InPass || !start {
			return nil
		}
		list, err := tx.Waybills(WaybillQuery{Tracking: true})
		if err != nil {
			return err
		}
		cur = Cursor{Pass: c.Pass + 1, InPass: true, Total: len(list), Started: s.now(), Finished: c.Finished}
		return tx.PutCursor(cur)
	})
	if err != nil {
		return rep, err
	}
	rep.Pass, rep.Total, rep.Done = cur.Pass, cur.Total, cur.Done
	if !cur.InPass {
		return rep, nil
	}
	pass := cur.Pass
	trackOpts := epost.TrackManyOptions{Source: y.opts.Source, Concurrency: y.opts.Concurrency, Interval: y.opts.RateInterval}
	// Tracking runs one batch at a time on a goroutine of its own, so that the store work
	// around a batch (leasing the next, recording and applying the last) overlaps tracking
	// instead of stalling it; tctx stops it when the sync fails.
	tctx, stop := context.WithCancel(ctx)
	defer stop()
	abandon := func(r *trackRun) {
		if r != nil {
			stop()
			<-r.done
			y.giveBack(ctx, r.ids) // the batch is tracked again, by whichever syncer leases it
		}
	}
	var running *trackRun // leased and being tracked
	after := ""           // the last waybill ID leased in this walk through the pass
	for {
		if err := ctx.Err(); err != nil {
			abandon(running)
			return rep, err
		}
		now := s.now()
		batch, err := s.store.LeaseWaybills(ctx, LeaseRequest{Owner: y.opts.InstanceID, Pass: pass, Limit: y.opts.BatchSize,
			Now: now, Until: now.Add(y.opts.Lease), After: after})
		if err != nil {
			abandon(running)
			return rep, err
		}
		var next *trackRun
		if running != nil {
			<-running.done
			if err := ctx.Err(); err != nil { // the tracking was cut short
				y.giveBack(ctx, running.ids)
				y.giveBack(ctx, waybillIDs(batch))
				return rep, err
			}
		}
		if len(batch) > 0 {
			next = y.startTracking(tctx, batch, trackOpts)
			after = batch[len(batch)-1].ID
		}
		if running != nil {
			if err := y.record(ctx, pass, running, rep); err != nil {
				abandon(next)
				return rep, err
			}
		}
		running = next
		if running != nil {
			continue
		}
		if after != "" {
			// Walk the pass once more from its start: leases that ended while this walk was
			// past them (a dead syncer's) are this syncer's to take now.
			after = ""
			continue
		}
		// Plans another syncer committed and did not apply (it died in between) are applied
		// now rather than at the next sync.
		if err := y.applyPlans(ctx, rep); err != nil {
			return rep, err
		}
		err = y.finishPass(ctx, pass)
		s.deliver(ctx)
		return rep, err
	}
}

// trackRun is one leased batch being tracked on its own goroutine; results are set when done
// is closed.
type trackRun struct {
	batch   []Waybill
	ids     []string
	results []epost.TrackResult
	done    chan struct{}
}

// startTracking tracks batch through TrackMany on a new goroutine.
func (y *Syncer) startTracking(ctx context.Context, batch []Waybill, opts epost.TrackManyOptions) *trackRun {
	r := &trackRun{batch: batch, ids: waybillIDs(batch), done: make(chan struct{})}
	numbers := make([]string, len(batch))
	for i, w := range batch {
		numbers[i] = w.RegiNo
	}
	go func() {
		defer close(r.done)
		r.results = y.s.client.TrackMany(ctx, numbers, opts)
	}()
	return r
}

// waybillIDs lists the waybills' IDs.
func waybillIDs(ws []Waybill) []string {
	ids := make([]string, len(ws))
	for i, w := range ws {
		ids[i] = w.ID
	}
	return ids
}

// record writes a tracked batch: the planned changes, the waybills' pass and the cursor in one
// Update; then it ends the batch's leases, applies the plans, delivers the events and reports
// progress. A failure before the leases end gives them back.
func (y *Syncer) record(ctx context.Context, pass int, r *trackRun, rep *SyncReport) error {
	s := y.s
	var planned []Plan
	var cur Cursor
	err := s.store.Update(ctx, func(tx Tx) error {
		planned = planned[:0]
		now := s.now()
		for i, w := range r.batch {
			res := r.results[i]
			w, err := tx.Waybill(w.ID)
			if err != nil {
				return err
			}
			if !w.Tracking || w.SyncedPass >= pass {
				continue // another syncer took it over after this lease ended and did it
			}
			w.SyncedPass = pass
			if res.Trace != nil {
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
			}
			if err := tx.PutWaybill(w); err != nil {
				return err
			}
		}
		// The cursor last: its row is what concurrent syncers share, so hold it briefly.
		c, err := tx.Cursor()
		if err != nil {
			return err
		}
		if c.Pass == pass {
			c.Done += len(r.batch)
			if err := tx.PutCursor(c); err != nil {
				return err
			}
		}
		cur = c
		return nil
	})
	if err != nil {
		y.giveBack(ctx, r.ids)
		return err
	}
	if err := s.store.ReleaseWaybills(ctx, y.opts.InstanceID, r.ids); err != nil {
		y.giveBack(ctx, r.ids)
		return err
	}
	for _, res := range r.results {
		if res.Err != nil && !errors.Is(res.Err, epost.ErrNotFound) {
			rep.Failed++
		}
	}
	rep.Done = cur.Done
	rep.Tracked += len(r.batch)
	if err := y.applyAll(ctx, planned, rep); err != nil {
		return err
	}
	s.deliver(ctx)
	if y.opts.Progress != nil {
		y.opts.Progress(rep.Progress)
	}
	return nil
}

// finishPass closes pass when no tracked waybill is left for it: not leased by this syncer
// (it found none) nor by another (still at work, or dead until its leases end).
func (y *Syncer) finishPass(ctx context.Context, pass int) error {
	return y.s.store.Update(ctx, func(tx Tx) error {
		left, err := tx.Waybills(WaybillQuery{Tracking: true, NotSyncedIn: pass, Limit: 1})
		if err != nil || len(left) > 0 {
			return err
		}
		c, err := tx.Cursor()
		if err != nil || c.Pass != pass || !c.InPass {
			return err
		}
		c.InPass, c.Finished = false, y.s.now()
		return tx.PutCursor(c)
	})
}

// giveBack releases leases on the way out, so that another syncer need not wait for them to
// end; it uses a short context of its own because ctx may be the one that ended. A failure
// only means the leases run out instead.
func (y *Syncer) giveBack(ctx context.Context, ids []string) {
	rctx, cancel := bookkeeping(ctx)
	defer cancel()
	_ = y.s.store.ReleaseWaybills(rctx, y.opts.InstanceID, ids)
}

// applyPlans applies every plan left in the store.
func (y *Syncer) applyPlans(ctx context.Context, rep *SyncReport) error {
	var plans []Plan
	if err := y.s.store.View(ctx, func(tx Tx) (err error) { plans, err = tx.Plans(); return err }); err != nil {
		return err
	}
	return y.applyAll(ctx, plans, rep)
}

// applyChunk is how many plans one Update applies.
const applyChunk = 256

// applyAll applies plans exactly once, applyChunk per Update: for each plan it checks the plan
// is still recorded and the line still linked to the waybill and in the planned status,
// changes the line and deletes the plan; the events go to the outbox at the end of the
// Update (the outbox's sequence is what concurrent syncers share). A plan made stale by an
// operator, or applied meanwhile by another syncer, is dropped.
func (y *Syncer) applyAll(ctx context.Context, plans []Plan, rep *SyncReport) error {
	for len(plans) > 0 {
		chunk := plans[:min(len(plans), applyChunk)]
		plans = plans[len(chunk):]
		var evs []Event
		err := y.s.store.Update(ctx, func(tx Tx) error {
			evs = evs[:0]
			for _, p := range chunk {
				ok, err := tx.HasPlan(p.ID)
				if err != nil {
					return err
				}
				if !ok {
					continue
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
					evs = append(evs, e)
				}
				if err := tx.DeletePlan(p.ID); err != nil {
					return err
				}
			}
			for i := range evs {
				seq, err := tx.AppendEvent(evs[i])
				if err != nil {
					return err
				}
				evs[i].Seq = seq
			}
			return nil
		})
		if err != nil {
			return err
		}
		rep.Changed += len(evs)
		rep.Events = append(rep.Events, evs...)
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
