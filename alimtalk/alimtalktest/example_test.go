package alimtalktest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/alimtalktest"
)

func ExampleSender() {
	templates := alimtalk.NewTemplateSet(alimtalk.Template{Code: "HELLO", Content: "#{name}님 안녕하세요"})
	fake := alimtalktest.NewSender(alimtalktest.WithTemplates(templates))

	results, err := fake.Send(context.Background(), []alimtalk.Message{
		{To: "010-1234-5678", TemplateCode: "HELLO", Variables: map[string]string{"name": "홍길동"}, Ref: "r1"},
		{To: "010-12", TemplateCode: "HELLO", Variables: map[string]string{"name": "김철수"}, Ref: "r2"},
	})
	fmt.Println(err)
	for _, r := range results {
		fmt.Printf("%s %s %q\n", r.Ref, r.Status, r.MessageID)
	}
	fmt.Println(fake.Calls(), len(fake.Messages()), fake.SentTo("01012345678")[0].Text)
	// Output:
	// <nil>
	// r1 accepted "fake-1"
	// r2 invalid ""
	// 1 2 홍길동님 안녕하세요
}

func ExampleSender_RejectPhone() {
	fake := alimtalktest.NewSender()
	fake.RejectPhone("010-1234-5678", nil) // any written form of the number

	results, _ := fake.Send(context.Background(), []alimtalk.Message{
		{To: "+82 10 1234 5678", TemplateCode: "T", Text: "안내"},
	})
	var rej *alimtalktest.Rejection
	fmt.Println(results[0].Status, errors.As(results[0].Err, &rej), rej.Code())
	// Output: rejected true 3018
}

func ExampleSender_UnknownRef() {
	fake := alimtalktest.NewSender()
	fake.UnknownRef("order-1/customer")

	results, _ := fake.Send(context.Background(), []alimtalk.Message{
		{To: "010-1234-5678", TemplateCode: "T", Text: "안내", Ref: "order-1/customer"},
	})
	fmt.Println(results[0].Status, errors.Is(results[0].Err, alimtalk.ErrOutcomeUnknown))
	// Output: unknown true
}

func ExampleSender_FailCalls() {
	fake := alimtalktest.NewSender()
	fake.FailCalls(errors.New("connection refused"))

	_, err := fake.Send(context.Background(), []alimtalk.Message{{To: "010-1234-5678", TemplateCode: "T", Text: "안내"}})
	fmt.Println(err, fake.Records()[0].Result.Status)

	fake.FailCalls(nil)
	results, _ := fake.Send(context.Background(), []alimtalk.Message{{To: "010-1234-5678", TemplateCode: "T", Text: "안내"}})
	fmt.Println(results[0].Status, len(fake.Accepted()))
	// Output:
	// connection refused not sent
	// accepted 1
}

func ExampleSender_dispatcher() {
	templates := alimtalk.NewTemplateSet(alimtalk.Template{Code: "JOIN", Content: "#{customerName}님, #{shopName} 가입을 환영합니다."})
	fake := alimtalktest.NewSender(alimtalktest.WithTemplates(templates))
	d, err := alimtalk.NewDispatcher(alimtalk.Config{
		Enabled: true, MemberEnabled: true,
		ShopName: "리리비", ShopURL: "https://lilibi.example.com", SenderNumber: "1588-1234",
		Events: map[alimtalk.EventKind]alimtalk.EventConfig{
			alimtalk.EventMemberJoined: {Enabled: true, TemplateCode: "JOIN"},
		},
	}, fake, templates)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, _ = d.Dispatch(context.Background(), alimtalk.Event{Kind: alimtalk.EventMemberJoined, ID: "member-42",
		CustomerName: "홍길동", CustomerPhone: "010-1234-5678"})
	fmt.Println(fake.SentTo("010-1234-5678")[0].Text)
	// Output: 홍길동님, 리리비 가입을 환영합니다.
}
