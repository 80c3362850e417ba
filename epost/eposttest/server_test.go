package eposttest_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/eposttest"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func now() time.Time { return time.Date(2024, 5, 1, 10, 0, 0, 0, time.FixedZone("KST", 9*60*60)) }

func start(t *testing.T, opts eposttest.Options) (*eposttest.Server, *epost.Client) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = now
	}
	srv := eposttest.NewServer(opts)
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(epost.WithRetry(0, 0), epost.WithClock(now))
	require.NoError(t, err)
	return srv, c
}

func order(orderNo string) epost.InsertOrderRequest {
	return epost.InsertOrderRequest{
		PayType: epost.PayPrepaid, ReqType: epost.ReqNormal, OfficeSer: eposttest.DefaultOfficeSer, MicroYn: epost.No,
		OrderNo: orderNo, OrdCompNm: "케이샵", RecNm: "홍길동", RecZip: "58323", RecAddr1: "전남 나주시 정보화길 1",
		RecAddr2: "101호", RecTel: "02-123-4567", ContCd: epost.ContentOther, GoodsNm: "상품",
	}
}

// post sends a raw form to the fake, as a client with its own encoding would.
func post(t *testing.T, srv *eposttest.Server, call string, form url.Values) string {
	t.Helper()
	resp, err := http.PostForm(srv.URL()+"/api."+call+".jparcel", form)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "errors come in HTTP 200 bodies")
	return string(body)
}

func encrypt(t *testing.T, key, plain string) string {
	t.Helper()
	s, err := epost.EncryptRegData(key, plain)
	require.NoError(t, err)
	return s
}

func TestRawProtocolErrors(t *testing.T) {
	t.Parallel()
	srv, _ := start(t, eposttest.Options{})
	key, sec := eposttest.DefaultAPIKey, eposttest.DefaultSecurityKey
	cases := []struct {
		name string
		call string
		form url.Values
		code string
	}{
		{"no key", "GetApprNo", url.Values{"regData": {encrypt(t, sec, "custNo=0001234567")}}, "ERR-111"},
		{"wrong key", "GetApprNo", url.Values{"key": {"nope"}, "regData": {encrypt(t, sec, "custNo=0001234567")}}, "ERR-123"},
		{"no regData", "GetApprNo", url.Values{"key": {key}}, "ERR-511"},
		{"wrong security key", "GetApprNo", url.Values{"key": {key}, "regData": {encrypt(t, "wrongwrongwrongwrong12", "custNo=0001234567")}}, "ERR-211"},
		{"garbage regData", "GetApprNo", url.Values{"key": {key}, "regData": {"zz"}}, "ERR-211"},
		{"wrong security key on GetCustNo", "GetCustNo", url.Values{"key": {key}, "regData": {encrypt(t, "wrongwrongwrongwrong12", "memberID=kshopuser")}}, "ERR-511"},
		{"weight not an integer", "InsertOrder", url.Values{"key": {key}, "regData": {encrypt(t, sec,
			"custNo=0001234567&apprNo=1018680001&payType=1&reqType=1&officeSer=01&weight=2.5&microYn=N")}}, "ERR-122"},
		{"recMob too long", "InsertOrder", url.Values{"key": {key}, "regData": {encrypt(t, sec,
			"custNo=0001234567&apprNo=1018680001&payType=1&reqType=1&officeSer=01&recMob=0101234567890")}}, "ERR-323"},
		{"reqType missing", "InsertOrder", url.Values{"key": {key}, "regData": {encrypt(t, sec, "custNo=0001234567")}}, "ERR-111"},
		{"unknown office", "InsertOrder", url.Values{"key": {key}, "regData": {encrypt(t, sec, "custNo=0001234567&reqType=1&officeSer=99")}}, "ERR-225"},
		{"apprNo mismatch", "InsertOrder", url.Values{"key": {key}, "regData": {encrypt(t, sec, "custNo=0001234567&reqType=1&officeSer=01&apprNo=1")}}, "ERR-123"},
		{"goods missing", "InsertOrder", url.Values{"key": {key}, "regData": {encrypt(t, sec,
			"custNo=0001234567&apprNo=1018680001&payType=1&reqType=1&officeSer=01&microYn=N&orderNo=o1&ordCompNm=s&recNm=r&recZip=12345&recAddr1=a&recAddr2=b&recTel=021234567&contCd=029")}}, "ERR-511"},
		{"GetResInfo not found", "GetResInfo", url.Values{"key": {key}, "regData": {encrypt(t, sec, "custNo=0001234567&reqType=1&orderNo=x&reqYmd=20240501")}}, "ERR-225"},
		{"other customer", "GetResInfo", url.Values{"key": {key}, "regData": {encrypt(t, sec, "custNo=0009999999&reqType=1&orderNo=x&reqYmd=20240501")}}, "ERR-223"},
		{"stopped zip not 5 digits", "GetStoppedZipCd", url.Values{"key": {key}, "zipCd": {"123"}}, "ERR-123"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := post(t, srv, tc.call, tc.form)
			assert.Contains(t, body, "<error><error_code><![CDATA["+tc.code+"]]></error_code>", body)
		})
	}
	resp, err := http.Get(srv.URL() + "/api.InsertStoreInfo.jparcel")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "calls the fake does not serve")
}

