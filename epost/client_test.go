package epost_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/eposttest"
)

func TestNewClientValidates(t *testing.T) {
	t.Parallel()
	good := epost.Credentials{APIKey: eposttest.DefaultAPIKey, SecurityKey: eposttest.DefaultSecurityKey, CustomerNo: "0001234567", ApprovalNo: "1018680001"}
	cases := []struct {
		name  string
		creds epost.Credentials
		opts  []epost.Option
		field string
	}{
		{"nothing", epost.Credentials{}, nil, "Credentials"},
		{"short security key", epost.Credentials{APIKey: "k", SecurityKey: "short"}, nil, "Credentials.SecurityKey"},
		{"security key without API key", epost.Credentials{SecurityKey: eposttest.DefaultSecurityKey}, nil, "Credentials.APIKey"},
		{"API key with space", epost.Credentials{APIKey: "a b", SecurityKey: eposttest.DefaultSecurityKey}, nil, "Credentials.APIKey"},
		{"customer number letters", epost.Credentials{APIKey: "k", SecurityKey: eposttest.DefaultSecurityKey, CustomerNo: "12ab"}, nil, "Credentials.CustomerNo"},
		{"approval number too long", epost.Credentials{APIKey: "k", SecurityKey: eposttest.DefaultSecurityKey, ApprovalNo: "12345678901"}, nil, "Credentials.ApprovalNo"},
		{"plain http contract", good, []epost.Option{epost.WithBaseURL("http://ship.epost.go.kr")}, "WithBaseURL"},
		{"plain http other trace host", good, []epost.Option{epost.WithPublicTraceBaseURL("http://proxy.example.com")}, "WithPublicTraceBaseURL"},
		{"relative URL", good, []epost.Option{epost.WithBaseURL("/api")}, "WithBaseURL"},
		{"bad retry", good, []epost.Option{epost.WithRetry(-1, 0)}, "WithRetry"},
		{"bad method", good, []epost.Option{epost.WithHTTPMethod("PUT")}, "WithHTTPMethod"},
		{"nil http client", good, []epost.Option{epost.WithHTTPClient(nil)}, "WithHTTPClient"},
		{"bad percent escape", good, []epost.Option{epost.WithTraceServiceKey("abc%zz")}, "WithTraceServiceKey"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := epost.NewClient(tc.creds, tc.opts...)
			var ve *kshop.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "epost.NewClient", ve.Op)
			assert.NotNil(t, ve.Field(tc.field), "%v", err)
			assert.ErrorIs(t, err, epost.ErrInvalid)
			assert.ErrorIs(t, err, kshop.ErrInvalid)
			assert.NotContains(t, err.Error(), eposttest.DefaultSecurityKey)
		})
	}

	c, err := epost.NewClient(good, epost.WithBaseURL("http://ship.epost.go.kr"), epost.WithAllowHTTPHost("ship.epost.go.kr"))
	require.NoError(t, err, "http is allowed after an explicit opt-in")
	require.NotNil(t, c)
	_, err = epost.NewClient(epost.Credentials{}, epost.WithTraceServiceKey("k"))
	require.NoError(t, err, "a tracking-only client needs no contract keys")
}

func TestInsertOrderBooksOnFake(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		edit   func(*epost.InsertOrderRequest)
		prefix string
		status epost.TreatStatus
	}{
		{"prepaid, printYn default", func(*epost.InsertOrderRequest) {}, "6", epost.TreatPrinted},
		{"collect", func(r *epost.InsertOrderRequest) { r.PayType = epost.PayCollect }, "7", epost.TreatPrinted},
		{"printYn N", func(r *epost.InsertOrderRequest) { r.PrintYn = epost.No }, "6", epost.TreatBooked},
		{"return", func(r *epost.InsertOrderRequest) {
			r.ReqType, r.RetReason, r.RetVisitYmd, r.RetOrigRegiNo = epost.ReqReturn, "사이즈 작음", "20240502", "6012345678900"
			r.PrintYn = epost.Yes
		}, "6", epost.TreatBooked},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := newFake(t, eposttest.Options{})
			req := validOrder()
			tc.edit(&req)
			b, err := c.InsertOrder(context.Background(), req)
			require.NoError(t, err)
			assert.Equal(t, 1, srv.Requests("InsertOrder"))
			assert.Len(t, b.RegiNo, 13)
			assert.True(t, strings.HasPrefix(b.RegiNo, tc.prefix), b.RegiNo)
			assert.Len(t, b.ReqNo, 18)
			assert.Len(t, b.ResNo, 16)
			assert.Equal(t, "20240501", b.ReqYmd)
			assert.Equal(t, req.ReqType, b.ReqType)
			assert.Equal(t, req.OrderNo, b.OrderNo)
			assert.Equal(t, "나주우체국", b.RegiPoNm, "read from regipoNm")
			assert.Equal(t, int64(3300), b.Price)
			assert.False(t, b.Test)
			o, ok := srv.Order(b.RegiNo)
			require.True(t, ok)
			assert.Equal(t, tc.status, o.Status)
			assert.Equal(t, "01012345678", o.Items["recMob"], "phone sent as digits")
			assert.Equal(t, "01098765432", o.Items["ordMob"])
		})
	}
}

