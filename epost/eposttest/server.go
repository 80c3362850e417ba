package eposttest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/kshop-dev/kshop/epost"
	"github.com/kshop-dev/kshop/internal/fakefault"
)

// Call names used by Requests and Fault.Call for the two trace services; the contract API's
// calls use their message names ("InsertOrder", "GetResInfo", …).
const (
	CallPublicTrace = "PublicTrace"
	CallBizTrace    = "BizTrace"
)

// Default credentials of a Server whose Options leave them empty. The security key is the
// manual's example key.
const (
	DefaultAPIKey          = "EPOSTTESTAPIKEY000000000000000"
	DefaultSecurityKey     = "1234567890abcdefghijkl"
	DefaultCustomerNo      = "0001234567"
	DefaultApprovalNo      = "1018680001"
	DefaultMemberID        = "kshopuser"
	DefaultTraceServiceKey = "test+Trace/Key=="
	DefaultBizTraceKey     = "EPOSTTESTBIZTRACEKEY0000000000"
	DefaultOfficeSer       = "01"
)

// Options configure a Server. Empty fields take the Default… values.
type Options struct {
	APIKey      string // the 인증키 the server accepts
	SecurityKey string // the 보안키 it decrypts regData with (at least 16 bytes)
	CustomerNo  string // the only custNo it knows
	ApprovalNo  string // the only apprNo it knows
	MemberID    string // the 인터넷우체국 ID GetCustNo resolves to CustomerNo
	// TraceServiceKey is the raw data.go.kr key of the public trace; BizTraceKey the regkey
	// of the contract-customer trace.
	TraceServiceKey string
	BizTraceKey     string // contract-customer trace regkey
	// Offices are registered from the start; nil registers one office, DefaultOfficeSer.
	Offices []epost.Office
	// StoppedZips are the answers of GetStoppedZipCd; nil means none (ERR-125).
	StoppedZips []epost.StoppedZipRange
	// LengthRule is how item lengths are counted (default UTF-8 bytes, as the client).
	LengthRule epost.LengthRule
	// Now is the server's clock (default time.Now); it dates bookings (reqYmd), cancels and
	// trace events added without a time.
	Now func() time.Time
}

// Server is an in-memory, stateful fake of Korea Post's contract-parcel API and both trace
// services, served by one httptest.Server. It is safe for concurrent use.
type Server struct {
	opts Options
	srv  *httptest.Server

	mu          sync.Mutex
	seq         uint64
	orders      []*order
	byRegiNo    map[string]*order
	issued      map[string]bool // every waybill ever issued; never issued again
	offices     map[string]epost.Office
	officeOrder []string
	traces      map[string]*traceRecord
	faults      fakefault.Faults
	requests    map[string]int
	total       int
	held        time.Duration // answers held by FaultDelay, in all
	done        chan struct{}
	closeOnce   sync.Once
}

