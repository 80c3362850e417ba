package epost_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/eposttest"
)

// cancelThen503 answers every request with status and body, and cancels the request's context
// just before handing the answer back: the race of a 5xx arriving as the context ends, made
// deterministic.
type cancelThen503 struct {
	cancel   context.CancelFunc
	status   int
	body     string
	requests atomic.Int32
}

func (rt *cancelThen503) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.requests.Add(1)
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
	}
	rt.cancel()
	return &http.Response{StatusCode: rt.status, Header: http.Header{"Content-Type": {"text/html"}},
		Body: io.NopCloser(strings.NewReader(rt.body)), Request: r}, nil
}

// Defect 1: a 5xx that arrives as the context ends is unknown, never a refusal, for every
// non-idempotent call.
func TestFiveHundredAsContextEndsIsUnknown(t *testing.T) {
	t.Parallel()
	calls := []struct {
		name string
		run  func(context.Context, *epost.Client) error
	}{
		{"InsertOrder", func(ctx context.Context, c *epost.Client) error {
			_, err := c.InsertOrder(ctx, validOrder())
			return err
		}},
		{"GetResCancelCmd", func(ctx context.Context, c *epost.Client) error {
			_, err := c.GetResCancelCmd(ctx, epost.GetResCancelCmdRequest{ReqType: epost.ReqNormal, ReqNo: "202405010000000001",
				ResNo: "2024050100000002", RegiNo: "6000000000001"})
			return err
		}},
		{"InsertOffice", func(ctx context.Context, c *epost.Client) error {
			_, err := c.InsertOffice(ctx, epost.InsertOfficeRequest{OfficeSer: "02", OfficeNm: "제2센터", OfficeZip: "30114",
				OfficeAddr1: "세종시 도움5로 19", OfficeAddr2: "(어진동)", OfficeTelno: "044-123-4567", ContactNm: "김담당"})
			return err
		}},
	}
	for _, call := range calls {
		for _, answer := range []struct {
			status int
			body   string
		}{{503, "<html><body>Service Unavailable</body></html>"}, {500, ""}, {502, "<error><error_code>ERR-531</error_code><message>x</message></error>"}, {504, "not xml"}} {
			t.Run(fmt.Sprintf("%s/%d", call.name, answer.status), func(t *testing.T) {
				t.Parallel()
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				rt := &cancelThen503{cancel: cancel, status: answer.status, body: answer.body}
				c, err := epost.NewClient(epost.Credentials{APIKey: "APIKEY0123456789", SecurityKey: eposttest.DefaultSecurityKey,
					CustomerNo: "0001234567", ApprovalNo: "1018680001"}, epost.WithHTTPClient(&http.Client{Transport: rt}), epost.WithRetry(3, 0))
				require.NoError(t, err)

				err = call.run(ctx, c)
				require.Error(t, err)
				assert.Equal(t, int32(1), rt.requests.Load(), "never sent twice")
				assert.ErrorIs(t, err, epost.ErrOutcomeUnknown)
				var shared kshop.APIError
				require.ErrorAs(t, err, &shared, "the vendor's own error type, not a bare transport error")
				assert.True(t, shared.OutcomeUnknown())
				assert.False(t, shared.Retryable())
				assert.Equal(t, answer.status, shared.HTTPStatusCode())
				if call.name == "InsertOrder" {
					var unknown *epost.UnknownOrderError
					require.ErrorAs(t, err, &unknown)
					assert.Equal(t, "ORD-20240501-0001", unknown.OrderNo)
				}
			})
		}
	}
}

