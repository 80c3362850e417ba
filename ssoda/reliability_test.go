package ssoda_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
)

// cancelOnAnswer is a RoundTripper that lets the request through to the server, then cancels
// the call's context right before handing back the server's answer: the race of a 503 that
// arrives as the context ends, made deterministic.
type cancelOnAnswer struct {
	next   http.RoundTripper
	cancel context.CancelFunc
	calls  atomic.Int32
}

func (c *cancelOnAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	c.calls.Add(1)
	resp, err := c.next.RoundTrip(r)
	c.cancel()
	return resp, err
}

// TestA5xxAsTheContextEndsIsUnknown is defect 1 of the reliability audit: a 503 answered to a
// send at the moment its context is cancelled must be unknown, never a retryable refusal.
func TestA5xxAsTheContextEndsIsUnknown(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{"code":"503","error":"점검 중"}`, ``, `<html>503</html>`} {
		srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{orderTemplate()}})
		t.Cleanup(srv.Close)
		ctx, cancel := context.WithCancel(t.Context())
		rt := &cancelOnAnswer{next: httpmock.NewMockTransport(), cancel: cancel}
		mt := rt.next.(*httpmock.MockTransport)
		mt.RegisterResponder(http.MethodPost, srv.URL()+srv.Paths().SendAlimTalk, func(*http.Request) (*http.Response, error) {
			return httpmock.NewStringResponse(http.StatusServiceUnavailable, body), nil
		})
		c, err := srv.NewClient(ssoda.WithHTTPClient(&http.Client{Transport: rt}))
		require.NoError(t, err)

		res, err := c.Send(ctx, []alimtalk.Message{orderMessage("010-1234-5678", "R-1")})
		require.NoError(t, err)
		r := res[0]
		assert.Equal(t, alimtalk.StatusUnknown, r.Status, "body %q: %v", body, r.Err)
		assert.ErrorIs(t, r.Err, ssoda.ErrOutcomeUnknown)
		var shared kshop.APIError
		require.ErrorAs(t, r.Err, &shared, "a 5xx, even with an empty body, is the vendor's error type")
		assert.True(t, shared.OutcomeUnknown())
		assert.False(t, shared.Retryable())
		assert.Equal(t, 503, shared.HTTPStatusCode())
		assert.False(t, r.SentAt.IsZero(), "SentAt is set for reconciliation")
		assert.Equal(t, orderText("R-1"), r.Text)
		assert.Equal(t, int32(1), rt.calls.Load(), "one request, never retried")
	}
}

// TestRedeliveryAfterTheRaceSendsNothing runs the same race through the dispatcher with a
// ledger: the event delivered again after the fault must not produce a second request.
func TestRedeliveryAfterTheRaceSendsNothing(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{orderTemplate()}})
	t.Cleanup(srv.Close)
	var n atomic.Int32
	var cancelNext atomic.Pointer[context.CancelFunc]
	// A plain RoundTripper, not httpmock: httpmock itself races the cancelled context against
	// the responder's answer, so the client would sometimes see no answer at all.
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path != srv.Paths().SendAlimTalk {
			return nil, fmt.Errorf("unexpected path %s", r.URL.Path)
		}
		n.Add(1)
		if f := cancelNext.Load(); f != nil {
			(*f)()
		}
		return &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(`{"code":"503","error":"점검 중"}`)), Request: r}, nil
	})
	c, err := srv.NewClient(ssoda.WithHTTPClient(&http.Client{Transport: rt}))
	require.NoError(t, err)
	cfg := alimtalk.Config{Enabled: true, OrderEnabled: true, ShopName: "케이샵", ShopURL: "https://kshop.example",
		SenderNumber: "02-1234-5678",
		Events: map[alimtalk.EventKind]alimtalk.EventConfig{
			alimtalk.EventOrderReceived: {Enabled: true, TemplateCode: "ORDER_RECEIVED", Audience: alimtalk.AudienceCustomer},
		}}
	tpl := orderTemplate()
	tpl.Content = "[#{shopName}] #{customerName}님, 주문 #{orderNo}이 접수되었습니다."
	tpl.Buttons = nil
	srv.AddTemplate(tpl)
	ledger := alimtalk.NewMemoryLedger(0)
	d, err := alimtalk.NewDispatcher(cfg, c, alimtalk.NewTemplateSet(tpl), alimtalk.WithLedger(ledger))
	require.NoError(t, err)
	ev := alimtalk.Event{Kind: alimtalk.EventOrderReceived, ID: "ORD-1", OrderNo: "ORD-1",
		CustomerName: "홍길동", CustomerPhone: "010-1234-5678"}

	ctx, cancel := context.WithCancel(t.Context())
	cancelNext.Store(&cancel)
	rep, _ := d.Dispatch(ctx, ev)
	require.NotNil(t, rep)
	require.Len(t, rep.Deliveries, 1)
	assert.Equal(t, alimtalk.StatusUnknown, rep.Deliveries[0].Status, "%v", rep.Deliveries[0].Err)
	cancelNext.Store(nil)

	rep, err = d.Dispatch(t.Context(), ev)
	require.NoError(t, err)
	require.Len(t, rep.Deliveries, 1)
	assert.NotEqual(t, alimtalk.StatusAccepted, rep.Deliveries[0].Status)
	assert.Equal(t, int32(1), n.Load(), "the re-delivered event sent no second request")
}

// TestSendAnswersThatAreNotPlain covers answers a send must not read as a success or a plain
// refusal.
func TestSendAnswersThatAreNotPlain(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, body string
		status     int
		want       alimtalk.Status
		message    string
	}{
		{"duplicate code keys", `{"code":"500","code":"200","content":{"sent_messages":[{"msg_id":"1"}]}}`, 200, alimtalk.StatusUnknown, "duplicate key"},
		{"duplicate code keys in two cases", `{"code":"200","CODE":"3016"}`, 200, alimtalk.StatusUnknown, "duplicate key"},
		{"success and error", `{"code":"200","error":"발송 실패","content":{"sent_messages":[{"msg_id":"1"}]}}`, 200, alimtalk.StatusUnknown, "both"},
		{"refusal with a message id", `{"code":"3016","error":"불일치","content":{"sent_messages":[{"msg_id":"1"}]}}`, 200, alimtalk.StatusUnknown, "both"},
		{"no code at all", `{"content":{}}`, 200, alimtalk.StatusUnknown, "no result code"},
		{"truncated JSON", `{"code":"200","content":{"sent_`, 200, alimtalk.StatusUnknown, "truncated"},
		{"plain refusal", `{"code":"3016","error":"불일치"}`, 200, alimtalk.StatusRejected, ""},
	}
	for _, tc := range cases {
		c, mt := newMock(t)
		respond(mt, "/kakao/send/alimtalk", tc.status, tc.body)
		res, err := c.Send(t.Context(), []alimtalk.Message{{To: "01012345678", TemplateCode: "ORDER_RECEIVED", Text: "안녕하세요"}})
		require.NoError(t, err)
		r := res[0]
		assert.Equal(t, tc.want, r.Status, "%s: %v", tc.name, r.Err)
		assert.Equal(t, 1, calls(mt, "/kakao/send/alimtalk"), tc.name)
		if tc.message != "" {
			var re *ssoda.ResponseError
			require.ErrorAs(t, r.Err, &re, tc.name)
			assert.Contains(t, re.Message, tc.message, tc.name)
			assert.ErrorIs(t, r.Err, ssoda.ErrBadResponse, tc.name)
			assert.ErrorIs(t, r.Err, ssoda.ErrOutcomeUnknown, tc.name)
			assert.Equal(t, "Send", re.Op)
		}
	}
}

// TestOversizeAnswerSaysSo: a body over the size limit is reported as such.
func TestOversizeAnswerSaysSo(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t)
	respond(mt, "/kakao/send/alimtalk", 200, `{"code":"200","pad":"`+strings.Repeat("x", 11<<20)+`"}`)
	res, err := c.Send(t.Context(), []alimtalk.Message{{To: "01012345678", TemplateCode: "ORDER_RECEIVED", Text: "안녕하세요"}})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusUnknown, res[0].Status)
	var re *ssoda.ResponseError
	require.ErrorAs(t, res[0].Err, &re)
	assert.Contains(t, re.Error(), "body over the size limit")
	assert.NotContains(t, re.Error(), "malformed")
}

