package epost

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"unicode"

	"github.com/kshop-dev/kshop/internal/transport"
)

// Credentials are what Korea Post's 오픈API신청결과 page shows, plus the contract's numbers.
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
		redactedKey(cr.APIKey), redactedKey(cr.SecurityKey), cr.CustomerNo, cr.ApprovalNo)
}

// GoString is String, for %#v.
func (cr Credentials) GoString() string { return cr.String() }

// LogValue keeps the keys out of slog output.
func (cr Credentials) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("api_key", redactedKey(cr.APIKey)), slog.String("security_key", redactedKey(cr.SecurityKey)),
		slog.String("customer_no", cr.CustomerNo), slog.String("approval_no", cr.ApprovalNo))
}

func redactedKey(k string) string {
	if k == "" {
		return `""`
	}
	return fmt.Sprintf("REDACTED(%d chars)", len(k))
}

// Client calls Korea Post's contract-parcel OpenAPI and its two delivery-trace services. It is
// safe for concurrent use. NewClient makes no network call.
type Client struct {
	creds    Credentials
	s        settings
	tr       *transport.Client
	codec    *regDataCodec // nil when the client only tracks
	orderSeq atomic.Uint64
}

// NewClient checks the credentials and options and builds a client. It needs APIKey and
// SecurityKey for the contract API, or at least one tracking key (WithTraceServiceKey,
// WithBizTraceKey) for a tracking-only client.
func NewClient(creds Credentials, opts ...Option) (*Client, error) {
	s := defaultSettings()
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&s); err != nil {
			return nil, err
		}
	}
	c := &Client{creds: creds, s: s}
	if err := c.checkCredentials(); err != nil {
		return nil, err
	}
	allow := append(append([]string(nil), httpOnlyHosts...), s.allowHTTP...)
	for _, b := range [...]struct{ option, url string }{
		{"WithBaseURL", s.baseURL}, {"WithPublicTraceBaseURL", s.publicTraceURL}, {"WithBizTraceBaseURL", s.bizTraceURL},
	} {
		if _, err := transport.CheckBaseURL(b.url, allow); err != nil {
			return nil, &ValidationError{Field: b.option, Reason: "must be https (plain http only for the tracking hosts, loopback, or WithAllowHTTPHost)", Err: err}
		}
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
	return c, nil
}

// String describes the client without its keys.
func (c *Client) String() string {
	return fmt.Sprintf("epost.Client{base: %s, credentials: %s}", c.s.baseURL, c.creds)
}

func (c *Client) checkCredentials() error {
	cr := c.creds
	if cr.APIKey == "" && cr.SecurityKey == "" {
		if c.s.traceServiceKey == "" && c.s.bizTraceKey == "" {
			return invalid("", "Credentials", "need APIKey and SecurityKey, or a tracking key (WithTraceServiceKey, WithBizTraceKey)")
		}
	} else {
		if cr.APIKey == "" {
			return invalid("", "APIKey", "required together with SecurityKey")
		}
		if strings.IndexFunc(cr.APIKey, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
			return invalid("", "APIKey", "must not contain spaces or control characters")
		}
		codec, err := newRegDataCodec(cr.SecurityKey)
		if err != nil {
			return err
		}
		c.codec = codec
	}
	ch := checker{call: ""}
	ch.digits("CustomerNo", cr.CustomerNo, 1, 10, false)
	ch.digits("ApprovalNo", cr.ApprovalNo, 1, 10, false)
	return ch.result()
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
	name      string // message name without "api." and ".jparcel"
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

// needContract returns an error when the client was built for tracking only.
func (c *Client) needContract(call string) error {
	if c.codec == nil || c.creds.APIKey == "" {
		return invalid(call, "Credentials", "APIKey and SecurityKey are required for contract API calls")
	}
	return nil
}

func (c *Client) custNo(call string) (string, error) {
	if err := c.needContract(call); err != nil {
		return "", err
	}
	if c.creds.CustomerNo == "" {
		return "", invalid(call, "custNo", "Credentials.CustomerNo is required (GetCustNo finds it)")
	}
	return c.creds.CustomerNo, nil
}

// contract sends one contract API call: key (and option) in the clear, the items encrypted as
// regData (or in the clear for GetStoppedZipCd), as a form POST by default. It returns the
// answer's XML tree, or an error: *ValidationError before I/O, *APIError, *ResponseError or a
// transport error after.
func (c *Client) contract(ctx context.Context, call apiCall, items fieldList, extra url.Values) (*node, error) {
	if err := c.needContract(call.name); err != nil {
		return nil, err
	}
	params := url.Values{}
	params.Set("key", c.creds.APIKey)
	if call.encrypted {
		plain, err := items.plaintext(call.name, c.s.sanitize)
		if err != nil {
			return nil, err
		}
		regData, err := c.codec.encrypt(plain)
		if err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) {
				ve.Call = call.name
			}
			return nil, err
		}
		params.Set("regData", regData)
	} else {
		for _, f := range items {
			params.Set(f.name, f.value)
		}
	}
	for k, vs := range extra {
		params[k] = vs
	}
	req := &transport.Request{Class: call.class, Method: c.s.method, Path: call.path(), Header: defaultHeaders()}
	if c.s.method == http.MethodPost {
		req.Body = []byte(params.Encode())
		req.ContentType = "application/x-www-form-urlencoded; charset=UTF-8"
	} else {
		req.Query = params
	}
	resp, err := c.tr.Do(ctx, req)
	return c.answer(ServiceContract, call.name, call.class, resp, err)
}

