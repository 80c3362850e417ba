package lunasoft_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/lunasoft"
	"github.com/kshop-dev/kshop/lunasoft/lunasofttest"
)

// testNow is the clock of the tests: 2030-01-02 10:00 KST.
func testNow() time.Time { return time.Date(2030, 1, 2, 10, 0, 0, 0, time.FixedZone("KST", 9*3600)) }

const (
	orderID    = 50034 // a plain template
	shipID     = 50035 // a delivery-tracking template with a link button
	emphasisID = 50036 // an emphasis template
	testUserID = "shop01"
	testAPIKey = "abcdefghij0123456789abcdefghij0123456789" // 40 characters
)

// testTemplates are the account's templates.
func testTemplates() []lunasoft.CatalogTemplate {
	return []lunasoft.CatalogTemplate{
		{ID: orderID, Alias: "ORDER_RECEIVED", Template: alimtalk.Template{Name: "주문접수",
			Content: "#{customerName}님의 주문 #{orderNo}이(가) 접수되었습니다."}},
		{ID: shipID, Alias: "SHIPPING_STARTED", Tracking: true, Template: alimtalk.Template{Name: "배송시작",
			Content: "#{customerName}님, 상품이 발송되었습니다.\n택배사: #{courier}\n송장번호: #{waybillNo}",
			Buttons: []alimtalk.Button{{Type: alimtalk.ButtonWebLink, Name: "주문 확인", URLMobile: "https://shop.example/o/#{orderNo}"}}}},
		{ID: emphasisID, Template: alimtalk.Template{Name: "포인트", Content: "#{name}님의 포인트가 적립되었습니다.",
			Emphasis: alimtalk.EmphasisText, Title: "#{point}P 적립", Subtitle: "포인트 안내"}},
	}
}

func orderMessage(to, ref, orderNo string) alimtalk.Message {
	return alimtalk.Message{To: to, TemplateCode: "ORDER_RECEIVED", Ref: ref,
		Variables: map[string]string{"customerName": "홍길동", "orderNo": orderNo}}
}

// newFake starts a fake with the test templates; extra options configure the client.
func newFake(t testing.TB, opts lunasofttest.Options, extra ...lunasoft.Option) (*lunasofttest.Server, *lunasoft.Client) {
	t.Helper()
	if opts.Templates == nil {
		opts.Templates = testTemplates()
	}
	if opts.Now == nil {
		opts.Now = testNow
	}
	srv := lunasofttest.NewServer(opts)
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(extra...)
	require.NoError(t, err)
	return srv, c
}

// rawServer is an httptest server that records request bodies and answers with answer.
type rawServer struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
	paths  []string
}

func newRawServer(t testing.TB, answer func(n int, body string) (int, string)) *rawServer {
	t.Helper()
	rs := &rawServer{}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 0, 1024)
		tmp := make([]byte, 4096)
		for {
			n, err := r.Body.Read(tmp)
			buf = append(buf, tmp[:n]...)
			if err != nil {
				break
			}
		}
		rs.mu.Lock()
		rs.bodies = append(rs.bodies, string(buf))
		rs.paths = append(rs.paths, r.URL.Path)
		n := len(rs.bodies)
		rs.mu.Unlock()
		status, out := answer(n, string(buf))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(out))
	}))
	t.Cleanup(rs.Close)
	return rs
}

func (rs *rawServer) requests() []string {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return append([]string(nil), rs.bodies...)
}

// rawClient is a client of a raw server with fixed Refs, the test clock and the catalog.
func rawClient(t testing.TB, base string, extra ...lunasoft.Option) *lunasoft.Client {
	t.Helper()
	cat, err := lunasoft.NewTemplateCatalog(testTemplates()...)
	require.NoError(t, err)
	opts := append([]lunasoft.Option{lunasoft.WithBaseURL(base), lunasoft.WithRetry(2, 0), lunasoft.WithClock(testNow),
		lunasoft.WithTemplates(cat), lunasoft.WithTimeout(5 * time.Second)}, extra...)
	c, err := lunasoft.NewClient(lunasoft.Credentials{UserID: testUserID, APIKey: testAPIKey}, opts...)
	require.NoError(t, err)
	return c
}

var bg = context.Background()

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
