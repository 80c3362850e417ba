package alimtalk_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/alimtalktest"
)

func ExampleTemplate_Render() {
	tpl := alimtalk.Template{
		Code:    "ORDER_01",
		Content: "[#{shopName}] #{고객명}님의 주문이 접수되었습니다.\n□주문번호 : #{orderNo}",
	}
	text, err := tpl.Render(map[string]string{"shopName": "리리비", "고객명": "홍길동", "orderNo": "1907121609206272"})
	fmt.Println(text, err)

	_, err = tpl.Render(map[string]string{"shopName": "리리비"})
	fmt.Println(err)
	// Output:
	// [리리비] 홍길동님의 주문이 접수되었습니다.
	// □주문번호 : 1907121609206272 <nil>
	// alimtalk: missing template variables: #{고객명}, #{orderNo}
}

func ExampleTemplate_Match() {
	tpl := alimtalk.Template{Code: "ORDER_01", Content: "#{name}님의 주문이 접수되었습니다.\n□주문번호 : #{orderNo}"}

	fmt.Println(tpl.Match("홍길동님의 주문이 접수되었습니다.\n□주문번호 : 1907"))

	err := tpl.Match("홍길동님의 주문이 접수되었습니다. □주문번호 : 1907")
	var mm *alimtalk.MismatchError
	if errors.As(err, &mm) {
		fmt.Println(mm.Line, mm.Column, mm.KakaoCode())
	}
	fmt.Println(err)
	// Output:
	// <nil>
	// 1 19 3016
	// alimtalk: text does not match template "ORDER_01" at line 1, column 19: expected "\n□주문번호 : " (Kakao 3016)
}

func ExampleTemplate_Variables() {
	tpl := alimtalk.Template{Content: "#{고객명}님, #{주문번호} 주문이 #{고객명}님께 발송되었습니다. #{} is literal"}
	fmt.Println(tpl.Variables())
	// Output: [고객명 주문번호]
}

func ExampleTemplate_Validate() {
	tpl := alimtalk.Template{
		Code:        "AD_01",
		Content:     "#{name}님, 신상품이 입고되었습니다.",
		MessageType: alimtalk.MessageChannelAd,
		Emphasis:    alimtalk.EmphasisText,
		Title:       "신상품 입고",
		Buttons:     []alimtalk.Button{{Type: alimtalk.ButtonWebLink, Name: "보러 가기", URLMobile: "https://shop.example.com"}},
	}
	err := tpl.Validate(alimtalk.Limits{})
	var problems alimtalk.FieldErrors
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Println(p.Field, "-", p.Reason)
		}
	}
	// Output:
	// Ad - required
	// Buttons[0].Type - required
	// Subtitle - required
}

func ExampleValidateTemplateCode() {
	fmt.Println(alimtalk.ValidateTemplateCode("ORDER_RECEIVED_01"))
	fmt.Println(alimtalk.ValidateTemplateCode("주문_접수_코드"))
	fmt.Println(alimtalk.Limits{TemplateCodeMax: 20}.ValidateTemplateCode("ORDER_RECEIVED_CUSTOMER"))
	// Output:
	// <nil>
	// alimtalk: TemplateCode (template_code): invalid: only A-Z, a-z, 0-9, '_' and '-' are allowed
	// alimtalk: TemplateCode (template_code): too long (23, limit 20)
}

func ExampleValidateButtons() {
	err := alimtalk.ValidateButtons([]alimtalk.Button{
		{Type: alimtalk.ButtonWebLink, Name: "주문 상세 보기", URLMobile: "https://shop.example.com/order/#{orderNo}"},
		{Type: alimtalk.ButtonAppLink, Name: "앱에서 보기", SchemeIOS: "shop://order"},
		{Type: alimtalk.ButtonChannelAdd, Name: "채널 추가"},
	}, false, alimtalk.Limits{})
	fmt.Println(err)
	// Output: alimtalk: 2 problems: Buttons[1] (buttons[1]): required: app-link buttons need two of scheme_android, scheme_ios and url_mobile; Buttons[2].Type (buttons[2].type): not allowed: a channel-add (AC) button must be the first button
}

func ExampleTemplateState_CanSend() {
	s := alimtalk.TemplateState{Inspection: alimtalk.InspectionRequested, Service: alimtalk.ServiceReady}
	fmt.Println(s.CanSend())
	fmt.Println(s.CanCancelReview())

	s, _ = s.Apply(alimtalk.ActionApprove) // Kakao approves
	fmt.Println(s.Inspection, s.Service, s.CanSend())
	fmt.Println(s.CanEdit())
	// Output:
	// alimtalk: cannot send: only approved (APR) templates can be sent; inspection is REQ
	// <nil>
	// APR A <nil>
	// alimtalk: cannot edit: only templates never put in service (status R) can change; status is A
}

