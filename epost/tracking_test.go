package epost_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/eposttest"
)

func TestNormalizeWaybill(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, want string
		testErr  bool
	}{
		{"6012345678901", "6012345678901", false},
		{" 6012-3456-78901 ", "6012345678901", false},
		{"601 2345 678901", "6012345678901", false},
		{"TESTREGINOAPI", "", true},
		{"testreginoapi", "", true},
		{"601234567890", "", false},
		{"60123456789012", "", false},
		{"601234567890A", "", false},
		{"", "", false},
	}
	for _, tc := range cases {
		got, err := epost.NormalizeWaybill(tc.in)
		if tc.want != "" {
			require.NoError(t, err, tc.in)
			assert.Equal(t, tc.want, got)
			continue
		}
		require.Error(t, err, tc.in)
		assert.ErrorIs(t, err, epost.ErrInvalid)
		assert.Equal(t, tc.testErr, err != nil && errors.Is(err, epost.ErrTestWaybill), tc.in)
	}
}

// shipAndScan books a parcel on the fake and walks it to delivery.
func shipAndScan(t *testing.T, srv *eposttest.Server, c *epost.Client) string {
	t.Helper()
	b, err := c.InsertOrder(context.Background(), validOrder())
	require.NoError(t, err)
	require.NoError(t, srv.SetStatus(b.RegiNo, epost.TreatPickedUp))
	base := fixedNow()
	for i, ev := range []eposttest.TraceEvent{
		{Place: "광주우편집중국", Status: "발송"},
		{Place: "동서울우편집중국", Status: "도착"},
		{Place: "서울광진우체국", Status: "배달준비"},
		{Place: "서울광진우체국", Status: "배달완료", Detail: "배달(수령인:본인)"},
	} {
		ev.Time = base.Add(time.Duration(i+1) * time.Hour)
		srv.AddTraceEvent(b.RegiNo, ev)
	}
	return b.RegiNo
}

func TestBothTraceServicesAgree(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{})
	waybill := shipAndScan(t, srv, c)

	pub, err := c.TrackPublic(context.Background(), waybill)
	require.NoError(t, err)
	biz, err := c.TrackBiz(context.Background(), waybill)
	require.NoError(t, err)
	auto, err := c.Track(context.Background(), waybill)
	require.NoError(t, err)
	assert.Equal(t, epost.TraceBiz, auto.Source, "Track prefers the contract-customer service when its key is set")

	for _, tr := range []*epost.Trace{pub, biz} {
		assert.Equal(t, waybill, tr.Waybill)
		assert.Equal(t, epost.StatusDelivered, tr.Status)
		assert.Equal(t, "배달완료", tr.StatusText)
		assert.Equal(t, "홍*동", tr.RecipientName, "names come masked by the service")
		assert.Equal(t, "2024-05-01 14:00", tr.DeliveredAt.Format("2006-01-02 15:04"))
		require.Len(t, tr.Events, 5)
		statuses := make([]epost.TrackingStatus, len(tr.Events))
		texts := make([]string, len(tr.Events))
		for i, e := range tr.Events {
			statuses[i], texts[i] = e.Status, e.StatusText
		}
		assert.Equal(t, []string{"접수", "발송", "도착", "배달준비", "배달완료"}, texts)
		assert.Equal(t, []epost.TrackingStatus{epost.StatusPickedUp, epost.StatusInTransit, epost.StatusInTransit,
			epost.StatusOutForDelivery, epost.StatusDelivered}, statuses)
		assert.Equal(t, "2024-05-01 10:00", tr.Events[0].Time.Format("2006-01-02 15:04"))
		assert.Equal(t, "+0900", tr.Events[0].Time.Format("-0700"))
	}
	assert.Equal(t, 1, srv.Requests(eposttest.CallPublicTrace))
	assert.Equal(t, 2, srv.Requests(eposttest.CallBizTrace))
}

func TestTraceNotFoundAndKeys(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{})
	b, err := c.InsertOrder(context.Background(), validOrder())
	require.NoError(t, err)

	_, err = c.TrackPublic(context.Background(), b.RegiNo)
	assert.ErrorIs(t, err, epost.ErrNotFound, "booked but not scanned yet")
	_, err = c.TrackBiz(context.Background(), b.RegiNo)
	assert.ErrorIs(t, err, epost.ErrNotFound)

	// The data.go.kr key may be given percent-encoded; it is decoded once and never
	// double-encoded.
	encoded := url.QueryEscape(eposttest.DefaultTraceServiceKey)
	require.NotEqual(t, encoded, eposttest.DefaultTraceServiceKey)
	srv.AddTraceEvent("6099999999999", eposttest.TraceEvent{Place: "나주우체국", Status: "접수"})
	c2, err := srv.NewClient(epost.WithTraceServiceKey(encoded))
	require.NoError(t, err)
	tr, err := c2.TrackPublic(context.Background(), "6099999999999")
	require.NoError(t, err)
	assert.Equal(t, epost.StatusPickedUp, tr.Status)

	wrong, err := srv.NewClient(epost.WithTraceServiceKey("wrong"), epost.WithBizTraceKey("wrong"))
	require.NoError(t, err)
	_, err = wrong.TrackPublic(context.Background(), "6099999999999")
	var apiErr *epost.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "30", apiErr.Code())
	assert.NotErrorIs(t, err, epost.ErrNotFound)
	_, err = wrong.TrackBiz(context.Background(), "6099999999999")
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "ERR-123", apiErr.Code())

	noKeys, err := epost.NewClient(srv.Credentials(), epost.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	_, err = noKeys.Track(context.Background(), "6099999999999")
	assert.ErrorIs(t, err, epost.ErrNoTraceService)
}

