package epost

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/secret"
	"github.com/kshop-dev/kshop/internal/transport"
	"github.com/kshop-dev/kshop/internal/vendorerr"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Credentials are what Korea Post's 오픈API신청결과 page shows, plus the contract's numbers.
// Every way of printing them (fmt verbs including %#v, encoding/json, log/slog) shows the
// numbers and only the length of each key.
type Credentials struct {
	// APIKey is the 인증키 (the key item), 30 characters. It expires after 30 days without
	// calls.
	APIKey string
	// SecurityKey is the 보안키 that encrypts regData, 22 characters; SEED-128 uses its first
	// 16 bytes, so keys of 16 to 21 bytes are accepted as well.
	SecurityKey string
	// CustomerNo is the 10-digit 고객번호 (custNo). GetCustNo finds it from the 인터넷우체국 ID;
	// every other encrypted call needs it.
	CustomerNo string
	// ApprovalNo is the 10-digit 계약 승인번호 (apprNo). GetApprNo lists them; InsertOrder and
	// GetResCancelCmd need one (a request may override it).
	ApprovalNo string
}

// String shows the numbers and only the length of each key, so credentials printed or logged
// by mistake leak nothing.
func (cr Credentials) String() string {
	return fmt.Sprintf("epost.Credentials{APIKey: %s, SecurityKey: %s, CustomerNo: %q, ApprovalNo: %q}",
		secret.Mask(cr.APIKey), secret.Mask(cr.SecurityKey), cr.CustomerNo, cr.ApprovalNo)
}

// GoString is String, for %#v.
func (cr Credentials) GoString() string { return cr.String() }

// Format prints String for every verb, so no verb can reach the keys through reflection.
func (cr Credentials) Format(f fmt.State, verb rune) { secret.Format(f, verb, cr.String()) }

// MarshalJSON writes the numbers and the masked keys.
func (cr Credentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		APIKey      string `json:"api_key"`
		SecurityKey string `json:"security_key"`
		CustomerNo  string `json:"customer_no"`
		ApprovalNo  string `json:"approval_no"`
	}{secret.Mask(cr.APIKey), secret.Mask(cr.SecurityKey), cr.CustomerNo, cr.ApprovalNo})
}

// LogValue keeps the keys out of slog output.
func (cr Credentials) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("api_key", secret.Mask(cr.APIKey)), slog.String("security_key", secret.Mask(cr.SecurityKey)),
		slog.String("customer_no", cr.CustomerNo), slog.String("approval_no", cr.ApprovalNo))
}

// Client calls Korea Post's contract-parcel OpenAPI and its two delivery-trace services. It is
// safe for concurrent use. NewClient makes no network call. Printing a Client, with any verb,
// as JSON or through slog, never shows a key.
type Client struct {
	*clientCore
}

// clientCore is the client's state. The Client holds it through one pointer and it holds
// every key through another, so that even fmt's reflection over a Client it cannot ask to
// print itself (a Client in an unexported field, under any verb) shows addresses, never keys.
type clientCore struct {
	creds    *Credentials
	s        *settings
	tr       *transport.Client
	codec    *regDataCodec  // nil when the client only tracks
	orderSeq *atomic.Uint64 // behind a pointer so Client holds nothing that must not be copied
	headers  http.Header    // defaultHeaders, built once and only read
	formKey  *string        // "key=" and the escaped API key, as every contract form carries it
}

const opNewClient = "epost.NewClient"

