package ssoda_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
)

const (
	mockBase      = "https://apis.ssodaa.com"
	testAPIKey    = "test-api-key-0000111122223333"
	testTokenKey  = "test-token-key-4444555566667777"
	testSenderKey = "fedcba9876543210fedcba9876543210fedcba98"
)

var testCreds = ssoda.Credentials{APIKey: testAPIKey, TokenKey: testTokenKey, SenderKey: testSenderKey}

// orderTemplate is an approved-style template with a variable in its button link.
func orderTemplate() alimtalk.Template {
	return alimtalk.Template{
		Code:         "ORDER_RECEIVED",
		Name:         "주문 접수 안내",
		Content:      "[#{shop}] #{name}님, 주문 #{orderNo}이 접수되었습니다.\n감사합니다.",
		CategoryCode: "002001",
		Buttons: []alimtalk.Button{{Type: alimtalk.ButtonWebLink, Name: "주문 확인",
			URLMobile: "https://shop.example/orders/#{orderNo}"}},
	}
}

func orderVars(orderNo string) map[string]string {
	return map[string]string{"shop": "케이샵", "name": "홍길동", "orderNo": orderNo}
}

func orderText(orderNo string) string {
	return "[케이샵] 홍길동님, 주문 " + orderNo + "이 접수되었습니다.\n감사합니다."
}

func orderMessage(to, orderNo string) alimtalk.Message {
	return alimtalk.Message{To: to, TemplateCode: "ORDER_RECEIVED", Variables: orderVars(orderNo), Ref: "order-" + orderNo}
}

// fixedClock returns a settable clock for the fake and the client.
type fixedClock struct{ t time.Time }

func (c *fixedClock) now() time.Time { return c.t }

// newFake starts a fake with the order template approved, and a client for it, which renders
// from the fake's templates.
func newFake(t *testing.T, opts ssodatest.Options, extra ...ssoda.Option) (*ssodatest.Server, *ssoda.Client) {
	t.Helper()
	if opts.Templates == nil {
		opts.Templates = []alimtalk.Template{orderTemplate()}
	}
	srv := ssodatest.NewServer(opts)
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(extra...) // the fake's templates come with the client
	require.NoError(t, err)
	return srv, c
}

// newMock returns a client talking to an httpmock transport.
func newMock(t *testing.T, opts ...ssoda.Option) (*ssoda.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	all := append([]ssoda.Option{ssoda.WithHTTPClient(&http.Client{Transport: mt}), ssoda.WithRetry(2, 0)}, opts...)
	c, err := ssoda.NewClient(testCreds, all...)
	require.NoError(t, err)
	return c, mt
}

func calls(mt *httpmock.MockTransport, path string) int {
	return mt.GetCallCountInfo()["POST "+mockBase+path]
}

// respond registers a JSON answer for path.
func respond(mt *httpmock.MockTransport, path string, status int, body string) {
	mt.RegisterResponder(http.MethodPost, mockBase+path, func(*http.Request) (*http.Response, error) {
		r := httpmock.NewStringResponse(status, body)
		r.Header.Set("Content-Type", "application/json")
		return r, nil
	})
}
