package epost

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kshop-dev/kshop"
	"github.com/kshop-dev/kshop/internal/wire"
)

// InsertOrderRequest is one 소포신청 (pickup reservation plus waybill issue): the 42 regData
// items of the manual, in its order, plus the URL-level option. String items left "" and
// numbers left 0 are not sent, so the service applies its defaults.
type InsertOrderRequest struct {
	// Option is the URL-level option item (not encrypted): extra answer items.
	Option OutputOption

	CustNo      string    // 1 custNo: "" = Credentials.CustomerNo
	ApprNo      string    // 2 apprNo: "" = Credentials.ApprovalNo
	PayType     PayType   // 3 payType, required: PayPrepaid or PayCollect
	ReqType     ReqType   // 4 reqType, required: ReqNormal or ReqReturn
	OfficeSer   string    // 5 officeSer, required: the 공급지 (sender, or return destination)
	Weight      int       // 6 weight, kg 1–30 (service default 2)
	Volume      int       // 7 volume, cm 1–160, width+length+height (service default 60)
	MicroYn     YesNo     // 8 microYn, required: 초소형 (micro-discount contracts only)
	PackngMtrCd Packaging // 9 packngMtrCd (service default 01 paper box)
	// OrderNo (10 orderNo, ≤ 50) is the shop's order number, the key ReconcileOrder looks
	// bookings up by. Left "", the client generates a unique one and returns it.
	OrderNo string
	// DdayDelivReq (11 ddayDelivReq) is kept for completeness: 당일특급 ended on 2023-04-01.
	DdayDelivReq YesNo
	InsuYn       YesNo // 12 insuYn: 안심소포 (insured parcel)
	// InsuAmt (13 insuAmt) is the insured value in won: 100,000 to 3,000,000, without 1-won
	// units (a multiple of 10). Required when InsuYn is Yes, refused otherwise.
	InsuAmt   int
	OrdCompNm string // 14 ordCompNm, required, ≤ 100: 주문처명 (the shop's name)
	// InqTelCn (15 inqTelCn, ≤ 100) is the 문의처 printed for the recipient. nil leaves the
	// item out (the account's default is used); a pointer to "" sends it empty, which stores
	// null.
	InqTelCn *string
	OrdNm    string // 16 ordNm, ≤ 40: 주문자
	OrdZip   string // 17 ordZip, 5 digits
	OrdAddr1 string // 18 ordAddr1, ≤ 60
	OrdAddr2 string // 19 ordAddr2, ≤ 100
	OrdTel   string // 20 ordTel: phone, sent as ≤ 12 digits
	OrdMob   string // 21 ordMob: phone, sent as ≤ 12 digits
	RecNm    string // 22 recNm, required, ≤ 40: 수취인 (반품인 for returns)
	RecZip   string // 23 recZip, required, 5 digits
	RecAddr1 string // 24 recAddr1, required, ≤ 150
	RecAddr2 string // 25 recAddr2, required, ≤ 300: the detail address
	// RecTel and RecMob (26 recTel, 27 recMob) are phones sent as ≤ 12 digits; at least one is
	// required. Any common writing is accepted ("010-1234-5678", "+82 10 …").
	RecTel      string      // 26 recTel
	RecMob      string      // 27 recMob
	ContCd      ContentCode // 28 contCd, required
	GoodsNm     string      // 29 goodsNm, required, ≤ 400
	GoodsCd     string      // 30 goodsCd, ≤ 400
	GoodsMdl    string      // 31 goodsMdl, ≤ 400
	GoodsSize   string      // 32 goodsSize, ≤ 30
	GoodsColor  string      // 33 goodsColor, ≤ 40
	Qty         int         // 34 qty, 1–99999
	DelivMsg    string      // 35 delivMsg, ≤ 200: 배송(반품) 메시지
	SmsOrdCd    SMSSender   // 36 smsOrdCd
	RetReason   string      // 37 retReason, ≤ 40: returns only
	RetVisitYmd string      // 38 retVisitYmd, YYYYMMDD: returns only (service default tomorrow)
	// RetOrigRegiNo (39 retOrigRegiNo) is the original parcel's 13-digit waybill: returns only.
	RetOrigRegiNo string
	// PrintYn (40 printYn): Yes (the service's default) when the shop prints the waybill
	// itself, which puts the order straight into 운송장출력 (02); No leaves it at 소포신청
	// (01). Ignored for returns.
	PrintYn       YesNo
	PrintAreaCdYn YesNo // 41 printAreaCdYn: adds refineZip, refineAddr, printAreaCd to the answer
	// TestYn (42 testYn): Yes makes a test order; the answer's regiNo is TESTREGINOAPI and
	// nothing reaches a post office.
	TestYn YesNo
}

