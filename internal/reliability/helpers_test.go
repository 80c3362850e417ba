package reliability_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/ssoda"
)

// Distinctive credentials and personal data: the leak scan looks for every one of them (and
// for telling fragments of them) in every log line and every error of the suite.
const (
	ssodaAPIKey    = "APIKEY-7f3a9c5e1b8d2f4a6c0e"
	ssodaTokenKey  = "TOKENKEY-b4e8d1c7a2f9e3b6d0c5"
	ssodaSenderKey = "SENDERKEY5e2a8c1f7b3d9e4a6c0f2b8d5e1a7c3" // 40 characters
	epostAPIKey    = "EPOSTKEY-3c9e1a7f5b2d8c4e6a0f1"           // 30 characters
	epostSecKey    = "SECKEY-8d4f2b6e1a9c3e"                    // 22 characters
	epostCustNo    = "1234567890"
	epostApprNo    = "4455667788"

	// recipient is the phone number every message goes to, in the hyphenated form; the scan
	// looks for it in every writing.
	recipient     = "010-9876-5432"
	recipientName = "김비밀"
	recipientAddr = "비밀로 77"

	templateCode = "ORDER_RECEIVED"
)

// stdTimeout bounds each attempt of the suite's clients: short, so that the cells whose server
// stays silent end quickly, yet far above a loopback round trip under -race.
const stdTimeout = 3 * time.Second

// testNow is the clients' clock: 2024-05-01 10:00 KST.
func testNow() time.Time { return time.Date(2024, 5, 1, 10, 0, 0, 0, time.FixedZone("KST", 9*3600)) }

// suiteLogger logs at debug level to both a JSON and a text handler, into the leak scanner.
var suiteLogger = slog.New(fanout{
	slog.NewJSONHandler(scanWriter{}, &slog.HandlerOptions{Level: slog.LevelDebug}),
	slog.NewTextHandler(scanWriter{}, &slog.HandlerOptions{Level: slog.LevelDebug}),
})

// fanout is a slog.Handler that hands every record to several handlers (slog.NewMultiHandler
// needs Go 1.26; the module supports 1.25).
type fanout []slog.Handler

func (f fanout) Enabled(ctx context.Context, l slog.Level) bool {
	for _, h := range f {
		if h.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range f {
		if h.Enabled(ctx, r.Level) {
			if err := h.Handle(ctx, r.Clone()); err != nil {
				return err
			}
		}
	}
	return nil
}

func (f fanout) WithAttrs(as []slog.Attr) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithAttrs(as)
	}
	return out
}

func (f fanout) WithGroup(name string) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithGroup(name)
	}
	return out
}

// ssodaClient builds an ssoda client of base: the suite's keys and logger, two retries without
// waiting, a short timeout, and hc when given.
func ssodaClient(t testing.TB, base string, hc *http.Client, extra ...ssoda.Option) *ssoda.Client {
	t.Helper()
	opts := []ssoda.Option{
		ssoda.WithBaseURL(base), ssoda.WithRetry(2, 0), ssoda.WithTimeout(stdTimeout),
		ssoda.WithLogger(suiteLogger), ssoda.WithClock(testNow), ssoda.WithConcurrency(1),
	}
	if hc != nil {
		opts = append(opts, ssoda.WithHTTPClient(hc))
	}
	c, err := ssoda.NewClient(ssoda.Credentials{APIKey: ssodaAPIKey, TokenKey: ssodaTokenKey, SenderKey: ssodaSenderKey},
		append(opts, extra...)...)
	require.NoError(t, err)
	return c
}

// epostClient builds an epost client of base, like ssodaClient.
func epostClient(t testing.TB, base string, hc *http.Client, extra ...epost.Option) *epost.Client {
	t.Helper()
	opts := []epost.Option{
		epost.WithBaseURL(base), epost.WithRetry(2, 0), epost.WithTimeout(stdTimeout),
		epost.WithLogger(suiteLogger), epost.WithClock(testNow),
		// Tracking calls of the bad-input table must never leave loopback either.
		epost.WithPublicTraceBaseURL(base), epost.WithBizTraceBaseURL(base),
	}
	if hc != nil {
		opts = append(opts, epost.WithHTTPClient(hc))
	}
	c, err := epost.NewClient(epost.Credentials{APIKey: epostAPIKey, SecurityKey: epostSecKey, CustomerNo: epostCustNo, ApprovalNo: epostApprNo},
		append(opts, extra...)...)
	require.NoError(t, err)
	return c
}

