package transport

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kshop-dev/kshop"
)

// rawServer is a loopback TCP server whose behaviour is scripted per connection. It counts the
// requests it has completely read, which is what "the server received" means in these tests.
type rawServer struct {
	ln       net.Listener
	received atomic.Int64
	wg       sync.WaitGroup
	release  chan struct{} // closed at cleanup, unblocks handlers that hang
}

// behaviour handles one fully read request; n counts from 1.
type behaviour func(conn net.Conn, req *http.Request, n int64, release <-chan struct{})

func newRawServer(t *testing.T, b behaviour) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &rawServer{ln: ln, release: make(chan struct{})}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer conn.Close()
				br := bufio.NewReader(conn)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					if _, err := io.Copy(io.Discard, req.Body); err != nil {
						return
					}
					n := s.received.Add(1)
					b(conn, req, n, s.release)
					if req.Close {
						return
					}
				}
			}()
		}
	}()
	t.Cleanup(func() {
		close(s.release)
		ln.Close()
		s.wg.Wait()
	})
	return s
}

func (s *rawServer) URL() string { return "http://" + s.ln.Addr().String() }

func respond(conn net.Conn, status int, header map[string]string, body string) {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	for k, v := range header {
		fmt.Fprintf(&b, "%s: %s\r\n", k, v)
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(body), body)
	_, _ = io.WriteString(conn, b.String())
}

func resetConn(conn net.Conn) {
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // close with RST
	}
	conn.Close()
}

// newTestClient builds a Client with no backoff and its own transport (closed at cleanup).
func newTestClient(t *testing.T, base string, mod func(*Config)) *Client {
	t.Helper()
	tr := &http.Transport{DisableKeepAlives: false}
	t.Cleanup(tr.CloseIdleConnections)
	cfg := Config{BaseURL: base, HTTPClient: &http.Client{Transport: tr}, NoWait: true, MaxRetries: 2, Timeout: 2 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	require.NoError(t, err)
	return c
}

func call(c *Client, ctx context.Context, class Class) (*Response, error) {
	return c.Do(ctx, &Request{Class: class, Method: http.MethodPost, Path: "/send", Body: []byte(`{"msg":"hi"}`), ContentType: "application/json"})
}

type faultWant struct {
	received   int64 // requests the server completely read
	status     int   // Response status, 0 when an error is wanted
	unknown    bool  // error wraps ErrOutcomeUnknown
	notSent    bool  // error wraps ErrNotSent
	errHasStat int   // status the *Error carries
}

func checkOutcome(t *testing.T, resp *Response, err error, received int64, w faultWant) {
	t.Helper()
	assert.Equal(t, w.received, received, "requests the server received")
	if w.status != 0 {
		require.NoError(t, err)
		require.NotNil(t, resp)
		assert.Equal(t, w.status, resp.StatusCode)
		return
	}
	require.Error(t, err)
	assert.Nil(t, resp)
	assert.Equal(t, w.unknown, errors.Is(err, kshop.ErrOutcomeUnknown), "outcome unknown: %v", err)
	assert.Equal(t, w.notSent, errors.Is(err, ErrNotSent), "not sent: %v", err)
	var te *Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, w.errHasStat, te.Status)
}

