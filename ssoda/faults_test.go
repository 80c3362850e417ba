package ssoda_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
)

// TestSendFaultMatrix sends one message through every kind of failure and checks that no
// message is ever sent twice (requests and messages recorded by the fake), and that the Result
// says honestly what is known.
func TestSendFaultMatrix(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		faults       []ssodatest.Fault
		opts         []ssoda.Option
		wantStatus   alimtalk.Status
		wantRequests int
		wantRecorded int
		check        func(t *testing.T, r alimtalk.Result)
	}{
		{
			name:       "5xx before processing",
			faults:     []ssodatest.Fault{{Kind: ssodatest.FaultStatus, Status: 502}},
			wantStatus: alimtalk.StatusUnknown, wantRequests: 1, wantRecorded: 0,
			check: func(t *testing.T, r alimtalk.Result) {
				var ae *ssoda.APIError
				require.ErrorAs(t, r.Err, &ae, "the 5xx body is decoded")
				assert.Equal(t, 502, ae.HTTPStatusCode())
				assert.Equal(t, "502", ae.Code())
				assert.True(t, ae.OutcomeUnknown())
				assert.False(t, ae.Retryable())
			},
		},
		{
			name:       "5xx after processing",
			faults:     []ssodatest.Fault{{Kind: ssodatest.FaultStatus, Status: 500, CarryOut: true}},
			wantStatus: alimtalk.StatusUnknown, wantRequests: 1, wantRecorded: 1,
		},
		{
			name:       "connection dropped after reading",
			faults:     []ssodatest.Fault{{Kind: ssodatest.FaultDrop, CarryOut: true}},
			wantStatus: alimtalk.StatusUnknown, wantRequests: 1, wantRecorded: 1,
		},
		{
			name:       "connection dropped unprocessed",
			faults:     []ssodatest.Fault{{Kind: ssodatest.FaultDrop}},
			wantStatus: alimtalk.StatusUnknown, wantRequests: 1, wantRecorded: 0,
		},
		{
			name:       "latency beyond the timeout",
			faults:     []ssodatest.Fault{{Kind: ssodatest.FaultDelay, Delay: time.Minute}},
			opts:       []ssoda.Option{ssoda.WithTimeout(150 * time.Millisecond)},
			wantStatus: alimtalk.StatusUnknown, wantRequests: 1, wantRecorded: 1,
		},
		{
			name:       "HTML page with HTTP 200",
			faults:     []ssodatest.Fault{{Kind: ssodatest.FaultHTMLPage}},
			wantStatus: alimtalk.StatusUnknown, wantRequests: 1, wantRecorded: 0,
			check: func(t *testing.T, r alimtalk.Result) {
				var re *ssoda.ResponseError
				require.ErrorAs(t, r.Err, &re)
				assert.Contains(t, re.Message, "HTML")
				assert.Contains(t, string(re.Body), "Request blocked")
				assert.ErrorIs(t, r.Err, ssoda.ErrBadResponse)
			},
		},
		{
			name:       "empty body with HTTP 200",
			faults:     []ssodatest.Fault{{Kind: ssodatest.FaultEmptyBody, CarryOut: true}},
			wantStatus: alimtalk.StatusUnknown, wantRequests: 1, wantRecorded: 1,
			check: func(t *testing.T, r alimtalk.Result) {
				var re *ssoda.ResponseError
				require.ErrorAs(t, r.Err, &re)
				assert.Equal(t, "empty body", re.Message)
				assert.Equal(t, "Send", re.Op)
			},
		},
		{
			name:       "truncated body",
			faults:     []ssodatest.Fault{{Kind: ssodatest.FaultTruncated, CarryOut: true}},
			wantStatus: alimtalk.StatusUnknown, wantRequests: 1, wantRecorded: 1,
			check: func(t *testing.T, r alimtalk.Result) {
				var re *ssoda.ResponseError
				require.ErrorAs(t, r.Err, &re)
				assert.Contains(t, re.Error(), "truncated")
				assert.NotContains(t, re.Error(), "malformed")
			},
		},
		{
			name:       "503 after a delay, carried out",
			faults:     []ssodatest.Fault{{Kind: ssodatest.FaultStatus, Status: 503, Delay: 5 * time.Millisecond, CarryOut: true}},
			wantStatus: alimtalk.StatusUnknown, wantRequests: 1, wantRecorded: 1,
		},
		{
			name:       "429 then success",
			faults:     []ssodatest.Fault{{Kind: ssodatest.FaultTooManyRequests}},
			wantStatus: alimtalk.StatusAccepted, wantRequests: 2, wantRecorded: 1,
		},
		{
			name:       "429 until retries run out",
			faults:     []ssodatest.Fault{{Kind: ssodatest.FaultTooManyRequests, Times: 5}},
			opts:       []ssoda.Option{ssoda.WithRetry(1, 0)},
			wantStatus: alimtalk.StatusNotSent, wantRequests: 2, wantRecorded: 0,
			check: func(t *testing.T, r alimtalk.Result) {
				var ae *ssoda.APIError
				require.ErrorAs(t, r.Err, &ae)
				assert.Equal(t, 429, ae.HTTPStatusCode())
				assert.True(t, ae.Retryable())
			},
		},
		{
			name:       "latency within the timeout",
			faults:     []ssodatest.Fault{{Kind: ssodatest.FaultDelay, Delay: 10 * time.Millisecond}},
			wantStatus: alimtalk.StatusAccepted, wantRequests: 1, wantRecorded: 1,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, c := newFake(t, ssodatest.Options{}, tc.opts...)
			path := srv.Paths().SendAlimTalk
			for _, f := range tc.faults {
				f.Call = ssodatest.CallSend
				srv.InjectFault(f)
			}
			res, err := c.Send(t.Context(), []alimtalk.Message{orderMessage("010-1234-5678", "F-1")})
			require.NoError(t, err, "a per-message failure is not a call error")
			require.Len(t, res, 1)
			r := res[0]
			assert.Equal(t, tc.wantStatus, r.Status, "%v", r.Err)
			assert.Equal(t, tc.wantRequests, srv.Requests(path), "requests that reached the server")
			assert.Len(t, srv.Messages(), tc.wantRecorded, "messages the server took")
			switch tc.wantStatus {
			case alimtalk.StatusUnknown:
				assert.ErrorIs(t, r.Err, ssoda.ErrOutcomeUnknown)
				assert.False(t, r.Status.SafeToRetry())
			case alimtalk.StatusAccepted:
				assert.NotEmpty(t, r.MessageID)
			case alimtalk.StatusNotSent:
				assert.NotErrorIs(t, r.Err, ssoda.ErrOutcomeUnknown)
				assert.True(t, r.Status.SafeToRetry())
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

func TestSendDialRefusedIsNotSent(t *testing.T) {
	t.Parallel()
	dead := httptest.NewServer(nil)
	url := dead.URL
	dead.Close()
	attempts := &countingTransport{next: http.DefaultTransport.(*http.Transport).Clone()}
	c, err := ssoda.NewClient(testCreds, ssoda.WithBaseURL(url), ssoda.WithRetry(2, 0),
		ssoda.WithHTTPClient(&http.Client{Transport: attempts}))
	require.NoError(t, err)
	res, err := c.Send(t.Context(), []alimtalk.Message{{To: "010-1234-5678", TemplateCode: "ORDER_RECEIVED", Text: "안녕하세요"}})
	require.NoError(t, err)
	assert.Equal(t, alimtalk.StatusNotSent, res[0].Status)
	assert.ErrorIs(t, res[0].Err, ssoda.ErrNotSent)
	assert.NotErrorIs(t, res[0].Err, ssoda.ErrOutcomeUnknown)
	assert.Equal(t, int64(3), attempts.n.Load(), "a refused connection never carried the request, so it is retried")
	attempts.next.CloseIdleConnections()
}

// countingTransport counts the attempts a client makes (none of which reach a server when
// the connection is refused).
type countingTransport struct {
	next *http.Transport
	n    atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

func TestFaultedBatchNeverDuplicates(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, ssodatest.Options{}, ssoda.WithConcurrency(3))
	path := srv.Paths().SendAlimTalk
	srv.InjectFault(ssodatest.Fault{Call: path, Kind: ssodatest.FaultDrop, CarryOut: true, Times: 2})
	srv.InjectFault(ssodatest.Fault{Call: path, Kind: ssodatest.FaultTooManyRequests, Times: 2})
	srv.InjectFault(ssodatest.Fault{Call: path, Kind: ssodatest.FaultStatus, Status: 503, Times: 1})
	msgs := make([]alimtalk.Message, 12)
	for i := range msgs {
		msgs[i] = orderMessage(fmt.Sprintf("010-4000-%04d", i+1), fmt.Sprintf("D-%02d", i))
	}
	res, err := c.Send(t.Context(), msgs)
	require.NoError(t, err)
	counts := map[alimtalk.Status]int{}
	for _, r := range res {
		counts[r.Status]++
	}
	assert.Equal(t, 3, counts[alimtalk.StatusUnknown], "two drops and one 503")
	assert.Equal(t, 9, counts[alimtalk.StatusAccepted])
	assert.Equal(t, 12+2, srv.Requests(path), "only the two 429s were sent again")
	// Dropped sends were processed, the 503 was not: 9 accepted + 2 dropped.
	assert.Len(t, srv.Messages(), 11)
	seen := map[string]int{}
	for _, m := range srv.Messages() {
		seen[m.Text]++
	}
	for text, n := range seen {
		assert.Equal(t, 1, n, "text sent twice: %q", text)
	}
}
