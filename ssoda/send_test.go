package ssoda_test

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
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
)

func TestSendRendersAndIsAccepted(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, ssodatest.Options{})
	path := srv.Paths().SendAlimTalk

	res, err := c.Send(t.Context(), []alimtalk.Message{orderMessage("010-1234-5678", "A-1001")})
	require.NoError(t, err)
	require.Len(t, res, 1)
	assert.Equal(t, alimtalk.StatusAccepted, res[0].Status, "%v", res[0].Err)
	assert.Equal(t, "order-A-1001", res[0].Ref)
	assert.Equal(t, "01012345678", res[0].To)
	assert.NotEmpty(t, res[0].MessageID)

	assert.Equal(t, 1, srv.Requests(path))
	sent := srv.Sent()
	require.Len(t, sent, 1)
	assert.Equal(t, res[0].MessageID, sent[0].ID)
	assert.Equal(t, orderText("A-1001"), sent[0].Text)
	require.Len(t, sent[0].Buttons, 1)
	assert.Equal(t, "https://shop.example/orders/A-1001", sent[0].Buttons[0].URLMobile)
	assert.InDelta(t, ssodatest.DefaultPoints-8, srv.Points(), 0.001)
}

func TestSendBatchWithOneInvalidRecipient(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, ssodatest.Options{})
	msgs := []alimtalk.Message{
		orderMessage("010-1111-2222", "B-1"),
		orderMessage("02-123-4567", "B-2"), // a landline cannot receive AlimTalk
		orderMessage("010-3333-4444", "B-3"),
		orderMessage("+82 10-5555-6666", "B-4"),
	}
	res, err := c.Send(t.Context(), msgs)
	require.NoError(t, err)
	require.Len(t, res, 4)
	for _, i := range []int{0, 2, 3} {
		assert.Equal(t, alimtalk.StatusAccepted, res[i].Status, "message %d: %v", i, res[i].Err)
		assert.Equal(t, msgs[i].Ref, res[i].Ref)
	}
	assert.Equal(t, alimtalk.StatusInvalid, res[1].Status)
	var fe *alimtalk.FieldError
	require.ErrorAs(t, res[1].Err, &fe)
	assert.Equal(t, "To", fe.Field)
	assert.NotContains(t, res[1].Err.Error(), "123-4567")

	assert.Equal(t, 3, srv.Requests(srv.Paths().SendAlimTalk), "one request per valid message")
	assert.Len(t, srv.Sent(), 3)
}

func TestSendLocalChecksNeverReachTheServer(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, ssodatest.Options{})
	cases := []struct {
		name  string
		msg   alimtalk.Message
		field string
	}{
		{"text does not match the template", alimtalk.Message{To: "010-1234-5678", TemplateCode: "ORDER_RECEIVED", Text: "다른 내용"}, "text"},
		{"missing variable", alimtalk.Message{To: "010-1234-5678", TemplateCode: "ORDER_RECEIVED", Variables: map[string]string{"shop": "x"}}, "variables"},
		{"template code breaks Ssoda's rule", alimtalk.Message{To: "010-1234-5678", TemplateCode: "A B", Text: "hello"}, "template_code"},
	}
	for _, tc := range cases {
		res, err := c.Send(t.Context(), []alimtalk.Message{tc.msg})
		require.NoError(t, err, tc.name)
		require.Len(t, res, 1)
		assert.Equal(t, alimtalk.StatusInvalid, res[0].Status, tc.name)
		var fes alimtalk.FieldErrors
		require.ErrorAs(t, res[0].Err, &fes, tc.name)
		assert.NotNil(t, fes.Field(tc.field), "%s: %v", tc.name, res[0].Err)
		assert.ErrorIs(t, res[0].Err, ssoda.ErrInvalid)
	}
	assert.Zero(t, srv.Requests(srv.Paths().SendAlimTalk))
}

func TestSendWithoutSenderKeyIsInvalid(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{orderTemplate()}})
	defer srv.Close()
	creds := srv.Credentials()
	creds.SenderKey = ""
	c, err := ssoda.NewClient(creds, srv.ClientOptions()...)
	require.NoError(t, err)
	res, err := c.Send(t.Context(), []alimtalk.Message{{To: "01012345678", TemplateCode: "ORDER_RECEIVED", Variables: orderVars("1")}})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusInvalid, res[0].Status)
	var fes alimtalk.FieldErrors
	require.ErrorAs(t, res[0].Err, &fes)
	assert.NotNil(t, fes.Field("sender_key"), "%v", res[0].Err)
	assert.Zero(t, srv.TotalRequests())
}