// NewServer starts a fake on a loopback address. It panics when SecurityKey is shorter than
// 16 bytes, as httptest does on setup errors. Close it when done.
func NewServer(opts Options) *Server {
	opts = withDefaults(opts)
	if len(opts.SecurityKey) < epost.SecurityKeyLen {
		panic(fmt.Sprintf("eposttest: SecurityKey must be at least %d bytes", epost.SecurityKeyLen))
	}
	s := &Server{
		opts:     opts,
		byRegiNo: map[string]*order{},
		issued:   map[string]bool{},
		offices:  map[string]epost.Office{},
		traces:   map[string]*traceRecord{},
		requests: map[string]int{},
		done:     make(chan struct{}),
	}
	for _, o := range opts.Offices {
		s.addOffice(o)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	return s
}

func withDefaults(o Options) Options {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&o.APIKey, DefaultAPIKey)
	def(&o.SecurityKey, DefaultSecurityKey)
	def(&o.CustomerNo, DefaultCustomerNo)
	def(&o.ApprovalNo, DefaultApprovalNo)
	def(&o.MemberID, DefaultMemberID)
	def(&o.TraceServiceKey, DefaultTraceServiceKey)
	def(&o.BizTraceKey, DefaultBizTraceKey)
	if o.Offices == nil {
		o.Offices = []epost.Office{{
			OfficeSer: DefaultOfficeSer, OfficeNm: "kshop 물류센터", OfficeZip: "58323",
			OfficeAddr: "전남 나주시 정보화길 1 (빛가람동, 우정사업정보센터)", OfficeTelno: "061-1234-5678",
			ContactNm: "홍길동", OfficeDivCd: "1",
		}}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// URL is the base URL of all three services (WithBaseURL, WithPublicTraceBaseURL,
// WithBizTraceBaseURL).
func (s *Server) URL() string { return s.srv.URL }

// Close shuts the server down and waits for its handlers; answers held by a delay end at once.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
	s.srv.Close()
}

// Credentials returns the credentials the server accepts.
func (s *Server) Credentials() epost.Credentials {
	return epost.Credentials{APIKey: s.opts.APIKey, SecurityKey: s.opts.SecurityKey, CustomerNo: s.opts.CustomerNo, ApprovalNo: s.opts.ApprovalNo}
}

// ClientOptions points a client at this server (the three base URLs and both trace keys),
// followed by extra, which may override them.
func (s *Server) ClientOptions(extra ...epost.Option) []epost.Option {
	opts := []epost.Option{
		epost.WithBaseURL(s.srv.URL), epost.WithPublicTraceBaseURL(s.srv.URL), epost.WithBizTraceBaseURL(s.srv.URL),
		epost.WithTraceServiceKey(s.opts.TraceServiceKey), epost.WithBizTraceKey(s.opts.BizTraceKey),
	}
	return append(opts, extra...)
}

// NewClient returns a client of this server with its Credentials, ClientOptions and extra.
func (s *Server) NewClient(extra ...epost.Option) (*epost.Client, error) {
	return epost.NewClient(s.Credentials(), s.ClientOptions(extra...)...)
}

// Requests reports how many requests a call received ("InsertOrder", CallPublicTrace, …),
// counted when the request was read, faults included.
func (s *Server) Requests(call string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[call]
}

// TotalRequests reports how many requests the server received for every call together.
func (s *Server) TotalRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// Held reports how long the server has held answers for FaultDelay faults, all requests
// together. It is what a benchmark with a fixed latency compares against: Go's timers wake
// late by up to about a millisecond, so the time held is a little over the nominal delay.
func (s *Server) Held() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.held
}

// servedCalls are the calls the fake implements; others (the 점포관리 APIs) answer 404.
var servedCalls = map[string]bool{
	"GetCustNo": true, "GetApprNo": true, "GetStoppedZipCd": true, "InsertOffice": true, "GetOfficeInfo": true,
	"InsertOrder": true, "GetResInfo": true, "GetResCancelCmd": true, CallPublicTrace: true, CallBizTrace: true,
}

func callOf(path string) string {
	switch {
	case strings.HasPrefix(path, "/api.") && strings.HasSuffix(path, ".jparcel"):
		return strings.TrimSuffix(strings.TrimPrefix(path, "/api."), ".jparcel")
	case strings.HasSuffix(path, "/getLongitudinalDomesticList"):
		return CallPublicTrace
	case path == "/KpostPortal/openapi":
		return CallBizTrace
	}
	return ""
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	call := callOf(r.URL.Path)
	if call == "" || !servedCalls[call] {
		writeHTML(w, http.StatusNotFound, "Not Found")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeHTML(w, http.StatusBadRequest, "Bad Request")
		return
	}
	s.mu.Lock()
	s.requests[call]++
	s.total++
	s.mu.Unlock()

	if fault := s.faults.Take(call); fault != nil {
		held := fakefault.Hold(r, fault.Delay, s.done)
		s.mu.Lock()
		s.held += held
		s.mu.Unlock()
		if r.Context().Err() != nil {
			if fault.CarriesOut() {
				s.handle(httptest.NewRecorder(), r, call) // carried out, but nobody hears of it
			}
			return
		}
		if fault.Kind != FaultDelay {
			if fault.CarriesOut() {
				s.handle(httptest.NewRecorder(), r, call)
			}
			applyFault(w, fault)
			return
		}
	}
	s.handle(w, r, call)
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request, call string) {
	switch call {
	case CallPublicTrace:
		s.publicTrace(w, r)
	case CallBizTrace:
		s.bizTrace(w, r)
	default:
		s.contract(w, r, call)
	}
}
