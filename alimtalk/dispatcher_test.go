package alimtalk_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/alimtalktest"
)

var approved = alimtalk.TemplateState{Inspection: alimtalk.InspectionApproved, Service: alimtalk.ServiceActive}

func shopTemplates() alimtalk.TemplateSet {
	return alimtalk.NewTemplateSet(
		alimtalk.Template{Code: "ORDER_C", TemplateState: approved,
			Content: "[#{shopName}] #{customerName}님의 주문이 접수되었습니다.\n□주문번호 : #{orderNo}\n□결제금액 : #{amount}\n▷ #{shopName} 바로가기 : #{shopUrl}"},
		alimtalk.Template{Code: "ORDER_O", TemplateState: approved,
			Content: "[#{shopName}] #{customerName}님의 주문이 접수되었습니다.\n□주문번호 : #{orderNo}\n□연락처 : #{customerPhoneMasked}"},
		alimtalk.Template{Code: "BANK_C", TemplateState: approved,
			Content: "[#{shopName}] 주문하신 상품의 입금 요청드립니다.\n□주문번호 : #{orderNo}\n□결제금액 : #{amount}\n□입금정보 : #{depositInfo}\n□입금기한 : #{dueDate}"},
		alimtalk.Template{Code: "SHIP_C", TemplateState: approved,
			Content: "[#{shopName}] #{customerName}님, 상품이 발송되었습니다.\n택배사 : #{courier}\n송장번호 : #{waybillNo}",
			Buttons: []alimtalk.Button{{Type: alimtalk.ButtonDelivery, Name: "배송조회"}}},
		alimtalk.Template{Code: "JOIN_C", TemplateState: approved, Content: "#{customerName}님, #{shopName} 가입을 환영합니다."},
		alimtalk.Template{Code: "POST_O", TemplateState: approved, Content: "[#{boardName}] 새 글이 등록되었습니다: #{postTitle}"},
		alimtalk.Template{Code: "GODO_C", TemplateState: approved,
			Content: "[#{rc_mallNm}] #{orderName}님의 주문이 취소되었습니다.\n□주문번호 : #{orderNo}\n□결제금액 : #{settlePrice}원\n▷ 바로가기 : #{shopUrl}"},
	)
}

func shopConfig() alimtalk.Config {
	return alimtalk.Config{
		Enabled: true, OrderEnabled: true, MemberEnabled: true, BoardEnabled: true,
		ShopName:       "리리비",
		ShopURL:        "https://lilibi.godomall.com",
		SenderNumber:   "02-123-4567",
		OperatorPhones: []string{"010-9000-0001", "+82 10 9000 0002"},
		QuietHours:     alimtalk.DefaultQuietHours(),
		Events: map[alimtalk.EventKind]alimtalk.EventConfig{
			alimtalk.EventOrderReceived:     {Enabled: true, TemplateCode: "ORDER_C", OperatorTemplateCode: "ORDER_O", Audience: alimtalk.AudienceBoth},
			alimtalk.EventBankTransferOrder: {Enabled: true, TemplateCode: "BANK_C"},
			alimtalk.EventShippingStarted:   {Enabled: true, TemplateCode: "SHIP_C", Timing: alimtalk.After(30 * time.Minute)},
			alimtalk.EventDelivered:         {Enabled: false, TemplateCode: "SHIP_C"},
			alimtalk.EventMemberJoined:      {Enabled: true, TemplateCode: "JOIN_C", Timing: alimtalk.Timing{IgnoreQuietHours: true}},
			alimtalk.EventPostRegistered:    {Enabled: true, TemplateCode: "POST_O", Audience: alimtalk.AudienceOperator},
		},
	}
}

// fixedClock returns a clock reading t.
// afternoonClock is the fake provider's clock: the dispatchers' clocks are at or after it.
func afternoonClock() time.Time { return afternoon }

func fixedClock(t time.Time) alimtalk.DispatcherOption {
	return alimtalk.WithClock(func() time.Time { return t })
}

var afternoon = time.Date(2024, 7, 12, 16, 9, 21, 0, kshop.KST())

