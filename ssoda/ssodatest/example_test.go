package ssodatest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
)

// Example is the package documentation's example, exactly as written there.
func Example() {
	ctx := context.Background()
	tpl := alimtalk.Template{Code: "WELCOME_01", Name: "가입 환영", CategoryCode: "001001",
		Content: "#{name}님, 가입을 환영합니다."}

	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{tpl}})
	defer srv.Close()
	c, err := srv.NewClient() // a ssoda.Client pointed at the fake, with its templates
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.Send(ctx, []alimtalk.Message{{To: "010-1234-5678", TemplateCode: tpl.Code,
		Variables: map[string]string{"name": "홍길동"}}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res[0].Status, srv.Requests(ssodatest.CallSend), srv.Sent()[0].Text)
	// Output: accepted 1 홍길동님, 가입을 환영합니다.
}

func ExampleNewServer() {
	tpl := alimtalk.Template{Code: "WELCOME_01", Name: "가입 환영", CategoryCode: "001001",
		Content: "#{name}님, 가입을 환영합니다."}
	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{tpl}}) // approved
	defer srv.Close()

	c, err := srv.NewClient() // the server's templates come with the client
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.Send(context.Background(), []alimtalk.Message{
		{To: "010-1234-5678", TemplateCode: "WELCOME_01", Variables: map[string]string{"name": "홍길동"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res[0].Status)
	fmt.Println(srv.Sent()[0].Text)
	fmt.Println("requests:", srv.Requests(srv.Paths().SendAlimTalk), "points left:", srv.Points())
	// Output:
	// accepted
	// 홍길동님, 가입을 환영합니다.
	// requests: 1 points left: 99992
}

func ExampleServer_InjectFault() {
	tpl := alimtalk.Template{Code: "WELCOME_01", Name: "가입 환영", CategoryCode: "001001",
		Content: "#{name}님, 가입을 환영합니다."}
	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{tpl}})
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	// The server takes the message, then drops the connection before answering.
	srv.InjectFault(ssodatest.Fault{Call: ssodatest.CallSend, Kind: ssodatest.FaultDrop, CarryOut: true})
	res, _ := c.Send(context.Background(), []alimtalk.Message{
		{To: "010-1234-5678", TemplateCode: "WELCOME_01", Text: "홍길동님, 가입을 환영합니다."},
	})
	fmt.Println(res[0].Status, errors.Is(res[0].Err, ssoda.ErrOutcomeUnknown))
	fmt.Println("requests:", srv.Requests(ssodatest.CallSend), "sent:", len(srv.Sent()))
	// Output:
	// unknown true
	// requests: 1 sent: 1
}

func ExampleServer_ApproveTemplate() {
	srv := ssodatest.NewServer(ssodatest.Options{})
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	tpl := alimtalk.Template{Code: "SHIP_START", Name: "배송 시작", CategoryCode: "002002",
		Content: "#{name}님, 상품이 발송되었습니다."}
	if _, err := c.Templates.Add(ctx, ssoda.AddTemplateRequest{Template: tpl}); err != nil {
		log.Fatal(err)
	}
	if _, err := c.Templates.RequestReview(ctx, ssoda.ReviewRequest{Code: tpl.Code}); err != nil {
		log.Fatal(err)
	}
	if err := srv.ApproveTemplate(tpl.Code); err != nil {
		log.Fatal(err)
	}
	got, _ := srv.Template(tpl.Code)
	fmt.Println(got.Inspection, got.Service)
	// Output: APR A
}

func ExampleServer_SetNonKakaoUser() {
	tpl := alimtalk.Template{Code: "WELCOME_01", Name: "가입 환영", CategoryCode: "001001",
		Content: "#{name}님, 가입을 환영합니다."}
	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{tpl}, SenderNumbers: []string{"02-1234-5678"}})
	defer srv.Close()
	srv.SetNonKakaoUser("010-9999-0000")
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	_, _ = c.Send(context.Background(), []alimtalk.Message{{
		To: "010-9999-0000", TemplateCode: "WELCOME_01", Text: "홍길동님, 가입을 환영합니다.",
		Failover: &alimtalk.Failover{Content: "[케이샵] 가입을 환영합니다.", From: "02-1234-5678"},
	}})
	m := srv.Sent()[0]
	fmt.Println(m.Status, "/", m.FailoverText)
	// Output: failed over / [케이샵] 가입을 환영합니다.
}