func TestSendKakaoRefusalsAreRejected(t *testing.T) {
	t.Parallel()
	pending := alimtalk.Template{Code: "PENDING_TPL", Name: "검수중", Content: "검수 중인 템플릿입니다.", CategoryCode: "999999",
		TemplateState: alimtalk.TemplateState{Inspection: alimtalk.InspectionRequested, Service: alimtalk.ServiceReady}}
	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{orderTemplate(), pending}})
	defer srv.Close()
	// Without templates (WithTemplates(nil) replaces the fake's) the client cannot check
	// texts; Ssoda (the fake) does.
	c, err := srv.NewClient(ssoda.WithConcurrency(1), ssoda.WithTemplates(nil))
	require.NoError(t, err)
	msgs := []alimtalk.Message{
		{To: "01012345678", TemplateCode: "ORDER_RECEIVED", Text: "[케이샵] 홍길동님 주문이 접수되었습니다."},
		{To: "01012345678", TemplateCode: "NO_SUCH_TPL", Text: "아무 내용"},
		{To: "01012345678", TemplateCode: "PENDING_TPL", Text: "검수 중인 템플릿입니다."},
		{To: "01012345678", TemplateCode: "ORDER_RECEIVED", Text: orderText("9"),
			Buttons: []alimtalk.Button{{Type: alimtalk.ButtonWebLink, Name: "다른 버튼", URLMobile: "https://x.example"}}},
	}
	res, err := c.Send(t.Context(), msgs)
	require.NoError(t, err)
	wantCodes := []string{"3016", "3015", "3015", "3027"}
	for i, r := range res {
		assert.Equal(t, alimtalk.StatusRejected, r.Status, "message %d", i)
		var ae *ssoda.APIError
		require.ErrorAs(t, r.Err, &ae, "message %d", i)
		assert.Equal(t, wantCodes[i], ae.Code(), "message %d", i)
		assert.Equal(t, 200, ae.HTTPStatusCode())
		assert.False(t, ae.Retryable())
		var shared kshop.APIError
		assert.ErrorAs(t, r.Err, &shared)
	}
	assert.Equal(t, 4, srv.Requests(srv.Paths().SendAlimTalk))
	assert.Empty(t, srv.Sent())
}

func TestSendFailoverForNonKakaoUser(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, ssodatest.Options{SenderNumbers: []string{"02-1234-5678"}})
	srv.SetNonKakaoUser("010-9999-8888")
	msg := orderMessage("010-9999-8888", "F-1")
	msg.Failover = &alimtalk.Failover{From: "02-1234-5678"}
	res, err := c.Send(t.Context(), []alimtalk.Message{msg})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusAccepted, res[0].Status, "%v", res[0].Err)
	assert.Equal(t, 1, srv.Requests(srv.Paths().SendAlimTalk))

	sent := srv.Sent()
	require.Len(t, sent, 1)
	assert.Equal(t, ssodatest.StatusFailedOver, sent[0].Status)
	require.NotNil(t, sent[0].Failover)
	assert.Equal(t, "0212345678", sent[0].Failover.From)
	assert.Equal(t, orderText("F-1"), sent[0].FailoverText, "failover content defaults to the AlimTalk text")

	page, err := c.History.AlimTalk(t.Context(), ssoda.ListRequest{Keyword: "010-9999-8888"})
	require.NoError(t, err)
	require.Len(t, page.Records, 1)
	r := page.Records[0]
	assert.Equal(t, ssoda.DeliveryFailed, r.Status)
	assert.Equal(t, "실패", r.RawStatus)
	assert.Equal(t, orderText("F-1"), r.FailoverText)
	assert.NotEmpty(t, r.ErrorMessage)
	assert.Equal(t, "010-****-8888", r.MaskedTo())
}

func TestSendFailoverFromUnregisteredNumberIsRefused(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, ssodatest.Options{})
	msg := orderMessage("010-1234-5678", "F-2")
	msg.Failover = &alimtalk.Failover{From: "02-765-4321"}
	res, err := c.Send(t.Context(), []alimtalk.Message{msg})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusRejected, res[0].Status)
	assert.Equal(t, 1, srv.Requests(srv.Paths().SendAlimTalk))
	assert.Empty(t, srv.Messages())
}

