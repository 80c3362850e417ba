package lunasoft_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/lunasoft"
	"github.com/kshop-dev/kshop/lunasoft/lunasofttest"
)

var exampleTemplates = []lunasoft.CatalogTemplate{
	{ID: 50035, Alias: "SHIPPING_STARTED", Tracking: true, Template: alimtalk.Template{
		Content: "#{customerName}님, 상품이 발송되었습니다.\n택배사: #{courier}\n송장번호: #{waybillNo}"}},
}

func ExampleClient_Send() {
	srv := lunasofttest.NewServer(lunasofttest.Options{Templates: exampleTemplates})
	defer srv.Close()
	c, err := srv.NewClient() // pointed at the fake, with its TemplateCatalog
	if err != nil {
		panic(err)
	}
	res, err := c.Send(context.Background(), []alimtalk.Message{{
		To: "010-1234-5678", TemplateCode: "SHIPPING_STARTED", Ref: "order-1-shipped",
		Variables: map[string]string{"customerName": "홍길동", "courier": "우체국택배", "waybillNo": "6012345678901"},
	}})
	if err != nil {
		panic(err)
	}
	sent := srv.Sent()[0]
	fmt.Println(res[0].Status, res[0].Ref, res[0].To)
	fmt.Println("template_id", sent.TemplateID, "carrier_code", sent.CarrierCode, "invoice_number", sent.InvoiceNumber)
	fmt.Println(srv.Requests(lunasofttest.CallSend), "request")
	// Output:
	// accepted order-1-shipped 01012345678
	// template_id 50035 carrier_code 2 invoice_number 6012345678901
	// 1 request
}

func ExampleNewHandler() {
	tracker := lunasoft.NewPendingTracker(lunasoft.PendingOptions{Window: time.Hour})
	h, err := lunasoft.NewHandler(func(ctx context.Context, o lunasoft.Outcome) error {
		fmt.Println(o.Ref, o.Status, o.Channel, o.Code, o.Settled != nil)
		return nil // answer 200 only once the outcome is stored
	}, lunasoft.WebhookOptions{Secret: "s3cret", Pending: tracker})
	if err != nil {
		panic(err)
	}
	tracker.Add(alimtalk.Result{Ref: "order-1", Status: alimtalk.StatusUnknown, SentAt: time.Now()})

	for range 2 { // Lunasoft may deliver the same result twice
		r := httptest.NewRequest("POST", "/lunasoft?token=s3cret", strings.NewReader(
			`{"type":"AT","message_group_id":"g1","message_id":"m1","custom_key":"order-1","code":"1000","response_dt":"2030-01-02 10:00:03"}`))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code)
	}
	fmt.Println("pending:", tracker.Len())
	// Output:
	// order-1 delivered AlimTalk 1000 true
	// 200
	// 200
	// pending: 0
}

func ExampleLoadTemplateCatalog() {
	cat, err := lunasoft.LoadTemplateCatalog(strings.NewReader(`{"templates":[
		{"id": 50034, "alias": "ORDER_RECEIVED", "content": "#{customerName}님의 주문이 접수되었습니다."}]}`))
	if err != nil {
		panic(err)
	}
	t, _ := cat.Template("ORDER_RECEIVED")
	text, _ := t.Render(map[string]string{"customerName": "홍길동"})
	fmt.Println(cat.IDs(), text)

	_, err = lunasoft.LoadTemplateCatalog(strings.NewReader(`{"templates":[{"id":"abc","content":""}]}`))
	fmt.Println(errors.Is(err, lunasoft.ErrInvalid))
	// Output:
	// [50034] 홍길동님의 주문이 접수되었습니다.
	// true
}

func ExampleCourierTable_Lookup() {
	couriers := lunasoft.DefaultCouriers()
	for _, name := range []string{"우체국택배", "CJ대한통운", "로젠"} {
		c, _ := couriers.Lookup(name)
		fmt.Println(name, c)
	}
	couriers.Set(8, "롯데택배") // if Lunasoft numbers a courier differently
	c, _ := couriers.Lookup("롯데택배")
	fmt.Println("롯데택배", c)
	// Output:
	// 우체국택배 2
	// CJ대한통운 1
	// 로젠 7
	// 롯데택배 8
}

func ExamplePendingTracker() {
	now := time.Date(2030, 1, 2, 10, 0, 0, 0, time.UTC)
	tracker := lunasoft.NewPendingTracker(lunasoft.PendingOptions{Window: 30 * time.Minute, Now: func() time.Time { return now }})
	tracker.Add(
		alimtalk.Result{Ref: "a", Status: alimtalk.StatusUnknown, SentAt: now},
		alimtalk.Result{Ref: "b", Status: alimtalk.StatusUnknown, SentAt: now},
		alimtalk.Result{Ref: "c", Status: alimtalk.StatusAccepted, SentAt: now}, // known: not tracked
	)
	tracker.Settle("a") // its webhook arrived
	now = now.Add(time.Hour)
	for _, p := range tracker.Overdue() {
		fmt.Println("still unknown:", p.Result.Ref)
	}
	// Output:
	// still unknown: b
}

func ExampleParseOutcomes() {
	out, _ := lunasoft.ParseOutcomes("application/x-www-form-urlencoded", []byte("custom_key=order-2&type=SMS&code=1000"))
	fmt.Println(out[0].Ref, out[0].Status)
	// Output:
	// order-2 delivered by SMS
}

func ExampleNewClient() {
	c, err := lunasoft.NewClient(lunasoft.Credentials{UserID: "shop01", APIKey: "0123456789abcdef0123456789abcdef01234567"},
		lunasoft.WithChunkSize(500), lunasoft.WithConcurrency(2))
	if err != nil {
		panic(err)
	}
	fmt.Println(c)
	// Output:
	// lunasoft.Client{base: https://jupiter.lunasoft.co.kr, credentials: lunasoft.Credentials{UserID: shop01, APIKey: REDACTED(40 chars)}}
}