func TestInsertOrderFillsOrderNoAndSendsItems(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{})
	req := validOrder()
	req.OrderNo = ""
	empty := ""
	req.InqTelCn = &empty
	req.InsuYn, req.InsuAmt = epost.Yes, 600000
	req.Option = epost.OptionNoticeAndNotify
	req.PrintAreaCdYn = epost.Yes
	b, err := c.InsertOrder(context.Background(), req)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(b.OrderNo, "ks20240501100000-"), b.OrderNo)
	assert.LessOrEqual(t, len(b.OrderNo), 50)
	assert.Equal(t, int64(1000+500), b.InsuFee)
	assert.Equal(t, "토요배달 휴무지역 알림", b.NotifyMsg)
	assert.Equal(t, "eposttest 공지사항", b.NoticeCont)
	assert.Equal(t, "58323", b.RefineZip)
	o, ok := srv.Order(b.RegiNo)
	require.True(t, ok)
	assert.Equal(t, b.OrderNo, o.OrderNo)
	v, present := o.Items["inqTelCn"]
	assert.True(t, present, "inqTelCn sent even though empty")
	assert.Equal(t, "", v)
	_, present = o.Items["printYn"]
	assert.False(t, present, "unset optional items are not sent")
}

func TestInsertOrderValidation(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("가", 14) // 42 UTF-8 bytes
	cases := []struct {
		key  string
		edit func(*epost.InsertOrderRequest)
	}{
		{"payType", func(r *epost.InsertOrderRequest) { r.PayType = "" }},
		{"payType", func(r *epost.InsertOrderRequest) { r.PayType = "3" }},
		{"reqType", func(r *epost.InsertOrderRequest) { r.ReqType = "9" }},
		{"officeSer", func(r *epost.InsertOrderRequest) { r.OfficeSer = "공급지" }},
		{"weight", func(r *epost.InsertOrderRequest) { r.Weight = 31 }},
		{"volume", func(r *epost.InsertOrderRequest) { r.Volume = 161 }},
		{"microYn", func(r *epost.InsertOrderRequest) { r.MicroYn = "" }},
		{"packngMtrCd", func(r *epost.InsertOrderRequest) { r.PackngMtrCd = "02" }},
		{"orderNo", func(r *epost.InsertOrderRequest) { r.OrderNo = strings.Repeat("x", 51) }},
		{"insuAmt", func(r *epost.InsertOrderRequest) { r.InsuYn = epost.Yes }},
		{"insuAmt", func(r *epost.InsertOrderRequest) { r.InsuYn, r.InsuAmt = epost.Yes, 99990 }},
		{"insuAmt", func(r *epost.InsertOrderRequest) { r.InsuYn, r.InsuAmt = epost.Yes, 3000010 }},
		{"insuAmt", func(r *epost.InsertOrderRequest) { r.InsuYn, r.InsuAmt = epost.Yes, 150001 }},
		{"insuAmt", func(r *epost.InsertOrderRequest) { r.InsuAmt = 200000 }},
		{"ordCompNm", func(r *epost.InsertOrderRequest) { r.OrdCompNm = " " }},
		{"ordZip", func(r *epost.InsertOrderRequest) { r.OrdZip = "1234" }},
		{"ordMob", func(r *epost.InsertOrderRequest) { r.OrdMob = "010-12-34" }},
		{"recNm", func(r *epost.InsertOrderRequest) { r.RecNm = long }},
		{"recZip", func(r *epost.InsertOrderRequest) { r.RecZip = "5832A" }},
		{"recAddr2", func(r *epost.InsertOrderRequest) { r.RecAddr2 = "" }},
		{"recTel", func(r *epost.InsertOrderRequest) { r.RecMob = "" }},
		{"recMob", func(r *epost.InsertOrderRequest) { r.RecMob = "010-1234-567a" }},
		{"recTel", func(r *epost.InsertOrderRequest) { r.RecTel = "02-123" }},
		{"contCd", func(r *epost.InsertOrderRequest) { r.ContCd = "030" }},
		{"goodsNm", func(r *epost.InsertOrderRequest) { r.GoodsNm = "" }},
		{"goodsSize", func(r *epost.InsertOrderRequest) { r.GoodsSize = strings.Repeat("L", 31) }},
		{"qty", func(r *epost.InsertOrderRequest) { r.Qty = 100000 }},
		{"smsOrdCd", func(r *epost.InsertOrderRequest) { r.SmsOrdCd = "3" }},
		{"retReason", func(r *epost.InsertOrderRequest) { r.RetReason = "반품" }},
		{"retVisitYmd", func(r *epost.InsertOrderRequest) { r.ReqType, r.RetVisitYmd = epost.ReqReturn, "20240230" }},
		{"retOrigRegiNo", func(r *epost.InsertOrderRequest) { r.ReqType, r.RetOrigRegiNo = epost.ReqReturn, "601234567890" }},
		{"printYn", func(r *epost.InsertOrderRequest) { r.PrintYn = "y" }},
		{"testYn", func(r *epost.InsertOrderRequest) { r.TestYn = "T" }},
		{"option", func(r *epost.InsertOrderRequest) { r.Option = "002" }},
		{"apprNo", func(r *epost.InsertOrderRequest) { r.ApprNo = "A1" }},
		{"delivMsg", func(r *epost.InsertOrderRequest) { r.DelivMsg = "문 앞&벨 X" }},
		{"goodsNm", func(r *epost.InsertOrderRequest) { r.GoodsNm = "셔츠\n2벌" }},
	}
	srv, c := newFake(t, eposttest.Options{})
	for _, tc := range cases {
		req := validOrder()
		tc.edit(&req)
		_, err := c.InsertOrder(context.Background(), req)
		var ve *kshop.ValidationError
		require.ErrorAs(t, err, &ve, tc.key)
		require.Len(t, ve.Problems, 1, "%s: %v", tc.key, err)
		assert.Equal(t, tc.key, ve.Problems[0].Key)
		assert.NotEmpty(t, ve.Problems[0].Field)
		assert.Equal(t, "epost.InsertOrder", ve.Op)
		assert.NotContains(t, err.Error(), "5678", "no phone digits in errors")
	}
	assert.Zero(t, srv.Requests("InsertOrder"), "validation happens before any I/O")
}

