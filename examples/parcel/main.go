// Command parcel books a Korea Post parcel, tracks it, and reconciles a booking whose answer
// was lost, offline on the embedded fake (epost/eposttest):
//
//	go run ./examples/parcel
//
// A booking (InsertOrder) is never retried once Korea Post may have received it: when its
// answer is lost, ReconcileUnknown tells whether the parcel was booked, so it is never
// booked twice.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/eposttest"
)

func main() {
	log.SetFlags(0)
	ctx := context.Background()
	post := eposttest.NewServer(eposttest.Options{})
	defer post.Close()
	client, err := post.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	order := func(orderNo string) epost.InsertOrderRequest {
		return epost.InsertOrderRequest{PayType: epost.PayPrepaid, ReqType: epost.ReqNormal,
			OfficeSer: eposttest.DefaultOfficeSer, MicroYn: epost.No, OrderNo: orderNo, OrdCompNm: "케이샵",
			RecNm: "홍길동", RecZip: "04524", RecAddr1: "서울 중구 세종대로 110", RecAddr2: "1층",
			RecMob: "010-1234-5678", ContCd: epost.ContentOther, GoodsNm: "원두 200g"}
	}

	// 1. Book and track.
	b, err := client.InsertOrder(ctx, order("20261122-0001"))
	if err != nil {
		log.Fatal(err) // a *kshop.ValidationError lists every missing or bad item at once
	}
	fmt.Printf("booked %s: waybill %s, fee %d원\n", b.OrderNo, b.RegiNo, b.Price)
	if err := post.SetStatus(b.RegiNo, epost.TreatPickedUp); err != nil { // picked up: 접수
		log.Fatal(err)
	}
	post.AddTraceEvent(b.RegiNo, eposttest.TraceEvent{Place: "동서울우편집중국", Status: "발송"})
	post.AddTraceEvent(b.RegiNo, eposttest.TraceEvent{Place: "서울중앙우체국", Status: "배달완료"})
	tr, err := client.Track(ctx, b.RegiNo)
	if err != nil {
		log.Fatal(err)
	}
	for _, ev := range tr.Events {
		fmt.Printf("  %s (%s) at %s\n", ev.StatusText, ev.Status, ev.Place)
	}
	fmt.Printf("  now: %s\n", tr.Status)

	// 2. Korea Post books the next parcel, then the connection drops before its answer.
	post.InjectFault(eposttest.Fault{Call: "InsertOrder", Kind: eposttest.FaultDrop, CarryOut: true})
	_, err = client.InsertOrder(ctx, order("20261122-0002"))
	var unknown *epost.UnknownOrderError
	if !errors.As(err, &unknown) {
		log.Fatalf("expected an unknown outcome, got %v", err)
	}
	fmt.Printf("booking %s: outcome unknown (%t); not booking again before reconciling\n",
		unknown.OrderNo, errors.Is(err, epost.ErrOutcomeUnknown))
	rec, err := client.ReconcileUnknown(ctx, unknown)
	if err != nil {
		log.Fatal(err) // still unknown: ask again later, never book blindly
	}
	if rec.Booked {
		fmt.Printf("reconciled: booked after all, waybill %s (%s)\n", rec.Reservation.RegiNo, rec.Reservation.Status)
	} else {
		fmt.Println("reconciled: not booked; booking again is safe")
	}
	fmt.Printf("Korea Post holds %d bookings for 2 orders, %d InsertOrder requests\n",
		len(post.Orders()), post.Requests("InsertOrder"))
}
