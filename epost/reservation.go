package epost

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/wire"
)

// GetResInfoRequest identifies the bookings of one order on one day. All items are required.
type GetResInfoRequest struct {
	ReqType ReqType // reqType
	OrderNo string  // orderNo
	ReqYmd  string  // reqYmd: the KST date (YYYYMMDD) of the InsertOrder call
}

// Reservation is one resInfo entry of GetResInfo.
type Reservation struct {
	ReqNo    string    // 소포 주문번호
	ResNo    string    // 소포 예약번호; empty after a cancel
	RegiNo   string    // 운송장번호 (the new one after a cancel)
	RegiPoNm string    // 접수 우체국명
	ResDate  time.Time // 예약 일시, KST; zero after a cancel
	Price    int64     // (예상)접수요금
	VTelNo   string    // 안심번호; empty after a cancel
	// Status is treatStusCd decoded; StatusCode keeps the code as sent ("01"), also for
	// codes the manual does not name (Status is then TreatUnknown).
	Status     TreatStatus
	StatusCode string            // treatStusCd as sent
	Raw        map[string]string // every item by lower-cased name
}

// GetResInfo lists the bookings of an order (소포신청 확인). "No booking" is an *APIError
// ERR-225 matching ErrNotFound; a booking cancelled with delete (delYn=Y) is no longer listed.
// An answer without any resInfo entry is not the documented "none": it is a *ResponseError.
//
// Endpoint api.GetResInfo.jparcel (SHPAPI-R02-01), regData custNo, reqType, orderNo, reqYmd;
// answer a list of resInfo. Confirmed by the manual.
func (c *Client) GetResInfo(ctx context.Context, req GetResInfoRequest) ([]Reservation, error) {
	return c.getResInfo(ctx, callGetResInfo.op(), req)
}

var resInfoSpec = spec[GetResInfoRequest]{
	items: []item[GetResInfoRequest]{
		{field: "ReqType", key: "reqType", kind: kindEnum, required: true, enum: reqTypes, get: func(r *GetResInfoRequest) string { return string(r.ReqType) }},
		{field: "OrderNo", key: "orderNo", kind: kindIdent, required: true, max: 50, get: func(r *GetResInfoRequest) string { return r.OrderNo }},
		{field: "ReqYmd", key: "reqYmd", kind: kindDate, required: true, get: func(r *GetResInfoRequest) string { return r.ReqYmd }},
	},
}

// getResInfo is GetResInfo with the caller's name on validation errors.
func (c *Client) getResInfo(ctx context.Context, op string, req GetResInfoRequest) ([]Reservation, error) {
	if err := c.begin(ctx, op); err != nil {
		return nil, err
	}
	var p problems
	items := fieldList{{"custNo", c.custNoItem(&p)}}
	more, _ := resInfoSpec.build(c, &req, &p)
	if err := p.err(op); err != nil {
		return nil, err
	}
	items = append(items, more...)
	root, err := c.contract(ctx, callGetResInfo, items, nil)
	if err != nil {
		return nil, err
	}
	return c.decodeResInfo(root)
}

// decodeResInfo reads GetResInfo's answer: at least one resInfo entry, each naming a booking.
func (c *Client) decodeResInfo(root *node) ([]Reservation, error) {
	entries := root.entries("resInfo", "reqNo")
	if len(entries) == 0 {
		return nil, newResponseError(ServiceContract, callGetResInfo.name, http.StatusOK, ProblemMissingElement,
			"no resInfo entry and no ERR-225", c.errBody(root.raw), false)
	}
	out := make([]Reservation, 0, len(entries))
	for _, e := range entries {
		if e.value("reqNo") == "" && e.value("regiNo") == "" {
			return nil, newResponseError(ServiceContract, callGetResInfo.name, http.StatusOK, ProblemMissingElement,
				"a resInfo entry without reqNo and regiNo", c.errBody(root.raw), false)
		}
		code := e.value("treatStusCd")
		out = append(out, Reservation{
			ReqNo: e.value("reqNo"), ResNo: e.value("resNo"), RegiNo: e.value("regiNo"),
			RegiPoNm: e.value("regiPoNm"), ResDate: parseCompact(e.value("resDate")),
			Price: parseWon(e.value("price")), VTelNo: e.value("vTelNo"),
			Status: ParseTreatStatus(code), StatusCode: code, Raw: e.leaves(),
		})
	}
	return out, nil
}

