package lunasofttest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kshop-dev/kshop/alimtalk"
	"github.com/kshop-dev/kshop/internal/fakefault"
	"github.com/kshop-dev/kshop/internal/phone"
	"github.com/kshop-dev/kshop/internal/wire"
	"github.com/kshop-dev/kshop/lunasoft"
)

// Default credentials of a Server whose Options leave them empty.
const (
	DefaultUserID = "lunasofttest"
	DefaultAPIKey = "lunasofttest0apikey0000000000000000000001" // 40 characters, as Lunasoft's are
)

// Codes the fake answers. Lunasoft publishes no code table for this API: 1002, 1003 and 1099
// are its FriendTalk API's codes (unknown member id, unknown api key, bad parameters), 3015,
// 3016, 3018 and 3027 are Kakao's; the per-message and webhook codes follow its failover
// documentation ("1000" = success).
const (
	CodeOK               = "0"
	CodeBadUserID        = "1002"
	CodeBadAPIKey        = "1003"
	CodeBadRequest       = "1099"
	CodeTemplateNotFound = "3015"
	CodeTemplateMismatch = "3016"
	CodeNotKakaoUser     = "3018"
	CodeButtonMismatch   = "3027"
	CodeDelivered        = "1000"
)

// Options configure a Server. Zero fields take defaults.
type Options struct {
	// UserID and APIKey are the credentials the server accepts.
	UserID, APIKey string
	// Templates are the account's approved templates, by ID.
	Templates []lunasoft.CatalogTemplate
	// NonKakaoUsers are recipients without KakaoTalk (see SetNonKakaoUser): their AlimTalk
	// fails, and the failover SMS/LMS goes out when the message asked for one.
	NonKakaoUsers []string
	// WebhookURL is the registered result webhook (see SetWebhookURL); empty posts nothing.
	WebhookURL string
	// DuplicateWebhooks posts every result this many extra times (Lunasoft may repeat a
	// delivery; the Handler must stay idempotent).
	DuplicateWebhooks int
	// Now is the server's clock (default time.Now). Reservations fall due by it.
	Now func() time.Time
}

// Message is one message the server accepted.
type Message struct {
	// TemplateID is the request's template_id.
	TemplateID int64
	// Ref is the custom_key.
	Ref string
	// To is tel_num (digits); AppUserID is app_user_id.
	To, AppUserID string
	// Text is msg_content; SMSText is sms_content; UseSMS is use_sms.
	Text, SMSText string
	UseSMS        bool
	// Title is the emphasis title.
	Title string
	// CarrierCode and InvoiceNumber are the tracking fields.
	CarrierCode, InvoiceNumber string
	// Price and Currency are price and currency_code ("" when absent).
	Price, Currency string
	// Buttons are the btn_url entries.
	Buttons []ButtonURL
	// ScheduledAt is reserve_time (zero for immediate sends).
	ScheduledAt time.Time
	// Outcome is the result the webhook reports (or will report) for the message.
	Outcome lunasoft.OutcomeStatus
}

// ButtonURL is one btn_url entry.
type ButtonURL struct {
	URLPC, URLMobile, SchemeAndroid, SchemeIOS string
}

// WebhookDelivery is one webhook post the server made.
type WebhookDelivery struct {
	// Ref is the result's custom_key.
	Ref string
	// Body is the JSON posted.
	Body []byte
	// Status is the HTTP status the webhook answered (0 when the post failed).
	Status int
}

// Server is an in-memory, stateful fake of Lunasoft's jupiter API, served by an
// httptest.Server on a loopback address. It is safe for concurrent use.
type Server struct {
	opts    Options
	srv     *httptest.Server
	catalog *lunasoft.TemplateCatalog
	faults  fakefault.Faults
	closing chan struct{}
	once    sync.Once

	mu         sync.Mutex
	requests   map[string]int
	bodies     [][]byte
	sent       []*Message
	reserved   []*Message
	nonKakao   map[string]bool
	webhookURL string
	duplicates int
	seq        int

	hookMu    sync.Mutex
	hookQueue [][2]string // ref, body
	hookWake  chan struct{}
	hookIdle  *sync.Cond
	hookBusy  int
	delivered []WebhookDelivery
	hookDone  chan struct{}
	hookHC    *http.Client
	hookCtx   context.Context
	hookStop  context.CancelFunc
}