// An empty request reports every missing item in one error, with the Go field and the wire
// key of each.
func TestInsertOrderEmptyReportsEverything(t *testing.T) {
	t.Parallel()
	srv := eposttest.NewServer(eposttest.Options{Now: fixedNow})
	t.Cleanup(srv.Close)
	creds := srv.Credentials()
	creds.ApprovalNo = ""
	c, err := epost.NewClient(creds, srv.ClientOptions()...)
	require.NoError(t, err)
	_, err = c.InsertOrder(context.Background(), epost.InsertOrderRequest{})
	var ve *kshop.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "epost.InsertOrder", ve.Op)
	var got []string
	for _, p := range ve.Problems {
		assert.Equal(t, kshop.RuleRequired, p.Rule, p.Field)
		got = append(got, p.Field+"/"+p.Key)
	}
	assert.Equal(t, []string{"ApprNo/apprNo", "PayType/payType", "ReqType/reqType", "OfficeSer/officeSer", "MicroYn/microYn",
		"OrdCompNm/ordCompNm", "RecNm/recNm", "RecZip/recZip", "RecAddr1/recAddr1", "RecAddr2/recAddr2", "ContCd/contCd",
		"GoodsNm/goodsNm", "RecTel/recTel"}, got)
	assert.Equal(t, kshop.RuleRequired, ve.Field("RecAddr2").Rule)
	assert.ErrorIs(t, err, epost.ErrInvalid)
	assert.Zero(t, srv.TotalRequests())
}

// Identifiers Korea Post looks things up by are refused, never altered, when regData cannot
// carry them: before any request.
func TestIdentifiersRefusedBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{}, epost.WithSanitizeValues())
	ctx := context.Background()
	long := strings.Repeat("1", 1<<20)
	cases := []struct {
		name string
		run  func() error
		key  string
	}{
		{"orderNo CR LF", func() error { r := validOrder(); r.OrderNo = "ORD\r\n1"; _, err := c.InsertOrder(ctx, r); return err }, "orderNo"},
		{"orderNo ampersand", func() error {
			r := validOrder()
			r.OrderNo = "ORD&custNo=1"
			_, err := c.InsertOrder(ctx, r)
			return err
		}, "orderNo"},
		{"orderNo 1 MiB", func() error { r := validOrder(); r.OrderNo = long; _, err := c.InsertOrder(ctx, r); return err }, "orderNo"},
		{"orderNo NUL", func() error { r := validOrder(); r.OrderNo = "ORD\x001"; _, err := c.InsertOrder(ctx, r); return err }, "orderNo"},
		{"custNo override", func() error {
			r := validOrder()
			r.CustNo = "0001234567\n"
			_, err := c.InsertOrder(ctx, r)
			return err
		}, "custNo"},
		{"resinfo orderNo", func() error {
			_, err := c.GetResInfo(ctx, epost.GetResInfoRequest{ReqType: epost.ReqNormal, OrderNo: "a=b", ReqYmd: "20240501"})
			return err
		}, "orderNo"},
		{"resinfo reqYmd", func() error {
			_, err := c.GetResInfo(ctx, epost.GetResInfoRequest{ReqType: epost.ReqNormal, OrderNo: "a", ReqYmd: "2024050\n"})
			return err
		}, "reqYmd"},
		{"reconcile orderNo", func() error { _, err := c.ReconcileOrder(ctx, long, "20240501"); return err }, "orderNo"},
		{"reconcile reqYmd", func() error { _, err := c.ReconcileOrder(ctx, "ORD-1", "2024-05-01"); return err }, "reqYmd"},
		{"cancel regiNo", func() error {
			_, err := c.GetResCancelCmd(ctx, epost.GetResCancelCmdRequest{ReqType: epost.ReqNormal, ReqNo: "202405010000000001",
				ResNo: "2024050100000002", RegiNo: "6000000000001\r\n"})
			return err
		}, "regiNo"},
		{"cancel reqNo long", func() error {
			_, err := c.GetResCancelCmd(ctx, epost.GetResCancelCmdRequest{ReqType: epost.ReqNormal, ReqNo: long,
				ResNo: "2024050100000002", RegiNo: "6000000000001"})
			return err
		}, "reqNo"},
		{"memberID", func() error { _, err := c.GetCustNo(ctx, "user&key=1"); return err }, "memberID"},
		{"track CR", func() error { _, err := c.Track(ctx, "600000\r0000001"); return err }, ""},
		{"track 1 MiB", func() error { _, err := c.TrackPublic(ctx, long); return err }, ""},
		{"office ser", func() error {
			_, err := c.InsertOffice(ctx, epost.InsertOfficeRequest{OfficeSer: "A\nB"})
			return err
		}, "officeSer"},
	}
	for _, tc := range cases {
		err := tc.run()
		var ve *kshop.ValidationError
		require.ErrorAs(t, err, &ve, tc.name)
		if tc.key != "" {
			assert.NotNil(t, ve.Field(tc.key), "%s: %v", tc.name, err)
		}
		assert.Less(t, len(err.Error()), 2000, tc.name)
	}
	assert.Zero(t, srv.TotalRequests(), "nothing was sent")
}