func TestConcurrentBookingsGetUniqueWaybills(t *testing.T) {
	t.Parallel()
	srv, c := start(t, eposttest.Options{})
	const n = 40
	var wg sync.WaitGroup
	waybills := make([]string, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := order("ORD-" + string(rune('A'+i%26)) + strings.Repeat("x", i))
			if i%2 == 1 {
				req.PayType = epost.PayCollect
			}
			b, err := c.InsertOrder(context.Background(), req)
			errs[i] = err
			if err == nil {
				waybills[i] = b.RegiNo
			}
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, w := range waybills {
		require.NoError(t, errs[i])
		assert.Len(t, w, 13)
		want := "6"
		if i%2 == 1 {
			want = "7"
		}
		assert.Equal(t, want, w[:1], "6 prepaid, 7 collect")
		assert.False(t, seen[w], "duplicate waybill %s", w)
		seen[w] = true
	}
	assert.Len(t, srv.Orders(), n)
	assert.Equal(t, n, srv.Requests("InsertOrder"))
}

func TestSetStatus(t *testing.T) {
	t.Parallel()
	srv, c := start(t, eposttest.Options{})
	b, err := c.InsertOrder(context.Background(), order("ORD-1"))
	require.NoError(t, err)

	assert.ErrorIs(t, srv.SetStatus("6999999999999", epost.TreatPickedUp), eposttest.ErrUnknownWaybill)
	assert.Error(t, srv.SetStatus(b.RegiNo, epost.TreatCancelled), "cancel through the API")
	require.NoError(t, srv.SetStatus(b.RegiNo, epost.TreatNotPickedUp))
	o, _ := srv.Order(b.RegiNo)
	assert.Equal(t, epost.TreatNotPickedUp, o.Status)
	_, err = c.Track(context.Background(), b.RegiNo)
	assert.ErrorIs(t, err, epost.ErrNotFound, "no scan yet")

	require.NoError(t, srv.SetStatus(b.RegiNo, epost.TreatPickedUp))
	tr, err := c.Track(context.Background(), b.RegiNo)
	require.NoError(t, err)
	assert.Equal(t, epost.StatusPickedUp, tr.Status)
	assert.Equal(t, "나주우체국", tr.Events[0].Place)

	_, err = c.GetResCancelCmd(context.Background(), b.CancelRequest(false))
	assert.ErrorIs(t, err, epost.ErrCancelRefused)
}

func TestFaultQueue(t *testing.T) {
	t.Parallel()
	srv, c := start(t, eposttest.Options{})
	srv.InjectFault(eposttest.Fault{Call: "GetApprNo", Kind: eposttest.FaultEmptyBody, Times: 2})
	srv.InjectFault(eposttest.Fault{Kind: eposttest.FaultHTMLPage})
	ctx := context.Background()

	_, err := c.GetCustNo(ctx, eposttest.DefaultMemberID)
	var respErr *epost.ResponseError
	require.ErrorAs(t, err, &respErr, "the catch-all fault hits the first other call")
	assert.Equal(t, epost.ProblemHTMLPage, respErr.Problem)
	for range 2 {
		_, err = c.GetApprNo(ctx, epost.GetApprNoRequest{})
		require.ErrorAs(t, err, &respErr)
		assert.Equal(t, epost.ProblemEmptyBody, respErr.Problem)
	}
	_, err = c.GetApprNo(ctx, epost.GetApprNoRequest{})
	require.NoError(t, err, "faults are used up")

	srv.InjectFault(eposttest.Fault{Kind: eposttest.FaultTruncated, Times: 5})
	srv.ClearFaults()
	_, err = c.GetApprNo(ctx, epost.GetApprNoRequest{})
	require.NoError(t, err)
	assert.Equal(t, 4, srv.Requests("GetApprNo"))
	assert.Equal(t, 1, srv.Requests("GetCustNo"))
}

func TestFaultKindsAndCounters(t *testing.T) {
	t.Parallel()
	srv := eposttest.NewServer(eposttest.Options{Now: now})
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(epost.WithRetry(0, 0), epost.WithClock(now))
	require.NoError(t, err)
	ctx := context.Background()

	srv.InjectFault(eposttest.Fault{Call: "InsertOrder", Kind: eposttest.FaultTooManyRequests})
	_, err = c.InsertOrder(ctx, order("ORD-429"))
	var apiErr *epost.APIError
	require.ErrorAs(t, err, &apiErr, "retries are off")
	assert.True(t, apiErr.Retryable(), "429 is refused before anything happens, so sending again is safe")
	assert.NotErrorIs(t, err, epost.ErrOutcomeUnknown)
	_, err = c.InsertOrder(ctx, order("ORD-429"))
	require.NoError(t, err)
	assert.Equal(t, 2, srv.Requests("InsertOrder"))
	assert.Len(t, srv.Orders(), 1)

	srv.InjectFault(eposttest.Fault{Call: "InsertOrder", Kind: eposttest.FaultTruncated, CarryOut: true})
	_, err = c.InsertOrder(ctx, order("ORD-CUT"))
	var respErr *epost.ResponseError
	require.ErrorAs(t, err, &respErr)
	assert.Equal(t, epost.ProblemTruncated, respErr.Problem)
	assert.Contains(t, err.Error(), "truncated")
	assert.ErrorIs(t, err, epost.ErrOutcomeUnknown)
	assert.Len(t, srv.Orders(), 2, "carried out before the cut")

	srv.InjectFault(eposttest.Fault{Call: "InsertOrder", Kind: eposttest.FaultStatus, Status: 503})
	_, err = c.InsertOrder(ctx, order("ORD-503"))
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 503, apiErr.HTTPStatus)
	assert.True(t, apiErr.OutcomeUnknown())
	assert.Len(t, srv.Orders(), 2, "not carried out without CarryOut")

	assert.Equal(t, 4, srv.Requests("InsertOrder"))
	assert.Equal(t, 4, srv.TotalRequests())
	opts := srv.ClientOptions(epost.WithHTTPMethod("GET"))
	assert.Len(t, opts, 6, "the server's options, then the extra ones")
}