// message is a valid AlimTalk to the suite's recipient; marker makes its text unique.
func message(marker string) alimtalk.Message {
	return alimtalk.Message{
		To: recipient, TemplateCode: templateCode, Ref: "ref-" + marker,
		Text:     "주문 " + marker + " 이(가) 접수되었습니다.",
		Failover: &alimtalk.Failover{From: "02-1234-5678"},
	}
}

// friendTalk is a valid FriendTalk to the suite's recipient.
func friendTalk(marker string) ssoda.FriendTalkMessage {
	return ssoda.FriendTalkMessage{To: recipient, Text: "이번 주 소식 " + marker, Ref: "ft-" + marker}
}

// template is a valid basic template.
func template(code string) alimtalk.Template {
	return alimtalk.Template{
		Code: code, Name: "주문접수", Content: "#{name}님, 주문 #{orderNo} 이(가) 접수되었습니다.",
		CategoryCode: "004001",
	}
}

// order is a valid InsertOrder request.
func order(orderNo string) epost.InsertOrderRequest {
	return epost.InsertOrderRequest{
		PayType: epost.PayPrepaid, ReqType: epost.ReqNormal, OfficeSer: "OFFICE01",
		Weight: 2, Volume: 60, MicroYn: epost.No, PackngMtrCd: epost.PackagingPaperBox,
		OrderNo: orderNo, OrdCompNm: "케이샵", OrdNm: "김주문", OrdMob: "010-2222-3333",
		RecNm: recipientName, RecZip: "58323", RecAddr1: "전남 나주시 정보화길 1", RecAddr2: recipientAddr,
		RecMob: recipient, ContCd: epost.ContentClothing, GoodsNm: "긴소매 셔츠", Qty: 1,
	}
}

// office is a valid InsertOffice request.
func office() epost.InsertOfficeRequest {
	return epost.InsertOfficeRequest{
		OfficeSer: "OFFICE01", OfficeNm: "케이샵 물류센터", OfficeZip: "58323",
		OfficeAddr1: "전남 나주시 정보화길 1", OfficeAddr2: "2층", OfficeTelno: "061-123-4567",
		ContactNm: "김담당",
	}
}

// cancelReq is a valid GetResCancelCmd request.
func cancelReq() epost.GetResCancelCmdRequest {
	return epost.GetResCancelCmdRequest{
		ReqType: epost.ReqNormal, ReqNo: "202405010000000001", ResNo: "2024050100000001", RegiNo: "6012345678901",
	}
}

// orderNoOf decrypts an ePost request's regData and returns its orderNo ("" when there is
// none), so the fault server can tell bookings apart.
func orderNoOf(body []byte) string {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return ""
	}
	plain, err := epost.DecryptRegData(epostSecKey, form.Get("regData"))
	if err != nil {
		return ""
	}
	for _, kv := range strings.Split(plain, "&") {
		if v, ok := strings.CutPrefix(kv, "orderNo="); ok {
			return v
		}
	}
	return ""
}

