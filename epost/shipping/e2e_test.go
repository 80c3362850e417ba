package shipping_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/eposttest"
	"github.com/kshop-dev/kshop/epost/shipping"
)

// TestWorkflowEndToEnd runs Godomall's whole Korea Post workflow against the fake.
func TestWorkflowEndToEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := setup(t)
	sh := k.sh

	require.NoError(t, sh.AddOrders(ctx,
		order("A100", "010-1234-5678", line("1", shipping.StatusPaid), line("2", shipping.StatusPurchaseOrder)),
		order("B200", "010-2222-3333", line("1", shipping.StatusPaid), line("2", shipping.StatusPaid)),
		order("C300", "010-12AB-5678"), // 연락처오류: letters in the mobile
		order("D400", "010-4444-5555", line("1", shipping.StatusPendingDeposit)),
	))

	// Step 1 per order for A100 and C300, per item for B200.
	rep, err := sh.Issue(ctx, shipping.IssueRequest{Mode: shipping.PerOrder, Select: shipping.Selection{OrderIDs: []string{"A100", "C300", "D400"}}})
	require.NoError(t, err)
	require.Len(t, rep.Waybills, 1)
	assert.Equal(t, "A100", rep.Waybills[0].ID)
	assert.Equal(t, []string{"1", "2"}, rep.Waybills[0].LineIDs)
	assert.Equal(t, []shipping.LineRef{{OrderID: "C300", LineID: "1"}}, rep.ContactErrors)
	require.Len(t, rep.Skipped, 1, "입금대기 is not eligible")
	assert.Equal(t, shipping.IssueContactError, lineOf(t, sh, "C300", "1").Issue)

	rep, err = sh.Issue(ctx, shipping.IssueRequest{Mode: shipping.PerItem, Select: shipping.Selection{OrderIDs: []string{"B200"}}})
	require.NoError(t, err)
	require.Len(t, rep.Waybills, 2)
	assert.Equal(t, "B200-1", rep.Waybills[0].ID)
	assert.Equal(t, "B200-2", rep.Waybills[1].ID)
	assert.Zero(t, k.srv.TotalRequests(), "step 1 sends nothing")

	// Correct the contact and issue again.
	o, err := sh.Order(ctx, "C300")
	require.NoError(t, err)
	o.Recipient.Mobile = "010-7777-8888"
	require.NoError(t, sh.UpdateRecipient(ctx, "C300", o.Recipient))
	rep, err = sh.Issue(ctx, shipping.IssueRequest{Mode: shipping.PerOrder})
	require.NoError(t, err)
	require.Len(t, rep.Waybills, 1, "only C300 was left")
	assert.Equal(t, "C300", rep.Waybills[0].ID)

	// Step 2, with the answer to B200-2's booking lost after Korea Post booked it.
	k.srv.InjectFault(eposttest.Fault{Call: "InsertOrder", Kind: eposttest.FaultDrop, CarryOut: true, Times: 1})
	toReserve, err := sh.Waybills(ctx, shipping.ToReserve)
	require.NoError(t, err)
	require.Len(t, toReserve, 4)
	// Reserve B200-2 first so that it meets the fault.
	res, err := sh.Reserve(ctx, "B200-2")
	require.NoError(t, err)
	require.Len(t, res.Reserved, 1, "the lost answer was reconciled as booked")
	assert.Empty(t, res.Unknown)
	res, err = sh.Reserve(ctx)
	require.NoError(t, err)
	require.Len(t, res.Reserved, 3)
	for _, id := range []string{"A100", "B200-1", "B200-2", "C300"} {
		assert.Equal(t, 1, liveBookings(k.srv, id), "one booking for %s", id)
	}
	assert.Equal(t, 4, k.srv.Requests("InsertOrder"), "four waybills, each sent once; the lost answer was reconciled")
	left, err := sh.Waybills(ctx, shipping.ToReserve)
	require.NoError(t, err)
	assert.Empty(t, left, "reserved waybills leave the step-2 list")

	// Transitions: p1 → g1, g2 keeps.
	assert.Equal(t, shipping.StatusPreparing, lineOf(t, sh, "A100", "1").Status)
	assert.Equal(t, shipping.StatusPurchaseOrder, lineOf(t, sh, "A100", "2").Status)
	assert.True(t, lineOf(t, sh, "A100", "1").Linked)
	wA, err := sh.Waybill(ctx, "A100")
	require.NoError(t, err)
	assert.Len(t, wA.RegiNo, 13)
	assert.Equal(t, byte('6'), wA.RegiNo[0], "prepaid")

	// Print A100 and B200-1.
	evs, err := sh.MarkPrinted(ctx, "A100", "B200-1")
	require.NoError(t, err)
	assert.Len(t, evs, 3)
	for _, ev := range evs {
		assert.Equal(t, shipping.StatusShipping, ev.To)
		assert.Equal(t, shipping.CausePrint, ev.Cause)
	}

	// The operator sets B200-1 by hand: it is unlinked for good.
	mev, err := sh.SetStatus(ctx, "B200", "1", shipping.StatusGoodsReleased)
	require.NoError(t, err)
	require.NotNil(t, mev)
	assert.Equal(t, shipping.CauseManual, mev.Cause)
	assert.False(t, lineOf(t, sh, "B200", "1").Linked)

	// Cancel C300 at Korea Post and issue it again: a new waybill, never the old number.
	wC, err := sh.Waybill(ctx, "C300")
	require.NoError(t, err)
	crep, err := sh.Cancel(ctx, "C300")
	require.NoError(t, err)
	assert.Equal(t, shipping.WaybillCancelled, crep.Waybill.State)
	assert.Equal(t, shipping.IssueNone, lineOf(t, sh, "C300", "1").Issue)
	rep, err = sh.Issue(ctx, shipping.IssueRequest{Mode: shipping.PerOrder, Select: shipping.Selection{OrderIDs: []string{"C300"}}})
	require.NoError(t, err)
	require.Len(t, rep.Waybills, 1)
	assert.Equal(t, "C300-R2", rep.Waybills[0].ID)
	res, err = sh.Reserve(ctx, "C300-R2")
	require.NoError(t, err)
	require.Len(t, res.Reserved, 1)
	assert.NotEqual(t, wC.RegiNo, res.Reserved[0].RegiNo)

	// Deliver everything, then sync.
	for _, id := range []string{"A100", "B200-1", "B200-2", "C300-R2"} {
		w, err := sh.Waybill(ctx, id)
		require.NoError(t, err)
		deliver(k.srv, w.RegiNo)
	}
	syncer, err := sh.NewSyncer(shipping.SyncOptions{RateInterval: -1})
	require.NoError(t, err)
	srep, err := syncer.SyncNow(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, srep.Total, "B200-1 is unlinked and not tracked")
	got := map[string]shipping.Status{}
	for _, ev := range srep.Events {
		got[ev.OrderID+"/"+ev.LineID] = ev.To
		assert.Equal(t, shipping.CauseTracking, ev.Cause)
	}
	assert.Equal(t, map[string]shipping.Status{"A100/1": shipping.StatusDelivered, "A100/2": shipping.StatusDelivered,
		"B200/2": shipping.StatusDelivered, "C300/1": shipping.StatusDelivered}, got)
	assert.Equal(t, shipping.StatusGoodsReleased, lineOf(t, sh, "B200", "1").Status, "sync never touches an unlinked line")

	// A second sync changes nothing and tracks nothing.
	before := k.srv.Requests(eposttest.CallBizTrace) + k.srv.Requests(eposttest.CallPublicTrace)
	srep, err = syncer.SyncNow(ctx)
	require.NoError(t, err)
	assert.Zero(t, srep.Changed)
	assert.Equal(t, before, k.srv.Requests(eposttest.CallBizTrace)+k.srv.Requests(eposttest.CallPublicTrace))

	// Every event was delivered once, with unique IDs.
	ids := map[string]bool{}
	for _, ev := range k.events.all() {
		assert.False(t, ids[ev.ID], "event %s delivered twice", ev.ID)
		ids[ev.ID] = true
	}
	// reservation p1→g1 ×4 (C300-R2's line was g1 already), print ×3, manual ×1, tracking ×4
	assert.Len(t, ids, 4+3+1+4)
}