// Reconciliation is what ReconcileOrder found.
type Reconciliation struct {
	// Booked is true when a booking of the order exists and is not cancelled.
	Booked bool
	// Reservation is the booking that counts: the last one not cancelled when Booked, else
	// the last one listed (cancelled), else the zero value.
	Reservation Reservation
	// All lists every booking GetResInfo returned for the order and day, in its order. More
	// than one non-cancelled entry means the order was booked twice.
	All []Reservation
}

// ReconcileOption adjusts ReconcileOrder.
type ReconcileOption func(*GetResInfoRequest)

// ReconcileReqType looks for bookings of the given reqType (default ReqNormal).
func ReconcileReqType(t ReqType) ReconcileOption {
	return func(r *GetResInfoRequest) { r.ReqType = t }
}

// ReconcileOrder finds out whether an InsertOrder whose outcome is unknown was booked: it asks
// GetResInfo for orderNo on reqYmd and reports Booked with the booking's waybill and state, or
// not booked when (and only when) Korea Post answers its documented "no such booking",
// ERR-225. Any other answer (an empty list, an unknown shape, a gateway's page, another error
// code, a timeout) is an error wrapping ErrOutcomeUnknown next to its cause: the booking may
// still exist, so do not book again; ask later. Bad arguments are a *kshop.ValidationError.
//
// After an *UnknownOrderError, ReconcileUnknown does the same in one call, on every date the
// booking may carry.
//
// Test orders (testYn=Y) are never stored, so they always reconcile as not booked.
func (c *Client) ReconcileOrder(ctx context.Context, orderNo, reqYmd string, opts ...ReconcileOption) (*Reconciliation, error) {
	req := GetResInfoRequest{ReqType: ReqNormal, OrderNo: orderNo, ReqYmd: reqYmd}
	for _, o := range opts {
		if o != nil {
			o(&req)
		}
	}
	return c.reconcile(ctx, "epost.ReconcileOrder", req.ReqType, orderNo, []string{req.ReqYmd})
}

// ReconcileUnknown is ReconcileOrder for an *UnknownOrderError from InsertOrder: it looks the
// order up with the error's OrderNo and ReqType on each of its ReqYmds (the day the call was
// sent, and the neighbouring day when the call was sent close to midnight), and reports Booked
// when any of them holds a booking that is not cancelled. It reports not booked only when
// every day answers ERR-225.
func (c *Client) ReconcileUnknown(ctx context.Context, unknown *UnknownOrderError) (*Reconciliation, error) {
	const op = "epost.ReconcileUnknown"
	if err := wire.CheckContext(ctx, op); err != nil {
		return nil, err
	}
	if unknown == nil {
		return nil, kshop.NewValidationError(op, []*kshop.FieldError{{Field: "unknown", Rule: kshop.RuleRequired}})
	}
	days := unknown.ReqYmds
	if len(days) == 0 {
		days = []string{unknown.ReqYmd}
	}
	reqType := unknown.ReqType
	if reqType == "" {
		reqType = ReqNormal
	}
	return c.reconcile(ctx, op, reqType, unknown.OrderNo, days)
}

// documentedNotFound reports Korea Post's documented "no such booking": ERR-225 from the
// contract API. Nothing else (an empty list, another code, an unreadable answer) may mean it.
func documentedNotFound(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.Service == ServiceContract && strings.EqualFold(apiErr.VendorCode, codeNotFound)
}

func (c *Client) reconcile(ctx context.Context, op string, reqType ReqType, orderNo string, days []string) (*Reconciliation, error) {
	rec := &Reconciliation{}
	for _, day := range days {
		list, err := c.getResInfo(ctx, op, GetResInfoRequest{ReqType: reqType, OrderNo: orderNo, ReqYmd: day})
		if err != nil {
			if errors.Is(err, ErrInvalid) {
				return nil, err
			}
			if documentedNotFound(err) {
				continue // the documented "no such booking" on this day
			}
			return nil, fmt.Errorf("epost: %s: whether orderNo %q was booked on %s is still unknown: %w: %w",
				strings.TrimPrefix(op, "epost."), orderNo, day, ErrOutcomeUnknown, err)
		}
		rec.All = append(rec.All, list...)
	}
	for i := len(rec.All) - 1; i >= 0; i-- {
		if rec.All[i].Status != TreatCancelled {
			rec.Booked, rec.Reservation = true, rec.All[i]
			return rec, nil
		}
	}
	if len(rec.All) > 0 {
		rec.Reservation = rec.All[len(rec.All)-1]
	}
	return rec, nil
}
