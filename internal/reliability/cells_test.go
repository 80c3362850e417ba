package reliability_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/ssoda"
)

// defaultCellTimeout bounds every call of a cell: a hang fails the cell instead of the suite.
const defaultCellTimeout = 15 * time.Second

// outcome is what one call returned, in the terms the cells check.
type outcome struct {
	err     error           // the error that decides: Result.Err for sends, the call's error otherwise
	callErr error           // Send's call-level error (sends only)
	isSend  bool            // a send with per-message Results
	status  alimtalk.Status // the message's status (sends only)
	orderNo string          // InsertOrder: the orderNo sent
}

func (o outcome) succeeded() bool {
	if o.isSend {
		return o.status.Succeeded() && o.err == nil
	}
	return o.err == nil
}

// callSpec is one non-idempotent call of a vendor client, with the answers its server gives.
type callSpec struct {
	name        string
	vendor      string // "ssoda" or "epost"
	path        string // the request path the call must use
	ctype       string
	success     string // the vendor's success answer
	refusal     string // an HTTP 200 answer refusing the call with a vendor code
	refusalCode string
	serverError string // the vendor's own error body, sent with a 5xx
	run         func(ctx context.Context, t testing.TB, base string, hc *http.Client, marker string) outcome
}

func sendOutcome(rs []alimtalk.Result, err error) outcome {
	o := outcome{isSend: true, callErr: err, err: err}
	if len(rs) == 1 {
		o.status, o.err = rs[0].Status, rs[0].Err
	} else {
		o.status, o.err = alimtalk.StatusUnknown, fmt.Errorf("got %d results for 1 message (call error %v)", len(rs), err)
	}
	return o
}

