package eposttest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/kshop-dev/kshop/epost"
)

// items are the k=v pairs of a decrypted regData, in the order received.
type items struct {
	names  []string
	values map[string]string
}

// parseItems splits a plaintext as the service does: '&' between items, the first '=' between
// name and value, nothing unescaped. A plaintext that is not readable (wrong key) gives no
// items, so every required item looks missing, as on the real service.
func parseItems(plain string) items {
	it := items{values: map[string]string{}}
	if plain == "" {
		return it
	}
	for _, pair := range strings.Split(plain, "&") {
		name, value, ok := strings.Cut(pair, "=")
		if !ok || name == "" {
			continue
		}
		if _, dup := it.values[name]; dup {
			continue
		}
		it.names = append(it.names, name)
		it.values[name] = value
	}
	return it
}

func (it items) get(name string) string { return it.values[name] }

func (it items) has(name string) bool {
	_, ok := it.values[name]
	return ok
}

// rule is an item's maximum length and the A digit of its error codes (1 parcel data, 2
// contract/sender, 3 recipient).
type rule struct {
	max   int
	group byte
}

var orderRules = map[string]rule{
	"custNo": {10, '2'}, "apprNo": {10, '2'}, "payType": {1, '2'}, "reqType": {1, '1'}, "officeSer": {20, '2'},
	"weight": {2, '1'}, "volume": {3, '1'}, "microYn": {1, '1'}, "packngMtrCd": {2, '1'}, "orderNo": {50, '1'},
	"ddayDelivReq": {1, '1'}, "insuYn": {1, '1'}, "insuAmt": {7, '1'}, "ordCompNm": {100, '2'}, "inqTelCn": {100, '2'},
	"ordNm": {40, '2'}, "ordZip": {5, '2'}, "ordAddr1": {60, '2'}, "ordAddr2": {100, '2'}, "ordTel": {12, '2'},
	"ordMob": {12, '2'}, "recNm": {40, '3'}, "recZip": {5, '3'}, "recAddr1": {150, '3'}, "recAddr2": {300, '3'},
	"contCd": {3, '1'}, "goodsNm": {400, '1'}, "goodsCd": {400, '1'}, "goodsMdl": {400, '1'}, "goodsSize": {30, '1'},
	"goodsColor": {40, '1'}, "qty": {5, '1'}, "delivMsg": {200, '1'}, "smsOrdCd": {1, '1'}, "retReason": {40, '1'},
	"retVisitYmd": {8, '1'}, "retOrigRegiNo": {13, '1'}, "printYn": {1, '1'}, "printAreaCdYn": {1, '1'}, "testYn": {1, '1'},
}

var officeRules = map[string]rule{
	"custNo": {10, '2'}, "officeSer": {20, '2'}, "officeNm": {100, '2'}, "officeZip": {5, '2'}, "officeAddr1": {60, '2'},
	"officeAddr2": {100, '2'}, "officeTelno": {14, '2'}, "officeFaxNo": {14, '2'}, "contactNm": {50, '2'},
	"chrgPrsnMob": {14, '2'}, "chrgPrsnEmail": {60, '2'}, "officeSortSeq": {10, '2'}, "officeDivCd": {1, '2'},
}

// apiErr is an error answer to send.
type apiErr struct{ code, msg string }

func missing(code, label, name string) *apiErr {
	return &apiErr{code, fmt.Sprintf("필수항목누락-%s(%s) 값이 없습니다.", label, name)}
}

func badValue(code, label, name string) *apiErr {
	return &apiErr{code, fmt.Sprintf("데이터오류-%s(%s) 값이 유효하지 않습니다.", label, name)}
}

// lengths checks every received item that has a rule, in the order received.
func (s *Server) lengths(it items, rules map[string]rule, skip ...string) *apiErr {
outer:
	for _, name := range it.names {
		for _, sk := range skip {
			if name == sk {
				continue outer
			}
		}
		r, ok := rules[name]
		if !ok {
			continue
		}
		if n := s.opts.LengthRule.Measure(it.get(name)); n > r.max {
			return &apiErr{"ERR-" + string(r.group) + "21", fmt.Sprintf("데이터오류-%s 값의 길이가 %d을(를) 초과하였습니다.", name, r.max)}
		}
	}
	return nil
}

