package epost

import (
	"sort"
	"strings"
	"time"

	"github.com/kshop-dev/kshop/internal/wire"
)

// TrackingStatus is a parcel's state normalized across both trace services, after
// delivery-tracker's model for kr.epost. The Korean text it came from is always kept next to
// it.
type TrackingStatus int

// Tracking statuses.
const (
	// StatusUnknown: text this SDK does not recognise (kept raw), or no events yet.
	StatusUnknown TrackingStatus = iota
	// StatusInformationReceived: booked (신청, 예약, 운송장출력) but not yet scanned by the post.
	StatusInformationReceived
	// StatusPickedUp: accepted by the post office (접수, 집하).
	StatusPickedUp
	// StatusInTransit: moving between mail centres (발송, 도착).
	StatusInTransit
	// StatusOutForDelivery: with the carrier for delivery (배달준비, 배달중).
	StatusOutForDelivery
	// StatusDelivered: delivered (배달완료).
	StatusDelivered
	// StatusException: not delivered, returned, held (미배달, 반송, 보관, 수취거절 …).
	StatusException
)

// String names the status like delivery-tracker does.
func (s TrackingStatus) String() string {
	switch s {
	case StatusInformationReceived:
		return "INFORMATION_RECEIVED"
	case StatusPickedUp:
		return "AT_PICKUP"
	case StatusInTransit:
		return "IN_TRANSIT"
	case StatusOutForDelivery:
		return "OUT_FOR_DELIVERY"
	case StatusDelivered:
		return "DELIVERED"
	case StatusException:
		return "EXCEPTION"
	default:
		return "UNKNOWN"
	}
}

// statusRules are checked in order: exceptions before deliveries ("미배달" holds "배달"),
// deliveries before the out-for-delivery words, booking words ("운송장출력") before transit
// ones ("운송").
var statusRules = []struct {
	status TrackingStatus
	words  []string
}{
	{StatusException, []string{"미배달", "미수령", "배달불가", "반송", "수취거절", "주소불명", "이사불명", "수취인불명", "보관", "폐기", "사고", "분실", "파손", "반려", "지연"}},
	{StatusDelivered, []string{"배달완료", "배송완료", "수령완료", "수령", "교부"}},
	{StatusOutForDelivery, []string{"배달준비", "배달중", "배달출발", "배송출발", "배송중"}},
	{StatusPickedUp, []string{"접수", "집하", "인수"}},
	{StatusInformationReceived, []string{"운송장출력", "송장출력", "신청", "예약", "등록"}},
	{StatusInTransit, []string{"발송", "도착", "이동", "중계", "출발", "교환국", "운송", "통관"}},
}

// NormalizeStatus maps Korea Post's status text (접수, 발송, 도착, 배달준비, 배달완료, 미배달 …)
// to a TrackingStatus. Spaces are ignored; unknown text gives StatusUnknown.
func NormalizeStatus(text string) TrackingStatus {
	t := strings.Join(strings.Fields(text), "")
	if t == "" {
		return StatusUnknown
	}
	for _, r := range statusRules {
		for _, w := range r.words {
			if strings.Contains(t, w) {
				return r.status
			}
		}
	}
	return StatusUnknown
}

// TraceSource says which service a Trace came from.
type TraceSource string

// Trace sources.
const (
	// TracePublic is data.go.kr's 국내우편물 종적 조회 (openapi.epost.go.kr), keyed by a
	// data.go.kr ServiceKey.
	TracePublic TraceSource = "public"
	// TraceBiz is the contract-customer trace (biz.epost.go.kr/KpostPortal/openapi), keyed by
	// a regkey.
	TraceBiz TraceSource = "biz"
)

// TraceEvent is one scan of a parcel.
type TraceEvent struct {
	// Time is the event's date and time in KST; zero when the service's text could not be
	// read (DateText and TimeText keep it).
	Time     time.Time
	DateText string // the date as sent
	TimeText string // the time as sent
	// Place is where it happened (nowLc, eventregiponm).
	Place string
	// StatusText is the service's status (processSttus, tracestatus), and Status its
	// normalized form.
	StatusText string         // as sent
	Status     TrackingStatus // normalized
	// Detail is the detail text (detailDc; the non-delivery reason of the biz trace). It may
	// name the person who received the parcel: treat it as personal data.
	Detail string
}

// Trace is a parcel's tracking history from either service, normalized.
type Trace struct {
	Waybill string      // 13 digits
	Source  TraceSource // the service that answered
	// Status is the parcel's current state: from the service's summary (dlvySttus, eventnm)
	// when present and recognised, else from the latest event. StatusText is the text it
	// came from.
	Status     TrackingStatus // normalized
	StatusText string         // the Korean text it came from
	// DeliveredAt is the delivery time (dlvyDe, eventymd) in KST, zero until delivered.
	DeliveredAt time.Time
	// RecipientName and SenderName are as the service gives them (already masked by it).
	RecipientName string // addrseNm, recevnm
	SenderName    string // applcntNm, sendnm
	MailKind      string // pstmtrKnd: 통상 / 소포 (public trace)
	Handling      string // trtmntSe: 일반소포, 익일특급 … (public trace)
	// Events are in chronological order (stable when times are missing).
	Events []TraceEvent
	// Raw holds every top-level item by lower-cased name.
	Raw map[string]string
}