// calls lists every non-idempotent call of every vendor client.
var calls = []callSpec{
	{
		name: "ssoda.Send", vendor: "ssoda", path: "/kakao/send/alimtalk", ctype: jsonType,
		success: ssodaSendOK, refusal: ssodaRefusal, refusalCode: "3016", serverError: ssodaServerError,
		run: func(ctx context.Context, t testing.TB, base string, hc *http.Client, marker string) outcome {
			rs, err := ssodaClient(t, base, hc).Send(ctx, []alimtalk.Message{message(marker)})
			return sendOutcome(rs, err)
		},
	},
	{
		name: "ssoda.SendFriendTalk", vendor: "ssoda", path: "/kakao/send/friendtalk", ctype: jsonType,
		success: ssodaSendOK, refusal: ssodaRefusal, refusalCode: "3016", serverError: ssodaServerError,
		run: func(ctx context.Context, t testing.TB, base string, hc *http.Client, marker string) outcome {
			rs, err := ssodaClient(t, base, hc).SendFriendTalk(ctx, []ssoda.FriendTalkMessage{friendTalk(marker)})
			return sendOutcome(rs, err)
		},
	},
	{
		name: "ssoda.Reservations.Cancel", vendor: "ssoda", path: "/kakao/alimtalk/reserve/cancel", ctype: jsonType,
		success: ssodaCancelOK, refusal: ssodaRefusalOther, refusalCode: "409", serverError: ssodaServerError,
		run: func(ctx context.Context, t testing.TB, base string, hc *http.Client, marker string) outcome {
			_, err := ssodaClient(t, base, hc).Reservations.Cancel(ctx, ssoda.CancelRequest{MessageID: "100000001"})
			return outcome{err: err}
		},
	},
	{
		name: "ssoda.Templates.Add", vendor: "ssoda", path: "/kakao/template/add", ctype: jsonType,
		success: ssodaTemplateOK, refusal: ssodaRefusalOther, refusalCode: "409", serverError: ssodaServerError,
		run: func(ctx context.Context, t testing.TB, base string, hc *http.Client, marker string) outcome {
			_, err := ssodaClient(t, base, hc).Templates.Add(ctx, ssoda.AddTemplateRequest{Template: template(templateCode)})
			return outcome{err: err}
		},
	},
	{
		name: "ssoda.Templates.RequestReview", vendor: "ssoda", path: "/kakao/template/request", ctype: jsonType,
		success: ssodaReviewOK, refusal: ssodaRefusalOther, refusalCode: "409", serverError: ssodaServerError,
		run: func(ctx context.Context, t testing.TB, base string, hc *http.Client, marker string) outcome {
			_, err := ssodaClient(t, base, hc).Templates.RequestReview(ctx, ssoda.ReviewRequest{Code: templateCode, Comment: "검수 부탁드립니다."})
			return outcome{err: err}
		},
	},
	{
		name: "ssoda.Profiles.Create", vendor: "ssoda", path: "/kakao/profile/create", ctype: jsonType,
		success: ssodaProfileOK, refusal: ssodaRefusalOther, refusalCode: "409", serverError: ssodaServerError,
		run: func(ctx context.Context, t testing.TB, base string, hc *http.Client, marker string) outcome {
			_, err := ssodaClient(t, base, hc).Profiles.Create(ctx, ssoda.CreateProfileRequest{
				Token: "123456", AdminPhone: "010-2222-3333", ChannelID: "@kshop", CategoryCode: "00200020001",
			})
			return outcome{err: err}
		},
	},
	{
		name: "ssoda.Profiles.RequestToken", vendor: "ssoda", path: "/kakao/profile/token", ctype: jsonType,
		success: ssodaTokenOK, refusal: ssodaRefusalOther, refusalCode: "409", serverError: ssodaServerError,
		run: func(ctx context.Context, t testing.TB, base string, hc *http.Client, marker string) outcome {
			_, err := ssodaClient(t, base, hc).Profiles.RequestToken(ctx, ssoda.ProfileTokenRequest{ChannelID: "@kshop", AdminPhone: "010-2222-3333"})
			return outcome{err: err}
		},
	},
	{
		name: "epost.InsertOrder", vendor: "epost", path: "/api.InsertOrder.jparcel", ctype: xmlType,
		success: epostOrderOK, refusal: epostRefusal, refusalCode: "ERR-322", serverError: epostServerError,
		run: func(ctx context.Context, t testing.TB, base string, hc *http.Client, marker string) outcome {
			orderNo := "ORD-" + marker
			_, err := epostClient(t, base, hc).InsertOrder(ctx, order(orderNo))
			return outcome{err: err, orderNo: orderNo}
		},
	},
	{
		name: "epost.GetResCancelCmd", vendor: "epost", path: "/api.GetResCancelCmd.jparcel", ctype: xmlType,
		success: epostCancelOK, refusal: epostRefusal, refusalCode: "ERR-322", serverError: epostServerError,
		run: func(ctx context.Context, t testing.TB, base string, hc *http.Client, marker string) outcome {
			_, err := epostClient(t, base, hc).GetResCancelCmd(ctx, cancelReq())
			return outcome{err: err}
		},
	},
	{
		name: "epost.InsertOffice", vendor: "epost", path: "/api.InsertOffice.jparcel", ctype: xmlType,
		success: epostOfficeOK, refusal: epostRefusal, refusalCode: "ERR-322", serverError: epostServerError,
		run: func(ctx context.Context, t testing.TB, base string, hc *http.Client, marker string) outcome {
			_, err := epostClient(t, base, hc).InsertOffice(ctx, office())
			return outcome{err: err}
		},
	},
}

// hooks lets a fault reach the cell's context.
type hooks struct {
	cancel context.CancelFunc
}

// expect is what a cell must observe.
type expect struct {
	received    int // requests the server fully received
	unknown     bool
	notSent     bool // errors.Is(err, ErrNotSent)
	success     bool
	badResponse bool            // errors.Is(err, ErrBadResponse)
	status      alimtalk.Status // sends only
	apiStatus   int             // > 0: errors.As(err, new(kshop.APIError)) with this HTTP status
	vendorCode  bool            // the APIError's Code is the call's refusal code
	retryable   bool            // the APIError's Retryable
	errText     string          // the error's text must say this (lower case)
}