// TestReconcileNeverReadsAShapelessAnswerAsNotFound is defect 2: only a present, empty list
// means "not found".
func TestReconcileNeverReadsAShapelessAnswerAsNotFound(t *testing.T) {
	t.Parallel()
	shapeless := []string{
		`{}`,
		`{"code":"200"}`,
		`{"code":"200","content":null}`,
		`{"status":"maintenance"}`,
		`{"code":"200","result":null}`,
		`{"code":"200","result":"none"}`,
		`{"code":"200","result":{"rows":[]}}`,
		`{"code":"200","result":[1,2]}`,
		`<response/>`,
		`not json`,
		``,
	}
	for _, body := range shapeless {
		c, mt := newMock(t)
		respond(mt, sentListPath, 200, body)
		rec, err := c.Reconcile(t.Context(), ssoda.ReconcileRequest{Phone: "010-1234-5678", SentAt: time.Now()})
		require.Error(t, err, body)
		assert.ErrorIs(t, err, ssoda.ErrOutcomeUnknown, body)
		assert.ErrorIs(t, err, ssoda.ErrBadResponse, body)
		if rec != nil {
			assert.False(t, rec.Found)
		}
	}
	for _, body := range []string{`{"code":"200","result":[]}`, `{"code":200,"content":{"list":[]}}`} {
		c, mt := newMock(t)
		respond(mt, sentListPath, 200, body)
		rec, err := c.Reconcile(t.Context(), ssoda.ReconcileRequest{Phone: "010-1234-5678", SentAt: time.Now()})
		require.NoError(t, err, body)
		assert.False(t, rec.Found, "a documented empty list is not found")
	}
}

