package subscription

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// recordingDeleter deletes keys, failing for those in fail, and records every call.
type recordingDeleter struct {
	mu    sync.Mutex
	calls []string
	fail  map[string]error
}

func (r *recordingDeleter) delete(_ context.Context, ref string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, ref)
	return r.fail[ref]
}

func TestGatewayReset(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	rules := newRulesT(t, clk)
	active := newSubT(t, rules, "S-active", d(2026, 3, 31), Cycle1M)
	paused := newSubT(t, rules, "S-paused", d(2026, 3, 31), Cycle1M)
	require.NoError(t, paused.Pause(ActorBuyer))
	noticed := newSubT(t, rules, "S-noticed", d(2026, 3, 31), Cycle1M)
	cancelled := newSubT(t, rules, "S-cancelled", d(2026, 3, 31), Cycle1M)
	_, err := cancelled.Cancel(ActorBuyer, "")
	require.NoError(t, err)
	failing := newSubT(t, rules, "S-failing", d(2026, 3, 31), Cycle1M)
	a, _ := noticed.NextAction()
	clk.Set(a.At)
	require.NoError(t, noticed.RecordNoticeSent(a))

	boom := errors.New("gateway 503")
	del := &recordingDeleter{fail: map[string]error{"bk_S-failing_secretkey": boom}}
	subs := []*Subscription{active, nil, paused, noticed, cancelled, failing}
	rep, err := GatewayReset(context.Background(), subs, del.delete, "PG 변경")
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrBillingKeyDeletion)
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, []string{"S-active", "S-paused", "S-noticed", "S-failing"}, rep.Terminated)
	assert.Equal(t, []string{"S-active", "S-paused", "S-noticed", "S-cancelled"}, rep.KeysDeleted, "ended subscriptions lose their card too")
	assert.Len(t, del.calls, 5, "never stops at the failure")
	require.Len(t, rep.Errors, 1)
	var bke *BillingKeyError
	require.ErrorAs(t, rep.Errors[0], &bke)
	assert.Equal(t, "S-failing", bke.SubscriptionID)
	assert.Equal(t, "****tkey", bke.MaskedKeyRef)
	assert.NotContains(t, rep.Errors[0].Error(), "secret", "billing keys are masked")

	require.Len(t, rep.Events, 8)
	for i, e := range rep.Events {
		assert.Equal(t, EventTerminated, e.Kind)
		assert.Equal(t, "PG 변경", e.Reason)
		want := AudienceCustomer
		if i%2 == 1 {
			want = AudienceOperator
		}
		assert.Equal(t, want, e.Audience, "customer and operator both get the 자동 해지 notice")
	}
	assert.Equal(t, int64(29700), rep.Events[4].Amount, "the noticed round is cancelled without a charge")
	for _, s := range []*Subscription{active, paused, noticed, failing} {
		assert.Equal(t, StateTerminated, s.State())
		_, ok := s.NextAction()
		assert.False(t, ok)
	}
	assert.Equal(t, StateCancelledByBuyer, cancelled.State())
	assert.Equal(t, RoundCancelled, noticed.Rounds()[0].Status)
	assert.True(t, active.Snapshot().BillingKeyDeleted)
	assert.False(t, failing.Snapshot().BillingKeyDeleted)

	// A second run retries only the failed deletion and terminates nothing twice.
	del.fail = nil
	del.calls = nil
	rep, err = GatewayReset(context.Background(), subs, del.delete, "")
	require.NoError(t, err)
	assert.Empty(t, rep.Terminated)
	assert.Empty(t, rep.Events)
	assert.Equal(t, []string{"bk_S-failing_secretkey"}, del.calls)
	assert.Equal(t, []string{"S-failing"}, rep.KeysDeleted)
}

func TestGatewayResetSharedKeyAndContext(t *testing.T) {
	t.Parallel()
	clk := newFakeClock(kstAt(2026, 3, 20, 9, 0))
	rules := newRulesT(t, clk)
	shared := func(a *Application) { a.BillingKeyRef = "bk_shared_card" }
	s1 := newSubT(t, rules, "S-1", d(2026, 3, 31), Cycle1M, shared)
	s2 := newSubT(t, rules, "S-2", d(2026, 3, 31), Cycle2W, shared)
	del := &recordingDeleter{}
	rep, err := GatewayReset(context.Background(), []*Subscription{s1, s2}, del.delete, "")
	require.NoError(t, err)
	assert.Equal(t, []string{"bk_shared_card"}, del.calls, "a shared key is deleted once")
	assert.Equal(t, []string{"S-1", "S-2"}, rep.KeysDeleted)
	assert.Equal(t, "payment gateway reset", rep.Events[0].Reason)

	s3 := newSubT(t, rules, "S-3", d(2026, 3, 31), Cycle1M)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	del = &recordingDeleter{}
	rep, err = GatewayReset(ctx, []*Subscription{s3}, del.delete, "")
	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, del.calls)
	assert.Equal(t, []string{"S-3"}, rep.Terminated, "termination needs no I/O and still happens")

	_, err = GatewayReset(context.Background(), nil, nil, "")
	assert.ErrorIs(t, err, ErrInvalid)
	_, err = GatewayReset(context.Background(), nil, del.delete, "\xff")
	assert.ErrorIs(t, err, ErrInvalid)
}

func TestMaskKeyRef(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "***", maskKeyRef("abc"))
	assert.Equal(t, "****6789", maskKeyRef("bk_123456789"))
	assert.Equal(t, "*******", maskKeyRef("결제용카드번호"), "short refs are masked whole")
	assert.Equal(t, "****카드번호", maskKeyRef("정기결제용카드번호"))
}
