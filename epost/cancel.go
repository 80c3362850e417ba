package epost

import (
	"context"
	"net/http"
	"time"

	"github.com/kshop-dev/kshop"
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
	op := callGetResCancelCmd.op()
	if err := c.begin(ctx, op); err != nil {
		return nil, err
	}
	req.ApprNo = firstNonEmpty(req.ApprNo, c.creds.ApprovalNo)
	var p problems
	items := fieldList{{"custNo", c.custNoItem(&p)}}
	more, _ := cancelSpec.build(c, &req, &p)
	if err := p.err(op); err != nil {
		return nil, err
	}
	root, err := c.contract(ctx, callGetResCancelCmd, append(items, more...), nil)
	if err != nil {
		return nil, err
	}
	res := &CancelResult{
		ReqNo: root.value("reqNo"), ResNo: root.value("resNo"), CancelRegiNo: root.value("cancelRegiNo"),
		CancelDate: parseCompact(root.value("cancelDate")), Outcome: CancelOutcome(root.value("canceledYn")),
		RegiNo: root.value("regiNo"), NotCancelReason: root.value("notCancelReason"), Raw: root.leaves(),
	}
	if outcomes := root.findAll("canceledYn"); len(outcomes) > 1 {
		return nil, newResponseError(ServiceContract, callGetResCancelCmd.name, http.StatusOK, ProblemUnexpectedValue,
			"more than one canceledYn", c.errBody(root.raw), true)
	}
	switch res.Outcome {
	case CancelDone, CancelDeleted:
		return res, nil
	case CancelRefused:
		return nil, &CancelRefusedError{Result: res}
	}
	return nil, newResponseError(ServiceContract, callGetResCancelCmd.name, http.StatusOK, ProblemMissingElement,
		"canceledYn is missing or not Y/N/D", c.errBody(root.raw), true)
}

// cancelSpec is GetResCancelCmd's item table (custNo comes first, from the credentials).
var cancelSpec = spec[GetResCancelCmdRequest]{
	items: []item[GetResCancelCmdRequest]{
		{field: "ApprNo", key: "apprNo", kind: kindDigits, required: true, min: 1, max: 10, get: func(r *GetResCancelCmdRequest) string { return r.ApprNo }},
		{field: "ReqType", key: "reqType", kind: kindEnum, required: true, enum: reqTypes, get: func(r *GetResCancelCmdRequest) string { return string(r.ReqType) }},
		{field: "ReqNo", key: "reqNo", kind: kindDigits, required: true, min: 18, max: 18, get: func(r *GetResCancelCmdRequest) string { return r.ReqNo }},
		{field: "ResNo", key: "resNo", kind: kindDigits, required: true, min: 16, max: 16, get: func(r *GetResCancelCmdRequest) string { return r.ResNo }},
		{field: "RegiNo", key: "regiNo", kind: kindDigits, required: true, min: 13, max: 13, get: func(r *GetResCancelCmdRequest) string { return r.RegiNo }},
		{field: "ReqYmd", key: "reqYmd", kind: kindDate, get: func(r *GetResCancelCmdRequest) string { return r.ReqYmd }},
		{field: "Delete", key: "delYn", kind: kindEnum, enum: yesNos, get: func(r *GetResCancelCmdRequest) string { return string(YesNoOf(r.Delete)) }},
	},
	cross: func(r *GetResCancelCmdRequest, p *problems) {
		if r.RegiNo == TestWaybill {
			// The RegiNo row reported it as not digits; say why instead.
			for i, fe := range p.list {
				if fe.Field == "RegiNo" {
					p.list[i] = &kshop.FieldError{Field: "RegiNo", Key: "regiNo", Rule: kshop.RuleNotAllowed,
						Detail: "test orders cannot be cancelled (nothing was booked)", Err: ErrTestWaybill}
				}
			}
		}
	},
}
