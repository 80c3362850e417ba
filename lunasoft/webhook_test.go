package lunasoft_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/lunasoft"
	"github.com/kshop-dev/kshop/lunasoft/lunasofttest"
)

type collected struct {
	mu  sync.Mutex
	out []lunasoft.Outcome
}

func (c *collected) add(_ context.Context, o lunasoft.Outcome) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.out = append(c.out, o)
	return nil
}

func (c *collected) all() []lunasoft.Outcome {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]lunasoft.Outcome(nil), c.out...)
}

func post(t *testing.T, h http.Handler, target, ctype, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestParseOutcomesShapes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, ctype, body string
		want              []lunasoft.Outcome
	}{
		{"hub shape", "application/json", `{"type":"AT","message_group_id":"g1","message_id":"m1","custom_key":"k1","code":"1000","response_dt":"2030-01-02 10:00:03"}`,
			[]lunasoft.Outcome{{Ref: "k1", Status: lunasoft.OutcomeDelivered, Channel: lunasoft.ChannelAlimTalk, Code: "1000", MessageID: "m1", GroupID: "g1",
				At: time.Date(2030, 1, 2, 10, 0, 3, 0, time.FixedZone("KST", 9*3600))}}},
		{"camel case, numeric code, SMS", "", `{"customKey":"k2","resultCode":1000,"msgType":"sms"}`,
			[]lunasoft.Outcome{{Ref: "k2", Status: lunasoft.OutcomeDeliveredSMS, Channel: lunasoft.ChannelSMS, Code: "1000"}}},
		{"failure with text", "application/json", `{"CUSTOM_KEY":"k3","CODE":"3018","MSG":"카카오톡 미사용자","TYPE":"AT"}`,
			[]lunasoft.Outcome{{Ref: "k3", Status: lunasoft.OutcomeFailed, Channel: lunasoft.ChannelAlimTalk, Code: "3018", Message: "카카오톡 미사용자"}}},
		{"form", "application/x-www-form-urlencoded", `custom_key=k4&code=1000&type=LMS`,
			[]lunasoft.Outcome{{Ref: "k4", Status: lunasoft.OutcomeDeliveredLMS, Channel: lunasoft.ChannelLMS, Code: "1000"}}},
		{"list under data", "application/json", `{"data":[{"custom_key":"k5","code":"1000"},{"custom_key":"k6","code":"2001","type":"SMS"}]}`,
			[]lunasoft.Outcome{{Ref: "k5", Status: lunasoft.OutcomeDelivered, Channel: lunasoft.ChannelAlimTalk, Code: "1000"},
				{Ref: "k6", Status: lunasoft.OutcomeFailed, Channel: lunasoft.ChannelSMS, Code: "2001"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := lunasoft.ParseOutcomes(tc.ctype, []byte(tc.body))
			require.NoError(t, err)
			require.Len(t, got, len(tc.want))
			for i := range got {
				assert.NotEmpty(t, got[i].Raw)
				got[i].Raw = nil
				if !tc.want[i].At.IsZero() {
					assert.True(t, tc.want[i].At.Equal(got[i].At))
					got[i].At = tc.want[i].At
				}
				assert.Equal(t, tc.want[i], got[i])
			}
		})
	}
	for _, bad := range []string{"", "null", "[]", `{"code":"1000"}`, `[1,2]`, `{"custom_key":"x"} trailing`, "<html>"} {
		_, err := lunasoft.ParseOutcomes("application/json", []byte(bad))
		assert.ErrorIs(t, err, lunasoft.ErrMalformedOutcome, "%q", bad)
	}
}