func newTestDispatcher(t *testing.T, cfg alimtalk.Config, opts ...alimtalk.DispatcherOption) (*alimtalk.Dispatcher, *alimtalktest.Sender) {
	t.Helper()
	fake := alimtalktest.NewSender(alimtalktest.WithTemplates(shopTemplates()), alimtalktest.WithClock(afternoonClock))
	d, err := alimtalk.NewDispatcher(cfg, fake, shopTemplates(), append([]alimtalk.DispatcherOption{fixedClock(afternoon)}, opts...)...)
	require.NoError(t, err)
	return d, fake
}

func orderEvent() alimtalk.Event {
	return alimtalk.Event{Kind: alimtalk.EventOrderReceived, ID: "1907121609206272", OrderNo: "1907121609206272",
		CustomerName: "홍길동", CustomerPhone: "010-1234-5678", Amount: 7500}
}

func TestDispatchImmediateCustomerAndOperators(t *testing.T) {
	t.Parallel()
	d, fake := newTestDispatcher(t, shopConfig())
	report, err := d.Dispatch(context.Background(), orderEvent())
	require.NoError(t, err)
	require.True(t, report.Succeeded())
	assert.Equal(t, 1, fake.Calls(), "one Send call per dispatch")
	require.Len(t, report.Deliveries, 3)

	wantTo := []string{"01012345678", "01090000001", "01090000002"}
	wantAudience := []alimtalk.Audience{alimtalk.AudienceCustomer, alimtalk.AudienceOperator, alimtalk.AudienceOperator}
	for i, del := range report.Deliveries {
		assert.Equal(t, wantTo[i], del.To)
		assert.Equal(t, wantAudience[i], del.Audience)
		assert.Equal(t, alimtalk.StatusAccepted, del.Status)
		assert.True(t, del.ScheduledAt.IsZero(), "immediate")
		assert.Equal(t, alimtalk.DeliveryRef(alimtalk.EventOrderReceived, "1907121609206272", wantAudience[i], wantTo[i]), del.Ref)
		assert.NotEmpty(t, del.MessageID)
	}
	assert.Equal(t, "ORDER_C", report.Deliveries[0].TemplateCode)
	assert.Equal(t, "ORDER_O", report.Deliveries[1].TemplateCode)

	sent := fake.Accepted()
	require.Len(t, sent, 3)
	assert.Equal(t, "[리리비] 홍길동님의 주문이 접수되었습니다.\n□주문번호 : 1907121609206272\n□결제금액 : 7,500원\n▷ 리리비 바로가기 : https://lilibi.godomall.com", sent[0].Text)
	assert.Equal(t, "[리리비] 홍길동님의 주문이 접수되었습니다.\n□주문번호 : 1907121609206272\n□연락처 : 010-****-5678", sent[1].Text)
	require.NotNil(t, sent[0].Failover)
	assert.Equal(t, "021234567", sent[0].Failover.From)
	assert.Equal(t, alimtalk.FailoverLMS, sent[0].Failover.Kind)
	assert.Equal(t, sent[0].Text, sent[0].Failover.Content)
}

func TestDispatchVariables(t *testing.T) {
	t.Parallel()
	d, fake := newTestDispatcher(t, shopConfig())
	ev := alimtalk.Event{Kind: alimtalk.EventBankTransferOrder, ID: "O-2", OrderNo: "O-2", CustomerPhone: "01012345678",
		Amount: 1234567, BankName: "국민은행", BankAccount: "123-45-6789", AccountHolder: "리리비",
		DueDate: time.Date(2024, 7, 14, 15, 30, 0, 0, time.UTC)}
	report, err := d.Dispatch(context.Background(), ev)
	require.NoError(t, err)
	require.True(t, report.Succeeded(), "%+v", report.Deliveries)
	assert.Equal(t, "[리리비] 주문하신 상품의 입금 요청드립니다.\n□주문번호 : O-2\n□결제금액 : 1,234,567원\n□입금정보 : 국민은행/123-45-6789/리리비\n□입금기한 : 2024-07-15",
		fake.Accepted()[0].Text)
}

