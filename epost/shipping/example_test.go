package shipping_test

import (
	"context"
	"fmt"
	"time"

	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/eposttest"
	"github.com/kshop-dev/kshop/epost/shipping"
)

// Example runs the whole workflow on the fake: issue, reserve, print, deliver, sync.
func Example() {
	ctx := context.Background()
	post := eposttest.NewServer(eposttest.Options{})
	defer post.Close()
	client, _ := post.NewClient()

	sh, err := shipping.New(client, shipping.NewMemoryStore(), shipping.Config{
		OfficeSer: eposttest.DefaultOfficeSer, ShopName: "케이샵",
		OnEvent: func(_ context.Context, ev shipping.Event) error {
			fmt.Printf("%s/%s %s → %s (%s)\n", ev.OrderID, ev.LineID, ev.From.Name(), ev.To.Name(), ev.Cause)
			return nil
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = sh.AddOrders(ctx,
		shipping.Order{ID: "1001", Recipient: shipping.Recipient{Name: "홍길동", Zip: "04524", Addr1: "서울 중구 세종대로 110",
			Addr2: "1층", Mobile: "010-1234-5678"}, Lines: []shipping.Line{{ID: "1", GoodsName: "원두 200g", Qty: 1, Status: shipping.StatusPaid}}},
		shipping.Order{ID: "1002", Recipient: shipping.Recipient{Name: "김영희", Zip: "04524", Addr1: "서울 중구 세종대로 110",
			Addr2: "2층", Mobile: "010-12-34"}, Lines: []shipping.Line{{ID: "1", GoodsName: "드립백", Qty: 2, Status: shipping.StatusPaid}}},
	)

	issued, _ := sh.Issue(ctx, shipping.IssueRequest{Mode: shipping.PerOrder})
	fmt.Println("issued:", len(issued.Waybills), "contact errors:", issued.ContactErrors)

	reserved, _ := sh.Reserve(ctx)
	w := reserved.Reserved[0]
	fmt.Println("reserved:", w.ID, len(w.RegiNo), "digits")

	_, _ = sh.MarkPrinted(ctx, w.ID)

	post.AddTraceEvent(w.RegiNo, eposttest.TraceEvent{Place: "서울중앙우체국", Status: "배달완료"})
	syncer, _ := sh.NewSyncer(shipping.SyncOptions{RateInterval: -1})
	rep, _ := syncer.SyncNow(ctx)
	fmt.Println("sync changed:", rep.Changed)
	// Output:
	// issued: 1 contact errors: [1002/1]
	// 1001/1 결제완료 → 상품준비중 (reservation)
	// reserved: 1001 13 digits
	// 1001/1 상품준비중 → 배송중 (print)
	// 1001/1 배송중 → 배송완료 (tracking)
	// sync changed: 1
}

// ExampleTransition shows the workflow's rules as a pure function.
func ExampleTransition() {
	cfg := shipping.DefaultStatusConfig()
	for _, c := range []struct {
		from  shipping.Status
		cause shipping.Cause
	}{{"p1", shipping.CauseReservation}, {"g2", shipping.CauseReservation}, {"g1", shipping.CausePrint}, {"b1", shipping.CausePrint}} {
		to, err := shipping.Transition(cfg, c.from, c.cause, epost.StatusUnknown)
		fmt.Println(c.from, c.cause, "→", to, err != nil)
	}
	// Output:
	// p1 결제완료 reservation → g1 상품준비중 false
	// g2 구매발주 reservation → g2 구매발주 false
	// g1 상품준비중 print → d1 배송중 false
	// b1 반품접수 print → b1 반품접수 true
}

// ExampleCafe24 maps Cafe24's status codes onto the same workflow.
func ExampleCafe24() {
	st, _ := shipping.Cafe24.Status("N30")
	code, _ := shipping.Cafe24.Code(shipping.StatusDelivered)
	fmt.Println(st, code)
	// Output: d1 배송중 N40
}

// ExampleSyncer_Run runs the two-hourly sync until its context ends.
func ExampleSyncer_Run() {
	post := eposttest.NewServer(eposttest.Options{})
	defer post.Close()
	client, _ := post.NewClient()
	sh, _ := shipping.New(client, shipping.NewMemoryStore(), shipping.Config{OfficeSer: eposttest.DefaultOfficeSer, ShopName: "케이샵"})
	syncer, _ := sh.NewSyncer(shipping.SyncOptions{Interval: 10 * time.Millisecond, Progress: func(p shipping.Progress) {
		fmt.Printf("pass %d: %d/%d\n", p.Pass, p.Done, p.Total)
	}})
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Millisecond)
	defer cancel()
	fmt.Println(syncer.Run(ctx))
	// Output: <nil>
}
