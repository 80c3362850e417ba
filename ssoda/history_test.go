package ssoda_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
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

const sentListPath = "/kakao/alimtalk/sent/list"

func TestParseDeliveryStatus(t *testing.T) {
	t.Parallel()
	cases := map[string]ssoda.DeliveryStatus{
		"대기중": ssoda.DeliveryPending, " 성공 ": ssoda.DeliverySucceeded, "실패": ssoda.DeliveryFailed,
		"예약대기": ssoda.DeliveryReserved, "예약취소": ssoda.DeliveryCancelled, "SUCCESS": ssoda.DeliverySucceeded,
		"???": ssoda.DeliveryUnknown, "": ssoda.DeliveryUnknown,
	}
	for in, want := range cases {
		assert.Equal(t, want, ssoda.ParseDeliveryStatus(in), in)
	}
	assert.True(t, ssoda.DeliveryFailed.Final())
	assert.False(t, ssoda.DeliveryPending.Final())
	assert.Equal(t, "succeeded", ssoda.DeliverySucceeded.String())
}

func TestHistoryRequestOnTheWire(t *testing.T) {
	t.Parallel()
	clock := &fixedClock{t: time.Date(2026, 5, 31, 16, 0, 0, 0, time.UTC)} // 2026-06-01 01:00 KST
	c, mt := newMock(t, ssoda.WithClock(clock.now))
	var body map[string]any
	mt.RegisterResponder(http.MethodPost, mockBase+sentListPath, func(r *http.Request) (*http.Response, error) {
		raw, _ := io.ReadAll(r.Body)
		require.NoError(t, json.Unmarshal(raw, &body))
		return httpmock.NewStringResponse(200, `{"code":"200","result":[
			{"msg_id":"77","datetime":"2026-06-01 00:59:58","status":"성공","error_msg":"","failover_msg":"","dest_phone":"01012345678","send_phone":"","msg_body":"안녕"},
			{"msg_id":88,"datetime":"bad","status":"이상한값","dest_phone":"01012345678"},
			"not an object"
		],"total_count":"2"}`), nil
	})
	page, err := c.History.AlimTalk(t.Context(), ssoda.ListRequest{Keyword: "+82 10-1234-5678"})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{
		"token_key": testTokenKey, "where": "dest_phone", "keyword": "01012345678",
		"start_date": "2026-06-01", "end_date": "2026-06-01", "page": float64(1), "limit": float64(100),
	}, body, "the confirmed request, dates in KST")
	require.Len(t, page.Records, 2)
	r := page.Records[0]
	assert.Equal(t, "77", r.MessageID)
	assert.Equal(t, ssoda.DeliverySucceeded, r.Status)
	assert.True(t, r.Time.Equal(time.Date(2026, 5, 31, 15, 59, 58, 0, time.UTC)))
	assert.Equal(t, "88", page.Records[1].MessageID, "numeric ids are read as text")
	assert.Equal(t, ssoda.DeliveryUnknown, page.Records[1].Status)
	assert.Equal(t, "이상한값", page.Records[1].RawStatus)
	assert.True(t, page.Records[1].Time.IsZero())
	assert.Equal(t, 2, page.Total)
	assert.Equal(t, 1, calls(mt, sentListPath))
}

func TestHistoryValidation(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t)
	day := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		req   ssoda.ListRequest
		field string
	}{
		{ssoda.ListRequest{Limit: 1001}, "Limit"},
		{ssoda.ListRequest{Limit: -1}, "Limit"},
		{ssoda.ListRequest{Page: -2}, "Page"},
		{ssoda.ListRequest{From: day.AddDate(0, 0, 3), To: day}, "From"},
		{ssoda.ListRequest{Extra: map[string]any{"x": make(chan int)}}, `Extra["x"]`},
	}
	for _, tc := range cases {
		_, err := c.History.AlimTalk(t.Context(), tc.req)
		var ve *kshop.ValidationError
		require.ErrorAs(t, err, &ve, tc.field)
		assert.NotNil(t, ve.Field(tc.field), "%v", err)
		assert.Equal(t, "ssoda.History.AlimTalk", ve.Op)
		assert.ErrorIs(t, err, ssoda.ErrInvalid)
	}
	assert.Zero(t, calls(mt, sentListPath))
}