// TestReconcileResultFindsTheMessage: one call from a send's Result to its fate.
func TestReconcileResultFindsTheMessage(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, ssodatest.Options{})
	srv.InjectFault(ssodatest.Fault{Call: ssodatest.CallSend, Kind: ssodatest.FaultDrop, CarryOut: true})
	res, err := c.Send(t.Context(), []alimtalk.Message{orderMessage("010-1234-5678", "RR-1")})
	require.NoError(t, err)
	r := res[0]
	require.Equal(t, alimtalk.StatusUnknown, r.Status)
	assert.Equal(t, "01012345678", r.To)
	assert.Equal(t, "order-RR-1", r.Ref)
	assert.Equal(t, orderText("RR-1"), r.Text)
	rec, err := c.ReconcileResult(t.Context(), r)
	require.NoError(t, err)
	assert.True(t, rec.Found)
	assert.Equal(t, srv.Sent()[0].ID, rec.Record.MessageID)
	assert.Equal(t, 1, srv.Requests(ssodatest.CallSend))

	_, err = c.ReconcileResult(t.Context(), alimtalk.Result{To: "01012345678"})
	assert.ErrorIs(t, err, ssoda.ErrInvalid, "a Result that was never sent has nothing to reconcile")
}

// TestKeysNeverPrinted is defect 3: no verb, JSON or slog output of a client or its
// credentials shows a key.
func TestKeysNeverPrinted(t *testing.T) {
	t.Parallel()
	c, err := ssoda.NewClient(testCreds)
	require.NoError(t, err)
	type holder struct {
		Creds  ssoda.Credentials
		Client *ssoda.Client
	}
	h := holder{testCreds, c}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		outs = append(outs, fmt.Sprintf(verb, testCreds), fmt.Sprintf(verb, c), fmt.Sprintf(verb, *c), fmt.Sprintf(verb, h),
			fmt.Sprintf(verb, &h), fmt.Sprintf(verb, []ssoda.Credentials{testCreds}),
			// In unexported fields fmt cannot call the types' methods and walks their fields.
			fmt.Sprintf(verb, struct{ c ssoda.Client }{*c}), fmt.Sprintf(verb, struct{ c *ssoda.Client }{c}))
	}
	for _, v := range []any{testCreds, c, h} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		outs = append(outs, string(b))
	}
	var buf bytes.Buffer
	for _, l := range []*slog.Logger{slog.New(slog.NewJSONHandler(&buf, nil)), slog.New(slog.NewTextHandler(&buf, nil))} {
		l.Info("x", "creds", testCreds, "client", c, "holder", h, "ptr", &h)
	}
	outs = append(outs, buf.String())
	for _, out := range outs {
		for _, secret := range []string{testAPIKey, testTokenKey, testSenderKey, "0000111122223333", "4444555566667777"} {
			require.NotContains(t, out, secret, out)
		}
	}
	assert.Contains(t, fmt.Sprintf("%#v", c), "REDACTED(")
}