func TestReserveUnknownStaysUnknownUntilReconciled(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := setup(t)
	issueOne(t, k)
	// The booking is made, its answer lost, and the reconciliation's lookup fails too.
	k.srv.InjectFault(eposttest.Fault{Call: "InsertOrder", Kind: eposttest.FaultStatus, Status: 502, CarryOut: true})
	k.srv.InjectFault(eposttest.Fault{Call: "GetResInfo", Kind: eposttest.FaultHTMLPage})
	res, err := k.sh.Reserve(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"A1"}, res.Unknown)
	w, err := k.sh.Waybill(ctx, "A1")
	require.NoError(t, err)
	assert.Equal(t, shipping.WaybillReserveUnknown, w.State)

	// Reserving again reconciles first and sends nothing.
	res, err = k.sh.Reserve(ctx)
	require.NoError(t, err)
	require.Len(t, res.Reserved, 1)
	assert.Equal(t, 1, k.srv.Requests("InsertOrder"))
	assert.Equal(t, 1, liveBookings(k.srv, "A1"))
}

func TestReserveNotBookedIsSentAfterReconciliation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := setup(t)
	issueOne(t, k)
	// The request is dropped: the outcome is unknown, and reconciliation finds no booking
	// (ERR-225). Korea Post may still be at work on it, so within InFlightGrace the waybill
	// stays unknown and Reserve sends nothing, however often it is called.
	k.srv.InjectFault(eposttest.Fault{Call: "InsertOrder", Kind: eposttest.FaultDrop})
	res, err := k.sh.Reserve(ctx)
	require.NoError(t, err)
	assert.Empty(t, res.Reserved)
	assert.Equal(t, []string{"A1"}, res.Unknown)
	w, err := k.sh.Waybill(ctx, "A1")
	require.NoError(t, err)
	assert.Equal(t, shipping.WaybillReserveUnknown, w.State, "not back in the step-2 list yet")
	k.clock.Add(shipping.DefaultInFlightGrace - time.Second)
	res, err = k.sh.Reserve(ctx)
	require.NoError(t, err)
	assert.Empty(t, res.Reserved)
	assert.Equal(t, 1, k.srv.Requests("InsertOrder"), "not sent again within the grace")

	// Once the grace has passed, "not booked" is final: the next Reserve sends it.
	k.clock.Add(time.Second)
	res, err = k.sh.Reserve(ctx)
	require.NoError(t, err)
	require.Len(t, res.Reserved, 1)
	assert.Equal(t, 2, k.srv.Requests("InsertOrder"))
	assert.Equal(t, 1, liveBookings(k.srv, "A1"))
}