func TestFaultMatrix(t *testing.T) {
	t.Parallel()
	const attempts = 3 // MaxRetries 2
	type tc struct {
		name string
		b    behaviour
		idem faultWant
		non  faultWant
	}
	cases := []tc{
		{
			name: "reset after the request was written",
			b:    func(conn net.Conn, _ *http.Request, _ int64, _ <-chan struct{}) { resetConn(conn) },
			idem: faultWant{received: attempts},
			non:  faultWant{received: 1, unknown: true},
		},
		{
			name: "EOF after the request was written",
			b:    func(conn net.Conn, _ *http.Request, _ int64, _ <-chan struct{}) { conn.Close() },
			idem: faultWant{received: attempts},
			non:  faultWant{received: 1, unknown: true},
		},
		{
			name: "timeout after the request was written",
			b:    func(_ net.Conn, _ *http.Request, _ int64, release <-chan struct{}) { <-release },
			idem: faultWant{received: attempts},
			non:  faultWant{received: 1, unknown: true},
		},
		{
			name: "429 with Retry-After, then success",
			b: func(conn net.Conn, _ *http.Request, n int64, _ <-chan struct{}) {
				if n == 1 {
					respond(conn, 429, map[string]string{"Retry-After": "1"}, `{"code":"429"}`)
					return
				}
				respond(conn, 200, nil, `{"code":"200"}`)
			},
			idem: faultWant{received: 2, status: 200},
			non:  faultWant{received: 2, status: 200},
		},
		{
			name: "429 every time",
			b: func(conn net.Conn, _ *http.Request, _ int64, _ <-chan struct{}) {
				respond(conn, 429, map[string]string{"Retry-After": "0"}, `slow down`)
			},
			idem: faultWant{received: attempts, status: 429},
			non:  faultWant{received: attempts, status: 429},
		},
		{
			name: "truncated body",
			b: func(conn net.Conn, _ *http.Request, _ int64, _ <-chan struct{}) {
				_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"code\":")
				resetConn(conn)
			},
			idem: faultWant{received: attempts, errHasStat: 200},
			non:  faultWant{received: 1, unknown: true, errHasStat: 200},
		},
		{
			name: "501 is final",
			b: func(conn net.Conn, _ *http.Request, _ int64, _ <-chan struct{}) {
				respond(conn, 501, nil, "no")
			},
			idem: faultWant{received: 1, status: 501},
			non:  faultWant{received: 1, status: 501},
		},
		{
			name: "400 is final",
			b: func(conn net.Conn, _ *http.Request, _ int64, _ <-chan struct{}) {
				respond(conn, 400, nil, `{"code":"400"}`)
			},
			idem: faultWant{received: 1, status: 400},
			non:  faultWant{received: 1, status: 400},
		},
	}
	for _, status := range []int{500, 502, 503, 504} {
		status := status
		cases = append(cases, tc{
			name: fmt.Sprintf("%d every time", status),
			b: func(conn net.Conn, _ *http.Request, _ int64, _ <-chan struct{}) {
				respond(conn, status, nil, `{"code":"9999","error":"server"}`)
			},
			idem: faultWant{received: attempts, status: status},
			non:  faultWant{received: 1, unknown: true, errHasStat: status},
		}, tc{
			name: fmt.Sprintf("%d then success", status),
			b: func(conn net.Conn, _ *http.Request, n int64, _ <-chan struct{}) {
				if n == 1 {
					respond(conn, status, nil, `{"code":"9999"}`)
					return
				}
				respond(conn, 200, nil, `{"code":"200"}`)
			},
			idem: faultWant{received: 2, status: 200},
			non:  faultWant{received: 1, unknown: true, errHasStat: status},
		})
	}
	for _, c := range cases {
		for _, class := range []Class{Idempotent, NonIdempotent} {
			want := c.idem
			if class == NonIdempotent {
				want = c.non
			}
			t.Run(c.name+"/"+class.String(), func(t *testing.T) {
				t.Parallel()
				srv := newRawServer(t, c.b)
				client := newTestClient(t, srv.URL(), func(cfg *Config) {
					cfg.Timeout = 150 * time.Millisecond
				})
				resp, err := call(client, context.Background(), class)
				checkOutcome(t, resp, err, srv.received.Load(), want)
			})
		}
	}
}

func TestDialRefusedIsRetriedAndNeverReachesAServer(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	for _, class := range []Class{Idempotent, NonIdempotent} {
		t.Run(class.String(), func(t *testing.T) {
			t.Parallel()
			var dials atomic.Int64
			tr := &http.Transport{DialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
				dials.Add(1)
				return (&net.Dialer{}).DialContext(ctx, network, a)
			}}
			t.Cleanup(tr.CloseIdleConnections)
			c := newTestClient(t, "http://"+addr, func(cfg *Config) { cfg.HTTPClient = &http.Client{Transport: tr} })
			resp, err := call(c, context.Background(), class)
			checkOutcome(t, resp, err, 0, faultWant{notSent: true})
			assert.True(t, errors.Is(err, syscall.ECONNREFUSED), "cause kept: %v", err)
			assert.EqualValues(t, 3, dials.Load(), "every attempt dialled")
			var te *Error
			require.ErrorAs(t, err, &te)
			assert.Equal(t, 3, te.Attempts)
		})
	}
}

// failingWriteConn fails every write, as a connection reset before the request went out. Its
// reads block until the test ends, so net/http reports the write error rather than a read of
// the torn-down connection (which would count as written: the safe side, but not this case).
type failingWriteConn struct {
	net.Conn
	release <-chan struct{}
}

func (c failingWriteConn) Write([]byte) (int, error) {
	return 0, &net.OpError{Op: "write", Net: "tcp", Err: syscall.ECONNRESET}
}

func (c failingWriteConn) Read([]byte) (int, error) {
	<-c.release
	return 0, io.EOF
}

func newFailingWriteConn(t *testing.T, conn net.Conn) net.Conn {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	return failingWriteConn{Conn: conn, release: release}
}