func TestHandlerStatusesAndIdempotence(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	fail := atomic.Bool{}
	h, err := lunasoft.NewHandler(func(ctx context.Context, o lunasoft.Outcome) error {
		calls.Add(1)
		if fail.Load() {
			return errors.New("database down")
		}
		return nil
	}, lunasoft.WebhookOptions{Secret: "s3cret", MaxBodyBytes: 256})
	require.NoError(t, err)
	body := `{"custom_key":"k1","code":"1000","type":"AT"}`

	assert.Equal(t, http.StatusUnauthorized, post(t, h, "/hook", "application/json", body).Code)
	assert.Equal(t, http.StatusUnauthorized, post(t, h, "/hook?token=wrong", "application/json", body).Code)
	assert.Equal(t, http.StatusBadRequest, post(t, h, "/hook?token=s3cret", "application/json", `{"code":`).Code)
	assert.Equal(t, http.StatusRequestEntityTooLarge, post(t, h, "/hook?token=s3cret", "application/json",
		`{"custom_key":"`+strings.Repeat("x", 300)+`"}`).Code)
	r := httptest.NewRequest(http.MethodGet, "/hook?token=s3cret", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
	assert.Zero(t, calls.Load(), "no callback for refused deliveries")

	fail.Store(true)
	assert.Equal(t, http.StatusInternalServerError, post(t, h, "/hook?token=s3cret", "application/json", body).Code)
	fail.Store(false)
	assert.Equal(t, http.StatusOK, post(t, h, "/hook?token=s3cret", "application/json", body).Code, "redelivered after a failure")
	assert.Equal(t, http.StatusOK, post(t, h, "/hook?token=s3cret", "application/json", body).Code)
	r = httptest.NewRequest(http.MethodPost, "/hook", strings.NewReader(body))
	r.Header.Set(lunasoft.SecretHeader, "s3cret")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, int32(2), calls.Load(), "the failed call and one successful call; repeats are answered without a call")
}

func TestHandlerAllowList(t *testing.T) {
	t.Parallel()
	var got collected
	h, err := lunasoft.NewHandler(got.add, lunasoft.WebhookOptions{AllowedNetworks: []string{"10.0.0.0/8", "192.0.2.1"}})
	require.NoError(t, err)
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"custom_key":"a","code":"1000"}`))
	r.RemoteAddr = "192.0.2.1:5555"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusOK, w.Code)
	r = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"custom_key":"b","code":"1000"}`))
	r.RemoteAddr = "203.0.113.9:5555"
	r.Header.Set("X-Forwarded-For", "10.1.1.1")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusForbidden, w.Code, "headers are not trusted")
	assert.Len(t, got.all(), 1)

	_, err = lunasoft.NewHandler(nil, lunasoft.WebhookOptions{AllowedNetworks: []string{"not an ip"}})
	assert.ErrorIs(t, err, lunasoft.ErrInvalid)
}