// fault is one way the server misbehaves on the first request(s).
type fault struct {
	name    string
	refused bool // no server at all: a closed port
	install func(s *faultServer, c callSpec, h *hooks)
	// rt wraps the client's transport (faults that need to act between the answer and the
	// client's reading of it).
	rt   func(base http.RoundTripper, h *hooks) http.RoundTripper
	want expect
}

var (
	wantUnknown = func(received int) expect {
		return expect{received: received, unknown: true, status: alimtalk.StatusUnknown}
	}
	// wantTruncated: a truncated answer is unknown, and its error says it was truncated
	// (not "malformed JSON" or "OK").
	wantTruncated  = expect{received: 1, unknown: true, status: alimtalk.StatusUnknown, errText: "truncated"}
	wantUnknownAPI = func(status int) expect {
		return expect{received: 1, unknown: true, status: alimtalk.StatusUnknown, apiStatus: status}
	}
)

// faults lists every fault of the matrix.
var faults = func() []fault {
	fs := []fault{
		{name: "refused", refused: true, want: expect{received: 0, notSent: true, status: alimtalk.StatusNotSent}},
		{name: "FIN before read", install: func(s *faultServer, c callSpec, h *hooks) {
			s.beforeRead = func(sc *serverConn, seq int) bool { sc.peekRequest(5 * time.Second); sc.fin(); return false }
		}, want: wantUnknown(0)},
		{name: "RST before read", install: func(s *faultServer, c callSpec, h *hooks) {
			s.beforeRead = func(sc *serverConn, seq int) bool { sc.peekRequest(5 * time.Second); sc.reset(); return false }
		}, want: wantUnknown(0)},
		{name: "FIN after full read", install: func(s *faultServer, c callSpec, h *hooks) {
			s.handle = func(x *exchange) { x.fin() }
		}, want: wantUnknown(1)},
		{name: "RST after full read", install: func(s *faultServer, c callSpec, h *hooks) {
			s.handle = func(x *exchange) { x.reset() }
		}, want: wantUnknown(1)},
		{name: "answer after deadline", install: func(s *faultServer, c callSpec, h *hooks) {
			s.handle = func(x *exchange) { x.waitGone(10 * time.Second); x.reply(200, c.ctype, c.success) }
		}, want: wantUnknown(1)},
		{name: "429+Retry-After, then 200", install: func(s *faultServer, c callSpec, h *hooks) {
			s.handle = func(x *exchange) {
				if x.n == 1 {
					x.reply(429, jsonType, `{"code":"429","error":"too many requests"}`, "Retry-After", "1")
					return
				}
				x.reply(200, c.ctype, c.success)
			}
		}, want: expect{received: 2, success: true, status: alimtalk.StatusAccepted}},
		{name: "429 until retries run out", install: func(s *faultServer, c callSpec, h *hooks) {
			s.handle = func(x *exchange) {
				x.reply(429, jsonType, `{"code":"429","error":"too many requests"}`, "Retry-After", "0")
			}
		}, want: expect{received: 3, notSent: true, status: alimtalk.StatusNotSent, apiStatus: 429, retryable: true}},
	}
	for _, code := range []int{500, 502, 503, 504} {
		fs = append(fs,
			fault{name: strconv.Itoa(code) + " vendor body", install: func(s *faultServer, c callSpec, h *hooks) {
				s.handle = func(x *exchange) { x.reply(code, c.ctype, c.serverError) }
			}, want: wantUnknownAPI(code)},
			fault{name: strconv.Itoa(code) + " HTML body", install: func(s *faultServer, c callSpec, h *hooks) {
				s.handle = func(x *exchange) { x.reply(code, htmlType, htmlPage) }
			}, want: wantUnknownAPI(code)},
			fault{name: strconv.Itoa(code) + " no body", install: func(s *faultServer, c callSpec, h *hooks) {
				s.handle = func(x *exchange) { x.reply(code, "", "") }
			}, want: wantUnknownAPI(code)},
		)
	}
	fs = append(fs,
		fault{name: "truncated (Content-Length > sent)", install: func(s *faultServer, c callSpec, h *hooks) {
			s.handle = func(x *exchange) {
				x.raw(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s", c.ctype, len(c.success)+100, c.success))
				x.fin()
			}
		}, want: wantTruncated},
		fault{name: "truncated mid-body", install: func(s *faultServer, c callSpec, h *hooks) {
			s.handle = func(x *exchange) {
				x.raw(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s", c.ctype, len(c.success), c.success[:len(c.success)/2]))
				x.fin()
			}
		}, want: wantTruncated},
		fault{name: "HTML with 200", install: func(s *faultServer, c callSpec, h *hooks) {
			s.handle = func(x *exchange) { x.reply(200, htmlType, htmlPage) }
		}, want: expect{received: 1, unknown: true, badResponse: true, status: alimtalk.StatusUnknown, apiStatus: 200}},
		fault{name: "empty 200", install: func(s *faultServer, c callSpec, h *hooks) {
			s.handle = func(x *exchange) { x.reply(200, c.ctype, "") }
		}, want: expect{received: 1, unknown: true, badResponse: true, status: alimtalk.StatusUnknown, apiStatus: 200}},
		fault{name: "200 with vendor error code", install: func(s *faultServer, c callSpec, h *hooks) {
			s.handle = func(x *exchange) { x.reply(200, c.ctype, c.refusal) }
		}, want: expect{received: 1, status: alimtalk.StatusRejected, apiStatus: 200, vendorCode: true}},
		fault{name: "307 redirect", install: func(s *faultServer, c callSpec, h *hooks) {
			s.handle = func(x *exchange) { x.reply(307, "", "", "Location", s.url+"/moved"+c.path) }
		}, want: expect{received: 1, status: alimtalk.StatusRejected, apiStatus: 307}},
		fault{name: "status line, then silence", install: func(s *faultServer, c callSpec, h *hooks) {
			s.handle = func(x *exchange) { x.raw("HTTP/1.1 200 OK\r\n"); x.waitGone(10 * time.Second) }
		}, want: wantUnknown(1)},
		fault{name: "503 as the context ends (server cancels)", install: func(s *faultServer, c callSpec, h *hooks) {
			s.handle = func(x *exchange) { h.cancel(); x.reply(503, c.ctype, c.serverError) }
		}, want: wantUnknown(1)},
		fault{name: "503 as the context ends (answer read, then cancel)", install: func(s *faultServer, c callSpec, h *hooks) {
			s.handle = func(x *exchange) { x.reply(503, c.ctype, c.serverError) }
		}, rt: cancelAfterAnswer, want: wantUnknownAPI(503)},
		fault{name: "200 as the context ends (answer read, then cancel)", install: func(s *faultServer, c callSpec, h *hooks) {
			s.handle = func(x *exchange) { x.reply(200, c.ctype, c.success) }
		}, rt: cancelAfterAnswer, want: expect{received: 1, success: true, status: alimtalk.StatusAccepted}},
	)
	return fs
}()

// cancelAfterAnswer reads the whole answer, then cancels the call's context and hands the
// answer on: the answer is complete and the context is done, as when a 5xx and a deadline meet.
func cancelAfterAnswer(base http.RoundTripper, h *hooks) http.RoundTripper {
	return rtFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := base.RoundTrip(r)
		if err != nil {
			return resp, err
		}
		body, rerr := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		h.cancel()
		return resp, rerr
	})
}