func TestInsertOrderPhoneErrorIsMasked(t *testing.T) {
	t.Parallel()
	_, c := newFake(t, eposttest.Options{})
	req := validOrder()
	req.RecMob = "010-1234-56789"
	_, err := c.InsertOrder(context.Background(), req)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "1234")
	assert.Contains(t, err.Error(), "recMob")
}

func TestSanitizeValuesOption(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{}, epost.WithSanitizeValues())
	req := validOrder()
	req.DelivMsg = "문 앞&벨=X\r\n"
	b, err := c.InsertOrder(context.Background(), req)
	require.NoError(t, err)
	o, _ := srv.Order(b.RegiNo)
	assert.Equal(t, "문 앞 벨 X  ", o.Items["delivMsg"])
}

func TestLengthRuleOption(t *testing.T) {
	t.Parallel()
	req := validOrder()
	req.RecNm = strings.Repeat("가", 14) // 14 characters, 28 EUC-KR bytes, 42 UTF-8 bytes

	srv, c := newFake(t, eposttest.Options{}, epost.WithLengthRule(epost.LengthCharacters))
	_, err := c.InsertOrder(context.Background(), req)
	var apiErr *epost.APIError
	require.ErrorAs(t, err, &apiErr, "the client lets it through, the fake counts UTF-8 bytes")
	assert.Equal(t, "ERR-321", apiErr.Code())
	assert.Equal(t, epost.DetailLength, apiErr.Parsed.Detail)
	assert.Equal(t, 1, srv.Requests("InsertOrder"))

	srv2, c2 := newFake(t, eposttest.Options{LengthRule: epost.LengthEUCKRBytes}, epost.WithLengthRule(epost.LengthEUCKRBytes))
	_, err = c2.InsertOrder(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, 1, srv2.Requests("InsertOrder"))
}

func TestWrongKeys(t *testing.T) {
	t.Parallel()
	srv := eposttest.NewServer(eposttest.Options{Now: fixedNow})
	t.Cleanup(srv.Close)

	creds := srv.Credentials()
	creds.SecurityKey = "abcdefghijkl1234567890"
	c, err := epost.NewClient(creds, srv.ClientOptions()...)
	require.NoError(t, err)
	_, err = c.InsertOrder(context.Background(), validOrder())
	var apiErr *epost.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "ERR-211", apiErr.Code())
	assert.Equal(t, 200, apiErr.HTTPStatusCode())
	assert.False(t, apiErr.Retryable())
	assert.Contains(t, apiErr.Hint, "security key")
	assert.Contains(t, err.Error(), "SecurityKey")
	assert.NotErrorIs(t, err, epost.ErrOutcomeUnknown, "a refusal is a definite answer")
	var shared kshop.APIError
	require.ErrorAs(t, err, &shared, "implements the shared method set")
	assert.Equal(t, "ERR-211", shared.Code())

	_, err = c.GetCustNo(context.Background(), eposttest.DefaultMemberID)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "ERR-511", apiErr.Code())
	assert.Contains(t, apiErr.Hint, "security key")

	creds = srv.Credentials()
	creds.APIKey = "WRONGKEY"
	c, err = epost.NewClient(creds, srv.ClientOptions()...)
	require.NoError(t, err)
	_, err = c.GetApprNo(context.Background(), epost.GetApprNoRequest{})
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "ERR-123", apiErr.Code())
	assert.Contains(t, apiErr.Hint, "30 days")
	assert.NotContains(t, err.Error(), "WRONGKEY")
}

// The rule that matters most: a booking is never sent twice, and a failure after the request
// left is reconcilable.
func TestInsertOrderOutcomeUnknownThenReconcile(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		fault eposttest.Fault
	}{
		{"5xx after booking", eposttest.Fault{Kind: eposttest.FaultStatus, Status: 503, CarryOut: true}},
		{"500 after booking", eposttest.Fault{Kind: eposttest.FaultStatus, CarryOut: true}},
		{"dropped connection after booking", eposttest.Fault{Kind: eposttest.FaultDrop, CarryOut: true}},
		{"malformed XML after booking", eposttest.Fault{Kind: eposttest.FaultTruncated, CarryOut: true}},
		{"empty body after booking", eposttest.Fault{Kind: eposttest.FaultEmptyBody, CarryOut: true}},
		{"firewall page after booking", eposttest.Fault{Kind: eposttest.FaultHTMLPage, CarryOut: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := newFake(t, eposttest.Options{})
			tc.fault.Call = "InsertOrder"
			srv.InjectFault(tc.fault)

			_, err := c.InsertOrder(context.Background(), validOrder())
			require.Error(t, err)
			assert.Equal(t, 1, srv.Requests("InsertOrder"), "sent exactly once")
			assert.ErrorIs(t, err, epost.ErrOutcomeUnknown)
			assert.ErrorIs(t, err, kshop.ErrOutcomeUnknown)
			var unknown *epost.UnknownOrderError
			require.ErrorAs(t, err, &unknown)
			assert.Equal(t, "ORD-20240501-0001", unknown.OrderNo)
			assert.Equal(t, "20240501", unknown.ReqYmd)
			assert.Equal(t, epost.ReqNormal, unknown.ReqType)
			var retry interface{ Retryable() bool }
			if errors.As(err, &retry) {
				assert.False(t, retry.Retryable(), "never retryable while the outcome is unknown")
			}

			rec, err := c.ReconcileOrder(context.Background(), unknown.OrderNo, unknown.ReqYmd)
			require.NoError(t, err)
			require.True(t, rec.Booked)
			orders := srv.Orders()
			require.Len(t, orders, 1, "booked exactly once")
			assert.Equal(t, orders[0].RegiNo, rec.Reservation.RegiNo)
			assert.Equal(t, epost.TreatPrinted, rec.Reservation.Status)
			assert.Equal(t, "02", rec.Reservation.StatusCode)
			assert.Len(t, rec.All, 1)
		})
	}
}

