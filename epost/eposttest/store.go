package eposttest

import (
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/kshop-dev/kshop/epost"
)

// Order is a snapshot of one booking held by the fake.
type Order struct {
	ReqNo   string            // 소포 주문번호
	ResNo   string            // 소포 예약번호
	RegiNo  string            // the current waybill; a cancel replaces it
	OrderNo string            // the shop's orderNo
	ReqType epost.ReqType     // normal or return
	PayType epost.PayType     // prepaid or collect
	ReqYmd  string            // KST date of the booking
	ResDate time.Time         // booking time
	Status  epost.TreatStatus // treatStusCd
	// Deleted is true after a cancel with delYn=Y; GetResInfo no longer lists the order.
	Deleted bool
	// CancelledRegiNos are the waybills this order had before its cancels.
	CancelledRegiNos []string
	Price            int64 // expected fee in won
	// Items are the decrypted regData items as received.
	Items map[string]string
}

type order struct {
	Order
	resNoVisible bool // false after a cancel: resNo, resDate, vTelNo are null
	vTelNo       string
	regiPoNm     string
}

func (o *order) snapshot() Order {
	out := o.Order
	out.CancelledRegiNos = append([]string(nil), o.CancelledRegiNos...)
	out.Items = maps.Clone(o.Items)
	return out
}

// ErrUnknownWaybill is returned by SetStatus for a waybill the fake never issued (or that a
// cancel replaced).
var ErrUnknownWaybill = errors.New("eposttest: unknown waybill")

// Orders returns snapshots of every booking, in booking order (test orders are never stored).
func (s *Server) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Order, 0, len(s.orders))
	for _, o := range s.orders {
		out = append(out, o.snapshot())
	}
	return out
}

// Order returns the booking whose current waybill is regiNo.
func (s *Server) Order(regiNo string) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.byRegiNo[regiNo]
	if !ok {
		return Order{}, false
	}
	return o.snapshot(), true
}

// SetStatus moves a booking to another treatStusCd, as the post office would (운송장출력,
// 집하완료, 미집하 …). Moving to TreatPickedUp also records a 접수 trace event, so the waybill
// becomes trackable. A cancelled booking cannot be moved; cancel through the API.
func (s *Server) SetStatus(regiNo string, st epost.TreatStatus) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.byRegiNo[regiNo]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownWaybill, regiNo)
	}
	if o.Status == epost.TreatCancelled {
		return fmt.Errorf("eposttest: order %s is cancelled", o.OrderNo)
	}
	if st == epost.TreatUnknown || st == epost.TreatCancelled {
		return fmt.Errorf("eposttest: SetStatus cannot set %s", st)
	}
	o.Status = st
	if st == epost.TreatPickedUp {
		tr := s.traceFor(regiNo)
		if len(tr.events) == 0 {
			tr.events = append(tr.events, TraceEvent{Time: s.opts.Now(), Place: o.regiPoNm, Status: "접수"})
		}
	}
	return nil
}

// nextSeq returns a number never returned before. Callers hold s.mu.
func (s *Server) nextSeq() uint64 {
	s.seq++
	return s.seq
}

// issueWaybill returns a fresh 13-digit waybill: 6… for prepaid, 7… for collect parcels.
// Callers hold s.mu.
func (s *Server) issueWaybill(pay epost.PayType) string {
	prefix := 6
	if pay == epost.PayCollect {
		prefix = 7
	}
	for {
		w := fmt.Sprintf("%d%012d", prefix, 100000000000+s.nextSeq())
		if !s.issued[w] {
			s.issued[w] = true
			return w
		}
	}
}

// addOffice registers an office. Callers hold s.mu or own s.
func (s *Server) addOffice(o epost.Office) {
	if _, ok := s.offices[o.OfficeSer]; !ok {
		s.officeOrder = append(s.officeOrder, o.OfficeSer)
	}
	if o.OfficeDivCd == "" {
		o.OfficeDivCd = "1"
	}
	s.offices[o.OfficeSer] = o
}
