package lunasofttest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/lunasoft"
	"github.com/kshop-dev/kshop/lunasoft/lunasofttest"
)

func Example() {
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer hook.Close()
	srv := lunasofttest.NewServer(lunasofttest.Options{
		Templates:  []lunasoft.CatalogTemplate{{ID: 50034, Template: alimtalk.Template{Content: "#{name}님 주문이 접수되었습니다."}}},
		WebhookURL: hook.URL, NonKakaoUsers: []string{"010-2222-3333"},
	})
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		panic(err)
	}
	// The second answer is lost after the fake carried the request out.
	srv.InjectFault(lunasofttest.Fault{Call: lunasofttest.CallSend, Kind: lunasofttest.FaultDrop, CarryOut: true})
	res, err := c.Send(context.Background(), []alimtalk.Message{
		{To: "010-2222-3333", TemplateCode: "50034", Ref: "r1", Variables: map[string]string{"name": "홍길동"},
			Failover: &alimtalk.Failover{}},
	})
	if err != nil {
		panic(err)
	}
	srv.FlushWebhooks()
	fmt.Println(res[0].Status, srv.Requests(lunasofttest.CallSend), len(srv.Sent()))
	for _, d := range srv.Webhooks() {
		fmt.Println(d.Ref, d.Status)
	}
	fmt.Println(srv.Sent()[0].Outcome)
	// Output:
	// unknown 1 1
	// r1 200
	// r1 200
	// delivered by SMS
}
