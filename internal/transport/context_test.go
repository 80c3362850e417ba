package transport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
)

// hangingUntilDone is a RoundTripper that, like HTTP/2's, watches the request's context itself
// instead of deriving one: it returns only when that context ends. It wraps the context in a
// value first when wrap is set, as tracing middleware does.
type hangingUntilDone struct {
	calls atomic.Int32
	wrap  bool
}

type wrapKey struct{}

func (h *hangingUntilDone) RoundTrip(req *http.Request) (*http.Response, error) {
	h.calls.Add(1)
	ctx := req.Context()
	if h.wrap {
		ctx = context.WithValue(ctx, wrapKey{}, true)
		// Derived the way net/http derives its own: through the wrapper, so registration
		// takes context's generic path.
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
	}
	<-ctx.Done()
	return nil, context.Cause(ctx)
}

func hangingClient(t *testing.T, rt http.RoundTripper, timeout time.Duration) *Client {
	t.Helper()
	c, err := New(Config{BaseURL: "http://127.0.0.1:1", HTTPClient: &http.Client{Transport: rt},
		NoWait: true, MaxRetries: 2, Timeout: timeout})
	require.NoError(t, err)
	return c
}

// The client's Timeout ends an attempt whose transport watches the request's context directly,
// with or without a wrapper in between, and with a caller's context that can or cannot end.
func TestAttemptTimeoutEndsWhateverWatchesTheContext(t *testing.T) {
	t.Parallel()
	for _, wrap := range []bool{false, true} {
		for _, cancelable := range []bool{false, true} {
			name := map[bool]string{false: "direct", true: "wrapped"}[wrap] + "/" +
				map[bool]string{false: "background", true: "cancelable"}[cancelable]
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				rt := &hangingUntilDone{wrap: wrap}
				c := hangingClient(t, rt, 60*time.Millisecond)
				ctx := context.Background()
				if cancelable {
					var cancel context.CancelFunc
					ctx, cancel = context.WithCancel(ctx)
					defer cancel()
				}
				start := time.Now()
				_, err := call(c, ctx, Idempotent)
				elapsed := time.Since(start)
				require.Error(t, err)
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				assert.Contains(t, err.Error(), "attempt timed out after 60ms")
				assert.EqualValues(t, 3, rt.calls.Load(), "an idempotent call is retried after each timed-out attempt")
				assert.GreaterOrEqual(t, elapsed, 3*60*time.Millisecond, "each attempt ran its whole timeout")
				assert.NoError(t, ctx.Err(), "the caller's context is untouched")
			})
		}
	}
}

// A non-idempotent call whose attempt timed out is never retried, and its outcome is unknown
// only when the request was written; here the transport never writes.
func TestAttemptTimeoutOfAnUnwrittenSendIsNotSent(t *testing.T) {
	t.Parallel()
	rt := &hangingUntilDone{}
	c := hangingClient(t, rt, 40*time.Millisecond)
	_, err := call(c, context.Background(), NonIdempotent)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.False(t, errors.Is(err, kshop.ErrOutcomeUnknown), "nothing was written: %v", err)
}

// The caller's end ends a bound attempt at once, long before the client's Timeout.
func TestCallerCancelEndsABoundAttempt(t *testing.T) {
	t.Parallel()
	for _, wrap := range []bool{false, true} {
		t.Run(map[bool]string{false: "direct", true: "wrapped"}[wrap], func(t *testing.T) {
			t.Parallel()
			rt := &hangingUntilDone{wrap: wrap}
			c := hangingClient(t, rt, time.Hour)
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(30*time.Millisecond, cancel)
			start := time.Now()
			_, err := call(c, ctx, Idempotent)
			require.Error(t, err)
			assert.ErrorIs(t, err, context.Canceled)
			assert.Less(t, time.Since(start), 10*time.Second)
			assert.EqualValues(t, 1, rt.calls.Load(), "no retry once the caller's context ended")
		})
	}
}

// An attempt whose context already ended before it was bound ends at once.
func TestBindAfterTheCallerEndedEndsAtOnce(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	st := newCallState(ctx, Idempotent)
	cancel()
	w := &attemptWatch{timeout: time.Hour}
	st.bindAttempt(w)
	defer st.finishCall()
	select {
	case <-st.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("Done was not closed")
	}
	assert.ErrorIs(t, st.Err(), context.Canceled)
	ran := make(chan struct{})
	stop := st.AfterFunc(func() { close(ran) })
	<-ran
	assert.False(t, stop(), "a function that ran cannot be stopped")
}

