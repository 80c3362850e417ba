package shipping_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/eposttest"
	"github.com/kshop-dev/kshop/epost/shipping"
)

var forward = []shipping.Status{"o1", "p1", "g1", "g2", "g3", "g4", "d1", "d2", "s1"}

// TestPropertyRandomOperations runs random operation sequences, faults included, and checks
// after every step that no line has two live bookings and that no automatic change moves a
// line backwards.
func TestPropertyRandomOperations(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 4; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		ctx := context.Background()
		k := setup(t)
		orderIDs := []string{"A1", "B1", "C1", "D1"}
		for _, id := range orderIDs {
			require.NoError(t, k.sh.AddOrders(ctx, order(id, "010-1234-5678",
				line("1", shipping.StatusPaid), line("2", shipping.StatusPreparing), line("3", shipping.StatusPaid))))
		}
		syncer, err := k.sh.NewSyncer(shipping.SyncOptions{RateInterval: -1})
		require.NoError(t, err)
		pick := func(list []string) string { return list[rng.IntN(len(list))] }
		waybills := func(states ...shipping.WaybillState) []string {
			list, err := k.sh.Waybills(ctx, shipping.WaybillQuery{States: states})
			require.NoError(t, err)
			var ids []string
			for _, w := range list {
				ids = append(ids, w.ID)
			}
			return ids
		}
		for step := 0; step < 120; step++ {
			switch rng.IntN(9) {
			case 0, 1:
				mode := shipping.PerOrder
				if rng.IntN(2) == 0 {
					mode = shipping.PerItem
				}
				_, err := k.sh.Issue(ctx, shipping.IssueRequest{Mode: mode, Select: shipping.Selection{OrderIDs: []string{pick(orderIDs)}}})
				require.NoError(t, err)
			case 2, 3:
				switch rng.IntN(4) {
				case 0:
					k.srv.InjectFault(eposttest.Fault{Call: "InsertOrder", Kind: eposttest.FaultDrop, CarryOut: rng.IntN(2) == 0})
				case 1:
					k.srv.InjectFault(eposttest.Fault{Call: "InsertOrder", Kind: eposttest.FaultStatus, Status: 503, CarryOut: true})
					k.srv.InjectFault(eposttest.Fault{Call: "GetResInfo", Kind: eposttest.FaultEmptyBody})
				}
				_, err := k.sh.Reserve(ctx)
				require.NoError(t, err)
				k.srv.ClearFaults()
			case 4:
				if ids := waybills(shipping.WaybillReserved); len(ids) > 0 {
					_, err := k.sh.MarkPrinted(ctx, pick(ids))
					require.NoError(t, err)
				}
			case 5:
				if ids := waybills(shipping.WaybillReserved, shipping.WaybillIssued); len(ids) > 0 {
					if rng.IntN(3) == 0 {
						k.srv.InjectFault(eposttest.Fault{Call: "GetResCancelCmd", Kind: eposttest.FaultDrop, CarryOut: true})
					}
					_, _ = k.sh.Cancel(ctx, pick(ids)) // refusals (picked up) are fine
					k.srv.ClearFaults()
				}
			case 6:
				all := shipping.Statuses()
				_, err := k.sh.SetStatus(ctx, pick(orderIDs), pick([]string{"1", "2", "3"}), all[rng.IntN(len(all))])
				require.NoError(t, err)
			case 7:
				if ids := waybills(shipping.WaybillReserved); len(ids) > 0 {
					w, err := k.sh.Waybill(ctx, pick(ids))
					require.NoError(t, err)
					if rng.IntN(2) == 0 {
						_ = k.srv.SetStatus(w.RegiNo, epost.TreatPickedUp)
					} else {
						deliver(k.srv, w.RegiNo)
					}
				}
				_, err := syncer.SyncNow(ctx)
				require.NoError(t, err)
			case 8:
				k.clock.Add(shipping.DefaultInFlightGrace)
			}
			checkInvariants(t, k, seed, step)
		}
	}
}

func checkInvariants(t *testing.T, k *kit, seed uint64, step int) {
	t.Helper()
	ctx := context.Background()
	// Never two live bookings for one line.
	live := map[string]int{}
	for _, o := range k.srv.Orders() {
		if o.Status != epost.TreatCancelled {
			live[o.OrderNo]++
		}
	}
	perLine := map[string]int{}
	all, err := k.sh.Waybills(ctx, shipping.WaybillQuery{})
	require.NoError(t, err)
	for _, w := range all {
		require.LessOrEqual(t, live[w.ID], 1, "seed %d step %d: orderNo %s booked twice", seed, step, w.ID)
		for _, lid := range w.LineIDs {
			perLine[w.OrderID+"/"+lid] += live[w.ID]
		}
	}
	for key, n := range perLine {
		require.LessOrEqual(t, n, 1, "seed %d step %d: line %s has %d live bookings", seed, step, key, n)
	}
	// Never backwards, except by hand.
	for _, ev := range k.events.all() {
		if ev.Cause == shipping.CauseManual {
			continue
		}
		require.Greater(t, slices.Index(forward, ev.To), slices.Index(forward, ev.From),
			"seed %d step %d: %s moved %s → %s by %s", seed, step, ev.LineID, ev.From, ev.To, ev.Cause)
		require.GreaterOrEqual(t, slices.Index(forward, ev.From), 0)
	}
}
