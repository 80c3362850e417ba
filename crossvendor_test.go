package kshop_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/epost/eposttest"
	"github.com/kshop-dev/kshop/ssoda"
	"github.com/kshop-dev/kshop/ssoda/ssodatest"
)

// The cross-vendor contract: the same failure, met by a Ssoda send and a Korea Post booking
// (or by a lookup of each), is classified identically by one errors.Is / errors.As routine,
// so a shop writes its failure handling once. Each row serves the same HTTP answer to both
// clients (only a vendor refusal and a truncated answer need each vendor's own format).
//
// A failing row is a defect of a vendor package (or of the transport under both), not of this
// test: fix the package, never loosen the row.

type vendor string

const (
	vSsoda vendor = "ssoda"
	vEpost vendor = "epost"
)

// call is what the row asks of each vendor.
type call int

const (
	callWrite    call = iota // ssoda Send / epost InsertOrder: not idempotent
	callLookup               // ssoda History.AlimTalk / epost GetResInfo: idempotent, retried
	callBadInput             // the same write with a bad phone number: refused before any request
)

// verdict is everything the shared handling code reads from an error.
type verdict struct {
	Nil            bool // no error at all
	OutcomeUnknown bool // errors.Is(err, kshop.ErrOutcomeUnknown)
	NotSent        bool // errors.Is(err, kshop.ErrNotSent)
	BadResponse    bool // errors.Is(err, kshop.ErrBadResponse)
	Invalid        bool // errors.Is(err, kshop.ErrInvalid)
	APIError       bool // errors.As(err, new(kshop.APIError))
	HTTPStatus     int  // APIError.HTTPStatusCode()
	HasCode        bool // APIError.Code() != ""
	Retryable      bool // APIError.Retryable()
	APIUnknown     bool // APIError.OutcomeUnknown()
}

// classify is the one piece of handling code both vendors' errors go through.
func classify(err error) verdict {
	if err == nil {
		return verdict{Nil: true}
	}
	v := verdict{
		OutcomeUnknown: errors.Is(err, kshop.ErrOutcomeUnknown),
		NotSent:        errors.Is(err, kshop.ErrNotSent),
		BadResponse:    errors.Is(err, kshop.ErrBadResponse),
		Invalid:        errors.Is(err, kshop.ErrInvalid),
	}
	var apiErr kshop.APIError
	if errors.As(err, &apiErr) {
		v.APIError = true
		v.HTTPStatus = apiErr.HTTPStatusCode()
		v.HasCode = apiErr.Code() != ""
		v.Retryable = apiErr.Retryable()
		v.APIUnknown = apiErr.OutcomeUnknown()
	}
	return v
}

// answer writes one failing HTTP answer; v says which vendor asks, for the rows whose body
// must be in the vendor's own format.
type answer func(w http.ResponseWriter, r *http.Request, v vendor)

func status(code int, contentType, body string) answer {
	return func(w http.ResponseWriter, r *http.Request, _ vendor) {
		_, _ = io.Copy(io.Discard, r.Body)
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		if code == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "0")
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
}

// vendorRefusal is a refusal in each vendor's own format: Ssoda's JSON envelope with
// ssodaCode, Korea Post's <error> with epostCode.
func vendorRefusal(ssodaCode, epostCode string) map[vendor][2]string {
	return map[vendor][2]string{
		vSsoda: {"application/json; charset=utf-8", `{"code":"` + ssodaCode + `","error":"요청을 처리할 수 없습니다.","content":null}`},
		vEpost: {"text/xml; charset=UTF-8", `<?xml version="1.0" encoding="UTF-8"?><error><error_code>` + epostCode +
			`</error_code><message>요청을 처리할 수 없습니다.</message></error>`},
	}
}

func perVendor(code int, bodies map[vendor][2]string) answer {
	return func(w http.ResponseWriter, r *http.Request, v vendor) {
		status(code, bodies[v][0], bodies[v][1])(w, r, v)
	}
}

// drop reads the whole request, then closes the connection without a byte of answer, as a
// server that crashed after doing the work.
func drop(w http.ResponseWriter, r *http.Request, _ vendor) {
	_, _ = io.Copy(io.Discard, r.Body)
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		_ = conn.Close()
	} // else an empty 200 goes out, and the row's assertions say so

}

// truncated announces a longer body than it sends, in each vendor's format.
func truncated(w http.ResponseWriter, r *http.Request, v vendor) {
	_, _ = io.Copy(io.Discard, r.Body)
	body := map[vendor]string{
		vSsoda: `{"code":"200","error":"","content":{"sent_messages":[{"msg_`,
		vEpost: `<?xml version="1.0" encoding="UTF-8"?><response><reqNo>2026112200000000`,
	}[v]
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+200))
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, body)
}