// Defect 2: only ERR-225 means "not booked"; every other shape leaves the booking unknown.
func TestReconcileOnlyTrustsERR225(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		status int
		body   string
		booked bool
		none   bool // the documented not-found
	}{
		{"ERR-225", 200, `<error><error_code>ERR-225</error_code><message>신청정보가 존재하지 않습니다.</message></error>`, false, true},
		{"err-225 lower case", 200, `<error><error_code><![CDATA[err-225]]></error_code></error>`, false, true},
		{"booked", 200, `<response><resInfo><reqNo>202405010000000001</reqNo><regiNo>6000000000001</regiNo><treatStusCd>02</treatStusCd></resInfo></response>`, true, false},
		{"empty response", 200, `<response/>`, false, false},
		{"empty list", 200, `<resInfoList/>`, false, false},
		{"list of empty entries", 200, `<response><resInfo/></response>`, false, false},
		{"gateway result", 200, `<result><code>503</code><message>Service Unavailable</message></result>`, false, false},
		{"empty body", 200, ``, false, false},
		{"HTML", 200, `<html><body>blocked</body></html>`, false, false},
		{"unknown root", 200, `<maintenance>until 06:00</maintenance>`, false, false},
		{"ERR-125", 200, `<error><error_code>ERR-125</error_code></error>`, false, false},
		{"ERR-223", 200, `<error><error_code>ERR-223</error_code></error>`, false, false},
		{"mismatched tags", 200, `<response><resInfo><reqNo>1</reqno></resInfo></response>`, false, false},
		{"truncated", 200, `<response><resInfo><reqNo>1`, false, false},
		{"503", 503, `<html>busy</html>`, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt := mockClient(t, http.MethodPost, contractURL+"GetResInfo.jparcel", tc.status, []byte(tc.body))
			rec, err := c.ReconcileOrder(context.Background(), "ORD-1", "20240501")
			switch {
			case tc.none:
				require.NoError(t, err)
				assert.False(t, rec.Booked)
				assert.Empty(t, rec.All)
			case tc.booked:
				require.NoError(t, err)
				assert.True(t, rec.Booked)
				assert.Equal(t, "6000000000001", rec.Reservation.RegiNo)
			default:
				require.Error(t, err, "never 'not booked, safe to resend'")
				assert.Nil(t, rec)
				assert.ErrorIs(t, err, epost.ErrOutcomeUnknown)
				assert.ErrorIs(t, err, kshop.ErrOutcomeUnknown)
				if tc.status == 200 && !strings.Contains(tc.body, "error_code") {
					assert.ErrorIs(t, err, epost.ErrBadResponse)
				}
				assert.Contains(t, err.Error(), "still unknown")
			}
			assert.GreaterOrEqual(t, mt.GetTotalCallCount(), 1)
		})
	}
}

// Answers that used to pass as a booking and must not.
func TestInsertOrderRefusesDoubtfulAnswers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		body    string
		test    bool
		problem epost.ResponseProblem
	}{
		{"mismatched end tag", `<response><regiNo>6012345678901</regino></response>`, false, epost.ProblemMalformedXML},
		{"two waybills", `<response><regiNo>6012345678901</regiNo><x><regiNo>6012345678902</regiNo></x></response>`, false, epost.ProblemUnexpectedValue},
		{"test waybill for a real order", `<response><regiNo>TESTREGINOAPI</regiNo></response>`, false, epost.ProblemUnexpectedValue},
		{"booking and error code", `<response><regiNo>6012345678901</regiNo><error_code>ERR-211</error_code></response>`, false, epost.ProblemConflict},
		{"error with a reqNo", `<error><error_code>ERR-531</error_code><reqNo>202405010000000001</reqNo></error>`, false, epost.ProblemConflict},
		{"truncated", `<response><regiNo>60123456`, false, epost.ProblemTruncated},
		{"no waybill", `<response><reqNo>1</reqNo></response>`, false, epost.ProblemMissingElement},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, mt := mockClient(t, http.MethodPost, contractURL+"InsertOrder.jparcel", 200, []byte(tc.body))
			_, err := c.InsertOrder(context.Background(), validOrder())
			var unknown *epost.UnknownOrderError
			require.ErrorAs(t, err, &unknown)
			var respErr *epost.ResponseError
			require.ErrorAs(t, err, &respErr)
			assert.Equal(t, tc.problem, respErr.Problem)
			assert.True(t, respErr.OutcomeUnknown())
			assert.ErrorIs(t, err, epost.ErrBadResponse)
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	}
	c, _ := mockClient(t, http.MethodPost, contractURL+"InsertOrder.jparcel", 200, []byte(`<response><regiNo>TESTREGINOAPI</regiNo></response>`))
	req := validOrder()
	req.TestYn = epost.Yes
	b, err := c.InsertOrder(context.Background(), req)
	require.NoError(t, err, "the test waybill is right for a test order")
	assert.True(t, b.Test)
}