// Answers. Ssoda's envelope is {"code","error","content"}; ePost answers XML, errors in an
// HTTP 200 body.
const (
	jsonType = "application/json; charset=utf-8"
	xmlType  = "text/xml; charset=UTF-8"
	htmlType = "text/html; charset=UTF-8"

	ssodaSendOK = `{"code":"200","error":"","content":{"message":"발송 요청이 완료되었습니다.","reserv":"N",` +
		`"sent_time":"2024-05-01 10:00:00","sent_messages":[{"msg_id":"100000001","dest_phone":"01098765432",` +
		`"reserv":"N","sent_time":"2024-05-01 10:00:00","send_phone":"0212345678"}]}}`
	ssodaCancelOK   = `{"code":"200","error":"","content":{"msg_id":"100000001","message":"예약이 취소되었습니다."}}`
	ssodaTemplateOK = `{"code":"200","error":"","content":{"senderKey":"` + ssodaSenderKey + `","templateCode":"ORDER_RECEIVED",` +
		`"templateName":"주문접수","templateMessageType":"BA","templateEmphasizeType":"NONE",` +
		`"templateContent":"#{name}님, 주문 #{orderNo} 이(가) 접수되었습니다.","categoryCode":"004001",` +
		`"inspectionStatus":"REG","status":"R"}}`
	ssodaReviewOK = `{"code":"200","error":"","content":{"senderKey":"` + ssodaSenderKey + `","templateCode":"ORDER_RECEIVED",` +
		`"templateName":"주문접수","templateContent":"#{name}님, 주문 #{orderNo} 이(가) 접수되었습니다.",` +
		`"inspectionStatus":"REQ","status":"R"}}`
	ssodaProfileOK = `{"code":"200","error":"","content":{"senderKey":"00000000000000000000000000000000feed0001","yellowId":"@kshop","status":"A"}}`
	ssodaTokenOK   = `{"code":"200","error":"","content":{"message":"인증번호가 발송되었습니다."}}`
	// ssodaRefusal is Ssoda refusing a message; its text echoes the phone number, which every
	// error and log must mask.
	ssodaRefusal      = `{"code":"3016","error":"메시지 내용이 템플릿과 일치하지 않습니다. (수신번호 010-9876-5432)"}`
	ssodaRefusalOther = `{"code":"409","error":"이미 처리된 요청입니다. (010-9876-5432)"}`
	ssodaServerError  = `{"code":"500","error":"일시적인 오류가 발생했습니다."}`

	epostOrderOK = `<?xml version="1.0" encoding="UTF-8"?><response><reqNo><![CDATA[202405010000000001]]></reqNo>` +
		`<resNo><![CDATA[2024050100000001]]></resNo><regiNo><![CDATA[6012345678901]]></regiNo>` +
		`<regipoNm><![CDATA[나주우체국]]></regipoNm><resDate><![CDATA[20240501100000]]></resDate>` +
		`<price><![CDATA[3300]]></price><vTelNo><![CDATA[05012345678]]></vTelNo></response>`
	epostCancelOK = `<?xml version="1.0" encoding="UTF-8"?><response><reqno><![CDATA[202405010000000001]]></reqno>` +
		`<resno><![CDATA[2024050100000001]]></resno><cancelregino><![CDATA[6012345678901]]></cancelregino>` +
		`<cancelDate><![CDATA[20240501101500]]></cancelDate><canceledyn><![CDATA[Y]]></canceledyn>` +
		`<regiNo><![CDATA[6012345678918]]></regiNo><notcancelReason/></response>`
	epostOfficeOK = `<?xml version="1.0" encoding="UTF-8"?><response><chkResult><![CDATA[Y]]></chkResult>` +
		`<officeSer><![CDATA[OFFICE01]]></officeSer><officeNm><![CDATA[케이샵 물류센터]]></officeNm>` +
		`<regiPoNm><![CDATA[나주우체국]]></regiPoNm><officeDivCd><![CDATA[1]]></officeDivCd></response>`
	epostRefusal = `<?xml version="1.0" encoding="UTF-8"?><error><error_code><![CDATA[ERR-322]]></error_code>` +
		`<message><![CDATA[수취인 전화번호 오류 (010-9876-5432)]]></message></error>`
	epostServerError = `<?xml version="1.0" encoding="UTF-8"?><error><error_code><![CDATA[ERR-131]]></error_code>` +
		`<message><![CDATA[시스템 장애]]></message></error>`

	htmlPage = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"
)

// summary gathers the suite's headline numbers; TestMain prints them.
var summary = &suiteSummary{m: map[string]string{}}

type suiteSummary struct {
	mu   sync.Mutex
	keys []string
	m    map[string]string
}

func (s *suiteSummary) set(k, v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[k]; !ok {
		s.keys = append(s.keys, k)
	}
	s.m[k] = v
}

func (s *suiteSummary) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	b.WriteString("reliability suite summary:\n")
	for _, k := range s.keys {
		fmt.Fprintf(&b, "  %-14s %s\n", k+":", s.m[k])
	}
	leakScan.mu.Lock()
	fmt.Fprintf(&b, "  %-14s %d log lines (%d bytes, JSON and text) and %d errors scanned, %d distinct leaks\n",
		"leak scan:", leakScan.logLines, leakScan.logBytes, leakScan.errs, len(leakScan.found))
	leakScan.mu.Unlock()
	return b.String()
}

// fanRun runs n subtests, width at a time, whatever -parallel says: the cells mostly wait on
// timeouts and silent servers, not on the CPU, and the 2-core default of -parallel would run
// them nearly one by one.
func fanRun(t *testing.T, width, n int, name func(i int) string, f func(t *testing.T, i int)) {
	t.Helper()
	sem := make(chan struct{}, width)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			t.Run(name(i), func(t *testing.T) { f(t, i) })
		}()
	}
	wg.Wait()
}