func TestTraceRetriesAndFaults(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{})
	srv.AddTraceEvent("6099999999999", eposttest.TraceEvent{Place: "나주우체국", Status: "접수"})
	srv.InjectFault(eposttest.Fault{Call: eposttest.CallBizTrace, Kind: eposttest.FaultDrop})
	srv.InjectFault(eposttest.Fault{Call: eposttest.CallBizTrace, Kind: eposttest.FaultStatus, Status: 502})
	tr, err := c.TrackBiz(context.Background(), "6099999999999")
	require.NoError(t, err, "tracking is idempotent: retried")
	assert.Equal(t, epost.StatusPickedUp, tr.Status)
	assert.Equal(t, 3, srv.Requests(eposttest.CallBizTrace))
}

func TestTrackManyKeepsOrderAndNeverStops(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{})
	delivered := shipAndScan(t, srv, c)
	srv.AddTraceEvent("7000000000001", eposttest.TraceEvent{Place: "부산우체국", Status: "미배달", Detail: "수취인부재"})
	srv.InjectFault(eposttest.Fault{Call: eposttest.CallPublicTrace, Kind: eposttest.FaultStatus, Status: 503, Times: 2})

	input := []string{delivered, "bad", "7000000000001", epost.TestWaybill, "6000000000999", delivered}
	results := c.TrackMany(context.Background(), input, epost.TrackManyOptions{Source: epost.TracePublic, Concurrency: 3, Interval: time.Millisecond})
	require.Len(t, results, len(input))
	for i, r := range results {
		assert.Equal(t, input[i], r.Waybill, "input order")
	}
	require.NoError(t, results[0].Err)
	assert.Equal(t, epost.StatusDelivered, results[0].Trace.Status)
	assert.ErrorIs(t, results[1].Err, epost.ErrInvalid)
	require.NoError(t, results[2].Err)
	assert.Equal(t, epost.StatusException, results[2].Trace.Status)
	assert.Equal(t, "수취인부재", results[2].Trace.Events[0].Detail)
	assert.ErrorIs(t, results[3].Err, epost.ErrTestWaybill)
	assert.ErrorIs(t, results[4].Err, epost.ErrNotFound)
	require.NoError(t, results[5].Err)
	assert.Equal(t, 4+2, srv.Requests(eposttest.CallPublicTrace), "4 valid numbers, 2 retried 503s; malformed ones never sent")
}

func TestTrackManyBoundsConcurrency(t *testing.T) {
	t.Parallel()
	var inFlight, peak atomic.Int32
	var mu sync.Mutex
	seen := map[string]int{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		q := r.URL.Query().Get("query")
		mu.Lock()
		seen[q]++
		mu.Unlock()
		time.Sleep(2 * time.Millisecond) // keep requests overlapping
		_, _ = w.Write([]byte(`<trace><regino>` + q + `</regino><itemlist><item><sortingdate>2024.05.01</sortingdate>` +
			`<eventhms>10:00</eventhms><eventregiponm>나주</eventregiponm><tracestatus>접수</tracestatus></item></itemlist></trace>`))
	}))
	t.Cleanup(ts.Close)
	c, err := epost.NewClient(epost.Credentials{}, epost.WithBizTraceKey("k"), epost.WithBizTraceBaseURL(ts.URL))
	require.NoError(t, err)

	var input []string
	for i := 0; i < 40; i++ {
		input = append(input, fmt.Sprintf("60000000000%02d", i))
	}
	results := c.TrackMany(context.Background(), input, epost.TrackManyOptions{Concurrency: 3, Interval: -1})
	for i, r := range results {
		require.NoError(t, r.Err)
		assert.Equal(t, input[i], r.Trace.Waybill)
	}
	assert.LessOrEqual(t, peak.Load(), int32(3), "at most 3 in flight")
	assert.Len(t, seen, 40)
	for w, n := range seen {
		assert.Equal(t, 1, n, w)
	}
}

func TestTrackManyEndsWithContext(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t, eposttest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	results := c.TrackMany(ctx, []string{"6000000000001", "6000000000002", "bad"}, epost.TrackManyOptions{})
	assert.ErrorIs(t, results[0].Err, context.Canceled)
	assert.ErrorIs(t, results[1].Err, context.Canceled)
	assert.ErrorIs(t, results[2].Err, epost.ErrInvalid)
	assert.Zero(t, srv.Requests(eposttest.CallBizTrace))
	assert.Empty(t, c.TrackMany(context.Background(), nil, epost.TrackManyOptions{}))
}
