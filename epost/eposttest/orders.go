package eposttest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kshop-dev/kshop/epost"
)

var kst = time.FixedZone("KST", 9*60*60)

func (s *Server) now() time.Time { return s.opts.Now().In(kst) }

// validateOrder applies the service's InsertOrder checks, with the manual's codes where it
// names them.
func (s *Server) validateOrder(it items) *apiErr {
	if e := s.checkCustomer(it, &apiErr{"ERR-223", "계약소포를 사용하는 고객번호(custNo)가 아닙니다. 해당 고객번호 아이디로 로그인 후 계약소포 시스템 설정을 하신 후에 이용 가능합니다."}); e != nil {
		return e
	}
	for _, phoneItem := range []string{"recTel", "recMob"} {
		if v := it.get(phoneItem); v != "" && (!digits(v) || len(v) > 12) {
			label := "전화번호"
			if phoneItem == "recMob" {
				label = "휴대폰번호"
			}
			return &apiErr{"ERR-323", fmt.Sprintf("데이터오류-수취인(반품인) %s(%s)가 유효하지 않습니다.", label, phoneItem)}
		}
	}
	// Integer items are checked before lengths: "2.5" is a type error (ERR-122), not a length one.
	for _, num := range []struct {
		name, label string
		lo, hi      int
	}{{"weight", "무게", 1, 30}, {"volume", "부피", 1, 160}} {
		_, isInt, inRange := intIn(it.get(num.name), num.lo, num.hi)
		if !isInt {
			return &apiErr{"ERR-122", fmt.Sprintf("데이터오류-%s(%s)는 숫자(정수)로만 입력가능합니다.", num.label, num.name)}
		}
		if !inRange {
			return badValue("ERR-123", num.label, num.name)
		}
	}
	if e := s.lengths(it, orderRules, "recTel", "recMob"); e != nil {
		return e
	}
	if e := checkReqType(it); e != nil {
		return e
	}
	office := it.get("officeSer")
	if office == "" {
		return missing("ERR-211", "공급지코드", "officeSer")
	}
	s.mu.Lock()
	_, known := s.offices[office]
	s.mu.Unlock()
	if !known {
		return &apiErr{"ERR-225", "공급지코드(officeSer)가 존재하지 않습니다."}
	}
	if it.get("apprNo") != s.opts.ApprovalNo {
		return &apiErr{"ERR-123", "승인번호(apprNo)가 일치하지 않습니다."}
	}
	switch pt := it.get("payType"); {
	case pt == "":
		return missing("ERR-211", "요금납부구분", "payType")
	case pt != "1" && pt != "2":
		return badValue("ERR-223", "요금납부구분", "payType")
	}
	switch m := it.get("microYn"); {
	case m == "":
		return missing("ERR-111", "초소형 소포 여부", "microYn")
	case m != "Y" && m != "N":
		return badValue("ERR-123", "초소형 소포 여부", "microYn")
	}
	if p := it.get("packngMtrCd"); p != "" && p != "01" && p != "03" && p != "05" && p != "09" {
		return badValue("ERR-123", "포장재 코드", "packngMtrCd")
	}
	if it.get("orderNo") == "" {
		return missing("ERR-511", "주문번호", "orderNo")
	}
	if it.get("insuYn") == "Y" {
		amt, isInt, inRange := intIn(it.get("insuAmt"), 100000, 3000000)
		if it.get("insuAmt") == "" || !isInt || !inRange || amt%10 != 0 {
			return badValue("ERR-123", "안심소포 보험가액", "insuAmt")
		}
	}
	if strings.TrimSpace(it.get("ordCompNm")) == "" {
		return missing("ERR-511", "주문처명", "ordCompNm")
	}
	if strings.TrimSpace(it.get("recNm")) == "" {
		return missing("ERR-311", "수취인명", "recNm")
	}
	if z := it.get("recZip"); z == "" {
		return missing("ERR-311", "수취인(반품인) 우편번호", "recZip")
	} else if len(z) != 5 || !digits(z) {
		return badValue("ERR-323", "수취인(반품인) 우편번호", "recZip")
	}
	if strings.TrimSpace(it.get("recAddr1")) == "" {
		return missing("ERR-311", "수취인(반품인) 주소", "recAddr1")
	}
	if strings.TrimSpace(it.get("recAddr2")) == "" {
		return missing("ERR-311", "수취인(반품인) 상세주소", "recAddr2")
	}
	if it.get("recTel") == "" && it.get("recMob") == "" {
		return &apiErr{"ERR-311", "필수항목누락-수취인(반품인) 전화번호(recTel), 이동통신(recMob) 값이 없습니다."}
	}
	switch c := it.get("contCd"); {
	case c == "":
		return missing("ERR-511", "주요 내용품코드", "contCd")
	case len(c) != 3 || c < "021" || c > "029":
		return badValue("ERR-123", "주요 내용품코드", "contCd")
	}
	if strings.TrimSpace(it.get("goodsNm")) == "" {
		return missing("ERR-511", "상품명", "goodsNm")
	}
	return nil
}

