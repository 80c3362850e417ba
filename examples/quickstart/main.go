// Command quickstart is the first thing to run after cloning kshop:
//
//	go run ./examples/quickstart
//
// It plays one day of a small shop against the embedded fake vendors (ssoda/ssodatest and
// epost/eposttest), offline, and exits 0:
//
//  1. check that the Ssoda key, token and this server's IP are registered;
//  2. an order comes in: the auto-send dispatcher notifies the customer and the operator;
//  3. the parcel is booked with Korea Post and the customer gets the waybill number;
//  4. a send whose answer is lost is reconciled instead of being sent twice;
//  5. the parcel is tracked to the door;
//  6. a recurring-delivery subscription sends its payment notice and charges the card;
//  7. the customer's chat button gets a Happytalk link with their details.
//
// Swap the fakes for the real endpoints (ssoda.NewClient, epost.NewClient with your keys) and
// the rest of the code stays as it is.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/eposttest"
	"github.com/kshop-dev/kshop/epost/shipping"
	"github.com/kshop-dev/kshop/happytalk"
	"github.com/kshop-dev/kshop/lunasoft"
	"github.com/kshop-dev/kshop/lunasoft/lunasofttest"
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
	"github.com/kshop-dev/kshop/subscription"
)

// The shop's approved AlimTalk templates, as registered at Ssoda.
var templates = []alimtalk.Template{
	{Code: "ORDER_RECEIVED", Name: "주문접수_고객", CategoryCode: "002001",
		Content: "[#{shopName}] #{customerName}님의 주문이 접수되었습니다.\n□주문번호 : #{orderNo}\n□결제금액 : #{amount}"},
	{Code: "ORDER_RECEIVED_OP", Name: "주문접수_운영자", CategoryCode: "002001",
		Content: "[#{shopName}] 새 주문 #{orderNo} (#{amount})"},
	{Code: "SHIPPING_STARTED", Name: "배송시작", CategoryCode: "002002",
		Content: "[#{shopName}] #{customerName}님, 주문하신 상품이 발송되었습니다.\n□택배사 : #{courier}\n□송장번호 : #{waybillNo}"},
	{Code: "DELIVERED", Name: "배송완료", CategoryCode: "002002",
		Content: "[#{shopName}] #{customerName}님, 주문하신 상품이 배송 완료되었습니다.\n□송장번호 : #{waybillNo}"},
	{Code: "SUB_PAYMENT_NOTICE", Name: "정기배송 결제 안내", CategoryCode: "002001",
		Content: "#{customer_name}님, 정기배송 #{round}회차 결제 안내입니다.\n□배송일 : #{delivery_date}\n□결제금액 : #{amount}원\n□상품 : #{items}"},
}

const (
	shopName      = "케이샵"
	shopURL       = "https://kshop.example"
	senderNumber  = "02-1234-5678"
	operatorPhone = "010-9000-0001"
	customerPhone = "010-1234-5678"
)