// Latest returns the most recent event.
func (t *Trace) Latest() (TraceEvent, bool) {
	if t == nil || len(t.Events) == 0 {
		return TraceEvent{}, false
	}
	return t.Events[len(t.Events)-1], true
}

// Delivered reports whether the parcel was delivered.
func (t *Trace) Delivered() bool { return t != nil && t.Status == StatusDelivered }

// finish orders the events and settles the summary status.
func (t *Trace) finish(summary string) {
	allTimed := true
	for _, e := range t.Events {
		if e.Time.IsZero() {
			allTimed = false
			break
		}
	}
	if allTimed {
		sort.SliceStable(t.Events, func(i, j int) bool { return t.Events[i].Time.Before(t.Events[j].Time) })
	}
	t.StatusText = strings.TrimSpace(summary)
	t.Status = NormalizeStatus(t.StatusText)
	if t.Status == StatusUnknown {
		if last, ok := t.Latest(); ok {
			t.Status, t.StatusText = last.Status, last.StatusText
		}
	}
}

// decodePublicTrace reads a LongitudinalDomesticListResponse (errors were handled before).
func decodePublicTrace(root *node, waybill string) *Trace {
	t := &Trace{
		Waybill: firstNonEmpty(root.value("rgist"), waybill), Source: TracePublic,
		RecipientName: root.value("addrseNm"), SenderName: root.value("applcntNm"),
		MailKind: root.value("pstmtrKnd"), Handling: root.value("trtmntSe"),
		Raw: topLevel(root),
	}
	for _, e := range root.findAll("longitudinalDomesticList") {
		ev := TraceEvent{
			DateText: e.value("dlvyDate"), TimeText: e.value("dlvyTime"), Place: e.value("nowLc"),
			StatusText: e.value("processSttus"), Detail: e.value("detailDc"),
		}
		ev.Time = parseTraceTime(ev.DateText, ev.TimeText)
		ev.Status = NormalizeStatus(ev.StatusText)
		t.Events = append(t.Events, ev)
	}
	summary := root.value("dlvySttus")
	if NormalizeStatus(summary) == StatusDelivered {
		t.DeliveredAt = parseTraceTime(root.value("dlvyDe"), "")
	}
	t.finish(summary)
	return t
}

// decodeBizTrace reads the contract-customer trace's <trace> answer.
func decodeBizTrace(root *node, waybill string) *Trace {
	t := &Trace{
		Waybill: firstNonEmpty(root.value("regino"), waybill), Source: TraceBiz,
		RecipientName: root.value("recevnm"), SenderName: root.value("sendnm", "applcntnm"),
		MailKind: root.value("mailkindnm", "mailtypenm"),
		Raw:      topLevel(root),
	}
	for _, e := range root.findAll("item") {
		ev := TraceEvent{
			DateText: e.value("sortingdate", "eventymd"), TimeText: e.value("eventhms"),
			Place: e.value("eventregiponm"), StatusText: e.value("tracestatus", "eventnm"),
		}
		ev.Detail = joinNonEmpty(" ", e.value("delivrsltnm"), e.value("nondelivreasnnm"))
		ev.Time = parseTraceTime(ev.DateText, ev.TimeText)
		ev.Status = NormalizeStatus(ev.StatusText)
		t.Events = append(t.Events, ev)
	}
	// Top-level eventnm/eventymd are the delivery result, filled once delivered.
	summary := childValue(root, "eventnm")
	if NormalizeStatus(summary) == StatusDelivered {
		t.DeliveredAt = parseTraceTime(childValue(root, "eventymd"), childValue(root, "eventhms"))
	}
	t.finish(summary)
	return t
}

// childValue is the text of a direct child of n, so a top-level item is not confused with
// the item of the same name inside the event list.
func childValue(n *node, name string) string {
	name = strings.ToLower(name)
	for _, c := range n.children {
		if c.name == name {
			return c.text
		}
	}
	return ""
}

// topLevel maps the root's direct leaf children.
func topLevel(n *node) map[string]string {
	out := map[string]string{}
	for _, c := range n.children {
		if len(c.children) == 0 {
			if _, seen := out[c.name]; !seen {
				out[c.name] = c.text
			}
		}
	}
	return out
}

func joinNonEmpty(sep string, vals ...string) string {
	var parts []string
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, sep)
}

// parseTraceTime reads the services' date and time texts ("2017-09-12" + "19:28",
// "2024.05.01" + "13:45:10", "20240501" + "1345", or a date with its time) in KST. Anything
// else gives the zero time.
func parseTraceTime(date, clock string) time.Time {
	d := onlyDigits(date)
	c := onlyDigits(clock)
	if len(d) == 12 || len(d) == 14 {
		d, c = d[:8], d[8:]
	}
	if len(d) != 8 {
		return time.Time{}
	}
	switch len(c) {
	case 0:
		c = "000000"
	case 4:
		c += "00"
	case 6:
	default:
		return time.Time{}
	}
	t, err := wire.ParseKST(wire.LayoutCompact, d+c)
	if err != nil {
		return time.Time{}
	}
	return t
}

func onlyDigits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
