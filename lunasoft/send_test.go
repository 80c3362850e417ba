package lunasoft_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/lunasoft"
	"github.com/kshop-dev/kshop/lunasoft/lunasofttest"
)

func TestSendLiteralWireBody(t *testing.T) {
	t.Parallel()
	rs := newRawServer(t, func(int, string) (int, string) {
		return 200, `{"code":0,"msg":"success","messages":[{"no":"0","result_code":0,"result_msg":"OK"},{"no":"1","result_code":"0"}]}`
	})
	c := rawClient(t, rs.URL, lunasoft.WithConcurrency(1))
	msgs := []alimtalk.Message{
		orderMessage("010-1234-5678", "r1", "A-1"),
		{To: "+82 10 2222 3333", TemplateCode: "SHIPPING_STARTED", Ref: "r2",
			Variables: map[string]string{"customerName": "김\"철수", "courier": "우체국택배", "waybillNo": "6012345678901", "orderNo": "A-2"},
			Failover:  &alimtalk.Failover{}, ScheduledAt: testNow().Add(2 * time.Hour)},
	}
	res, err := c.Send(bg, msgs)
	require.NoError(t, err)
	require.Len(t, res, 2)
	assert.Equal(t, alimtalk.StatusAccepted, res[0].Status)
	assert.Equal(t, alimtalk.StatusReserved, res[1].Status)
	assert.Equal(t, "01022223333", res[1].To)
	assert.Equal(t, "r2", res[1].Ref)
	assert.Equal(t, testNow(), res[0].SentAt)
	got := rs.requests()
	require.Len(t, got, 2, "one request per template")
	assert.Equal(t, `{"userid":"shop01","api_key":"`+testAPIKey+`","template_id":50034,"messages":[`+
		`{"no":"0","tel_num":"01012345678","custom_key":"r1","msg_content":"홍길동님의 주문 A-1이(가) 접수되었습니다.",`+
		`"sms_content":"홍길동님의 주문 A-1이(가) 접수되었습니다.","use_sms":"0"}]}`, got[0])
	assert.Equal(t, `{"userid":"shop01","api_key":"`+testAPIKey+`","template_id":50035,"messages":[`+
		`{"no":"0","tel_num":"01022223333","reserve_time":"2030-01-02 12:00:00","custom_key":"r2",`+
		`"msg_content":"김\"철수님, 상품이 발송되었습니다.\n택배사: 우체국택배\n송장번호: 6012345678901",`+
		`"sms_content":"김\"철수님, 상품이 발송되었습니다.\n택배사: 우체국택배\n송장번호: 6012345678901","use_sms":"1",`+
		`"carrier_code":"2","invoice_number":"6012345678901",`+
		`"btn_url":[{"url_pc":"","url_mobile":"https://shop.example/o/A-2","scheme_android":"","scheme_ios":""}]}]}`, got[1])
}

func TestSendMessagesLunasoftFields(t *testing.T) {
	t.Parallel()
	rs := newRawServer(t, func(int, string) (int, string) { return 200, `{"code":"0","msg":"success"}` })
	c := rawClient(t, rs.URL)
	res, err := c.SendMessages(bg, []lunasoft.Message{{
		Message:   alimtalk.Message{TemplateCode: "50034", Ref: "app-1", Text: "홍길동님의 주문 A-1이(가) 접수되었습니다."},
		AppUserID: "user-77", Price: 75000, Currency: "KRW", Carrier: lunasoft.CarrierCJ, InvoiceNumber: "1234",
	}})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusAccepted, res[0].Status)
	assert.Empty(t, res[0].To, "an app-user message has no phone number")
	got := rs.requests()
	require.Len(t, got, 1)
	assert.Equal(t, `{"userid":"shop01","api_key":"`+testAPIKey+`","template_id":50034,"messages":[`+
		`{"no":"0","app_user_id":"user-77","custom_key":"app-1","msg_content":"홍길동님의 주문 A-1이(가) 접수되었습니다.",`+
		`"sms_content":"홍길동님의 주문 A-1이(가) 접수되었습니다.","use_sms":"0","carrier_code":"1","invoice_number":"1234",`+
		`"price":75000,"currency_code":"KRW"}]}`, got[0])
}