func TestHandlerAnswersOnlyAfterTheCallback(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	entered := make(chan struct{}, 2)
	var calls atomic.Int32
	h, err := lunasoft.NewHandler(func(ctx context.Context, o lunasoft.Outcome) error {
		calls.Add(1)
		entered <- struct{}{}
		<-release
		return nil
	}, lunasoft.WebhookOptions{})
	require.NoError(t, err)
	done := make(chan int, 2)
	for range 2 {
		go func() { done <- post(t, h, "/", "", `{"custom_key":"same","code":"1000"}`).Code }()
	}
	<-entered
	select {
	case code := <-done:
		t.Fatalf("answered %d before the callback returned", code)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	assert.Equal(t, http.StatusOK, <-done)
	assert.Equal(t, http.StatusOK, <-done)
	assert.Equal(t, int32(1), calls.Load(), "a concurrent repeat waits and is not handled twice")
}

// TestUnknownSettledByWebhook: a send whose answer is lost is settled by the fake's webhook,
// including a failover SMS for a recipient without KakaoTalk and duplicate deliveries.
func TestUnknownSettledByWebhook(t *testing.T) {
	t.Parallel()
	clock := testNow()
	var clockMu sync.Mutex
	now := func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return clock }
	tracker := lunasoft.NewPendingTracker(lunasoft.PendingOptions{Window: time.Hour, Now: now})
	var got collected
	h, err := lunasoft.NewHandler(got.add, lunasoft.WebhookOptions{Pending: tracker, Secret: "hook-secret"})
	require.NoError(t, err)
	hook := httptest.NewServer(h)
	t.Cleanup(hook.Close)

	srv, c := newFake(t, lunasofttest.Options{NonKakaoUsers: []string{"010-5555-0002"}, DuplicateWebhooks: 1,
		WebhookURL: hook.URL + "/lunasoft?token=hook-secret"}, lunasoft.WithPendingTracker(tracker))
	srv.InjectFault(lunasofttest.Fault{Call: lunasofttest.CallSend, Kind: lunasofttest.FaultDrop, CarryOut: true})
	m2 := orderMessage("010-5555-0002", "k2", "2")
	m2.Failover = &alimtalk.Failover{}
	res, err := c.Send(bg, []alimtalk.Message{orderMessage("010-5555-0001", "k1", "1"), m2})
	require.NoError(t, err)
	for _, r := range res {
		require.Equal(t, alimtalk.StatusUnknown, r.Status)
	}
	assert.Equal(t, 1, srv.Requests(lunasofttest.CallSend), "never retried")
	srv.FlushWebhooks()
	assert.Zero(t, tracker.Len(), "both settled by their webhooks")
	var delivered, sms, failed int
	for _, o := range got.all() {
		switch o.Status {
		case lunasoft.OutcomeDelivered:
			delivered++
		case lunasoft.OutcomeDeliveredSMS:
			sms++
		case lunasoft.OutcomeFailed:
			failed++
		}
	}
	assert.Equal(t, []int{1, 1, 1}, []int{delivered, sms, failed}, "AlimTalk to k1; AlimTalk failed then SMS to k2; repeats dropped")
	assert.Len(t, srv.Webhooks(), 6, "every result posted twice")
	for _, d := range srv.Webhooks() {
		assert.Equal(t, http.StatusOK, d.Status)
	}

	// A third unknown send whose webhook never comes is reported overdue after the window.
	srv.SetWebhookURL("")
	srv.InjectFault(lunasofttest.Fault{Kind: lunasofttest.FaultStatus, CarryOut: true})
	res, err = c.Send(bg, []alimtalk.Message{orderMessage("010-5555-0003", "k3", "3")})
	require.NoError(t, err)
	require.Equal(t, alimtalk.StatusUnknown, res[0].Status)
	assert.Empty(t, tracker.Overdue())
	clockMu.Lock()
	clock = clock.Add(time.Hour)
	clockMu.Unlock()
	over := tracker.Overdue()
	require.Len(t, over, 1)
	assert.Equal(t, "k3", over[0].Result.Ref)
	assert.Empty(t, tracker.Overdue(), "reported once")
	assert.Equal(t, 1, tracker.Len(), "still settle-able by a late webhook")
}

func TestTrackerWebhookBeforeSendReturns(t *testing.T) {
	t.Parallel()
	tr := lunasoft.NewPendingTracker(lunasoft.PendingOptions{})
	_, ok := tr.Settle("fast")
	assert.False(t, ok)
	assert.Zero(t, tr.Add(alimtalk.Result{Ref: "fast", Status: alimtalk.StatusUnknown}), "already settled by its webhook")
	assert.Equal(t, 1, tr.Add(alimtalk.Result{Ref: "slow", Status: alimtalk.StatusUnknown}))
	assert.Zero(t, tr.Add(alimtalk.Result{Ref: "known", Status: alimtalk.StatusAccepted}))
	assert.Equal(t, 1, tr.Len())
}

func TestWebhookSecretNeverPrinted(t *testing.T) {
	t.Parallel()
	const hookSecret = "HOOKSECRET-0123456789"
	opts := lunasoft.WebhookOptions{Secret: hookSecret, SuccessCodes: []string{"1000"}}
	h, err := lunasoft.NewHandler(func(context.Context, lunasoft.Outcome) error { return nil }, opts)
	require.NoError(t, err)
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		outs = append(outs, fmt.Sprintf(verb, opts), fmt.Sprintf(verb, h), fmt.Sprintf(verb, struct{ O lunasoft.WebhookOptions }{opts}))
	}
	b, err := json.Marshal(opts)
	require.NoError(t, err)
	outs = append(outs, string(b))
	var buf bytes.Buffer
	for _, hd := range []slog.Handler{slog.NewJSONHandler(&buf, nil), slog.NewTextHandler(&buf, nil)} {
		slog.New(hd).Info("x", "opts", opts, "handler", h)
	}
	outs = append(outs, buf.String())
	for _, out := range outs {
		assert.NotContains(t, out, "HOOKSECRET", out)
	}
	assert.Contains(t, outs[0], "REDACTED(", "masked, not dropped")
}