// NewServer starts a fake Lunasoft. Close it when done. It panics when Options.Templates is
// not a valid catalog (a test's own mistake).
func NewServer(opts Options) *Server {
	if opts.UserID == "" {
		opts.UserID = DefaultUserID
	}
	if opts.APIKey == "" {
		opts.APIKey = DefaultAPIKey
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	cat, err := lunasoft.NewTemplateCatalog(opts.Templates...)
	if err != nil {
		panic("lunasofttest: " + err.Error())
	}
	s := &Server{
		opts: opts, catalog: cat, closing: make(chan struct{}), requests: map[string]int{},
		nonKakao: map[string]bool{}, webhookURL: opts.WebhookURL, duplicates: opts.DuplicateWebhooks,
		hookWake: make(chan struct{}, 1), hookDone: make(chan struct{}),
		hookHC: &http.Client{Transport: &http.Transport{}, Timeout: 10 * time.Second},
	}
	s.hookIdle = sync.NewCond(&s.hookMu)
	s.hookCtx, s.hookStop = context.WithCancel(context.Background())
	for _, p := range opts.NonKakaoUsers {
		s.nonKakao[digits(p)] = true
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	go s.hookLoop()
	return s
}

// URL is the server's base URL (http://127.0.0.1:port), for lunasoft.WithBaseURL.
func (s *Server) URL() string { return s.srv.URL }

// Client returns an *http.Client for the server, for lunasoft.WithHTTPClient.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Credentials returns the credentials the server accepts.
func (s *Server) Credentials() lunasoft.Credentials {
	return lunasoft.Credentials{UserID: s.opts.UserID, APIKey: s.opts.APIKey}
}

// Catalog returns the server's templates as a lunasoft.TemplateCatalog.
func (s *Server) Catalog() *lunasoft.TemplateCatalog { return s.catalog }

// ClientOptions returns the options that point a client at the server: its URL and HTTP
// client, its clock, retries without waiting (tests should not sleep), and its templates
// (WithTemplates with Catalog). extra options come last and win.
func (s *Server) ClientOptions(extra ...lunasoft.Option) []lunasoft.Option {
	opts := []lunasoft.Option{
		lunasoft.WithBaseURL(s.URL()),
		lunasoft.WithHTTPClient(s.Client()),
		lunasoft.WithClock(s.opts.Now),
		lunasoft.WithRetry(3, 0),
		lunasoft.WithTemplates(s.catalog),
	}
	return append(opts, extra...)
}

// NewClient returns a client for the server with Credentials and ClientOptions(extra...).
func (s *Server) NewClient(extra ...lunasoft.Option) (*lunasoft.Client, error) {
	return lunasoft.NewClient(s.Credentials(), s.ClientOptions(extra...)...)
}

// Close stops the server and its webhook poster; answers held by a latency fault are
// released first, queued webhooks are dropped.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.closing)
		s.hookStop()
		s.srv.Close()
		<-s.hookDone
		s.hookHC.CloseIdleConnections()
	})
}

// Requests returns how many requests arrived for call (CallSend) or a path, faults included.
func (s *Server) Requests(call string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[call]
}

// TotalRequests returns how many requests arrived, on every path.
func (s *Server) TotalRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, v := range s.requests {
		if k != CallSend {
			n += v
		}
	}
	return n
}

// Bodies returns the raw body of every request received, in order.
func (s *Server) Bodies() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([][]byte, len(s.bodies))
	copy(out, s.bodies)
	return out
}

// Sent returns copies of the accepted messages, in order.
func (s *Server) Sent() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.sent))
	for i, m := range s.sent {
		out[i] = *m
	}
	return out
}

// SetNonKakaoUser marks a recipient as not on KakaoTalk.
func (s *Server) SetNonKakaoUser(phoneNumber string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nonKakao[digits(phoneNumber)] = true
}

// SetWebhookURL registers the result webhook ("" stops posting).
func (s *Server) SetWebhookURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhookURL = u
}

// SetDuplicateWebhooks makes every later result post n extra times.
func (s *Server) SetDuplicateWebhooks(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.duplicates = n
}

// DeliverDue posts the results of reservations whose time has come by Options.Now. (The
// server also does it on every request.)
func (s *Server) DeliverDue() {
	s.mu.Lock()
	hooks := s.settleDue()
	s.mu.Unlock()
	s.enqueue(hooks)
}

// Webhooks returns the webhook posts made so far.
func (s *Server) Webhooks() []WebhookDelivery {
	s.hookMu.Lock()
	defer s.hookMu.Unlock()
	return append([]WebhookDelivery(nil), s.delivered...)
}