// defaultHeaders are the manual's recommended headers (Host and User-Agent are set by the
// transport): without them the firewall may block high-volume callers.
func defaultHeaders() http.Header {
	return http.Header{
		"Connection": {"keep-alive"},
		"Accept":     {"application/xml, text/xml;q=0.9, */*;q=0.1"},
	}
}

// answer turns the transport's result into an XML tree or one of the package's errors.
func (c *Client) answer(svc Service, call string, class transport.Class, resp *transport.Response, err error) (*node, error) {
	if err != nil {
		var terr *transport.Error
		if errors.As(err, &terr) && terr.Status != 0 {
			// An HTTP answer ended the call, e.g. a 5xx on InsertOrder: decode what it says,
			// and keep the transport error (and with it ErrOutcomeUnknown) reachable.
			apiErr := c.httpError(svc, call, class, terr.Status, terr.Body)
			apiErr.outcomeUnknown = terr.OutcomeUnknown()
			apiErr.cause = terr
			return nil, apiErr
		}
		return nil, fmt.Errorf("epost: %s: %w", call, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, c.httpError(svc, call, class, resp.StatusCode, resp.Body)
	}
	root, problem, detail := parseXML(resp.Body)
	if problem != 0 {
		return nil, &ResponseError{Service: svc, Call: call, StatusCode: resp.StatusCode, Problem: problem,
			Detail: detail, Body: capBody(resp.Body), outcomeUnknown: class == transport.NonIdempotent}
	}
	if apiErr := c.vendorError(svc, call, class, resp.StatusCode, root, resp.Body); apiErr != nil {
		return nil, apiErr
	}
	return root, nil
}

// httpError builds the APIError of a non-2xx answer, with the vendor's code when its body
// carries one.
func (c *Client) httpError(svc Service, call string, class transport.Class, status int, body []byte) *APIError {
	if root, problem, _ := parseXML(body); problem == 0 {
		if apiErr := c.vendorError(svc, call, class, status, root, body); apiErr != nil {
			return apiErr
		}
	}
	return &APIError{Service: svc, Call: call, StatusCode: status, Message: http.StatusText(status),
		Body: capBody(body), idempotent: class == transport.Idempotent}
}

// vendorError recognises the error forms of the three services:
//   - <error><error_code>ERR-xxx</error_code><message>…</message></error> (contract API, biz
//     trace), also nested as <xsync><xsyncData><error_code>… (biz trace);
//   - data.go.kr's <cmmMsgHeader> with successYN=N / a returnCode other than 00, or a
//     gateway returnReasonCode (public trace).
func (c *Client) vendorError(svc Service, call string, class transport.Class, status int, root *node, body []byte) *APIError {
	var code, msg string
	switch {
	case root.has("error_code"):
		ec := root.find("error_code")
		code = ec.text
		msg = root.value("message", "error_message", "errmsg")
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
	msg = c.tr.Redactor().Text(truncateRunes(msg, 400))
	parsed := ParseErrorCode(code)
	return &APIError{
		Service: svc, Call: call, StatusCode: status,
		ErrorCode: strings.TrimSpace(code), Parsed: parsed, Message: msg,
		Hint: hintFor(parsed, msg), Body: capBody(body),
		idempotent: class == transport.Idempotent,
		notFound:   isNotFound(svc, parsed.Raw, msg),
	}
}

// isNotFound tells the codes that mean "no such record".
func isNotFound(svc Service, code, msg string) bool {
	switch svc {
	case ServiceContract:
		return strings.EqualFold(code, "ERR-225") || strings.EqualFold(code, "ERR-125")
	case ServiceBizTrace:
		return strings.EqualFold(code, "ERR-001")
	case ServicePublicTrace:
		// data.go.kr's NODATA_ERROR is 03 (inferred for this service); the message is the
		// safety net.
		return code == "03" || strings.Contains(msg, "없습니다") && !strings.Contains(msg, "키")
	}
	return false
}

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