func TestCrashAfterPlanIsReconciledNotResent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := setup(t)
	issueOne(t, k)
	// A process books, then dies before recording the answer.
	crashing := &crashStore{Store: k.store, failAt: 2} // 1: the plan, 2: the booking record
	sh1 := k.shipper(t, crashing)
	_, err := sh1.Reserve(ctx)
	require.ErrorIs(t, err, errCrash)
	require.Equal(t, 1, liveBookings(k.srv, "A1"))

	// Restarted within the grace period, Reserve leaves it alone; after it, it reconciles.
	sh2 := k.shipper(t, k.store)
	res, err := sh2.Reserve(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"A1"}, res.Unknown)
	k.clock.Add(shipping.DefaultInFlightGrace)
	res, err = sh2.Reserve(ctx)
	require.NoError(t, err)
	require.Len(t, res.Reserved, 1)
	assert.Equal(t, 1, k.srv.Requests("InsertOrder"))
	assert.Equal(t, 1, liveBookings(k.srv, "A1"))
	assert.Equal(t, shipping.StatusPreparing, lineOf(t, sh2, "A1", "1").Status)
}

func TestCancelRefusedAfterPickup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := setup(t)
	issueOne(t, k)
	res, err := k.sh.Reserve(ctx)
	require.NoError(t, err)
	require.NoError(t, k.srv.SetStatus(res.Reserved[0].RegiNo, epost.TreatPickedUp))
	_, err = k.sh.Cancel(ctx, "A1")
	require.ErrorIs(t, err, epost.ErrCancelRefused)
	assert.NotErrorIs(t, err, kshop.ErrOutcomeUnknown, "a refusal is a known outcome")
	w, err := k.sh.Waybill(ctx, "A1")
	require.NoError(t, err)
	assert.Equal(t, shipping.WaybillReserved, w.State)
	assert.Zero(t, k.srv.Requests("GetResInfo"), "nothing to reconcile after a clear refusal")
}

