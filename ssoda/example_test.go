package ssoda_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
)

// exampleNow is the fixed clock of the examples: 2026-03-02 10:00 KST.
var exampleNow = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

func exampleClock() time.Time { return exampleNow }

func exampleTemplate() alimtalk.Template {
	return alimtalk.Template{
		Code: "ORDER_RECEIVED", Name: "주문 접수 안내", CategoryCode: "002001",
		Content: "#{name}님, 주문 #{orderNo}이 접수되었습니다.",
	}
}

func ExampleNewClient() {
	c, err := ssoda.NewClient(ssoda.Credentials{
		APIKey:    "api-key-from-the-console",
		TokenKey:  "token-key-from-the-console",
		SenderKey: "0123456789abcdef0123456789abcdef01234567",
	}, ssoda.WithTimeout(10*time.Second), ssoda.WithConcurrency(4))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c) // keys never print
	// Output:
	// ssoda.Client{base: https://apis.ssodaa.com, credentials: ssoda.Credentials{APIKey: REDACTED(24 chars), TokenKey: REDACTED(26 chars), SenderKey: REDACTED(40 chars)}}
}

func ExampleClient_Send() {
	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{exampleTemplate()}, Now: exampleClock})
	defer srv.Close()
	c, err := srv.NewClient(ssoda.WithConcurrency(1))
	if err != nil {
		log.Fatal(err)
	}
	results, err := c.Send(context.Background(), []alimtalk.Message{
		{To: "010-1234-5678", TemplateCode: "ORDER_RECEIVED", Ref: "order-1001",
			Variables: map[string]string{"name": "홍길동", "orderNo": "1001"}},
		{To: "02-123-4567", TemplateCode: "ORDER_RECEIVED", Ref: "order-1002", // a landline: invalid
			Variables: map[string]string{"name": "김철수", "orderNo": "1002"}},
		{To: "010-2222-3333", TemplateCode: "ORDER_RECEIVED", Ref: "order-1003",
			Variables:   map[string]string{"name": "이영희", "orderNo": "1003"},
			ScheduledAt: exampleNow.Add(2 * time.Hour)},
	})
	if err != nil {
		log.Fatal(err) // only when the whole call stopped (credentials, IP, context)
	}
	for _, r := range results {
		fmt.Println(strings.TrimSpace(fmt.Sprint(r.Ref, " ", r.Status, " ", r.MessageID)))
	}
	fmt.Println("requests:", srv.Requests(srv.Paths().SendAlimTalk))
	// Output:
	// order-1001 accepted 100000001
	// order-1002 invalid
	// order-1003 reserved 100000002
	// requests: 2
}

func ExampleTemplatesService_Add() {
	srv := ssodatest.NewServer(ssodatest.Options{Now: exampleClock})
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	tpl := exampleTemplate()
	added, err := c.Templates.Add(ctx, ssoda.AddTemplateRequest{Template: tpl})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("added:", added.Template.Inspection)

	requested, err := c.Templates.RequestReview(ctx, ssoda.ReviewRequest{Code: tpl.Code, Comment: "주문 접수 알림"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("requested:", requested.Template.Inspection)

	_ = srv.ApproveTemplate(tpl.Code) // Kakao's reviewer, played by the fake

	detail, err := c.Templates.Detail(ctx, ssoda.TemplateRef{Code: tpl.Code})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("detail:", detail.Template.Inspection, detail.Template.Service, detail.Template.CanSend() == nil)

	set, err := c.Templates.Load(ctx, ssoda.TemplateListRequest{})
	if err != nil {
		log.Fatal(err)
	}
	sender, _ := srv.NewClient(ssoda.WithTemplates(set))
	res, _ := sender.Send(ctx, []alimtalk.Message{{To: "010-1234-5678", TemplateCode: tpl.Code,
		Variables: map[string]string{"name": "홍길동", "orderNo": "1001"}}})
	fmt.Println("send:", res[0].Status)
	fmt.Println("text:", srv.Sent()[0].Text)
	// Output:
	// added: REG
	// requested: REQ
	// detail: APR A true
	// send: accepted
	// text: 홍길동님, 주문 1001이 접수되었습니다.
}

func ExampleClient_CheckAccess() {
	// The fake is told that only 203.0.113.10 is registered for the token; the test runs
	// on 127.0.0.1, as a new server would run from an unregistered address.
	srv := ssodatest.NewServer(ssodatest.Options{AllowedIPs: []string{"203.0.113.10"}})
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	report, err := c.CheckAccess(context.Background())
	fmt.Println(errors.Is(err, ssoda.ErrIPNotAllowed))
	fmt.Println(report.APIKey, report.TokenKey, report.ServerIP, report.SeenIP)

	srv.SetAllowedIPs(report.SeenIP) // what the operator does in the console
	report, err = c.CheckAccess(context.Background())
	fmt.Println(err == nil, report.OK())
	// Output:
	// true
	// ok ok refused 127.0.0.1
	// true true
}

func ExampleClient_Reconcile() {
	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{exampleTemplate()}, Now: exampleClock})
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// Ssoda takes the message, then the connection drops before the answer.
	srv.InjectFault(ssodatest.Fault{Call: ssodatest.CallSend, Kind: ssodatest.FaultDrop, CarryOut: true})
	msg := alimtalk.Message{To: "010-1234-5678", TemplateCode: "ORDER_RECEIVED",
		Variables: map[string]string{"name": "홍길동", "orderNo": "1001"}}
	sentAt := exampleNow
	res, _ := c.Send(ctx, []alimtalk.Message{msg})
	fmt.Println(res[0].Status, errors.Is(res[0].Err, ssoda.ErrOutcomeUnknown))

	// Never send it again blindly: look it up.
	rec, err := c.Reconcile(ctx, ssoda.ReconcileRequest{
		Phone: msg.To, SentAt: sentAt, Text: "홍길동님, 주문 1001이 접수되었습니다.",
		Attempts: 6, Interval: 1500 * time.Millisecond, // "not found" may mean "not listed yet"
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rec.Found, rec.Record.MessageID, rec.Record.Status)
	fmt.Println("messages sent:", len(srv.Sent()))
	// Output:
	// unknown true
	// true 100000001 succeeded
	// messages sent: 1
}

func ExampleClient_SendFriendTalk() {
	srv := ssodatest.NewServer(ssodatest.Options{Now: exampleClock})
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.SendFriendTalk(context.Background(), []ssoda.FriendTalkMessage{{
		To: "010-1234-5678", Text: "(광고) 봄 시즌 할인이 시작되었습니다.\n수신거부: 홈 > 채널 차단", Ad: true,
		Buttons: []alimtalk.Button{{Type: alimtalk.ButtonWebLink, Name: "할인 보기", URLMobile: "https://shop.example/sale"}},
	}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res[0].Status, res[0].MessageID)
	// Output: accepted 100000001
}

func ExampleReservationsService_Cancel() {
	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{exampleTemplate()}, Now: exampleClock})
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	res, _ := c.Send(ctx, []alimtalk.Message{{To: "010-1234-5678", TemplateCode: "ORDER_RECEIVED",
		Text: "홍길동님, 주문 1001이 접수되었습니다.", ScheduledAt: exampleNow.Add(24 * time.Hour)}})
	fmt.Println(res[0].Status, res[0].ScheduledAt.Format("2006-01-02 15:04 MST"))

	if _, err := c.Reservations.Cancel(ctx, ssoda.CancelRequest{MessageID: res[0].MessageID}); err != nil {
		log.Fatal(err)
	}
	fmt.Println("waiting reservations:", len(srv.Reservations()))
	// Output:
	// reserved 2026-03-03 10:00 KST
	// waiting reservations: 0
}