func (s *Server) contract(w http.ResponseWriter, r *http.Request, call string) {
	key := r.Form.Get("key")
	switch {
	case key == "":
		writeError(w, "ERR-111", "필수항목 누락(인증키)입니다.")
		return
	case key != s.opts.APIKey:
		writeError(w, "ERR-123", "등록되지 않거나 유효하지 않은 인증키입니다.")
		return
	}
	var it items
	if call == "GetStoppedZipCd" {
		it = items{values: map[string]string{}}
		if v, ok := r.Form["zipCd"]; ok && len(v) > 0 {
			it.names, it.values["zipCd"] = []string{"zipCd"}, v[0]
		}
	} else {
		regData := r.Form.Get("regData")
		if regData == "" {
			writeError(w, "ERR-511", "필수값이 입력되지 않았습니다. 요청 변수(regData) 을(를) 입력하여 주세요.")
			return
		}
		plain, err := epost.DecryptRegData(s.opts.SecurityKey, regData)
		if err != nil {
			plain = "" // unreadable: every item is missing, as on the service
		}
		it = parseItems(plain)
	}
	var e *apiErr
	switch call {
	case "GetCustNo":
		e = s.getCustNo(w, it)
	case "GetApprNo":
		e = s.getApprNo(w, it)
	case "GetStoppedZipCd":
		e = s.getStoppedZipCd(w, it)
	case "InsertOffice":
		e = s.insertOffice(w, it)
	case "GetOfficeInfo":
		e = s.getOfficeInfo(w, it)
	case "InsertOrder":
		e = s.insertOrder(w, it, r.Form.Get("option"))
	case "GetResInfo":
		e = s.getResInfo(w, it)
	case "GetResCancelCmd":
		e = s.cancel(w, it)
	default:
		writeHTML(w, http.StatusNotFound, "Not Found")
		return
	}
	if e != nil {
		writeError(w, e.code, e.msg)
	}
}

// checkCustomer applies the custNo checks every call starts with.
func (s *Server) checkCustomer(it items, mismatch *apiErr) *apiErr {
	switch custNo := it.get("custNo"); {
	case custNo == "":
		return missing("ERR-211", "고객번호", "custNo")
	case custNo != s.opts.CustomerNo:
		return mismatch
	}
	return nil
}

func (s *Server) getCustNo(w http.ResponseWriter, it items) *apiErr {
	switch id := it.get("memberID"); {
	case id == "":
		return &apiErr{"ERR-511", "필수항목누락-인터넷우체국 회원 아이디 ID(memberID) 값이 없습니다."}
	case id != s.opts.MemberID:
		return &apiErr{"ERR-511", "고객번호(custNo)가 존재하지 않습니다."}
	}
	d := newXML("response")
	d.leaf("custNo", s.opts.CustomerNo)
	d.send(w, "response")
	return nil
}

func (s *Server) getApprNo(w http.ResponseWriter, it items) *apiErr {
	noContract := &apiErr{"ERR-123", "계약승인번호가 존재하지 않습니다."}
	if e := s.checkCustomer(it, noContract); e != nil {
		return e
	}
	// The fake's one contract is approved and not expired.
	if st := it.get("statusCd"); st == "4" {
		return noContract
	}
	if ex := it.get("expiredYn"); ex == "Y" {
		return noContract
	}
	d := newXML("response")
	d.open("contractInfo")
	d.leaf("apprNo", s.opts.ApprovalNo)
	d.leaf("payTypeCd", "12")
	d.leaf("payTypeNm", "후납")
	d.leaf("postNm", "나주우체국")
	d.leaf("statusNm", "승인")
	d.leaf("expiredYmd", "29991231")
	d.leaf("closedYmd", "")
	d.close("contractInfo")
	d.send(w, "response")
	return nil
}

func (s *Server) getStoppedZipCd(w http.ResponseWriter, it items) *apiErr {
	zip := it.get("zipCd")
	if it.has("zipCd") && (len(zip) != 5 || !digits(zip)) {
		return &apiErr{"ERR-123", "데이터오류-입력하신 접수중지 우편번호가 유효하지 않습니다.(숫자 5자리)"}
	}
	var hits []epost.StoppedZipRange
	for _, z := range s.opts.StoppedZips {
		if zip == "" || z.Contains(zip) {
			hits = append(hits, z)
		}
	}
	if len(hits) == 0 {
		if zip != "" {
			return &apiErr{"ERR-125", "해당 우편번호는 접수중지 우편번호가 아닙니다."}
		}
		return &apiErr{"ERR-125", "접수중지 우편번호가 없습니다."}
	}
	d := newXML("response")
	for _, z := range hits {
		d.open("stoppedZipCdInfo")
		d.leaf("areaNm", z.AreaNm)
		d.leaf("strtZipCd", z.StartZip)
		end := z.EndZip
		if end == z.StartZip {
			end = "" // the service sends null for a single code
		}
		d.leaf("endZipCd", end)
		d.leaf("applyStrtYmd", z.StartYmd)
		d.leaf("applyEndYmd", z.EndYmd)
		d.leaf("stopReason", z.Reason)
		d.close("stoppedZipCdInfo")
	}
	d.send(w, "response")
	return nil
}