func TestDispatchGodomallVariableNames(t *testing.T) {
	t.Parallel()
	cfg := shopConfig()
	cfg.VariableNames = alimtalk.GodomallVariableNames()
	cfg.Events[alimtalk.EventOrderCancelled] = alimtalk.EventConfig{Enabled: true, TemplateCode: "GODO_C"}
	d, fake := newTestDispatcher(t, cfg)
	ev := orderEvent()
	ev.Kind = alimtalk.EventOrderCancelled
	report, err := d.Dispatch(context.Background(), ev)
	require.NoError(t, err)
	require.True(t, report.Succeeded(), "%+v", report.Deliveries)
	assert.Equal(t, "[리리비] 홍길동님의 주문이 취소되었습니다.\n□주문번호 : 1907121609206272\n□결제금액 : 7,500원\n▷ 바로가기 : https://lilibi.godomall.com",
		fake.Accepted()[0].Text)
}

func TestDispatchPerEventVariableNamesAndExtras(t *testing.T) {
	t.Parallel()
	templates := alimtalk.NewTemplateSet(alimtalk.Template{Code: "J2", Content: "#{고객명}님 #{쿠폰} 지급"})
	cfg := shopConfig()
	cfg.Events = map[alimtalk.EventKind]alimtalk.EventConfig{
		alimtalk.EventMemberJoined: {Enabled: true, TemplateCode: "J2",
			VariableNames: map[alimtalk.Field]string{alimtalk.FieldCustomerName: "고객명"}},
	}
	fake := alimtalktest.NewSender(alimtalktest.WithClock(afternoonClock))
	d, err := alimtalk.NewDispatcher(cfg, fake, templates, fixedClock(afternoon))
	require.NoError(t, err)
	_, err = d.Dispatch(context.Background(), alimtalk.Event{Kind: alimtalk.EventMemberJoined, ID: "m1",
		CustomerName: "김철수", CustomerPhone: "010-2222-3333", Variables: map[string]string{"쿠폰": "3,000원 쿠폰"}})
	require.NoError(t, err)
	require.Len(t, fake.Accepted(), 1)
	assert.Equal(t, "김철수님 3,000원 쿠폰 지급", fake.Accepted()[0].Text)
}

func TestDispatchReservedDelay(t *testing.T) {
	t.Parallel()
	d, fake := newTestDispatcher(t, shopConfig())
	ev := alimtalk.Event{Kind: alimtalk.EventShippingStarted, ID: "S-1", CustomerName: "홍길동", CustomerPhone: "010-1234-5678",
		Courier: "CJ대한통운", WaybillNo: "123456789012", OccurredAt: afternoon.Add(-10 * time.Minute)}
	report, err := d.Dispatch(context.Background(), ev)
	require.NoError(t, err)
	require.Len(t, report.Deliveries, 1)
	del := report.Deliveries[0]
	assert.Equal(t, alimtalk.StatusReserved, del.Status)
	assert.True(t, afternoon.Add(20*time.Minute).Equal(del.ScheduledAt), "30 minutes after the event: %v", del.ScheduledAt)
	assert.Equal(t, kshop.KST(), del.ScheduledAt.Location())
	require.Len(t, fake.Accepted(), 1)
	assert.Len(t, fake.Accepted()[0].Buttons, 1, "the template's DS button goes with the message")
}