func TestSendGroupsChunksAndOrders(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, lunasofttest.Options{}, lunasoft.WithChunkSize(3), lunasoft.WithConcurrency(2))
	var msgs []alimtalk.Message
	for i := range 10 {
		if i%2 == 0 {
			msgs = append(msgs, orderMessage(fmt.Sprintf("010-1000-%04d", i), fmt.Sprintf("o%d", i), fmt.Sprint(i)))
		} else {
			msgs = append(msgs, alimtalk.Message{To: fmt.Sprintf("010-2000-%04d", i), TemplateCode: "50036", Ref: fmt.Sprintf("e%d", i),
				Variables: map[string]string{"name": "가", "point": "100"}})
		}
	}
	res, err := c.Send(bg, msgs)
	require.NoError(t, err)
	require.Len(t, res, 10)
	for i, r := range res {
		assert.Equal(t, alimtalk.StatusAccepted, r.Status, "message %d: %v", i, r.Err)
		assert.Equal(t, msgs[i].Ref, r.Ref)
		assert.NotEmpty(t, r.Text)
	}
	assert.Equal(t, 4, srv.Requests(lunasofttest.CallSend), "5 + 5 messages in chunks of 3")
	assert.Len(t, srv.Sent(), 10)
	for _, m := range srv.Sent() {
		if m.Ref == "e1" {
			assert.Equal(t, "100P 적립", m.Title, "the emphasis title is rendered and sent")
		}
	}
}

func TestSendValidationFailsAlone(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, lunasofttest.Options{})
	long := make([]byte, 41)
	for i := range long {
		long[i] = 'k'
	}
	msgs := []alimtalk.Message{
		orderMessage("010-1234-5678", "ok", "1"),
		orderMessage("010-12", "badphone", "2"),
		{To: "010-1234-5679", TemplateCode: "NOT_A_NUMBER", Text: "x", Ref: "badcode"},
		orderMessage("010-1234-5670", string(long), "3"),
		{To: "010-1234-5671", TemplateCode: "SHIPPING_STARTED", Ref: "notrack",
			Variables: map[string]string{"customerName": "가", "orderNo": "9", "courier": "", "waybillNo": ""}},
		{To: "010-1234-5672", TemplateCode: "SHIPPING_STARTED", Ref: "badcourier",
			Variables: map[string]string{"customerName": "가", "orderNo": "9", "courier": "달나라택배", "waybillNo": "1"}},
		orderMessage("010-1234-5673", "ok", "dup"),
		{To: "010-1234-5674", TemplateCode: "ORDER_RECEIVED", Ref: "late", ScheduledAt: testNow().Add(90 * 24 * time.Hour),
			Variables: map[string]string{"customerName": "가", "orderNo": "1"}},
		{To: "010-1234-5675", TemplateCode: "ORDER_RECEIVED", Ref: "ctl", Variables: map[string]string{"customerName": "가\x07", "orderNo": "1"}},
	}
	res, err := c.Send(bg, msgs)
	require.NoError(t, err)
	want := []alimtalk.Status{alimtalk.StatusAccepted, alimtalk.StatusInvalid, alimtalk.StatusInvalid, alimtalk.StatusInvalid,
		alimtalk.StatusInvalid, alimtalk.StatusInvalid, alimtalk.StatusInvalid, alimtalk.StatusInvalid, alimtalk.StatusInvalid}
	for i, r := range res {
		assert.Equal(t, want[i], r.Status, "message %d (%s): %v", i, msgs[i].Ref, r.Err)
		if want[i] == alimtalk.StatusInvalid {
			assert.ErrorIs(t, r.Err, alimtalk.ErrInvalid)
		}
	}
	field := func(i int, name string) *alimtalk.FieldError {
		var fes alimtalk.FieldErrors
		require.ErrorAs(t, res[i].Err, &fes)
		return fes.Field(name)
	}
	assert.NotNil(t, field(2, "template_id"))
	assert.NotNil(t, field(3, "custom_key"))
	assert.NotNil(t, field(4, "carrier_code"))
	assert.NotNil(t, field(4, "invoice_number"), "every problem at once")
	assert.NotNil(t, field(5, "carrier_code"))
	assert.NotNil(t, field(6, "custom_key"), "a repeated Ref")
	assert.Equal(t, 1, srv.Requests(lunasofttest.CallSend))
	assert.Len(t, srv.Sent(), 1)
}