type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// serve starts the server of a fault for call c; once healthy is set it answers c.success.
func (f fault) serve(t testing.TB, c callSpec, h *hooks) (*faultServer, string) {
	t.Helper()
	if f.refused {
		return nil, refusedURL(t)
	}
	s := newServer(t)
	s.handle = func(x *exchange) { x.reply(200, c.ctype, c.success) }
	f.install(s, c, h)
	faulty, faultyBefore := s.handle, s.beforeRead
	s.handle = func(x *exchange) {
		if s.healthy.Load() {
			x.reply(200, c.ctype, c.success)
			return
		}
		faulty(x)
	}
	if faultyBefore != nil {
		s.beforeRead = func(sc *serverConn, seq int) bool {
			if s.healthy.Load() {
				return true
			}
			return faultyBefore(sc, seq)
		}
	}
	s.start()
	return s, s.url
}

// httpClient returns the client a fault needs (nil: the SDK's default).
func (f fault) httpClient(t testing.TB, h *hooks) *http.Client {
	if f.rt == nil {
		return nil
	}
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: f.rt(tr, h)}
}

// matrix collects the cells' observations for the table.
var matrix = struct {
	sync.Mutex
	rows map[string]map[string]string // call → fault → cell text
}{rows: map[string]map[string]string{}}