// TestNilContextIsATypedError is defect 5.
func TestNilContextIsATypedError(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t, ssoda.WithTemplateRefresh(time.Minute))
	var nilCtx context.Context
	calls := map[string]func() error{
		"Send":                 func() error { _, err := c.Send(nilCtx, nil); return err },
		"SendFriendTalk":       func() error { _, err := c.SendFriendTalk(nilCtx, nil); return err },
		"CheckAccess":          func() error { _, err := c.CheckAccess(nilCtx); return err },
		"Reconcile":            func() error { _, err := c.Reconcile(nilCtx, ssoda.ReconcileRequest{}); return err },
		"ReconcileResult":      func() error { _, err := c.ReconcileResult(nilCtx, alimtalk.Result{}); return err },
		"Templates.Add":        func() error { _, err := c.Templates.Add(nilCtx, ssoda.AddTemplateRequest{}); return err },
		"Templates.Review":     func() error { _, err := c.Templates.RequestReview(nilCtx, ssoda.ReviewRequest{}); return err },
		"Templates.Detail":     func() error { _, err := c.Templates.Detail(nilCtx, ssoda.TemplateRef{}); return err },
		"Templates.List":       func() error { _, err := c.Templates.List(nilCtx, ssoda.TemplateListRequest{}); return err },
		"Templates.Load":       func() error { _, err := c.Templates.Load(nilCtx, ssoda.TemplateListRequest{}); return err },
		"Templates.CheckCode":  func() error { _, err := c.Templates.CheckCode(nilCtx, ssoda.TemplateRef{}); return err },
		"Templates.Categories": func() error { _, err := c.Templates.Categories(nilCtx); return err },
		"Templates.All": func() error {
			for _, err := range c.Templates.All(nilCtx, ssoda.TemplateListRequest{}) {
				return err
			}
			return nil
		},
		"Profiles.RequestToken": func() error {
			_, err := c.Profiles.RequestToken(nilCtx, ssoda.ProfileTokenRequest{})
			return err
		},
		"Profiles.Categories": func() error { _, err := c.Profiles.Categories(nilCtx); return err },
		"Profiles.Create": func() error {
			_, err := c.Profiles.Create(nilCtx, ssoda.CreateProfileRequest{})
			return err
		},
		"History.AlimTalk":   func() error { _, err := c.History.AlimTalk(nilCtx, ssoda.ListRequest{}); return err },
		"History.FriendTalk": func() error { _, err := c.History.FriendTalk(nilCtx, ssoda.ListRequest{}); return err },
		"History.AllAlimTalk": func() error {
			for _, err := range c.History.AllAlimTalk(nilCtx, ssoda.ListRequest{}) {
				return err
			}
			return nil
		},
		"Reservations.AlimTalk": func() error {
			_, err := c.Reservations.AlimTalk(nilCtx, ssoda.ListRequest{})
			return err
		},
		"Reservations.AllFriendTalk": func() error {
			for _, err := range c.Reservations.AllFriendTalk(nilCtx, ssoda.ListRequest{}) {
				return err
			}
			return nil
		},
		"Reservations.Cancel": func() error {
			_, err := c.Reservations.Cancel(nilCtx, ssoda.CancelRequest{MessageID: "1"})
			return err
		},
		"Account.Points":        func() error { _, err := c.Account.Points(nilCtx); return err },
		"Account.SenderNumbers": func() error { _, err := c.Account.SenderNumbers(nilCtx); return err },
		"Account.CheckSenderNumber": func() error {
			_, err := c.Account.CheckSenderNumber(nilCtx, "02-1234-5678")
			return err
		},
		"TemplateCache.Refresh": func() error { return c.TemplateCache().Refresh(nilCtx) },
	}
	for name, call := range calls {
		var err error
		require.NotPanics(t, func() { err = call() }, name)
		var ve *kshop.ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.NotNil(t, ve.Field("ctx"), name)
		assert.ErrorIs(t, err, ssoda.ErrInvalid, name)
	}
	assert.Zero(t, mt.GetTotalCallCount())
}

