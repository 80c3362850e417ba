package ssodatest

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/fakefault"
	"github.com/kshop-dev/kshop/ssoda"
)

// Default credentials of a Server whose Options leave them empty.
const (
	DefaultAPIKey    = "ssodatest-api-key-0001"
	DefaultTokenKey  = "ssodatest-token-key-0001"
	DefaultSenderKey = "0123456789abcdef0123456789abcdef01234567" // 40 hex digits, as Ssoda's are
	// DefaultProfileToken is the token RequestToken "texts" to the channel administrator.
	DefaultProfileToken = "123456"
	// DefaultPoints is the starting balance.
	DefaultPoints = 100000.0
)

// Prices are what one accepted message costs in points. Failover SMS/LMS cost nothing extra
// in the fake.
type Prices struct {
	AlimTalk   float64 // default 8
	FriendTalk float64 // default 15
}

// Options configure a Server. Zero fields take defaults.
type Options struct {
	// APIKey and TokenKey are the credentials the server accepts (x-api-key, token_key).
	APIKey, TokenKey string
	// SenderKeys are the registered sender-profile keys; the first is the default for
	// Templates and AddTemplate. Nil means DefaultSenderKey.
	SenderKeys []string
	// AllowedIPs are the client addresses registered for the token. Nil allows the loopback
	// addresses (127.0.0.1, ::1), so tests pass by default; a non-nil list that omits them
	// makes every call fail with Ssoda's IP message, which names the caller's address.
	AllowedIPs []string
	// Points is the starting balance (default DefaultPoints); SetPoints changes it later.
	Points float64
	// Prices are the points each accepted message costs.
	Prices Prices
	// SenderNumbers are registered, approved SMS sender numbers (failover From numbers).
	SenderNumbers []string
	// Templates are registered from the start under SenderKeys[0]. A template whose
	// TemplateState is zero is approved (APR, service A).
	Templates []alimtalk.Template
	// NonKakaoUsers are recipients without KakaoTalk (see SetNonKakaoUser).
	NonKakaoUsers []string
	// Now is the server's clock (default time.Now). Reservations fall due by it.
	Now func() time.Time
	// DeliveryDelay keeps sent messages "대기중" (pending) in the sent lists this long after
	// their send time, to exercise polling. Zero lists them final at once.
	DeliveryDelay time.Duration
	// ProfileToken is the sender-profile token (default DefaultProfileToken).
	ProfileToken string
	// Paths must match the client's WithPaths when those are changed (zero: defaults).
	Paths ssoda.Paths
	// FieldNames must match the client's WithFieldNames likewise.
	FieldNames ssoda.FieldNames
}

// Server is an in-memory, stateful fake of the Ssoda API, served by an httptest.Server on a
// loopback address. It is safe for concurrent use.
type Server struct {
	opts    Options
	paths   ssoda.Paths
	fields  ssoda.FieldNames
	srv     *httptest.Server
	closing chan struct{}
	once    sync.Once

	mu            sync.Mutex
	allowed       map[string]bool
	senderKeys    []string
	templates     map[tplKey]*storedTemplate
	tplOrder      []tplKey
	nonKakao      map[string]bool
	points        float64
	senderNumbers map[string]*senderNumber
	numberOrder   []string
	messages      []*Message
	pending       []*Message // reservations not yet due
	byID          map[string]*Message
	seq           int
	faults        fakefault.Faults
	calls         map[string]string // path → call name
	requests      map[string]int    // by path
	tokens        map[string]string // yellowId|phone → token texted
	routes        map[string]handler
}

