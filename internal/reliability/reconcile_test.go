package reliability_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/ssoda"
)

// shape is an answer to a reconciliation's list call.
type shape struct {
	name, ctype, body string
	status            int // default 200
	// refusal marks an answer that reads as a vendor refusal: any error will do, as long as
	// it is not "not found".
	refusal bool
}

const reconcileText = "홍길동님, 주문 R-1 이(가) 접수되었습니다."

// ssodaShapes are HTTP 200 (mostly) answers to the sent list that hold no list: none of them
// may read as "not found".
var ssodaShapes = []shape{
	{name: "{}", body: `{}`},
	{name: "code only", body: `{"code":"200"}`},
	{name: "code and error", body: `{"code":"200","error":""}`},
	{name: "content null", body: `{"code":"200","content":null}`},
	{name: "content empty object", body: `{"code":"200","content":{}}`},
	{name: "maintenance", body: `{"status":"maintenance"}`},
	{name: "maintenance with code", body: `{"code":"200","status":"maintenance","message":"서비스 점검중"}`},
	{name: "result null", body: `{"code":"200","error":"","result":null}`},
	{name: "result object", body: `{"code":"200","error":"","result":{}}`},
	{name: "result string", body: `{"code":"200","error":"","result":"none"}`},
	{name: "result number", body: `{"code":"200","error":"","result":0}`},
	{name: "top-level array", body: `[]`},
	{name: "null", body: `null`},
	{name: "JSON string", body: `""`},
	{name: "XML", ctype: xmlType, body: `<response/>`},
	{name: "HTML", ctype: htmlType, body: htmlPage},
	{name: "empty body", body: ``},
	{name: "truncated list", body: `{"code":"200","error":"","result":[{"msg_id":"1`},
	{name: "gateway JSON", body: `{"code":"503","message":"Service Unavailable"}`, refusal: true},
	{name: "duplicate code keys", body: `{"code":"500","code":"200","result":[]}`},
	{name: "BOM then shape", body: "\uFEFF{}"},
}

// TestReconcileSsodaShapeless: Reconcile never reports "not found" (safe to resend) when the
// answer holds no list; the error wraps ErrOutcomeUnknown or ErrBadResponse.
func TestReconcileSsodaShapeless(t *testing.T) {
	t.Parallel()
	for _, sh := range ssodaShapes {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			s := startServer(t, func(x *exchange) { x.reply(statusOr(sh.status), ctypeOr(sh.ctype, jsonType), sh.body) })
			rec, err := ssodaReconcile(t, s.url)
			_ = observe("ssoda reconcile "+sh.name, err)
			assert.Positive(t, s.Received(), "the list was asked for")
			if !assert.Error(t, err, "a shapeless answer read as %+v", rec) {
				return
			}
			if !sh.refusal {
				assert.True(t, errors.Is(err, kshop.ErrOutcomeUnknown) || errors.Is(err, kshop.ErrBadResponse),
					"the error wraps neither ErrOutcomeUnknown nor ErrBadResponse: %T %v", err, err)
			}
		})
	}
	t.Run("controls", func(t *testing.T) {
		t.Parallel()
		// The documented empty list means "not found"; a matching row means found.
		empty := startServer(t, func(x *exchange) {
			x.reply(200, jsonType, `{"code":"200","error":"","result":[],"total_count":0}`)
		})
		rec, err := ssodaReconcile(t, empty.url)
		require.NoError(t, observe("ssoda reconcile control", err))
		assert.False(t, rec.Found)

		found := startServer(t, func(x *exchange) {
			x.reply(200, jsonType, `{"code":"200","error":"","total_count":1,"result":[{"msg_id":"100000001",`+
				`"datetime":"2024-05-01 10:00:03","status":"성공","error_msg":"","failover_msg":"",`+
				`"dest_phone":"01098765432","send_phone":"0212345678","msg_body":"`+reconcileText+`"}]}`)
		})
		rec, err = ssodaReconcile(t, found.url)
		require.NoError(t, observe("ssoda reconcile control", err))
		assert.True(t, rec.Found)
		assert.Equal(t, "100000001", rec.Record.MessageID)
	})
}

func ssodaReconcile(t *testing.T, base string) (*ssoda.Reconciliation, error) {
	ctx, cancel := context.WithTimeout(context.Background(), defaultCellTimeout)
	defer cancel()
	return ssodaClient(t, base, nil).Reconcile(ctx, ssoda.ReconcileRequest{
		Phone: recipient, SentAt: testNow(), Text: reconcileText, Attempts: 1,
	})
}