// FlushWebhooks waits until every queued webhook was posted.
func (s *Server) FlushWebhooks() {
	s.hookMu.Lock()
	defer s.hookMu.Unlock()
	for len(s.hookQueue) > 0 || s.hookBusy > 0 {
		select {
		case <-s.hookDone:
			return
		default:
		}
		s.hookIdle.Wait()
	}
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	path := r.URL.Path
	call := ""
	if strings.EqualFold(path, lunasoft.SendPath) {
		call = CallSend // Lunasoft matches the path without case
	}
	s.mu.Lock()
	s.requests[path]++
	if call != "" {
		s.requests[call]++
	}
	s.bodies = append(s.bodies, raw)
	s.mu.Unlock()
	fault := s.takeFault(path, call)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"code": 400, "msg": "요청 본문을 읽을 수 없습니다."})
		return
	}
	if fault != nil && !fault.CarriesOut() {
		fakefault.Hold(r, fault.Delay, s.closing)
		failAnswer(w, fault, nil)
		return
	}
	status, payload, hooks := s.process(r, call, raw)
	s.enqueue(hooks)
	if fault != nil {
		fakefault.Hold(r, fault.Delay, s.closing)
		if fault.Kind != FaultDelay {
			failAnswer(w, fault, payload)
			return
		}
	}
	writeJSON(w, status, payload)
}

func failure(code, msg string) map[string]any {
	n, _ := strconv.Atoi(code)
	return map[string]any{"code": n, "msg": msg}
}