// slow answers only after the client's timeout (it gives up after its request was written).
func slow(_ http.ResponseWriter, r *http.Request, _ vendor) {
	_, _ = io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
	case <-time.After(2 * time.Second):
	}
}

const (
	htmlPage    = "<!DOCTYPE html><html><head><title>Access denied</title></head><body>blocked</body></html>"
	clientLimit = 150 * time.Millisecond // WithTimeout of both clients
	tries       = 2                      // attempts of a retried call: WithRetry(tries-1, 0)
)

// outcome is what one vendor did with a row: the error's verdict and the requests it made.
type outcome struct {
	verdict  verdict
	requests int64
}

func TestCrossVendorFailuresClassifyAlike(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		call   call
		answer answer
		// requests is how many requests each client makes: a send or booking that may have
		// arrived is never repeated; lookups and 429s are retried (WithRetry(1, 0)).
		requests int64
		// want holds what the shared vocabulary fixes for the row (the rules every vendor
		// package follows); fields the rules leave open are still compared across vendors.
		want func(t *testing.T, v verdict)
	}{
		{
			name: "bad input on a send or booking", call: callBadInput, requests: 0,
			answer: status(200, "", ""),
			want: func(t *testing.T, v verdict) {
				assert.True(t, v.Invalid, "ErrInvalid")
				assert.False(t, v.APIError, "nothing was asked of the vendor")
				assert.False(t, v.OutcomeUnknown)
				assert.False(t, v.NotSent, "sending it again unchanged fails the same way")
			},
		},
		{
			name: "503 on a send or booking", call: callWrite, requests: 1,
			answer: status(503, "text/plain", "Service Unavailable"),
			want: func(t *testing.T, v verdict) {
				assert.True(t, v.OutcomeUnknown, "ErrOutcomeUnknown")
				assert.True(t, v.APIError, "errors.As kshop.APIError")
				assert.Equal(t, 503, v.HTTPStatus)
				assert.True(t, v.APIUnknown, "OutcomeUnknown()")
				assert.False(t, v.Retryable, "never retryable when unknown")
				assert.False(t, v.NotSent)
			},
		},
		{
			name: "503 with the vendor's own error body on a send or booking", call: callWrite, requests: 1,
			answer: perVendor(503, vendorRefusal("9999", "ERR-131")),
			want: func(t *testing.T, v verdict) {
				assert.True(t, v.OutcomeUnknown, "ErrOutcomeUnknown")
				assert.True(t, v.APIError, "errors.As kshop.APIError")
				assert.Equal(t, 503, v.HTTPStatus)
				assert.True(t, v.APIUnknown, "OutcomeUnknown()")
				assert.False(t, v.Retryable, "never retryable when unknown")
				assert.False(t, v.BadResponse, "the vendor's own refusal is understood")
			},
		},
		{
			name: "502 HTML page from a gateway on a send or booking", call: callWrite, requests: 1,
			answer: status(502, "text/html; charset=utf-8", htmlPage),
			want: func(t *testing.T, v verdict) {
				assert.True(t, v.OutcomeUnknown, "ErrOutcomeUnknown")
				assert.True(t, v.APIError, "errors.As kshop.APIError")
				assert.Equal(t, 502, v.HTTPStatus)
				assert.True(t, v.APIUnknown)
				assert.False(t, v.Retryable)
			},
		},
		{
			name: "503 on a lookup", call: callLookup, requests: tries,
			answer: status(503, "text/plain", "Service Unavailable"),
			want: func(t *testing.T, v verdict) {
				assert.True(t, v.APIError, "errors.As kshop.APIError")
				assert.Equal(t, 503, v.HTTPStatus)
				assert.True(t, v.Retryable, "a lookup refused with 503 may be asked again")
				assert.False(t, v.APIUnknown)
				assert.False(t, v.OutcomeUnknown)
			},
		},
		{
			name: "429 on a send or booking", call: callWrite, requests: tries,
			answer: status(429, "text/plain", "Too Many Requests"),
			want: func(t *testing.T, v verdict) {
				assert.True(t, v.NotSent, "ErrNotSent: 429 means not carried out")
				assert.False(t, v.OutcomeUnknown)
				assert.True(t, v.APIError, "errors.As kshop.APIError")
				assert.Equal(t, 429, v.HTTPStatus)
				assert.True(t, v.Retryable)
				assert.False(t, v.APIUnknown)
			},
		},
		{
			name: "429 with the vendor's own error body on a send or booking", call: callWrite, requests: tries,
			answer: perVendor(429, vendorRefusal("429", "ERR-131")),
			want: func(t *testing.T, v verdict) {
				assert.True(t, v.NotSent, "ErrNotSent: 429 means not carried out")
				assert.False(t, v.OutcomeUnknown)
				assert.True(t, v.APIError, "errors.As kshop.APIError")
				assert.Equal(t, 429, v.HTTPStatus)
				assert.True(t, v.Retryable)
				assert.False(t, v.BadResponse, "the vendor's own refusal is understood")
			},
		},
		{
			name: "429 on a lookup", call: callLookup, requests: tries,
			answer: status(429, "text/plain", "Too Many Requests"),
			want: func(t *testing.T, v verdict) {
				assert.True(t, v.APIError, "errors.As kshop.APIError")
				assert.Equal(t, 429, v.HTTPStatus)
				assert.True(t, v.Retryable)
				assert.False(t, v.OutcomeUnknown)
			},
		},
		{
			name: "HTML page with 200 on a send or booking", call: callWrite, requests: 1,
			answer: status(200, "text/html; charset=utf-8", htmlPage),
			want: func(t *testing.T, v verdict) {
				assert.True(t, v.BadResponse, "ErrBadResponse")
				assert.True(t, v.OutcomeUnknown, "the vendor did receive the request")
				assert.True(t, v.APIError, "errors.As kshop.APIError")
				assert.Equal(t, 200, v.HTTPStatus)
				assert.True(t, v.APIUnknown)
				assert.False(t, v.Retryable)
			},
		},
		{
			name: "HTML page with 200 on a lookup", call: callLookup, requests: 1,
			answer: status(200, "text/html; charset=utf-8", htmlPage),
			want: func(t *testing.T, v verdict) {
				assert.True(t, v.BadResponse, "ErrBadResponse")
				assert.False(t, v.OutcomeUnknown, "a lookup changes nothing")
				assert.True(t, v.APIError, "errors.As kshop.APIError")
				assert.Equal(t, 200, v.HTTPStatus)
				assert.False(t, v.Retryable)
			},
		},
		{
			name: "empty 500 on a send or booking", call: callWrite, requests: 1,
			answer: status(500, "", ""),
			want: func(t *testing.T, v verdict) {
				assert.True(t, v.OutcomeUnknown, "ErrOutcomeUnknown")
				assert.True(t, v.APIError, "errors.As kshop.APIError, never a bare transport error")
				assert.Equal(t, 500, v.HTTPStatus)
				assert.True(t, v.APIUnknown)
				assert.False(t, v.Retryable)
			},
		},
		{
			name: "empty 200 on a send or booking", call: callWrite, requests: 1,
			answer: status(200, "", ""),
			want: func(t *testing.T, v verdict) {
				assert.True(t, v.BadResponse, "ErrBadResponse")
				assert.True(t, v.OutcomeUnknown)
				assert.True(t, v.APIError)
				assert.Equal(t, 200, v.HTTPStatus)
			},
		},
		{
			name: "vendor refusal in a 200 body", call: callWrite, requests: 1,
			answer: perVendor(200, vendorRefusal("3016", "ERR-323")),
			want: func(t *testing.T, v verdict) {
				assert.True(t, v.APIError, "errors.As kshop.APIError")
				assert.Equal(t, 200, v.HTTPStatus)
				assert.True(t, v.HasCode, "the vendor's own code")
				assert.False(t, v.Retryable)
				assert.False(t, v.APIUnknown)
				assert.False(t, v.OutcomeUnknown, "a refusal is a known outcome")
				assert.False(t, v.BadResponse)
				assert.False(t, v.NotSent)
			},
		},
		{
			name: "truncated answer to a send or booking", call: callWrite, requests: 1, answer: truncated,
			want: func(t *testing.T, v verdict) {
				assert.True(t, v.OutcomeUnknown, "ErrOutcomeUnknown")
				assert.False(t, v.NotSent)
				assert.False(t, v.Retryable)
			},
		},
		{
			name: "connection dropped after the request was read (send or booking)", call: callWrite, requests: 1, answer: drop,
			want: func(t *testing.T, v verdict) {
				assert.True(t, v.OutcomeUnknown, "ErrOutcomeUnknown")
				assert.False(t, v.NotSent)
				assert.False(t, v.Retryable)
			},
		},
		{
			name: "connection dropped after the request was read (lookup)", call: callLookup, requests: tries, answer: drop,
			want: func(t *testing.T, v verdict) {
				assert.False(t, v.Nil, "an error")
				assert.False(t, v.OutcomeUnknown, "a lookup changes nothing")
				assert.False(t, v.NotSent, "the request did arrive")
			},
		},
		{
			name: "no answer before the client's timeout (send or booking)", call: callWrite, requests: 1, answer: slow,
			want: func(t *testing.T, v verdict) {
				assert.True(t, v.OutcomeUnknown, "ErrOutcomeUnknown")
				assert.False(t, v.NotSent)
				assert.False(t, v.Retryable)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := map[vendor]outcome{}
			for _, v := range []vendor{vSsoda, vEpost} {
				var requests atomic.Int64
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					requests.Add(1)
					tt.answer(w, r, v)
				}))
				err := run(t, v, tt.call, srv.URL)
				srv.Close()
				got[v] = outcome{classify(err), requests.Load()}
				t.Logf("%s: %T after %d request(s): %v", v, err, requests.Load(), err)
				t.Run(string(v), func(t *testing.T) { tt.want(t, got[v].verdict) })
			}
			assert.Equal(t, got[vSsoda].verdict, got[vEpost].verdict,
				"ssoda (expected) and epost (actual) classify the same failure differently")
			for _, v := range []vendor{vSsoda, vEpost} {
				assert.Equal(t, tt.requests, got[v].requests, "%s: requests made", v)
			}
		})
	}
}