// NewClient checks the credentials and options and builds a client. It needs APIKey and
// SecurityKey for the contract API, or at least one tracking key (WithTraceServiceKey,
// WithBizTraceKey) for a tracking-only client. Every problem is reported at once in a
// *kshop.ValidationError.
func NewClient(creds Credentials, opts ...Option) (*Client, error) {
	s := defaultSettings()
	var p problems
	for _, o := range opts {
		if o == nil {
			continue
		}
		if fe := o(&s); fe != nil {
			p.list = append(p.list, fe)
		}
	}
	c := &Client{clientCore: &clientCore{creds: &creds, s: &s, orderSeq: new(atomic.Uint64)}}
	c.checkCredentials(&p)
	allow := append(append([]string(nil), httpOnlyHosts...), s.allowHTTP...)
	for _, b := range [...]struct{ option, url string }{
		{"WithBaseURL", s.baseURL}, {"WithPublicTraceBaseURL", s.publicTraceURL}, {"WithBizTraceBaseURL", s.bizTraceURL},
	} {
		if _, err := transport.CheckBaseURL(b.url, allow); err != nil {
			p.add(&kshop.FieldError{Field: b.option, Rule: kshop.RuleNotAllowed,
				Detail: "must be https (plain http only for the tracking hosts, loopback, or WithAllowHTTPHost)", Err: err})
		}
	}
	if err := p.err(opNewClient); err != nil {
		return nil, err
	}
	var secrets []string
	for _, v := range []string{creds.APIKey, creds.SecurityKey, s.traceServiceKey, s.bizTraceKey} {
		if v != "" {
			secrets = append(secrets, v)
		}
	}
	tr, err := transport.New(s.transportConfig(secrets))
	if err != nil {
		return nil, fmt.Errorf("epost: %w", err)
	}
	c.tr = tr
	c.headers = defaultHeaders()
	formKey := "key=" + url.QueryEscape(creds.APIKey)
	c.formKey = &formKey
	return c, nil
}

// String describes the client without its keys.
func (c Client) String() string {
	if c.clientCore == nil || c.creds == nil || c.s == nil {
		return "epost.Client{}"
	}
	return fmt.Sprintf("epost.Client{base: %s, credentials: %s, traceServiceKey: %s, bizTraceKey: %s}",
		c.s.baseURL, c.creds, secret.Mask(c.s.traceServiceKey), secret.Mask(c.s.bizTraceKey))
}

// GoString is String, for %#v. The printing methods have value receivers so that a
// dereferenced client (%s of *c) is covered too: fmt would otherwise print its fields.
func (c Client) GoString() string { return c.String() }

// Format prints String for every verb, so no verb can reach the keys through reflection.
func (c Client) Format(f fmt.State, verb rune) { secret.Format(f, verb, c.String()) }

// MarshalJSON writes the base URL and the credentials with masked keys.
func (c Client) MarshalJSON() ([]byte, error) {
	if c.clientCore == nil || c.creds == nil || c.s == nil {
		return []byte("null"), nil
	}
	return json.Marshal(struct {
		BaseURL     string      `json:"base_url"`
		Credentials Credentials `json:"credentials"`
	}{c.s.baseURL, *c.creds})
}

// LogValue keeps the keys out of slog output.
func (c Client) LogValue() slog.Value {
	if c.clientCore == nil || c.creds == nil || c.s == nil {
		return slog.StringValue("epost.Client{}")
	}
	return slog.GroupValue(slog.String("base_url", c.s.baseURL), slog.Any("credentials", *c.creds))
}