// NewServer starts a fake Ssoda. Close it when done.
func NewServer(opts Options) *Server {
	opts = withDefaults(opts)
	s := &Server{
		opts:          opts,
		paths:         opts.Paths.WithDefaults(),
		fields:        opts.FieldNames.WithDefaults(),
		closing:       make(chan struct{}),
		templates:     map[tplKey]*storedTemplate{},
		nonKakao:      map[string]bool{},
		points:        opts.Points,
		senderNumbers: map[string]*senderNumber{},
		byID:          map[string]*Message{},
		requests:      map[string]int{},
		tokens:        map[string]string{},
		senderKeys:    append([]string(nil), opts.SenderKeys...),
	}
	s.setAllowed(opts.AllowedIPs)
	for _, p := range opts.NonKakaoUsers {
		s.nonKakao[digitsOf(p)] = true
	}
	for _, n := range opts.SenderNumbers {
		s.addSenderNumber(n)
	}
	for _, t := range opts.Templates {
		s.addTemplate(s.senderKeys[0], t)
	}
	s.routes = s.routeTable()
	s.calls = s.callTable()
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

func withDefaults(o Options) Options {
	if o.APIKey == "" {
		o.APIKey = DefaultAPIKey
	}
	if o.TokenKey == "" {
		o.TokenKey = DefaultTokenKey
	}
	if len(o.SenderKeys) == 0 {
		o.SenderKeys = []string{DefaultSenderKey}
	}
	if o.Points == 0 {
		o.Points = DefaultPoints
	}
	if o.Prices.AlimTalk == 0 {
		o.Prices.AlimTalk = 8
	}
	if o.Prices.FriendTalk == 0 {
		o.Prices.FriendTalk = 15
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ProfileToken == "" {
		o.ProfileToken = DefaultProfileToken
	}
	return o
}

// URL is the server's base URL (http://127.0.0.1:port), for ssoda.WithBaseURL.
func (s *Server) URL() string { return s.srv.URL }

// Client returns an *http.Client for the server, for ssoda.WithHTTPClient; Close releases its
// connections.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Credentials returns the credentials the server accepts, with the default sender key.
func (s *Server) Credentials() ssoda.Credentials {
	return ssoda.Credentials{APIKey: s.opts.APIKey, TokenKey: s.opts.TokenKey, SenderKey: s.opts.SenderKeys[0]}
}

// ClientOptions returns the options that point a client at the server: its URL and HTTP
// client, its paths, its clock, retries without waiting (tests should not sleep), and the
// server's templates (WithTemplates with TemplateSource), so messages with Variables render as
// they would with Templates.Load against Ssoda. extra options come last and win (e.g.
// ssoda.WithTemplateRefresh to exercise the client's own TemplateCache).
func (s *Server) ClientOptions(extra ...ssoda.Option) []ssoda.Option {
	opts := []ssoda.Option{
		ssoda.WithBaseURL(s.URL()),
		ssoda.WithHTTPClient(s.Client()),
		ssoda.WithPaths(s.paths),
		ssoda.WithFieldNames(s.fields),
		ssoda.WithClock(s.opts.Now),
		ssoda.WithRetry(3, 0),
		ssoda.WithTemplates(s.TemplateSource()),
	}
	return append(opts, extra...)
}

// TemplateSource returns the server's templates of the default sender key as an
// alimtalk.TemplateSource that reads the server's current state (a template approved later is
// seen at once, in its lifecycle state), without any request.
func (s *Server) TemplateSource() alimtalk.TemplateSource { return liveTemplates{s} }

type liveTemplates struct{ s *Server }

// Template returns a copy of the template with code under the default sender key.
func (l liveTemplates) Template(code string) (*alimtalk.Template, bool) {
	t, ok := l.s.Template(code)
	if !ok {
		return nil, false
	}
	return &t, true
}

// NewClient returns a client for the server with Credentials and ClientOptions(extra...).
func (s *Server) NewClient(extra ...ssoda.Option) (*ssoda.Client, error) {
	return ssoda.NewClient(s.Credentials(), s.ClientOptions(extra...)...)
}

// Close stops the server; answers held by a latency fault are released first.
func (s *Server) Close() {
	s.once.Do(func() { close(s.closing) })
	s.srv.Close()
}

// Requests returns how many requests arrived for call, a call name (CallSend, …) or a path
// (counted once the body was read, faults included).
func (s *Server) Requests(call string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n, ok := s.requests[call]; ok {
		return n
	}
	n := 0
	for path, name := range s.calls {
		if name == call {
			n += s.requests[path]
		}
	}
	return n
}

// TotalRequests returns how many requests arrived, on every path.
func (s *Server) TotalRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, v := range s.requests {
		n += v
	}
	return n
}

// Paths returns the paths the server serves.
func (s *Server) Paths() ssoda.Paths { return s.paths }

// SetAllowedIPs replaces the IP allow-list; no argument allows nothing. Use
// SetAllowedIPs("127.0.0.1", "::1") to allow loopback again.
func (s *Server) SetAllowedIPs(ips ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setAllowed(append([]string{}, ips...))
}

func (s *Server) setAllowed(ips []string) {
	if ips == nil {
		ips = []string{"127.0.0.1", "::1"}
	}
	s.allowed = map[string]bool{}
	for _, ip := range ips {
		if p := net.ParseIP(ip); p != nil {
			s.allowed[p.String()] = true
		}
	}
}

// handler serves one route with the request's decoded body, under s.mu. It returns the HTTP
// status and the envelope to write.
type handler func(body map[string]any) (int, map[string]any)

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	path := r.URL.Path
	s.mu.Lock()
	s.requests[path]++
	s.mu.Unlock()
	fault := s.takeFault(path)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, failure("400", "요청 본문을 읽을 수 없습니다."))
		return
	}
	if fault != nil && !fault.CarriesOut() {
		fakefault.Hold(r, fault.Delay, s.closing)
		s.failAnswer(w, fault, nil)
		return
	}
	status, payload := s.process(r, path, raw)
	if fault != nil {
		fakefault.Hold(r, fault.Delay, s.closing)
		if fault.Kind != FaultDelay {
			s.failAnswer(w, fault, payload)
			return
		}
	}
	writeJSON(w, status, payload)
}

