package reliability_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// rawRequest is one HTTP/1.1 request as the fault server read it.
type rawRequest struct {
	Method, Target string
	Header         textproto.MIMEHeader
	Body           []byte
}

// faultServer is a scripted raw-TCP HTTP/1.1 server on 127.0.0.1. It is deliberately not
// net/http: it must be able to misbehave at the byte level (a status line and then silence, a
// Content-Length it does not honour, a reset in the middle of a request).
type faultServer struct {
	ln   net.Listener
	url  string
	done chan struct{}
	wg   sync.WaitGroup

	// beforeRead runs before each request of a connection is read (seq is the connection's
	// request index, from 0). Returning false drops the connection: it must close it itself.
	beforeRead func(c *serverConn, seq int) bool
	// handle answers one fully received request. It may close the connection.
	handle func(x *exchange)

	// healthy, once set, makes every later request get the call's normal answer: the fault
	// is over (the dispatcher tests re-deliver events after it).
	healthy atomic.Bool

	received atomic.Int64 // requests fully received
	accepted atomic.Int64 // connections accepted

	mu       sync.Mutex
	requests []rawRequest
	conns    map[net.Conn]struct{}
	closed   bool
}

// serverConn is one accepted connection.
type serverConn struct {
	s      *faultServer
	conn   net.Conn
	br     *bufio.Reader
	bw     *bufio.Writer
	closed bool
}

// exchange is one request and the means to answer it.
type exchange struct {
	*serverConn
	req rawRequest
	n   int // 1-based sequence number of the request on the server
	seq int // 0-based index of the request on its connection
}

// startServer starts a fault server whose every request is answered by handle.
func startServer(t testing.TB, handle func(x *exchange)) *faultServer {
	t.Helper()
	s := newServer(t)
	s.handle = handle
	s.start()
	return s
}

// newServer listens but does not serve yet, so the caller can set beforeRead and handle.
func newServer(t testing.TB) *faultServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	s := &faultServer{ln: ln, url: "http://" + ln.Addr().String(), done: make(chan struct{}), conns: map[net.Conn]struct{}{}}
	t.Cleanup(s.Close)
	return s
}

func (s *faultServer) start() {
	s.wg.Add(1)
	go s.acceptLoop()
}

// refusedURL returns a loopback URL on which connecting is refused: its port is held by a
// socket that is bound but never listens (see reservePort), so no server started later by
// another test can take it and count a request the cell expected to be refused.
func refusedURL(t testing.TB) string {
	t.Helper()
	return "http://" + reservePort(t)
}

// Received is the number of requests fully received (request line, headers and body).
func (s *faultServer) Received() int { return int(s.received.Load()) }

// Requests returns a copy of the requests fully received.
func (s *faultServer) Requests() []rawRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]rawRequest(nil), s.requests...)
}

// CountBody counts the received requests whose body contains sub.
func (s *faultServer) CountBody(sub string) int {
	n := 0
	for _, r := range s.Requests() {
		if strings.Contains(string(r.Body), sub) {
			n++
		}
	}
	return n
}

// Close stops the server, closes every connection (so that clients' keep-alive goroutines
// end) and waits for its goroutines.
func (s *faultServer) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.done)
	_ = s.ln.Close()
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

func (s *faultServer) acceptLoop() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			_ = c.Close()
			return
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
		s.mu.Unlock()
		s.accepted.Add(1)
		go s.serve(c)
	}
}

func (s *faultServer) serve(c net.Conn) {
	defer s.wg.Done()
	sc := &serverConn{s: s, conn: c, br: bufio.NewReader(c), bw: bufio.NewWriter(c)}
	defer func() {
		if !sc.closed {
			_ = c.Close()
		}
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
	}()
	for seq := 0; ; seq++ {
		if s.beforeRead != nil && !s.beforeRead(sc, seq) {
			return
		}
		req, err := readRequest(sc.br)
		if err != nil {
			return
		}
		s.mu.Lock()
		s.requests = append(s.requests, req)
		s.mu.Unlock()
		n := int(s.received.Add(1))
		x := &exchange{serverConn: sc, req: req, n: n, seq: seq}
		s.handle(x)
		if sc.closed {
			return
		}
	}
}

