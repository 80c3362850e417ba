package reliability_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda"
)

// The check every cell of the suite makes, on one of them: a 503 after the request was
// written leaves the send's outcome unknown, and the shared surface says so whatever the
// vendor (errors.Is with kshop.ErrOutcomeUnknown, errors.As with kshop.APIError).
func Example() {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}), ReadHeaderTimeout: time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	c, _ := ssoda.NewClient(ssoda.Credentials{APIKey: "api-key", TokenKey: "token-key", SenderKey: "0123456789abcdef0123456789abcdef01234567"},
		ssoda.WithBaseURL("http://"+ln.Addr().String()), ssoda.WithRetry(2, 0))
	results, _ := c.Send(context.Background(), []alimtalk.Message{{
		To: "010-1234-5678", TemplateCode: "ORDER_RECEIVED", Text: "주문이 접수되었습니다.",
	}})
	r := results[0]
	var apiErr kshop.APIError
	fmt.Println(r.Status, errors.Is(r.Err, kshop.ErrOutcomeUnknown), r.Status.SafeToRetry())
	if errors.As(r.Err, &apiErr) {
		fmt.Println(apiErr.HTTPStatusCode(), apiErr.OutcomeUnknown(), apiErr.Retryable())
	}
	// Output:
	// unknown true false
	// 503 true false
}
