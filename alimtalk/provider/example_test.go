package provider_test

import (
	"fmt"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/provider"
)

func ExamplePrepareBatch() {
	templates := alimtalk.NewTemplateSet(alimtalk.Template{Code: "HELLO", Content: "#{name}님 안녕하세요"})
	msgs := []alimtalk.Message{
		{To: "010-1234-5678", TemplateCode: "HELLO", Variables: map[string]string{"name": "홍길동"}, Ref: "a"},
		{To: "010-12", TemplateCode: "HELLO", Variables: map[string]string{"name": "김철수"}, Ref: "b"},
	}
	b := provider.PrepareBatch(msgs, templates, alimtalk.Limits{})
	fmt.Println(len(b.Ready), b.Ready[0].Text)

	// A provider client sends b.Ready and merges its answer back.
	results, _ := b.Complete([]alimtalk.Result{{MessageID: "m-1", Status: alimtalk.StatusAccepted}}, nil)
	for _, r := range results {
		fmt.Printf("%s %s %q\n", r.Ref, r.Status, r.MessageID)
	}
	// Output:
	// 1 홍길동님 안녕하세요
	// a accepted "m-1"
	// b invalid ""
}

func ExampleSplitByTemplate() {
	msgs := []alimtalk.Message{{TemplateCode: "ORDER"}, {TemplateCode: "SHIP"}, {TemplateCode: "ORDER"}}
	for _, g := range provider.SplitByTemplate(msgs) {
		fmt.Println(g.TemplateCode, g.Indexes)
	}
	// Output:
	// ORDER [0 2]
	// SHIP [1]
}

// A Sender that sends messages one at a time writes each Result in place as it goes.
func ExampleBatch_CompleteOne() {
	msgs := []alimtalk.Message{
		{To: "010-1234-5678", TemplateCode: "ORDER", Text: "주문이 접수되었습니다", Ref: "a"},
		{To: "010-12", TemplateCode: "ORDER", Text: "주문이 접수되었습니다", Ref: "b"},
	}
	b := provider.PrepareBatch(msgs, nil, alimtalk.Limits{})
	results := make([]alimtalk.Result, len(msgs))
	b.InvalidInto(results)
	for j := range b.Ready {
		answer := alimtalk.Result{MessageID: "m-1", Status: alimtalk.StatusAccepted} // the vendor's answer
		results[b.Position(j)] = b.CompleteOne(j, answer)
	}
	for _, r := range results {
		fmt.Printf("%s %s %q\n", r.Ref, r.Status, r.MessageID)
	}
	// Output:
	// a accepted "m-1"
	// b invalid ""
}