// A cancel whose answer was lost and that Korea Post never carried out: the booking stays
// listed live. Within InFlightGrace the cancel may still land, so it stays unknown; after it,
// the waybill is reserved again. It is never freed while its parcel may be live.
func TestCancelLostAndNotCarriedOutStaysBooked(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := setup(t)
	issueOne(t, k)
	_, err := k.sh.Reserve(ctx)
	require.NoError(t, err)
	k.srv.InjectFault(eposttest.Fault{Call: "GetResCancelCmd", Kind: eposttest.FaultDrop})
	_, err = k.sh.Cancel(ctx, "A1")
	require.ErrorIs(t, err, kshop.ErrOutcomeUnknown)
	w, err := k.sh.Waybill(ctx, "A1")
	require.NoError(t, err)
	assert.Equal(t, shipping.WaybillCancelUnknown, w.State)
	assert.Equal(t, shipping.IssueIssued, lineOf(t, k.sh, "A1", "1").Issue, "the line keeps its waybill")

	k.clock.Add(shipping.DefaultInFlightGrace)
	syncer, err := k.sh.NewSyncer(shipping.SyncOptions{RateInterval: -1})
	require.NoError(t, err)
	_, err = syncer.SyncNow(ctx)
	require.NoError(t, err)
	w, err = k.sh.Waybill(ctx, "A1")
	require.NoError(t, err)
	assert.Equal(t, shipping.WaybillReserved, w.State, "listed live after the grace: not cancelled")
	assert.Equal(t, 1, liveBookings(k.srv, "A1"))
}

func TestCancelUnknownIsReconciled(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := setup(t)
	issueOne(t, k)
	_, err := k.sh.Reserve(ctx)
	require.NoError(t, err)
	k.srv.InjectFault(eposttest.Fault{Call: "GetResCancelCmd", Kind: eposttest.FaultDrop, CarryOut: true})
	rep, err := k.sh.Cancel(ctx, "A1")
	require.NoError(t, err)
	assert.Equal(t, shipping.WaybillCancelled, rep.Waybill.State)
	assert.Equal(t, 1, k.srv.Requests("GetResCancelCmd"))
}

func TestContactErrorRefusedByKoreaPostVoidsWaybill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := setup(t)
	// A phone our rules accept but that is too long for Korea Post is impossible; instead,
	// break the contact between step 1 and step 2 by writing the store directly.
	issueOne(t, k)
	require.NoError(t, k.store.Update(ctx, func(tx shipping.Tx) error {
		o, err := tx.Order("A1")
		if err != nil {
			return err
		}
		o.Recipient.Mobile = "010-1234"
		return tx.PutOrder(o)
	}))
	res, err := k.sh.Reserve(ctx)
	require.NoError(t, err)
	assert.Equal(t, []shipping.LineRef{{OrderID: "A1", LineID: "1"}}, res.ContactErrors)
	assert.Zero(t, k.srv.Requests("InsertOrder"))
	assert.Equal(t, shipping.IssueContactError, lineOf(t, k.sh, "A1", "1").Issue)
}