// TestWaybill is the regiNo of every testYn=Y order.
const TestWaybill = "TESTREGINOAPI"

// Booking is InsertOrder's answer.
type Booking struct {
	ReqNo   string // 소포 주문번호 (18 digits, per item)
	ResNo   string // 소포 예약번호 (16 digits, per day); null after a cancel
	RegiNo  string // 운송장번호 (13 digits), or TestWaybill
	OrderNo string // the orderNo sent
	// ReqType is the request's reqType, and ReqYmd the KST date (YYYYMMDD) the request was
	// sent on: GetResInfo and ReconcileOrder look bookings up by them.
	ReqType      ReqType
	ReqYmd       string    // the KST date of the request, YYYYMMDD
	RegiPoNm     string    // 접수 우체국명 (regipoNm in the manual)
	ResDate      time.Time // 예약 일시, KST; zero when absent
	Price        int64     // (예상)접수요금 in won, 안심 fee included
	VTelNo       string    // 안심번호 (virtual phone), may be empty
	ArrCnpoNm    string    // 도착 집중국명
	DelivPoNm    string    // 배달 우체국명
	DelivAreaCd  string    // 집배코드, e.g. 광15290506
	CourseNo     string    // 구분코스 번호
	InsuFee      int64     // 안심소포 수수료
	IslandAddFee int64     // 도서행 부가이용료
	RefineZip    string    // 정제 우편번호 (printAreaCdYn=Y)
	RefineAddr   string    // 정제 도로명주소 (printAreaCdYn=Y)
	PrintAreaCd  string    // 인쇄용 집배코드 (printAreaCdYn=Y)
	NotifyMsg    string    // option 001
	NoticeCont   string    // option 000/001
	// Test is true for a testYn=Y order (RegiNo is TestWaybill and nothing was booked).
	Test bool
	// Raw holds every item of the answer by lower-cased name.
	Raw map[string]string
}

// InsertOrder books a parcel (소포신청): a pickup reservation and a waybill number. It is not
// idempotent and is never retried once the request may have reached Korea Post. When the
// outcome is unknown (a timeout, a dropped connection, a 5xx or an unreadable answer after the
// request was sent, whether or not ctx ended meanwhile) the error is an *UnknownOrderError
// wrapping ErrOutcomeUnknown; pass it to ReconcileUnknown before booking again.
//
// All items are validated before any I/O, and every problem is reported at once in a
// *kshop.ValidationError (Op "epost.InsertOrder"; Field the Go field, Key the manual's item
// name): required items, lengths under the LengthRule, digits-only phones normalized with the
// Korean phone rules, 5-digit zips, YYYYMMDD dates, enums, return-only items, and characters
// regData cannot carry.
//
// Endpoint api.InsertOrder.jparcel (SHPAPI-C02-01): key and option in the clear, the 42 items
// as regData. Confirmed by the manual; answer element names confirmed by the manual and
// working callers (regiPoNm/regipoNm both read).
func (c *Client) InsertOrder(ctx context.Context, req InsertOrderRequest) (*Booking, error) {
	if err := c.begin(ctx, callInsertOrder.op()); err != nil {
		return nil, err
	}
	req.CustNo = firstNonEmpty(req.CustNo, c.creds.CustomerNo)
	req.ApprNo = firstNonEmpty(req.ApprNo, c.creds.ApprovalNo)
	if req.OrderNo == "" {
		req.OrderNo = c.newOrderNo()
	}
	var p problems
	items, params := orderSpec.build(c, &req, &p)
	if err := p.err(callInsertOrder.op()); err != nil {
		return nil, err
	}
	start := c.s.now()
	root, err := c.contract(ctx, callInsertOrder, items, params)
	if err == nil {
		var b *Booking
		if b, err = decodeBooking(root, req.TestYn == Yes, c.errBody); err == nil {
			b.ReqType, b.ReqYmd = req.ReqType, FormatDate(start)
			if b.OrderNo == "" {
				b.OrderNo = req.OrderNo
			}
			return b, nil
		}
	}
	if errors.Is(err, ErrOutcomeUnknown) {
		return nil, &UnknownOrderError{OrderNo: req.OrderNo, ReqType: req.ReqType, ReqYmd: FormatDate(start),
			ReqYmds: bookingDates(start, c.s.now()), Err: err}
	}
	return nil, err
}