// Released attempts leave the watch; only those past their deadline are ended, each once.
func TestAttemptWatchEndsOnlyExpiredAttempts(t *testing.T) {
	t.Parallel()
	w := &attemptWatch{timeout: 50 * time.Millisecond}
	states := make([]*callState, 4)
	for i := range states {
		states[i] = newCallState(context.Background(), Idempotent)
		states[i].bindAttempt(w)
	}
	states[1].releaseAttempt() // answered in time
	var ended atomic.Int32
	for _, i := range []int{0, 2, 3} {
		states[i].AfterFunc(func() { ended.Add(1) })
	}
	kept := states[1].AfterFunc(func() { t.Error("a released attempt's context registers with the caller's") })
	for _, i := range []int{0, 2, 3} {
		select {
		case <-states[i].Done():
		case <-time.After(5 * time.Second):
			t.Fatalf("attempt %d was not ended", i)
		}
		var te *attemptTimeoutError
		assert.ErrorAs(t, states[i].Err(), &te)
	}
	assert.Eventually(t, func() bool { return ended.Load() == 3 }, 5*time.Second, time.Millisecond)
	assert.NoError(t, states[1].Err())
	assert.True(t, kept(), "the caller's registration is still pending")
	w.mu.Lock()
	assert.Nil(t, w.head, "the queue is empty")
	w.mu.Unlock()
	// Released after its timeout: the next bind starts clean.
	states[0].releaseAttempt()
	assert.NoError(t, states[0].Err())
	states[0].bindAttempt(w)
	assert.NoError(t, states[0].Err(), "a new attempt is not ended by the last one's timeout")
	states[0].releaseAttempt()
}

// A real server that answers within the timeout, many times over, 8 calls at a time: every
// call succeeds, and the watch's queue is empty afterwards.
func TestAttemptsAnsweredInTimeAreNeverEnded(t *testing.T) {
	t.Parallel()
	srv := newRawServer(t, func(conn net.Conn, _ *http.Request, n int64, _ <-chan struct{}) {
		if n%7 == 0 {
			time.Sleep(20 * time.Millisecond)
		}
		respond(conn, 200, nil, `{"code":"200"}`)
	})
	// A timeout far above the answers' time, so that a slow CI machine cannot end one.
	c := newTestClient(t, srv.URL(), func(cfg *Config) { cfg.Timeout = 5 * time.Second })
	errs := make(chan error, 64)
	for range 8 {
		go func() {
			for range 8 {
				resp, err := call(c, context.Background(), NonIdempotent)
				if err == nil && resp.StatusCode != 200 {
					err = errors.New("unexpected status")
				}
				errs <- err
			}
		}()
	}
	for range 64 {
		require.NoError(t, <-errs)
	}
	tt := c.rc.HTTPClient.Transport.(*timeoutTransport)
	tt.watch.mu.Lock()
	defer tt.watch.mu.Unlock()
	assert.Nil(t, tt.watch.head)
}

// When the head of the queue times out, an attempt bound later stays bound until its own
// deadline.
func TestAttemptWatchKeepsLaterDeadlines(t *testing.T) {
	t.Parallel()
	const timeout, gap = 400 * time.Millisecond, 200 * time.Millisecond
	w := &attemptWatch{timeout: timeout}
	first := newCallState(context.Background(), Idempotent)
	first.bindAttempt(w)
	defer first.finishCall()
	time.Sleep(gap)
	second := newCallState(context.Background(), Idempotent)
	second.bindAttempt(w)
	defer second.finishCall()
	secondBound := time.Now()

	<-first.Done()
	if time.Since(secondBound) < timeout-gap/2 {
		// The head's end came well before the second's deadline: the second must still run.
		assert.NoError(t, second.Err(), "ended by the head's timeout")
	}
	select {
	case <-second.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the second attempt was never ended")
	}
	assert.GreaterOrEqual(t, time.Since(secondBound), timeout, "not before its own deadline")
	var te *attemptTimeoutError
	assert.ErrorAs(t, second.Err(), &te)
}
