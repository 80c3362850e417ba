package epost

import (
	"context"
	"net/url"
	"strings"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/transport"
	"github.com/kshop-dev/kshop/internal/wire"
)

// Paths of the trace services.
const (
	publicTracePath = "/trace/retrieveLongitudinalService/retrieveLongitudinalService/getLongitudinalDomesticList"
	bizTracePath    = "/KpostPortal/openapi"
)

// NormalizeWaybill checks a waybill (운송장/등기번호) for tracking: spaces and hyphens are
// dropped, and 13 digits must remain. TESTREGINOAPI, the waybill of test orders, is refused
// with ErrTestWaybill: it never reaches a post office.
//
// Problems come back as a *kshop.ValidationError (Op "epost.NormalizeWaybill").
func NormalizeWaybill(s string) (string, error) {
	w, fe := normalizeWaybill(s)
	if fe != nil {
		return "", kshop.NewValidationError("epost.NormalizeWaybill", []*kshop.FieldError{fe})
	}
	return w, nil
}

// maxWaybillInput bounds what normalizeWaybill reads: a waybill with generous separators.
const maxWaybillInput = 40

func normalizeWaybill(s string) (string, *kshop.FieldError) {
	if len(s) > maxWaybillInput {
		return "", &kshop.FieldError{Field: "waybill", Rule: kshop.RuleTooLong, Limit: maxWaybillInput, Got: len(s), Detail: "a waybill is 13 digits"}
	}
	w := strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	switch {
	case strings.EqualFold(w, TestWaybill):
		return "", &kshop.FieldError{Field: "waybill", Rule: kshop.RuleNotAllowed, Detail: "TESTREGINOAPI belongs to a test order and cannot be tracked", Err: ErrTestWaybill}
	case w == "":
		return "", &kshop.FieldError{Field: "waybill", Rule: kshop.RuleRequired}
	case hasControl(w):
		return "", &kshop.FieldError{Field: "waybill", Rule: kshop.RuleControlChars, Detail: "a waybill is 13 digits"}
	case !isDigits(w) || len(w) != 13:
		return "", &kshop.FieldError{Field: "waybill", Rule: kshop.RuleFormat, Detail: "a waybill is 13 digits"}
	}
	return w, nil
}

// waybillFor checks ctx and a waybill for the call op.
func waybillFor(ctx context.Context, op, waybill string) (string, error) {
	if err := wire.CheckContext(ctx, op); err != nil {
		return "", err
	}
	w, fe := normalizeWaybill(waybill)
	if fe != nil {
		return "", kshop.NewValidationError(op, []*kshop.FieldError{fe})
	}
	return w, nil
}

// Track returns a parcel's trace from the contract-customer service when WithBizTraceKey is
// set, else from the public data.go.kr service when WithTraceServiceKey is set, else
// ErrNoTraceService.
func (c *Client) Track(ctx context.Context, waybill string) (*Trace, error) {
	if err := wire.CheckContext(ctx, "epost.Track"); err != nil {
		return nil, err
	}
	return c.track(ctx, waybill, "")
}

func (c *Client) track(ctx context.Context, waybill string, src TraceSource) (*Trace, error) {
	switch src {
	case "", TracePublic, TraceBiz:
	default:
		return nil, kshop.NewValidationError("epost.TrackMany", []*kshop.FieldError{{Field: "opts.Source", Rule: kshop.RuleNotAllowed,
			Detail: "must be TracePublic, TraceBiz or empty"}})
	}
	if src == "" {
		switch {
		case c.s.bizTraceKey != "":
			src = TraceBiz
		case c.s.traceServiceKey != "":
			src = TracePublic
		default:
			return nil, ErrNoTraceService
		}
	}
	if src == TraceBiz {
		return c.TrackBiz(ctx, waybill)
	}
	return c.TrackPublic(ctx, waybill)
}

// TrackPublic asks data.go.kr's 국내우편물 종적 조회 service (http only). "No such parcel"
// (no scan yet, or a wrong number) is an *APIError matching ErrNotFound.
//
// Endpoint GET http://openapi.epost.go.kr/trace/retrieveLongitudinalService/
// retrieveLongitudinalService/getLongitudinalDomesticList?ServiceKey=…&rgist=…; answer
// LongitudinalDomesticListResponse. Confirmed by a working client and its sample XML; the
// not-found returnCode (03) is inferred.
func (c *Client) TrackPublic(ctx context.Context, waybill string) (*Trace, error) {
	const call = "TrackPublic"
	w, err := waybillFor(ctx, "epost."+call, waybill)
	if err != nil {
		return nil, err
	}
	if c.s.traceServiceKey == "" {
		return nil, kshop.NewValidationError("epost."+call, []*kshop.FieldError{{Field: "WithTraceServiceKey", Key: "ServiceKey",
			Rule: kshop.RuleRequired, Detail: "no data.go.kr service key configured"}})
	}
	req := &transport.Request{
		Class: transport.Idempotent, Method: "GET", BaseURL: c.s.publicTraceURL, Path: publicTracePath,
		Query:  url.Values{"ServiceKey": {c.s.traceServiceKey}, "rgist": {w}},
		Header: defaultHeaders(),
	}
	resp, err := c.tr.Do(ctx, req)
	root, err := c.answer(ServicePublicTrace, call, transport.Idempotent, resp, err)
	if err != nil {
		return nil, err
	}
	return decodePublicTrace(root, w), nil
}

// TrackBiz asks the contract-customer trace service (http only), with showRec=Y unless
// WithBizTraceShowReceipt(false). ERR-001 (조회결과 없음) is an *APIError matching ErrNotFound.
//
// Endpoint GET http://biz.epost.go.kr/KpostPortal/openapi?regkey=…&target=trace&query=…;
// answer <trace> with <itemlist><item>. Confirmed by several working callers; the date and
// time formats of sortingdate/eventhms are inferred (several layouts are read).
func (c *Client) TrackBiz(ctx context.Context, waybill string) (*Trace, error) {
	const call = "TrackBiz"
	w, err := waybillFor(ctx, "epost."+call, waybill)
	if err != nil {
		return nil, err
	}
	if c.s.bizTraceKey == "" {
		return nil, kshop.NewValidationError("epost."+call, []*kshop.FieldError{{Field: "WithBizTraceKey", Key: "regkey",
			Rule: kshop.RuleRequired, Detail: "no regkey configured"}})
	}
	q := url.Values{"regkey": {c.s.bizTraceKey}, "target": {"trace"}, "query": {w}}
	if c.s.bizShowRec {
		q.Set("showRec", "Y")
	}
	req := &transport.Request{
		Class: transport.Idempotent, Method: "GET", BaseURL: c.s.bizTraceURL, Path: bizTracePath,
		Query: q, Header: defaultHeaders(),
	}
	resp, err := c.tr.Do(ctx, req)
	root, err := c.answer(ServiceBizTrace, call, transport.Idempotent, resp, err)
	if err != nil {
		return nil, err
	}
	return decodeBizTrace(root, w), nil
}