// dateSkew is how far Korea Post's clock may be from ours when it dates a booking: a call
// within this distance of midnight may be registered on the neighbouring day.
const dateSkew = 5 * time.Minute

// bookingDates lists the KST dates a booking sent between start and end may carry, the date
// of start first.
func bookingDates(start, end time.Time) []string {
	out := []string{FormatDate(start)}
	for _, t := range []time.Time{start.Add(-dateSkew), end, end.Add(dateSkew)} {
		d := FormatDate(t)
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// decodeBooking reads InsertOrder's answer. Anything that does not prove one booking (no
// waybill, one that is not 13 digits, two different ones, the test waybill for a real order)
// is a *ResponseError wrapping ErrOutcomeUnknown: the request did reach Korea Post.
func decodeBooking(root *node, test bool, body func([]byte) []byte) (*Booking, error) {
	b := bookingFrom(root)
	fail := func(p ResponseProblem, detail string) (*Booking, error) {
		return nil, newResponseError(ServiceContract, callInsertOrder.name, http.StatusOK, p, detail, body(root.raw), true)
	}
	differ := false
	for _, n := range root.findAll("regiNo") {
		differ = differ || n.text != b.RegiNo
	}
	switch {
	case b.RegiNo == "":
		return fail(ProblemMissingElement, "regiNo")
	case differ:
		return fail(ProblemUnexpectedValue, "two different regiNo values")
	case b.RegiNo == TestWaybill && !test:
		return fail(ProblemUnexpectedValue, "the test waybill for an order not sent as a test")
	case b.RegiNo != TestWaybill && (!isDigits(b.RegiNo) || len(b.RegiNo) != 13):
		return fail(ProblemUnexpectedValue, "regiNo is not 13 digits")
	}
	b.Test = b.RegiNo == TestWaybill
	return b, nil
}

func bookingFrom(root *node) *Booking {
	b := &Booking{
		ReqNo: root.value("reqNo"), ResNo: root.value("resNo"), RegiNo: root.value("regiNo"),
		OrderNo: root.value("orderNo"), RegiPoNm: root.value("regiPoNm"),
		VTelNo: root.value("vTelNo"), ArrCnpoNm: root.value("arrCnpoNm"), DelivPoNm: root.value("delivPoNm"),
		DelivAreaCd: root.value("delivAreaCd"), CourseNo: root.value("courseNo"),
		RefineZip: root.value("refineZip"), RefineAddr: root.value("refineAddr"), PrintAreaCd: root.value("printAreaCd"),
		NotifyMsg: root.value("notifyMsg"), NoticeCont: root.value("noticeCont"),
		Price: parseWon(root.value("price")), InsuFee: parseWon(root.value("insuFee")),
		IslandAddFee: parseWon(root.value("islandAddFee")),
		Raw:          root.leaves(),
	}
	b.ResDate = parseCompact(root.value("resDate"))
	return b
}

// parseWon reads an amount such as "3300" or "3,300"; anything else is 0 (the raw text stays
// in Raw).
func parseWon(s string) int64 {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// parseCompact reads yyyyMMddHHmmss (or yyyyMMdd) in KST; anything else is the zero time.
func parseCompact(s string) time.Time {
	var layout string
	switch len(s) {
	case 14:
		layout = wire.LayoutCompact
	case 8:
		layout = wire.LayoutDate
	default:
		return time.Time{}
	}
	t, err := wire.ParseKST(layout, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// orderSpec is InsertOrder's item table, in the manual's order: it checks every item and
// writes the regData.
var orderSpec = spec[InsertOrderRequest]{
	items: []item[InsertOrderRequest]{
		{field: "Option", key: "option", kind: kindEnum, enum: outputOptions, param: true, get: func(r *InsertOrderRequest) string { return string(r.Option) }},
		{field: "CustNo", key: "custNo", kind: kindDigits, required: true, min: 1, max: 10, get: func(r *InsertOrderRequest) string { return r.CustNo }},
		{field: "ApprNo", key: "apprNo", kind: kindDigits, required: true, min: 1, max: 10, get: func(r *InsertOrderRequest) string { return r.ApprNo }},
		{field: "PayType", key: "payType", kind: kindEnum, required: true, enum: payTypes, get: func(r *InsertOrderRequest) string { return string(r.PayType) }},
		{field: "ReqType", key: "reqType", kind: kindEnum, required: true, enum: reqTypes, get: func(r *InsertOrderRequest) string { return string(r.ReqType) }},
		{field: "OfficeSer", key: "officeSer", kind: kindAlnum, required: true, max: 20, get: func(r *InsertOrderRequest) string { return r.OfficeSer }},
		{field: "Weight", key: "weight", kind: kindInt, min: 1, max: 30, get: func(r *InsertOrderRequest) string { return itoaNonZero(r.Weight) }},
		{field: "Volume", key: "volume", kind: kindInt, min: 1, max: 160, get: func(r *InsertOrderRequest) string { return itoaNonZero(r.Volume) }},
		{field: "MicroYn", key: "microYn", kind: kindEnum, required: true, enum: yesNos, get: func(r *InsertOrderRequest) string { return string(r.MicroYn) }},
		{field: "PackngMtrCd", key: "packngMtrCd", kind: kindEnum, enum: packagings, get: func(r *InsertOrderRequest) string { return string(r.PackngMtrCd) }},
		{field: "OrderNo", key: "orderNo", kind: kindIdent, required: true, max: 50, get: func(r *InsertOrderRequest) string { return r.OrderNo }},
		{field: "DdayDelivReq", key: "ddayDelivReq", kind: kindEnum, enum: yesNos, get: func(r *InsertOrderRequest) string { return string(r.DdayDelivReq) }},
		{field: "InsuYn", key: "insuYn", kind: kindEnum, enum: yesNos, get: func(r *InsertOrderRequest) string { return string(r.InsuYn) }},
		{field: "InsuAmt", key: "insuAmt", kind: kindInt, min: 100000, max: 3000000, get: func(r *InsertOrderRequest) string { return itoaNonZero(r.InsuAmt) }},
		{field: "OrdCompNm", key: "ordCompNm", kind: kindText, required: true, max: 100, get: func(r *InsertOrderRequest) string { return r.OrdCompNm }},
		{field: "InqTelCn", key: "inqTelCn", kind: kindText, max: 100,
			get:  func(r *InsertOrderRequest) string { return deref(r.InqTelCn) },
			keep: func(r *InsertOrderRequest) bool { return r.InqTelCn != nil }},
		{field: "OrdNm", key: "ordNm", kind: kindText, max: 40, get: func(r *InsertOrderRequest) string { return r.OrdNm }},
		{field: "OrdZip", key: "ordZip", kind: kindDigits, min: 5, max: 5, get: func(r *InsertOrderRequest) string { return r.OrdZip }},
		{field: "OrdAddr1", key: "ordAddr1", kind: kindText, max: 60, get: func(r *InsertOrderRequest) string { return r.OrdAddr1 }},
		{field: "OrdAddr2", key: "ordAddr2", kind: kindText, max: 100, get: func(r *InsertOrderRequest) string { return r.OrdAddr2 }},
		{field: "OrdTel", key: "ordTel", kind: kindPhone, max: 12, get: func(r *InsertOrderRequest) string { return r.OrdTel }},
		{field: "OrdMob", key: "ordMob", kind: kindPhone, max: 12, get: func(r *InsertOrderRequest) string { return r.OrdMob }},
		{field: "RecNm", key: "recNm", kind: kindText, required: true, max: 40, get: func(r *InsertOrderRequest) string { return r.RecNm }},
		{field: "RecZip", key: "recZip", kind: kindDigits, required: true, min: 5, max: 5, get: func(r *InsertOrderRequest) string { return r.RecZip }},
		{field: "RecAddr1", key: "recAddr1", kind: kindText, required: true, max: 150, get: func(r *InsertOrderRequest) string { return r.RecAddr1 }},
		{field: "RecAddr2", key: "recAddr2", kind: kindText, required: true, max: 300, get: func(r *InsertOrderRequest) string { return r.RecAddr2 }},
		{field: "RecTel", key: "recTel", kind: kindPhone, max: 12, get: func(r *InsertOrderRequest) string { return r.RecTel }},
		{field: "RecMob", key: "recMob", kind: kindPhone, max: 12, get: func(r *InsertOrderRequest) string { return r.RecMob }},
		{field: "ContCd", key: "contCd", kind: kindEnum, required: true, enum: contentCodes, get: func(r *InsertOrderRequest) string { return string(r.ContCd) }},
		{field: "GoodsNm", key: "goodsNm", kind: kindText, required: true, max: 400, get: func(r *InsertOrderRequest) string { return r.GoodsNm }},
		{field: "GoodsCd", key: "goodsCd", kind: kindText, max: 400, get: func(r *InsertOrderRequest) string { return r.GoodsCd }},
		{field: "GoodsMdl", key: "goodsMdl", kind: kindText, max: 400, get: func(r *InsertOrderRequest) string { return r.GoodsMdl }},
		{field: "GoodsSize", key: "goodsSize", kind: kindText, max: 30, get: func(r *InsertOrderRequest) string { return r.GoodsSize }},
		{field: "GoodsColor", key: "goodsColor", kind: kindText, max: 40, get: func(r *InsertOrderRequest) string { return r.GoodsColor }},
		{field: "Qty", key: "qty", kind: kindInt, min: 1, max: 99999, get: func(r *InsertOrderRequest) string { return itoaNonZero(r.Qty) }},
		{field: "DelivMsg", key: "delivMsg", kind: kindText, max: 200, get: func(r *InsertOrderRequest) string { return r.DelivMsg }},
		{field: "SmsOrdCd", key: "smsOrdCd", kind: kindEnum, enum: smsSenders, get: func(r *InsertOrderRequest) string { return string(r.SmsOrdCd) }},
		{field: "RetReason", key: "retReason", kind: kindText, max: 40, get: func(r *InsertOrderRequest) string { return r.RetReason }},
		{field: "RetVisitYmd", key: "retVisitYmd", kind: kindDate, get: func(r *InsertOrderRequest) string { return r.RetVisitYmd }},
		{field: "RetOrigRegiNo", key: "retOrigRegiNo", kind: kindDigits, min: 13, max: 13, get: func(r *InsertOrderRequest) string { return r.RetOrigRegiNo }},
		{field: "PrintYn", key: "printYn", kind: kindEnum, enum: yesNos, get: func(r *InsertOrderRequest) string { return string(r.PrintYn) }},
		{field: "PrintAreaCdYn", key: "printAreaCdYn", kind: kindEnum, enum: yesNos, get: func(r *InsertOrderRequest) string { return string(r.PrintAreaCdYn) }},
		{field: "TestYn", key: "testYn", kind: kindEnum, enum: yesNos, get: func(r *InsertOrderRequest) string { return string(r.TestYn) }},
	},
	cross: func(r *InsertOrderRequest, p *problems) {
		switch {
		case r.InsuYn == Yes && r.InsuAmt == 0:
			p.add(&kshop.FieldError{Field: "InsuAmt", Key: "insuAmt", Rule: kshop.RuleRequired, Detail: "when InsuYn is Yes"})
		case r.InsuYn == Yes && r.InsuAmt%10 != 0:
			p.add(&kshop.FieldError{Field: "InsuAmt", Key: "insuAmt", Rule: kshop.RuleFormat, Detail: "no 1-won units (a multiple of 10)"})
		case r.InsuYn != Yes && r.InsuAmt != 0:
			p.add(&kshop.FieldError{Field: "InsuAmt", Key: "insuAmt", Rule: kshop.RuleConflict, Detail: "only with InsuYn Yes"})
		}
		if strings.TrimSpace(r.RecTel) == "" && strings.TrimSpace(r.RecMob) == "" {
			p.add(&kshop.FieldError{Field: "RecTel", Key: "recTel", Rule: kshop.RuleRequired, Detail: "RecTel or RecMob is required"})
		}
		if r.ReqType != ReqReturn {
			for _, f := range [...]struct{ field, key, v string }{
				{"RetReason", "retReason", r.RetReason}, {"RetVisitYmd", "retVisitYmd", r.RetVisitYmd}, {"RetOrigRegiNo", "retOrigRegiNo", r.RetOrigRegiNo},
			} {
				if f.v != "" {
					p.add(&kshop.FieldError{Field: f.field, Key: f.key, Rule: kshop.RuleConflict, Detail: "only for return parcels (ReqType ReqReturn)"})
				}
			}
		}
	},
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// newOrderNo makes an order number that is unique across processes: KST time, a random part
// and a per-client sequence, well under the 50-character limit.
func (c *Client) newOrderNo() string {
	var r [4]byte
	_, _ = rand.Read(r[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	seq := c.orderSeq.Add(1)
	return fmt.Sprintf("ks%s-%s-%d", wire.FormatKST(c.s.now(), wire.LayoutCompact), hex.EncodeToString(r[:]), seq)
}