// run makes the row's call on one vendor's client pointed at url, and returns its error (for
// a Ssoda send, the message's Result.Err).
func run(t *testing.T, v vendor, c call, url string) error {
	t.Helper()
	ctx := context.Background()
	switch v {
	case vSsoda:
		client, err := ssoda.NewClient(ssoda.Credentials{APIKey: ssodatest.DefaultAPIKey,
			TokenKey: ssodatest.DefaultTokenKey, SenderKey: ssodatest.DefaultSenderKey},
			ssoda.WithBaseURL(url), ssoda.WithRetry(tries-1, 0), ssoda.WithTimeout(clientLimit))
		require.NoError(t, err)
		if c == callLookup {
			_, err := client.History.AlimTalk(ctx, ssoda.ListRequest{Keyword: "010-1234-5678"})
			return err
		}
		msg := alimtalk.Message{To: "010-1234-5678", TemplateCode: "ORDER_RECEIVED",
			Text: "[케이샵] 홍길동님의 주문이 접수되었습니다.", Ref: "order-1001"}
		if c == callBadInput {
			msg.To = "010-12"
		}
		res, err := client.Send(ctx, []alimtalk.Message{msg})
		require.NoError(t, err, "the call as a whole does not stop for one message's failure")
		require.Len(t, res, 1)
		// The Result's Status and its Err must tell the same story.
		assert.Equal(t, res[0].Status == alimtalk.StatusUnknown, errors.Is(res[0].Err, kshop.ErrOutcomeUnknown),
			"Status %s vs errors.Is ErrOutcomeUnknown", res[0].Status)
		if res[0].Status == alimtalk.StatusNotSent {
			assert.ErrorIs(t, res[0].Err, kshop.ErrNotSent, "Status %s: safe to send again", res[0].Status)
		}
		return res[0].Err
	case vEpost:
		creds := epost.Credentials{APIKey: eposttest.DefaultAPIKey, SecurityKey: eposttest.DefaultSecurityKey,
			CustomerNo: eposttest.DefaultCustomerNo, ApprovalNo: eposttest.DefaultApprovalNo}
		client, err := epost.NewClient(creds, epost.WithBaseURL(url), epost.WithRetry(tries-1, 0),
			epost.WithTimeout(clientLimit))
		require.NoError(t, err)
		if c == callLookup {
			_, err := client.GetResInfo(ctx, epost.GetResInfoRequest{ReqType: epost.ReqNormal,
				OrderNo: "20261122-0001", ReqYmd: "20261122"})
			return err
		}
		req := epost.InsertOrderRequest{
			PayType: epost.PayPrepaid, ReqType: epost.ReqNormal, OfficeSer: eposttest.DefaultOfficeSer,
			MicroYn: epost.No, OrderNo: "20261122-0001", OrdCompNm: "케이샵", RecNm: "홍길동", RecZip: "04524",
			RecAddr1: "서울 중구 세종대로 110", RecAddr2: "1층", RecMob: "010-1234-5678",
			ContCd: epost.ContentOther, GoodsNm: "원두 200g"}
		if c == callBadInput {
			req.RecMob = "010-12"
		}
		_, err = client.InsertOrder(ctx, req)
		return err
	}
	t.Fatalf("unknown vendor %q", v)
	return nil
}
