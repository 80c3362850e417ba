package epost

import (
	"context"
	"errors"
	"time"
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
//
// Endpoint api.GetResInfo.jparcel (SHPAPI-R02-01), regData custNo, reqType, orderNo, reqYmd;
// answer a list of resInfo. Confirmed by the manual.
func (c *Client) GetResInfo(ctx context.Context, req GetResInfoRequest) ([]Reservation, error) {
	call := callGetResInfo.name
	custNo, err := c.custNo(call)
	if err != nil {
		return nil, err
	}
	ch := checker{call: call, rule: c.s.lengthRule}
	ch.oneOf("reqType", string(req.ReqType), true, "1", "2")
	ch.text("orderNo", req.OrderNo, 50, true)
	ch.date("reqYmd", req.ReqYmd, true)
	if err := ch.result(); err != nil {
		return nil, err
	}
	var items fieldList
	items.add("custNo", custNo)
	items.add("reqType", string(req.ReqType))
	items.add("orderNo", req.OrderNo)
	items.add("reqYmd", req.ReqYmd)
	root, err := c.contract(ctx, callGetResInfo, items, nil)
	if err != nil {
		return nil, err
	}
	var out []Reservation
	for _, e := range root.entries("resInfo", "reqNo") {
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
// GetResInfo for orderNo on reqYmd (both are in the *UnknownOrderError) and reports Booked
// with the booking's waybill and state, or not booked when Korea Post answers ERR-225. Other
// errors (including a new outcome-unknown) are returned as they are: try again later.
//
// Test orders (testYn=Y) are never stored, so they always reconcile as not booked.
func (c *Client) ReconcileOrder(ctx context.Context, orderNo, reqYmd string, opts ...ReconcileOption) (*Reconciliation, error) {
	req := GetResInfoRequest{ReqType: ReqNormal, OrderNo: orderNo, ReqYmd: reqYmd}
	for _, o := range opts {
		if o != nil {
			o(&req)
		}
	}
	list, err := c.GetResInfo(ctx, req)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return &Reconciliation{}, nil
		}
		return nil, err
	}
	rec := &Reconciliation{All: list}
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].Status != TreatCancelled {
			rec.Booked, rec.Reservation = true, list[i]
			return rec, nil
		}
	}
	if len(list) > 0 {
		rec.Reservation = list[len(list)-1]
	}
	return rec, nil
}