func TestDispatchQuietHoursCrossingMidnight(t *testing.T) {
	t.Parallel()
	late := time.Date(2024, 7, 12, 23, 40, 0, 0, kshop.KST())
	nextMorning := time.Date(2024, 7, 13, 8, 0, 0, 0, kshop.KST())
	tests := []struct {
		name      string
		operators bool
		now       time.Time
		wantCust  time.Time
		wantOps   time.Time
	}{
		{name: "customers wait, operators now", now: late, wantCust: nextMorning},
		{name: "after midnight", now: time.Date(2024, 7, 13, 3, 0, 0, 0, kshop.KST()), wantCust: nextMorning},
		{name: "operators wait too", operators: true, now: late, wantCust: nextMorning, wantOps: nextMorning},
		{name: "daytime", now: afternoon},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := shopConfig()
			cfg.QuietHours.Operators = tc.operators
			d, _ := newTestDispatcher(t, cfg, fixedClock(tc.now))
			report, err := d.Dispatch(context.Background(), orderEvent())
			require.NoError(t, err)
			require.Len(t, report.Deliveries, 3)
			assert.True(t, tc.wantCust.Equal(report.Deliveries[0].ScheduledAt), "customer: %v", report.Deliveries[0].ScheduledAt)
			assert.True(t, tc.wantOps.Equal(report.Deliveries[1].ScheduledAt), "operator: %v", report.Deliveries[1].ScheduledAt)
			wantStatus := alimtalk.StatusAccepted
			if !tc.wantCust.IsZero() {
				wantStatus = alimtalk.StatusReserved
			}
			assert.Equal(t, wantStatus, report.Deliveries[0].Status)
		})
	}
}

func TestDispatchIgnoreQuietHours(t *testing.T) {
	t.Parallel()
	d, _ := newTestDispatcher(t, shopConfig(), fixedClock(time.Date(2024, 7, 12, 23, 0, 0, 0, kshop.KST())))
	report, err := d.Dispatch(context.Background(), alimtalk.Event{Kind: alimtalk.EventMemberJoined, ID: "u1",
		CustomerName: "가", CustomerPhone: "010-1234-5678"})
	require.NoError(t, err)
	require.Len(t, report.Deliveries, 1)
	assert.True(t, report.Deliveries[0].ScheduledAt.IsZero())
	assert.Equal(t, alimtalk.StatusAccepted, report.Deliveries[0].Status)
}

func TestDispatchSwitches(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*alimtalk.Config)
		kind   alimtalk.EventKind
		want   alimtalk.SkipReason
	}{
		{name: "global off", change: func(c *alimtalk.Config) { c.Enabled = false }, kind: alimtalk.EventOrderReceived, want: alimtalk.SkipGlobalOff},
		{name: "order group off", change: func(c *alimtalk.Config) { c.OrderEnabled = false }, kind: alimtalk.EventOrderReceived, want: alimtalk.SkipGroupOff},
		{name: "member group off", change: func(c *alimtalk.Config) { c.MemberEnabled = false }, kind: alimtalk.EventMemberJoined, want: alimtalk.SkipGroupOff},
		{name: "board group off", change: func(c *alimtalk.Config) { c.BoardEnabled = false }, kind: alimtalk.EventPostRegistered, want: alimtalk.SkipGroupOff},
		{name: "event disabled", change: func(*alimtalk.Config) {}, kind: alimtalk.EventDelivered, want: alimtalk.SkipEventOff},
		{name: "event not configured", change: func(*alimtalk.Config) {}, kind: alimtalk.EventRefundCompleted, want: alimtalk.SkipEventOff},
		{name: "other group still on", change: func(c *alimtalk.Config) { c.MemberEnabled = false }, kind: alimtalk.EventOrderReceived, want: alimtalk.NotSkipped},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := shopConfig()
			tc.change(&cfg)
			d, fake := newTestDispatcher(t, cfg)
			ev := orderEvent()
			ev.Kind = tc.kind
			report, err := d.Dispatch(context.Background(), ev)
			require.NoError(t, err)
			assert.Equal(t, tc.want, report.Skipped, report.Skipped.String())
			if tc.want != alimtalk.NotSkipped {
				assert.Empty(t, report.Deliveries)
				assert.Equal(t, 0, fake.Calls())
				assert.False(t, report.Succeeded())
			} else {
				assert.Equal(t, 1, fake.Calls())
			}
		})
	}
}