// Oversize and truncated bodies say so in the error string.
func TestOversizeAndTruncatedBodiesSaySo(t *testing.T) {
	t.Parallel()
	big := "<response><regiNo>6012345678901</regiNo><pad>" + strings.Repeat("x", 5<<20) + "</pad></response>"
	c, _ := mockClient(t, http.MethodPost, contractURL+"InsertOrder.jparcel", 200, []byte(big))
	_, err := c.InsertOrder(context.Background(), validOrder())
	var respErr *epost.ResponseError
	require.ErrorAs(t, err, &respErr)
	assert.Equal(t, epost.ProblemTooLarge, respErr.Problem)
	assert.Contains(t, err.Error(), "body over the size limit")
	assert.ErrorIs(t, err, epost.ErrOutcomeUnknown)
	assert.LessOrEqual(t, len(respErr.Body), 4<<10)

	c, _ = mockClient(t, http.MethodPost, contractURL+"GetApprNo.jparcel", 200, []byte(big))
	_, err = c.GetApprNo(context.Background(), epost.GetApprNoRequest{})
	require.ErrorAs(t, err, &respErr)
	assert.Contains(t, err.Error(), "body over the size limit")
	assert.NotErrorIs(t, err, epost.ErrOutcomeUnknown, "a lookup changes nothing")

	srv, c := newFake(t, eposttest.Options{})
	srv.InjectFault(eposttest.Fault{Call: "GetApprNo", Kind: eposttest.FaultTruncated})
	_, err = c.GetApprNo(context.Background(), epost.GetApprNoRequest{})
	require.ErrorAs(t, err, &respErr)
	assert.Contains(t, err.Error(), "truncated")
	assert.NotContains(t, err.Error(), " OK")
}

// Defect 3: no verb, no JSON and no slog handler shows a key.
func TestClientAndCredentialsNeverShowKeys(t *testing.T) {
	t.Parallel()
	const apiKey, secKey, traceKey, bizKey = "SECRETAPIKEY000000000000000000", "SECRETSECURITYKEY00000", "SECRETTRACEKEY", "SECRETBIZKEY"
	creds := epost.Credentials{APIKey: apiKey, SecurityKey: secKey, CustomerNo: "0001234567", ApprovalNo: "1018680001"}
	c, err := epost.NewClient(creds, epost.WithTraceServiceKey(traceKey), epost.WithBizTraceKey(bizKey))
	require.NoError(t, err)
	holder := struct {
		Creds  epost.Credentials
		Client *epost.Client
	}{creds, c}

	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%T %v"} {
		for _, v := range []any{creds, &creds, c, holder, &holder, []epost.Credentials{creds}} {
			outs = append(outs, fmt.Sprintf(verb, v))
		}
	}
	// *c prints only addresses where the keys are: its fields are pointers.
	deref := reflect.ValueOf(c).Elem().Interface() // *c, without tripping vet's copylocks
	outs = append(outs, fmt.Sprintf("%v", deref), fmt.Sprintf("%+v", deref), fmt.Sprintf("%#v", deref))
	for _, v := range []any{creds, c, holder} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		outs = append(outs, string(b))
	}
	for _, h := range []func(io.Writer) slog.Handler{
		func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
		func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
	} {
		var buf bytes.Buffer
		slog.New(h(&buf)).Info("x", "creds", creds, "client", c, "holder", holder, "ptr", &creds)
		outs = append(outs, buf.String())
	}
	for _, out := range outs {
		assert.NotContains(t, out, "SECRET", out)
	}
	assert.Contains(t, fmt.Sprintf("%#v", creds), "0001234567", "the numbers stay readable")
	assert.Contains(t, fmt.Sprintf("%v", c), "REDACTED(30 chars)")
}