func TestSendRefusesLinkTemplateWithoutURLs(t *testing.T) {
	t.Parallel()
	linked := alimtalk.NewTemplateSet(alimtalk.Template{Code: "50035", Content: "#{customerName}님 발송 #{waybillNo}",
		Buttons: []alimtalk.Button{{Type: alimtalk.ButtonWebLink, Name: "배송 조회", URLMobile: "#{link}"}}})
	srv, c := newFake(t, lunasofttest.Options{}, lunasoft.WithTemplates(linked))
	res, err := c.Send(bg, []alimtalk.Message{{To: "010-1234-5678", TemplateCode: "50035", Ref: "nourl",
		Variables: map[string]string{"customerName": "가", "waybillNo": "1", "courier": "CJ", "link": ""}}})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusInvalid, res[0].Status, "Lunasoft would take it and deliver nothing")
	var fes alimtalk.FieldErrors
	require.ErrorAs(t, res[0].Err, &fes)
	assert.NotNil(t, fes.Field("buttons[0].url_mobile"), "%v", fes)
	assert.Zero(t, srv.Requests(lunasofttest.CallSend))
}

func TestSendGeneratesRefs(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, lunasofttest.Options{})
	res, err := c.Send(bg, []alimtalk.Message{orderMessage("010-1234-5678", "", "1"), orderMessage("010-1234-5679", "", "2")})
	require.NoError(t, err)
	require.Len(t, res, 2)
	assert.Regexp(t, `^ls[0-9a-f]{32}$`, res[0].Ref)
	assert.NotEqual(t, res[0].Ref, res[1].Ref)
	assert.Equal(t, res[0].Ref, srv.Sent()[0].Ref, "the generated Ref is the custom_key")
}

func TestSendPerMessageRefusal(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, lunasofttest.Options{})
	msgs := []alimtalk.Message{
		orderMessage("010-1234-5678", "a", "1"),
		{To: "010-1234-5679", TemplateCode: "50034", Ref: "b", Text: "전혀 다른 문구"}, // the client has the catalog: invalid
	}
	c2, err := lunasoft.NewClient(srv.Credentials(), lunasoft.WithBaseURL(srv.URL()), lunasoft.WithClock(testNow)) // no catalog
	require.NoError(t, err)
	res, err := c2.Send(bg, append(msgs[1:], alimtalk.Message{To: "010-1234-5670", TemplateCode: "50034", Ref: "c",
		Text: "홍길동님의 주문 1이(가) 접수되었습니다."}))
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusRejected, res[0].Status)
	var apiErr *lunasoft.APIError
	require.ErrorAs(t, res[0].Err, &apiErr)
	assert.Equal(t, lunasofttest.CodeTemplateMismatch, apiErr.Code())
	assert.Equal(t, 200, apiErr.HTTPStatusCode())
	assert.False(t, apiErr.Retryable())
	assert.Equal(t, alimtalk.StatusAccepted, res[1].Status, "code 0 with one failed message fails only that message")
	_ = c
	assert.Equal(t, 1, srv.Requests(lunasofttest.CallSend))
}

func TestSendWrongKeyStopsTheBatch(t *testing.T) {
	t.Parallel()
	srv := lunasofttest.NewServer(lunasofttest.Options{Templates: testTemplates(), Now: testNow})
	t.Cleanup(srv.Close)
	c, err := lunasoft.NewClient(lunasoft.Credentials{UserID: lunasofttest.DefaultUserID, APIKey: "wrong-key-000"},
		srv.ClientOptions(lunasoft.WithChunkSize(1), lunasoft.WithConcurrency(1))...)
	require.NoError(t, err)
	res, err := c.Send(bg, []alimtalk.Message{orderMessage("010-1234-5678", "a", "1"), orderMessage("010-1234-5679", "b", "2")})
	require.Error(t, err)
	assert.ErrorIs(t, err, lunasoft.ErrUnauthorized)
	assert.Equal(t, alimtalk.StatusRejected, res[0].Status)
	assert.Equal(t, alimtalk.StatusNotSent, res[1].Status)
	assert.Equal(t, 1, srv.Requests(lunasofttest.CallSend))
	assert.NotContains(t, err.Error(), "wrong-key-000")
}