func TestUpdateRecipientRefusedWhileReserved(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := setup(t)
	issueOne(t, k)
	_, err := k.sh.Reserve(ctx)
	require.NoError(t, err)
	err = k.sh.UpdateRecipient(ctx, "A1", shipping.Recipient{Name: "김철수", Mobile: "010-9999-8888"})
	require.ErrorIs(t, err, shipping.ErrWrongState)
	assert.NotContains(t, err.Error(), "9999")
}

func TestCollectOrderGetsCollectWaybill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := setup(t)
	o := order("A1", "010-1234-5678")
	o.Fee = shipping.FeeCollect
	require.NoError(t, k.sh.AddOrders(ctx, o))
	rep, err := k.sh.Issue(ctx, shipping.IssueRequest{Mode: shipping.PerOrder})
	require.NoError(t, err)
	assert.Equal(t, epost.PayCollect, rep.Waybills[0].PayType)
	res, err := k.sh.Reserve(ctx)
	require.NoError(t, err)
	assert.Equal(t, byte('7'), res.Reserved[0].RegiNo[0])
}

func TestEventsRedeliveredAfterOnEventFails(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := setup(t)
	issueOne(t, k)
	k.events.fail = true
	res, err := k.sh.Reserve(ctx)
	require.NoError(t, err)
	require.Len(t, res.Events, 1)
	assert.Empty(t, k.events.all())
	k.events.fail = false
	n, err := k.sh.DeliverEvents(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, res.Events[0].ID, k.events.all()[0].ID)
}

func TestNilContextRefused(t *testing.T) {
	t.Parallel()
	k := setup(t)
	var nilCtx context.Context
	syncer, err := k.sh.NewSyncer(shipping.SyncOptions{})
	require.NoError(t, err)
	for name, call := range map[string]func() error{
		"AddOrders":       func() error { return k.sh.AddOrders(nilCtx) },
		"Issue":           func() error { _, err := k.sh.Issue(nilCtx, shipping.IssueRequest{Mode: shipping.PerOrder}); return err },
		"Reserve":         func() error { _, err := k.sh.Reserve(nilCtx); return err },
		"MarkPrinted":     func() error { _, err := k.sh.MarkPrinted(nilCtx); return err },
		"Cancel":          func() error { _, err := k.sh.Cancel(nilCtx, "x"); return err },
		"SetStatus":       func() error { _, err := k.sh.SetStatus(nilCtx, "x", "1", shipping.StatusPaid); return err },
		"UpdateRecipient": func() error { return k.sh.UpdateRecipient(nilCtx, "x", shipping.Recipient{}) },
		"Order":           func() error { _, err := k.sh.Order(nilCtx, "x"); return err },
		"Waybill":         func() error { _, err := k.sh.Waybill(nilCtx, "x"); return err },
		"Waybills":        func() error { _, err := k.sh.Waybills(nilCtx, shipping.ToReserve); return err },
		"DeliverEvents":   func() error { _, err := k.sh.DeliverEvents(nilCtx); return err },
		"SyncNow":         func() error { _, err := syncer.SyncNow(nilCtx); return err },
		"Run":             func() error { return syncer.Run(nilCtx) },
		"Store.Update":    func() error { return k.store.Update(nilCtx, func(shipping.Tx) error { return nil }) },
		"Store.View":      func() error { return k.store.View(nilCtx, func(shipping.Tx) error { return nil }) },
	} {
		err := call()
		var ve *kshop.ValidationError
		require.True(t, errors.As(err, &ve), name)
		assert.Equal(t, "ctx", ve.Problems[0].Field, name)
	}
}

