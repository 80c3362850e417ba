package epost

import (
	"context"
	"errors"
	"net/http"
)

// GetCustNo finds the 10-digit customer number (custNo) of an 인터넷우체국 member ID.
//
// Endpoint api.GetCustNo.jparcel (COMAPI-R01-01), regData memberID; answer custNo. Confirmed by
// the manual. A wrong security key shows up as ERR-511 "memberID 값이 없습니다".
func (c *Client) GetCustNo(ctx context.Context, memberID string) (string, error) {
	op := callGetCustNo.op()
	if err := c.begin(ctx, op); err != nil {
		return "", err
	}
	var p problems
	v, _ := c.checkItem(&p, "memberID", "memberID", kindIdent, true, 0, 15, nil, memberID)
	if err := p.err(op); err != nil {
		return "", err
	}
	root, err := c.contract(ctx, callGetCustNo, fieldList{{"memberID", v}}, nil)
	if err != nil {
		return "", err
	}
	custNo := root.value("custNo")
	if !isDigits(custNo) || len(custNo) > 10 {
		return "", newResponseError(ServiceContract, callGetCustNo.name, http.StatusOK, ProblemMissingElement,
			"custNo of up to 10 digits", c.errBody(root.raw), false)
	}
	return custNo, nil
}

// GetApprNoRequest filters GetApprNo. The zero value asks for approved contracts, expired or
// not (the service's defaults).
type GetApprNoRequest struct {
	// Status is statusCd; "" leaves it to the service (approved only).
	Status ContractStatusFilter
	// Expired is expiredYn; "" leaves it to the service (both).
	Expired ExpiryFilter
}

// Contract is one contractInfo entry of GetApprNo.
type Contract struct {
	ApprNo     string // 계약 승인번호
	PayTypeCd  string // 10 즉납, 12 후납
	PayTypeNm  string // 요금 납부방법
	PostNm     string // 계약 우체국명
	StatusNm   string // 계약 상태명
	ExpiredYmd string // 계약 만료일 YYYYMMDD
	ClosedYmd  string // 계약 해지일 YYYYMMDD
	// Raw holds every item of the entry by lower-cased name, including ones this SDK does
	// not know yet.
	Raw map[string]string
}

// GetApprNo lists the contract approval numbers (apprNo) of Credentials.CustomerNo.
//
// Endpoint api.GetApprNo.jparcel (COMAPI-R01-02), regData custNo, statusCd, expiredYn; answer a
// list of contractInfo. Confirmed by the manual (element names; the list's wrapper is not).
func (c *Client) GetApprNo(ctx context.Context, req GetApprNoRequest) ([]Contract, error) {
	op := callGetApprNo.op()
	if err := c.begin(ctx, op); err != nil {
		return nil, err
	}
	var p problems
	items := fieldList{{"custNo", c.custNoItem(&p)}}
	more, _ := apprNoSpec.build(c, &req, &p)
	if err := p.err(op); err != nil {
		return nil, err
	}
	root, err := c.contract(ctx, callGetApprNo, append(items, more...), nil)
	if err != nil {
		return nil, err
	}
	var out []Contract
	for _, e := range root.entries("contractInfo", "apprNo") {
		out = append(out, Contract{
			ApprNo: e.value("apprNo"), PayTypeCd: e.value("payTypeCd"), PayTypeNm: e.value("payTypeNm"),
			PostNm: e.value("postNm"), StatusNm: e.value("statusNm"), ExpiredYmd: e.value("expiredYmd"),
			ClosedYmd: e.value("closedYmd"), Raw: e.leaves(),
		})
	}
	return out, nil
}

var apprNoSpec = spec[GetApprNoRequest]{
	items: []item[GetApprNoRequest]{
		{field: "Status", key: "statusCd", kind: kindEnum, enum: contractStatusFilters, get: func(r *GetApprNoRequest) string { return string(r.Status) }},
		{field: "Expired", key: "expiredYn", kind: kindEnum, enum: expiryFilters, get: func(r *GetApprNoRequest) string { return string(r.Expired) }},
	},
}

// StoppedZipRange is one stoppedZipCdInfo entry: a postal-code range where Korea Post does
// not accept parcels for a while (접수중지).
type StoppedZipRange struct {
	AreaNm   string            // 접수중지 지역
	StartZip string            // strtZipCd
	EndZip   string            // endZipCd; the service sends null for a single code, filled here with StartZip
	StartYmd string            // applyStrtYmd, YYYYMMDD; may lie in the future (announced stops)
	EndYmd   string            // applyEndYmd, YYYYMMDD
	Reason   string            // stopReason
	Raw      map[string]string // every item by lower-cased name
}

// Contains reports whether zip (5 digits) lies in the range.
func (r StoppedZipRange) Contains(zip string) bool {
	return len(zip) == 5 && zip >= r.StartZip && zip <= r.EndZip
}

// ActiveOn reports whether the stop applies on day (YYYYMMDD): the manual advises using only
// the entries whose start and end dates enclose the day of the call.
func (r StoppedZipRange) ActiveOn(day string) bool {
	if r.StartYmd != "" && day < r.StartYmd {
		return false
	}
	return r.EndYmd == "" || day <= r.EndYmd
}

// GetStoppedZipCd lists the postal codes where parcels are not accepted (접수중지), all of
// them when zipCd is "", or the ranges holding zipCd. "None" (ERR-125) is an empty list, not an
// error.
//
// Endpoint api.GetStoppedZipCd.jparcel (COMAPI-R02-01), not encrypted: key and zipCd in the
// clear; answer a list of stoppedZipCdInfo. Confirmed by the manual.
func (c *Client) GetStoppedZipCd(ctx context.Context, zipCd string) ([]StoppedZipRange, error) {
	op := callGetStoppedZipCd.op()
	if err := c.begin(ctx, op); err != nil {
		return nil, err
	}
	var p problems
	var items fieldList
	if v, ok := c.checkItem(&p, "zipCd", "zipCd", kindDigits, false, 5, 5, nil, zipCd); ok && v != "" {
		items.add("zipCd", v)
	}
	if err := p.err(op); err != nil {
		return nil, err
	}
	root, err := c.contract(ctx, callGetStoppedZipCd, items, nil)
	if err != nil {
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.VendorCode == "ERR-125" {
			return []StoppedZipRange{}, nil
		}
		return nil, err
	}
	out := []StoppedZipRange{}
	for _, e := range root.entries("stoppedZipCdInfo", "strtZipCd") {
		r := StoppedZipRange{
			AreaNm: e.value("areaNm"), StartZip: e.value("strtZipCd"), EndZip: e.value("endZipCd"),
			StartYmd: e.value("applyStrtYmd"), EndYmd: e.value("applyEndYmd"), Reason: e.value("stopReason"),
			Raw: e.leaves(),
		}
		if r.EndZip == "" {
			r.EndZip = r.StartZip
		}
		out = append(out, r)
	}
	return out, nil
}
