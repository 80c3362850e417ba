package ssoda_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/alimtalk/provider"
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
)

// mixedBatch is n messages in which every 7th has a bad number, every 11th repeats the Ref of
// a message far earlier (in another prepared chunk), and every 13th repeats the Ref of an
// invalid message (which does not count as a use of that Ref).
func mixedBatch(n int) []alimtalk.Message {
	msgs := make([]alimtalk.Message, n)
	for i := range msgs {
		msgs[i] = orderMessage(fmt.Sprintf("010-7%03d-%04d", i/10000, i%10000), "Q-"+strconv.Itoa(i))
		switch {
		case i%7 == 3:
			msgs[i].To = "010-12"
		case i%11 == 10 && i >= 40:
			msgs[i].Ref = msgs[i-37].Ref
		case i%13 == 12 && i >= 40:
			msgs[i].Ref = msgs[i-9-(i-9)%7+3].Ref // a message with a bad number
		}
	}
	return msgs
}

// Preparing in chunks while sending must give the same verdicts as preparing the whole batch at
// once: the same messages invalid, for the same reasons, duplicates across chunks included.
func TestSendBatchInvalidExactlyAsWholeBatch(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, ssodatest.Options{Points: 1e9}, ssoda.WithConcurrency(4))
	msgs := mixedBatch(300)
	want := provider.PrepareBatch(msgs, srv.TemplateSource(), alimtalk.Limits{}).Results()

	res, err := c.Send(t.Context(), msgs)
	require.NoError(t, err)
	require.Len(t, res, len(msgs))
	sent, dups := 0, 0
	for i, r := range res {
		assert.Equal(t, msgs[i].Ref, r.Ref, "results in the caller's order")
		if want[i].Status != alimtalk.StatusInvalid {
			assert.Equal(t, alimtalk.StatusAccepted, r.Status, "message %d: %v", i, r.Err)
			assert.NotEmpty(t, r.MessageID)
			sent++
			continue
		}
		require.Equal(t, alimtalk.StatusInvalid, r.Status, "message %d", i)
		assert.Equal(t, want[i].To, r.To)
		assert.True(t, r.ScheduledAt.IsZero())
		var got, exp *alimtalk.FieldError
		require.ErrorAs(t, r.Err, &got)
		require.ErrorAs(t, want[i].Err, &exp)
		assert.Equal(t, exp.Field, got.Field, "message %d", i)
		assert.Equal(t, exp.Reason, got.Reason, "message %d", i)
		if got.Reason == alimtalk.ReasonDuplicate {
			dups++
		}
	}
	assert.Positive(t, dups, "the batch holds duplicates across chunks")
	assert.Equal(t, sent, srv.Requests(srv.Paths().SendAlimTalk), "one request per valid message, none for the others")
}

// When the context ends mid-batch, messages already prepared or not, the invalid ones stay
// invalid, those never started are NotSent (the tail of the batch, apart from at most one per
// worker that had taken its message but not written it yet), and nothing is sent twice.
func TestSendBatchContextEndsWhileChunksRemain(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var answered atomic.Int64
	srv := ssodatest.NewServer(ssodatest.Options{Templates: []alimtalk.Template{orderTemplate()}, Points: 1e9})
	t.Cleanup(srv.Close)
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := srv.Client().Transport.RoundTrip(r)
		if answered.Add(1) == 40 {
			cancel()
		}
		return resp, err
	})}
	c, err := srv.NewClient(ssoda.WithConcurrency(4), ssoda.WithHTTPClient(hc))
	require.NoError(t, err)
	msgs := mixedBatch(400)
	want := provider.PrepareBatch(msgs, srv.TemplateSource(), alimtalk.Limits{}).Results()

	res, err := c.Send(ctx, msgs)
	require.ErrorIs(t, err, context.Canceled)
	notSent, notSentBeforeStarted := 0, 0
	for i, r := range res {
		if want[i].Status == alimtalk.StatusInvalid {
			assert.Equal(t, alimtalk.StatusInvalid, r.Status, "message %d", i)
			continue
		}
		switch r.Status {
		case alimtalk.StatusNotSent:
			notSent++
			assert.ErrorIs(t, r.Err, context.Canceled)
			assert.Equal(t, msgs[i].Ref, r.Ref)
		case alimtalk.StatusAccepted, alimtalk.StatusUnknown:
			// Every message not sent so far lies before this started one.
			notSentBeforeStarted = notSent
		default:
			t.Fatalf("message %d: %s %v", i, r.Status, r.Err)
		}
	}
	assert.Positive(t, notSent)
	// Each not-sent message before a started one was held by a worker when ctx ended.
	assert.LessOrEqual(t, notSentBeforeStarted, 4, "not-sent messages outside the tail, one per worker at most")
	// A message in flight when ctx ended is Unknown, whether or not the fake had read it yet.
	accepted, started := countStarted(res, want)
	got := srv.Requests(srv.Paths().SendAlimTalk)
	assert.GreaterOrEqual(t, got, accepted)
	assert.LessOrEqual(t, got, started, "no request for a message reported not sent")
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// countStarted counts the valid messages accepted, and those accepted or unknown.
func countStarted(res, want []alimtalk.Result) (accepted, started int) {
	for i, r := range res {
		if want[i].Status == alimtalk.StatusInvalid {
			continue
		}
		if r.Status == alimtalk.StatusAccepted {
			accepted++
		}
		if r.Status != alimtalk.StatusNotSent {
			started++
		}
	}
	return accepted, started
}

// A refused key stops the batch: later messages, in later chunks too, are NotSent and the
// error says why.
func TestSendBatchStopsAcrossChunks(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, ssodatest.Options{AllowedIPs: []string{"203.0.113.7"}}, ssoda.WithConcurrency(2))
	msgs := mixedBatch(120)
	res, err := c.Send(t.Context(), msgs)
	require.ErrorIs(t, err, ssoda.ErrIPNotAllowed)
	rejected := 0
	for _, r := range res {
		switch r.Status {
		case alimtalk.StatusRejected:
			rejected++
		case alimtalk.StatusNotSent:
			assert.True(t, errors.Is(r.Err, ssoda.ErrIPNotAllowed), "%v", r.Err)
		case alimtalk.StatusInvalid:
		default:
			t.Fatalf("unexpected %s", r.Status)
		}
	}
	assert.LessOrEqual(t, rejected, 2, "at most the messages already in flight")
	assert.Equal(t, rejected, srv.Requests(srv.Paths().SendAlimTalk))
}