func TestDispatchOperatorOnly(t *testing.T) {
	t.Parallel()
	d, fake := newTestDispatcher(t, shopConfig())
	report, err := d.Dispatch(context.Background(), alimtalk.Event{Kind: alimtalk.EventPostRegistered, ID: "p9",
		BoardName: "1:1 문의", PostTitle: "배송 문의"})
	require.NoError(t, err)
	require.Len(t, report.Deliveries, 2)
	for _, del := range report.Deliveries {
		assert.Equal(t, alimtalk.AudienceOperator, del.Audience)
	}
	assert.Equal(t, "[1:1 문의] 새 글이 등록되었습니다: 배송 문의", fake.Accepted()[0].Text)
}

func TestDispatchInvalidCustomerFailsAlone(t *testing.T) {
	t.Parallel()
	d, fake := newTestDispatcher(t, shopConfig())
	ev := orderEvent()
	ev.CustomerPhone = "010-1234-567"
	report, err := d.Dispatch(context.Background(), ev)
	require.NoError(t, err)
	require.Len(t, report.Deliveries, 3)
	cust := report.Deliveries[0]
	assert.Equal(t, alimtalk.StatusInvalid, cust.Status)
	var pe *alimtalk.PhoneError
	require.ErrorAs(t, cust.Err, &pe)
	assert.Equal(t, alimtalk.PhoneLength, pe.Reason)
	assert.Equal(t, alimtalk.StatusAccepted, report.Deliveries[1].Status)
	assert.Equal(t, alimtalk.StatusAccepted, report.Deliveries[2].Status)
	assert.Equal(t, 1, fake.Calls())
	assert.Len(t, fake.Messages(), 2, "only the valid messages reach the provider")
	assert.False(t, report.Succeeded())
}

func TestDispatchMissingVariableSendsNothing(t *testing.T) {
	t.Parallel()
	d, fake := newTestDispatcher(t, shopConfig())
	report, err := d.Dispatch(context.Background(), alimtalk.Event{Kind: alimtalk.EventShippingStarted, ID: "S-2",
		CustomerName: "홍길동", CustomerPhone: "010-1234-5678", Courier: "한진"})
	require.NoError(t, err)
	require.Len(t, report.Deliveries, 1)
	assert.Equal(t, alimtalk.StatusInvalid, report.Deliveries[0].Status)
	var me *alimtalk.MissingVariablesError
	require.ErrorAs(t, report.Deliveries[0].Err, &me)
	assert.Equal(t, []string{"waybillNo"}, me.Names)
	assert.Equal(t, 0, fake.Calls(), "no Send call when nothing is valid")
}

func TestDispatchRefsDeterministicAndDeduplicated(t *testing.T) {
	t.Parallel()
	d1, fake1 := newTestDispatcher(t, shopConfig())
	d2, _ := newTestDispatcher(t, shopConfig(), fixedClock(afternoon.Add(time.Hour)))
	r1, err := d1.Dispatch(context.Background(), orderEvent())
	require.NoError(t, err)
	r2, err := d2.Dispatch(context.Background(), orderEvent())
	require.NoError(t, err)
	for i := range r1.Deliveries {
		assert.Equal(t, r1.Deliveries[i].Ref, r2.Deliveries[i].Ref, "same event, same refs, whatever the time")
		assert.Len(t, r1.Deliveries[i].Ref, 35)
	}
	assert.NotEqual(t, r1.Deliveries[1].Ref, r1.Deliveries[2].Ref, "one ref per recipient")

	other := orderEvent()
	other.ID = "another"
	r3, err := d2.Dispatch(context.Background(), other)
	require.NoError(t, err)
	assert.NotEqual(t, r1.Deliveries[0].Ref, r3.Deliveries[0].Ref)

	// Dispatching the same event again through the same dispatcher sends nothing.
	again, err := d1.Dispatch(context.Background(), orderEvent())
	require.NoError(t, err)
	for _, del := range again.Deliveries {
		assert.Equal(t, alimtalk.StatusDuplicate, del.Status)
		assert.ErrorIs(t, del.Err, alimtalk.ErrDuplicate)
	}
	assert.Equal(t, 1, fake1.Calls())
	assert.Len(t, fake1.Accepted(), 3)
}