func (s *Server) insertOffice(w http.ResponseWriter, it items) *apiErr {
	if e := s.checkCustomer(it, badValue("ERR-123", "고객번호", "custNo")); e != nil {
		return e
	}
	for _, req := range []struct{ name, label string }{
		{"officeSer", "공급지코드"}, {"officeNm", "공급지명"}, {"officeZip", "공급지 우편번호"}, {"officeAddr1", "공급지 주소"},
		{"officeAddr2", "공급지 상세주소"}, {"officeTelno", "공급지 전화번호"}, {"contactNm", "공급지 담당자명"},
	} {
		if strings.TrimSpace(it.get(req.name)) == "" {
			return missing("ERR-211", req.label, req.name)
		}
	}
	if e := s.lengths(it, officeRules); e != nil {
		return e
	}
	div := it.get("officeDivCd")
	if div == "" {
		div = "1"
	}
	if div != "1" && div != "2" && div != "4" {
		return badValue("ERR-223", "공급지 구분 코드", "officeDivCd")
	}
	ser := it.get("officeSer")
	s.mu.Lock()
	_, exists := s.offices[ser]
	if !exists {
		s.addOffice(epost.Office{
			OfficeSer: ser, OfficeNm: it.get("officeNm"), OfficeZip: it.get("officeZip"),
			OfficeAddr:  strings.TrimSpace(it.get("officeAddr1") + " " + it.get("officeAddr2")),
			OfficeTelno: it.get("officeTelno"), OfficeFaxNo: it.get("officeFaxNo"), ContactNm: it.get("contactNm"),
			ChrgPrsnMob: it.get("chrgPrsnMob"), ChrgPrsnEmail: it.get("chrgPrsnEmail"),
			OfficeSortSeq: it.get("officeSortSeq"), OfficeDivCd: div,
		})
	}
	s.mu.Unlock()
	if exists {
		return &apiErr{"ERR-226", "이미 등록된 공급지코드(officeSer)입니다."}
	}
	d := newXML("response")
	d.leaf("chkResult", "Y")
	d.leaf("officeSer", ser)
	d.leaf("officeNm", it.get("officeNm"))
	d.leaf("regiPoNm", "나주우체국")
	d.leaf("officeDivCd", div)
	d.send(w, "response")
	return nil
}

func (s *Server) getOfficeInfo(w http.ResponseWriter, it items) *apiErr {
	if e := s.checkCustomer(it, badValue("ERR-123", "고객번호", "custNo")); e != nil {
		return e
	}
	mask := 7
	if v := it.get("officeDivReqCd"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 7 {
			return badValue("ERR-123", "공급지 구분 조회 코드", "officeDivReqCd")
		}
		mask = n
	}
	s.mu.Lock()
	var list []epost.Office
	for _, ser := range s.officeOrder {
		o := s.offices[ser]
		if div, _ := strconv.Atoi(o.OfficeDivCd); div&mask != 0 {
			list = append(list, o)
		}
	}
	s.mu.Unlock()
	if len(list) == 0 {
		return &apiErr{"ERR-125", "조회 결과가 없습니다."}
	}
	d := newXML("response")
	for _, o := range list {
		d.open("officeInfo")
		d.leaf("officeSer", o.OfficeSer)
		d.leaf("officeNm", o.OfficeNm)
		d.leaf("officeZip", o.OfficeZip)
		d.leaf("officeAddr", o.OfficeAddr)
		d.leaf("officeTelno", o.OfficeTelno)
		d.leaf("officeFaxNo", o.OfficeFaxNo)
		d.leaf("contactNm", o.ContactNm)
		d.leaf("chrgPrsnMob", o.ChrgPrsnMob)
		d.leaf("chrgPrsnEmail", o.ChrgPrsnEmail)
		d.leaf("officeSortSeq", o.OfficeSortSeq)
		d.leaf("officeDivCd", o.OfficeDivCd)
		d.close("officeInfo")
	}
	d.send(w, "response")
	return nil
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// intIn reads an optional integer item: ok is false when present but not an integer.
func intIn(v string, lo, hi int) (n int, isInt, inRange bool) {
	if v == "" {
		return 0, true, true
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, false, false
	}
	return n, true, n >= lo && n <= hi
}