func TestInsertOrderFailureBeforeBookingReconcilesAsNotBooked(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{})
	srv.InjectFault(eposttest.Fault{Call: "InsertOrder", Kind: eposttest.FaultDrop})
	_, err := c.InsertOrder(context.Background(), validOrder())
	var unknown *epost.UnknownOrderError
	require.ErrorAs(t, err, &unknown)
	assert.Equal(t, 1, srv.Requests("InsertOrder"))

	rec, err := c.ReconcileOrder(context.Background(), unknown.OrderNo, unknown.ReqYmd)
	require.NoError(t, err)
	assert.False(t, rec.Booked)
	assert.Empty(t, rec.All)
	assert.Empty(t, srv.Orders())
}

func TestInsertOrderCancelledContextAfterSend(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{})
	srv.InjectFault(eposttest.Fault{Call: "InsertOrder", Delay: 1 << 40}) // held until the client leaves
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.InsertOrder(ctx, validOrder())
		done <- err
	}()
	require.Eventually(t, func() bool { return srv.Requests("InsertOrder") == 1 }, 10e9, 1e6)
	cancel()
	err := <-done
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, epost.ErrOutcomeUnknown, "the request was written before the context ended")
	assert.Equal(t, 1, srv.Requests("InsertOrder"))
}

func TestIdempotentCallsRetry(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{})
	b, err := c.InsertOrder(context.Background(), validOrder())
	require.NoError(t, err)

	srv.InjectFault(eposttest.Fault{Call: "GetResInfo", Kind: eposttest.FaultStatus, Status: 503, Times: 2})
	list, err := c.GetResInfo(context.Background(), epost.GetResInfoRequest{ReqType: epost.ReqNormal, OrderNo: b.OrderNo, ReqYmd: b.ReqYmd})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, 3, srv.Requests("GetResInfo"), "two 503s retried")

	srv.InjectFault(eposttest.Fault{Call: "GetResInfo", Kind: eposttest.FaultStatus, Status: 503, Times: 5})
	_, err = c.GetResInfo(context.Background(), epost.GetResInfoRequest{ReqType: epost.ReqNormal, OrderNo: b.OrderNo, ReqYmd: b.ReqYmd})
	var apiErr *epost.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 503, apiErr.HTTPStatusCode())
	assert.True(t, apiErr.Retryable())
	assert.NotErrorIs(t, err, epost.ErrOutcomeUnknown)
	assert.Equal(t, 6, srv.Requests("GetResInfo"), "1 + 2 retries")

	srv.ClearFaults()
	srv.InjectFault(eposttest.Fault{Call: "GetResInfo", Kind: eposttest.FaultTruncated})
	_, err = c.GetResInfo(context.Background(), epost.GetResInfoRequest{ReqType: epost.ReqNormal, OrderNo: b.OrderNo, ReqYmd: b.ReqYmd})
	var respErr *epost.ResponseError
	require.ErrorAs(t, err, &respErr)
	assert.Equal(t, epost.ProblemTruncated, respErr.Problem)
	assert.Contains(t, err.Error(), "truncated")
	assert.NotErrorIs(t, err, epost.ErrOutcomeUnknown, "a lookup changes nothing")
	assert.NotEmpty(t, respErr.Body)
	assert.Equal(t, 7, srv.Requests("GetResInfo"), "a 200 answer is not retried")
}

func TestNonIdempotentCallsRetryOnlyUnsent(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{})
	srv.InjectFault(eposttest.Fault{Call: "InsertOrder", Kind: eposttest.FaultStatus, Status: 429})
	b, err := c.InsertOrder(context.Background(), validOrder())
	require.NoError(t, err, "429 means refused, so the booking is retried")
	assert.Equal(t, 2, srv.Requests("InsertOrder"))
	assert.Len(t, srv.Orders(), 1)

	srv.InjectFault(eposttest.Fault{Call: "GetResCancelCmd", Kind: eposttest.FaultStatus, Status: 502, CarryOut: true})
	_, err = c.GetResCancelCmd(context.Background(), b.CancelRequest(false))
	assert.ErrorIs(t, err, epost.ErrOutcomeUnknown)
	assert.Equal(t, 1, srv.Requests("GetResCancelCmd"))
	list, err := c.GetResInfo(context.Background(), epost.GetResInfoRequest{ReqType: b.ReqType, OrderNo: b.OrderNo, ReqYmd: b.ReqYmd})
	require.NoError(t, err)
	assert.Equal(t, epost.TreatCancelled, list[0].Status, "the cancel happened")

	srv.InjectFault(eposttest.Fault{Call: "InsertOffice", Kind: eposttest.FaultDrop})
	_, err = c.InsertOffice(context.Background(), epost.InsertOfficeRequest{
		OfficeSer: "02", OfficeNm: "제2센터", OfficeZip: "30114", OfficeAddr1: "세종시 도움5로 19", OfficeAddr2: "(어진동)",
		OfficeTelno: "044-123-4567", ContactNm: "김담당",
	})
	assert.ErrorIs(t, err, epost.ErrOutcomeUnknown)
	assert.Equal(t, 1, srv.Requests("InsertOffice"))
}

func TestCancelRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		reqType  epost.ReqType
		printYn  epost.YesNo
		moveTo   epost.TreatStatus
		deleted  bool
		outcome  epost.CancelOutcome
		refused  bool
		reason   string
		listable bool
	}{
		{"normal, booked", epost.ReqNormal, epost.No, 0, false, epost.CancelDone, false, "", true},
		{"normal, printed", epost.ReqNormal, epost.Yes, 0, false, epost.CancelDone, false, "", true},
		{"normal, printed, delete", epost.ReqNormal, epost.Yes, 0, true, epost.CancelDeleted, false, "", false},
		{"normal, picked up", epost.ReqNormal, epost.Yes, epost.TreatPickedUp, false, "", true, "집하 완료", true},
		{"return, booked", epost.ReqReturn, "", 0, false, epost.CancelDone, false, "", true},
		{"return, printed", epost.ReqReturn, "", epost.TreatPrinted, false, "", true, "운송장 출력 완료", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := newFake(t, eposttest.Options{})
			req := validOrder()
			req.ReqType, req.PrintYn = tc.reqType, tc.printYn
			b, err := c.InsertOrder(context.Background(), req)
			require.NoError(t, err)
			if tc.moveTo != 0 {
				require.NoError(t, srv.SetStatus(b.RegiNo, tc.moveTo))
			}
			res, err := c.GetResCancelCmd(context.Background(), b.CancelRequest(tc.deleted))
			if tc.refused {
				var refused *epost.CancelRefusedError
				require.ErrorAs(t, err, &refused)
				assert.ErrorIs(t, err, epost.ErrCancelRefused)
				assert.Equal(t, tc.reason, refused.Result.NotCancelReason)
				assert.Equal(t, b.RegiNo, refused.Result.RegiNo, "waybill unchanged")
				_, still := srv.Order(b.RegiNo)
				assert.True(t, still)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.outcome, res.Outcome)
			assert.Equal(t, b.RegiNo, res.CancelRegiNo, "read from cancelregino")
			assert.Equal(t, b.ReqNo, res.ReqNo, "read from reqno")
			assert.NotEqual(t, b.RegiNo, res.RegiNo, "a cancel issues a new waybill")
			assert.Len(t, res.RegiNo, 13)
			assert.Equal(t, "2024-05-01 10:00", res.CancelDate.Format("2006-01-02 15:04"))
			_, old := srv.Order(b.RegiNo)
			assert.False(t, old, "the old waybill is retired")
			o, ok := srv.Order(res.RegiNo)
			require.True(t, ok)
			assert.Equal(t, []string{b.RegiNo}, o.CancelledRegiNos)

			list, err := c.GetResInfo(context.Background(), epost.GetResInfoRequest{ReqType: b.ReqType, OrderNo: b.OrderNo, ReqYmd: b.ReqYmd})
			if !tc.listable {
				assert.ErrorIs(t, err, epost.ErrNotFound, "cancel and delete: no longer listed")
				return
			}
			require.NoError(t, err)
			require.Len(t, list, 1)
			assert.Equal(t, epost.TreatCancelled, list[0].Status)
			assert.Equal(t, res.RegiNo, list[0].RegiNo)
			assert.Empty(t, list[0].ResNo, "resNo is null after a cancel")
			assert.True(t, list[0].ResDate.IsZero())

			rec, err := c.ReconcileOrder(context.Background(), b.OrderNo, b.ReqYmd, epost.ReconcileReqType(b.ReqType))
			require.NoError(t, err)
			assert.False(t, rec.Booked, "a cancelled booking does not count")
			assert.Equal(t, epost.TreatCancelled, rec.Reservation.Status)
		})
	}
}

func TestRebookingAfterCancelNeverReusesWaybills(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{})
	seen := map[string]bool{}
	for i := 0; i < 5; i++ {
		b, err := c.InsertOrder(context.Background(), validOrder())
		require.NoError(t, err)
		res, err := c.GetResCancelCmd(context.Background(), b.CancelRequest(false))
		require.NoError(t, err)
		for _, w := range []string{b.RegiNo, res.RegiNo} {
			assert.False(t, seen[w], "waybill %s issued twice", w)
			seen[w] = true
		}
	}
	assert.Len(t, srv.Orders(), 5)
	rec, err := c.ReconcileOrder(context.Background(), "ORD-20240501-0001", "20240501")
	require.NoError(t, err)
	assert.False(t, rec.Booked)
	assert.Len(t, rec.All, 5)
}