// TestBadIdentifiersNeverLeave: identifiers with control characters or over their length are
// refused before any request, every problem at once.
func TestBadIdentifiersNeverLeave(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t)
	ctx := t.Context()
	huge := strings.Repeat("1", 1<<20)
	cases := map[string]func() error{
		"1 MiB cancel ID": func() error {
			_, err := c.Reservations.Cancel(ctx, ssoda.CancelRequest{MessageID: huge})
			return err
		},
		"cancel ID with CRLF": func() error {
			_, err := c.Reservations.Cancel(ctx, ssoda.CancelRequest{MessageID: "12\r\nX-Evil: 1"})
			return err
		},
		"cancel ID with NUL": func() error {
			_, err := c.Reservations.Cancel(ctx, ssoda.CancelRequest{MessageID: "12\x00"})
			return err
		},
		"template code with LF": func() error {
			_, err := c.Templates.Detail(ctx, ssoda.TemplateRef{Code: "CODE_\n1"})
			return err
		},
		"sender key with CR": func() error {
			_, err := c.Templates.List(ctx, ssoda.TemplateListRequest{SenderKey: strings.Repeat("a", 39) + "\r"})
			return err
		},
		"channel ID with ESC": func() error {
			_, err := c.Profiles.RequestToken(ctx, ssoda.ProfileTokenRequest{ChannelID: "@shop\x1b", AdminPhone: "010-1234-5678"})
			return err
		},
		"profile token too long": func() error {
			_, err := c.Profiles.Create(ctx, ssoda.CreateProfileRequest{Token: huge, ChannelID: "@shop", AdminPhone: "010-1234-5678", CategoryCode: "1"})
			return err
		},
		"keyword with NUL": func() error {
			_, err := c.History.AlimTalk(ctx, ssoda.ListRequest{Where: ssoda.SearchText, Keyword: "a\x00b"})
			return err
		},
		"page beyond the bound": func() error {
			_, err := c.History.AlimTalk(ctx, ssoda.ListRequest{Page: 1 << 30})
			return err
		},
		"review comment with NUL": func() error {
			_, err := c.Templates.RequestReview(ctx, ssoda.ReviewRequest{Code: "GOOD_CODE", Comment: "a\x00"})
			return err
		},
		"reconcile message ID with LF": func() error {
			_, err := c.Reconcile(ctx, ssoda.ReconcileRequest{Phone: "010-1234-5678", SentAt: time.Now(), MessageID: "1\n2"})
			return err
		},
	}
	for name, call := range cases {
		err := call()
		var ve *kshop.ValidationError
		require.ErrorAs(t, err, &ve, name)
		assert.True(t, strings.HasPrefix(ve.Op, "ssoda."), name)
		assert.Less(t, len(err.Error()), 1000, "%s: the error never echoes the value", name)
	}
	assert.Zero(t, mt.GetTotalCallCount())

	// Every problem at once.
	_, err := c.Profiles.Create(ctx, ssoda.CreateProfileRequest{})
	var ve *kshop.ValidationError
	require.ErrorAs(t, err, &ve)
	for _, f := range []string{"ChannelID", "AdminPhone", "Token", "CategoryCode"} {
		assert.NotNil(t, ve.Field(f), "%s in %v", f, err)
	}
}