func main() {
	log.SetFlags(0)
	if err := run(context.Background()); err != nil {
		log.Printf("quickstart: %v", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	fmt.Printf("kshop-go %s: a day at %s, on the embedded fake vendors\n", kshop.Version, shopName)

	kakao := ssodatest.NewServer(ssodatest.Options{Templates: templates, SenderNumbers: []string{senderNumber}})
	defer kakao.Close()
	post := eposttest.NewServer(eposttest.Options{})
	defer post.Close()

	sender, err := kakao.NewClient() // the fake hands the client its approved templates
	if err != nil {
		return err
	}
	parcels, err := post.NewClient()
	if err != nil {
		return err
	}

	step("1. Preflight: are the Ssoda key, token and server IP registered?")
	access, err := sender.CheckAccess(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("   %s\n", access)

	step("2. An order comes in")
	dispatcher, err := newDispatcher(sender)
	if err != nil {
		return err
	}
	order := alimtalk.Event{Kind: alimtalk.EventOrderReceived, ID: "20261122-0001", OrderNo: "20261122-0001",
		CustomerName: "홍길동", CustomerPhone: customerPhone, Amount: 27000}
	if err := dispatch(ctx, dispatcher, order); err != nil {
		return err
	}
	fmt.Println("   the same event again (a retried webhook, a restarted worker):")
	if err := dispatch(ctx, dispatcher, order); err != nil {
		return err
	}

	if err := viaLunasoft(ctx, order); err != nil {
		return err
	}

	step("3. Book the parcel with Korea Post and tell the customer")
	booking, err := parcels.InsertOrder(ctx, epost.InsertOrderRequest{
		PayType: epost.PayPrepaid, ReqType: epost.ReqNormal, OfficeSer: eposttest.DefaultOfficeSer, MicroYn: epost.No,
		OrderNo: order.OrderNo, OrdCompNm: shopName, RecNm: "홍길동", RecZip: "04524",
		RecAddr1: "서울 중구 세종대로 110", RecAddr2: "1층", RecMob: customerPhone,
		ContCd: epost.ContentOther, GoodsNm: "원두 200g",
	})
	if err != nil {
		return err
	}
	fmt.Printf("   booked: waybill %s, fee %d원\n", booking.RegiNo, booking.Price)
	shipped := alimtalk.Event{Kind: alimtalk.EventShippingStarted, ID: order.OrderNo, OrderNo: order.OrderNo,
		CustomerName: "홍길동", CustomerPhone: customerPhone, Courier: "우체국택배", WaybillNo: booking.RegiNo}
	if err := dispatch(ctx, dispatcher, shipped); err != nil {
		return err
	}

	step("4. A send whose answer is lost is reconciled, never sent twice")
	if err := lostAnswer(ctx, kakao, sender); err != nil {
		return err
	}

	step("5. Track the parcel")
	if err := track(ctx, post, parcels, booking.RegiNo); err != nil {
		return err
	}

	step("6. Recurring delivery: payment notice, then the charge")
	if err := recurring(ctx, sender); err != nil {
		return err
	}

	step("7. The chat button's Happytalk link")
	link, err := happytalk.Build("https://api.happytalk.io/api/kakao/chat_open?yid=%40kshop&site_id=4000000001&category_id=74133&division_id=74134",
		happytalk.Params{SiteUID: "member-1", CustomerName: "홍길동", CustomerPhone: customerPhone, Parameters: []string{order.OrderNo}})
	if err != nil {
		return err
	}
	fmt.Println("   " + link)

	step("8. The Korea Post workflow: issue, reserve, print, sync, and notify from its events")
	if err := shippingWorkflow(ctx, post, parcels, dispatcher); err != nil {
		return err
	}

	fmt.Printf("\nSsoda received %d send requests for %d messages; Korea Post holds %d booking(s).\n",
		kakao.Requests(kakao.Paths().SendAlimTalk), len(kakao.Sent()), len(post.Orders()))
	return nil
}

// viaLunasoft sends the same order event with the very dispatcher configuration of step 2
// through Lunasoft instead of Ssoda. Lunasoft has no lookup, so a lost answer is settled by its
// result webhook.
func viaLunasoft(ctx context.Context, order alimtalk.Event) error {
	step("2b. The same dispatcher through Lunasoft; a lost answer is settled by its webhook")
	var approved []lunasoft.CatalogTemplate // Lunasoft numbers templates; our codes stay as aliases
	for i, t := range templates {
		approved = append(approved, lunasoft.CatalogTemplate{ID: int64(50034 + i), Alias: t.Code, Template: t})
	}
	tracker := lunasoft.NewPendingTracker(lunasoft.PendingOptions{Window: time.Hour})
	hook, err := lunasoft.NewHandler(func(_ context.Context, o lunasoft.Outcome) error {
		fmt.Printf("   webhook: %s %s (settles an unknown send: %t)\n", o.Status, o.Ref, o.Settled != nil)
		return nil
	}, lunasoft.WebhookOptions{Pending: tracker})
	if err != nil {
		return err
	}
	hookSrv := httptest.NewServer(hook) // in a shop: the URL registered with Lunasoft
	defer hookSrv.Close()
	luna := lunasofttest.NewServer(lunasofttest.Options{Templates: approved, WebhookURL: hookSrv.URL})
	defer luna.Close()
	sender, err := luna.NewClient(lunasoft.WithPendingTracker(tracker), lunasoft.WithConcurrency(1))
	if err != nil {
		return err
	}
	dispatcher, err := newDispatcher(sender)
	if err != nil {
		return err
	}
	luna.InjectFault(lunasofttest.Fault{Call: lunasofttest.CallSend, Kind: lunasofttest.FaultDrop, CarryOut: true})
	if err := dispatch(ctx, dispatcher, order); err != nil {
		return err
	}
	luna.FlushWebhooks()
	fmt.Printf("   Lunasoft got %d requests; messages still unknown: %d\n", luna.Requests(lunasofttest.CallSend), tracker.Len())
	return nil
}

// shippingWorkflow runs Godomall's 우체국택배 steps through epost/shipping: step 1 prepares the
// waybill, step 2 books it, printing moves the line to 배송중 and the sync to 배송완료; each
// change is an event that sends the customer's AlimTalk through the dispatcher.
func shippingWorkflow(ctx context.Context, post *eposttest.Server, parcels *epost.Client, d *alimtalk.Dispatcher) error {
	var sh *shipping.Shipper
	notify := func(ctx context.Context, ev shipping.Event) error {
		kind := map[shipping.Status]alimtalk.EventKind{shipping.StatusShipping: alimtalk.EventShippingStarted,
			shipping.StatusDelivered: alimtalk.EventDelivered}[ev.To]
		if kind == "" || ev.Cause == shipping.CauseManual {
			return nil
		}
		o, err := sh.Order(ctx, ev.OrderID)
		if err != nil {
			return err
		}
		// ID = the waybill: one AlimTalk per parcel, and a re-delivered event is dropped by the ledger.
		return dispatch(ctx, d, alimtalk.Event{Kind: kind, ID: ev.WaybillID, OrderNo: ev.OrderID,
			CustomerName: o.Recipient.Name, CustomerPhone: o.Recipient.Mobile, Courier: "우체국택배", WaybillNo: ev.RegiNo})
	}
	sh, err := shipping.New(parcels, shipping.NewMemoryStore(), shipping.Config{
		OfficeSer: eposttest.DefaultOfficeSer, ShopName: shopName, OnEvent: notify})
	if err != nil {
		return err
	}
	if err := sh.AddOrders(ctx, shipping.Order{ID: "20261122-0002", Recipient: shipping.Recipient{Name: "홍길동",
		Zip: "04524", Addr1: "서울 중구 세종대로 110", Addr2: "1층", Mobile: customerPhone},
		Lines: []shipping.Line{{ID: "1", GoodsName: "원두 200g", Qty: 1, Status: shipping.StatusPaid}}}); err != nil {
		return err
	}
	if _, err := sh.Issue(ctx, shipping.IssueRequest{Mode: shipping.PerOrder}); err != nil { // 송장발급: sends nothing
		return err
	}
	res, err := sh.Reserve(ctx) // 예약하기: InsertOrder
	if err != nil || len(res.Reserved) != 1 {
		return fmt.Errorf("reserve: %v (%d failed, %d unknown)", err, len(res.Failed), len(res.Unknown))
	}
	w := res.Reserved[0]
	fmt.Printf("   reserved: waybill %s\n", w.RegiNo)
	if _, err := sh.MarkPrinted(ctx, w.ID); err != nil { // 배송중: the 배송 시작 AlimTalk
		return err
	}
	post.AddTraceEvent(w.RegiNo, eposttest.TraceEvent{Place: "서울중앙우체국", Status: "배달완료"})
	syncer, err := sh.NewSyncer(shipping.SyncOptions{})
	if err != nil {
		return err
	}
	rep, err := syncer.SyncNow(ctx) // 배송완료: the 배송 완료 AlimTalk
	if err != nil {
		return err
	}
	fmt.Printf("   sync changed %d line(s)\n", rep.Changed)
	return nil
}

func step(title string) { fmt.Println("\n" + title) }

// newDispatcher configures the shop's auto-send conditions (Godomall's 자동발송 settings).
func newDispatcher(sender alimtalk.Sender) (*alimtalk.Dispatcher, error) {
	cfg := alimtalk.Config{
		Enabled: true, OrderEnabled: true,
		ShopName: shopName, ShopURL: shopURL, SenderNumber: senderNumber,
		OperatorPhones: []string{operatorPhone},
		Events: map[alimtalk.EventKind]alimtalk.EventConfig{
			alimtalk.EventOrderReceived: {Enabled: true, TemplateCode: "ORDER_RECEIVED",
				OperatorTemplateCode: "ORDER_RECEIVED_OP", Audience: alimtalk.AudienceBoth},
			alimtalk.EventShippingStarted: {Enabled: true, TemplateCode: "SHIPPING_STARTED", Audience: alimtalk.AudienceCustomer},
			alimtalk.EventDelivered:       {Enabled: true, TemplateCode: "DELIVERED", Audience: alimtalk.AudienceCustomer},
		},
	}
	return alimtalk.NewDispatcher(cfg, sender, alimtalk.NewTemplateSet(templates...))
}

func dispatch(ctx context.Context, d *alimtalk.Dispatcher, ev alimtalk.Event) error {
	report, err := d.Dispatch(ctx, ev)
	if err != nil {
		return err
	}
	for _, del := range report.Deliveries {
		fmt.Printf("   %-8s %-18s %-9s ref %s\n", del.Audience, del.TemplateCode, del.Status, del.Ref)
	}
	return nil
}

// lostAnswer shows the rule that matters most: Ssoda takes a message and the connection
// drops before its answer. The SDK does not retry; it reports the outcome as unknown, and
// ReconcileResult looks the message up in Ssoda's history from its Result alone.
func lostAnswer(ctx context.Context, kakao *ssodatest.Server, sender *ssoda.Client) error {
	kakao.InjectFault(ssodatest.Fault{Call: ssodatest.CallSend, Kind: ssodatest.FaultDrop, CarryOut: true})
	msg := alimtalk.Message{To: customerPhone, TemplateCode: "SHIPPING_STARTED", Ref: "resend-check",
		Variables: map[string]string{"shopName": shopName, "customerName": "홍길동", "courier": "우체국택배", "waybillNo": "6100000000000"}}
	res, err := sender.Send(ctx, []alimtalk.Message{msg})
	if err != nil {
		return err
	}
	fmt.Printf("   send: %s (outcome unknown: %t)\n", res[0].Status, errors.Is(res[0].Err, kshop.ErrOutcomeUnknown))
	rec, err := sender.ReconcileResult(ctx, res[0])
	if err != nil {
		return err
	}
	if rec.Found {
		fmt.Printf("   reconciled: Ssoda has it as message %s (%s); nothing is resent\n", rec.Record.MessageID, rec.Record.Status)
	} else {
		fmt.Println("   reconciled: not in Ssoda's history; safe to send again")
	}
	return nil
}

func track(ctx context.Context, post *eposttest.Server, parcels *epost.Client, waybill string) error {
	if err := post.SetStatus(waybill, epost.TreatPickedUp); err != nil {
		return err
	}
	for _, ev := range []eposttest.TraceEvent{
		{Place: "서울중앙우체국", Status: "접수"},
		{Place: "동서울우편집중국", Status: "발송"},
		{Place: "서울중앙우체국", Status: "배달준비"},
		{Place: "서울중앙우체국", Status: "배달완료", Detail: "배달(수령인:본인)"},
	} {
		post.AddTraceEvent(waybill, ev)
	}
	trace, err := parcels.Track(ctx, waybill)
	if err != nil {
		return err
	}
	for _, ev := range trace.Events {
		fmt.Printf("   %-10s %-20s %s\n", ev.StatusText, ev.Status, ev.Place)
	}
	fmt.Printf("   now: %s\n", trace.Status)
	return nil
}

// settableClock drives the subscription through its days.
type settableClock struct{ now time.Time }

func (c *settableClock) Now() time.Time { return c.now }

// recurring runs a monthly coffee subscription through its first notice and charge, sending
// the notice as an AlimTalk with the planner's action ID as the message Ref.
func recurring(ctx context.Context, sender alimtalk.Sender) error {
	clock := &settableClock{now: time.Date(2026, 11, 22, 9, 0, 0, 0, kshop.KST())}
	holidays := subscription.NewKoreanPublicHolidays()
	rules, err := subscription.NewRules(subscription.WithTimeSource(clock),
		subscription.WithCalendar(subscription.Union(subscription.Weekends(), holidays)))
	if err != nil {
		return err
	}
	plan := subscription.Plan{Name: "원두 정기배송", Cycles: subscription.AllCycles(),
		RoundLimits: []int{0}, DiscountUnit: subscription.DiscountPercent,
		Discounts: []subscription.DiscountStep{{FromRound: 1, Value: 10}}}
	start, err := subscription.ParseDate("2026-11-30")
	if err != nil {
		return err
	}
	sub, err := subscription.NewSubscription(plan, rules, subscription.Application{
		ID:       "S-1",
		Customer: subscription.Customer{ID: "member-1", Name: "홍길동", Phone: customerPhone},
		Receiver: subscription.Receiver{Name: "홍길동", Phone: customerPhone, Address1: "서울 중구 세종대로 110"},
		Start:    start, Cycle: subscription.Cycle1M,
		Items: []subscription.Item{{Product: subscription.Product{ID: "bean", Kind: subscription.ProductRegular, SubscriptionEnabled: true},
			Name: "원두 200g", Quantity: 2, UnitPrice: 15000}},
		PaymentMethod: subscription.PaymentCard, BillingKeyRef: "bk_member-1",
	})
	if err != nil {
		return err
	}
	planner := subscription.NewPlanner()
	if err := planner.Add(sub); err != nil {
		return err
	}
	preview, err := rules.Preview(start, subscription.Cycle1M, 3)
	if err != nil {
		return err
	}
	for _, r := range preview {
		fmt.Printf("   round: notice %s, charge %s, delivery %s\n", r.NoticeAt.Format("01-02 15:04"), r.ChargeAt.Format("01-02 15:04"), r.Delivery)
	}
	for day := 0; day < 10; day++ {
		for _, a := range planner.Due(clock.now) {
			if err := runAction(ctx, sender, sub, a); err != nil {
				return err
			}
		}
		clock.now = clock.now.Add(24 * time.Hour)
	}
	next, _ := sub.CurrentRound()
	fmt.Printf("   next round %d delivers on %s\n", next.Number, next.Delivery)
	return nil
}

func runAction(ctx context.Context, sender alimtalk.Sender, sub *subscription.Subscription, a subscription.Action) error {
	switch a.Kind {
	case subscription.ActionSendNotice:
		ev, err := sub.Notice(a)
		if err != nil {
			return err
		}
		res, err := sender.Send(ctx, []alimtalk.Message{{To: ev.Customer.Phone, TemplateCode: "SUB_PAYMENT_NOTICE",
			Variables: ev.Vars(), Ref: a.ID()}})
		if err != nil {
			return err
		}
		fmt.Printf("   %s: payment notice %s (ref %s)\n", a.At.Format("01-02 15:04"), res[0].Status, a.ID())
		if res[0].Status.Succeeded() {
			return sub.RecordNoticeSent(a)
		}
		return res[0].Err
	case subscription.ActionCharge, subscription.ActionRetryCharge:
		req, err := sub.ChargeRequest(a)
		if err != nil {
			return err
		}
		// A real shop calls its payment gateway here with req.IdempotencyKey.
		fmt.Printf("   %s: charge %s (key %s)\n", a.At.Format("01-02 15:04"), alimtalk.FormatWon(req.Amount), req.IdempotencyKey)
		_, err = sub.RecordCharge(a, subscription.Charged("PG-"+req.IdempotencyKey))
		return err
	}
	return nil
}
