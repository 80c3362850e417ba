package alimtalk_test

import (
	"fmt"

	"github.com/kshop-dev/kshop/alimtalk"
)

// A provider client preparing a large batch keeps one Preparer per goroutine: the template's
// content is parsed and checked once for the whole run of messages.
func ExamplePreparer() {
	tpl := &alimtalk.Template{Code: "ORDER_RECEIVED", Content: "#{customerName}님의 주문 #{orderNo}이(가) 접수되었습니다."}
	p := alimtalk.NewPreparer(alimtalk.Limits{})
	for _, m := range []alimtalk.Message{
		{To: "010-1234-5678", TemplateCode: "ORDER_RECEIVED", Variables: map[string]string{"customerName": "홍길동", "orderNo": "A-1"}},
		{To: "010-1234-5679", TemplateCode: "ORDER_RECEIVED", Variables: map[string]string{"customerName": "김철수"}},
	} {
		prepared, err := p.Prepare(m, tpl)
		if err != nil {
			fmt.Println("invalid:", err)
			continue
		}
		fmt.Println(prepared.To, prepared.Text)
	}
	// Output:
	// 01012345678 홍길동님의 주문 A-1이(가) 접수되었습니다.
	// invalid: alimtalk: Variables (variables): missing variables: missing template variables: #{orderNo}
}