// process authenticates and routes one request.
func (s *Server) process(r *http.Request, path string, raw []byte) (int, map[string]any) {
	if r.Method != http.MethodPost {
		return http.StatusMethodNotAllowed, failure("405", "POST 요청만 허용됩니다.")
	}
	if r.Header.Get("x-api-key") != s.opts.APIKey {
		return http.StatusUnauthorized, failure("401", "유효하지 않은 api key 입니다.")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var body map[string]any
	if err := dec.Decode(&body); err != nil || body == nil {
		return http.StatusBadRequest, failure("400", "JSON 형식의 요청이 아닙니다.")
	}
	if str(body, "token_key") != s.opts.TokenKey {
		return http.StatusOK, failure("401", "유효하지 않은 token_key 입니다.")
	}
	ip := clientIP(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.allowed[ip] {
		return http.StatusOK, failure("403", "token에 등록되지 않은 발송서버 ip입니다. ("+ip+")")
	}
	h, ok := s.routes[path]
	if !ok {
		return http.StatusNotFound, failure("404", "존재하지 않는 API 입니다.")
	}
	s.settle()
	return h(body)
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if p := net.ParseIP(host); p != nil {
		return p.String()
	}
	return host
}

func (s *Server) routeTable() map[string]handler {
	p := s.paths
	return map[string]handler{
		p.SendAlimTalk:                s.sendAlimTalk,
		p.SendFriendTalk:              s.sendFriendTalk,
		p.AlimTalkSentList:            s.listHandler(ssoda.AlimTalk, false),
		p.FriendTalkSentList:          s.listHandler(ssoda.FriendTalk, false),
		p.AlimTalkReservedList:        s.listHandler(ssoda.AlimTalk, true),
		p.FriendTalkReservedList:      s.listHandler(ssoda.FriendTalk, true),
		p.CancelAlimTalkReservation:   s.cancelHandler(ssoda.AlimTalk),
		p.CancelFriendTalkReservation: s.cancelHandler(ssoda.FriendTalk),
		p.TemplateAdd:                 s.templateAdd,
		p.TemplateRequest:             s.templateRequest,
		p.TemplateList:                s.templateList,
		p.TemplateDetail:              s.templateDetail,
		p.TemplateCodeCheck:           s.templateCodeCheck,
		p.TemplateCategories:          s.templateCategories,
		p.ProfileToken:                s.profileToken,
		p.ProfileCategories:           s.profileCategories,
		p.ProfileCreate:               s.profileCreate,
		p.RemainingPoints:             s.remainingPoints,
		p.SenderNumbers:               s.senderNumberList,
	}
}

// success and failure build Ssoda's envelope.
func success(content any) map[string]any {
	out := map[string]any{"code": "200", "error": ""}
	if content != nil {
		out["content"] = content
	}
	return out
}

func failure(code, msg string) map[string]any {
	return map[string]any{"code": code, "error": msg}
}

func writeJSON(w http.ResponseWriter, status int, payload map[string]any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(encode(payload))
}

// callTable names the call each path serves (see the Call constants).
func (s *Server) callTable() map[string]string {
	p := s.paths
	return map[string]string{
		p.SendAlimTalk:                CallSend,
		p.SendFriendTalk:              CallSendFriendTalk,
		p.AlimTalkSentList:            CallHistoryAlimTalk,
		p.FriendTalkSentList:          CallHistoryFriendTalk,
		p.AlimTalkReservedList:        CallReservationsAlimTalk,
		p.FriendTalkReservedList:      CallReservationsFriend,
		p.CancelAlimTalkReservation:   CallReservationsCancel,
		p.CancelFriendTalkReservation: CallReservationsCancel,
		p.TemplateAdd:                 CallTemplatesAdd,
		p.TemplateRequest:             CallTemplatesReview,
		p.TemplateList:                CallTemplatesList,
		p.TemplateDetail:              CallTemplatesDetail,
		p.TemplateCodeCheck:           CallTemplatesCheckCode,
		p.TemplateCategories:          CallTemplatesCategories,
		p.ProfileToken:                CallProfilesRequestToken,
		p.ProfileCategories:           CallProfilesCategories,
		p.ProfileCreate:               CallProfilesCreate,
		p.RemainingPoints:             CallAccountPoints,
		p.SenderNumbers:               CallAccountSenderNumbers,
	}
}