// rerunStore runs every Update's function twice, the first time rolled back, as a SQL store
// does after contention.
type rerunStore struct{ shipping.Store }

var errRolledBack = errors.New("rolled back")

func (r rerunStore) Update(ctx context.Context, fn func(shipping.Tx) error) error {
	_ = r.Store.Update(ctx, func(tx shipping.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return errRolledBack
	})
	return r.Store.Update(ctx, fn)
}

func TestReserveReportsOnceWhenTheStoreRunsAnUpdateAgain(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	k := setup(t)
	issueOne(t, k)
	require.NoError(t, k.store.Update(ctx, func(tx shipping.Tx) error {
		o, err := tx.Order("A1")
		if err != nil {
			return err
		}
		o.Recipient.Mobile = "010-1234"
		return tx.PutOrder(o)
	}))
	res, err := k.shipper(t, rerunStore{k.store}).Reserve(ctx)
	require.NoError(t, err)
	assert.Equal(t, []shipping.LineRef{{OrderID: "A1", LineID: "1"}}, res.ContactErrors, "one entry, not one per attempt")
}

// A booking or cancel whose answer is still awaited when the caller's context ends may have
// been carried out: Reserve and Cancel say so with kshop.ErrOutcomeUnknown, and record the
// waybill as unknown with a context of their own, never as free to send again.
func TestCallerContextEndingMidCallLeavesTheOutcomeUnknown(t *testing.T) {
	t.Parallel()
	k := setup(t)
	issueOne(t, k)
	// A store that refuses an ended context, as the SQL stores do.
	sh := k.shipper(t, ctxStore{k.store})
	held := func(call string) context.Context {
		// Carried out once the client has left, as a request that reached Korea Post is.
		k.srv.InjectFault(eposttest.Fault{Call: call, Kind: eposttest.FaultDelay, Delay: 2 * time.Second, CarryOut: true})
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		t.Cleanup(cancel)
		return ctx
	}

	rep, err := sh.Reserve(held("InsertOrder"))
	require.ErrorIs(t, err, kshop.ErrOutcomeUnknown)
	require.NotNil(t, rep)
	assert.Equal(t, []string{"A1"}, rep.Unknown)
	w, err := sh.Waybill(context.Background(), "A1")
	require.NoError(t, err)
	assert.Equal(t, shipping.WaybillReserveUnknown, w.State)

	// Once the fake has carried the held request out, reconciliation records that booking
	// and books nothing more.
	require.Eventually(t, func() bool { return liveBookings(k.srv, "A1") == 1 }, 10*time.Second, 10*time.Millisecond)
	k.clock.Add(shipping.DefaultInFlightGrace)
	_, err = sh.Reserve(context.Background())
	require.NoError(t, err)
	w, err = sh.Waybill(context.Background(), "A1")
	require.NoError(t, err)
	require.Equal(t, shipping.WaybillReserved, w.State)
	assert.Equal(t, 1, k.srv.Requests("InsertOrder"))
	assert.Equal(t, 1, liveBookings(k.srv, "A1"))

	_, err = sh.Cancel(held("GetResCancelCmd"), "A1")
	require.ErrorIs(t, err, kshop.ErrOutcomeUnknown)
	w, err = sh.Waybill(context.Background(), "A1")
	require.NoError(t, err)
	assert.Equal(t, shipping.WaybillCancelUnknown, w.State, "never freed while the cancel may be at work")
}

// ctxStore refuses work under an ended context, as a database does.
type ctxStore struct{ shipping.Store }

func (c ctxStore) Update(ctx context.Context, fn func(shipping.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return c.Store.Update(ctx, fn)
}

func (c ctxStore) View(ctx context.Context, fn func(shipping.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return c.Store.View(ctx, fn)
}
