package epost

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

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
// request was sent) the error is an *UnknownOrderError wrapping ErrOutcomeUnknown; call
// ReconcileOrder with its OrderNo and ReqYmd before booking again.
//
// All items are validated before any I/O (required items, lengths under the LengthRule,
// digits-only phones normalized with the Korean phone rules, 5-digit zips, YYYYMMDD dates,
// enums, return-only items).
//
// Endpoint api.InsertOrder.jparcel (SHPAPI-C02-01): key and option in the clear, the 42 items
// as regData. Confirmed by the manual; answer element names confirmed by the manual and
// working callers (regiPoNm/regipoNm both read).
func (c *Client) InsertOrder(ctx context.Context, req InsertOrderRequest) (*Booking, error) {
	items, orderNo, err := c.orderItems(req)
	if err != nil {
		return nil, err
	}
	var extra url.Values
	if req.Option != "" {
		extra = url.Values{"option": {string(req.Option)}}
	}
	reqYmd := FormatDate(c.s.now())
	root, err := c.contract(ctx, callInsertOrder, items, extra)
	if err != nil {
		if errors.Is(err, ErrOutcomeUnknown) {
			return nil, &UnknownOrderError{OrderNo: orderNo, ReqType: req.ReqType, ReqYmd: reqYmd, Err: err}
		}
		return nil, err
	}
	b := bookingFrom(root)
	b.ReqType, b.ReqYmd = req.ReqType, reqYmd
	if b.OrderNo == "" {
		b.OrderNo = orderNo
	}
	switch {
	case b.RegiNo == "":
		err = &ResponseError{Service: ServiceContract, Call: callInsertOrder.name, StatusCode: 200,
			Problem: ProblemMissingElement, Detail: "regiNo", outcomeUnknown: true}
	case b.RegiNo != TestWaybill && !isDigits(b.RegiNo), b.RegiNo != TestWaybill && len(b.RegiNo) != 13:
		err = &ResponseError{Service: ServiceContract, Call: callInsertOrder.name, StatusCode: 200,
			Problem: ProblemUnexpectedValue, Detail: "regiNo is not 13 digits", outcomeUnknown: true}
	}
	if err != nil {
		return nil, &UnknownOrderError{OrderNo: orderNo, ReqType: req.ReqType, ReqYmd: reqYmd, Err: err}
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

// orderItems validates req and builds its regData items in the manual's order.
func (c *Client) orderItems(req InsertOrderRequest) (fieldList, string, error) {
	call := callInsertOrder.name
	if err := c.needContract(call); err != nil {
		return nil, "", err
	}
	ch := checker{call: call, rule: c.s.lengthRule}
	custNo := firstNonEmpty(req.CustNo, c.creds.CustomerNo)
	apprNo := firstNonEmpty(req.ApprNo, c.creds.ApprovalNo)
	orderNo := req.OrderNo
	if orderNo == "" {
		orderNo = c.newOrderNo()
	}
	isReturn := req.ReqType == ReqReturn

	ch.oneOf("option", string(req.Option), false, "000", "001")
	ch.digits("custNo", custNo, 1, 10, true)
	ch.digits("apprNo", apprNo, 1, 10, true)
	ch.oneOf("payType", string(req.PayType), true, "1", "2")
	ch.oneOf("reqType", string(req.ReqType), true, "1", "2")
	ch.alnum("officeSer", req.OfficeSer, 20, true)
	if req.Weight < 0 || req.Weight > 30 {
		ch.fail("weight", "must be 1 to 30 kg (0 leaves the service's default of 2)")
	}
	if req.Volume < 0 || req.Volume > 160 {
		ch.fail("volume", "must be 1 to 160 cm (0 leaves the service's default of 60)")
	}
	ch.yesNo("microYn", req.MicroYn, true)
	ch.oneOf("packngMtrCd", string(req.PackngMtrCd), false, "01", "03", "05", "09")
	ch.text("orderNo", orderNo, 50, true)
	ch.yesNo("ddayDelivReq", req.DdayDelivReq, false)
	ch.yesNo("insuYn", req.InsuYn, false)
	switch {
	case req.InsuYn == Yes && req.InsuAmt == 0:
		ch.fail("insuAmt", "required when insuYn is Y")
	case req.InsuYn == Yes && (req.InsuAmt < 100000 || req.InsuAmt > 3000000):
		ch.fail("insuAmt", "must be 100,000 to 3,000,000 won")
	case req.InsuYn == Yes && req.InsuAmt%10 != 0:
		ch.fail("insuAmt", "must not use 1-won units (a multiple of 10)")
	case req.InsuYn != Yes && req.InsuAmt != 0:
		ch.fail("insuAmt", "only allowed with insuYn=Y")
	}
	ch.text("ordCompNm", req.OrdCompNm, 100, true)
	if req.InqTelCn != nil {
		ch.text("inqTelCn", *req.InqTelCn, 100, false)
	}
	ch.text("ordNm", req.OrdNm, 40, false)
	ch.zip("ordZip", req.OrdZip, false)
	ch.text("ordAddr1", req.OrdAddr1, 60, false)
	ch.text("ordAddr2", req.OrdAddr2, 100, false)
	ordTel := ch.phoneDigits("ordTel", req.OrdTel, 12)
	ordMob := ch.phoneDigits("ordMob", req.OrdMob, 12)
	ch.text("recNm", req.RecNm, 40, true)
	ch.zip("recZip", req.RecZip, true)
	ch.text("recAddr1", req.RecAddr1, 150, true)
	ch.text("recAddr2", req.RecAddr2, 300, true)
	if strings.TrimSpace(req.RecTel) == "" && strings.TrimSpace(req.RecMob) == "" {
		ch.fail("recTel", "recTel or recMob is required")
	}
	recTel := ch.phoneDigits("recTel", req.RecTel, 12)
	recMob := ch.phoneDigits("recMob", req.RecMob, 12)
	ch.oneOf("contCd", string(req.ContCd), true, "021", "022", "023", "024", "025", "026", "027", "028", "029")
	ch.text("goodsNm", req.GoodsNm, 400, true)
	ch.text("goodsCd", req.GoodsCd, 400, false)
	ch.text("goodsMdl", req.GoodsMdl, 400, false)
	ch.text("goodsSize", req.GoodsSize, 30, false)
	ch.text("goodsColor", req.GoodsColor, 40, false)
	if req.Qty < 0 || req.Qty > 99999 {
		ch.fail("qty", "must be 1 to 99999")
	}
	ch.text("delivMsg", req.DelivMsg, 200, false)
	ch.oneOf("smsOrdCd", string(req.SmsOrdCd), false, "1", "2")
	ch.text("retReason", req.RetReason, 40, false)
	ch.date("retVisitYmd", req.RetVisitYmd, false)
	ch.digits("retOrigRegiNo", req.RetOrigRegiNo, 13, 13, false)
	if !isReturn {
		for _, f := range []struct{ name, v string }{
			{"retReason", req.RetReason}, {"retVisitYmd", req.RetVisitYmd}, {"retOrigRegiNo", req.RetOrigRegiNo},
		} {
			if f.v != "" {
				ch.fail(f.name, "only for return parcels (reqType 2)")
			}
		}
	}
	ch.yesNo("printYn", req.PrintYn, false)
	ch.yesNo("printAreaCdYn", req.PrintAreaCdYn, false)
	ch.yesNo("testYn", req.TestYn, false)
	if err := ch.result(); err != nil {
		return nil, "", err
	}

	var items fieldList
	items.add("custNo", custNo)
	items.add("apprNo", apprNo)
	items.add("payType", string(req.PayType))
	items.add("reqType", string(req.ReqType))
	items.add("officeSer", req.OfficeSer)
	items.opt("weight", itoaPositive(req.Weight))
	items.opt("volume", itoaPositive(req.Volume))
	items.add("microYn", string(req.MicroYn))
	items.opt("packngMtrCd", string(req.PackngMtrCd))
	items.add("orderNo", orderNo)
	items.opt("ddayDelivReq", string(req.DdayDelivReq))
	items.opt("insuYn", string(req.InsuYn))
	items.opt("insuAmt", itoaPositive(req.InsuAmt))
	items.add("ordCompNm", req.OrdCompNm)
	if req.InqTelCn != nil {
		items.add("inqTelCn", *req.InqTelCn) // present even when empty: stores null
	}
	items.opt("ordNm", req.OrdNm)
	items.opt("ordZip", req.OrdZip)
	items.opt("ordAddr1", req.OrdAddr1)
	items.opt("ordAddr2", req.OrdAddr2)
	items.opt("ordTel", ordTel)
	items.opt("ordMob", ordMob)
	items.add("recNm", req.RecNm)
	items.add("recZip", req.RecZip)
	items.add("recAddr1", req.RecAddr1)
	items.add("recAddr2", req.RecAddr2)
	items.opt("recTel", recTel)
	items.opt("recMob", recMob)
	items.add("contCd", string(req.ContCd))
	items.add("goodsNm", req.GoodsNm)
	items.opt("goodsCd", req.GoodsCd)
	items.opt("goodsMdl", req.GoodsMdl)
	items.opt("goodsSize", req.GoodsSize)
	items.opt("goodsColor", req.GoodsColor)
	items.opt("qty", itoaPositive(req.Qty))
	items.opt("delivMsg", req.DelivMsg)
	items.opt("smsOrdCd", string(req.SmsOrdCd))
	items.opt("retReason", req.RetReason)
	items.opt("retVisitYmd", req.RetVisitYmd)
	items.opt("retOrigRegiNo", req.RetOrigRegiNo)
	items.opt("printYn", string(req.PrintYn))
	items.opt("printAreaCdYn", string(req.PrintAreaCdYn))
	items.opt("testYn", string(req.TestYn))
	return items, orderNo, nil
}

func itoaPositive(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// newOrderNo makes an order number that is unique across processes: KST time, a random part
// and a per-client sequence, well under the 50-character limit.
func (c *Client) newOrderNo() string {
	var r [4]byte
	_, _ = rand.Read(r[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	seq := c.orderSeq.Add(1)
	return fmt.Sprintf("ks%s-%s-%d", wire.FormatKST(c.s.now(), wire.LayoutCompact), hex.EncodeToString(r[:]), seq)
}
