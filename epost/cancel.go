package epost

import (
	"context"
	"time"
)

// GetResCancelCmdRequest cancels one booking. ReqNo, ResNo and RegiNo come from the Booking or
// the Reservation.
type GetResCancelCmdRequest struct {
	ApprNo  string  // apprNo: "" = Credentials.ApprovalNo
	ReqType ReqType // reqType, required
	ReqNo   string  // reqNo, 18 digits, required
	ResNo   string  // resNo, 16 digits, required
	RegiNo  string  // regiNo, 13 digits, required
	ReqYmd  string  // reqYmd, YYYYMMDD, optional
	// Delete sends delYn=Y (cancel and delete: GetResInfo no longer lists the booking);
	// false sends delYn=N (cancel only).
	Delete bool
}

// CancelRequest builds the GetResCancelCmdRequest for this booking.
func (b *Booking) CancelRequest(deleteToo bool) GetResCancelCmdRequest {
	return GetResCancelCmdRequest{ReqType: b.ReqType, ReqNo: b.ReqNo, ResNo: b.ResNo, RegiNo: b.RegiNo, ReqYmd: b.ReqYmd, Delete: deleteToo}
}

// CancelResult is GetResCancelCmd's answer.
type CancelResult struct {
	ReqNo        string    // 소포 주문번호 (reqno in working callers' casing)
	ResNo        string    // 소포 예약번호
	CancelRegiNo string    // the waybill that was cancelled
	CancelDate   time.Time // 취소 일시, KST (the manual's example has 14 digits)
	// Outcome is canceledYn: CancelDone, CancelDeleted, or CancelRefused (returned as a
	// *CancelRefusedError).
	Outcome CancelOutcome
	// RegiNo is the booking's new waybill number: cancelling changes it, and the cancelled one
	// is never used again.
	RegiNo          string
	NotCancelReason string            // 미취소 사유
	Raw             map[string]string // every item by lower-cased name
}

// GetResCancelCmd cancels a booking (소포신청 취소). Korea Post allows it for a normal parcel up
// to 운송장출력 (not after 집하완료) and for a return up to 소포신청 (not after 운송장출력); a
// refusal (canceledYn=N) is returned as a *CancelRefusedError carrying the answer. The call is
// not idempotent: it is never retried once the request may have reached Korea Post, and an
// error wrapping ErrOutcomeUnknown is reconciled with GetResInfo (treatStusCd 05).
//
// Endpoint api.GetResCancelCmd.jparcel (SHPAPI-U02-01), regData custNo, apprNo, reqType,
// reqNo, resNo, regiNo, reqYmd, delYn. Confirmed by the manual; answer element names are read
// in any letter case because working callers read canceledyn, cancelregino, notcancelReason,
// reqno and resno.
func (c *Client) GetResCancelCmd(ctx context.Context, req GetResCancelCmdRequest) (*CancelResult, error) {
	call := callGetResCancelCmd.name
	custNo, err := c.custNo(call)
	if err != nil {
		return nil, err
	}
	apprNo := firstNonEmpty(req.ApprNo, c.creds.ApprovalNo)
	if req.RegiNo == TestWaybill {
		return nil, &ValidationError{Call: call, Field: "regiNo", Reason: "test orders cannot be cancelled (nothing was booked)", Err: ErrTestWaybill}
	}
	ch := checker{call: call, rule: c.s.lengthRule}
	ch.digits("apprNo", apprNo, 1, 10, true)
	ch.oneOf("reqType", string(req.ReqType), true, "1", "2")
	ch.digits("reqNo", req.ReqNo, 18, 18, true)
	ch.digits("resNo", req.ResNo, 16, 16, true)
	ch.digits("regiNo", req.RegiNo, 13, 13, true)
	ch.date("reqYmd", req.ReqYmd, false)
	if err := ch.result(); err != nil {
		return nil, err
	}
	var items fieldList
	items.add("custNo", custNo)
	items.add("apprNo", apprNo)
	items.add("reqType", string(req.ReqType))
	items.add("reqNo", req.ReqNo)
	items.add("resNo", req.ResNo)
	items.add("regiNo", req.RegiNo)
	items.opt("reqYmd", req.ReqYmd)
	items.add("delYn", string(YesNoOf(req.Delete)))
	root, err := c.contract(ctx, callGetResCancelCmd, items, nil)
	if err != nil {
		return nil, err
	}
	res := &CancelResult{
		ReqNo: root.value("reqNo"), ResNo: root.value("resNo"), CancelRegiNo: root.value("cancelRegiNo"),
		CancelDate: parseCompact(root.value("cancelDate")), Outcome: CancelOutcome(root.value("canceledYn")),
		RegiNo: root.value("regiNo"), NotCancelReason: root.value("notCancelReason"), Raw: root.leaves(),
	}
	switch res.Outcome {
	case CancelDone, CancelDeleted:
		return res, nil
	case CancelRefused:
		return nil, &CancelRefusedError{Result: res}
	}
	return nil, &ResponseError{Service: ServiceContract, Call: call, StatusCode: 200, Problem: ProblemMissingElement,
		Detail: "canceledYn is missing or not Y/N/D", outcomeUnknown: true}
}