func TestTestOrders(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{})
	req := validOrder()
	req.TestYn = epost.Yes
	b, err := c.InsertOrder(context.Background(), req)
	require.NoError(t, err)
	assert.Equal(t, epost.TestWaybill, b.RegiNo)
	assert.True(t, b.Test)
	assert.Empty(t, srv.Orders(), "test orders are not stored")

	rec, err := c.ReconcileOrder(context.Background(), b.OrderNo, b.ReqYmd)
	require.NoError(t, err)
	assert.False(t, rec.Booked)

	_, err = c.GetResCancelCmd(context.Background(), b.CancelRequest(false))
	assert.ErrorIs(t, err, epost.ErrTestWaybill)
	_, err = c.Track(context.Background(), b.RegiNo)
	assert.ErrorIs(t, err, epost.ErrTestWaybill)
	assert.Zero(t, srv.Requests("GetResCancelCmd")+srv.Requests(eposttest.CallBizTrace))
}

func TestLookupsOnFake(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{StoppedZips: []epost.StoppedZipRange{
		{AreaNm: "경북 울릉", StartZip: "40200", EndZip: "40240", StartYmd: "20240101", EndYmd: "20240105", Reason: "기상 악화"},
		{AreaNm: "인천 옹진", StartZip: "23100", EndZip: "23100", StartYmd: "20240420", EndYmd: "20240510", Reason: "선박 운항 중단"},
	}})
	ctx := context.Background()

	custNo, err := c.GetCustNo(ctx, eposttest.DefaultMemberID)
	require.NoError(t, err)
	assert.Equal(t, eposttest.DefaultCustomerNo, custNo)
	_, err = c.GetCustNo(ctx, "nobody")
	var apiErr *epost.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "ERR-511", apiErr.Code())

	contracts, err := c.GetApprNo(ctx, epost.GetApprNoRequest{Status: epost.ContractApproved, Expired: epost.AnyExpiry})
	require.NoError(t, err)
	require.Len(t, contracts, 1)
	assert.Equal(t, eposttest.DefaultApprovalNo, contracts[0].ApprNo)
	assert.Equal(t, "후납", contracts[0].PayTypeNm)

	all, err := c.GetStoppedZipCd(ctx, "")
	require.NoError(t, err)
	require.Len(t, all, 2)
	assert.Equal(t, "23100", all[1].EndZip, "a null endZipCd means the single start code")
	assert.True(t, all[1].ActiveOn("20240501"))
	assert.False(t, all[0].ActiveOn("20240501"))
	one, err := c.GetStoppedZipCd(ctx, "40210")
	require.NoError(t, err)
	require.Len(t, one, 1)
	assert.True(t, one[0].Contains("40210"))
	none, err := c.GetStoppedZipCd(ctx, "06236")
	require.NoError(t, err, "ERR-125 means none")
	assert.Empty(t, none)
	_, err = c.GetStoppedZipCd(ctx, "0623")
	var ve *kshop.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "epost.GetStoppedZipCd", ve.Op)
	assert.NotNil(t, ve.Field("zipCd"))

	office := epost.InsertOfficeRequest{
		OfficeSer: "06", OfficeNm: "전남공급지", OfficeZip: "58323", OfficeAddr1: "전남 나주시 정보화길 1",
		OfficeAddr2: "(빛가람동)", OfficeTelno: "0611234-5678", ContactNm: "홍길동", ChrgPrsnMob: "01012345678",
		ChrgPrsnEmail: "test@koreapost.go.kr", OfficeSortSeq: 2, OfficeDivCd: epost.OfficeReturn,
	}
	res, err := c.InsertOffice(ctx, office)
	require.NoError(t, err)
	assert.Equal(t, "Y", res.ChkResult)
	assert.Equal(t, "나주우체국", res.RegiPoNm)
	_, err = c.InsertOffice(ctx, office)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "ERR-226", apiErr.Code())
	assert.Equal(t, epost.DetailAlreadyExists, apiErr.Parsed.Detail)

	offices, err := c.GetOfficeInfo(ctx, 0)
	require.NoError(t, err)
	require.Len(t, offices, 2)
	assert.Equal(t, "061-1234-5678", offices[1].OfficeTelno, "office phones are sent hyphenated")
	assert.Equal(t, "010-1234-5678", offices[1].ChrgPrsnMob)
	returnsOnly, err := c.GetOfficeInfo(ctx, epost.OfficeReturn)
	require.NoError(t, err)
	require.Len(t, returnsOnly, 1)
	assert.Equal(t, "06", returnsOnly[0].OfficeSer)
	assert.Equal(t, 2, srv.Requests("GetOfficeInfo"))
}

func TestGETMethodOption(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{}, epost.WithHTTPMethod(http.MethodGet))
	contracts, err := c.GetApprNo(context.Background(), epost.GetApprNoRequest{})
	require.NoError(t, err)
	assert.Len(t, contracts, 1)
	assert.Equal(t, 1, srv.Requests("GetApprNo"))
}