func recordCell(call, fault, text string) {
	matrix.Lock()
	defer matrix.Unlock()
	if matrix.rows[call] == nil {
		matrix.rows[call] = map[string]string{}
	}
	matrix.rows[call][fault] = text
}

// TestCells runs every non-idempotent call through every fault.
func TestCells(t *testing.T) {
	t.Parallel()
	t.Run("matrix", func(t *testing.T) {
		n := len(calls) * len(faults)
		fanRun(t, 32, n, func(i int) string {
			return calls[i/len(faults)].name + "/" + faults[i%len(faults)].name
		}, func(t *testing.T, i int) {
			runCell(t, calls[i/len(faults)], faults[i%len(faults)])
		})
	})
	t.Log("\n" + matrixTable())
	summary.set("cells", fmt.Sprintf("%d calls × %d faults = %d cells", len(calls), len(faults), len(calls)*len(faults)))
}

func runCell(t *testing.T, c callSpec, f fault) {
	ctx, cancel := context.WithTimeout(context.Background(), defaultCellTimeout)
	defer cancel()
	h := &hooks{cancel: cancel}
	s, base := f.serve(t, c, h)
	marker := fmt.Sprintf("cell-%x", fnv32(c.name+f.name))
	start := time.Now()
	out := c.run(ctx, t, base, f.httpClient(t, h), marker)
	elapsed := time.Since(start)
	_ = observe(c.name+"/"+f.name, out.err)
	_ = observe(c.name+"/"+f.name, out.callErr)

	received := 0
	if s != nil {
		settle(s)
		received = s.Received()
		for _, r := range s.Requests() {
			assert.True(t, strings.HasSuffix(strings.SplitN(r.Target, "?", 2)[0], c.path), "request to %s, want %s", r.Target, c.path)
			assert.NotContains(t, r.Target, "/moved", "a redirect was followed")
		}
	}
	w := f.want
	unknown := errors.Is(out.err, kshop.ErrOutcomeUnknown)
	ok := true
	check := func(cond bool, format string, args ...any) bool {
		if !cond {
			ok = false
			t.Errorf(format, args...)
		}
		return cond
	}
	check(received == w.received, "server received %d requests, want %d", received, w.received)
	check(unknown == w.unknown, "errors.Is(err, ErrOutcomeUnknown) = %v, want %v (err: %v)", unknown, w.unknown, out.err)
	check(out.succeeded() == w.success, "success = %v, want %v (err: %v)", out.succeeded(), w.success, out.err)
	if w.notSent {
		check(errors.Is(out.err, kshop.ErrNotSent), "errors.Is(err, ErrNotSent) = false, want true (err: %v)", out.err)
	}
	if unknown {
		check(!errors.Is(out.err, kshop.ErrNotSent), "an unknown outcome also matches ErrNotSent: %v", out.err)
	}
	if w.errText != "" {
		check(out.err != nil && strings.Contains(strings.ToLower(out.err.Error()), w.errText), "the error does not say %q: %v", w.errText, out.err)
	}
	if w.badResponse {
		check(errors.Is(out.err, kshop.ErrBadResponse), "errors.Is(err, ErrBadResponse) = false, want true (err: %v)", out.err)
	}
	var apiErr kshop.APIError
	if errors.As(out.err, &apiErr) {
		check(apiErr.OutcomeUnknown() == unknown, "APIError.OutcomeUnknown() = %v but errors.Is(ErrOutcomeUnknown) = %v", apiErr.OutcomeUnknown(), unknown)
		if unknown {
			check(!apiErr.Retryable(), "APIError.Retryable() is true for an unknown outcome")
		}
	}
	if w.apiStatus > 0 {
		if check(errors.As(out.err, &apiErr), "errors.As(err, kshop.APIError) = false, want an APIError with HTTP %d (err: %T %v)", w.apiStatus, out.err, out.err) {
			check(apiErr.HTTPStatusCode() == w.apiStatus, "HTTPStatusCode() = %d, want %d", apiErr.HTTPStatusCode(), w.apiStatus)
			check(apiErr.Retryable() == w.retryable, "Retryable() = %v, want %v", apiErr.Retryable(), w.retryable)
			if w.vendorCode {
				check(apiErr.Code() == c.refusalCode, "Code() = %q, want %q", apiErr.Code(), c.refusalCode)
			}
		}
	}
	if out.isSend {
		check(out.status == w.status, "Result.Status = %v, want %v (err: %v)", out.status, w.status, out.err)
		check(out.callErr == nil, "Send's call error = %v, want nil (one message, started)", out.callErr)
		check(out.status.SafeToRetry() == (w.status == alimtalk.StatusNotSent || w.status == alimtalk.StatusRejected),
			"Status.SafeToRetry() = %v for %v", out.status.SafeToRetry(), out.status)
	}
	if c.name == "epost.InsertOrder" && unknown {
		var uoe *epost.UnknownOrderError
		if check(errors.As(out.err, &uoe), "an unknown InsertOrder is not an *epost.UnknownOrderError: %T %v", out.err, out.err) {
			check(uoe.OrderNo == out.orderNo, "UnknownOrderError.OrderNo = %q, want %q", uoe.OrderNo, out.orderNo)
			check(uoe.ReqYmd == "20240501", "UnknownOrderError.ReqYmd = %q, want 20240501", uoe.ReqYmd)
		}
	}
	check(elapsed < 10*time.Second, "the call took %s", elapsed)

	status := "-"
	if out.isSend {
		status = out.status.String()
	}
	verdict := "ok"
	if !ok {
		verdict = "FAIL"
	}
	recordCell(c.name, f.name, fmt.Sprintf("recv %d, unknown %s, %s, %s", received, yesNo(unknown), status, verdict))
}

// settle waits until the server has read everything the client sent: requests the client
// wrote just before giving up may still be in flight.
func settle(s *faultServer) {
	last, stable := s.Received(), 0
	for stable < 3 {
		time.Sleep(20 * time.Millisecond)
		if n := s.Received(); n != last {
			last, stable = n, 0
			continue
		}
		stable++
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// fnv32 is a short, stable marker of a name.
func fnv32(s string) uint32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return h.Sum32()
}

// matrixTable renders the observations: one block per call, one line per fault.
func matrixTable() string {
	matrix.Lock()
	defer matrix.Unlock()
	var b strings.Builder
	names := make([]string, 0, len(matrix.rows))
	for n := range matrix.rows {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Fprintf(&b, "%-32s %-52s %s\n", "call", "fault", "requests received, unknown, status, verdict")
	for _, n := range names {
		for _, f := range faults {
			if cell, ok := matrix.rows[n][f.name]; ok {
				fmt.Fprintf(&b, "%-32s %-52s %s\n", n, f.name, cell)
			}
		}
	}
	return b.String()
}
