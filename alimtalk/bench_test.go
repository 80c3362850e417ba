package alimtalk

import "testing"

// benchTemplate is a realistic order-confirmation template: 361 characters on 14 lines, 6
// distinct variables in 8 placeholders; the rendered text has 358 characters.
var benchTemplate = Template{
	Code: "ORDER_RECEIVED_C",
	Content: "[#{shopName}] 주문이 정상적으로 접수되었습니다.\n\n" +
		"안녕하세요, #{customerName}님. #{shopName}을(를) 이용해 주셔서 진심으로 감사드립니다.\n" +
		"고객님께서 주문하신 내역을 아래와 같이 안내해 드립니다.\n\n" +
		"□ 주문번호 : #{orderNo}\n" +
		"□ 주문상품 : #{productName}\n" +
		"□ 결제금액 : #{amount}\n" +
		"□ 배송지 안내 : 주문하신 상품은 결제 확인 후 영업일 기준 2~3일 이내에 발송될 예정입니다.\n\n" +
		"주문 상세 내역과 배송 현황은 아래 주소에서 언제든지 확인하실 수 있습니다.\n" +
		"▷ #{shopName} 바로가기 : #{shopUrl}\n\n" +
		"문의 사항이 있으시면 고객센터로 연락 주시기 바랍니다. 감사합니다.",
}

var benchVars = map[string]string{
	"shopName":     "리리비",
	"customerName": "홍길동",
	"orderNo":      "1907121609206272",
	"productName":  "유기농 순면 베이비 바디수트 3종 세트 외 2건",
	"amount":       "57,500원",
	"shopUrl":      "https://lilibi.godomall.com",
}

func BenchmarkRender(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := benchTemplate.Render(benchVars); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	text, err := benchTemplate.Render(benchVars)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := benchTemplate.Match(text); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMatchMismatch measures the error path (a changed word on the last line).
func BenchmarkMatchMismatch(b *testing.B) {
	text, err := benchTemplate.Render(benchVars)
	if err != nil {
		b.Fatal(err)
	}
	text = text[:len(text)-len("감사합니다.")] + "고맙습니다."
	b.ReportAllocs()
	for b.Loop() {
		if err := benchTemplate.Match(text); err == nil {
			b.Fatal("expected a mismatch")
		}
	}
}

// BenchmarkMatchRegexpPerCall is the naive baseline: build and compile a regexp from the
// template on every call (QuoteMeta of the literal parts, (?s:.*) per variable).
func BenchmarkMatchRegexpPerCall(b *testing.B) {
	text, err := benchTemplate.Render(benchVars)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		re, err := baselineRegexp(benchTemplate.Content)
		if err != nil {
			b.Fatal(err)
		}
		if !re.MatchString(text) {
			b.Fatal("baseline did not match")
		}
	}
}

// BenchmarkMatchRegexpPrecompiled is the regexp baseline with compilation hoisted out of the
// loop (what a caller caching compiled templates would get).
func BenchmarkMatchRegexpPrecompiled(b *testing.B) {
	text, err := benchTemplate.Render(benchVars)
	if err != nil {
		b.Fatal(err)
	}
	re, err := baselineRegexp(benchTemplate.Content)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if !re.MatchString(text) {
			b.Fatal("baseline did not match")
		}
	}
}

// BenchmarkPrepare measures the whole per-message check a provider client runs: phone,
// render, buttons, failover (EUC-KR length).
func BenchmarkPrepare(b *testing.B) {
	tpl := benchTemplate
	tpl.Buttons = []Button{{Type: ButtonWebLink, Name: "주문 상세", URLMobile: "#{shopUrl}/order/#{orderNo}"}}
	m := Message{To: "010-1234-5678", TemplateCode: tpl.Code, Variables: benchVars, Failover: &Failover{From: "02-123-4567"}}
	lim := DefaultLimits()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Prepare(&tpl, lim); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPreparer is BenchmarkPrepare through a Preparer, as provider clients prepare a
// batch: the limits defaulted and the template parsed once for the run.
func BenchmarkPreparer(b *testing.B) {
	tpl := benchTemplate
	tpl.Buttons = []Button{{Type: ButtonWebLink, Name: "주문 상세", URLMobile: "#{shopUrl}/order/#{orderNo}"}}
	m := Message{To: "010-1234-5678", TemplateCode: tpl.Code, Variables: benchVars, Failover: &Failover{From: "02-123-4567"}}
	p := NewPreparer(DefaultLimits())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Prepare(m, &tpl); err != nil {
			b.Fatal(err)
		}
	}
}