// What goes over the wire: a form POST with key and regData only, the recommended headers.
func TestRequestShape(t *testing.T) {
	t.Parallel()
	type seen struct {
		method, contentType, connection, userAgent, query string
		form                                              url.Values
	}
	var got atomic.Pointer[seen]
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		got.Store(&seen{r.Method, r.Header.Get("Content-Type"), r.Header.Get("Connection"), r.UserAgent(), r.URL.RawQuery, form})
		_, _ = w.Write([]byte(`<response><custNo>0001234567</custNo></response>`))
	}))
	t.Cleanup(ts.Close)
	c, err := epost.NewClient(epost.Credentials{APIKey: "APIKEY", SecurityKey: eposttest.DefaultSecurityKey},
		epost.WithBaseURL(ts.URL), epost.WithUserAgent("myshop/1.0"))
	require.NoError(t, err)
	custNo, err := c.GetCustNo(context.Background(), "user01")
	require.NoError(t, err)
	assert.Equal(t, "0001234567", custNo)

	s := got.Load()
	require.NotNil(t, s)
	assert.Equal(t, http.MethodPost, s.method)
	assert.True(t, strings.HasPrefix(s.contentType, "application/x-www-form-urlencoded"))
	assert.Equal(t, "keep-alive", s.connection)
	assert.True(t, strings.HasPrefix(s.userAgent, "myshop/1.0 kshop-go/"), s.userAgent)
	assert.Empty(t, s.query, "nothing in the URL")
	assert.Equal(t, []string{"APIKEY"}, s.form["key"])
	require.Len(t, s.form["regData"], 1)
	plain, err := epost.DecryptRegData(eposttest.DefaultSecurityKey, s.form["regData"][0])
	require.NoError(t, err)
	assert.Equal(t, "memberID=user01", plain)
	assert.Len(t, s.form, 2)
}

func TestLogsAreRedacted(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, c := newFake(t, eposttest.Options{}, epost.WithLogger(logger))
	srv.InjectFault(eposttest.Fault{Call: "GetResInfo", Kind: eposttest.FaultStatus, Status: 503})
	b, err := c.InsertOrder(context.Background(), validOrder())
	require.NoError(t, err)
	_, err = c.GetResInfo(context.Background(), epost.GetResInfoRequest{ReqType: b.ReqType, OrderNo: b.OrderNo, ReqYmd: b.ReqYmd})
	require.NoError(t, err)
	_, err = c.TrackPublic(context.Background(), "6012345678901")
	require.Error(t, err)

	logs := buf.String()
	require.NotEmpty(t, logs)
	for _, secret := range []string{eposttest.DefaultAPIKey, eposttest.DefaultSecurityKey, eposttest.DefaultTraceServiceKey,
		url.QueryEscape(eposttest.DefaultTraceServiceKey), "01012345678", "1234-5678"} {
		assert.NotContains(t, logs, secret)
	}
	assert.NotRegexp(t, `regData=[0-9a-f]{32}`, logs)
}

func TestCredentialsNeverPrintKeys(t *testing.T) {
	t.Parallel()
	creds := epost.Credentials{APIKey: "SECRETAPIKEY000000000000000000", SecurityKey: "SECRETSECURITYKEY00000", CustomerNo: "0001234567"}
	c, err := epost.NewClient(creds)
	require.NoError(t, err)
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "creds", creds)
	for _, s := range []string{fmt.Sprint(creds), fmt.Sprintf("%+v", creds), fmt.Sprintf("%#v", creds), fmt.Sprint(c), buf.String()} {
		assert.NotContains(t, s, "SECRET")
		assert.Contains(t, s, "0001234567")
	}
	res := c.TrackMany(context.Background(), []string{"6000000000001"}, epost.TrackManyOptions{Source: "ems"})
	assert.ErrorIs(t, res[0].Err, epost.ErrInvalid)
}

func TestInsertOrderRegDataLimit(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{})
	req := validOrder()
	req.GoodsNm = strings.Repeat("a", 400)
	req.GoodsCd = strings.Repeat("b", 400)
	req.GoodsMdl = strings.Repeat("c", 400)
	req.RecAddr2 = strings.Repeat("d", 300)
	req.DelivMsg = strings.Repeat("e", 200)
	req.RecAddr1 = strings.Repeat("f", 150)
	req.OrdCompNm = strings.Repeat("g", 100)
	_, err := c.InsertOrder(context.Background(), req)
	assert.ErrorIs(t, err, epost.ErrRegDataTooLong, "every item fits, their sum does not")
	var ve *kshop.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "epost.InsertOrder", ve.Op)
	assert.NotNil(t, ve.Field("regData"))
	assert.Zero(t, srv.Requests("InsertOrder"))
}

func TestTrackingOnlyClientRefusesContractCalls(t *testing.T) {
	t.Parallel()
	c, err := epost.NewClient(epost.Credentials{}, epost.WithTraceServiceKey("k"))
	require.NoError(t, err)
	_, err = c.GetApprNo(context.Background(), epost.GetApprNoRequest{})
	var ve *kshop.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.NotNil(t, ve.Field("Credentials"))
	_, err = c.InsertOrder(context.Background(), validOrder())
	require.ErrorAs(t, err, &ve)
	assert.NotNil(t, ve.Field("Credentials"))
	assert.Equal(t, "epost.InsertOrder", ve.Op)
}

// A dereferenced client (*c) must print no key under any verb either: fmt's bad-verb fallback
// would otherwise walk its fields.
func TestDereferencedClientPrintsNoKeyUnderAnyVerb(t *testing.T) {
	t.Parallel()
	creds := epost.Credentials{APIKey: "SECRETAPIKEY000000000000000000", SecurityKey: "SECRETSECURITYKEY00000", CustomerNo: "0001234567"}
	c, err := epost.NewClient(creds, epost.WithTraceServiceKey("SECRETTRACEKEY"))
	require.NoError(t, err)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%t"} {
		// In an unexported field fmt cannot call the client's methods and prints its fields.
		for _, v := range []any{c, *c, struct{ C epost.Client }{*c}, struct{ c epost.Client }{*c}, []*epost.Client{c}} {
			assert.NotContains(t, fmt.Sprintf(verb, v), "SECRET", verb)
		}
	}
}
