// Command template-review takes a new AlimTalk template through Kakao's review and sends with
// it, offline on the embedded fake Ssoda (ssoda/ssodatest, whose ApproveTemplate plays the
// reviewer):
//
//	go run ./examples/template-review
//
// The client keeps its templates in a TemplateCache (ssoda.WithTemplateRefresh), so a
// template approved after the client was built is used without building a new client.
package main

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
)

func main() {
	log.SetFlags(0)
	ctx := context.Background()
	kakao := ssodatest.NewServer(ssodatest.Options{}) // no templates yet
	defer kakao.Close()
	client, err := kakao.NewClient(ssoda.WithTemplateRefresh(10 * time.Minute))
	if err != nil {
		log.Fatal(err)
	}

	tpl := alimtalk.Template{Code: "POINT_EXPIRING", Name: "적립금 소멸 안내", CategoryCode: "004001",
		Content: "[케이샵] #{customerName}님, 적립금 #{points}원이 #{date}에 소멸됩니다."}
	info, err := client.Templates.Add(ctx, ssoda.AddTemplateRequest{Template: tpl})
	if err != nil {
		log.Fatal(err) // a *kshop.ValidationError lists every problem with the template
	}
	fmt.Printf("registered %s: %s\n", tpl.Code, info.Template.Inspection)
	if info, err = client.Templates.RequestReview(ctx, ssoda.ReviewRequest{Code: tpl.Code}); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("review requested: %s\n", info.Template.Inspection)

	msg := alimtalk.Message{To: "010-1234-5678", TemplateCode: tpl.Code, Ref: "points-member-1",
		Variables: map[string]string{"customerName": "홍길동", "points": "3,000", "date": "2026-12-31"}}
	send := func() {
		res, err := client.Send(ctx, []alimtalk.Message{msg})
		if err != nil {
			log.Fatal(err)
		}
		if r := res[0]; r.Err != nil {
			fmt.Printf("send: %s: %v\n", r.Status, r.Err)
		} else {
			fmt.Printf("send: %s as msg_id %s\n", r.Status, r.MessageID)
		}
	}
	send() // refused before any request: the template is still under review

	// Kakao approves it (about two business days at the real service).
	if err := kakao.ApproveTemplate(tpl.Code); err != nil {
		log.Fatal(err)
	}
	// The cache would see it at its next reload (TTL); Refresh picks it up now.
	if err := client.TemplateCache().Refresh(ctx); err != nil {
		log.Fatal(err)
	}
	if cached, ok := client.TemplateCache().Template(tpl.Code); ok {
		fmt.Printf("approved: %s, service %s\n", cached.Inspection, cached.Service)
	}
	send()
	fmt.Printf("the fake delivered %d message(s)\n", len(kakao.Sent()))
}