// TestFriendTalkGetsAlimTalksMessageChecks: FriendTalk goes through alimtalk's checks.
func TestFriendTalkGetsAlimTalksMessageChecks(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t)
	res, err := c.SendFriendTalk(t.Context(), []ssoda.FriendTalkMessage{
		{To: "010-1234-5678", Text: "a\x00b"},
		{To: "010-1234-5678", Text: "a\xffb"},
		{To: "010-1234-5678", Text: "예약", ScheduledAt: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)},
		{To: "010-1234-5678", Text: "예약", ScheduledAt: time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC)},
	})
	require.NoError(t, err)
	for i, r := range res {
		assert.Equal(t, alimtalk.StatusInvalid, r.Status, "message %d", i)
		assert.ErrorIs(t, r.Err, ssoda.ErrInvalid, "message %d", i)
	}
	assert.Zero(t, mt.GetTotalCallCount())
}

// TestTemplateCacheSeesALaterApproval: a template approved after the client was built is used
// without a new client.
func TestTemplateCacheSeesALaterApproval(t *testing.T) {
	t.Parallel()
	srv := ssodatest.NewServer(ssodatest.Options{})
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(ssoda.WithTemplateRefresh(time.Hour))
	require.NoError(t, err)
	cache := c.TemplateCache()
	require.NotNil(t, cache)
	tpl := shippingTemplate("LATE_APPROVAL")
	_, err = c.Templates.Add(t.Context(), ssoda.AddTemplateRequest{Template: tpl})
	require.NoError(t, err)
	_, err = c.Templates.RequestReview(t.Context(), ssoda.ReviewRequest{Code: tpl.Code})
	require.NoError(t, err)

	msg := alimtalk.Message{To: "010-1234-5678", TemplateCode: tpl.Code,
		Variables: map[string]string{"name": "홍길동", "courier": "우체국", "waybill": "6896000000001"}}
	res, err := c.Send(t.Context(), []alimtalk.Message{msg})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusInvalid, res[0].Status, "not approved yet: refused before sending")
	assert.Zero(t, srv.Requests(ssodatest.CallSend))
	assert.False(t, cache.LoadedAt().IsZero(), "the first send loaded the cache")

	require.NoError(t, srv.ApproveTemplate(tpl.Code))
	require.NoError(t, cache.Refresh(t.Context()))
	res, err = c.Send(t.Context(), []alimtalk.Message{msg})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusAccepted, res[0].Status, "%v", res[0].Err)
	assert.Equal(t, 1, srv.Requests(ssodatest.CallSend))
	require.NoError(t, cache.Err())

	// A template the cache does not hold reloads it once (no Refresh).
	other := shippingTemplate("SECOND_TPL")
	srv.AddTemplate(other)
	msg.TemplateCode = other.Code
	lists := srv.Requests(ssodatest.CallTemplatesList)
	time.Sleep(1100 * time.Millisecond) // a miss reloads at most once a second
	res, err = c.Send(t.Context(), []alimtalk.Message{msg})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusAccepted, res[0].Status, "%v", res[0].Err)
	assert.Equal(t, lists+1, srv.Requests(ssodatest.CallTemplatesList))
}

// TestEmpty5xxIsTheVendorsError: a 5xx with an empty body on a send is an *ResponseError.
func TestEmpty5xxIsTheVendorsError(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t)
	mt.RegisterResponder(http.MethodPost, mockBase+"/kakao/send/alimtalk", func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 500, Body: io.NopCloser(strings.NewReader("")), Header: http.Header{}}, nil
	})
	res, err := c.Send(t.Context(), []alimtalk.Message{{To: "01012345678", TemplateCode: "ORDER_RECEIVED", Text: "안녕하세요"}})
	require.NoError(t, err)
	var shared kshop.APIError
	require.ErrorAs(t, res[0].Err, &shared)
	assert.True(t, shared.OutcomeUnknown())
	// An HTTP error status is an answer by status, whatever its body: an *APIError, as epost
	// reports it too.
	var ae *ssoda.APIError
	require.ErrorAs(t, res[0].Err, &ae)
	assert.Equal(t, 500, ae.HTTPStatus)
	assert.Equal(t, "Internal Server Error", ae.Message)
	assert.Empty(t, ae.VendorCode)
	assert.Equal(t, alimtalk.StatusUnknown, res[0].Status)
	assert.True(t, errors.Is(res[0].Err, ssoda.ErrOutcomeUnknown))
	assert.False(t, ae.Retryable())
}