func TestResetBeforeTheRequestWasWrittenIsRetriedForBothClasses(t *testing.T) {
	t.Parallel()
	for _, class := range []Class{Idempotent, NonIdempotent} {
		t.Run(class.String(), func(t *testing.T) {
			t.Parallel()
			srv := newRawServer(t, func(conn net.Conn, _ *http.Request, _ int64, _ <-chan struct{}) {
				respond(conn, 200, nil, `{"code":"200"}`)
			})
			var dials atomic.Int64
			tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
				if err != nil {
					return nil, err
				}
				if dials.Add(1) == 1 {
					return newFailingWriteConn(t, conn), nil
				}
				return conn, nil
			}}
			t.Cleanup(tr.CloseIdleConnections)
			c := newTestClient(t, srv.URL(), func(cfg *Config) { cfg.HTTPClient = &http.Client{Transport: tr} })
			resp, err := call(c, context.Background(), class)
			checkOutcome(t, resp, err, srv.received.Load(), faultWant{received: 1, status: 200})
			assert.Equal(t, 2, resp.Attempts)
		})
	}
}

func TestWriteFailingEveryTimeEndsNotSent(t *testing.T) {
	t.Parallel()
	srv := newRawServer(t, func(conn net.Conn, _ *http.Request, _ int64, _ <-chan struct{}) {
		respond(conn, 200, nil, "ok")
	})
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return newFailingWriteConn(t, conn), nil
	}}
	t.Cleanup(tr.CloseIdleConnections)
	c := newTestClient(t, srv.URL(), func(cfg *Config) { cfg.HTTPClient = &http.Client{Transport: tr} })
	resp, err := call(c, context.Background(), NonIdempotent)
	checkOutcome(t, resp, err, srv.received.Load(), faultWant{received: 0, notSent: true})
}

// signalHandler is a slog handler that calls onRetry when the client announces a retry, i.e.
// just before go-retryablehttp starts its backoff wait.
type signalHandler struct {
	slog.Handler
	onRetry func()
}

func (h signalHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h signalHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "kshop retrying" {
		h.onRetry()
	}
	return nil
}

func TestContextCancelledDuringBackoffWait(t *testing.T) {
	t.Parallel()
	cases := []struct {
		class  Class
		status int
	}{{Idempotent, 503}, {NonIdempotent, 429}, {Idempotent, 429}}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%s/%d", tc.class, tc.status), func(t *testing.T) {
			t.Parallel()
			srv := newRawServer(t, func(conn net.Conn, _ *http.Request, _ int64, _ <-chan struct{}) {
				respond(conn, tc.status, map[string]string{"Retry-After": "600"}, `{"code":"busy"}`)
			})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var once sync.Once
			c := newTestClient(t, srv.URL(), func(cfg *Config) {
				cfg.NoWait = false
				cfg.MinWait, cfg.MaxWait = time.Minute, time.Hour // the wait can only end by cancel
				cfg.Logger = slog.New(signalHandler{onRetry: func() { once.Do(cancel) }})
			})
			resp, err := call(c, ctx, tc.class)
			checkOutcome(t, resp, err, srv.received.Load(), faultWant{received: 1, notSent: tc.class == NonIdempotent, errHasStat: tc.status})
			assert.ErrorIs(t, err, context.Canceled)
			assert.Contains(t, err.Error(), "context ended while waiting to retry")
		})
	}
}

func TestBodyLargerThanTheLimit(t *testing.T) {
	t.Parallel()
	for _, class := range []Class{Idempotent, NonIdempotent} {
		t.Run(class.String(), func(t *testing.T) {
			t.Parallel()
			srv := newRawServer(t, func(conn net.Conn, _ *http.Request, _ int64, _ <-chan struct{}) {
				respond(conn, 200, nil, strings.Repeat("x", 100))
			})
			c := newTestClient(t, srv.URL(), func(cfg *Config) { cfg.MaxBodyBytes = 16 })
			resp, err := call(c, context.Background(), class)
			checkOutcome(t, resp, err, srv.received.Load(), faultWant{received: 1, unknown: class == NonIdempotent, errHasStat: 200})
			assert.ErrorIs(t, err, ErrResponseTooLarge)
			var te *Error
			require.ErrorAs(t, err, &te)
			assert.Len(t, te.Body, 16, "the kept body is capped")
		})
	}
}

func TestContextCancelledWhileWaitingForTheAnswer(t *testing.T) {
	t.Parallel()
	for _, class := range []Class{Idempotent, NonIdempotent} {
		t.Run(class.String(), func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			srv := newRawServer(t, func(_ net.Conn, _ *http.Request, _ int64, release <-chan struct{}) {
				cancel() // the request has been read: the vendor may act on it
				<-release
			})
			c := newTestClient(t, srv.URL(), nil)
			resp, err := call(c, ctx, class)
			checkOutcome(t, resp, err, srv.received.Load(), faultWant{received: 1, unknown: class == NonIdempotent})
			assert.ErrorIs(t, err, context.Canceled)
		})
	}
}