func TestDispatchConcurrentSameEventSendsOnce(t *testing.T) {
	t.Parallel()
	d, fake := newTestDispatcher(t, shopConfig())
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = d.Dispatch(context.Background(), orderEvent())
		}()
	}
	wg.Wait()
	assert.Len(t, fake.Accepted(), 3, "each recipient exactly once")
}

func TestDispatchRetryAfterFailures(t *testing.T) {
	t.Parallel()
	t.Run("not sent is released and retried", func(t *testing.T) {
		t.Parallel()
		d, fake := newTestDispatcher(t, shopConfig())
		refused := errors.New("dial tcp: connection refused")
		fake.FailCalls(refused)
		report, err := d.Dispatch(context.Background(), orderEvent())
		require.ErrorIs(t, err, refused)
		require.NotNil(t, report)
		for _, del := range report.Deliveries {
			assert.Equal(t, alimtalk.StatusNotSent, del.Status)
		}
		fake.FailCalls(nil)
		report, err = d.Dispatch(context.Background(), orderEvent())
		require.NoError(t, err)
		assert.True(t, report.Succeeded())
		assert.Len(t, fake.Accepted(), 3)
	})
	t.Run("unknown outcome stays claimed", func(t *testing.T) {
		t.Parallel()
		d, fake := newTestDispatcher(t, shopConfig())
		fake.FailCalls(fmt.Errorf("read timeout: %w", alimtalk.ErrOutcomeUnknown))
		report, err := d.Dispatch(context.Background(), orderEvent())
		require.ErrorIs(t, err, alimtalk.ErrOutcomeUnknown)
		for _, del := range report.Deliveries {
			assert.Equal(t, alimtalk.StatusUnknown, del.Status)
		}
		fake.FailCalls(nil)
		report, err = d.Dispatch(context.Background(), orderEvent())
		require.NoError(t, err)
		for _, del := range report.Deliveries {
			assert.Equal(t, alimtalk.StatusDuplicate, del.Status, "never resend a message that may have gone out")
		}
		assert.Equal(t, 1, fake.Calls(), "the retry made no Send call")
	})
	t.Run("rejected recipient is released", func(t *testing.T) {
		t.Parallel()
		d, fake := newTestDispatcher(t, shopConfig())
		fake.RejectPhone("010-1234-5678", nil)
		report, err := d.Dispatch(context.Background(), orderEvent())
		require.NoError(t, err)
		assert.Equal(t, alimtalk.StatusRejected, report.Deliveries[0].Status)
		fake.Reset()
		report, err = d.Dispatch(context.Background(), orderEvent())
		require.NoError(t, err)
		assert.Equal(t, alimtalk.StatusAccepted, report.Deliveries[0].Status)
		assert.Equal(t, alimtalk.StatusDuplicate, report.Deliveries[1].Status)
	})
	t.Run("without a ledger every dispatch sends", func(t *testing.T) {
		t.Parallel()
		d, fake := newTestDispatcher(t, shopConfig(), alimtalk.WithLedger(nil))
		for i := 0; i < 2; i++ {
			_, err := d.Dispatch(context.Background(), orderEvent())
			require.NoError(t, err)
		}
		assert.Len(t, fake.Accepted(), 6)
	})
}

func TestDispatchEventValidation(t *testing.T) {
	t.Parallel()
	d, fake := newTestDispatcher(t, shopConfig())
	_, err := d.Dispatch(context.Background(), alimtalk.Event{Kind: "order.teleported", ID: "x"})
	var fe *alimtalk.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Event.Kind", fe.Field)
	assert.Equal(t, "event.kind", fe.Key)
	_, err = d.Dispatch(context.Background(), alimtalk.Event{Kind: alimtalk.EventOrderReceived, ID: " "})
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "Event.ID", fe.Field)
	assert.Equal(t, "event.id", fe.Key)
	assert.Equal(t, 0, fake.Calls())
}

func TestNewDispatcherRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*alimtalk.Config)
		field  string
		reason alimtalk.Reason
	}{
		{"missing shop url", func(c *alimtalk.Config) { c.ShopURL = "" }, "shop_url", alimtalk.ReasonRequired},
		{"shop url without scheme", func(c *alimtalk.Config) { c.ShopURL = "lilibi.godomall.com" }, "shop_url", alimtalk.ReasonInvalid},
		{"shop url ftp", func(c *alimtalk.Config) { c.ShopURL = "ftp://lilibi.kr" }, "shop_url", alimtalk.ReasonInvalid},
		{"shop url with space", func(c *alimtalk.Config) { c.ShopURL = "https://lilibi .kr" }, "shop_url", alimtalk.ReasonInvalid},
		{"missing sender number", func(c *alimtalk.Config) { c.SenderNumber = " " }, "sender_number", alimtalk.ReasonRequired},
		{"invalid sender number", func(c *alimtalk.Config) { c.SenderNumber = "02-012-3456" }, "sender_number", alimtalk.ReasonInvalid},
		{"premium sender number", func(c *alimtalk.Config) { c.SenderNumber = "060-700-1234" }, "sender_number", alimtalk.ReasonInvalid},
		{"sender key length", func(c *alimtalk.Config) { c.SenderKey = "short" }, "sender_key", alimtalk.ReasonInvalid},
		{"operator landline", func(c *alimtalk.Config) { c.OperatorPhones = []string{"02-123-4567"} }, "operator_phones[0]", alimtalk.ReasonInvalid},
		{"operator duplicate", func(c *alimtalk.Config) { c.OperatorPhones = []string{"010-9000-0001", "01090000001"} }, "operator_phones[1]", alimtalk.ReasonDuplicate},
		{"operators needed", func(c *alimtalk.Config) { c.OperatorPhones = nil }, "operator_phones", alimtalk.ReasonRequired},
		{"unknown template", func(c *alimtalk.Config) {
			c.Events[alimtalk.EventMemberJoined] = alimtalk.EventConfig{Enabled: true, TemplateCode: "NOPE"}
		}, "events[member.joined].template_code", alimtalk.ReasonInvalid},
		{"missing template code", func(c *alimtalk.Config) {
			c.Events[alimtalk.EventMemberJoined] = alimtalk.EventConfig{Enabled: true}
		}, "events[member.joined].template_code", alimtalk.ReasonRequired},
		{"unknown operator template", func(c *alimtalk.Config) {
			c.Events[alimtalk.EventOrderReceived] = alimtalk.EventConfig{Enabled: true, TemplateCode: "ORDER_C", OperatorTemplateCode: "X", Audience: alimtalk.AudienceBoth}
		}, "events[order.received].operator_template_code", alimtalk.ReasonInvalid},
		{"unknown event", func(c *alimtalk.Config) { c.Events["order.lost"] = alimtalk.EventConfig{} }, "events[order.lost]", alimtalk.ReasonInvalid},
		{"bad audience", func(c *alimtalk.Config) {
			c.Events[alimtalk.EventMemberJoined] = alimtalk.EventConfig{Enabled: true, TemplateCode: "JOIN_C", Audience: 7}
		}, "events[member.joined].audience", alimtalk.ReasonInvalid},
		{"bad timing", func(c *alimtalk.Config) {
			c.Events[alimtalk.EventMemberJoined] = alimtalk.EventConfig{Enabled: true, TemplateCode: "JOIN_C", Timing: alimtalk.AtTime(0, 25, 0)}
		}, "events[member.joined].timing.at", alimtalk.ReasonInvalid},
		{"bad quiet hours", func(c *alimtalk.Config) { c.QuietHours.End = alimtalk.TimeOfDay{Minute: 60} }, "quiet_hours.end", alimtalk.ReasonInvalid},
		{"bad variable name", func(c *alimtalk.Config) {
			c.VariableNames = map[alimtalk.Field]string{alimtalk.FieldOrderNo: "order}No"}
		}, "variable_names[orderNo]", alimtalk.ReasonInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := shopConfig()
			tc.change(&cfg)
			d, err := alimtalk.NewDispatcher(cfg, alimtalktest.NewSender(), shopTemplates())
			require.Nil(t, d)
			require.ErrorIs(t, err, alimtalk.ErrConfig)
			var ce *alimtalk.ConfigError
			require.ErrorAs(t, err, &ce)
			fe := ce.Field(tc.field)
			require.NotNil(t, fe, "%v", err)
			assert.Equal(t, tc.reason, fe.Reason)
			assert.Contains(t, err.Error(), tc.field)
		})
	}
}