func ExampleTemplateState_Apply() {
	s := alimtalk.TemplateState{Inspection: alimtalk.InspectionRegistered, Service: alimtalk.ServiceReady}
	for _, a := range []alimtalk.Action{alimtalk.ActionRequestReview, alimtalk.ActionReject, alimtalk.ActionRequestReview, alimtalk.ActionEdit, alimtalk.ActionRequestReview} {
		next, err := s.Apply(a)
		if err != nil {
			fmt.Println(a, "→", err)
			continue
		}
		s = next
		fmt.Println(a, "→", s.Inspection)
	}
	// Output:
	// request review → REQ
	// reject → REJ
	// request review → alimtalk: cannot request review: a rejected (REJ) template must be edited before it is submitted again
	// edit → REG
	// request review → REQ
}

func ExampleMessage_Prepare() {
	tpl := &alimtalk.Template{
		Code:    "SHIP_01",
		Content: "#{name}님, 상품이 발송되었습니다.\n송장번호: #{waybillNo}",
		Buttons: []alimtalk.Button{{Type: alimtalk.ButtonWebLink, Name: "배송 조회", URLMobile: "https://shop.example.com/track/#{waybillNo}"}},
	}
	m := alimtalk.Message{
		To:           "+82 10-1234-5678",
		TemplateCode: "SHIP_01",
		Variables:    map[string]string{"name": "홍길동", "waybillNo": "123456789012"},
		Failover:     &alimtalk.Failover{From: "02-123-4567"},
		Ref:          "order-1907/ship",
	}
	ready, err := m.Prepare(tpl, alimtalk.Limits{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ready.To)
	fmt.Println(ready.Text)
	fmt.Println(ready.Buttons[0].URLMobile)
	fmt.Println(ready.Failover.Kind, ready.Failover.From)
	// Output:
	// 01012345678
	// 홍길동님, 상품이 발송되었습니다.
	// 송장번호: 123456789012
	// https://shop.example.com/track/123456789012
	// SMS 021234567
}

func ExampleMessage_Validate() {
	m := alimtalk.Message{To: "010-1234-567", TemplateCode: "T1", Text: "#{name}님 안녕하세요"}
	err := m.Validate(alimtalk.Limits{})
	fmt.Println(err)

	var pe *alimtalk.PhoneError
	fmt.Println(errors.As(err, &pe), pe.Reason == alimtalk.PhoneLength)
	// Output:
	// alimtalk: 2 problems: To (to): invalid: phone: invalid number: wrong number of digits for its prefix (******4567); Text (text): missing variables: the text still holds placeholders: missing template variables: #{name}
	// true true
}

func ExampleFailover() {
	m := alimtalk.Message{
		To:           "010-1234-5678",
		TemplateCode: "ORDER",
		Text:         "[리리비] 홍길동님의 주문이 접수되었습니다. 주문번호 1907121609206272, 결제금액 7,500원. 감사합니다.",
		Failover:     &alimtalk.Failover{Kind: alimtalk.FailoverSMS, From: "1588-1234"},
	}
	_, err := m.Prepare(nil, alimtalk.Limits{})
	fmt.Println(err)

	m.Failover = &alimtalk.Failover{From: "1588-1234", Subject: "[리리비] 주문 안내"} // FailoverAuto
	got, err := m.Prepare(nil, alimtalk.Limits{})
	fmt.Println(got.Failover.Kind, got.Failover.From, got.Failover.Subject, err)
	// Output:
	// alimtalk: Failover.Content (failover.content): too long (99, limit 90): EUC-KR bytes for a forced SMS; use FailoverAuto or FailoverLMS
	// LMS 15881234 [리리비] 주문 안내 <nil>
}

func ExampleNewDispatcher() {
	cfg := alimtalk.Config{Enabled: true, OrderEnabled: true, ShopName: "리리비"}
	_, err := alimtalk.NewDispatcher(cfg, alimtalktest.NewSender(), alimtalk.TemplateSet{})
	fmt.Println(errors.Is(err, alimtalk.ErrConfig))
	fmt.Println(err)
	// Output:
	// true
	// alimtalk: invalid dispatcher configuration: ShopURL (shop_url): required: set the shop's domain: nothing is sent without it; SenderNumber (sender_number): required: set the registered SMS sender number
}

func ExampleDispatcher_Dispatch() {
	templates := alimtalk.NewTemplateSet(
		alimtalk.Template{Code: "ORDER_C", Content: "[#{shopName}] #{customerName}님의 주문이 접수되었습니다.\n□주문번호 : #{orderNo}\n□결제금액 : #{amount}"},
		alimtalk.Template{Code: "ORDER_O", Content: "[#{shopName}] 새 주문 #{orderNo} (#{amount})"},
	)
	cfg := alimtalk.Config{
		Enabled: true, OrderEnabled: true,
		ShopName:       "리리비",
		ShopURL:        "https://lilibi.godomall.com",
		SenderNumber:   "02-123-4567",
		OperatorPhones: []string{"010-9000-0001"},
		QuietHours:     alimtalk.DefaultQuietHours(),
		Events: map[alimtalk.EventKind]alimtalk.EventConfig{
			alimtalk.EventOrderReceived: {Enabled: true, TemplateCode: "ORDER_C", OperatorTemplateCode: "ORDER_O", Audience: alimtalk.AudienceBoth},
		},
	}
	night := func() time.Time { return time.Date(2024, 7, 12, 22, 30, 0, 0, kshop.KST()) }
	// In production: a provider client such as ssoda's, and no clocks.
	provider := alimtalktest.NewSender(alimtalktest.WithClock(night))
	d, err := alimtalk.NewDispatcher(cfg, provider, templates, alimtalk.WithClock(night))
	if err != nil {
		fmt.Println(err)
		return
	}
	ev := alimtalk.Event{
		Kind: alimtalk.EventOrderReceived, ID: "1907121609206272",
		OrderNo: "1907121609206272", CustomerName: "홍길동", CustomerPhone: "010-1234-5678", Amount: 7500,
	}
	report, err := d.Dispatch(context.Background(), ev)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, del := range report.Deliveries {
		at := "now"
		if !del.ScheduledAt.IsZero() {
			at = del.ScheduledAt.Format("01-02 15:04")
		}
		fmt.Println(del.Audience, del.TemplateCode, del.Status, at)
	}
	fmt.Println(provider.Accepted()[0].Text)

	// A retried dispatch of the same event gets the same Refs and sends nothing.
	again, _ := d.Dispatch(context.Background(), ev)
	fmt.Println(again.Deliveries[0].Ref == report.Deliveries[0].Ref, again.Deliveries[0].Status, provider.Calls())
	// Output:
	// customer ORDER_C reserved 07-13 08:00
	// operator ORDER_O accepted now
	// [리리비] 홍길동님의 주문이 접수되었습니다.
	// □주문번호 : 1907121609206272
	// □결제금액 : 7,500원
	// true duplicate 1
}

func ExampleDeliveryRef() {
	a := alimtalk.DeliveryRef(alimtalk.EventOrderReceived, "1907121609206272", alimtalk.AudienceCustomer, "010-1234-5678")
	b := alimtalk.DeliveryRef(alimtalk.EventOrderReceived, "1907121609206272", alimtalk.AudienceCustomer, "+82 10 1234 5678")
	fmt.Println(a == b, len(a))
	// Output: true 35
}

func ExampleFormatWon() {
	fmt.Println(alimtalk.FormatWon(7500), alimtalk.FormatWon(1234567))
	// Output: 7,500원 1,234,567원
}

func ExampleQuietHours_Contains() {
	q := alimtalk.DefaultQuietHours() // 21:00–08:00 KST
	fmt.Println(q.Contains(time.Date(2024, 7, 12, 23, 15, 0, 0, kshop.KST())))
	fmt.Println(q.Contains(time.Date(2024, 7, 12, 14, 0, 0, 0, kshop.KST())))
	// Output:
	// true
	// false
}

func ExampleGodomallVariableNames() {
	names := alimtalk.GodomallVariableNames()
	fmt.Println(names[alimtalk.FieldShopName], names[alimtalk.FieldAmountNumber])
	// Output: rc_mallNm settlePrice
}

func ExampleMemoryLedger() {
	l := alimtalk.NewMemoryLedger(1000)
	first, _ := l.Claim(context.Background(), "at-0123")
	second, _ := l.Claim(context.Background(), "at-0123")
	fmt.Println(first, second)
	// Output: true false
}

func ExampleEventKinds() {
	for _, k := range alimtalk.EventKinds()[:3] {
		fmt.Println(k, k.Group(), k.Label())
	}
	// Output:
	// order.received order 주문접수
	// order.bank_transfer order 무통장 주문접수
	// order.deposit_request order 입금요청
}