func TestLatencyFaultEndsWithTheClient(t *testing.T) {
	t.Parallel()
	srv, c := start(t, eposttest.Options{})
	srv.InjectFault(eposttest.Fault{Call: "GetApprNo", Delay: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.GetApprNo(ctx, epost.GetApprNoRequest{})
		done <- err
	}()
	require.Eventually(t, func() bool { return srv.Requests("GetApprNo") == 1 }, 10*time.Second, time.Millisecond)
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled, "the held answer ends when the client leaves; Close does not hang")
}

func TestHeldCountsTheDelayActuallyHeld(t *testing.T) {
	t.Parallel()
	srv, c := start(t, eposttest.Options{})
	assert.Zero(t, srv.Held(), "nothing held yet")
	const delay = 5 * time.Millisecond
	srv.InjectFault(eposttest.Fault{Call: "GetApprNo", Kind: eposttest.FaultDelay, Delay: delay, Times: 2})
	for range 2 {
		_, err := c.GetApprNo(context.Background(), epost.GetApprNoRequest{})
		require.NoError(t, err, "a delay only holds the answer")
	}
	held := srv.Held()
	assert.GreaterOrEqual(t, held, 2*delay, "two answers held at least the delay each")
	_, err := c.GetApprNo(context.Background(), epost.GetApprNoRequest{})
	require.NoError(t, err)
	assert.Equal(t, held, srv.Held(), "the third answer was not held")
}

func TestTraceServicesRaw(t *testing.T) {
	t.Parallel()
	srv, _ := start(t, eposttest.Options{})
	srv.AddTraceEvent("6000000000001", eposttest.TraceEvent{Place: "나주우체국", Status: "접수"})
	srv.SetTraceNames("6000000000001", "케이*", "홍*동")
	get := func(path string, q url.Values) string {
		resp, err := http.Get(srv.URL() + path + "?" + q.Encode())
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	const public = "/trace/retrieveLongitudinalService/retrieveLongitudinalService/getLongitudinalDomesticList"
	body := get(public, url.Values{"ServiceKey": {eposttest.DefaultTraceServiceKey}, "rgist": {"6000000000001"}})
	assert.Contains(t, body, "<successYN><![CDATA[Y]]></successYN>")
	assert.Contains(t, body, "<addrseNm><![CDATA[홍*동]]></addrseNm>")
	body = get(public, url.Values{"ServiceKey": {eposttest.DefaultTraceServiceKey}, "rgist": {"123"}})
	assert.Contains(t, body, "<successYN><![CDATA[N]]></successYN>")
	body = get("/KpostPortal/openapi", url.Values{"regkey": {eposttest.DefaultBizTraceKey}, "target": {"trace"}, "query": {"123"}})
	assert.Contains(t, body, "ERR-321")
	body = get("/KpostPortal/openapi", url.Values{"regkey": {eposttest.DefaultBizTraceKey}, "target": {"trace"}, "query": {"6000000000002"}})
	assert.Contains(t, body, "<xsync><xsyncData><error_code><![CDATA[ERR-001]]>")
}

func TestNewServerRefusesShortKey(t *testing.T) {
	t.Parallel()
	assert.Panics(t, func() { eposttest.NewServer(eposttest.Options{SecurityKey: "short"}) })
}
