package eposttest

import (
	"net/http"
	"strings"
	"time"
)

// TraceEvent is one scan the fake's trace services report.
type TraceEvent struct {
	// Time is when it happened; zero means the server's clock at AddTraceEvent.
	Time time.Time
	// Place is the post office or mail centre (nowLc, eventregiponm).
	Place string
	// Status is the Korean status text: 접수, 발송, 도착, 배달준비, 배달완료, 미배달 …
	Status string
	// Detail is the detail text (detailDc; for 미배달 the biz trace's nondelivreasnnm).
	Detail string
}

type traceRecord struct {
	recipient, sender string
	events            []TraceEvent
}

// traceFor returns the record of a waybill, creating it. Callers hold s.mu.
func (s *Server) traceFor(waybill string) *traceRecord {
	tr, ok := s.traces[waybill]
	if !ok {
		tr = &traceRecord{recipient: "수*인", sender: "발*인"}
		s.traces[waybill] = tr
	}
	return tr
}

// AddTraceEvent appends a scan to a waybill's history, for both trace services. The waybill
// need not be booked on this fake (tracking tests can use any 13-digit number). A waybill
// without events is "not found" on both services, as before the first scan.
func (s *Server) AddTraceEvent(waybill string, ev TraceEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ev.Time.IsZero() {
		ev.Time = s.opts.Now()
	}
	tr := s.traceFor(waybill)
	tr.events = append(tr.events, ev)
}

// SetTraceNames sets the (already masked) sender and recipient names the services show.
func (s *Server) SetTraceNames(waybill, sender, recipient string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tr := s.traceFor(waybill)
	tr.sender, tr.recipient = sender, recipient
}

// snapshotTrace copies a waybill's record; ok is false when it has no events.
func (s *Server) snapshotTrace(waybill string) (traceRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tr, ok := s.traces[waybill]
	if !ok || len(tr.events) == 0 {
		return traceRecord{}, false
	}
	out := *tr
	out.events = append([]TraceEvent(nil), tr.events...)
	return out, true
}

func delivered(status string) bool {
	return strings.Contains(strings.ReplaceAll(status, " ", ""), "배달완료")
}

// publicTrace serves data.go.kr's getLongitudinalDomesticList.
func (s *Server) publicTrace(w http.ResponseWriter, r *http.Request) {
	if r.Form.Get("ServiceKey") != s.opts.TraceServiceKey {
		d := newXML("OpenAPI_ServiceResponse")
		d.open("cmmMsgHeader")
		d.leaf("errMsg", "SERVICE ERROR")
		d.leaf("returnAuthMsg", "SERVICE_KEY_IS_NOT_REGISTERED_ERROR")
		d.leaf("returnReasonCode", "30")
		d.close("cmmMsgHeader")
		d.send(w, "OpenAPI_ServiceResponse")
		return
	}
	rgist := r.Form.Get("rgist")
	header := func(d *xmlDoc, ok bool, code, msg string) {
		d.open("cmmMsgHeader")
		d.leaf("requestMsgId", "")
		d.leaf("responseMsgId", "")
		d.leaf("responseTime", s.now().Format("20060102:150405000"))
		d.leaf("successYN", map[bool]string{true: "Y", false: "N"}[ok])
		d.leaf("returnCode", code)
		d.leaf("errMsg", msg)
		d.close("cmmMsgHeader")
	}
	const root = "LongitudinalDomesticListResponse"
	if len(rgist) != 13 || !digits(rgist) {
		d := newXML(root)
		header(d, false, "11", "등기번호는 13자리 숫자입니다.")
		d.send(w, root)
		return
	}
	tr, ok := s.snapshotTrace(rgist)
	if !ok {
		d := newXML(root)
		header(d, false, "03", "조회된 데이터가 없습니다.")
		d.send(w, root)
		return
	}
	d := newXML(root)
	header(d, true, "00", "")
	last := tr.events[len(tr.events)-1]
	d.leaf("addrseNm", tr.recipient)
	d.leaf("applcntNm", tr.sender)
	if delivered(last.Status) {
		d.leaf("dlvyDe", last.Time.In(kst).Format("2006-01-02 15:04"))
	} else {
		d.leaf("dlvyDe", "")
	}
	d.leaf("dlvySttus", last.Status)
	for _, ev := range tr.events {
		d.open("longitudinalDomesticList")
		d.leaf("dlvyDate", ev.Time.In(kst).Format("2006-01-02"))
		d.leaf("dlvyTime", ev.Time.In(kst).Format("15:04"))
		d.leaf("nowLc", ev.Place)
		d.leaf("processSttus", ev.Status)
		d.leaf("detailDc", ev.Detail)
		d.close("longitudinalDomesticList")
	}
	d.leaf("pstmtrKnd", "소포")
	d.leaf("rgist", rgist)
	d.leaf("trtmntSe", "일반소포")
	d.send(w, root)
}

// bizTrace serves the contract-customer trace (KpostPortal/openapi?target=trace).
func (s *Server) bizTrace(w http.ResponseWriter, r *http.Request) {
	switch key := r.Form.Get("regkey"); {
	case key == "":
		writeError(w, "ERR-111", "필수항목 누락(인증키)입니다.")
		return
	case key != s.opts.BizTraceKey:
		writeError(w, "ERR-123", "등록되지 않거나 유효하지 않은 인증키입니다.")
		return
	}
	if r.Form.Get("target") != "trace" {
		writeError(w, "ERR-123", "유효하지 않은 target 입니다.")
		return
	}
	query := r.Form.Get("query")
	if len(query) != 13 || !digits(query) {
		writeError(w, "ERR-321", "등기번호는 13자리입니다.")
		return
	}
	tr, ok := s.snapshotTrace(query)
	if !ok {
		d := newXML("xsync")
		d.open("xsyncData")
		d.leaf("error_code", "ERR-001")
		d.leaf("message", "조회결과가 없습니다.")
		d.close("xsyncData")
		d.send(w, "xsync")
		return
	}
	last := tr.events[len(tr.events)-1]
	d := newXML("trace")
	d.leaf("regino", query)
	d.leaf("sendnm", tr.sender)
	d.leaf("recevnm", tr.recipient)
	if delivered(last.Status) {
		d.leaf("eventnm", last.Status)
		d.leaf("eventymd", last.Time.In(kst).Format("2006.01.02"))
		d.leaf("eventhms", last.Time.In(kst).Format("15:04"))
	} else {
		d.leaf("eventnm", "")
		d.leaf("eventymd", "")
	}
	d.open("itemlist")
	for _, ev := range tr.events {
		d.open("item")
		d.leaf("sortingdate", ev.Time.In(kst).Format("2006.01.02"))
		d.leaf("eventhms", ev.Time.In(kst).Format("15:04"))
		d.leaf("eventregiponm", ev.Place)
		d.leaf("tracestatus", ev.Status)
		if strings.Contains(ev.Status, "미배달") {
			d.leaf("nondelivreasnnm", ev.Detail)
		} else {
			d.leaf("nondelivreasnnm", "")
		}
		d.close("item")
	}
	d.close("itemlist")
	d.send(w, "trace")
}