func TestSendReservationAndCancel(t *testing.T) {
	t.Parallel()
	clock := &fixedClock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	srv, c := newFake(t, ssodatest.Options{Now: clock.now})
	at := clock.t.Add(2 * time.Hour)
	msg := orderMessage("010-1234-5678", "R-1")
	msg.ScheduledAt = at
	res, err := c.Send(t.Context(), []alimtalk.Message{msg})
	require.NoError(t, err)
	require.Equal(t, alimtalk.StatusReserved, res[0].Status, "%v", res[0].Err)
	assert.True(t, res[0].ScheduledAt.Equal(at))
	assert.Equal(t, 1, srv.Requests(srv.Paths().SendAlimTalk))

	resv := srv.Reservations()
	require.Len(t, resv, 1)
	assert.True(t, resv[0].ScheduledAt.Equal(at), "send_time travels as KST wall-clock text")
	assert.Empty(t, srv.Sent())

	page, err := c.Reservations.AlimTalk(t.Context(), ssoda.ListRequest{})
	require.NoError(t, err)
	require.Len(t, page.Records, 1)
	assert.Equal(t, ssoda.DeliveryReserved, page.Records[0].Status)
	assert.True(t, page.Records[0].ScheduledAt.Equal(at))

	before := srv.Points()
	cres, err := c.Reservations.Cancel(t.Context(), ssoda.CancelRequest{MessageID: res[0].MessageID})
	require.NoError(t, err)
	assert.Equal(t, res[0].MessageID, cres.MessageID)
	assert.Empty(t, srv.Reservations())
	assert.InDelta(t, before+8, srv.Points(), 0.001, "a cancelled reservation is refunded")

	_, err = c.Reservations.Cancel(t.Context(), ssoda.CancelRequest{MessageID: res[0].MessageID})
	var ae *ssoda.APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, ssodatest.CodeConflict, ae.Code())

	clock.t = at.Add(time.Minute) // the time passes: nothing goes out
	assert.Empty(t, srv.Sent())
	assert.Equal(t, 2, srv.Requests(srv.Paths().CancelAlimTalkReservation))
}

func TestReservationGoesOutWhenDue(t *testing.T) {
	t.Parallel()
	clock := &fixedClock{t: time.Date(2026, 3, 2, 23, 30, 0, 0, time.UTC)}
	srv, c := newFake(t, ssodatest.Options{Now: clock.now})
	msg := orderMessage("010-1234-5678", "R-2")
	msg.ScheduledAt = clock.t.Add(time.Hour)
	res, err := c.Send(t.Context(), []alimtalk.Message{msg})
	require.NoError(t, err)
	require.Equal(t, alimtalk.StatusReserved, res[0].Status)

	clock.t = clock.t.Add(2 * time.Hour)
	require.Len(t, srv.Sent(), 1)
	_, err = c.Reservations.Cancel(t.Context(), ssoda.CancelRequest{MessageID: res[0].MessageID})
	var ae *ssoda.APIError
	require.ErrorAs(t, err, &ae, "too late to cancel")
	assert.Equal(t, ssodatest.CodeReservationPassed, ae.Code())
	assert.Equal(t, 1, srv.Requests(srv.Paths().SendAlimTalk))
}

func TestSendStopsOnIPNotAllowed(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, ssodatest.Options{AllowedIPs: []string{"203.0.113.7"}}, ssoda.WithConcurrency(1))
	msgs := []alimtalk.Message{orderMessage("010-1111-2222", "I-1"), orderMessage("010-3333-4444", "I-2"), orderMessage("010-5555-6666", "I-3")}
	res, err := c.Send(t.Context(), msgs)
	require.Error(t, err)
	assert.ErrorIs(t, err, ssoda.ErrIPNotAllowed)
	var ipErr *ssoda.IPNotAllowedError
	require.ErrorAs(t, err, &ipErr)
	assert.Equal(t, "127.0.0.1", ipErr.IP)

	require.Len(t, res, 3)
	assert.Equal(t, alimtalk.StatusRejected, res[0].Status)
	for _, r := range res[1:] {
		assert.Equal(t, alimtalk.StatusNotSent, r.Status)
		assert.ErrorIs(t, r.Err, ssoda.ErrIPNotAllowed)
		assert.True(t, r.Status.SafeToRetry())
	}
	assert.Equal(t, "order-I-3", res[2].Ref)
	assert.Equal(t, 1, srv.Requests(srv.Paths().SendAlimTalk), "the batch stops at the first refusal")
}

func TestSendStopsOnBadToken(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{orderTemplate()}})
	defer srv.Close()
	creds := srv.Credentials()
	creds.TokenKey = "wrong-token-key"
	c, err := ssoda.NewClient(creds, srv.ClientOptions(ssoda.WithTemplates(alimtalk.NewTemplateSet(orderTemplate())))...)
	require.NoError(t, err)
	msgs := make([]alimtalk.Message, 10)
	for i := range msgs {
		msgs[i] = orderMessage(fmt.Sprintf("010-2000-%04d", i+1), fmt.Sprint(i))
	}
	res, err := c.Send(t.Context(), msgs)
	require.ErrorIs(t, err, ssoda.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "wrong-token-key")
	n := srv.Requests(srv.Paths().SendAlimTalk)
	assert.LessOrEqual(t, n, ssoda.DefaultConcurrency, "no more than the in-flight requests reach Ssoda")
	assert.GreaterOrEqual(t, n, 1)
	notSent := 0
	for _, r := range res {
		if r.Status == alimtalk.StatusNotSent {
			notSent++
		} else {
			assert.Equal(t, alimtalk.StatusRejected, r.Status)
		}
	}
	assert.Equal(t, 10-n, notSent)
	assert.Empty(t, srv.Messages())
}