// process checks and carries out one request; it returns the answer and the webhooks to post.
func (s *Server) process(r *http.Request, call string, raw []byte) (int, map[string]any, [][2]string) {
	if r.Method != http.MethodPost {
		return http.StatusMethodNotAllowed, failure("405", "POST 요청만 허용됩니다."), nil
	}
	if call == "" {
		return http.StatusNotFound, failure("404", "존재하지 않는 API 입니다."), nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var body map[string]any
	if err := dec.Decode(&body); err != nil || body == nil {
		return http.StatusOK, failure(CodeBadRequest, "JSON 형식의 요청이 아닙니다."), nil
	}
	if str(body["userid"]) != s.opts.UserID {
		return http.StatusOK, failure(CodeBadUserID, "유효하지 않은 userid 입니다."), nil
	}
	if str(body["api_key"]) != s.opts.APIKey {
		return http.StatusOK, failure(CodeBadAPIKey, "유효하지 않은 api_key 입니다."), nil
	}
	id, err := strconv.ParseInt(str(body["template_id"]), 10, 64)
	if err != nil {
		return http.StatusOK, failure(CodeBadRequest, "template_id는 숫자여야 합니다."), nil
	}
	entry, ok := s.catalog.Lookup(strconv.FormatInt(id, 10))
	if !ok {
		return http.StatusOK, failure(CodeTemplateNotFound, "템플릿을 찾을 수 없습니다."), nil
	}
	list, ok := body["messages"].([]any)
	if !ok || len(list) == 0 || len(list) > lunasoft.MaxChunkSize {
		return http.StatusOK, failure(CodeBadRequest, "messages는 1건 이상 1000건 이하여야 합니다."), nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	hooks := s.settleDue()
	results := make([]any, 0, len(list))
	var accepted []*Message
	for i, e := range list {
		o, ok := e.(map[string]any)
		if !ok {
			return http.StatusOK, failure(CodeBadRequest, "messages["+strconv.Itoa(i)+"]가 객체가 아닙니다."), nil
		}
		if tid := str(o["template_id"]); tid != "" && tid != strconv.FormatInt(id, 10) {
			return http.StatusOK, failure(CodeBadRequest, "한 요청에는 하나의 template_id만 보낼 수 있습니다."), nil
		}
		m, code, msg := s.check(id, entry, o)
		res := map[string]any{"no": str(o["no"]), "tel_num": str(o["tel_num"]), "result_code": 0, "result_msg": "success"}
		if code != CodeOK {
			n, _ := strconv.Atoi(code)
			res["result_code"], res["result_msg"] = n, msg
		} else {
			accepted = append(accepted, m)
		}
		results = append(results, res)
	}
	now := s.opts.Now()
	for _, m := range accepted {
		m.Outcome = lunasoft.OutcomeDelivered
		if s.nonKakao[m.To] || m.To == "" && s.nonKakao[m.AppUserID] {
			m.Outcome = lunasoft.OutcomeFailed
			if m.UseSMS {
				m.Outcome = lunasoft.OutcomeDeliveredSMS
				if wire.EUCKRLenLenient(m.SMSText) > 90 {
					m.Outcome = lunasoft.OutcomeDeliveredLMS
				}
			}
		}
		s.sent = append(s.sent, m)
		if m.ScheduledAt.After(now) {
			s.reserved = append(s.reserved, m)
			continue
		}
		hooks = append(hooks, s.results(m)...)
	}
	return http.StatusOK, map[string]any{"code": 0, "msg": "success", "userid": s.opts.UserID,
		"requested_at": wire.FormatKST(now, wire.LayoutDateTime), "messages": results}, hooks
}

// check validates one message against the template; it returns the message, or a
// per-message result code and text.
func (s *Server) check(id int64, entry lunasoft.CatalogTemplate, o map[string]any) (*Message, string, string) {
	m := &Message{TemplateID: id, Ref: str(o["custom_key"]), To: str(o["tel_num"]), AppUserID: str(o["app_user_id"]),
		Text: str(o["msg_content"]), SMSText: str(o["sms_content"]), Title: str(o["title"]),
		CarrierCode: str(o["carrier_code"]), InvoiceNumber: str(o["invoice_number"]), Price: str(o["price"]),
		Currency: str(o["currency_code"])}
	switch {
	case m.To == "" && m.AppUserID == "":
		return nil, CodeBadRequest, "tel_num 또는 app_user_id가 필요합니다."
	case m.To != "":
		n, err := phone.Parse(m.To)
		if err != nil || !n.IsMobile() || n.Digits() != m.To {
			return nil, CodeBadRequest, "tel_num 형식이 올바르지 않습니다."
		}
	}
	if m.Text == "" || m.SMSText == "" {
		return nil, CodeBadRequest, "msg_content와 sms_content는 필수입니다."
	}
	switch use := str(o["use_sms"]); use {
	case "1":
		m.UseSMS = true
	case "0":
	default:
		return nil, CodeBadRequest, "use_sms는 1 또는 0이어야 합니다."
	}
	if len([]rune(m.Ref)) > 40 || len([]rune(m.Text)) > 1000 || len([]rune(m.SMSText)) > 1000 {
		return nil, CodeBadRequest, "필드 길이를 초과했습니다."
	}
	if rt := str(o["reserve_time"]); rt != "" {
		t, err := wire.ParseKST(wire.LayoutDateTime, rt)
		if err != nil {
			return nil, CodeBadRequest, "reserve_time 형식이 올바르지 않습니다. (yyyy-MM-dd HH:mm:ss)"
		}
		m.ScheduledAt = t
	}
	tpl := entry.Template
	if tpl.Match(m.Text) != nil {
		return nil, CodeTemplateMismatch, "메시지 내용이 템플릿과 일치하지 않습니다."
	}
	if tpl.Emphasis == alimtalk.EmphasisText {
		title := alimtalk.Template{Content: tpl.Title}
		if m.Title == "" || title.Match(m.Title) != nil {
			return nil, CodeTemplateMismatch, "강조 표기 제목이 템플릿과 일치하지 않습니다."
		}
	}
	if list, ok := o["btn_url"].([]any); ok {
		for _, e := range list {
			b, _ := e.(map[string]any)
			m.Buttons = append(m.Buttons, ButtonURL{URLPC: str(b["url_pc"]), URLMobile: str(b["url_mobile"]),
				SchemeAndroid: str(b["scheme_android"]), SchemeIOS: str(b["scheme_ios"])})
		}
	}
	if !buttonsMatch(tpl.Buttons, m.Buttons) {
		return nil, CodeButtonMismatch, "버튼 URL이 템플릿과 일치하지 않습니다."
	}
	tracking := entry.Tracking
	for _, b := range tpl.Buttons {
		tracking = tracking || b.Type == alimtalk.ButtonDelivery
	}
	if tracking && (m.CarrierCode == "" || m.InvoiceNumber == "") {
		return nil, CodeBadRequest, "배송조회 템플릿에는 carrier_code와 invoice_number가 필요합니다."
	}
	s.seq++
	return m, CodeOK, ""
}

// buttonsMatch checks the btn_url entries against the template's buttons: one per button in
// order, each link button's URLs present and matching its pattern.
func buttonsMatch(tpl []alimtalk.Button, got []ButtonURL) bool {
	links := false
	for _, b := range tpl {
		links = links || b.Type == alimtalk.ButtonWebLink || b.Type == alimtalk.ButtonAppLink
	}
	if !links {
		return true
	}
	if len(got) != len(tpl) {
		return false
	}
	for i, b := range tpl {
		if b.Type != alimtalk.ButtonWebLink && b.Type != alimtalk.ButtonAppLink {
			continue
		}
		for _, pair := range [][2]string{{b.URLMobile, got[i].URLMobile}, {b.URLPC, got[i].URLPC},
			{b.SchemeAndroid, got[i].SchemeAndroid}, {b.SchemeIOS, got[i].SchemeIOS}} {
			if pair[0] == "" {
				continue
			}
			if pair[1] == "" || (&alimtalk.Template{Content: pair[0]}).Match(pair[1]) != nil {
				return false
			}
		}
	}
	return true
}

// settleDue moves due reservations to delivery; s.mu is held.
func (s *Server) settleDue() [][2]string {
	now := s.opts.Now()
	var hooks [][2]string
	keep := s.reserved[:0]
	for _, m := range s.reserved {
		if m.ScheduledAt.After(now) {
			keep = append(keep, m)
			continue
		}
		hooks = append(hooks, s.results(m)...)
	}
	s.reserved = keep
	return hooks
}

// results builds the webhook posts of a message; s.mu is held.
func (s *Server) results(m *Message) [][2]string {
	if s.webhookURL == "" {
		return nil
	}
	s.seq++
	group := "g" + strconv.Itoa(s.seq)
	at := wire.FormatKST(s.opts.Now(), wire.LayoutDateTime)
	post := func(typ, code, msg string) []byte {
		return encode(map[string]any{"type": typ, "message_group_id": group, "message_id": group + "-" + typ,
			"custom_key": m.Ref, "code": code, "msg": msg, "response_dt": at})
	}
	var bodies [][]byte
	switch m.Outcome {
	case lunasoft.OutcomeDelivered:
		bodies = append(bodies, post("AT", CodeDelivered, "성공"))
	case lunasoft.OutcomeFailed:
		bodies = append(bodies, post("AT", CodeNotKakaoUser, "카카오톡 미사용자"))
	case lunasoft.OutcomeDeliveredSMS, lunasoft.OutcomeDeliveredLMS:
		typ := "SMS"
		if m.Outcome == lunasoft.OutcomeDeliveredLMS {
			typ = "LMS"
		}
		bodies = append(bodies, post("AT", CodeNotKakaoUser, "카카오톡 미사용자"), post(typ, CodeDelivered, "성공"))
	}
	var out [][2]string
	for _, b := range bodies {
		for range 1 + max(0, s.duplicates) {
			out = append(out, [2]string{m.Ref, s.webhookURL + "\x00" + string(b)})
		}
	}
	return out
}

// enqueue queues webhook posts for the poster goroutine.
func (s *Server) enqueue(hooks [][2]string) {
	if len(hooks) == 0 {
		return
	}
	s.hookMu.Lock()
	s.hookQueue = append(s.hookQueue, hooks...)
	s.hookMu.Unlock()
	select {
	case s.hookWake <- struct{}{}:
	default:
	}
}

// hookLoop posts queued webhooks one at a time, in order.
func (s *Server) hookLoop() {
	defer close(s.hookDone)
	defer func() {
		s.hookMu.Lock()
		s.hookQueue = nil
		s.hookIdle.Broadcast()
		s.hookMu.Unlock()
	}()
	for {
		s.hookMu.Lock()
		if len(s.hookQueue) == 0 {
			s.hookIdle.Broadcast()
			s.hookMu.Unlock()
			select {
			case <-s.closing:
				return
			case <-s.hookWake:
				continue
			}
		}
		h := s.hookQueue[0]
		s.hookQueue = s.hookQueue[1:]
		s.hookBusy++
		s.hookMu.Unlock()

		target, body, _ := strings.Cut(h[1], "\x00")
		d := WebhookDelivery{Ref: h[0], Body: []byte(body)}
		req, err := http.NewRequestWithContext(s.hookCtx, http.MethodPost, target, strings.NewReader(body))
		if err == nil {
			req.Header.Set("Content-Type", "application/json; charset=utf-8")
			resp, err := s.hookHC.Do(req)
			if err == nil {
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d.Status = resp.StatusCode
			}
		}
		s.hookMu.Lock()
		s.delivered = append(s.delivered, d)
		s.hookBusy--
		s.hookMu.Unlock()
		select {
		case <-s.closing:
			return
		default:
		}
	}
}

// str reads a JSON scalar as text.
func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