func ExampleHistoryService_AllAlimTalk() {
	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{exampleTemplate()}, Now: exampleClock})
	defer srv.Close()
	c, err := srv.NewClient(ssoda.WithConcurrency(1))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	srv.SetNonKakaoUser("010-3333-4444")
	_, _ = c.Send(ctx, []alimtalk.Message{
		{To: "010-1111-2222", TemplateCode: "ORDER_RECEIVED", Text: "홍길동님, 주문 1001이 접수되었습니다."},
		{To: "010-3333-4444", TemplateCode: "ORDER_RECEIVED", Text: "김철수님, 주문 1002이 접수되었습니다.",
			Failover: &alimtalk.Failover{}},
	})
	for r, err := range c.History.AllAlimTalk(ctx, ssoda.ListRequest{Limit: 1}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.MessageID, r.MaskedTo(), r.Status, r.FailoverText != "")
	}
	// Output:
	// 100000002 010-****-4444 failed true
	// 100000001 010-****-2222 succeeded false
}

func ExampleAccountService_CheckSenderNumber() {
	srv := ssodatest.NewServer(ssodatest.Options{SenderNumbers: []string{"02-1234-5678"}})
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Account.CheckSenderNumber(ctx, "02-1234-5678"); err == nil {
		fmt.Println("02-1234-5678 can send failover messages")
	}
	_, err = c.Account.CheckSenderNumber(ctx, "1588-0000")
	fmt.Println(err)
	// Output:
	// 02-1234-5678 can send failover messages
	// ssoda: sender number 1588-**** is not registered (Ssoda console: 문자서비스 > 발신번호관리)
}

func ExampleProfilesService_Create() {
	srv := ssodatest.NewServer(ssodatest.Options{})
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Profiles.RequestToken(ctx, ssoda.ProfileTokenRequest{ChannelID: "@kshop", AdminPhone: "010-1234-5678"}); err != nil {
		log.Fatal(err)
	}
	// The administrator reads the token from the text Kakao sent.
	p, err := c.Profiles.Create(ctx, ssoda.CreateProfileRequest{
		Token: ssodatest.DefaultProfileToken, AdminPhone: "010-1234-5678", ChannelID: "@kshop", CategoryCode: "00200020001",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.ChannelID, len(p.SenderKey))
	// Output: @kshop 40
}

func ExampleWithPaths() {
	// Suppose Ssoda's FriendTalk send turns out to live elsewhere than the inferred default:
	// point the client (and the fake, in tests) at the real path.
	paths := ssoda.Paths{SendFriendTalk: "/kakao/friendtalk/send"}
	srv := ssodatest.NewServer(ssodatest.Options{Paths: paths})
	defer srv.Close()
	c, err := srv.NewClient(ssoda.WithPaths(paths))
	if err != nil {
		log.Fatal(err)
	}
	res, _ := c.SendFriendTalk(context.Background(), []ssoda.FriendTalkMessage{{To: "010-1234-5678", Text: "안녕하세요"}})
	fmt.Println(res[0].Status, srv.Requests("/kakao/friendtalk/send"))
	// Output: accepted 1
}

func ExampleParseDeliveryStatus() {
	for _, s := range []string{"대기중", "성공", "실패", "알수없음"} {
		fmt.Println(s, ssoda.ParseDeliveryStatus(s))
	}
	// Output:
	// 대기중 pending
	// 성공 succeeded
	// 실패 failed
	// 알수없음 unknown
}