func (s *Server) insertOrder(w http.ResponseWriter, it items, option string) *apiErr {
	if e := s.validateOrder(it); e != nil {
		return e
	}
	now := s.now()
	ymd := now.Format("20060102")
	reqType := epost.ReqType(it.get("reqType"))
	payType := epost.PayType(it.get("payType"))
	price := int64(3300)
	var insuFee int64
	if it.get("insuYn") == "Y" {
		amt, _ := strconv.Atoi(it.get("insuAmt"))
		insuFee = 1000
		if amt > 500000 {
			insuFee += int64((amt-500000+99999)/100000) * 500
		}
		price += insuFee
	}

	s.mu.Lock()
	reqNo := fmt.Sprintf("%s%010d", ymd, s.nextSeq())
	resNo := fmt.Sprintf("%s%08d", ymd, s.nextSeq())
	regiNo, vTelNo := epost.TestWaybill, ""
	test := it.get("testYn") == "Y"
	if !test {
		regiNo = s.issueWaybill(payType)
		vTelNo = fmt.Sprintf("0505%07d", s.nextSeq()%10000000)
		status := epost.TreatPrinted
		if reqType == epost.ReqReturn || it.get("printYn") == "N" {
			status = epost.TreatBooked
		}
		o := &order{
			Order: Order{
				ReqNo: reqNo, ResNo: resNo, RegiNo: regiNo, OrderNo: it.get("orderNo"), ReqType: reqType,
				PayType: payType, ReqYmd: ymd, ResDate: now, Status: status, Price: price, Items: it.values,
			},
			resNoVisible: true, vTelNo: vTelNo, regiPoNm: "나주우체국",
		}
		s.orders = append(s.orders, o)
		s.byRegiNo[regiNo] = o
		tr := s.traceFor(regiNo)
		tr.recipient = maskName(it.get("recNm"))
		tr.sender = maskName(it.get("ordCompNm"))
	}
	s.mu.Unlock()

	d := newXML("response")
	d.leaf("reqNo", reqNo)
	d.leaf("resNo", resNo)
	d.leaf("regiNo", regiNo)
	d.leaf("orderNo", it.get("orderNo"))
	d.leaf("regipoNm", "나주우체국") // the manual's casing
	d.leaf("resDate", now.Format("20060102150405"))
	d.leaf("price", strconv.FormatInt(price, 10))
	d.leaf("vTelNo", vTelNo)
	if reqType == epost.ReqNormal {
		d.leaf("arrCnpoNm", "광주M")
		d.leaf("delivPoNm", "나주")
		d.leaf("delivAreaCd", "광15290506")
		d.leaf("courseNo", "061")
	}
	d.leaf("insuFee", strconv.FormatInt(insuFee, 10))
	d.leaf("islandAddFee", "0")
	if it.get("printAreaCdYn") == "Y" && reqType == epost.ReqNormal {
		d.leaf("refineZip", it.get("recZip"))
		d.leaf("refineAddr", strings.TrimSpace(it.get("recAddr1")+" "+it.get("recAddr2")))
		d.leaf("printAreaCd", "광1(광주M) 529(나주) 05 06")
	}
	if option == "000" || option == "001" {
		d.leaf("noticeCont", "eposttest 공지사항")
	}
	if option == "001" {
		d.leaf("notifyMsg", "토요배달 휴무지역 알림")
	}
	d.send(w, "response")
	return nil
}

func (s *Server) getResInfo(w http.ResponseWriter, it items) *apiErr {
	if e := s.checkCustomer(it, &apiErr{"ERR-223", "계약소포를 사용하는 고객번호(custNo)가 아닙니다."}); e != nil {
		return e
	}
	if e := checkReqType(it); e != nil {
		return e
	}
	if it.get("orderNo") == "" {
		return missing("ERR-511", "주문번호", "orderNo")
	}
	if it.get("reqYmd") == "" {
		return missing("ERR-511", "소포신청 등록일자", "reqYmd")
	}
	s.mu.Lock()
	var hits []Order
	var hidden []bool
	var vtel, pono []string
	for _, o := range s.orders {
		if o.Deleted || string(o.ReqType) != it.get("reqType") || o.OrderNo != it.get("orderNo") || o.ReqYmd != it.get("reqYmd") {
			continue
		}
		hits = append(hits, o.snapshot())
		hidden = append(hidden, !o.resNoVisible)
		vtel, pono = append(vtel, o.vTelNo), append(pono, o.regiPoNm)
	}
	s.mu.Unlock()
	if len(hits) == 0 {
		return &apiErr{"ERR-225", "신청정보가 존재하지 않습니다.(신청일자와 주문번호를 다시 확인해주십시오)"}
	}
	d := newXML("response")
	for i, o := range hits {
		d.open("resInfo")
		d.leaf("reqNo", o.ReqNo)
		resNo, resDate, vTel := o.ResNo, o.ResDate.In(kst).Format("20060102150405"), vtel[i]
		if hidden[i] { // after a cancel, resNo, resDate and vTelNo are null
			resNo, resDate, vTel = "", "", ""
		}
		d.leaf("resNo", resNo)
		d.leaf("regiNo", o.RegiNo)
		d.leaf("regiPoNm", pono[i])
		d.leaf("resDate", resDate)
		d.leaf("price", strconv.FormatInt(o.Price, 10))
		d.leaf("vTelNo", vTel)
		d.leaf("treatStusCd", o.Status.Code())
		d.close("resInfo")
	}
	d.send(w, "response")
	return nil
}

