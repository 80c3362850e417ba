// Command send-with-failover sends an AlimTalk with SMS/LMS failover through Ssoda, offline
// on the embedded fake (ssoda/ssodatest):
//
//	go run ./examples/send-with-failover
//
// Two customers get the same shipping notice. One has no KakaoTalk, so Ssoda delivers the
// failover SMS/LMS instead; Ssoda's sent list shows which way each message went.
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
)

const senderNumber = "02-1234-5678" // a registered SMS sender number (발신번호)

var shipped = alimtalk.Template{Code: "SHIPPING_STARTED", Name: "배송시작", CategoryCode: "002002",
	Content: "[케이샵] #{customerName}님, 주문하신 상품이 발송되었습니다.\n□송장번호 : #{waybillNo}"}

func main() {
	log.SetFlags(0)
	ctx := context.Background()
	kakao := ssodatest.NewServer(ssodatest.Options{
		Templates:     []alimtalk.Template{shipped},
		SenderNumbers: []string{senderNumber},
		NonKakaoUsers: []string{"01098765432"}, // this customer has no KakaoTalk
	})
	defer kakao.Close()
	// The fake hands the client its approved templates; one request at a time keeps the
	// output in order (the default sends 4 at once).
	client, err := kakao.NewClient(ssoda.WithConcurrency(1))
	if err != nil {
		log.Fatal(err)
	}

	var msgs []alimtalk.Message
	for i, c := range []struct{ name, phone string }{{"홍길동", "010-1234-5678"}, {"김영희", "010-9876-5432"}} {
		msgs = append(msgs, alimtalk.Message{
			To: c.phone, TemplateCode: shipped.Code, Ref: fmt.Sprintf("order-%d", 1001+i),
			Variables: map[string]string{"customerName": c.name, "waybillNo": "6100000000001"},
			// Content "" means the AlimTalk text itself; SMS or LMS is chosen by its length.
			Failover: &alimtalk.Failover{From: senderNumber},
		})
	}
	results, err := client.Send(ctx, msgs)
	if err != nil {
		log.Fatal(err) // the whole call stopped (keys, token or IP refused)
	}
	for _, r := range results {
		if r.Err != nil { // rejected, invalid, not sent, or unknown (reconcile before resending)
			fmt.Printf("%s: %s: %v\n", r.Ref, r.Status, r.Err)
			continue
		}
		fmt.Printf("%s: %s by Ssoda as msg_id %s\n", r.Ref, r.Status, r.MessageID)
	}

	// Ssoda takes both; what became of each shows in its sent list.
	page, err := client.History.AlimTalk(ctx, ssoda.ListRequest{})
	if err != nil {
		log.Fatal(err)
	}
	for _, rec := range page.Records {
		how := "delivered on KakaoTalk"
		if rec.FailoverText != "" {
			how = fmt.Sprintf("KakaoTalk failed (%s); failover SMS/LMS sent", rec.ErrorMessage)
		}
		fmt.Printf("%s to %s: %s, %s\n", rec.MessageID, rec.MaskedTo(), rec.RawStatus, how)
	}
}