// Defect 5: every exported method that takes a context refuses a nil one with a typed error
// naming the call, and sends nothing.
func TestNilContextIsATypedError(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{})
	var nilCtx context.Context
	calls := map[string]func() error{
		"epost.InsertOrder":    func() error { _, err := c.InsertOrder(nilCtx, validOrder()); return err },
		"epost.GetResInfo":     func() error { _, err := c.GetResInfo(nilCtx, epost.GetResInfoRequest{}); return err },
		"epost.ReconcileOrder": func() error { _, err := c.ReconcileOrder(nilCtx, "ORD-1", "20240501"); return err },
		"epost.ReconcileUnknown": func() error {
			_, err := c.ReconcileUnknown(nilCtx, &epost.UnknownOrderError{OrderNo: "ORD-1", ReqYmd: "20240501"})
			return err
		},
		"epost.GetResCancelCmd": func() error { _, err := c.GetResCancelCmd(nilCtx, epost.GetResCancelCmdRequest{}); return err },
		"epost.InsertOffice":    func() error { _, err := c.InsertOffice(nilCtx, epost.InsertOfficeRequest{}); return err },
		"epost.GetOfficeInfo":   func() error { _, err := c.GetOfficeInfo(nilCtx, 0); return err },
		"epost.GetCustNo":       func() error { _, err := c.GetCustNo(nilCtx, "user"); return err },
		"epost.GetApprNo":       func() error { _, err := c.GetApprNo(nilCtx, epost.GetApprNoRequest{}); return err },
		"epost.GetStoppedZipCd": func() error { _, err := c.GetStoppedZipCd(nilCtx, ""); return err },
		"epost.Track":           func() error { _, err := c.Track(nilCtx, "6000000000001"); return err },
		"epost.TrackPublic":     func() error { _, err := c.TrackPublic(nilCtx, "6000000000001"); return err },
		"epost.TrackBiz":        func() error { _, err := c.TrackBiz(nilCtx, "6000000000001"); return err },
		"epost.TrackMany":       func() error { return c.TrackMany(nilCtx, []string{"6000000000001"}, epost.TrackManyOptions{})[0].Err },
	}
	for op, run := range calls {
		var err error
		require.NotPanics(t, func() { err = run() }, op)
		var ve *kshop.ValidationError
		require.ErrorAs(t, err, &ve, op)
		assert.Equal(t, op, ve.Op)
		assert.NotNil(t, ve.Field("ctx"), op)
	}
	assert.Zero(t, srv.TotalRequests())
}

// A booking sent just before midnight may be registered on the next day: ReconcileUnknown
// looks on both.
func TestReconcileUnknownChecksBothDatesAroundMidnight(t *testing.T) {
	t.Parallel()
	kst := kshop.KST()
	var calls atomic.Int32
	// The client's clock says 23:59:58 when it sends; the server books at 00:00:01 the next day.
	clientNow := func() time.Time {
		return time.Date(2024, 5, 1, 23, 59, 58, 0, kst).Add(time.Duration(calls.Add(1)) * time.Second)
	}
	srv := eposttest.NewServer(eposttest.Options{Now: func() time.Time { return time.Date(2024, 5, 2, 0, 0, 1, 0, kst) }})
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(epost.WithClock(clientNow), epost.WithRetry(0, 0))
	require.NoError(t, err)
	srv.InjectFault(eposttest.Fault{Call: "InsertOrder", Kind: eposttest.FaultDrop, CarryOut: true})

	_, err = c.InsertOrder(context.Background(), validOrder())
	var unknown *epost.UnknownOrderError
	require.ErrorAs(t, err, &unknown)
	assert.Equal(t, "20240501", unknown.ReqYmd)
	assert.Equal(t, []string{"20240501", "20240502"}, unknown.ReqYmds)

	rec, err := c.ReconcileOrder(context.Background(), unknown.OrderNo, unknown.ReqYmd)
	require.NoError(t, err)
	assert.False(t, rec.Booked, "the start date alone misses it")

	rec, err = c.ReconcileUnknown(context.Background(), unknown)
	require.NoError(t, err)
	assert.True(t, rec.Booked, "the next day holds it")
	assert.Len(t, srv.Orders(), 1)
	assert.Equal(t, 1, srv.Requests("InsertOrder"))
}