func TestAllIteratesPagesAndStopsOnAShortPage(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, ssodatest.Options{}, ssoda.WithConcurrency(8))
	msgs := make([]alimtalk.Message, 25)
	for i := range msgs {
		msgs[i] = orderMessage("010-1234-5678", fmt.Sprintf("P-%02d", i))
	}
	_, err := c.Send(t.Context(), msgs)
	require.NoError(t, err)

	seen := map[string]bool{}
	for r, err := range c.History.AllAlimTalk(t.Context(), ssoda.ListRequest{Keyword: "01012345678", Limit: 10}) {
		require.NoError(t, err)
		assert.False(t, seen[r.MessageID], "no row twice")
		seen[r.MessageID] = true
	}
	assert.Len(t, seen, 25)
	assert.Equal(t, 3, srv.Requests(srv.Paths().AlimTalkSentList), "10 + 10 + 5")

	// Breaking out of the loop stops fetching.
	n := 0
	for range c.History.AllAlimTalk(t.Context(), ssoda.ListRequest{Limit: 10}) {
		n++
		if n == 3 {
			break
		}
	}
	assert.Equal(t, 4, srv.Requests(srv.Paths().AlimTalkSentList))
}

func TestAllDetectsARepeatedPage(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t)
	respond(mt, sentListPath, 200, `{"code":"200","result":[{"msg_id":"1","status":"성공"},{"msg_id":"2","status":"성공"}]}`)
	var got []string
	var last error
	for r, err := range c.History.AllAlimTalk(t.Context(), ssoda.ListRequest{Limit: 2}) {
		if err != nil {
			last = err
			break
		}
		got = append(got, r.MessageID)
	}
	assert.Equal(t, []string{"1", "2"}, got)
	require.ErrorIs(t, last, ssoda.ErrPagingStalled)
	assert.Equal(t, 2, calls(mt, sentListPath))
}

func TestAllYieldsAFetchError(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t)
	respond(mt, sentListPath, 200, `{"code":"401","error":"유효하지 않은 token_key 입니다."}`)
	var errs []error
	for _, err := range c.History.AllAlimTalk(t.Context(), ssoda.ListRequest{}) {
		errs = append(errs, err)
	}
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], ssoda.ErrUnauthorized)
	assert.Equal(t, 1, calls(mt, sentListPath))
}

func TestReconcileFindsADroppedSend(t *testing.T) {
	t.Parallel()
	clock := &fixedClock{t: time.Date(2026, 7, 1, 3, 0, 0, 0, time.UTC)}
	srv, c := newFake(t, ssodatest.Options{Now: clock.now})
	// Other messages to the same phone, earlier, to show the match is by time and text.
	_, err := c.Send(t.Context(), []alimtalk.Message{orderMessage("010-2468-1357", "OLD-1")})
	require.NoError(t, err)
	clock.t = clock.t.Add(3 * time.Minute)

	srv.InjectFault(ssodatest.Fault{Call: srv.Paths().SendAlimTalk, Kind: ssodatest.FaultDrop, CarryOut: true})
	sentAt := clock.t
	res, err := c.Send(t.Context(), []alimtalk.Message{orderMessage("010-2468-1357", "NEW-1")})
	require.NoError(t, err)
	require.Equal(t, alimtalk.StatusUnknown, res[0].Status)
	require.ErrorIs(t, res[0].Err, ssoda.ErrOutcomeUnknown)
	assert.Equal(t, 2, srv.Requests(srv.Paths().SendAlimTalk))

	rec, err := c.Reconcile(t.Context(), ssoda.ReconcileRequest{
		Phone: "010-2468-1357", SentAt: sentAt, Window: 2 * time.Minute, Text: orderText("NEW-1"),
	})
	require.NoError(t, err)
	require.True(t, rec.Found)
	assert.Equal(t, 1, rec.Candidates)
	assert.Equal(t, orderText("NEW-1"), rec.Record.Text)
	assert.Equal(t, ssoda.DeliverySucceeded, rec.Record.Status)
	assert.Equal(t, 1, rec.Attempts)
	assert.Len(t, srv.Messages(), 2, "reconciling sends nothing")

	// Without the text, both rows are in a wide window; the closest in time wins.
	rec, err = c.Reconcile(t.Context(), ssoda.ReconcileRequest{Phone: "01024681357", SentAt: sentAt})
	require.NoError(t, err)
	assert.Equal(t, 2, rec.Candidates)
	assert.Equal(t, orderText("NEW-1"), rec.Record.Text)
}