func TestSendUnknownOutcomes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		fault    lunasofttest.Fault
		requests int
		status   alimtalk.Status
		sent     int
	}{
		{"500 carried out", lunasofttest.Fault{Kind: lunasofttest.FaultStatus, CarryOut: true}, 1, alimtalk.StatusUnknown, 1},
		{"503 not carried out", lunasofttest.Fault{Kind: lunasofttest.FaultStatus, Status: 503}, 1, alimtalk.StatusUnknown, 0},
		{"drop after carrying out", lunasofttest.Fault{Kind: lunasofttest.FaultDrop, CarryOut: true}, 1, alimtalk.StatusUnknown, 1},
		{"truncated", lunasofttest.Fault{Kind: lunasofttest.FaultTruncated, CarryOut: true}, 1, alimtalk.StatusUnknown, 1},
		{"HTML page", lunasofttest.Fault{Kind: lunasofttest.FaultHTMLPage}, 1, alimtalk.StatusUnknown, 0},
		{"empty body", lunasofttest.Fault{Kind: lunasofttest.FaultEmptyBody}, 1, alimtalk.StatusUnknown, 0},
		{"429 then success", lunasofttest.Fault{Kind: lunasofttest.FaultTooManyRequests}, 2, alimtalk.StatusAccepted, 1},
		{"429 four times", lunasofttest.Fault{Kind: lunasofttest.FaultTooManyRequests, Times: 4}, 4, alimtalk.StatusNotSent, 0},
		{"delay past the timeout", lunasofttest.Fault{Kind: lunasofttest.FaultDelay, Delay: 2 * time.Second}, 1, alimtalk.StatusUnknown, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := newFake(t, lunasofttest.Options{}, lunasoft.WithTimeout(300*time.Millisecond))
			srv.InjectFault(tc.fault)
			res, err := c.Send(bg, []alimtalk.Message{orderMessage("010-1234-5678", "u1", "1"), orderMessage("010-1234-5679", "u2", "2")})
			require.NoError(t, err)
			require.Len(t, res, 2)
			assert.Equal(t, tc.requests, srv.Requests(lunasofttest.CallSend))
			assert.Len(t, srv.Sent(), 2*tc.sent)
			for _, r := range res {
				assert.Equal(t, tc.status, r.Status, "%v", r.Err)
				assert.Equal(t, tc.status == alimtalk.StatusUnknown, errors.Is(r.Err, lunasoft.ErrOutcomeUnknown), "%v", r.Err)
				if tc.status == alimtalk.StatusNotSent {
					assert.ErrorIs(t, r.Err, lunasoft.ErrNotSent)
				}
				var apiErr kshop.APIError
				if errors.As(r.Err, &apiErr) && r.Status == alimtalk.StatusUnknown {
					assert.True(t, apiErr.OutcomeUnknown())
					assert.False(t, apiErr.Retryable())
				}
			}
		})
	}
}

func TestSendNilContextAndCancelled(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, lunasofttest.Options{})
	//lint:ignore SA1012 the nil context is the point of the test
	_, err := c.Send(nil, nil) //nolint:staticcheck
	var ve *kshop.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "lunasoft.Send", ve.Op)

	ctx, cancel := context.WithCancel(bg)
	cancel()
	res, err := c.Send(ctx, []alimtalk.Message{orderMessage("010-1234-5678", "x", "1"), orderMessage("010-1234", "y", "2")})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, alimtalk.StatusNotSent, res[0].Status)
	assert.Equal(t, alimtalk.StatusInvalid, res[1].Status, "invalid whatever happens to the others")
	assert.Zero(t, srv.Requests(lunasofttest.CallSend))
}