func TestSendManyConcurrently(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, ssodatest.Options{}, ssoda.WithConcurrency(8))
	msgs := make([]alimtalk.Message, 50)
	for i := range msgs {
		msgs[i] = orderMessage(fmt.Sprintf("010-7000-%04d", i+1), fmt.Sprint("C-", i))
	}
	res, err := c.Send(t.Context(), msgs)
	require.NoError(t, err)
	ids := map[string]bool{}
	for i, r := range res {
		require.Equal(t, alimtalk.StatusAccepted, r.Status, "message %d: %v", i, r.Err)
		assert.Equal(t, msgs[i].Ref, r.Ref, "results keep the input order")
		ids[r.MessageID] = true
	}
	assert.Len(t, ids, 50)
	assert.Equal(t, 50, srv.Requests(srv.Paths().SendAlimTalk))
	assert.Len(t, srv.Sent(), 50)
}

func TestSendCancelledContextSendsNothing(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, ssodatest.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res, err := c.Send(ctx, []alimtalk.Message{orderMessage("010-1234-5678", "X-1"), orderMessage("010-1234-5679", "X-2")})
	require.ErrorIs(t, err, context.Canceled)
	for _, r := range res {
		assert.Equal(t, alimtalk.StatusNotSent, r.Status)
		assert.ErrorIs(t, r.Err, context.Canceled)
	}
	assert.Zero(t, srv.TotalRequests())
}

func TestSendInsufficientPoints(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, ssodatest.Options{}, ssoda.WithConcurrency(1))
	srv.SetPoints(10)
	res, err := c.Send(t.Context(), []alimtalk.Message{orderMessage("010-1234-5678", "P-1"), orderMessage("010-1234-5679", "P-2")})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusAccepted, res[0].Status)
	assert.Equal(t, alimtalk.StatusRejected, res[1].Status)
	var ae *ssoda.APIError
	require.ErrorAs(t, res[1].Err, &ae)
	assert.Equal(t, ssodatest.CodeNoPoints, ae.Code())
	assert.Equal(t, 2, srv.Requests(srv.Paths().SendAlimTalk))
	assert.InDelta(t, 2, srv.Points(), 0.001)
}

func TestSendResultErrorsLeakNoSecrets(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{AllowedIPs: []string{"198.51.100.1"}})
	defer srv.Close()
	c, err := srv.NewClient(ssoda.WithConcurrency(1))
	require.NoError(t, err)
	res, err := c.Send(t.Context(), []alimtalk.Message{{To: "010-1234-5678", TemplateCode: "ORDER_RECEIVED", Text: "x"}})
	require.Error(t, err)
	for _, e := range []error{err, res[0].Err} {
		s := e.Error()
		assert.NotContains(t, s, ssodatest.DefaultAPIKey)
		assert.NotContains(t, s, ssodatest.DefaultTokenKey)
		assert.NotContains(t, s, "01012345678")
	}
	var ae *ssoda.APIError
	require.ErrorAs(t, err, &ae)
	assert.NotContains(t, string(ae.Body), ssodatest.DefaultTokenKey)
	assert.True(t, errors.Is(err, ssoda.ErrIPNotAllowed))
	assert.Equal(t, 1, srv.Requests(srv.Paths().SendAlimTalk))
}

func TestSendContextEndsMidBatch(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, ssodatest.Options{}, ssoda.WithConcurrency(1))
	path := srv.Paths().SendAlimTalk
	srv.InjectFault(ssodatest.Fault{Call: path, Kind: ssodatest.FaultDelay, Delay: time.Minute})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go func() {
		for len(srv.Messages()) == 0 { // the first message is taken, its answer held
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	msgs := []alimtalk.Message{orderMessage("010-1234-0001", "M-1"), orderMessage("010-1234-0002", "M-2"), orderMessage("010-1234-0003", "M-3")}
	res, err := c.Send(ctx, msgs)
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, alimtalk.StatusUnknown, res[0].Status, "in flight: Ssoda took it, the answer was lost")
	assert.ErrorIs(t, res[0].Err, ssoda.ErrOutcomeUnknown)
	for _, r := range res[1:] {
		assert.Equal(t, alimtalk.StatusNotSent, r.Status)
		assert.NotEmpty(t, r.Ref)
	}
	assert.Equal(t, 1, srv.Requests(path))
	assert.Len(t, srv.Messages(), 1)
}