func TestNewDispatcherNeedsSenderAndTemplates(t *testing.T) {
	t.Parallel()
	_, err := alimtalk.NewDispatcher(shopConfig(), nil, nil)
	var ce *alimtalk.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.NotNil(t, ce.Field("sender"))
	assert.NotNil(t, ce.Field("templates"))
}

func TestNewDispatcherMissingShopURLAndSender(t *testing.T) {
	t.Parallel()
	cfg := shopConfig()
	cfg.ShopURL, cfg.SenderNumber = "", ""
	_, err := alimtalk.NewDispatcher(cfg, alimtalktest.NewSender(), shopTemplates())
	require.Error(t, err)
	assert.Equal(t, "alimtalk: invalid dispatcher configuration: ShopURL (shop_url): required: set the shop's domain: nothing is sent without it; "+
		"SenderNumber (sender_number): required: set the registered SMS sender number", err.Error())
}

func TestDispatcherCopiesConfig(t *testing.T) {
	t.Parallel()
	cfg := shopConfig()
	d, fake := newTestDispatcher(t, cfg)
	cfg.Events[alimtalk.EventOrderReceived] = alimtalk.EventConfig{Enabled: false}
	cfg.OperatorPhones[0] = "010-5555-5555"
	report, err := d.Dispatch(context.Background(), orderEvent())
	require.NoError(t, err)
	require.Len(t, report.Deliveries, 3)
	assert.Equal(t, "01090000001", report.Deliveries[1].To)
	assert.Len(t, fake.Accepted(), 3)
}

func TestDeliveryRef(t *testing.T) {
	t.Parallel()
	a := alimtalk.DeliveryRef(alimtalk.EventOrderReceived, "1", alimtalk.AudienceCustomer, "010-1234-5678")
	assert.Equal(t, a, alimtalk.DeliveryRef(alimtalk.EventOrderReceived, "1", alimtalk.AudienceCustomer, "+82 10 1234 5678"))
	assert.NotEqual(t, a, alimtalk.DeliveryRef(alimtalk.EventOrderReceived, "1", alimtalk.AudienceOperator, "010-1234-5678"))
	assert.NotEqual(t, a, alimtalk.DeliveryRef(alimtalk.EventOrderCancelled, "1", alimtalk.AudienceCustomer, "010-1234-5678"))
	assert.NotContains(t, a, "5678")
	assert.Regexp(t, `^at-[0-9a-f]{32}$`, a)
}

func TestEventCatalog(t *testing.T) {
	t.Parallel()
	kinds := alimtalk.EventKinds()
	assert.Len(t, kinds, 17)
	groups := map[alimtalk.Group]int{}
	for _, k := range kinds {
		assert.True(t, k.Known())
		assert.NotEmpty(t, k.Label())
		groups[k.Group()]++
	}
	assert.Equal(t, map[alimtalk.Group]int{alimtalk.GroupOrder: 10, alimtalk.GroupMember: 5, alimtalk.GroupBoard: 2}, groups)
	assert.False(t, alimtalk.EventKind("x").Known())
	assert.Empty(t, alimtalk.EventKind("x").Label())
	assert.Equal(t, "order", alimtalk.GroupOrder.String())
}

func TestFormatWon(t *testing.T) {
	t.Parallel()
	tests := map[int64]string{0: "0원", 7: "7원", 999: "999원", 1000: "1,000원", 7500: "7,500원",
		1234567: "1,234,567원", -1200: "-1,200원", 100000: "100,000원"}
	for n, want := range tests {
		assert.Equal(t, want, alimtalk.FormatWon(n))
	}
}