func (c *Client) checkCredentials(p *problems) {
	cr := *c.creds
	if cr.APIKey == "" && cr.SecurityKey == "" {
		if c.s.traceServiceKey == "" && c.s.bizTraceKey == "" {
			p.add(&kshop.FieldError{Field: "Credentials", Rule: kshop.RuleRequired,
				Detail: "need APIKey and SecurityKey, or a tracking key (WithTraceServiceKey, WithBizTraceKey)"})
		}
	} else {
		if cr.APIKey == "" {
			p.add(&kshop.FieldError{Field: "Credentials.APIKey", Key: "key", Rule: kshop.RuleRequired, Detail: "required together with SecurityKey"})
		}
		if strings.IndexFunc(cr.APIKey, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 || !utf8.ValidString(cr.APIKey) {
			p.add(&kshop.FieldError{Field: "Credentials.APIKey", Key: "key", Rule: kshop.RuleFormat, Detail: "must not contain spaces or control characters"})
		}
		codec, fe := newRegDataCodec(cr.SecurityKey)
		if fe != nil {
			p.add(fe)
		}
		c.codec = codec
	}
	checkDigits(p, "Credentials.CustomerNo", "custNo", cr.CustomerNo, 1, 10, false)
	checkDigits(p, "Credentials.ApprovalNo", "apprNo", cr.ApprovalNo, 1, 10, false)
}

// Service names the Korea Post service an error came from.
type Service string

// Services.
const (
	ServiceContract    Service = "contract"     // ship.epost.go.kr contract-parcel API
	ServicePublicTrace Service = "public-trace" // openapi.epost.go.kr (data.go.kr) trace
	ServiceBizTrace    Service = "biz-trace"    // biz.epost.go.kr contract-customer trace
)

// apiCall describes one contract API message.
type apiCall struct {
	name      string // message name without "api." and ".jparcel"; also the method's name
	class     transport.Class
	encrypted bool
}

// The contract API's messages.
var (
	callGetCustNo       = apiCall{"GetCustNo", transport.Idempotent, true}
	callGetApprNo       = apiCall{"GetApprNo", transport.Idempotent, true}
	callGetStoppedZipCd = apiCall{"GetStoppedZipCd", transport.Idempotent, false}
	callInsertOffice    = apiCall{"InsertOffice", transport.NonIdempotent, true}
	callGetOfficeInfo   = apiCall{"GetOfficeInfo", transport.Idempotent, true}
	callInsertOrder     = apiCall{"InsertOrder", transport.NonIdempotent, true}
	callGetResInfo      = apiCall{"GetResInfo", transport.Idempotent, true}
	callGetResCancelCmd = apiCall{"GetResCancelCmd", transport.NonIdempotent, true}
)

func (a apiCall) path() string { return "/api." + a.name + ".jparcel" }

// op is the package-qualified name validation errors carry: "epost.InsertOrder".
func (a apiCall) op() string { return "epost." + a.name }

// begin is what every contract call does first: refuse a nil context and a tracking-only
// client, both as a *kshop.ValidationError naming the call.
func (c *Client) begin(ctx context.Context, op string) error {
	if err := wire.CheckContext(ctx, op); err != nil {
		return err
	}
	if c.codec == nil || c.creds.APIKey == "" {
		return kshop.NewValidationError(op, []*kshop.FieldError{{Field: "Credentials", Rule: kshop.RuleRequired,
			Detail: "APIKey and SecurityKey are required for contract API calls"}})
	}
	return nil
}

// custNoItem checks Credentials.CustomerNo for the calls that send it without a request field.
func (c *Client) custNoItem(p *problems) string {
	if c.creds.CustomerNo == "" {
		p.add(&kshop.FieldError{Field: "Credentials.CustomerNo", Key: "custNo", Rule: kshop.RuleRequired, Detail: "GetCustNo finds it"})
	}
	return c.creds.CustomerNo
}

// contract sends one contract API call: key (and option) in the clear, the items encrypted as
// regData (or in the clear for GetStoppedZipCd), as a form POST by default. The items were
// validated by the caller. It returns the answer's XML tree, or an error: *kshop.ValidationError
// before I/O (regData too long), *APIError, *ResponseError or a transport error after.
func (c *Client) contract(ctx context.Context, call apiCall, items fieldList, extra url.Values) (*node, error) {
	var sealed []byte
	if call.encrypted {
		var fe *kshop.FieldError
		if sealed, fe = c.codec.sealItems(items); fe != nil {
			return nil, kshop.NewValidationError(call.op(), []*kshop.FieldError{fe})
		}
	}
	req := &transport.Request{Class: call.class, Method: c.s.method, Path: call.path(), Header: c.headers}
	if c.s.method == http.MethodPost && call.encrypted && extra["key"] == nil && extra["regData"] == nil {
		req.Body = c.regDataForm(sealed, extra)
		req.ContentType = formContentType
	} else {
		params := url.Values{}
		params.Set("key", c.creds.APIKey)
		if call.encrypted {
			params.Set("regData", hex.EncodeToString(sealed))
		} else {
			for _, f := range items {
				params.Set(f.name, f.value)
			}
		}
		for k, vs := range extra {
			params[k] = vs
		}
		if c.s.method == http.MethodPost {
			req.Body = []byte(params.Encode())
			req.ContentType = formContentType
		} else {
			req.Query = params
		}
	}
	resp, err := c.tr.Do(ctx, req)
	return c.answer(ServiceContract, call.name, call.class, resp, err)
}

const formContentType = "application/x-www-form-urlencoded; charset=UTF-8"

// regDataForm writes the form of an encrypted call in one buffer, exactly as url.Values.Encode
// would (keys sorted, values escaped), with the ciphertext hex-encoded in place. extra must not
// hold "key" or "regData".
func (c *Client) regDataForm(sealed []byte, extra url.Values) []byte {
	type item struct {
		key, value string
		regData    bool
	}
	items := make([]item, 0, 2+len(extra))
	items = append(items, item{key: "key", value: c.creds.APIKey}, item{key: "regData", regData: true})
	size := len("key=&regData=") + len(*c.formKey) + hex.EncodedLen(len(sealed))
	for k, vs := range extra {
		for _, v := range vs {
			items = append(items, item{key: k, value: v})
			size += 2 + len(k) + len(v) // escaping may grow it; append copes
		}
	}
	slices.SortStableFunc(items, func(a, b item) int { return strings.Compare(a.key, b.key) })
	body := make([]byte, 0, size)
	for i, it := range items {
		if i > 0 {
			body = append(body, '&')
		}
		switch {
		case it.key == "key":
			body = append(body, *c.formKey...)
		case it.regData:
			body = append(body, "regData="...)
			body = hex.AppendEncode(body, sealed)
		default:
			body = append(body, url.QueryEscape(it.key)...)
			body = append(body, '=')
			body = append(body, url.QueryEscape(it.value)...)
		}
	}
	return body
}

// defaultHeaders are the manual's recommended headers (Host and User-Agent are set by the
// transport): without them the firewall may block high-volume callers. A client builds them
// once; the transport only reads them.
func defaultHeaders() http.Header {
	return http.Header{
		"Connection": {"keep-alive"},
		"Accept":     {"application/xml, text/xml;q=0.9, */*;q=0.1"},
	}
}

// answer turns the transport's result into an XML tree or one of the package's errors. For a
// non-idempotent call, any answer that arrived after the request was written and is not a
// clear success or a clear refusal leaves the outcome unknown, whatever the context's state:
// a 5xx, a truncated or oversized body, an unreadable body.
func (c *Client) answer(svc Service, op string, class transport.Class, resp *transport.Response, err error) (*node, error) {
	nonIdem := class == transport.NonIdempotent
	if err != nil {
		var terr *transport.Error
		if !errors.As(err, &terr) || terr.Status == 0 {
			return nil, fmt.Errorf("epost: %s: %w", op, err)
		}
		unknown := terr.OutcomeUnknown() || nonIdem && vendorerr.UnknownStatus(terr.Status)
		switch {
		case errors.Is(terr, transport.ErrResponseTooLarge):
			re := newResponseError(svc, op, terr.Status, ProblemTooLarge, "", c.errBody(terr.Body), unknown || nonIdem)
			return nil, re
		case terr.Status != http.StatusTooManyRequests && !vendorerr.UnknownStatus(terr.Status):
			// A non-error status that still failed: the body broke off mid-answer.
			return nil, newResponseError(svc, op, terr.Status, ProblemTruncated, "", c.errBody(terr.Body), unknown || nonIdem)
		}
		// An HTTP error answer ended the call, e.g. a 5xx on InsertOrder: decode what it
		// says, and keep the transport error (and with it ErrOutcomeUnknown) reachable.
		e := c.httpError(svc, op, terr.Status, terr.Body, unknown)
		if ae, ok := e.(*APIError); ok {
			ae.cause = terr
		}
		return nil, e
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, c.httpError(svc, op, resp.StatusCode, resp.Body, nonIdem && vendorerr.UnknownStatus(resp.StatusCode))
	}
	root, problem, detail := parseXML(resp.Body)
	if problem != 0 {
		return nil, newResponseError(svc, op, resp.StatusCode, problem, detail, c.errBody(resp.Body), nonIdem)
	}
	if e := c.vendorError(svc, op, resp.StatusCode, root, resp.Body, nonIdem); e != nil {
		return nil, e
	}
	root.raw = resp.Body
	return root, nil
}

// httpError builds the error of a non-2xx answer: an *APIError with the vendor's code when its
// body carries one, else with the HTTP status text.
func (c *Client) httpError(svc Service, op string, status int, body []byte, unknown bool) error {
	if root, problem, _ := parseXML(body); problem == 0 {
		if e := c.vendorError(svc, op, status, root, body, unknown); e != nil {
			if ae, ok := e.(*APIError); ok {
				ae.outcomeUnknown = ae.outcomeUnknown || unknown
			}
			return e
		}
	}
	return &APIError{Op: op, HTTPStatus: status, Message: http.StatusText(status), Body: c.errBody(body),
		Service: svc, outcomeUnknown: unknown}
}

// resultItems are elements only a successful answer of the contract API carries. An error
// answer that holds one of them says two things at once.
var resultItems = []string{"regiNo", "reqNo", "resNo", "canceledYn", "chkResult", "resInfo"}

// vendorError recognises the error forms of the three services:
//   - <error><error_code>ERR-xxx</error_code><message>…</message></error> (contract API, biz
//     trace), also nested as <xsync><xsyncData><error_code>… (biz trace);
//   - data.go.kr's <cmmMsgHeader> with successYN=N / a returnCode other than 00, or a
//     gateway returnReasonCode (public trace).
//
// For a non-idempotent call, an error code next to a result (a waybill, a cancel outcome) is
// not a refusal: the outcome is unknown.
func (c *Client) vendorError(svc Service, op string, status int, root *node, body []byte, nonIdem bool) error {
	var code, msg string
	switch {
	case root.has("error_code"):
		code = root.find("error_code").text
		msg = root.value("message", "error_message", "errmsg")
		if code == "" && msg == "" {
			msg = "error"
		}
	case root.has("returnReasonCode"):
		code = root.value("returnReasonCode")
		msg = strings.TrimSpace(root.value("errMsg") + " " + root.value("returnAuthMsg"))
	case root.has("cmmMsgHeader"):
		h := root.find("cmmMsgHeader")
		rc, ok := h.value("returnCode"), h.value("successYN")
		if strings.EqualFold(ok, "N") || (rc != "" && rc != "00") {
			code, msg = rc, h.value("errMsg")
			if code == "" {
				code = "N"
			}
		}
	case root.name == "error":
		msg = root.text
		if msg == "" {
			msg = "error"
		}
	}
	if code == "" && msg == "" {
		return nil
	}
	code = c.tr.Redactor().Text(truncateRunes(strings.TrimSpace(code), 40))
	if svc == ServiceContract && nonIdem {
		for _, item := range resultItems {
			if root.has(item) {
				re := newResponseError(svc, op, status, ProblemConflict, code+" next to "+item, c.errBody(body), true)
				re.VendorCode = code
				return re
			}
		}
	}
	msg = c.tr.Redactor().Text(truncateRunes(msg, 400))
	parsed := ParseErrorCode(code)
	return &APIError{
		Op: op, HTTPStatus: status, VendorCode: code, Message: msg, Body: c.errBody(body),
		Service: svc, Parsed: parsed, Hint: hintFor(parsed, msg),
		notFound: isNotFound(svc, parsed.Raw, msg),
	}
}

// errBody is an answer as errors keep it: redacted (keys, phone numbers) first, then capped at
// 4 KiB on a character boundary.
func (c *Client) errBody(body []byte) []byte {
	if len(body) == 0 {
		return nil
	}
	if c.tr != nil {
		return wire.CapBody([]byte(c.tr.Redactor().Text(string(body))), maxErrorBody)
	}
	return wire.CapBody(body, maxErrorBody)
}

// isNotFound tells the codes that mean "no such record".
func isNotFound(svc Service, code, msg string) bool {
	switch svc {
	case ServiceContract:
		return strings.EqualFold(code, codeNotFound) || strings.EqualFold(code, "ERR-125")
	case ServiceBizTrace:
		return strings.EqualFold(code, "ERR-001")
	case ServicePublicTrace:
		// data.go.kr's NODATA_ERROR is 03 (inferred for this service); the message is the
		// safety net.
		return code == "03" || strings.Contains(msg, "없습니다") && !strings.Contains(msg, "키")
	}
	return false
}

// codeNotFound is the contract API's documented "no such booking" (신청정보가 존재하지 않습니다).
const codeNotFound = "ERR-225"

func truncateRunes(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos] + "…"
		}
		i++
	}
	return s
}