// epostShapes are answers to GetResInfo that are neither a booking list nor ERR-225.
var epostShapes = []shape{
	{name: "<response/>", body: `<response/>`},
	{name: "empty response", body: `<?xml version="1.0" encoding="UTF-8"?><response></response>`},
	{name: "<resInfoList/>", body: `<resInfoList/>`},
	{name: "empty resInfoList", body: `<?xml version="1.0" encoding="UTF-8"?><response><resInfoList></resInfoList></response>`},
	{name: "resInfo without items", body: `<?xml version="1.0" encoding="UTF-8"?><response><resInfo></resInfo></response>`},
	{name: "gateway <result><code>503", body: `<?xml version="1.0" encoding="UTF-8"?><result><code>503</code><message>Service Unavailable</message></result>`},
	{name: "gateway <result><code>200", body: `<result><code>200</code><message>OK</message></result>`},
	{name: "empty error_code", body: `<?xml version="1.0" encoding="UTF-8"?><error><error_code></error_code><message></message></error>`},
	{name: "maintenance", body: `<?xml version="1.0" encoding="UTF-8"?><response><status>maintenance</status></response>`},
	{name: "XML declaration only", body: `<?xml version="1.0" encoding="UTF-8"?>`},
	{name: "HTML", ctype: htmlType, body: htmlPage},
	{name: "empty body", body: ``},
	{name: "JSON", ctype: jsonType, body: `{"code":"200"}`},
	{name: "truncated", body: `<?xml version="1.0" encoding="UTF-8"?><response><resInfo><reqNo>2024050100`},
	{name: "mismatched end tag", body: `<response><resInfo><reqNo>202405010000000001</reqNo></resinfo></response>`},
	{name: "ERR-225 inside a gateway page", ctype: htmlType, body: `<html><body>ERR-225</body></html>`},
}

// TestReconcileEpostShapeless: ReconcileOrder never reports "not booked" unless Korea Post
// answered its documented ERR-225.
func TestReconcileEpostShapeless(t *testing.T) {
	t.Parallel()
	for _, sh := range epostShapes {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			s := startServer(t, func(x *exchange) { x.reply(statusOr(sh.status), ctypeOr(sh.ctype, xmlType), sh.body) })
			rec, err := epostReconcile(t, s.url)
			_ = observe("epost reconcile "+sh.name, err)
			assert.Positive(t, s.Received())
			if !assert.Error(t, err, "a shapeless answer read as %+v", rec) {
				return
			}
			assert.False(t, errors.Is(err, epost.ErrNotFound), "a shapeless answer matched ErrNotFound")
			assert.True(t, errors.Is(err, kshop.ErrOutcomeUnknown) || errors.Is(err, kshop.ErrBadResponse),
				"the error wraps neither ErrOutcomeUnknown nor ErrBadResponse: %T %v", err, err)
		})
	}
	t.Run("controls", func(t *testing.T) {
		t.Parallel()
		notFound := startServer(t, func(x *exchange) {
			x.reply(200, xmlType, `<?xml version="1.0" encoding="UTF-8"?><error><error_code>ERR-225</error_code><message>조회결과가 없습니다</message></error>`)
		})
		rec, err := epostReconcile(t, notFound.url)
		require.NoError(t, observe("epost reconcile control", err))
		assert.False(t, rec.Booked)

		booked := startServer(t, func(x *exchange) {
			x.reply(200, xmlType, `<?xml version="1.0" encoding="UTF-8"?><response><resInfo><reqNo>202405010000000001</reqNo>`+
				`<resNo>2024050100000001</resNo><regiNo>6012345678901</regiNo><treatStusCd>01</treatStusCd></resInfo></response>`)
		})
		rec, err = epostReconcile(t, booked.url)
		require.NoError(t, observe("epost reconcile control", err))
		assert.True(t, rec.Booked)
		assert.Equal(t, "6012345678901", rec.Reservation.RegiNo)
	})
}

func epostReconcile(t *testing.T, base string) (*epost.Reconciliation, error) {
	ctx, cancel := context.WithTimeout(context.Background(), defaultCellTimeout)
	defer cancel()
	return epostClient(t, base, nil).ReconcileOrder(ctx, "ORD-R-1", "20240501")
}

func statusOr(s int) int {
	if s == 0 {
		return 200
	}
	return s
}

func ctypeOr(c, def string) string {
	if c == "" {
		return def
	}
	return c
}

func init() {
	n := len(ssodaShapes) + len(epostShapes)
	summary.set("reconcile", fmt.Sprintf("%d shapeless answers (%d ssoda, %d epost) + 4 controls", n, len(ssodaShapes), len(epostShapes)))
}