// cancel applies the manual's cancel rules: a normal parcel can be cancelled up to and
// including 운송장출력 (not after 집하완료), a return only up to 소포신청. A cancel issues a new
// waybill; the old one is never issued again.
func (s *Server) cancel(w http.ResponseWriter, it items) *apiErr {
	if e := s.checkCustomer(it, &apiErr{"ERR-223", "계약소포를 사용하는 고객번호(custNo)가 아닙니다."}); e != nil {
		return e
	}
	if e := checkReqType(it); e != nil {
		return e
	}
	if it.get("apprNo") != s.opts.ApprovalNo {
		return &apiErr{"ERR-123", "승인번호(apprNo)가 일치하지 않습니다."}
	}
	for _, req := range []struct{ name, label string }{{"reqNo", "소포 주문번호"}, {"resNo", "소포 예약번호"}, {"regiNo", "운송장번호"}, {"delYn", "예약취소 후 삭제 여부"}} {
		if it.get(req.name) == "" {
			return missing("ERR-511", req.label, req.name)
		}
	}
	del := it.get("delYn")
	if del != "Y" && del != "N" {
		return badValue("ERR-123", "예약취소 후 삭제 여부", "delYn")
	}
	now := s.now()

	s.mu.Lock()
	o, ok := s.byRegiNo[it.get("regiNo")]
	if !ok || o.Deleted || o.ReqNo != it.get("reqNo") || o.ResNo != it.get("resNo") || string(o.ReqType) != it.get("reqType") {
		s.mu.Unlock()
		return &apiErr{"ERR-225", "신청정보가 존재하지 않습니다.(신청일자와 주문번호를 다시 확인해주십시오)"}
	}
	oldRegiNo := o.RegiNo
	outcome, reason := "Y", ""
	switch {
	case o.Status == epost.TreatCancelled && del == "N":
		outcome, reason = "N", "이미 취소된 신청건"
	case o.Status == epost.TreatCancelled: // already cancelled: delete only
		outcome = "D"
		o.Deleted = true
	case !o.Status.Cancellable(o.ReqType):
		outcome = "N"
		reason = "집하 완료"
		if o.ReqType == epost.ReqReturn && o.Status == epost.TreatPrinted {
			reason = "운송장 출력 완료"
		}
	default:
		newRegiNo := s.issueWaybill(o.PayType)
		delete(s.byRegiNo, oldRegiNo)
		delete(s.traces, oldRegiNo)
		o.CancelledRegiNos = append(o.CancelledRegiNos, oldRegiNo)
		o.RegiNo, o.Status, o.resNoVisible = newRegiNo, epost.TreatCancelled, false
		s.byRegiNo[newRegiNo] = o
		if del == "Y" {
			outcome, o.Deleted = "D", true
		}
	}
	answerRegiNo := o.RegiNo
	reqNo, resNo := o.ReqNo, o.ResNo
	s.mu.Unlock()

	// Element names in the lower case working callers read.
	d := newXML("response")
	d.leaf("reqno", reqNo)
	d.leaf("resno", resNo)
	d.leaf("cancelregino", oldRegiNo)
	d.leaf("cancelDate", now.Format("20060102150405"))
	d.leaf("canceledyn", outcome)
	d.leaf("regiNo", answerRegiNo)
	d.leaf("notcancelReason", reason)
	d.send(w, "response")
	return nil
}

// maskName hides the middle of a name the way the trace services show it ("홍*동").
func maskName(name string) string {
	r := []rune(strings.TrimSpace(name))
	switch len(r) {
	case 0:
		return ""
	case 1:
		return "*"
	case 2:
		return string(r[0]) + "*"
	}
	return string(r[0]) + strings.Repeat("*", len(r)-2) + string(r[len(r)-1])
}

// checkReqType answers a missing or invalid reqType as the service does.
func checkReqType(it items) *apiErr {
	switch rt := it.get("reqType"); {
	case rt == "":
		return missing("ERR-111", "신청구분", "reqType")
	case rt != "1" && rt != "2":
		return &apiErr{"ERR-123", "데이터 오류-신청구분(reqType) 값이 유효하지 않습니다."}
	}
	return nil
}