// readRequest reads one HTTP/1.1 request: the request line, the headers and a body of
// Content-Length bytes (or chunked).
func readRequest(br *bufio.Reader) (rawRequest, error) {
	tp := textproto.NewReader(br)
	line, err := tp.ReadLine()
	if err != nil {
		return rawRequest{}, err
	}
	parts := strings.SplitN(line, " ", 3)
	if len(parts) != 3 || !strings.HasPrefix(parts[2], "HTTP/1.") {
		return rawRequest{}, fmt.Errorf("bad request line %q", line)
	}
	h, err := tp.ReadMIMEHeader()
	if err != nil {
		return rawRequest{}, err
	}
	req := rawRequest{Method: parts[0], Target: parts[1], Header: h}
	switch {
	case strings.EqualFold(h.Get("Transfer-Encoding"), "chunked"):
		req.Body, err = io.ReadAll(httputil.NewChunkedReader(br))
		if err != nil {
			return rawRequest{}, err
		}
		if _, err := tp.ReadMIMEHeader(); err != nil { // trailer
			return rawRequest{}, err
		}
	case h.Get("Content-Length") != "":
		n, err := strconv.Atoi(h.Get("Content-Length"))
		if err != nil || n < 0 || n > 64<<20 {
			return rawRequest{}, fmt.Errorf("bad Content-Length %q", h.Get("Content-Length"))
		}
		req.Body = make([]byte, n)
		if _, err := io.ReadFull(br, req.Body); err != nil {
			return rawRequest{}, err
		}
	}
	return req, nil
}

// reply writes a complete answer with a Content-Length. Extra headers come as name, value
// pairs.
func (c *serverConn) reply(status int, contentType, body string, headers ...string) {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	if contentType != "" {
		fmt.Fprintf(&b, "Content-Type: %s\r\n", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		fmt.Fprintf(&b, "%s: %s\r\n", headers[i], headers[i+1])
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(body))
	b.WriteString(body)
	c.raw(b.String())
}

// raw writes bytes as they are and flushes them.
func (c *serverConn) raw(s string) {
	_, _ = c.bw.WriteString(s)
	_ = c.bw.Flush()
}

// fin closes the connection normally (FIN once the unread data, if any, is drained).
func (c *serverConn) fin() {
	if tc, ok := c.conn.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
		// Drain what the client sent, so the kernel sends a FIN rather than a reset, but
		// never wait long.
		_ = c.conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		_, _ = io.Copy(io.Discard, c.conn)
	}
	_ = c.conn.Close()
	c.closed = true
}

// reset aborts the connection with a TCP RST.
func (c *serverConn) reset() {
	if tc, ok := c.conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = c.conn.Close()
	c.closed = true
}

// waitGone waits until the client closes the connection, d passes or the server closes.
func (c *serverConn) waitGone(d time.Duration) {
	_ = c.conn.SetReadDeadline(time.Now().Add(d))
	buf := make([]byte, 512)
	for {
		if _, err := c.br.Read(buf); err != nil {
			break
		}
	}
	_ = c.conn.SetReadDeadline(time.Time{})
}

// sleep waits d or until the server closes.
func (c *serverConn) sleep(d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-c.s.done:
	}
}

// peekRequest waits until the client has sent its first bytes, or gives up after d. It
// reports whether bytes arrived.
func (c *serverConn) peekRequest(d time.Duration) bool {
	_ = c.conn.SetReadDeadline(time.Now().Add(d))
	_, err := c.br.Peek(1)
	_ = c.conn.SetReadDeadline(time.Time{})
	return err == nil
}

// TestFaultServerSelf checks the fault server itself against net/http's client, so that the
// cells below test the SDK and not the server.
func TestFaultServerSelf(t *testing.T) {
	t.Parallel()
	s := startServer(t, func(x *exchange) {
		if x.seq == 0 {
			x.reply(http.StatusOK, "text/plain", "hello "+string(x.req.Body))
			return
		}
		x.reply(http.StatusOK, "text/plain", "bye", "Connection", "close")
		x.fin()
	})
	// One connection at most: net/http returns a drained connection to its pool on another
	// goroutine, so without the limit the second request may race it and dial a new one.
	hc := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{MaxConnsPerHost: 1}}
	defer hc.CloseIdleConnections()
	for i, want := range []string{"hello abc", "bye"} {
		resp, err := hc.Post(s.url+"/x", "text/plain", strings.NewReader("abc"))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if string(body) != want {
			t.Fatalf("request %d: got %q, want %q", i, body, want)
		}
	}
	if got := s.Received(); got != 2 {
		t.Fatalf("received %d requests, want 2", got)
	}
	if got := s.accepted.Load(); got != 1 {
		t.Fatalf("accepted %d connections, want 1 (keep-alive)", got)
	}
	if got := s.CountBody("abc"); got != 2 {
		t.Fatalf("CountBody = %d, want 2", got)
	}

	_, err := hc.Get(refusedURL(t))
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Fatalf("refused URL: got %v, want a dial error", err)
	}
}