func TestReconcileNotFoundPollsThenGivesUp(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, ssodatest.Options{})
	srv.InjectFault(ssodatest.Fault{Call: srv.Paths().SendAlimTalk, Kind: ssodatest.FaultDrop})
	sentAt := time.Now()
	res, err := c.Send(t.Context(), []alimtalk.Message{orderMessage("010-1357-2468", "LOST-1")})
	require.NoError(t, err)
	require.Equal(t, alimtalk.StatusUnknown, res[0].Status)

	rec, err := c.Reconcile(t.Context(), ssoda.ReconcileRequest{Phone: "010-1357-2468", SentAt: sentAt, Attempts: 3, Interval: time.Millisecond})
	require.NoError(t, err)
	assert.False(t, rec.Found)
	assert.Equal(t, 3, rec.Attempts)
	assert.Equal(t, 3, srv.Requests(srv.Paths().AlimTalkSentList))
}

func TestReconcileByMessageIDAndPendingRows(t *testing.T) {
	t.Parallel()
	clock := &fixedClock{t: time.Date(2026, 7, 1, 3, 0, 0, 0, time.UTC)}
	srv, c := newFake(t, ssodatest.Options{Now: clock.now, DeliveryDelay: time.Minute})
	res, err := c.Send(t.Context(), []alimtalk.Message{orderMessage("010-1111-0000", "ID-1")})
	require.NoError(t, err)
	rec, err := c.Reconcile(t.Context(), ssoda.ReconcileRequest{Phone: "010-1111-0000", SentAt: clock.t, MessageID: res[0].MessageID})
	require.NoError(t, err)
	require.True(t, rec.Found)
	assert.Equal(t, ssoda.DeliveryPending, rec.Record.Status, "listed as 대기중 during the delivery delay")
	clock.t = clock.t.Add(2 * time.Minute)
	rec, err = c.Reconcile(t.Context(), ssoda.ReconcileRequest{Phone: "010-1111-0000", SentAt: clock.t, MessageID: res[0].MessageID})
	require.NoError(t, err)
	assert.Equal(t, ssoda.DeliverySucceeded, rec.Record.Status)
	assert.Equal(t, 2, srv.Requests(srv.Paths().AlimTalkSentList))
}

func TestReconcileValidation(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t)
	now := time.Now()
	for _, req := range []ssoda.ReconcileRequest{
		{Phone: "12", SentAt: now},
		{Phone: "010-1234-5678"},
		{Phone: "010-1234-5678", SentAt: now, Attempts: 99},
		{Phone: "010-1234-5678", SentAt: now, Window: -time.Second},
		{Phone: "010-1234-5678", SentAt: now, Kind: ssoda.Kind(9)},
	} {
		_, err := c.Reconcile(t.Context(), req)
		require.ErrorIs(t, err, ssoda.ErrInvalid)
	}
	assert.Zero(t, calls(mt, sentListPath))
}

func TestFriendTalkAndReservedListsUseTheirPaths(t *testing.T) {
	t.Parallel()
	c, mt := newMock(t)
	for _, p := range []string{"/kakao/friendtalk/sent/list", "/kakao/alimtalk/reserve/list", "/kakao/friendtalk/reserve/list"} {
		respond(mt, p, 200, `{"code":"200","content":{"list":[{"msg_id":"5","status":"예약","send_time":"2026-01-02 09:00:00"}]}}`)
	}
	f, err := c.History.FriendTalk(t.Context(), ssoda.ListRequest{})
	require.NoError(t, err)
	a, err := c.Reservations.AlimTalk(t.Context(), ssoda.ListRequest{})
	require.NoError(t, err)
	r, err := c.Reservations.FriendTalk(t.Context(), ssoda.ListRequest{})
	require.NoError(t, err)
	for _, p := range []*ssoda.RecordPage{f, a, r} {
		require.Len(t, p.Records, 1)
		assert.Equal(t, ssoda.DeliveryReserved, p.Records[0].Status)
		assert.Equal(t, 9, p.Records[0].ScheduledAt.Hour(), "read as KST wall-clock time")
	}
	assert.Equal(t, 1, calls(mt, "/kakao/friendtalk/sent/list"))
	assert.Equal(t, 1, calls(mt, "/kakao/alimtalk/reserve/list"))
	assert.Equal(t, 1, calls(mt, "/kakao/friendtalk/reserve/list"))
}
